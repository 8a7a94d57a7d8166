import { nodesOf, type BinaryCheckExpr, type Expr } from "@falcokit/condition";
import { conditionSites } from "../items.js";
import type { LintRule } from "../types.js";

const EQUALITY = new Set(["=", "=="]);

interface Options {
  /** The number of equality checks on one field from which the rule reports. */
  min: number;
}

/** An `f = v` check with a plain field (no transformer) and a single value. */
const isEquality = (n: Expr): n is BinaryCheckExpr & { right: { type: "value" } } =>
  n.type === "binary_check" && EQUALITY.has(n.op) && n.left.type === "field" && n.right.type === "value";

export const orChainToIn: LintRule<Options> = {
  meta: {
    id: "or-chain-to-in",
    category: "performance",
    description: "Three or more `f = v` checks on the same field joined by `or`: one `f in (...)` check does the same with a single set lookup.",
    severity: "warning",
    fixable: true,
    recommended: true,
  },
  messages: {
    chain: "{count} equality checks on {field} joined by 'or': use '{field} in ({values})'",
  },
  defaultOptions: { min: 3 },
  check(ctx) {
    const lists = ctx.load.collector.lists;
    const min = Math.max(2, ctx.options.min);
    for (const site of conditionSites(ctx)) {
      const text = site.scalar.text;
      for (const n of nodesOf(site.ast)) {
        if (n.type !== "or") continue;
        const groups = new Map<string, (BinaryCheckExpr & { right: { type: "value" } })[]>();
        for (const c of n.children) {
          if (!isEquality(c)) continue;
          const key = text.slice(c.left.range.start, c.left.range.end);
          groups.set(key, [...(groups.get(key) ?? []), c]);
        }
        for (const [field, checks] of groups) {
          if (checks.length < min) continue;
          // A list name as an `=` value is not a list: leave such chains alone.
          if (checks.some((c) => lists.get(c.right.value))) continue;
          const values = checks.map((c) => text.slice(c.right.range.start, c.right.range.end));
          const first = checks[0]!;
          const last = checks[checks.length - 1]!;
          const range = site.rangeOf({ start: first.range.start, end: last.range.end });
          const replacement = `${field} in (${values.join(", ")})`;
          const whole = checks.length === n.children.length;
          // The fix writes condition text back into the YAML scalar: only where it reads the same.
          const style = site.scalar.style;
          const safe = style === "plain" || style === "literal" || style === "folded" || (style === "double-quoted" ? !/["\\]/.test(replacement) : !replacement.includes("'"));
          ctx.report({
            messageId: "chain",
            data: { count: checks.length, field, values: values.join(", ") },
            file: site.file,
            range,
            ...(whole && safe ? { fix: { title: `Replace with '${replacement}'`, edits: [{ range: site.rangeOf(n), newText: replacement }] } } : {}),
          });
        }
      }
    }
  },
};
