/**
 * The rule tester (`@falcokit/linter/testing`): runs one lint rule over small rules files and
 * compares its reports with the expected ones, positions included; a fixable rule's fixes are
 * applied and the result compared with the expected output and linted again, which must be
 * clean. Framework-neutral: it returns the differences, the caller asserts there are none.
 */
import { LineIndex } from "@falcokit/diagnostics";
import { applyFixes, lint } from "./lint.js";
import type { AnyLintRule } from "./types.js";

/** One file, or several loaded in order (`{name: text}`; the reports are about the last). */
export type CaseFiles = string | Record<string, string>;

export interface ExpectedReport {
  messageId: string;
  /** 1-based, like an editor shows them; `endLine`/`endColumn` exclusive of nothing: the end position. */
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  /** The file, when several are given (default: the last). */
  file?: string;
}

export interface InvalidCase {
  name: string;
  files: CaseFiles;
  errors: ExpectedReport[];
  /** The last file after every fix, for fixable rules. */
  output?: string;
  options?: Record<string, unknown>;
}

export interface ValidCase {
  name: string;
  files: CaseFiles;
  options?: Record<string, unknown>;
}

const asSources = (files: CaseFiles) => (typeof files === "string" ? [{ name: "rules.yaml", text: files }] : Object.entries(files).map(([name, text]) => ({ name, text })));

/** Runs the cases; returns one line per difference (empty when the rule behaves). */
export function testRule(rule: AnyLintRule, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): string[] {
  const failures: string[] = [];
  const run = (files: CaseFiles, options?: Record<string, unknown>) => {
    const sources = asSources(files);
    const r = lint(sources, { rules: [rule], config: { extends: "strict", rules: options ? { [rule.meta.id]: [rule.meta.severity, options] } : {} } });
    return { sources, reports: r.diagnostics.filter((d) => d.code === `lint/${rule.meta.id}`) };
  };
  for (const c of cases.valid) {
    const { reports } = run(c.files, c.options);
    for (const d of reports) failures.push(`valid "${c.name}": unexpected report: ${d.message}`);
  }
  for (const c of cases.invalid) {
    const { sources, reports } = run(c.files, c.options);
    const last = sources[sources.length - 1]!.name;
    const got = reports.map((d) => {
      const text = sources.find((s) => s.name === d.file)!.text;
      const r = new LineIndex(text).range(d.range);
      const messageId = Object.entries(rule.messages).find(([, t]) => new RegExp(`^${t.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{\w+\}/g, "[\\s\\S]*")}$`).test(d.message))?.[0] ?? "?";
      return { messageId, file: d.file ?? last, line: r.start.line + 1, column: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
    });
    if (got.length !== c.errors.length) failures.push(`invalid "${c.name}": ${got.length} reports, expected ${c.errors.length}: ${JSON.stringify(got)}`);
    c.errors.forEach((e, i) => {
      const g = got[i];
      if (!g) return;
      const want = { messageId: e.messageId, file: e.file ?? last, line: e.line, column: e.column, endLine: e.endLine ?? g.endLine, endColumn: e.endColumn ?? g.endColumn };
      if (JSON.stringify(want) !== JSON.stringify(g)) failures.push(`invalid "${c.name}" report ${i + 1}: got ${JSON.stringify(g)}, expected ${JSON.stringify(want)}`);
    });
    if (c.output !== undefined) {
      let fixes = reports.filter((d) => d.file === last && d.fix).map((d) => d.fix!);
      let text = sources[sources.length - 1]!.text;
      // Overlapping fixes wait for another pass, as --fix does.
      for (let pass = 0; pass < 10 && fixes.length > 0; pass++) {
        const r = applyFixes(text, fixes);
        if (r.edits.length === 0) break;
        text = r.text;
        fixes = run(typeof c.files === "string" ? text : { ...c.files, [last]: text }, c.options).reports.filter((d) => d.file === last && d.fix).map((d) => d.fix!);
      }
      if (text !== c.output) failures.push(`invalid "${c.name}": fixed text differs:\n${text}\n--- expected ---\n${c.output}`);
      const relint = run(typeof c.files === "string" ? text : { ...c.files, [last]: text }, c.options).reports;
      if (relint.length > 0) failures.push(`invalid "${c.name}": the fixed text still has ${relint.length} reports: ${relint.map((d) => d.message).join("; ")}`);
    }
  }
  return failures;
}
