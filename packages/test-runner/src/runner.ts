/**
 * Runs the tests of a test file: loads its rules (once per distinct set of files and options),
 * replays each test's inputs through the rulesets exactly as `falcokit replay` does, checks the
 * expectations, and, for the rules of a failed expectation, evaluates them again on the events
 * of their types to show the explain tree. Pure: the host reads files.
 */
import { conditionParts, FalcoConfigError, loadRules, readFalcoConfig, type ConditionParts, type LoadOptions, type LoadResult } from "@falcokit/engine";
import { Coverage, dnsTable, EvaluatorError, explainRule, type DnsTable, makeAlert, OperatorError, parsePriority, RuleRuntimeError, type Alert, type CoverageReport, type ExplainNode, type Priority } from "@falcokit/evaluator";
import { isGzip } from "@falcokit/scap";
import { forEachEvent, inputKind, Rulesets, type TestEvent } from "./events.js";
import type { FireExpectation, Position, TestCase, TestSuite } from "./test-file.js";

/** What the runner needs from the outside world. */
export interface TestHost {
  /** A file's bytes; throws (with a Node-style `code`) when it cannot. */
  read(path: string): Uint8Array;
  /** Gunzips a gzip capture. */
  gunzip(bytes: Uint8Array): Uint8Array;
  /** Paths for a file, directory (its *.yaml/*.yml, sorted) or glob, relative to `dir`, as Falco's rules_files reads them. */
  expand(dir: string, pattern: string): string[];
  /** `path` relative to `dir` (absolute paths stay). */
  resolve(dir: string, path: string): string;
  dirname(path: string): string;
  /** How a path is shown in reports. */
  display(path: string): string;
}

export interface RunOptions {
  /** Only the tests this accepts run. */
  filter?: (test: TestCase) => boolean;
  /** Explain this rule on every event of its types (or only the events whose `where` contains `where`). */
  explain?: { rule: string; where?: string };
  /** Collect coverage. */
  coverage?: boolean;
  /** Engine options (plugins, catalogs, engine version). */
  load?: LoadOptions;
}

export interface EventAlert extends Alert {
  /** The event that raised it. */
  where: string;
}

export interface ExplainRecord {
  rule: string;
  where: string;
  tree: ExplainNode;
  /** The rule matched, but under `rule_matching: first` an earlier rule reported the event. */
  shadowedBy?: string;
}

export interface Failure {
  message: string;
  at: Position;
  /** The rule the failure is about, and its evaluation on the relevant events. */
  rule?: string;
  explains: ExplainRecord[];
}

export interface TestResult {
  name: string;
  at: Position;
  status: "passed" | "failed";
  failures: Failure[];
  alerts: EventAlert[];
  events: number;
  durationMs: number;
  explains: ExplainRecord[];
}

export interface SuiteResult {
  file: string;
  name: string;
  /** Problems that stop the whole file (its rules do not load, a bad configuration). */
  problems: { where: string; message: string }[];
  tests: TestResult[];
  coverage: { rules: string[]; report: CoverageReport }[];
  durationMs: number;
}

interface Prepared {
  key: string;
  load: LoadResult;
  sets: Rulesets;
  matching: "first" | "all";
  rulesFiles: string[];
  coverage?: Coverage;
  parts: Map<string, ConditionParts | undefined>;
}

/** At most this many explain trees per failure. */
const EXPLAIN_LIMIT = 3;

