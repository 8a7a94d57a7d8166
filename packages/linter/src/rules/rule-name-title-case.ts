import { ruleItems } from "../items.js";
import type { LintRule } from "../types.js";
import { definesRule } from "./maturity-tag-first.js";

/** Words Title Case leaves in lower case (articles, conjunctions, short prepositions). */
const SMALL = new Set(["a", "an", "the", "and", "or", "nor", "but", "as", "at", "by", "for", "from", "in", "into", "of", "off", "on", "onto", "over", "per", "to", "up", "via", "vs", "with", "without"]);

export interface RuleNameOptions {
  /** `capitalized` (upstream's style guide today: the name starts with an upper-case letter) or `title` (every word capitalised but small words). */
  style: "capitalized" | "title";
  /** Words allowed in lower case in `title` style (tool names such as `kubectl`). */
  allow: string[];
}

export const ruleNameTitleCase: LintRule<RuleNameOptions> = {
  meta: {
    id: "rule-name-title-case",
    category: "style",
    description: "A rule name starts with an upper-case letter (upstream's style guide) and, with the `title` style, capitalises every word but articles, conjunctions and short prepositions.",
    severity: "warning",
    fixable: false,
    recommended: false,
  },
  messages: {
    capital: "rule name '{rule}' should start with an upper-case letter",
    word: "'{word}' should be capitalised in the rule name (Title Case)",
  },
  defaultOptions: { style: "capitalized", allow: [] },
  check(ctx) {
    const allow = new Set(ctx.options.allow);
    for (const { file, item } of ruleItems(ctx)) {
      const name = item.name;
      if (!name || !definesRule(item)) continue;
      const text = name.text;
      const lead = /^\s*/.exec(text)![0].length;
      if (/^[a-z]/.test(text.slice(lead))) {
        ctx.report({ messageId: "capital", data: { rule: text }, file, range: name.toFileRange({ start: lead, end: text.trimEnd().length }) });
        continue;
      }
      if (ctx.options.style !== "title") continue;
      // Words of letters only: `proc.name`, `/dev/shm`, `x86`, `(CVE-...)` are left as written.
      for (const m of text.matchAll(/(?<=^|[\s(])([a-z][a-z']*)(?=$|[\s),:])/g)) {
        const word = m[1]!;
        if (m.index === lead || SMALL.has(word) || allow.has(word)) continue;
        ctx.report({ messageId: "word", data: { word }, file, range: name.toFileRange({ start: m.index, end: m.index + word.length }) });
      }
    }
  },
};
