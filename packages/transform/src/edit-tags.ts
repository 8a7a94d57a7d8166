/**
 * Format-preserving tag edits: the text edits that give one rule item the tags a {@link TagEdit}
 * asks for, touching nothing but the `tags` value (or inserting a `tags` entry), so that every
 * other byte of the file (comments, quoting, indentation, blank lines, key order, line
 * endings) stays as it was.
 */
import type { OffsetRange, TextEdit } from "@falcokit/diagnostics";
import { isNullString, type MapEntry, type RuleItem, type RulesFile, type ScalarValue } from "@falcokit/rules-model";
import { isAlias, isMap, isPair, isScalar, isSeq, type Node as YamlNode, type Scalar, type YAMLSeq } from "yaml";
import { formatScalar, type QuoteStyle, type ScalarContext } from "./yaml-scalar.js";

export interface TagEdit {
  /** Tags to add at the end, in order, when not already present (after removals/replacements). */
  add: readonly string[];
  /** Tags whose entries are removed (every occurrence). */
  remove: readonly string[];
  /**
   * old -> new: entries equal to old are rewritten to new in place (if new is already present
   * elsewhere in the item, the old entry is removed instead, so no duplicate appears).
   */
  replace: ReadonlyMap<string, string>;
}

// ---------------------------------------------------------------------------------------------
// The tag arithmetic, shared by applyTagEdit and editRuleTags.

/** What happens to one existing tag. */
type Fate = { readonly kind: "keep" } | { readonly kind: "drop" } | { readonly kind: "rewrite"; readonly value: string };

interface TagPlan {
  /** One fate per input tag. */
  readonly fates: readonly Fate[];
  /** Tags appended at the end, in order. */
  readonly added: readonly string[];
  /** The tags after the edit. */
  readonly result: readonly string[];
  readonly changed: boolean;
}

const KEEP: Fate = { kind: "keep" };
const DROP: Fate = { kind: "drop" };

/**
 * Follows `replace` from a tag to the end of its chain (`a -> b`, `b -> c` takes `a` to `c`), so
 * that the result of an edit is stable under the same edit. A tag on a cycle (`a -> b`,
 * `b -> a`, or `a -> a`) maps to itself; a tag leading into a cycle maps to where it enters it.
 */
function replacementOf(replace: ReadonlyMap<string, string>): (tag: string) => string {
  if (replace.size === 0) return (tag) => tag;
  return (tag) => {
    const seen = new Set<string>([tag]);
    for (let current = tag; ; ) {
      const next = replace.get(current);
      if (next === undefined) return current;
      if (seen.has(next)) return next;
      seen.add(next);
      current = next;
    }
  };
}

function planTags(tags: readonly string[], edit: TagEdit): TagPlan {
  const removed = new Set(edit.remove);
  const resolve = replacementOf(edit.replace);
  const finals = tags.map((t) => (removed.has(t) ? undefined : resolve(t)));
  // Entries the edit leaves as they are: a rewrite to one of these is a duplicate, wherever it is.
  const unchanged = new Set<string>();
  tags.forEach((t, i) => {
    if (finals[i] === t) unchanged.add(t);
  });
  const fates: Fate[] = [];
  const result: string[] = [];
  const present = new Set<string>();
  let changed = false;
  tags.forEach((t, i) => {
    const next = finals[i];
    if (next === t) {
      fates.push(KEEP);
      result.push(t);
      present.add(t);
    } else if (next === undefined || removed.has(next) || unchanged.has(next) || present.has(next)) {
      fates.push(DROP);
      changed = true;
    } else {
      fates.push({ kind: "rewrite", value: next });
      result.push(next);
      present.add(next);
      changed = true;
    }
  });
  const added: string[] = [];
  for (const tag of edit.add) {
    if (removed.has(tag)) continue;
    const next = resolve(tag);
    if (removed.has(next) || present.has(next)) continue;
    added.push(next);
    result.push(next);
    present.add(next);
    changed = true;
  }
  return { fates, added, result, changed };
}

/**
 * The tags an item would have after the edit, from its current tags (helper for callers and
 * tests).
 *
 * Entries named in `remove` go; the others are rewritten through `replace` (following chains, so
 * `a -> b, b -> c` gives `c`; a cycle leaves its tags alone); a rewrite that would duplicate a tag
 * present elsewhere, or give a removed tag, drops the entry instead. Then each tag of `add`
 * (through `replace` as well) is appended unless it is present or removed. Tags the edit does
 * not name keep their place, duplicates included. The result is stable: applying the same edit
 * again changes nothing.
 */
