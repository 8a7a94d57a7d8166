import { ruleItems } from "../items.js";
import type { LintRule } from "../types.js";
import { definesRule } from "./maturity-tag-first.js";

export const outputCapitalized: LintRule = {
  meta: {
    id: "output-capitalized",
    category: "style",
    description: "A rule's `output` starts with an upper-case letter, as upstream's outputs do (a leading `%field` or `key=value` pair is left alone).",
    severity: "warning",
    fixable: false,
    recommended: false,
  },
  messages: {
    capital: "the output of rule '{rule}' should start with an upper-case letter ('{word}')",
  },
  defaultOptions: {},
  check(ctx) {
    for (const { file, item } of ruleItems(ctx)) {
      const output = item.output;
      // A definition, or an override that replaces the whole output (an appended fragment continues a sentence).
      const replaced = item.override?.ops.get("output") === "replace";
      if (!output || !(definesRule(item) || replaced)) continue;
      const text = output.text;
      const lead = /^\s*/.exec(text)![0].length;
      const word = /^\S+/.exec(text.slice(lead))?.[0];
      // Only a lower-case letter is wrong: `%proc.name ...`, `"quoted"`, `[tag]`, digits are left alone,
      // and so is a first word that is a `key=value` pair rather than the start of a sentence.
      if (!word || !/^[a-z]/.test(word) || /[=%]/.test(word)) continue;
      ctx.report({ messageId: "capital", data: { rule: item.name?.text ?? "", word }, file, range: output.toFileRange({ start: lead, end: lead + word.length }) });
    }
  },
};
