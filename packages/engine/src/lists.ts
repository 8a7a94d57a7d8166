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

/**
 * Replaces every whole-word occurrence of the list's name in the condition with its items,
 * joined by `, `, taking the blanks around the name with it; an empty list also takes one
 * neighbouring comma. Returns the new text and whether the list was used.
 */
export function resolveList(cond: TrackedText, list: CompiledList): { text: TrackedText; used: boolean } {
  let text = cond;
  let used = false;
  const name = list.name;
  if (name === "") return { text, used };
  let start = text.text.indexOf(name);
  while (start !== -1) {
    const s = text.text;
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
      text = text.replace(start, end, replacement);
      start += sub.length + 1;
      used = true;
    }
    start = text.text.indexOf(name, start + 1);
  }
  return { text, used };
}

const WORD_SPLIT = /[ \t\n\r(),=]+/;
const HAS_DELIM = /[ \t\n\r(),=]/;

/**
 * Substitutes every list, in definition order, marking the ones used. A list whose name is a
 * single word can only match a whole word of the text, so lists whose name is not among the
 * text's words (kept up to date as substitutions bring in items) are skipped without a search.
 */
export function resolveLists(cond: TrackedText, lists: CompiledList[]): TrackedText {
  let text = cond;
  const words = new Set(text.text.split(WORD_SPLIT));
  for (const l of lists) {
    if (!words.has(l.name) && !HAS_DELIM.test(l.name)) continue;
    const r = resolveList(text, l);
    if (r.used) {
      l.used = true;
      text = r.text;
      for (const item of l.items) for (const w of item.split(WORD_SPLIT)) words.add(w);
    }
  }
  return text;
}