export function applyTagEdit(tags: readonly string[], edit: TagEdit): string[] {
  return [...planTags(tags, edit).result];
}

// ---------------------------------------------------------------------------------------------
// Per-file facts, computed once per RulesFile.

interface FileFacts {
  /** The file's dominant line ending. */
  readonly eol: string;
  /** Whether a new `tags` entry is written as a flow list (`tags: [a, b]`). */
  readonly flow: boolean;
  /** For block lists: the columns from `tags` to the `-` of its entries. */
  readonly blockOffset: number;
}

const factsCache = new WeakMap<RulesFile, FileFacts>();

function fileFacts(file: RulesFile): FileFacts {
  let facts = factsCache.get(file);
  if (facts) return facts;
  const text = file.text;
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  let flow = 0;
  let block = 0;
  const offsets = new Map<number, number>();
  for (const item of file.items) {
    if (item.kind !== "rule" || !item.tags) continue;
    if (item.tags.flow) {
      flow++;
      continue;
    }
    block++;
    const keyStart = item.tags.keyRange?.start;
    // (A list reached through an alias sits elsewhere: its indentation says nothing here.)
    if (keyStart === undefined || item.tags.range.start < keyStart) continue;
    const offset = columnOf(text, item.tags.range.start) - columnOf(text, keyStart);
    if (offset >= 0) offsets.set(offset, (offsets.get(offset) ?? 0) + 1);
  }
  let blockOffset = 2;
  let best = 0;
  for (const [offset, count] of offsets) {
    if (count > best) [blockOffset, best] = [offset, count];
  }
  facts = { eol: crlf > lf ? "\r\n" : "\n", flow: block <= flow, blockOffset };
  factsCache.set(file, facts);
  return facts;
}

// ---------------------------------------------------------------------------------------------
// Text helpers. All of them look at one line at most, never at the whole file.

/** The offset where the line holding `pos` starts (after a byte order mark on the first line). */
function lineStartOf(text: string, pos: number): number {
  let i = pos;
  while (i > 0 && text.charCodeAt(i - 1) !== 10) i--;
  if (i === 0 && pos > 0 && text.charCodeAt(0) === 0xfeff) return 1;
  return i;
}

function columnOf(text: string, pos: number): number {
  return pos - lineStartOf(text, pos);
}

/**
 * The start of the line after the content ending at `end` (past what remains of its line: blanks
 * and a comment), or the end of the text. A content that ends with its line break (a block
 * scalar) is already there.
 */
function nextLineStart(text: string, end: number): number {
  if (end > 0 && text.charCodeAt(end - 1) === 10) return end;
  const nl = text.indexOf("\n", end);
  return nl < 0 ? text.length : nl + 1;
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/** The offset of the `,` that follows `pos` across blanks, line breaks and comments, or -1. */
function commaAfter(text: string, pos: number): number {
  let i = pos;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) i++;
    else if (c === 35 /* # */) {
      const nl = text.indexOf("\n", i);
      i = nl < 0 ? text.length : nl;
    } else return c === 44 /* , */ ? i : -1;
  }
  return -1;
}

/** The `:` after a key, across blanks on the same line, or -1 when the key has none. */
function colonAfter(text: string, keyEnd: number): number {
  let i = keyEnd;
  while (i < text.length && isBlank(text.charCodeAt(i))) i++;
  return text.charCodeAt(i) === 58 /* : */ ? i : -1;
}

/** Past the anchor and tag that may follow `pos` on its line (`: &a !t`), before any comment. */
function pastProperties(text: string, pos: number): number {
  let end = pos;
  let i = pos;
  for (;;) {
    while (i < text.length && isBlank(text.charCodeAt(i))) i++;
    const c = text.charCodeAt(i);
    if (c !== 38 /* & */ && c !== 33 /* ! */) return end;
    while (i < text.length && !isSpace(text.charCodeAt(i))) i++;
    end = i;
  }
}

const FLOW_GAP = /^[ \t]*,[ \t]*(?:\r?\n[ \t]*)?$/;

/**
 * The separator a flow collection uses between entries (`, `, `,`, `,\n    `...), taken from the
 * gaps between its entries: the last one on a single line, else the last one across a line
 * break. Gaps holding comments are not used. With no such gap, a collection whose first entry
 * is on a line of its own (`[\n  a\n]`) gets one entry a line, any other `, `.
 */
