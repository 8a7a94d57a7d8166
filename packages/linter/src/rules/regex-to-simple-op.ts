import { nodesOf } from "@falcokit/condition";
import { conditionSites } from "../items.js";
import type { LintRule } from "../types.js";

const SPECIAL = ".+*?^$()[]{}|\\";

/**
 * The literal a pattern stands for, and where it must sit, under libs' full-match semantics
 * (RE2 with ANCHOR_BOTH): `abc`, `^abc$` are the value; `abc.*` a prefix; `.*abc` a suffix;
 * `.*abc.*` a substring. `undefined` when the pattern is anything else.
 */
export function simplerOperator(pattern: string): { op: "=" | "startswith" | "endswith" | "contains"; literal: string } | undefined {
  let p = pattern;
  if (p.startsWith("^")) p = p.slice(1);
  if (p.endsWith("$") && !p.endsWith("\\$")) p = p.slice(0, -1);
  let anyBefore = false;
  let anyAfter = false;
  if (p.startsWith(".*")) {
    anyBefore = true;
    p = p.slice(2);
  }
  if (p.endsWith(".*") && !/(^|[^\\])(\\\\)*\\\.\*$/.test(p)) {
    anyAfter = true;
    p = p.slice(0, -2);
  }
  let literal = "";
  for (let i = 0; i < p.length; i++) {
    const ch = p[i]!;
    if (ch === "\\") {
      const next = p[i + 1];
      // Only an escaped punctuation character is a literal (`\d`, `\b`, `\x41`... are not).
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return undefined;
      literal += next;
      i++;
      continue;
    }
    if (SPECIAL.includes(ch) || ch === "\0") return undefined;
    literal += ch;
  }
  if (literal === "") return undefined;
  const op = anyBefore ? (anyAfter ? "contains" : "endswith") : anyAfter ? "startswith" : "=";
  return { op, literal };
}

export const regexToSimpleOp: LintRule = {
  meta: {
    id: "regex-to-simple-op",
    category: "performance",
    description: "A `regex` check whose pattern is a plain string, prefix, suffix or substring: `=`, `startswith`, `endswith` or `contains` does the same without running a regular expression.",
    severity: "warning",
    fixable: false,
    recommended: true,
  },
  messages: {
    simpler: "regex '{pattern}' matches {what}: use '{op} {literal}'",
  },
  defaultOptions: {},
  check(ctx) {
    const WHAT = { "=": "exactly one string", startswith: "a prefix", endswith: "a suffix", contains: "a substring" } as const;
    for (const site of conditionSites(ctx)) {
      for (const n of nodesOf(site.ast)) {
        if (n.type !== "binary_check" || n.op !== "regex" || n.right.type !== "value") continue;
        const s = simplerOperator(n.right.value);
        if (!s) continue;
        const literal = /^[^\s"'(),]+$/.test(s.literal) ? s.literal : `"${s.literal.replace(/["\\]/g, "\\$&")}"`;
        ctx.report({ messageId: "simpler", data: { pattern: n.right.value, what: WHAT[s.op], op: s.op, literal }, file: site.file, range: site.rangeOf(n) });
      }
    }
  },
};
