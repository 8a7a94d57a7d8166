import { nodesOf, type Expr } from "@falcokit/condition";
import { conditionSites } from "../items.js";
import type { LintRule } from "../types.js";

const EXPENSIVE_OPERATORS = new Set(["regex", "glob", "iglob", "pmatch"]);
const CHEAP_OPERATORS = new Set(["=", "==", "!=", "in"]);
const EVT_TYPE_FIELDS = new Set(["evt.type", "syscall.type"]);

/** The operator without its modifier (`glob anyof` is `glob`). */
const baseOp = (op: string) => op.split(" ")[0]!;

/** Why a check is slow to evaluate, or `undefined` when it is not. */
function expensive(n: Expr): string | undefined {
  if (n.type === "not") return expensive(n.child);
  if (n.type !== "binary_check" && n.type !== "unary_check") return undefined;
  if (n.left.type === "field_transformer") return `the transformer '${n.left.transformer}'`;
  if (n.type === "binary_check" && n.right.type === "field_transformer") return `the transformer '${n.right.transformer}'`;
  if (n.type === "binary_check" && EXPENSIVE_OPERATORS.has(baseOp(n.op))) return `the operator '${baseOp(n.op)}'`;
  return undefined;
}

/** Whether a check is an `evt.type` check or an equality (set lookup) of a plain field with constants. */
function cheap(n: Expr): boolean {
  if (n.type === "not") return cheap(n.child);
  if (n.type !== "binary_check" || n.left.type !== "field") return false;
  if (n.right.type !== "value" && n.right.type !== "list") return false;
  return EVT_TYPE_FIELDS.has(n.left.name) || CHEAP_OPERATORS.has(n.op);
}

export const expensiveCheckFirst: LintRule = {
  meta: {
    id: "expensive-check-first",
    category: "performance",
    description: "In an `and`, a `regex`, `glob`, `iglob`, `pmatch` or transformer check placed before an `evt.type` check or a plain equality of the same `and`.",
    severity: "info",
    fixable: false,
    recommended: false,
  },
  messages: {
    order: "this check uses {why}, which is slow, and comes before the cheap check '{cheap}' of the same 'and': Falco evaluates left to right and stops at the first false operand, so put the cheap check first",
  },
  defaultOptions: {},
  check(ctx) {
    for (const site of conditionSites(ctx)) {
      const text = site.scalar.text;
      for (const n of nodesOf(site.ast)) {
        if (n.type !== "and") continue;
        n.children.forEach((c, i) => {
          const why = expensive(c);
          if (!why) return;
          const later = n.children.slice(i + 1).find(cheap);
          if (!later) return;
          ctx.report({
            messageId: "order",
            data: { why, cheap: text.slice(later.range.start, later.range.end) },
            file: site.file,
            range: site.rangeOf(c),
            related: [{ message: "cheap check", file: site.file, range: site.rangeOf(later) }],
          });
        });
      }
    }
  },
};
