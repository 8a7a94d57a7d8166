import { listItems, repeatedEntries } from "../items.js";
import type { LintRule } from "../types.js";

export const duplicateListItems: LintRule = {
  meta: {
    id: "duplicate-list-items",
    category: "correctness",
    description: "A list names the same item twice; the second adds nothing (and often hides a typo).",
    severity: "warning",
    fixable: true,
    recommended: true,
  },
  messages: {
    duplicate: "'{item}' is already in list {list}",
  },
  defaultOptions: {},
  check(ctx) {
    for (const { file, item } of listItems(ctx)) {
      const seq = item.items;
      if (!seq) continue;
      const text = ctx.files.find((f) => f.name === file)!.text;
      for (const { entry, first, removal } of repeatedEntries(seq, text, (e) => e.value)) {
        ctx.report({
          messageId: "duplicate",
          data: { item: entry.value, list: item.name?.value ?? "" },
          file,
          range: entry.range,
          fix: { title: `Remove the second '${entry.value}'`, edits: [{ range: removal, newText: "" }] },
          related: [{ message: "first here", file, range: first.range }],
        });
      }
    }
  },
};
