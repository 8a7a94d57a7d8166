import { ruleItems } from "../items.js";
import type { LintRule } from "../types.js";
import { definesRule } from "./maturity-tag-first.js";

export const ruleWithoutTags: LintRule = {
  meta: {
    id: "rule-without-tags",
    category: "style",
    description: "A rule definition without tags (or with an empty `tags` list): tag-based selection cannot reach it.",
    severity: "warning",
    fixable: false,
    recommended: false,
  },
  messages: {
    none: "rule '{rule}' has no tags: falco.yaml `rules:` entries and tag filters cannot enable or disable it by tag",
  },
  defaultOptions: {},
  check(ctx) {
    for (const { file, item } of ruleItems(ctx)) {
      if (!definesRule(item)) continue;
      if (item.tags && item.tags.items.length > 0) continue;
      // A later append or override of the same rule may bring the tags.
      const name = item.name?.value ?? "";
      const effective = ctx.load.collector.rules.get(name);
      if (effective && effective.tags.size > 0) continue;
      ctx.report({ messageId: "none", data: { rule: name }, file, range: item.tags?.range ?? item.name?.range ?? item.range });
    }
  },
};
