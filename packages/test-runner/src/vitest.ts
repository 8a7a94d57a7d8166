/**
 * Rule tests inside a TypeScript suite (vitest, jest, node:test): `expectAlerts` runs one test
 * case, written as in a `*.test.yaml` file, over rules held in memory, and throws with the same
 * report `falcokit test` prints (explain trees included) when an expectation fails.
 *
 *   expectAlerts({
 *     rules: { "rules.yaml": rulesText },
 *     events: [{ "evt.type": "execve", "proc.name": "nc" }],
 *     expect: { fires: ["Netcat started"] },
 *   });
 */
import { stringify } from "yaml";
import { prettyReport } from "./report.js";
import { memoryHost } from "./memory-host.js";
import { runTestFile, type SuiteResult, type TestResult } from "./runner.js";
import { parseTestFile } from "./test-file.js";

export interface AlertsCase {
  /** Rules files by name, loaded in the order given. */
  rules: Readonly<Record<string, string>>;
  /** Input files by name (fixtures, audit JSON, captures as bytes), referred to by `input`. */
  files?: Readonly<Record<string, string | Uint8Array>>;
  input?: string | string[];
  events?: readonly Record<string, unknown>[];
  syscalls?: Record<string, unknown>;
  options?: string[];
  rule_matching?: "first" | "all";
  expect: {
    fires?: (string | Record<string, unknown>)[];
    does_not_fire?: string[];
    nothing?: boolean;
    only?: boolean;
  };
  /** A gunzip for gzip captures (e.g. `(b) => zlib.gunzipSync(b)`). */
  gunzip?: (bytes: Uint8Array) => Uint8Array;
}

export class AlertsAssertionError extends Error {
  constructor(
    message: string,
    readonly result: TestResult,
  ) {
    super(message);
    this.name = "AlertsAssertionError";
  }
}

/** Runs the case; returns its result, or throws an AlertsAssertionError with the report. */
export function expectAlerts(c: AlertsCase): TestResult {
  const test: Record<string, unknown> = { name: "expectAlerts", expect: c.expect };
  if (c.input !== undefined) test.input = c.input;
  if (c.events !== undefined) test.events = c.events;
  if (c.syscalls !== undefined) test.syscalls = c.syscalls;
  if (c.options !== undefined) test.options = c.options;
  if (c.rule_matching !== undefined) test.rule_matching = c.rule_matching;
  const text = stringify({ rules: Object.keys(c.rules), tests: [test] });
  const parsed = parseTestFile(text, "expectAlerts.test.yaml");
  if (!parsed.suite) throw new Error(`expectAlerts: ${parsed.problems.map((p) => p.message).join("; ")}`);
  const result: SuiteResult = runTestFile(parsed.suite, memoryHost({ ...c.files, ...c.rules }, c.gunzip));
  if (result.problems.length > 0) throw new Error(`expectAlerts: ${result.problems.map((p) => p.message).join("; ")}`);
  const t = result.tests[0]!;
  if (t.status === "failed") throw new AlertsAssertionError(prettyReport([result]).replace(/^expectAlerts\.test\.yaml\n/, ""), t);
  return t;
}