function flowSeparator(text: string, open: number, spans: readonly { start: number; end: number }[]): string {
  let multiLine: string | undefined;
  for (let k = spans.length - 1; k > 0; k--) {
    const gap = text.slice(spans[k - 1]!.end, spans[k]!.start);
    if (!FLOW_GAP.test(gap)) continue;
    if (!gap.includes("\n")) return gap;
    multiLine ??= gap;
  }
  if (multiLine !== undefined) return multiLine;
  const lead = spans.length > 0 ? text.slice(open + 1, spans[0]!.start) : "";
  const lineBreak = lead.lastIndexOf("\n");
  if (lineBreak >= 0 && /^\s*$/.test(lead)) {
    const cr = lineBreak > 0 && lead[lineBreak - 1] === "\r" ? "\r" : "";
    return `,${cr}${lead.slice(lineBreak)}`;
  }
  return ", ";
}

// ---------------------------------------------------------------------------------------------
// The YAML structure around the tags.

/** The minimal view of the `yaml` package's CST tokens that we read. */
interface CstToken {
  readonly type: string;
  readonly offset: number;
}
interface CstItem {
  readonly start: readonly CstToken[];
  readonly key?: CstToken | null;
  readonly value?: CstToken | null;
}

/** One element of the tags sequence, with where it sits in the text. */
interface Entry {
  /** Start of the element including its anchor and tag. */
  readonly start: number;
  /** Start and end of the element's value. */
  readonly valueStart: number;
  readonly valueEnd: number;
  /** The `-` of a block sequence element (-1 in a flow sequence). */
  readonly dash: number;
  /** The tag it holds, when it is one (a non-null scalar, or an alias of one). */
  readonly tag: string | undefined;
  /** Its quoting, for plain-written and quoted scalars (not aliases). */
  readonly style: QuoteStyle | undefined;
  /** A literal or folded block scalar. */
  readonly blockScalar: boolean;
}

const QUOTE_OF: Readonly<Record<ScalarValue["style"], QuoteStyle>> = {
  plain: "plain",
  "single-quoted": "single",
  "double-quoted": "double",
  literal: "plain",
  folded: "plain",
};

function nodeRange(node: unknown): readonly [number, number] | undefined {
  if (typeof node !== "object" || node === null) return undefined;
  const range = (node as { range?: readonly number[] }).range;
  if (range) return [range[0]!, range[1]!];
  // A pair written in a flow sequence (`[a: b]`) has no range of its own.
  if (!isPair(node)) return undefined;
  const k = nodeRange(node.key);
  const v = nodeRange(node.value);
  return k && v ? [k[0], v[1]] : (k ?? v);
}

/**
 * Where the content of a value ends. The range of a block collection runs over the comment
 * lines that follow its last element when they are indented like that element's content; its
 * last scalar (or flow collection) does not.
 */
