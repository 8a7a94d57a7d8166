import { nodesOf, type BinaryCheckExpr, type Node } from "@falcokit/condition";
import { conditionSites } from "../items.js";
import type { LintRule } from "../types.js";

/** What a check on `evt.dir` always gives now that only exit events (`<`) remain, if known. */
function constantOf(n: BinaryCheckExpr): boolean | undefined {
  if (n.right.type !== "value") return undefined;
  const v = n.right.value;
  if (v !== "<" && v !== ">") return undefined;
  if (n.op === "=" || n.op === "==") return v === "<";
  if (n.op === "!=") return v === ">";
  return undefined;
}

export const evtDirCheck: LintRule = {
  meta: {
    id: "evt-dir-check",
    category: "deprecation",
    description: "A condition checks `evt.dir`: since libs dropped enter events every event is an exit event, so the check is always true or always false.",
    severity: "warning",
    fixable: true,
    recommended: true,
  },
  messages: {
    alwaysTrue: "'{check}' is always true since libs dropped enter events: remove it",
    alwaysFalse: "'{check}' is always false since libs dropped enter events: this part of the condition never matches",
    check: "evt.dir is deprecated: every event is an exit event since libs dropped enter events",
  },
  defaultOptions: {},
  check(ctx) {
    for (const site of conditionSites(ctx)) {
      const file = ctx.files.find((f) => f.name === site.file)!;
      // The `and` each node is a direct conjunct of.
      const parentAnd = new Map<Node, { children: Node[]; index: number }>();
      for (const n of nodesOf(site.ast)) if (n.type === "and") n.children.forEach((c, index) => parentAnd.set(c, { children: n.children, index }));
      for (const n of nodesOf(site.ast)) {
        if ((n.type !== "binary_check" && n.type !== "unary_check") || n.left.type !== "field" || n.left.name !== "evt.dir") continue;
        const range = site.rangeOf(n);
        const check = file.text.slice(range.start, range.end);
        const constant = n.type === "binary_check" ? constantOf(n) : undefined;
        if (constant === undefined) {
          ctx.report({ messageId: "check", file: site.file, range });
          continue;
        }
        if (!constant) {
          ctx.report({ messageId: "alwaysFalse", data: { check }, file: site.file, range });
          continue;
        }
        // The fix removes a whole conjunct with the `and` that joins it to its neighbour.
        let fix;
        const parent = parentAnd.get(n);
        if (parent) {
          const { children, index } = parent;
          const [from, to] = index > 0 ? [site.rangeOf(children[index - 1]!).end, range.start] : [range.end, site.rangeOf(children[1]!).start];
          const between = file.text.slice(from, to);
          if (from <= to && /^\s*and\s+$/.test(between)) {
            const edit = index > 0 ? { start: from, end: range.end } : { start: range.start, end: to };
            fix = { title: `Remove '${check}'`, edits: [{ range: edit, newText: "" }] };
          }
        }
        ctx.report({ messageId: "alwaysTrue", data: { check }, file: site.file, range, ...(fix ? { fix } : {}) });
      }
    }
  },
};