export function runTestFile(suite: TestSuite, host: TestHost, options: RunOptions = {}): SuiteResult {
  const started = performance.now();
  const dir = host.dirname(suite.file);
  const result: SuiteResult = { file: suite.file, name: suite.name, problems: [], tests: [], coverage: [], durationMs: 0 };
  const loads = new Map<string, Prepared | { error: string }>();
  let configText = "";
  if (suite.config !== undefined) {
    try {
      configText = new TextDecoder().decode(host.read(host.resolve(dir, suite.config)));
    } catch (e) {
      result.problems.push({ where: suite.file, message: `cannot read config ${suite.config}: ${(e as Error).message}` });
      result.durationMs = performance.now() - started;
      return result;
    }
  }

  const prepare = (test: TestCase): Prepared | { error: string } => {
    const patterns = [...suite.rules, ...test.rules];
    const opts = [...suite.options, ...test.options];
    const key = JSON.stringify([patterns, opts, test.ruleMatching ?? suite.ruleMatching]);
    const known = loads.get(key);
    if (known) return known;
    let made: Prepared | { error: string };
    try {
      made = prepareLoad(key, patterns, opts, test.ruleMatching ?? suite.ruleMatching);
    } catch (e) {
      if (!(e instanceof PrepareError)) throw e;
      made = { error: e.message };
    }
    loads.set(key, made);
    return made;
  };

  const prepareLoad = (key: string, patterns: string[], opts: string[], matchingOverride: "first" | "all" | undefined): Prepared => {
    let config;
    try {
      config = readFalcoConfig(configText, opts);
    } catch (e) {
      if (!(e instanceof FalcoConfigError)) throw e;
      throw new PrepareError(`${e.option !== undefined ? `option ${e.option}` : suite.config}: ${e.message}`);
    }
    const files: string[] = [];
    for (const p of patterns) {
      const found = host.expand(dir, p);
      if (found.length === 0) throw new PrepareError(`rules file ${p} not found (relative to ${host.display(dir) || "."})`);
      for (const f of found) if (!files.includes(f)) files.push(f);
    }
    const sources = files.map((f) => {
      try {
        return { name: host.display(f), text: new TextDecoder().decode(host.read(f)) };
      } catch (e) {
        throw new PrepareError(`cannot read rules file ${host.display(f)}: ${(e as Error).message}`);
      }
    });
    const load = loadRules(sources, { ...options.load, ...(config.appendOutput.length > 0 ? { appendOutput: config.appendOutput } : {}) });
    const errors = load.files.flatMap((f) => f.diagnostics.filter((d) => d.severity === "error"));
    if (errors.length > 0 || !load.compiled) {
      const first = errors[0];
      const where = first ? `${first.file}:${lineCol(sources.find((s) => s.name === first.file)?.text ?? "", first.range.start)}` : "";
      throw new PrepareError(`the rules do not load: ${where}: ${first?.message ?? "no rules"}${errors.length > 1 ? ` (and ${errors.length - 1} more errors; falcokit validate shows them all)` : ""}`);
    }
    let dns: DnsTable | undefined;
    if (suite.dns) {
      try {
        dns = dnsTable(suite.dns);
      } catch (e) {
        throw new PrepareError((e as Error).message);
      }
    }
    const priorityText = suite.priority ?? config.priority ?? "debug";
    const minPriority: Priority | undefined = parsePriority(priorityText);
    if (!minPriority) throw new PrepareError(`unknown priority '${priorityText}'`);
    const prepared: Prepared = {
      key,
      load,
      sets: new Rulesets(load, { minPriority, selection: config.rules, ...(dns ? { dns } : {}) }),
      matching: matchingOverride ?? config.ruleMatching ?? "first",
      rulesFiles: sources.map((s) => s.name),
      parts: new Map(),
    };
    if (options.coverage) prepared.coverage = new Coverage(load);
    return prepared;
  };

  for (const test of suite.tests) {
    if (options.filter && !options.filter(test)) continue;
    const t0 = performance.now();
    const prepared = prepare(test);
    const tr: TestResult = { name: test.name, at: test.at, status: "passed", failures: [], alerts: [], events: 0, durationMs: 0, explains: [] };
    result.tests.push(tr);
    if ("error" in prepared) {
      tr.status = "failed";
      tr.failures.push({ message: prepared.error, at: test.at, explains: [] });
      tr.durationMs = performance.now() - t0;
      continue;
    }
    const partsOf = (rule: string) => {
      if (!prepared.parts.has(rule)) prepared.parts.set(rule, conditionParts(prepared.load, rule));
      return prepared.parts.get(rule);
    };
    const explainOn = (rules: ReadonlySet<string>, accept: (e: TestEvent, rule: string) => boolean, sink: (r: ExplainRecord) => void) => (e: TestEvent, alerts: readonly EventAlert[]) => {
      const seen = new Set<string>();
      for (const code of e.codes) {
        for (const r of e.ruleset.candidates(code)) {
          const name = r.rule.info.name;
          if (!rules.has(name) || seen.has(name) || !accept(e, name)) continue;
          seen.add(name);
          const parts = partsOf(name);
          if (!parts) continue;
          const tree = safeExplain(parts, e.fields, e.ctx);
          if (!tree) continue;
          const rec: ExplainRecord = { rule: name, where: e.where, tree };
          if (tree.value && !alerts.some((a) => a.rule === name)) {
            const first = alerts[0];
            if (first) rec.shadowedBy = first.rule;
          }
          sink(rec);
        }
      }
    };

    // The run: alerts of every event, coverage and requested explain trees on the way.
    const hooks: ((e: TestEvent, alerts: readonly EventAlert[]) => void)[] = [];
    if (prepared.coverage) {
      const cov = prepared.coverage;
      hooks.push((e) => {
        const seen = new Set<string>();
        for (const code of e.codes)
          for (const r of e.ruleset.candidates(code)) {
            const name = r.rule.info.name;
            if (seen.has(name)) continue;
            seen.add(name);
            const parts = partsOf(name);
            const tree = parts && safeExplain(parts, e.fields, e.ctx);
            if (tree) cov.add(tree);
          }
      });
    }
    if (options.explain) {
      const want = options.explain;
      hooks.push(explainOn(new Set([want.rule]), (e) => want.where === undefined || e.where.includes(want.where), (r) => tr.explains.push(r)));
    }
    const inputProblems = replay(test, prepared, hooks, tr);
    for (const p of inputProblems) tr.failures.push({ message: `${p.where}: ${p.message}`, at: test.at, explains: [] });

    // Expectations.
    const failures = check(test, tr.alerts, prepared);
    if (failures.length > 0) {
      // Explain each failure's rule on the events of its types (again: contexts do not outlive their event).
      const wanted = new Set(failures.flatMap((f) => (f.rule ? [f.rule] : [])));
      const byRule = new Map<string, ExplainRecord[]>();
      const firedAt = new Map<string, Set<string>>();
      for (const a of tr.alerts) firedAt.set(a.rule, new Set([...(firedAt.get(a.rule) ?? []), a.where]));
      replay(test, prepared, [
        explainOn(
          wanted,
          (e, rule) => {
            const f = failures.find((x) => x.rule === rule)!;
            // For a rule that fired when it should not, the events that fired it; else the events of its types.
            const fired = firedAt.get(rule);
            return f.kind === "unexpected" ? (fired?.has(e.where) ?? false) : true;
          },
          (r) => {
            const list = byRule.get(r.rule) ?? [];
            list.push(r);
            byRule.set(r.rule, list);
          },
        ),
      ]);
      for (const f of failures) {
        const records = f.rule ? (byRule.get(f.rule) ?? []) : [];
        // The closest misses first: the trees with the most true checks.
        const score = (n: ExplainNode): number => (n.kind === "check" && n.value ? 1 : 0) + n.children.reduce((s, c) => s + score(c), 0);
        const chosen = f.kind === "unexpected" ? records.slice(0, EXPLAIN_LIMIT) : [...records].sort((a, b) => score(b.tree) - score(a.tree)).slice(0, EXPLAIN_LIMIT);
        const failure: Failure = { message: f.message, at: f.at, explains: chosen };
        if (f.rule) failure.rule = f.rule;
        if (f.rule && records.length === 0 && f.kind === "missing" && !f.blocked) failure.message += `; no event of the test has one of its event types`;
        tr.failures.push(failure);
      }
    }
    if (tr.failures.length > 0) tr.status = "failed";
    tr.durationMs = performance.now() - t0;
  }

  for (const p of loads.values()) if (!("error" in p) && p.coverage) result.coverage.push({ rules: p.rulesFiles, report: p.coverage.report() });
  result.durationMs = performance.now() - started;
  return result;

  function replay(test: TestCase, prepared: Prepared, hooks: ((e: TestEvent, alerts: readonly EventAlert[]) => void)[], tr?: TestResult) {
    const problems: { where: string; message: string }[] = [];
    for (const input of test.inputs) {
      if (input.kind === "file") {
        const paths = host.expand(dir, input.path);
        if (paths.length === 0) {
          problems.push({ where: `${suite.file}:${input.at.line}:${input.at.column}`, message: `input ${input.path} not found` });
          continue;
        }
        for (const path of paths) {
          const name = host.display(path);
          let bytes: Uint8Array;
          try {
            bytes = host.read(path);
          } catch (e) {
            problems.push({ where: name, message: `cannot read: ${(e as Error).message}` });
            continue;
          }
          let text: string | undefined;
          const decode = () => (text ??= new TextDecoder().decode(bytes));
          const kind = inputKind(path, bytes, decode);
          if (kind === "capture") problems.push(...run(name, kind, isGzip(bytes) ? host.gunzip(bytes) : bytes, ""));
          else problems.push(...run(name, kind, bytes, decode()));
        }
        continue;
      }
      problems.push(...run(host.display(suite.file), input.kind === "events" ? "fixture" : "syscalls", new Uint8Array(), input.text));
    }
    return problems;

    function run(name: string, kind: ReturnType<typeof inputKind>, bytes: Uint8Array, text: string) {
      let at = name;
      const visit = (e: TestEvent) => {
        at = e.where;
        const matched = e.ruleset.runCodes(e.ctx, e.codes, prepared.matching);
        const alerts = matched.map((r) => ({ ...makeAlert(r, e.ctx, e.ts, e.num), where: e.where }));
        if (tr) {
          tr.events++;
          tr.alerts.push(...alerts);
        }
        for (const h of hooks) h(e, alerts);
      };
      try {
        return forEachEvent(name, kind, bytes, text, prepared.sets, visit);
      } catch (e) {
        // Falco stops at an event whose evaluation fails; so does the input here.
        if (e instanceof RuleRuntimeError) return [{ where: at, message: `Falco stops here with a runtime error: ${e.message}` }];
        throw e;
      }
    }
  }
}

