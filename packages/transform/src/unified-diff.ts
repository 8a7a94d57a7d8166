/**
 * A unified diff (`diff -u` shape, 3 lines of context) of a text and its edited version,
 * computed from the edits themselves: linear in the text, exact by construction.
 */
import type { TextEdit } from "@falcokit/diagnostics";

function splitLines(text: string): { starts: number[]; lines: string[] } {
  if (text === "") return { starts: [0], lines: [] };
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) if (i + 1 < text.length) starts.push(i + 1);
  const lines = starts.map((s, i) => text.slice(s, i + 1 < starts.length ? starts[i + 1] : text.length));
  return { starts, lines };
}

const lineAt = (starts: readonly number[], offset: number) => {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
};

/** `edits` must be sorted and non-overlapping. Returns "" when they change nothing. */
export function unifiedDiff(oldName: string, newName: string, text: string, edits: readonly TextEdit[], context = 3): string {
  if (edits.length === 0) return "";
  const old = splitLines(text);
  // Group edits into changed blocks of whole old lines [from, to] and their new text.
  const blocks: { from: number; to: number; edits: TextEdit[] }[] = [];
  for (const e of edits) {
    const from = lineAt(old.starts, e.range.start);
    const endOffset = e.range.end > e.range.start ? e.range.end - 1 : e.range.start;
    const to = Math.max(from, lineAt(old.starts, endOffset));
    const last = blocks[blocks.length - 1];
    if (last && from <= last.to) {
      last.to = Math.max(last.to, to);
      last.edits.push(e);
    } else blocks.push({ from, to, edits: [e] });
  }
  const rendered: { from: number; to: number; removed: string[]; added: string[] }[] = [];
  for (let k = 0; k < blocks.length; k++) {
    const b = blocks[k]!;
    for (;;) {
      const start = old.starts[b.from]!;
      const end = b.to + 1 < old.starts.length ? old.starts[b.to + 1]! : text.length;
      let replaced = "";
      let pos = start;
      for (const e of b.edits) {
        replaced += text.slice(pos, e.range.start) + e.newText;
        pos = e.range.end;
      }
      replaced += text.slice(pos, end);
      // An edit that took a line's newline joins it with the next line: show both whole.
      if (replaced !== "" && !replaced.endsWith("\n") && end < text.length) {
        b.to++;
        while (k + 1 < blocks.length && blocks[k + 1]!.from <= b.to) {
          const next = blocks.splice(k + 1, 1)[0]!;
          b.to = Math.max(b.to, next.to);
          b.edits.push(...next.edits);
        }
        continue;
      }
      const added = replaced === "" ? [] : splitLines(replaced).lines;
      rendered.push({ from: b.from, to: b.to, removed: old.lines.slice(b.from, b.to + 1), added });
      break;
    }
  }
  const show = (prefix: string, line: string) => prefix + (line.endsWith("\n") ? line : `${line}\n\\ No newline at end of file\n`);
  let out = `--- ${oldName}\n+++ ${newName}\n`;
  let i = 0;
  let shift = 0; // new line number minus old line number before the current hunk
  while (i < rendered.length) {
    // Blocks closer than twice the context share a hunk.
    let j = i;
    while (j + 1 < rendered.length && rendered[j + 1]!.from - rendered[j]!.to - 1 <= 2 * context) j++;
    const first = rendered[i]!;
    const lastBlock = rendered[j]!;
    const hunkFrom = Math.max(0, first.from - context);
    const hunkTo = Math.min(old.lines.length - 1, lastBlock.to + context);
    let body = "";
    let oldCount = 0;
    let newCount = 0;
    let cursor = hunkFrom;
    let localShift = 0;
    for (let k = i; k <= j; k++) {
      const b = rendered[k]!;
      for (; cursor < b.from; cursor++) (body += show(" ", old.lines[cursor]!)), oldCount++, newCount++;
      for (const l of b.removed) (body += show("-", l)), oldCount++;
      for (const l of b.added) (body += show("+", l)), newCount++;
      localShift += b.added.length - b.removed.length;
      cursor = b.to + 1;
    }
    for (; cursor <= hunkTo; cursor++) (body += show(" ", old.lines[cursor]!)), oldCount++, newCount++;
    const range = (start: number, count: number) => (count === 1 ? `${start}` : `${count === 0 ? start - 1 : start},${count}`);
    out += `@@ -${range(hunkFrom + 1, oldCount)} +${range(hunkFrom + 1 + shift, newCount)} @@\n${body}`;
    shift += localShift;
    i = j + 1;
  }
  return out;
}