function contentEnd(node: unknown, fallback: number): number {
  if (isPair(node)) {
    const keyEnd = nodeRange(node.key)?.[1] ?? fallback;
    return node.value == null ? keyEnd : contentEnd(node.value, keyEnd);
  }
  if ((isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0) {
    return contentEnd(node.items[node.items.length - 1], nodeRange(node)?.[1] ?? fallback);
  }
  const range = nodeRange(node);
  return range && range[1] > range[0] ? range[1] : fallback;
}

/** The elements of the tags sequence, matched with the tags the rules model read from them. */
function sequenceEntries(file: RulesFile, item: RuleItem, seq: YAMLSeq.Parsed, tags: readonly ScalarValue[]): Entry[] | undefined {
  const doc = file.documents[item.docIndex]?.document;
  const cst = (seq as { srcToken?: { items?: readonly CstItem[] } }).srcToken?.items ?? [];
  // Elements in the CST (a trailing comma of a flow sequence is an item with no content).
  const cstItems = seq.flow ? cst.filter((c) => c.value || c.key) : cst.filter((c) => c.start.some((t) => t.type === "seq-item-ind"));
  const aligned = cstItems.length === seq.items.length;
  const entries: Entry[] = [];
  let next = 0;
  for (let k = 0; k < seq.items.length; k++) {
    const node = seq.items[k] as unknown;
    const range = nodeRange(node);
    if (!range) return undefined;
    const [valueStart, valueEnd] = range;
    let start = valueStart;
    let dash = -1;
    if (aligned) {
      for (const t of cstItems[k]!.start) {
        if ((t.type === "anchor" || t.type === "tag") && t.offset < start) start = t.offset;
        if (t.type === "seq-item-ind") dash = t.offset;
      }
    }
    if (dash < 0 && !seq.flow) {
      // Without the CST, the `-` is taken to be the first one on the element's line.
      const lineStart = lineStartOf(file.text, valueStart);
      const found = file.text.slice(lineStart, valueStart).indexOf("-");
      dash = found >= 0 ? lineStart + found : lineStart;
    }
    let tag: string | undefined;
    let style: QuoteStyle | undefined;
    let blockScalar = false;
    const expected = tags[next];
    if (expected && isScalar(node) && node === expected.node) {
      tag = expected.text;
      style = QUOTE_OF[expected.style];
      blockScalar = expected.style === "literal" || expected.style === "folded";
      next++;
    } else if (expected && isAlias(node) && doc) {
      let target: unknown;
      try {
        target = node.resolve(doc);
      } catch {
        target = undefined;
      }
      if (target === expected.node) {
        tag = expected.text;
        next++;
      }
    }
    entries.push({ start, valueStart, valueEnd, dash, tag, style, blockScalar });
  }
  // Every tag the model read must have been found, or the edits would not give its result.
  return next === tags.length ? entries : undefined;
}

/** How the entries of a list are quoted, for the entries we write into it. */
interface ListQuoting {
  /** For added entries. */
  readonly added: QuoteStyle;
  /** For values that cannot be plain. */
  readonly fallback: "single" | "double";
}

const DEFAULT_QUOTING: ListQuoting = { added: "plain", fallback: "double" };

/**
 * Added entries follow the list: quoted (in its most used quote style) when most of its entries
 * are quoted, else plain when that is safe. Values that need quotes take the list's quote style,
 * double quotes when it has none.
 */
function listQuoting(styles: readonly (QuoteStyle | undefined)[]): ListQuoting {
  let plain = 0;
  let single = 0;
  let double = 0;
  for (const s of styles) {
    if (s === "plain") plain++;
    else if (s === "single") single++;
    else if (s === "double") double++;
  }
  const fallback = single > double ? "single" : "double";
  return { added: single + double > plain ? fallback : "plain", fallback };
}

// ---------------------------------------------------------------------------------------------
// Building the edits.

class EditList {
  private readonly edits: TextEdit[] = [];

  replace(start: number, end: number, newText: string): void {
    if (start === end && newText === "") return;
    this.edits.push({ range: { start, end }, newText });
  }

  insert(at: number, newText: string): void {
    this.replace(at, at, newText);
  }

  /** Sorted, with edits that touch merged into one (so no two edits share an offset). */
  done(): TextEdit[] {
    const sorted = this.edits
      .map((e, i) => ({ e, i }))
      .sort((a, b) => a.e.range.start - b.e.range.start || a.e.range.end - b.e.range.end || a.i - b.i)
      .map(({ e }) => e);
    const out: TextEdit[] = [];
    for (const edit of sorted) {
      const last = out[out.length - 1];
      if (last && last.range.end > edit.range.start) throw new Error("internal error: overlapping tag edits");
      if (last && last.range.end === edit.range.start) {
        out[out.length - 1] = { range: { start: last.range.start, end: edit.range.end }, newText: last.newText + edit.newText };
      } else out.push({ range: { ...edit.range }, newText: edit.newText });
    }
    return out;
  }
}

interface Writer {
  readonly text: string;
  readonly facts: FileFacts;
  readonly quoting: ListQuoting;
}

function writeAdded(w: Writer, value: string, context: ScalarContext): string {
  return formatScalar(value, context, w.quoting.added, w.quoting.fallback);
}

function writeRewrite(w: Writer, entry: Entry, value: string, context: ScalarContext): string {
  return formatScalar(value, context, entry.style ?? "plain", w.quoting.fallback);
}

/** The end of an element's value for a rewrite (a block scalar keeps its final line breaks). */
function rewriteEnd(text: string, entry: Entry): number {
  if (!entry.blockScalar) return entry.valueEnd;
  let end = entry.valueEnd;
  while (end > entry.valueStart + 1 && isSpace(text.charCodeAt(end - 1))) end--;
  return end;
}

function flowList(w: Writer, values: readonly string[], separator = ", "): string {
  return `[${values.map((v) => writeAdded(w, v, "flow")).join(separator)}]`;
}

function editFlowSequence(w: Writer, seqRange: OffsetRange, entries: readonly Entry[], plan: TagPlan, edits: EditList): void {
  const { text } = w;
  const fates = fatesOf(entries, plan);
  const separator = flowSeparator(text, seqRange.start, entries.map((e) => ({ start: e.start, end: e.valueEnd })));
  const added = plan.added.map((v) => writeAdded(w, v, "flow"));
  if (entries.length === 0) {
    // `[]`, `[ ]`, or a list holding only comments.
    const inner = text.slice(seqRange.start + 1, seqRange.end - 1);
    if (/^\s*$/.test(inner)) edits.replace(seqRange.start, seqRange.end, `[${added.join(", ")}]`);
    else edits.insert(seqRange.start + 1, added.join(", "));
    return;
  }
  const survivors = fates.filter((f) => f.kind !== "drop").length;
  if (survivors === 0) {
    const first = entries[0]!;
    const last = entries[entries.length - 1]!;
    if (added.length === 0) edits.replace(seqRange.start, seqRange.end, "[]");
    else edits.replace(first.start, last.valueEnd, added.join(separator));
    return;
  }
  for (let k = 0; k < entries.length; k++) {
    const fate = fates[k]!;
    const entry = entries[k]!;
    if (fate.kind === "rewrite") edits.replace(entry.valueStart, rewriteEnd(text, entry), writeRewrite(w, entry, fate.value, "flow"));
    if (fate.kind !== "drop") continue;
    // A run of removed elements, k..j, goes with one separator.
    let j = k;
    while (j + 1 < entries.length && fates[j + 1]!.kind === "drop") j++;
    if (k > 0) {
      const before = entries[k - 1]!;
      const comma = commaAfter(text, before.valueEnd);
      edits.replace(comma >= 0 ? comma : before.valueEnd, entries[j]!.valueEnd, "");
    } else {
      edits.replace(entries[0]!.start, entries[j + 1]!.start, "");
    }
    k = j;
  }
  if (added.length > 0) edits.insert(entries[entries.length - 1]!.valueEnd, added.map((a) => separator + a).join(""));
}

function editBlockSequence(w: Writer, tagsEntry: MapEntry, entries: readonly Entry[], plan: TagPlan, edits: EditList): void {
  const { text, facts } = w;
  const fates = fatesOf(entries, plan);
  const lineEnd = (e: Entry) => nextLineStart(text, Math.max(e.valueEnd, e.dash + 1));
  let survivors = 0;
  entries.forEach((entry, k) => {
    const fate = fates[k]!;
    if (fate.kind === "drop") edits.replace(lineStartOf(text, entry.dash), lineEnd(entry), "");
    else survivors++;
    if (fate.kind === "rewrite") edits.replace(entry.valueStart, rewriteEnd(text, entry), writeRewrite(w, entry, fate.value, "block"));
  });
  const last = entries[entries.length - 1]!;
  if (plan.added.length > 0) {
    const indent = " ".repeat(columnOf(text, last.dash));
    const lines = plan.added.map((v) => `${indent}- ${writeAdded(w, v, "block")}`);
    const at = lineEnd(last);
    if (at === text.length && !text.endsWith("\n")) edits.insert(at, facts.eol + lines.join(facts.eol));
    else edits.insert(at, lines.map((l) => l + facts.eol).join(""));
  } else if (survivors === 0) {
    // Nothing left: the value becomes `[]`, after the `:` (and the list's anchor or tag, if any).
    const colon = colonAfter(text, tagsEntry.keyRange.end);
    if (colon >= 0) edits.insert(pastProperties(text, colon + 1), " []");
  }
}

/** The fates of the elements: the plan's for tags, `keep` for anything else. */
function fatesOf(entries: readonly Entry[], plan: TagPlan): Fate[] {
  let next = 0;
  return entries.map((e) => (e.tag === undefined ? KEEP : plan.fates[next++]!));
}

/** A new `tags` entry for an item that has none. */
function insertTagsEntry(w: Writer, item: RuleItem, values: readonly string[], edits: EditList): void {
  const { text, facts } = w;
  const entries = item.entries;
  const lastEntry = entries[entries.length - 1];
  if (!lastEntry) return;
  if (item.node.flow) {
    const spans = entries.map((e) => ({ start: e.keyRange.start, end: Math.max(e.keyRange.end, e.valueRange.end) }));
    edits.insert(spans[spans.length - 1]!.end, `${flowSeparator(text, item.range.start, spans)}tags: ${flowList(w, values)}`);
    return;
  }
  const indent = " ".repeat(columnOf(text, entries[0]!.keyRange.start));
  let block: string;
  if (facts.flow) {
    block = `${indent}tags: ${flowList(w, values)}`;
  } else {
    const itemIndent = indent + " ".repeat(facts.blockOffset);
    block = [`${indent}tags:`, ...values.map((v) => `${itemIndent}- ${writeAdded(w, v, "block")}`)].join(facts.eol);
  }
  const last = item.node.items[item.node.items.length - 1];
  const at = nextLineStart(text, contentEnd(last, Math.max(lastEntry.keyRange.end, lastEntry.valueRange.end)));
  if (at === text.length && !text.endsWith("\n")) edits.insert(at, facts.eol + block);
  else edits.insert(at, block + facts.eol);
}

/** Whether yaml-cpp reads a value node as null (absent, empty, `~`, `null`...). */
function isNullValue(node: unknown): boolean {
  if (node === null || node === undefined) return true;
  if (!isScalar(node)) return false;
  const scalar = node as Scalar & { source?: unknown };
  const source = typeof scalar.source === "string" ? scalar.source : String(scalar.value ?? "");
  return scalar.type === "PLAIN" && scalar.tag === undefined && isNullString(source);
}

/**
 * The edits (sorted, non-overlapping, in `file.text` offsets) that give `item` the tags TagEdit
 * asks for; [] when nothing changes (idempotent).
 *
 * Works on the first `tags` key of the item (the one Falco reads). A value that is not a list
 * (a string, a map) is left alone: there is nothing format-preserving to do with it, and Falco
 * rejects it anyway. A list reached through an alias (`tags: *common`) is written out in place
 * of the alias, so the anchored list and the other items using it keep their tags.
 */
export function editRuleTags(file: RulesFile, item: RuleItem, edit: TagEdit): TextEdit[] {
  const text = file.text;
  const facts = fileFacts(file);
  const edits = new EditList();
  const index = item.entries.findIndex((e) => e.key === "tags");
  const tagsEntry = item.entries[index];
  if (!tagsEntry) {
    const plan = planTags([], edit);
    if (!plan.changed) return [];
    insertTagsEntry({ text, facts, quoting: DEFAULT_QUOTING }, item, plan.result, edits);
    return edits.done();
  }
  const value = (item.node.items[index] as { value?: unknown } | undefined)?.value;
  const seq = item.tags;

  if (isAlias(value)) {
    if (!seq) return [];
    const plan = planTags(seq.items.map((t) => t.text), edit);
    if (!plan.changed || seq.items.length !== seq.node.items.length) return [];
    const w: Writer = { text, facts, quoting: listQuoting(seq.items.map((t) => QUOTE_OF[t.style])) };
    const range = nodeRange(value)!;
    edits.replace(range[0], range[1], flowList(w, plan.result));
    return edits.done();
  }

  if (seq && isSeq(value) && seq.node === value) {
    const plan = planTags(seq.items.map((t) => t.text), edit);
    if (!plan.changed) return [];
    const entries = sequenceEntries(file, item, seq.node, seq.items);
    if (!entries) return [];
    const w: Writer = { text, facts, quoting: listQuoting(entries.filter((e) => e.tag !== undefined).map((e) => e.style)) };
    if (seq.flow) editFlowSequence(w, seq.range, entries, plan, edits);
    else editBlockSequence(w, tagsEntry, entries, plan, edits);
    return edits.done();
  }

  if (isNullValue(value)) {
    const plan = planTags([], edit);
    if (!plan.changed) return [];
    const w: Writer = { text, facts, quoting: DEFAULT_QUOTING };
    const list = flowList(w, plan.result);
    const range = nodeRange(value as YamlNode | null);
    if (range && range[1] > range[0]) {
      edits.replace(range[0], range[1], list);
    } else {
      const colon = colonAfter(text, tagsEntry.keyRange.end);
      if (colon >= 0) edits.insert(colon + 1, ` ${list}`);
      else edits.insert(tagsEntry.keyRange.end, `: ${list}`);
    }
    return edits.done();
  }
  return [];
}
