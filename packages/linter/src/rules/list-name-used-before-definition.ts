import { listItems } from "../items.js";
import type { LintRule } from "../types.js";

export const listNameUsedBeforeDefinition: LintRule = {
  meta: {
    id: "list-name-used-before-definition",
    category: "correctness",
    description: "A list item that names a list defined only later in load order: Falco keeps it as a literal string.",
    severity: "warning",
    fixable: false,
    recommended: true,
  },
  messages: {
    later: "'{item}' names list {ref}, which is defined after list {list}: Falco keeps '{item}' as a literal string",
  },
  defaultOptions: {},
  check(ctx) {
    const lists = ctx.load.collector.lists;
    for (const { file, item } of listItems(ctx)) {
      const name = item.name?.value;
      const seq = item.items;
      if (name === undefined || !seq) continue;
      const info = lists.get(name);
      if (!info) continue;
      for (const entry of seq.items) {
        const ref = lists.get(entry.value);
        // Falco expands an item naming a list defined before the referencing list's last
        // definition or append (its visibility); a self-reference is not about order.
        if (!ref || ref.name === name || ref.index < info.visibility) continue;
        ctx.report({
          messageId: "later",
          data: { item: entry.value, ref: ref.name, list: name },
          file,
          range: entry.range,
          related: [{ message: `list ${ref.name} is defined here`, file: ref.where.file, range: ref.where.range }],
        });
      }
    }
  },
};
