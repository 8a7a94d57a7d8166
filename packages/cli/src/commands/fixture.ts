/**
 * `falcokit fixture`: cuts a capture down to a syscall-level fixture (docs/cli/fixture.md).
 *
 *   falcokit fixture --from CAPTURE.scap [--pid N]... [--filter CONDITION] [--rules FILE]...
 *                    [--no-descendants] [--out FILE]
 *
 * The selection is the events of the given processes (and, unless --no-descendants, of the
 * processes they fork during the capture) and/or the events a Falco condition matches (both:
 * the events of those processes that match). The condition is compiled as Falco compiles a
 * rule's, with the lists and macros of the --rules files. The fixture goes to --out (written
 * atomically) or to stdout; what it cannot reproduce goes to stderr.
 */
import { isAbsolute, resolve } from "node:path";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import type { ParseArgsConfig } from "node:util";
import { loadRules, type RulesSource } from "@falcokit/engine";
import { defaultCatalogs, type FieldCatalog } from "@falcokit/fields";
import { SyscallEventSource, compilePredicate, writeSyscallFixture } from "@falcokit/evaluator";
import { ScapError, ScapReader, isGzip, isScap, type EventContext, type ScapRecord } from "@falcokit/scap";
import { expandFileArgs } from "../files.js";
import { EXIT, UsageError, writeFilesAtomically, type Io } from "../io.js";
import { engineOptions } from "../load.js";
import { readRulesFile } from "../read.js";
import { renderDiagnostic } from "../render.js";
import { FileTexts } from "../falco-json.js";

export interface FixtureArgs {
  /** The capture (.scap, possibly gzipped). */
  from?: string;
  /** Process ids whose events are selected. */
  pids: string[];
  /** A Falco condition the selected events match. */
  filter?: string;
  /** Rules files whose lists and macros the condition may use. */
  rules: string[];
  /** Also the processes the selected ones fork during the capture (default). */
  descendants: boolean;
  /** Where to write the fixture (stdout without). */
  out?: string;
  /** At most this many selected events (the first ones). */
  maxEvents?: string;
}

/** The fixture writer (tests inject one that counts its calls). */
export type FixtureWriter = typeof writeSyscallFixture;

/** The command's options, for `parseArgs` (main.ts). */
export const fixtureOptions = {
  from: { type: "string" },
  pid: { type: "string", multiple: true },
  filter: { type: "string" },
  rules: { type: "string", multiple: true },
  "no-descendants": { type: "boolean" },
  "max-events": { type: "string" },
  out: { type: "string" },
} as const satisfies ParseArgsConfig["options"];

/**
 * The command's handler, as main.ts calls its commands: positionals and parsed option values.
 * `write` replaces the fixture writer (tests).
 */
export function runFixtureCommand(positionals: string[], values: Record<string, unknown>, io: Io, write: FixtureWriter = writeSyscallFixture): Promise<number> {
  const pos = positionals.filter((p) => p !== "--");
  const args: FixtureArgs = {
    pids: (values.pid as string[] | undefined) ?? [],
    rules: (values.rules as string[] | undefined) ?? [],
    descendants: !values["no-descendants"],
  };
  if (typeof values.from === "string") args.from = values.from;
  else if (pos.length === 1) args.from = pos[0]!;
  if (pos.length > (typeof values.from === "string" ? 0 : 1)) throw new UsageError(`fixture takes one capture (--from CAPTURE), not '${pos.join(" ")}'`);
  if (typeof values.filter === "string") args.filter = values.filter;
  if (typeof values.out === "string") args.out = values.out;
  if (typeof values["max-events"] === "string") args.maxEvents = values["max-events"];
  return runFixture(args, io, write);
}

const FILTER_RULE = "falcokit fixture --filter";

const clip = (s: string): string => (s.length > 100 ? `${s.slice(0, 97)}...` : s);

