import { asString, parseCondition } from "@falcokit/condition";
import type { OffsetRange } from "@falcokit/diagnostics";
import type { ListItem, MacroItem } from "@falcokit/rules-model";
import type { LintRule } from "../types.js";

/** A macro condition compared by its tree (layout and redundant parentheses aside). */
export function sameCondition(a: string, b: string): boolean {
  if (a.trim() === b.trim()) return true;
  const pa = parseCondition(a);
  const pb = parseCondition(b);
  if (pa.errors.length > 0 || pb.errors.length > 0 || !pa.ast || !pb.ast) return false;
  return asString(pa.ast) === asString(pb.ast);
}

/** List items compared as sets: `in` and `pmatch` care about neither order nor repeats. */
export function sameItems(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

interface Definition {
  file: string;
  range: OffsetRange;
  value: string | string[];
}

export const macroRedefined: LintRule = {
  meta: {
    id: "macro-redefined",
    category: "correctness",
    description: "A macro or list defined again, with a different value, in a later file: the earlier definition is silently replaced everywhere it is used.",
    severity: "warning",
    fixable: false,
    recommended: false,
  },
  messages: {
    redefined: "{kind} '{name}' is defined again with a different {what}: the definition in {previous} is replaced for every rule and macro that uses it",
  },
  defaultOptions: {},
  check(ctx) {
    const firsts = new Map<string, Definition>();
    const lasts = new Map<string, Definition>();
    for (const f of ctx.files) {
      for (const item of f.model.items) {
        if (item.kind !== "macro" && item.kind !== "list") continue;
        const it = item as MacroItem | ListItem;
        const name = it.name?.value;
        if (name === undefined || !it.valid) continue;
        // Only plain definitions: appends and overrides are the documented ways to change an item.
        if (it.append?.value === true || it.override) continue;
        const value = it.kind === "macro" ? (it.condition?.text ?? "") : (it.items?.items ?? []).map((i) => i.text);
        const key = `${it.kind}\u0000${name}`;
        const def: Definition = { file: f.name, range: it.name!.range, value };
        const prev = lasts.get(key);
        lasts.set(key, def);
        if (!prev) {
          firsts.set(key, def);
          continue;
        }
        if (prev.file === f.name) continue;
        const same = typeof value === "string" ? sameCondition(prev.value as string, value) : sameItems(prev.value as string[], value);
        if (same) continue;
        const first = firsts.get(key)!;
        const related = [{ message: "first defined here", file: first.file, range: first.range }];
        if (prev !== first) related.push({ message: "replaced definition", file: prev.file, range: prev.range });
        ctx.report({
          messageId: "redefined",
          data: { kind: it.kind, name, what: it.kind === "macro" ? "condition" : "items", previous: prev.file },
          file: f.name,
          range: it.name!.range,
          related,
        });
      }
    }
  },
};
