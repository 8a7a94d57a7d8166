import { ruleItems } from "../items.js";
import type { LintRule } from "../types.js";

const LIST_OPERATORS = new Set(["in", "intersects", "pmatch"]);
const MODIFIER = /^\S+ (?:oneof|anyof|allof)$/;
/** Values the fix may wrap in `[...]` without changing how YAML or the condition reads them. */
const SIMPLE = /^[A-Za-z0-9_./*+@%=-]+$/;

export const compsInScalar: LintRule = {
  meta: {
    id: "comps-in-scalar",
    category: "correctness",
    description: "An exception tuple gives a single value where its comp (`in`, `pmatch`, `intersects`, a `oneof`-style modifier) takes a list.",
    severity: "warning",
    fixable: true,
    recommended: true,
  },
  messages: {
    scalar: "'{comp}' takes a list, but '{value}' is a single value (and no list of that name exists): Falco pastes it unquoted as '{field} {comp} ({value})'; write [{value}]",
  },
  defaultOptions: {},
  check(ctx) {
    const lists = ctx.load.collector.lists;
    for (const { file, item } of ruleItems(ctx)) {
      for (const ex of item.exceptions?.items ?? []) {
        const { fields, comps, values } = ex;
        if (!fields || fields.kind !== "sequence" || !comps || comps.kind !== "sequence" || !values) continue;
        if (comps.items.length !== fields.items.length) continue;
        for (const tuple of values.items) {
          if (tuple.kind !== "sequence" || tuple.items.length !== fields.items.length) continue;
          tuple.items.forEach((v, k) => {
            const c = comps.items[k]!;
            const f = fields.items[k]!;
            if (v.kind !== "scalar" || c.kind !== "scalar" || f.kind !== "scalar") return;
            const comp = c.text.trim();
            if (!LIST_OPERATORS.has(comp) && !MODIFIER.test(comp)) return;
            const value = v.text.trim();
            // A list name, or a list written out in parentheses, is what the comp expects.
            if (lists.get(value) || value.startsWith("(")) return;
            const report = { messageId: "scalar", data: { comp, value, field: f.text }, file, range: v.range };
            if (SIMPLE.test(value) && (v.style === "plain" || v.style === "single-quoted" || v.style === "double-quoted")) {
              ctx.report({ ...report, fix: { title: `Write '${value}' as a list`, edits: [{ range: v.range, newText: `[${v.raw}]` }] } });
            } else ctx.report(report);
          });
        }
      }
    }
  },
};
