/** Reporters: a readable text report, JSON, and JUnit XML for CI systems. */
import { formatExplain } from "@falcokit/evaluator";
import type { ExplainRecord, SuiteResult } from "./runner.js";

export interface Totals {
  files: number;
  tests: number;
  passed: number;
  failed: number;
  /** Test files that could not run at all (unreadable, invalid, rules that do not load). */
  broken: number;
  durationMs: number;
}

export function totals(results: readonly SuiteResult[]): Totals {
  const tests = results.flatMap((r) => r.tests);
  return {
    files: results.length,
    tests: tests.length,
    passed: tests.filter((t) => t.status === "passed").length,
    failed: tests.filter((t) => t.status === "failed").length,
    broken: results.filter((r) => r.problems.length > 0).length,
    durationMs: results.reduce((s, r) => s + r.durationMs, 0),
  };
}

const ms = (x: number) => (x < 10 ? `${x.toFixed(1)} ms` : `${Math.round(x)} ms`);

function indent(text: string, by: string): string {
  return text
    .split("\n")
    .map((l) => (l === "" ? l : by + l))
    .join("\n");
}

export function explainText(r: ExplainRecord): string {
  const head = `${r.rule} on ${r.where}: ${r.tree.value ? "matches" : "does not match"}${r.shadowedBy ? ` (but rule_matching: first gave the event to '${r.shadowedBy}', loaded earlier)` : ""}`;
  return `${head}\n${indent(formatExplain(r.tree), "  ")}`;
}

/** The text report: one line per test, failures with their explain trees, and a summary. */
export function prettyReport(results: readonly SuiteResult[], options: { timings?: boolean } = {}): string {
  let out = "";
  for (const r of results) {
    out += `${r.file}${r.name !== r.file ? ` (${r.name})` : ""}\n`;
    for (const p of r.problems) out += `  ✗ ${p.where}: ${p.message}\n`;
    for (const t of r.tests) {
      out += `  ${t.status === "passed" ? "✓" : "✗"} ${t.name}${options.timings ? ` (${ms(t.durationMs)})` : ""}\n`;
      for (const f of t.failures) {
        out += indent(`${r.file}:${f.at.line}:${f.at.column}: ${f.message}`, "      ") + "\n";
        for (const e of f.explains) out += indent(explainText(e), "        ") + "\n";
      }
      for (const e of t.explains) out += indent(explainText(e), "      ") + "\n";
    }
  }
  const s = totals(results);
  out += `\n${s.tests} test${s.tests === 1 ? "" : "s"} in ${s.files} file${s.files === 1 ? "" : "s"}: ${s.passed} passed, ${s.failed} failed${s.broken > 0 ? `, ${s.broken} file${s.broken === 1 ? "" : "s"} could not run` : ""}${options.timings ? ` (${ms(s.durationMs)})` : ""}\n`;
  return out;
}

/** JSON: every suite, test, failure (with explain trees) and alert. */
export function jsonReport(results: readonly SuiteResult[]): string {
  return (
    JSON.stringify(
      {
        totals: totals(results),
        suites: results.map((r) => ({
          file: r.file,
          name: r.name,
          problems: r.problems,
          durationMs: r.durationMs,
          tests: r.tests.map((t) => ({
            name: t.name,
            line: t.at.line,
            status: t.status,
            durationMs: t.durationMs,
            events: t.events,
            failures: t.failures.map((f) => ({ message: f.message, line: f.at.line, column: f.at.column, ...(f.rule ? { rule: f.rule } : {}), explains: f.explains })),
            alerts: t.alerts,
            ...(t.explains.length > 0 ? { explains: t.explains } : {}),
          })),
          ...(r.coverage.length > 0 ? { coverage: r.coverage } : {}),
        })),
      },
      (_, v) => (typeof v === "bigint" ? v.toString() : v),
      2,
    ) + "\n"
  );
}

const xml = (s: string) =>
  s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    // XML 1.0 cannot hold most control characters, even escaped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);

/**
 * JUnit XML as Jenkins' schema defines it (the shape GitLab, GitHub test-report actions and
 * Azure read): one test suite per file, one test case per test (class name: the file), a
 * failure element per failed expectation with the report, an error case for a file that
 * could not run.
 */
export function junitReport(results: readonly SuiteResult[]): string {
  const s = totals(results);
  let out = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="falcokit test" tests="${s.tests + s.broken}" failures="${s.failed}" errors="${s.broken}" time="${(s.durationMs / 1000).toFixed(3)}">\n`;
  for (const r of results) {
    const failed = r.tests.filter((t) => t.status === "failed").length;
    out += `  <testsuite name="${xml(r.name)}" tests="${r.tests.length + (r.problems.length > 0 ? 1 : 0)}" failures="${failed}" errors="${r.problems.length > 0 ? 1 : 0}" time="${(r.durationMs / 1000).toFixed(3)}">\n`;
    if (r.problems.length > 0) {
      out += `    <testcase classname="${xml(r.file)}" name="(load)" time="0">\n      <error message="${xml(r.problems[0]!.message)}">${xml(r.problems.map((p) => `${p.where}: ${p.message}`).join("\n"))}</error>\n    </testcase>\n`;
    }
    for (const t of r.tests) {
      out += `    <testcase classname="${xml(r.file)}" name="${xml(t.name)}" time="${(t.durationMs / 1000).toFixed(3)}"`;
      if (t.status === "passed") {
        out += "/>\n";
        continue;
      }
      out += ">\n";
      for (const f of t.failures) {
        const body = [`${r.file}:${f.at.line}:${f.at.column}: ${f.message}`, ...f.explains.map(explainText)].join("\n");
        out += `      <failure message="${xml(f.message.split("\n")[0]!)}" type="expectation">${xml(body)}</failure>\n`;
      }
      out += "    </testcase>\n";
    }
    out += "  </testsuite>\n";
  }
  return out + "</testsuites>\n";
}
