import { nodesOf, parseCondition, type BinaryCheckExpr, type Expr } from "@falcokit/condition";
import { conditionSites } from "../items.js";
import type { LintRule } from "../types.js";

const OPERATORS = new Set(["startswith", "endswith"]);

type Check = BinaryCheckExpr & { left: { type: "field" }; right: { type: "value" } };

/** An `f startswith v` (or `endswith`) check with a plain field and a single value. */
const isAffix = (n: Expr): n is Check => n.type === "binary_check" && OPERATORS.has(n.op) && n.left.type === "field" && n.right.type === "value";

export const startswithChainToAnyof: LintRule = {
  meta: {
    id: "startswith-chain-to-anyof",
    category: "performance",
    description: "An `or` of two or more `startswith` (or `endswith`) checks of one field: one `f startswith anyof (...)` check extracts the field once.",
    severity: "warning",
    fixable: true,
    recommended: false,
  },
  messages: {
    chain: "{count} '{op}' checks on {field} joined by 'or': use '{field} {op} anyof ({values})'",
  },
  defaultOptions: {},
  check(ctx) {
    const lists = ctx.load.collector.lists;
    const syscall = ctx.load.catalogs.get("syscall");
    for (const site of conditionSites(ctx)) {
      const text = site.scalar.text;
      const source = site.item.kind === "rule" ? site.item.source?.text : undefined;
      const catalog = ctx.load.catalogs.get(source || "syscall") ?? syscall;
      for (const n of nodesOf(site.ast)) {
        if (n.type !== "or" || n.children.length < 2 || !n.children.every(isAffix)) continue;
        const checks = n.children as Check[];
        const first = checks[0]!;
        const field = text.slice(first.left.range.start, first.left.range.end);
        if (checks.some((c) => c.op !== first.op || text.slice(c.left.range.start, c.left.range.end) !== field)) continue;
        // A modifier needs a single-valued field; a list name in the list would be expanded.
        if (catalog?.get(first.left.name)?.isList) continue;
        if (checks.some((c) => lists.get(c.right.value))) continue;
        const values = checks.map((c) => text.slice(c.right.range.start, c.right.range.end));
        const replacement = `${field} ${first.op} anyof (${values.join(", ")})`;
        // The fix only where the new check reads back as the same values.
        const parsed = parseCondition(replacement);
        const back = parsed.errors.length === 0 && parsed.ast?.type === "binary_check" && parsed.ast.right.type === "list" ? parsed.ast.right.values : undefined;
        const same = back !== undefined && back.length === checks.length && back.every((v, i) => v === checks[i]!.right.value);
        const style = site.scalar.style;
        const safe = style === "plain" || style === "literal" || style === "folded" || (style === "double-quoted" ? !/["\\]/.test(replacement) : !replacement.includes("'"));
        const range = site.rangeOf(n);
        ctx.report({
          messageId: "chain",
          data: { count: checks.length, op: first.op, field, values: values.join(", ") },
          file: site.file,
          range,
          ...(same && safe ? { fix: { title: `Replace with '${replacement}'`, edits: [{ range, newText: replacement }] } } : {}),
        });
      }
    }
  },
};
