import { asString } from "@falcokit/condition";
import type { LintRule } from "../types.js";

export const shadowedRule: LintRule = {
  meta: {
    id: "shadowed-rule",
    category: "correctness",
    description: "An enabled rule with the same compiled condition, source and event types as an earlier one: under `rule_matching: first` it never reports.",
    severity: "warning",
    fixable: false,
    recommended: true,
  },
  messages: {
    shadowed: "rule '{rule}' has the same condition as the earlier rule '{earlier}': with rule_matching first, '{earlier}' always matches first and '{rule}' never reports",
  },
  defaultOptions: {},
  check(ctx) {
    // Compiled rules come in evaluation order (a redefinition keeps its first position).
    const first = new Map<string, (typeof rules)[number]>();
    const rules = ctx.load.compiled?.rules ?? [];
    for (const r of rules) {
      if (!r.info.enabled) continue;
      const set = r.eventSet;
      const key = [r.info.source, set.eventCodes.join(","), set.scCodes.join(","), asString(r.ast)].join("\u0000");
      const earlier = first.get(key);
      if (!earlier) {
        first.set(key, r);
        continue;
      }
      ctx.report({
        messageId: "shadowed",
        data: { rule: r.info.name, earlier: earlier.info.name },
        file: r.info.where.file,
        range: r.info.where.range,
        related: [{ message: `'${earlier.info.name}' has the same condition and matches first`, file: earlier.info.where.file, range: earlier.info.where.range }],
      });
    }
  },
};
