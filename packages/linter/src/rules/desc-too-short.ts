import { ruleItems } from "../items.js";
import type { LintRule } from "../types.js";
import { definesRule } from "./maturity-tag-first.js";

export interface DescTooShortOptions {
  /** The fewest words a rule's `desc` may have. */
  minWords: number;
}

export const descTooShort: LintRule<DescTooShortOptions> = {
  meta: {
    id: "desc-too-short",
    category: "style",
    description: "A rule's `desc` has fewer words than `minWords` (default 4): too short to say what the rule detects and why it matters.",
    severity: "info",
    fixable: false,
    recommended: false,
  },
  messages: {
    short: "the desc of rule '{rule}' has {count} word(s), fewer than {min}: say what the rule detects and why it matters",
  },
  defaultOptions: { minWords: 4 },
  check(ctx) {
    const min = ctx.options.minWords;
    for (const { file, item } of ruleItems(ctx)) {
      const desc = item.desc;
      // A definition, or an override that replaces the desc (an appended fragment adds to one).
      if (!desc || !(definesRule(item) || item.override?.ops.get("desc") === "replace")) continue;
      const text = desc.text.trim();
      // An empty desc is left to the schema and desc-sentence; a word has a letter or a digit.
      if (text === "") continue;
      const count = text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
      if (count >= min) continue;
      ctx.report({ messageId: "short", data: { rule: item.name?.text ?? "", count, min }, file, range: desc.range });
    }
  },
};
