import { ruleItems } from "../items.js";
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
      const seen = new Map<string, number>();
      seq.items.forEach((entry, i) => {
        const first = seen.get(entry.text);
        if (first === undefined) {
          seen.set(entry.text, i);
          return;
        }
        // The removal: in a flow sequence from the end of the previous tag; in a block
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
          data: { tag: entry.text, rule: item.name?.value ?? "" },
          file,
          range: entry.range,
          fix: { title: `Remove the second '${entry.text}'`, edits: [{ range: { start, end }, newText: "" }] },
          related: [{ message: "first here", file, range: seq.items[first]!.range }],
        });
      });
    }
  },
};
