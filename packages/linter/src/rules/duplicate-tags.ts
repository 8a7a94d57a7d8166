import { repeatedEntries, ruleItems } from "../items.js";
import type { LintRule } from "../types.js";

export const duplicateTags: LintRule = {
  meta: {
    id: "duplicate-tags",
    category: "style",
    description: "A rule lists the same tag twice; the second adds nothing.",
    severity: "warning",
    fixable: true,
    recommended: true,
  },
  messages: {
    duplicate: "tag '{tag}' is already in the tags of rule {rule}",
  },
  defaultOptions: {},
  check(ctx) {
    for (const { file, item } of ruleItems(ctx)) {
      const seq = item.tags;
      if (!seq) continue;
      const text = ctx.files.find((f) => f.name === file)!.text;
      for (const { entry, first, removal } of repeatedEntries(seq, text, (e) => e.text)) {
        ctx.report({
          messageId: "duplicate",
          data: { tag: entry.text, rule: item.name?.value ?? "" },
          file,
          range: entry.range,
          fix: { title: `Remove the second '${entry.text}'`, edits: [{ range: removal, newText: "" }] },
          related: [{ message: "first here", file, range: first.range }],
        });
      }
    }
  },
};
