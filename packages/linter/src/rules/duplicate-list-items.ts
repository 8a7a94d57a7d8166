import { listItems } from "../items.js";
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
      const seen = new Map<string, number>();
      seq.items.forEach((entry, i) => {
        const first = seen.get(entry.value);
        if (first === undefined) {
          seen.set(entry.value, i);
          return;
        }
        // The removal: in a flow sequence from the end of the previous item; in a block
        // sequence the whole line of the entry.
        let start: number;
        let end: number;
        if (seq.flow) {
          start = seq.items[i - 1]!.range.end;
          end = entry.range.end;
        } else {
          start = text.lastIndexOf("\n", entry.range.start) + 1;
          const nl = text.indexOf("\n", entry.range.end);
          end = nl < 0 ? text.length : nl + 1;
        }
        ctx.report({
          messageId: "duplicate",
          data: { item: entry.value, list: item.name?.value ?? "" },
          file,
          range: entry.range,
          fix: { title: `Remove the second '${entry.value}'`, edits: [{ range: { start, end }, newText: "" }] },
          related: [{ message: "first here", file, range: seq.items[first]!.range }],
        });
      });
    }
  },
};