class PrepareError extends Error {}

/** The explain tree, or undefined when the rule's evaluation fails on this event (see RuleRuntimeError). */
function safeExplain(parts: ConditionParts, fields: TestEvent["fields"], ctx: unknown): ExplainNode | undefined {
  try {
    return explainRule(parts, fields, ctx);
  } catch (e) {
    if (e instanceof OperatorError || e instanceof EvaluatorError) return undefined;
    throw e;
  }
}

function lineCol(text: string, offset: number): string {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    last = i;
  }
  return `${line}:${offset - last}`;
}

interface PendingFailure {
  kind: "missing" | "unexpected" | "mismatch" | "unknown";
  /** The rule cannot run at all (disabled, below the minimum priority). */
  blocked?: boolean;
  message: string;
  at: Position;
  rule?: string;
}

/** Checks a test's expectations against its alerts. */
function check(test: TestCase, alerts: readonly EventAlert[], prepared: Prepared): PendingFailure[] {
  const out: PendingFailure[] = [];
  const known = new Map(prepared.load.collector.rules.items.map((r) => [r.name, r]));
  const count = (rule: string) => alerts.filter((a) => a.rule === rule).length;
  const where = (rule: string) => {
    const ws = [...new Set(alerts.filter((a) => a.rule === rule).map((a) => a.where))];
    return ws.length > 0 ? ` (at ${ws.slice(0, 5).join(", ")}${ws.length > 5 ? ", ..." : ""})` : "";
  };
  const exists = (rule: string, at: Position) => {
    if (known.has(rule)) return true;
    out.push({ kind: "unknown", message: `no rule named '${rule}' in the loaded rules`, at });
    return false;
  };
  // Why a rule cannot fire at all, when it cannot.
  const blocked = (rule: string): string => {
    const r = prepared.sets.find(rule);
    if (r === undefined) {
      const info = known.get(rule);
      return info && !prepared.load.compiled!.rules.some((c) => c.info.name === rule) ? " (the rule was not compiled)" : "";
    }
    if (r === "below-priority") return " (the rule is less severe than the minimum priority)";
    return r.enabled ? "" : " (the rule is disabled)";
  };
  for (const f of test.expect.fires) {
    if (!exists(f.rule, f)) continue;
    const n = count(f.rule);
    const min = f.count ?? f.min ?? 1;
    const max = f.count ?? f.max ?? Infinity;
    if (n < min || n > max) {
      const want = f.count !== undefined ? `exactly ${f.count}` : f.max !== undefined ? `${min} to ${f.max}` : `at least ${min}`;
      const why = n < min ? blocked(f.rule) : "";
      out.push({ kind: n < min ? "missing" : "unexpected", message: `expected '${f.rule}' to fire ${want} time${want.endsWith(" 1") ? "" : "s"}; it fired ${n} time${n === 1 ? "" : "s"}${where(f.rule)}${why}`, at: f, rule: f.rule, blocked: why !== "" });
      continue;
    }
    const mine = alerts.filter((a) => a.rule === f.rule);
    if (mine.length === 0) continue;
    const problems = (a: EventAlert) => alertMismatches(f, a);
    if (!mine.some((a) => problems(a).length === 0)) {
      const best = [...mine].sort((a, b) => problems(a).length - problems(b).length)[0]!;
      out.push({ kind: "mismatch", message: `'${f.rule}' fired${where(f.rule)}, but no alert is as expected: ${problems(best).join("; ")}\n  output: ${best.output}`, at: f, rule: f.rule });
    }
  }
  for (const d of test.expect.doesNotFire) {
    if (!exists(d.rule, d.at)) continue;
    const n = count(d.rule);
    if (n > 0) out.push({ kind: "unexpected", message: `expected '${d.rule}' not to fire; it fired ${n} time${n === 1 ? "" : "s"}${where(d.rule)}`, at: d.at, rule: d.rule });
  }
  const listed = new Set(test.expect.fires.map((f) => f.rule));
  if (test.expect.nothing || test.expect.only) {
    for (const rule of new Set(alerts.map((a) => a.rule))) {
      if (test.expect.only && listed.has(rule)) continue;
      if (test.expect.doesNotFire.some((d) => d.rule === rule)) continue;
      out.push({ kind: "unexpected", message: `expected ${test.expect.nothing ? "no alert" : "no rule but those listed to fire"}; '${rule}' fired ${count(rule)} time${count(rule) === 1 ? "" : "s"}${where(rule)}`, at: test.at, rule });
    }
  }
  return out;
}

function alertMismatches(f: FireExpectation, a: EventAlert): string[] {
  const out: string[] = [];
  if (f.priority !== undefined) {
    const want = parsePriority(f.priority);
    if (want !== a.priority) out.push(`priority ${a.priority}, not ${f.priority}`);
  }
  for (const s of f.outputContains ?? []) if (!a.output.includes(s)) out.push(`the output lacks '${s}'`);
  if (f.outputMatches !== undefined && !new RegExp(f.outputMatches).test(a.output)) out.push(`the output does not match /${f.outputMatches}/`);
  for (const [k, v] of Object.entries(f.fields ?? {})) {
    const got = a.output_fields[k];
    const text = got === null || got === undefined ? "<NA>" : String(got);
    if (!(k in a.output_fields)) out.push(`the output has no field ${k}`);
    else if (text !== v) out.push(`${k} is '${text}', not '${v}'`);
  }
  return out;
}
