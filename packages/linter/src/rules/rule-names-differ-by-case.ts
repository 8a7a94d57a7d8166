import { ruleItems } from "../items.js";
import type { LintRule } from "../types.js";

/** A rule name with letter case and whitespace differences removed. */
const normalized = (name: string) => name.toLowerCase().replace(/\s+/g, " ").trim();

export const ruleNamesDifferByCase: LintRule = {
  meta: {
    id: "rule-names-differ-by-case",
    category: "correctness",
    description: "Two rules whose names differ only by letter case or whitespace: Falco keeps them as two rules.",
    severity: "warning",
    fixable: false,
    recommended: true,
  },
  messages: {
    differ: "rule '{name}' differs from rule '{other}' only by {what}: Falco treats them as two rules",
  },
  defaultOptions: {},
  check(ctx) {
    // The first name (in load order) of each normalized name, and the names already reported.
    const first = new Map<string, { name: string; file: string; range: { start: number; end: number } }>();
    const reported = new Set<string>();
    for (const { file, item } of ruleItems(ctx)) {
      const scalar = item.name;
      if (!scalar) continue;
      const name = scalar.value;
      const key = normalized(name);
      const prev = first.get(key);
      if (!prev) {
        first.set(key, { name, file, range: scalar.range });
        continue;
      }
      if (prev.name === name || reported.has(name)) continue;
      reported.add(name);
      const what = name.replace(/\s+/g, " ").trim() === prev.name.replace(/\s+/g, " ").trim() ? "letter case" : name.toLowerCase() === prev.name.toLowerCase() ? "whitespace" : "letter case and whitespace";
      ctx.report({
        messageId: "differ",
        data: { name, other: prev.name, what },
        file,
        range: scalar.range,
        related: [{ message: `rule '${prev.name}' is defined here`, file: prev.file, range: prev.range }],
      });
    }
  },
};
