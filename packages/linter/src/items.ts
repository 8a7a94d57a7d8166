/**
 * Helpers for rules: the items of the loaded files with their conditions parsed, and the
 * mapping of a condition node's range back to the file.
 */
import { nodesOf, parseCondition, type Expr, type Node } from "@falcokit/condition";
import type { OffsetRange } from "@falcokit/diagnostics";
import type { ListItem, MacroItem, RuleItem, ScalarValue, SequenceValue } from "@falcokit/rules-model";
import type { RuleContext } from "./types.js";

export interface ConditionSite {
  file: string;
  item: RuleItem | MacroItem;
  /** The item's name, `""` when it has none. */
  name: string;
  scalar: ScalarValue;
  /** The item's own condition (an appended fragment is parsed as the tail of a condition). */
  ast: Expr;
  /** The file range of a node of `ast`. */
  rangeOf(node: Node | OffsetRange): OffsetRange;
}

const cache = new WeakMap<ScalarValue, Expr | null>();

function parseOwn(scalar: ScalarValue, appended: boolean): Expr | null {
  let ast = cache.get(scalar);
  if (ast === undefined) {
    // An appended fragment such as `or proc.name = x` is checked as the tail of a condition.
    const prefix = appended && /^\s*(and|or)\b/.test(scalar.text) ? "evt.num > 0 " : "";
    const r = parseCondition(prefix + scalar.text);
    ast = r.errors.length > 0 || !r.ast ? null : prefix ? shift(r.ast, prefix.length) : r.ast;
    cache.set(scalar, ast);
  }
  return ast;
}

/** The part of a parsed `prefix + text` tree that came from the text, ranges made relative. */
function shift(ast: Expr, by: number): Expr {
  for (const n of nodesOf(ast)) {
    const m = n as { range: OffsetRange };
    m.range = { start: Math.max(0, m.range.start - by), end: Math.max(0, m.range.end - by) };
  }
  return ast;
}

/** Every rule and macro condition of the files that parses. */
export function conditionSites(ctx: RuleContext<unknown>): ConditionSite[] {
  const out: ConditionSite[] = [];
  for (const f of ctx.files) {
    for (const item of f.model.items) {
      if (item.kind !== "rule" && item.kind !== "macro") continue;
      const scalar = item.condition;
      if (!scalar) continue;
      const appended = item.append?.value === true || item.override?.ops.get("condition") === "append";
      const ast = parseOwn(scalar, appended);
      if (!ast) continue;
      out.push({
        file: f.name,
        item,
        name: item.name?.value ?? "",
        scalar,
        ast,
        rangeOf: (n) => scalar.toFileRange("range" in n ? n.range : n),
      });
    }
  }
  return out;
}

/** Every list item of the files, with its file. */
export function listItems(ctx: RuleContext<unknown>): { file: string; item: ListItem }[] {
  return ctx.files.flatMap((f) => f.model.items.filter((i): i is ListItem => i.kind === "list").map((item) => ({ file: f.name, item })));
}

/** Every rule item of the files, with its file. */
export function ruleItems(ctx: RuleContext<unknown>): { file: string; item: RuleItem }[] {
  return ctx.files.flatMap((f) => f.model.items.filter((i): i is RuleItem => i.kind === "rule").map((item) => ({ file: f.name, item })));
}

/** A repeated entry of a sequence, the first one like it, and the edit that removes the repeat. */
export interface RepeatedEntry<T extends { range: OffsetRange } = ScalarValue> {
  entry: T;
  first: T;
  /** In a flow sequence from the end of the previous entry; in a block sequence the whole line. */
  removal: OffsetRange;
}

/** The entries of a sequence of scalars equal (by `key`) to an earlier one. */
export function repeatedEntries<T extends { range: OffsetRange } = ScalarValue>(seq: SequenceValue<T>, text: string, key: (e: T) => string): RepeatedEntry<T>[] {
  const out: RepeatedEntry<T>[] = [];
  const seen = new Map<string, T>();
  seq.items.forEach((entry, i) => {
    const first = seen.get(key(entry));
    if (!first) {
      seen.set(key(entry), entry);
      return;
    }
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
    out.push({ entry, first, removal: { start, end } });
  });
  return out;
}
