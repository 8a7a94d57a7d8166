/**
 * In-place tag changes: which items of which files carry a selected rule's tags, and the text
 * edits that give every selected rule its new tags. A rule's tags come from its last full
 * definition (or `override: {tags: replace}`) plus the `override: {tags: append}` items after
 * it; tags are added to that base item, and removed or renamed wherever they appear.
 */
import { LineIndex, type TextEdit } from "@falcokit/diagnostics";
import type { LoadResult } from "@falcokit/engine";
import type { RuleItem, RulesFile } from "@falcokit/rules-model";
import { applyTagEdit, editRuleTags, type TagEdit } from "./edit-tags.js";
import type { SelectedRule } from "./select.js";

export interface ItemRef {
  file: string;
  /** 1-based line of the item's start. */
  line: number;
}

export interface RuleTagChange {
  name: string;
  /** Effective tags before and after, in Falco's order (first seen first). */
  before: string[];
  after: string[];
  /** The items whose `tags` the change edits. */
  items: ItemRef[];
}

export interface TagPlan {
  /** One entry per selected rule, changed or not. */
  rules: RuleTagChange[];
  /** The edits, per file (sorted, non-overlapping). */
  edits: Map<string, TextEdit[]>;
}

export class PlanError extends Error {}

/** Line indexes of the parsed files, cached. */
const lineIndexes = new WeakMap<RulesFile, LineIndex>();
/** The 1-based line of an offset of a parsed file. */
function lineOf(file: RulesFile, offset: number): number {
  let index = lineIndexes.get(file);
  if (!index) lineIndexes.set(file, (index = new LineIndex(file.text)));
  return index.positionAt(offset).line + 1;
}

/** Rule items by file, 1-based start line and name. */
function itemIndex(load: LoadResult): (ref: ItemRef, name: string) => { model: RulesFile; item: RuleItem } | undefined {
  const byFile = new Map<string, Map<string, { model: RulesFile; item: RuleItem }>>();
  return (ref, name) => {
    let index = byFile.get(ref.file);
    if (!index) {
      index = new Map();
      const model = load.parsed.get(ref.file);
      if (model) for (const item of model.items) if (item.kind === "rule") index.set(`${lineOf(model, item.range.start)}\0${item.name?.text ?? ""}`, { model, item });
      byFile.set(ref.file, index);
    }
    return index.get(`${ref.line}\0${name}`);
  };
}

/** The items a rule's effective tags come from: the base (definition or replace) first, then the appends. */
export function tagSources(rule: SelectedRule): ItemRef[] {
  const p = rule.info.provenance.filter((x) => x.key === "tags");
  let base = -1;
  p.forEach((x, i) => {
    if (x.op === "define" || x.op === "replace") base = i;
  });
  return p.slice(Math.max(0, base)).map((x) => ({ file: x.file, line: x.line }));
}

/** Plans the edits that apply `edit` to the tags of every rule in `rules`. */
export function planTagEdits(load: LoadResult, rules: readonly SelectedRule[], edit: TagEdit): TagPlan {
  const find = itemIndex(load);
  const perItem = new Map<RuleItem, { model: RulesFile; file: string; edit: TagEdit }>();
  const changes: RuleTagChange[] = [];
  const dropOnly: TagEdit = { add: [], remove: edit.remove, replace: edit.replace };
  for (const rule of rules) {
    const before = [...rule.info.tags];
    const after = applyTagEdit(before, edit);
    const kept = applyTagEdit(before, dropOnly);
    const missing = edit.add.filter((t) => !kept.includes(t));
    const refs = tagSources(rule);
    const items: ItemRef[] = [];
    refs.forEach((ref, i) => {
      const found = find(ref, rule.name);
      if (!found) throw new PlanError(`cannot find the item of rule '${rule.name}' at ${ref.file}:${ref.line}`);
      const itemEdit: TagEdit = { add: i === 0 ? missing : [], remove: edit.remove, replace: edit.replace };
      const prev = perItem.get(found.item);
      perItem.set(found.item, { model: found.model, file: ref.file, edit: prev ? { ...itemEdit, add: [...prev.edit.add, ...itemEdit.add] } : itemEdit });
      items.push(ref);
    });
    changes.push({ name: rule.name, before, after, items });
  }
  const edits = new Map<string, TextEdit[]>();
  for (const [item, { model, file, edit: e }] of perItem) {
    const es = editRuleTags(model, item, e);
    if (es.length === 0) continue;
    const list = edits.get(file);
    if (list) list.push(...es);
    else edits.set(file, es);
  }
  for (const es of edits.values()) es.sort((a, b) => a.range.start - b.range.start);
  return { rules: changes, edits };
}
