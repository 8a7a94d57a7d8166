import { nodesOf } from "@falcokit/condition";
import { conditionSites } from "../items.js";
import type { LintRule } from "../types.js";

/** Fields every event has a value for, in every source (libs' generic `evt` fields). */
const ALWAYS_PRESENT = new Set(["evt.num", "evt.type"]);
/** Unsigned fields that always have a value: `>= 0` holds for them. */
const UNSIGNED_PRESENT = new Set(["evt.num"]);

export const alwaysTrueCheck: LintRule = {
  meta: {
    id: "always-true-check",
    category: "correctness",
    description: "A check that holds for every event (`evt.num >= 0`, `evt.type exists`): it does not restrict the condition.",
    severity: "warning",
    fixable: false,
    recommended: true,
  },
  messages: {
    exists: "'{check}' is always true: every event has a value for {field}",
    unsigned: "'{check}' is always true: {field} is an unsigned number that every event has",
  },
  defaultOptions: {},
  check(ctx) {
    for (const site of conditionSites(ctx)) {
      const text = site.scalar.text;
      for (const n of nodesOf(site.ast)) {
        // Zero-width nodes are the stand-in head of an appended fragment, not the user's text.
        if (n.range.start === n.range.end) continue;
        if (n.type !== "unary_check" && n.type !== "binary_check") continue;
        if (n.left.type !== "field" || n.left.arg !== undefined) continue;
        const field = n.left.name;
        const check = text.slice(n.range.start, n.range.end);
        if (n.type === "unary_check" && ALWAYS_PRESENT.has(field)) {
          ctx.report({ messageId: "exists", data: { check, field }, file: site.file, range: site.rangeOf(n) });
        } else if (n.type === "binary_check" && n.op === ">=" && n.right.type === "value" && /^0+$/.test(n.right.value) && UNSIGNED_PRESENT.has(field)) {
          ctx.report({ messageId: "unsigned", data: { check, field }, file: site.file, range: site.rangeOf(n) });
        }
      }
    }
  },
};
