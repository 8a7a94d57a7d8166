import { ruleItems } from "../items.js";
import type { LintRule } from "../types.js";

export const descSentence: LintRule = {
  meta: {
    id: "desc-sentence",
    category: "style",
    description: "A rule's `desc` is one or more sentences: it starts with a capital letter and ends with a period (upstream's style guide).",
    severity: "warning",
    fixable: false,
    recommended: false,
  },
  messages: {
    capital: "desc should start with a capital letter",
    period: "desc should end with a period",
  },
  defaultOptions: {},
  check(ctx) {
    for (const { file, item } of ruleItems(ctx)) {
      const desc = item.desc;
      if (!desc) continue;
      const text = desc.text.trim();
      if (text === "") continue;
      if (/^[a-z]/.test(text)) ctx.report({ messageId: "capital", file, range: desc.range });
      if (!/[.!?]["')\]]?$/.test(text)) ctx.report({ messageId: "period", file, range: desc.range });
    }
  },
};
