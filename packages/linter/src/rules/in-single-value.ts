import { nodesOf } from "@falcokit/condition";
import { conditionSites } from "../items.js";
import type { LintRule } from "../types.js";

export const inSingleValue: LintRule = {
  meta: {
    id: "in-single-value",
    category: "style",
    description: "An `in` check with a single literal value, `f in (x)`: `f = x` says the same more plainly.",
    severity: "info",
    fixable: true,
    recommended: false,
  },
  messages: {
    single: "'in' with the single value {value}: use '{field} = {value}'",
  },
  defaultOptions: {},
  check(ctx) {
    const lists = ctx.load.collector.lists;
    const syscall = ctx.load.catalogs.get("syscall");
    for (const site of conditionSites(ctx)) {
      const catalog = (site.item.kind === "rule" && site.item.source?.text && ctx.load.catalogs.get(site.item.source.text)) || syscall;
      const text = site.scalar.text;
      for (const n of nodesOf(site.ast)) {
        if (n.type !== "binary_check" || n.op !== "in" || n.left.type !== "field" || n.right.type !== "list") continue;
        const right = n.right;
        if (right.values.length !== 1) continue;
        // `(name)` of a list is the list's items, however many there are.
        if (lists.get(right.values[0]!)) continue;
        // `=` needs a field of one value (`in` on a list field is "any of"); skip fields the catalog does not know.
        const m = catalog?.lookup(n.left.name, n.left.arg);
        if (!m?.ok || m.isList) continue;
        const vr = right.valueRanges[0]!;
        const field = text.slice(n.left.range.start, n.left.range.end);
        const value = text.slice(vr.start, vr.end);
        // Remove `in (` and `)`, keeping the value as written; a space stays where `)` touched the next word.
        const after = text[right.range.end];
        const gap = after === undefined || /[\s)]/.test(after) ? "" : " ";
        ctx.report({
          messageId: "single",
          data: { field, value },
          file: site.file,
          range: site.rangeOf(n),
          fix: {
            title: `Replace with '${field} = ${value}'`,
            edits: [
              { range: site.rangeOf({ start: n.opRange.start, end: vr.start }), newText: "= " },
              { range: site.rangeOf({ start: vr.end, end: right.range.end }), newText: gap },
            ],
          },
        });
      }
    }
  },
};
