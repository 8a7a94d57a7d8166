import { nodesOf } from "@falcokit/condition";
import { conditionSites, listItems } from "../items.js";
import type { LintRule } from "../types.js";

/** The kernel keeps 15 bytes of a process name (TASK_COMM_LEN 16 with the NUL). */
const COMM_MAX = 15;
const NAME_FIELDS = new Set(["proc.name", "proc.pname", "proc.aname", "thread.name"]);
const EQUALITY = new Set(["=", "==", "in"]);

const utf8Length = (s: string) => new TextEncoder().encode(s).length;

export const procNameTooLong: LintRule = {
  meta: {
    id: "proc-name-too-long",
    category: "correctness",
    description: "`proc.name` (and `proc.pname`, `proc.aname`) compared for equality with a name longer than the kernel's 15-byte limit: it can never match.",
    severity: "error",
    fixable: false,
    recommended: true,
  },
  messages: {
    tooLong: "'{value}' is {length} bytes long: {field} holds at most 15 (the kernel truncates it to '{truncated}'), so this never matches",
  },
  defaultOptions: {},
  check(ctx) {
    const lists = ctx.load.collector.lists;
    const report = (value: string, field: string, file: string, range: { start: number; end: number }) => {
      const length = utf8Length(value);
      if (length <= COMM_MAX) return;
      const truncated = new TextDecoder().decode(new TextEncoder().encode(value).subarray(0, COMM_MAX));
      ctx.report({ messageId: "tooLong", data: { value, length, field, truncated }, file, range });
    };
    // Lists compared with a process name, and the field they are compared with.
    const namedLists = new Map<string, string>();
    for (const site of conditionSites(ctx)) {
      for (const n of nodesOf(site.ast)) {
        if (n.type !== "binary_check" || n.left.type !== "field" || !NAME_FIELDS.has(n.left.name) || !EQUALITY.has(n.op)) continue;
        const values = n.right.type === "value" ? [{ value: n.right.value, range: n.right.range }] : n.right.type === "list" ? n.right.values.map((v, i) => ({ value: v, range: n.right.type === "list" ? n.right.valueRanges[i]! : n.range })) : [];
        for (const v of values) {
          // A list name stands for its items: those are checked where the list defines them.
          if (lists.get(v.value)) {
            namedLists.set(v.value, n.left.name);
            continue;
          }
          report(v.value, n.left.name, site.file, site.rangeOf(v.range));
        }
      }
    }
    // Lists nest one level: a list named in a compared list is compared too.
    for (const [name, field] of [...namedLists]) for (const item of lists.get(name)?.items ?? []) if (lists.get(item)) namedLists.set(item, field);
    for (const { file, item } of listItems(ctx)) {
      const field = item.name ? namedLists.get(item.name.value) : undefined;
      if (!field || !item.items) continue;
      for (const entry of item.items.items) {
        if (lists.get(entry.value)) continue;
        // Items are pasted into conditions as written: a quoted item is compared without its quotes.
        const q = /^(["'])(.*)\1$/s.exec(entry.value);
        report(q ? q[2]! : entry.value, field, file, entry.range);
      }
    }
  },
};
