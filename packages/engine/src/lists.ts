/**
 * Lists as Falco uses them: compiled one level deep, then substituted into condition text
 * wherever their name stands as a word (inside quoted strings too).
 */
import type { Collector } from "./collector.js";
import type { TrackedText } from "./tracked.js";

export interface CompiledList {
  name: string;
  /** Items after one level of expansion of items that name an earlier list. */
  items: string[];
  used: boolean;
}

/** Falco's quoting of a substituted item: double quotes when it has a space and no quote yet. */
export function quoteItem(item: string): string {
  return item.includes(" ") && item[0] !== '"' && item[0] !== "'" ? `"${item}"` : item;
}

/** Compiles every list: an item naming a list visible to it is replaced by that list's items. */
export function compileLists(collector: Collector): CompiledList[] {
  const usedNames: string[] = [];
  const out: CompiledList[] = [];
  for (const list of collector.lists) {
    const items: string[] = [];
    for (const item of list.items) {
      const ref = collector.lists.get(item);
      if (ref && ref.index < list.visibility) {
        usedNames.push(ref.name);
        items.push(...ref.items);
      } else items.push(item);
    }
    out.push({ name: list.name, items, used: false });
  }
  for (const name of usedNames) {
    const l = out.find((x) => x.name === name);
    if (l) l.used = true;
  }
  return out;
}

const BLANKS = " \t\n\r";
const DELIMS = BLANKS + "(),=";

/** One replacement of a list's name: the range replaced (in the text as it is then) and the new text. */
export interface ListReplacement {
  start: number;
  end: number;
  text: string;
}

/**
 * The replacements Falco makes for a list in a condition, in order, each on the text left by
 * the ones before: every whole-word occurrence of the name becomes the items joined by `, `,
 * taking the blanks around the name with it (an empty list also takes one neighbouring comma).
 * Returns the final text too.
 */
export function listReplacements(text: string, list: CompiledList): { text: string; steps: ListReplacement[] } {
  const name = list.name;
  const steps: ListReplacement[] = [];
  let s = text;
  if (name === "") return { text: s, steps };
  let start = s.indexOf(name);
  while (start !== -1) {
    let end = start + name.length;
    if ((start === 0 || DELIMS.includes(s[start - 1]!)) && (end >= s.length || DELIMS.includes(s[end]!))) {
      while (start > 0 && BLANKS.includes(s[start - 1]!)) start--;
      while (end < s.length && BLANKS.includes(s[end]!)) end++;
      const sub = list.items.map(quoteItem).join(", ");
      if (sub === "") {
        if (start > 0 && s[start - 1] === ",") start--;
        else if (end < s.length && s[end] === ",") end++;
      }
      // Falco rebuilds the text as before + " " + items + " " + after.
      const replacement = (start > 0 ? " " : "") + sub + " ";
      s = s.slice(0, start) + replacement + s.slice(end);
      steps.push({ start, end, text: replacement });
      start += sub.length + 1;
    }
    start = s.indexOf(name, start + 1);
  }
  return { text: s, steps };
}

/** `listReplacements` on a tracked text. Returns the new text and whether the list was used. */
export function resolveList(cond: TrackedText, list: CompiledList): { text: TrackedText; used: boolean } {
  const { steps } = listReplacements(cond.text, list);
  let text = cond;
  for (const r of steps) text = text.replace(r.start, r.end, r.text);
  return { text, used: steps.length > 0 };
}

const WORD_SPLIT = /[ \t\n\r(),=]+/;
const HAS_DELIM = /[ \t\n\r(),=]/;

/** Lists by name with their position, and the lists whose name is not one word. */
interface ListIndex {
  byName: Map<string, number>;
  multiWord: number[];
}
const indexes = new WeakMap<readonly CompiledList[], ListIndex>();

function indexOf(lists: readonly CompiledList[]): ListIndex {
  let index = indexes.get(lists);
  if (!index) {
    index = { byName: new Map(), multiWord: [] };
    lists.forEach((l, i) => {
      if (l.name === "") return;
      if (HAS_DELIM.test(l.name)) index!.multiWord.push(i);
      else if (!index!.byName.has(l.name)) index!.byName.set(l.name, i);
    });
    indexes.set(lists, index);
  }
  return index;
}

/**
 * Substitutes every list, in definition order, marking the ones used. A list whose name is a
 * single word can only match a whole word of the text, so only the lists named by the text's
 * words (and by the items substituted so far) are searched, still in definition order.
 */
export function resolveLists(cond: TrackedText, lists: CompiledList[]): TrackedText {
  const { byName, multiWord } = indexOf(lists);
  const pending = new Set<number>(multiWord);
  const addWords = (text: string, after: number): void => {
    for (const w of text.split(WORD_SPLIT)) {
      const i = byName.get(w);
      if (i !== undefined && i > after) pending.add(i);
    }
  };
  let text = cond;
  addWords(text.text, -1);
  let current = -1;
  while (pending.size > 0) {
    let next = Infinity;
    for (const i of pending) if (i < next) next = i;
    pending.delete(next);
    current = next;
    const l = lists[current]!;
    const r = resolveList(text, l);
    if (r.used) {
      l.used = true;
      text = r.text;
      for (const item of l.items) addWords(item, current);
    }
  }
  return text;
}
