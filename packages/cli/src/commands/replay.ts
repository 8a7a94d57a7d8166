import { readFalcoConfig, FalcoConfigError, type RuleSelectionEntry, type LoadResult } from "@falcokit/engine";
import { eventCodesForName, PLUGINEVENT_E, type FieldCatalog } from "@falcokit/fields";
import {
  AlertSummary,
  AuditEventSource,
  FieldEventSource,
  Ruleset,
  alertLine,
  alertsFor,
  parseAuditEvents,
  parsePriority,
  readFieldFixture,
  readSyscallFixture,
  syscallFixtureRecords,
  dnsTable,
  type Alert,
  type DnsTable,
  type FieldEvent,
  type FieldSource,
  type Priority,
} from "@falcokit/evaluator";
import { isGzip, isScap, type ScapRecord } from "@falcokit/scap";
import { resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { expandFileArgs } from "../files.js";
import { EXIT, UsageError, type Io } from "../io.js";
import { loadFiles, refuseUnloaded, type LoadFlags } from "../load.js";
import { replayCapture, replayRecords } from "../capture.js";

export interface ReplayArgs extends LoadFlags {
  rules: string[];
  inputs: string[];
  format: "text" | "json";
  /** falco.yaml to read `rules:`, `priority`, `rule_matching`, `append_output` from. */
  config?: string;
  /** `-o key=value` overrides of the configuration. */
  options: string[];
  /** Only rules with any of these tags run (falco's old `-t`). */
  tags: string[];
  /** Rules with any of these tags are disabled (falco's old `-T`). */
  disableTags: string[];
  /** Rules by name or wildcard to disable (falco's old `-D`, exact or with `*`). */
  disableRules: string[];
  minPriority?: string;
  ruleMatching?: string;
  /** Also the events Falco drops by default (its `-A`). */
  allEvents: boolean;
  /** Print the summary (default: in text format). */
  summary?: boolean;
  /** `NAME=ADDR[,ADDR]` answers of the replaying machine's resolver (`--dns`). */
  dns?: string[];
  /** A YAML map of names to addresses (`--dns-file`). */
  dnsFile?: string;
}

/** The resolver table of `--dns-file` and `--dns` (the flags win). */
function dnsOf(args: ReplayArgs, io: Io): DnsTable | undefined {
  if (!args.dnsFile && !(args.dns ?? []).length) return undefined;
  const entries = new Map<string, string[]>();
  if (args.dnsFile !== undefined) {
    let data: unknown;
    try {
      data = parseYaml(new TextDecoder().decode(io.readFile(resolve(io.cwd, args.dnsFile))));
    } catch (e) {
      throw new UsageError(`cannot read --dns-file ${args.dnsFile}: ${(e as Error).message}`);
    }
    if (data === null || typeof data !== "object" || Array.isArray(data)) throw new UsageError(`--dns-file ${args.dnsFile} must be a map of names to addresses`);
    for (const [name, v] of Object.entries(data as Record<string, unknown>)) entries.set(name, (Array.isArray(v) ? v : [v]).map(String));
  }
  for (const d of args.dns ?? []) {
    const i = d.indexOf("=");
    if (i <= 0 || i === d.length - 1) throw new UsageError(`--dns wants NAME=ADDR[,ADDR...], not '${d}'`);
    entries.set(d.slice(0, i), d.slice(i + 1).split(","));
  }
  try {
    return dnsTable(entries);
  } catch (e) {
    throw new UsageError(`--dns: ${(e as Error).message.replace(/^dns: /, "")}`);
  }
}

/** One input problem, printed as `file:line:col: message`. */
interface InputProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

type InputKind = "capture" | "audit" | "fixture" | "syscalls";

/** A syscall-level fixture names syscalls or a process table; a field-level one names fields. */
const SYSCALL_FIXTURE = /^\s*(?:-\s+)?(?:processes|containers|users|groups|interfaces|syscall|event)\s*:/m;

function kindOf(path: string, bytes: Uint8Array, text: () => string): InputKind {
  if (isGzip(bytes) || isScap(bytes)) return "capture";
  if (/\.ya?ml$/i.test(path)) return SYSCALL_FIXTURE.test(text()) ? "syscalls" : "fixture";
  const t = text();
  // Audit events carry `auditID`/`audit.k8s.io`; anything else in JSON is a field-level fixture.
  if (/"apiVersion"\s*:\s*"audit\.k8s\.io\//.test(t) || /"auditID"\s*:/.test(t) || /^\s*\{\s*"kind"\s*:/.test(t)) return "audit";
  return "fixture";
}

/** The selection entries of the replay flags, after those of the configuration. */
function selectionOf(args: ReplayArgs, fromConfig: readonly RuleSelectionEntry[]): RuleSelectionEntry[] {
  const out = [...fromConfig];
  if (args.tags.length > 0) {
    // `-t`: only rules carrying one of the tags run.
    out.push({ op: "disable", rule: "*" });
    for (const tag of args.tags) out.push({ op: "enable", tag });
  }
  for (const tag of args.disableTags) out.push({ op: "disable", tag });
  for (const rule of args.disableRules) out.push({ op: "disable", rule });
  return out;
}

/** `falcokit replay`: rules evaluated over captures, audit events and field-level fixtures. */
export async function runReplay(args: ReplayArgs, io: Io): Promise<number> {
  if (args.rules.length === 0) throw new UsageError("replay needs --rules FILE (repeatable)");
  if (args.inputs.length === 0) throw new UsageError("replay needs at least one input (a .scap capture, audit events JSON, or an events fixture)");

  // Configuration: falco.yaml, then -o overrides, then our own flags.
  let configText = "";
  if (args.config !== undefined) {
    try {
      configText = new TextDecoder().decode(io.readFile(args.config));
    } catch (e) {
      io.stderr(`falcokit replay: cannot read --config ${args.config}: ${(e as Error).message}\n`);
      return EXIT.usage;
    }
  }
  let config;
  try {
    config = readFalcoConfig(configText, args.options);
  } catch (e) {
    if (!(e instanceof FalcoConfigError)) throw e;
    const where = e.position ? `${args.config}:${e.position.line}:${e.position.column}: ` : e.option !== undefined ? `-o ${e.option}: ` : "";
    io.stderr(`falcokit replay: ${where}${e.message}\n`);
    return EXIT.usage;
  }
  const priorityText = args.minPriority ?? config.priority ?? "debug";
  const minPriority: Priority | undefined = parsePriority(priorityText);
  if (!minPriority) throw new UsageError(`unknown priority '${priorityText}' (emergency, alert, critical, error, warning, notice, informational, debug)`);
  const matching = args.ruleMatching ?? config.ruleMatching ?? "first";
  if (matching !== "first" && matching !== "all") throw new UsageError(`--rule-matching is first or all, not '${matching}'`);

  const dns = dnsOf(args, io);
  const loaded = loadFiles(args.rules, { ...args, appendOutput: config.appendOutput }, io);
  const refused = refuseUnloaded(loaded, io, "replay", "the rules");
  if (refused !== undefined) return refused;
  const result = loaded.result;

  const selection = selectionOf(args, config.rules);
  const rulesets = new Map<string, Ruleset<unknown>>();
  const rulesetFor = <Ctx>(source: string, make: (catalog: FieldCatalog) => FieldSource<Ctx>): Ruleset<Ctx> | undefined => {
    let rs = rulesets.get(source) as Ruleset<Ctx> | undefined;
    if (!rs) {
      const catalog = result.catalogs.get(source);
      if (!catalog) return undefined;
      rs = Ruleset.build(result, source, make(catalog), { minPriority, selection });
      for (const p of rs.problems) io.stderr(`falcokit replay: rule '${p.rule}' cannot run: ${p.message}\n`);
      rulesets.set(source, rs as Ruleset<unknown>);
    }
    return rs;
  };

  const summary = new AlertSummary();
  const emit = (a: Alert) => {
    summary.add(a);
    io.stdout(args.format === "json" ? `${JSON.stringify(a)}\n` : `${alertLine(a)}\n`);
  };
  const problems: InputProblem[] = [];
  let unreadable = false;

  for (const input of expandFileArgs(args.inputs, io.cwd)) {
    let head: Uint8Array;
    let whole: Uint8Array | undefined;
    try {
      if (io.readHead) head = io.readHead(input.path, 16);
      else head = whole = io.readFile(input.path);
    } catch (e) {
      const code = (e as { code?: string }).code;
      io.stderr(`falcokit replay: cannot read ${input.display} (${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (e as Error).message})\n`);
      unreadable = true;
      continue;
    }
    let decoded: string | undefined;
    const bytes = () => (whole ??= io.readFile(input.path));
    const text = () => (decoded ??= new TextDecoder().decode(bytes()));
    const kind = kindOf(input.path, head, text);
    if (kind === "capture") {
      const source: AsyncIterable<Uint8Array> = whole ? toAsync([whole]) : io.readStream ? io.readStream(input.path) : toAsync([bytes()]);
      let shown = false;
      const failure = await replayCapture(source, {
        rulesetFor,
        ...(dns ? { dns } : {}),
        matching,
        allEvents: args.allEvents,
        emit,
        ...(io.progress
          ? {
              progress: (n: number) => {
                shown = true;
                io.stderr(`\rreplaying ${input.display}: ${n} events, ${summary.events} alerts`);
              },
            }
          : {}),
      });
      if (shown) io.stderr("\r\x1b[K");
      if (failure) problems.push({ file: input.display, line: 0, column: 0, message: failure });
      continue;
    }
    if (kind === "audit") {
      // One event (or EventList) per line, as the k8saudit plugin reads files; a pretty-printed
      // event or list (what kubectl and editors write) is read whole, as the plugin's webhook does.
      let parsed = parseAuditEvents(text());
      if (parsed.errors.length > 0) {
        const whole = parseAuditEvents(text(), { mode: "webhook" });
        if (whole.errors.length === 0 && whole.events.length > 0) parsed = whole;
      }
      for (const e of parsed.errors) problems.push({ file: input.display, line: e.line, column: e.column, message: e.message });
      const rs = rulesetFor("k8s_audit", (c) => new AuditEventSource(c));
      if (!rs) {
        problems.push({ file: input.display, line: 1, column: 1, message: "audit events need the k8s_audit source (the k8saudit plugin)" });
        continue;
      }
      for (const ev of parsed.events) for (const a of alertsFor(rs, ev, [PLUGINEVENT_E], ev.ts, ev.num, matching)) emit(a);
      continue;
    }
    if (kind === "syscalls") {
      const read = readSyscallFixture(text());
      for (const p of read.problems) problems.push({ file: input.display, ...p });
      if (read.problems.length > 0) continue;
      replayRecords(syscallFixtureRecords(read.fixture) as Iterable<ScapRecord>, { rulesetFor, matching, allEvents: args.allEvents, emit, ...(dns ? { dns } : {}) });
      continue;
    }
    // A field-level fixture (YAML, or JSON lines read as a YAML sequence of flow maps).
    const fixtureText = /\.(jsonl|ndjson|json)$/i.test(input.path) ? jsonLinesAsYaml(text()) : text();
    const fixture = readFieldFixture(fixtureText, result.catalogs);
    for (const p of fixture.problems) problems.push({ file: input.display, ...p });
    if (fixture.problems.length > 0) continue;
    for (const ev of fixture.events) {
      const rs = rulesetFor(ev.source, (c) => new FieldEventSource(c));
      if (!rs) continue;
      const codes = codesOf(ev);
      if (codes === undefined) {
        problems.push({ file: input.display, line: ev.line, column: 1, message: "a syscall event needs evt.type: Falco only tries a rule on the event types it names" });
        continue;
      }
      for (const a of alertsFor(rs, ev, codes, ev.ts, ev.num, matching)) emit(a);
    }
  }

  for (const p of problems) io.stderr(`${p.file}${p.line > 0 ? `:${p.line}:${p.column}` : ""}: ${p.message}\n`);
  if (args.summary ?? args.format === "text") {
    const text = summary.text();
    if (args.format === "json") io.stderr(text);
    else io.stdout(text);
  }
  return unreadable ? EXIT.usage : problems.length > 0 ? EXIT.problems : EXIT.ok;
}

async function* toAsync(items: Uint8Array[]): AsyncIterable<Uint8Array> {
  yield* items;
}

function codesOf(ev: FieldEvent): readonly number[] | undefined {
  if (ev.source !== "syscall") return [PLUGINEVENT_E];
  if (ev.eventType === undefined) return undefined;
  return eventCodesForName(ev.eventType);
}

/** JSON lines (one event object per line) as a YAML sequence, keeping line numbers. */
function jsonLinesAsYaml(text: string): string {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[")) return text;
  return text
    .split("\n")
    .map((l) => (l.trim() === "" ? l : `- ${l}`))
    .join("\n");
}

export type { LoadResult };
