import { nodesOf, type ListExpr } from "@falcokit/condition";
import { EVENT_TABLE, SC_NAME_LIST } from "@falcokit/fields";
import { conditionSites } from "../items.js";
import type { LintRule } from "../types.js";

/** A value that reads like a list name: snake_case with at least one `_`, no `/` or `.`. */
const LIST_LIKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)+$/;
const LIST_OPS = new Set(["in", "pmatch"]);

/** Optimal string alignment distance (a transposition counts as one edit), capped at `max + 1`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

let known: Set<string> | undefined;
/** Values that are names in their own right: event types and syscalls (`open_by_handle_at`). */
const knownValues = () => (known ??= new Set([...EVENT_TABLE.map((e) => e.name), ...SC_NAME_LIST]));

export const unknownListName: LintRule = {
  meta: {
    id: "unknown-list-name",
    category: "correctness",
    description: "A value in `in (...)` or `pmatch (...)` that looks like a list name but names no list: Falco matches it as a literal string.",
    severity: "warning",
    fixable: false,
    recommended: false,
  },
  messages: {
    typo: "'{value}' names no list (did you mean list {list}?): Falco matches it as a literal string",
    unknown: "'{value}' looks like a list name (like the lists ending in _{suffix}) but no list has that name: Falco matches it as a literal string",
  },
  defaultOptions: {},
  check(ctx) {
    const { lists, macros } = ctx.load.collector;
    const values = knownValues();
    const listNames = lists.items.map((l) => l.name);
    // The last word of list names that several lists share (`binaries`, `files`, `images`...).
    const suffixCount = new Map<string, number>();
    for (const n of listNames) if (n.includes("_")) suffixCount.set(n.slice(n.lastIndexOf("_") + 1), (suffixCount.get(n.slice(n.lastIndexOf("_") + 1)) ?? 0) + 1);
    // A value is a likely list name when it is one or two edits from a list's name, or ends in
    // the word that names what several lists hold; other snake_case values (process names such
    // as `unix_chkpwd`) are left alone.
    const classify = (value: string): { messageId: string; data: Record<string, string> } | undefined => {
      const max = value.length < 8 ? 1 : 2;
      let best: string | undefined;
      let bestD = max + 1;
      for (const n of listNames) {
        const d = distance(value, n, max);
        if (d < bestD) [best, bestD] = [n, d];
      }
      if (best !== undefined) return { messageId: "typo", data: { value, list: best } };
      const suffix = value.slice(value.lastIndexOf("_") + 1);
      if ((suffixCount.get(suffix) ?? 0) >= 2) return { messageId: "unknown", data: { value, suffix } };
      return undefined;
    };
    for (const site of conditionSites(ctx)) {
      for (const node of nodesOf(site.ast)) {
        if (node.type !== "binary_check" || !LIST_OPS.has(node.op.split(" ")[0]!) || node.right.type !== "list") continue;
        const list: ListExpr = node.right;
        list.values.forEach((value, i) => {
          if (!LIST_LIKE.test(value) || lists.get(value) || macros.get(value) || values.has(value)) return;
          const found = classify(value);
          if (found) ctx.report({ ...found, file: site.file, range: site.rangeOf(list.valueRanges[i]!) });
        });
      }
    }
  },
};