/** A command-line argument as a POSIX shell would need it. */
function shellWord(s: string): string {
  return /^[A-Za-z0-9_/.=:@%+,-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

/** The command that makes this fixture again (no date, no absolute path the user did not type). */
function commandLine(args: FixtureArgs): string {
  const words = ["falcokit", "fixture", "--from", args.from!];
  for (const p of args.pids) words.push("--pid", p);
  if (!args.descendants) words.push("--no-descendants");
  for (const r of args.rules) words.push("--rules", r);
  if (args.filter !== undefined) words.push("--filter", args.filter);
  if (args.maxEvents !== undefined) words.push("--max-events", args.maxEvents);
  if (args.out !== undefined) words.push("--out", args.out);
  return words.map(shellWord).join(" ");
}

/** Chunks of a stream, gunzipped when the first bytes say gzip. */
async function* decompressed(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const it = source[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  async function* all(): AsyncIterable<Uint8Array> {
    yield first.value;
    for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
  }
  if (!isGzip(first.value)) {
    yield* all();
    return;
  }
  for await (const chunk of Readable.from(all()).pipe(createGunzip())) yield chunk as Uint8Array;
}

/** The records of a capture file, read again from its start each time. */
function captureRecords(io: Io, path: string): () => AsyncIterable<ScapRecord> {
  return async function* records() {
    const bytes: AsyncIterable<Uint8Array> = io.readStream ? io.readStream(path) : (async function* () {
      yield io.readFile(path);
    })();
    const reader = new ScapReader();
    for await (const chunk of decompressed(bytes)) {
      reader.push(chunk);
      for (let r = reader.next(); r !== undefined; r = reader.next()) yield r;
    }
    reader.end();
    for (let r = reader.next(); r !== undefined; r = reader.next()) yield r;
  };
}

/** The column (1-based) in the condition of an offset in the generated rule text. */
function columnIn(condition: string, conditionStart: number, offset: number): { line: number; column: number } {
  // each line of the condition is indented by 4 spaces in the rule text
  let rel = offset - conditionStart;
  const lines = condition.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (rel <= lines[i]!.length) return { line: i + 1, column: Math.max(rel, 0) + 1 };
    rel -= lines[i]!.length + 5;
  }
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

type Compiled = { ok: true; filter: (ctx: EventContext) => boolean; catalog: FieldCatalog | undefined } | { ok: false; code: number };

/** Compiles --filter as the condition of a rule loaded after the --rules files. */
function compileFilter(args: FixtureArgs, io: Io): Compiled {
  const condition = args.filter!;
  const sources: RulesSource[] = [];
  const texts = new Map<string, string>();
  for (const f of expandFileArgs(args.rules, io.cwd)) {
    const read = readRulesFile(f, io);
    if (read.kind !== "text") {
      io.stderr(renderDiagnostic(read.diagnostic, f.display, new FileTexts(texts).index(f.display), { color: false }));
      return { ok: false, code: EXIT.usage };
    }
    texts.set(f.display, read.text);
    sources.push({ name: f.display, text: read.text });
  }
  const head = `- rule: ${FILTER_RULE}\n  desc: the condition given with --filter\n  condition: |-\n    `;
  const ruleText = `${head}${condition.split("\n").join("\n    ")}\n  output: selected\n  priority: DEBUG\n  source: syscall\n`;
  sources.push({ name: "--filter", text: ruleText });
  texts.set("--filter", ruleText);
  const result = loadRules(sources, engineOptions({ falcoCompat: false, plugins: [] }, io));
  const errors = result.files.flatMap((r) => r.diagnostics.filter((d) => d.severity === "error"));
  if (errors.length > 0 || !result.compiled) {
    const own = errors.filter((d) => d.file === "--filter");
    const others = errors.filter((d) => d.file !== "--filter");
    const fileTexts = new FileTexts(texts);
    for (const d of others) io.stderr(renderDiagnostic(d, d.file ?? "", fileTexts.index(d.file ?? ""), { color: false }));
    for (const d of own) {
      const where = columnIn(condition, head.length, d.range.start);
      io.stderr(`falcokit fixture: --filter: ${d.message} (at ${condition.includes("\n") ? `line ${where.line}, ` : ""}column ${where.column})\n`);
    }
    if (others.length > 0) io.stderr("falcokit fixture: the --rules files do not load; fix the errors above (falcokit validate shows every problem)\n");
    if (errors.length === 0) io.stderr("falcokit fixture: --filter: the condition does not compile\n");
    return { ok: false, code: EXIT.usage };
  }
  const catalog = result.catalogs.get("syscall");
  if (!catalog) {
    io.stderr("falcokit fixture: --filter: no syscall source is loaded\n");
    return { ok: false, code: EXIT.usage };
  }
  const rule = result.compiled.rules.find((r) => r.info.name === FILTER_RULE);
  if (!rule) {
    io.stderr("falcokit fixture: --filter: the condition cannot be evaluated on syscall events\n");
    return { ok: false, code: EXIT.usage };
  }
  // no check memo: the predicate is asked once per event, outside a ruleset's run
  let predicate: (ctx: EventContext) => boolean;
  try {
    predicate = compilePredicate(rule.ast, new SyscallEventSource(catalog));
  } catch (e) {
    io.stderr(`falcokit fixture: --filter: ${(e as Error).message}\n`);
    return { ok: false, code: EXIT.usage };
  }
  return { ok: true, filter: predicate, catalog };
}

/** `falcokit fixture`. `write` is the fixture writer (by default @falcokit/evaluator's). */
export async function runFixture(args: FixtureArgs, io: Io, write: FixtureWriter = writeSyscallFixture): Promise<number> {
  if (args.from === undefined) throw new UsageError("fixture needs --from CAPTURE (a .scap file, gzipped or not)");
  if (args.pids.length === 0 && args.filter === undefined) throw new UsageError("fixture needs a selection: --pid N (repeatable) and/or --filter CONDITION");
  const pids: bigint[] = [];
  for (const p of args.pids) {
    if (!/^\d+$/.test(p)) throw new UsageError(`--pid wants a process id, not '${p}'`);
    pids.push(BigInt(p));
  }
  if (args.filter !== undefined && args.filter.trim() === "") throw new UsageError("--filter wants a condition");
  if (args.maxEvents !== undefined && !/^[1-9]\d*$/.test(args.maxEvents)) throw new UsageError(`--max-events wants a positive number, not '${args.maxEvents}'`);
  const path = isAbsolute(args.from) ? args.from : resolve(io.cwd, args.from);
  let head: Uint8Array;
  try {
    head = io.readHead ? io.readHead(path, 16) : io.readFile(path).subarray(0, 16);
  } catch (e) {
    const code = (e as { code?: string }).code;
    io.stderr(`falcokit fixture: cannot read ${args.from} (${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (e as Error).message})\n`);
    return EXIT.usage;
  }
  if (!isGzip(head) && !isScap(head)) {
    io.stderr(`falcokit fixture: ${args.from} is not a .scap capture (gzipped or not)\n`);
    return EXIT.usage;
  }

  let filter: ((ctx: EventContext) => boolean) | undefined;
  let catalog: FieldCatalog | undefined = defaultCatalogs().get("syscall");
  if (args.filter !== undefined) {
    const compiled = compileFilter(args, io);
    if (!compiled.ok) return compiled.code;
    filter = compiled.filter;
    catalog = compiled.catalog ?? catalog;
  } else if (args.rules.length > 0) throw new UsageError("--rules only gives lists and macros to --filter");

  const selection = [
    pids.length > 0 ? `the events of process${pids.length === 1 ? "" : "es"} ${pids.join(", ")}${args.descendants ? " and of the processes forked from them during the capture" : ""}` : "",
    args.filter !== undefined ? `${pids.length > 0 ? "that match" : "the events that match"} ${args.filter.replace(/\s*\n\s*/g, " ")}` : "",
  ]
    .filter((s) => s !== "")
    .join(" ");
  const header = [`A syscall fixture cut from ${args.from} by:`, `  ${commandLine(args)}`, `Selection: ${selection}${args.maxEvents !== undefined ? ` (the first ${args.maxEvents} at most)` : ""}.`];
  let result: Awaited<ReturnType<FixtureWriter>>;
  try {
    result = await write(captureRecords(io, path), {
      pids,
      descendants: args.descendants,
      ...(filter ? { filter } : {}),
      ...(args.maxEvents !== undefined ? { maxEvents: Number(args.maxEvents) } : {}),
      header,
      ...(catalog ? { catalog } : {}),
    });
  } catch (e) {
    if (e instanceof ScapError) {
      io.stderr(`falcokit fixture: ${args.from}: ${e.message}\n`);
      return EXIT.problems;
    }
    if (e instanceof Error && "code" in e && String((e as { code: unknown }).code).startsWith("Z_")) {
      io.stderr(`falcokit fixture: ${args.from}: not a valid gzip stream (${e.message})\n`);
      return EXIT.problems;
    }
    throw e;
  }
  if (result.selected === 0) {
    io.stderr(`falcokit fixture: no event of ${args.from} matches the selection (${selection})\n`);
    return EXIT.problems;
  }

  if (args.out !== undefined) {
    const out = isAbsolute(args.out) ? args.out : resolve(io.cwd, args.out);
    try {
      (io.writeFiles ?? ((files) => writeFilesAtomically(files)))([{ path: out, text: result.text }]);
    } catch (e) {
      io.stderr(`falcokit fixture: cannot write ${args.out} (${(e as Error).message})\n`);
      return EXIT.usage;
    }
  } else io.stdout(result.text);

  const where = args.out ?? "stdout";
  io.stderr(`falcokit fixture: ${result.selected} selected event${result.selected === 1 ? "" : "s"}${result.stateOnly > 0 ? ` and ${result.stateOnly} state_only event${result.stateOnly === 1 ? "" : "s"}` : ""} written to ${where}\n`);
  for (const d of result.dropped) io.stderr(`falcokit fixture: left out: ${d.message}\n`);
  for (const g of result.gaps) io.stderr(`falcokit fixture: ${g.line !== undefined ? `${where}:${g.line}: ` : ""}${g.message}\n`);
  for (const d of result.fieldDifferences) {
    const at = d.example.line > 0 ? `${where}:${d.example.line}: ` : "";
    io.stderr(`falcokit fixture: ${at}${d.field} reads differently on ${d.events} event${d.events === 1 ? "" : "s"} (capture: ${clip(d.example.capture)}, fixture: ${clip(d.example.fixture)})\n`);
  }
  return EXIT.ok;
}
