/**
 * Offset maps from a decoded YAML scalar back to the file it came from.
 *
 * Each decoder below re-reads a scalar's source the way the `yaml` package decodes it (line
 * folding, escapes, block indentation and chomping) and records, for every UTF-16 unit of the
 * decoded string, the source span that produced it:
 *
 * - a character copied from the source maps to that character;
 * - a character produced by an escape (`\n`, `\x41`, `''`...) maps to the whole escape;
 * - a space produced by folding a line break maps to that line break; line feeds produced by
 *   empty lines map to the line breaks of those empty lines, in order;
 * - a line feed kept by a block scalar maps to the line break it stands for.
 *
 * The decoded string is built too, so callers can check it against the parser's value.
 */
import type { OffsetRange } from "@falcokit/diagnostics";
import type { ScalarStyle } from "./types.js";

export interface ScalarOffsetMap {
  /** The decoded string this map describes. */
  readonly decoded: string;
  /** `starts[i]`: file offset of the source of `decoded[i]`; `starts[decoded.length]` is the content end. */
  readonly starts: Int32Array;
  /** `ends[i]`: file offset just past the source of `decoded[i]`. */
  readonly ends: Int32Array;
}

/** Accumulates decoded text with the source span of every unit. */
class Out {
  text = "";
  readonly starts: number[] = [];
  readonly ends: number[] = [];

  add(str: string, start: number, end: number): void {
    for (let k = 0; k < str.length; k++) {
      this.starts.push(start);
      this.ends.push(end);
    }
    this.text += str;
  }

  /** Copies `text[from, to)` verbatim, each unit mapping to itself. */
  copy(text: string, from: number, to: number): void {
    for (let i = from; i < to; i++) {
      this.starts.push(i);
      this.ends.push(i + 1);
    }
    this.text += text.slice(from, to);
  }

  finish(contentStart: number, contentEnd: number): ScalarOffsetMap {
    const n = this.starts.length;
    const starts = new Int32Array(n + 1);
    const ends = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      starts[i] = this.starts[i]!;
      ends[i] = this.ends[i]!;
    }
    starts[n] = n > 0 ? ends[n - 1]! : Math.min(contentStart, contentEnd);
    return { decoded: this.text, starts, ends };
  }
}

/**
 * The separator pending between two lines of a folded scalar: a space, or line feeds. It
 * remembers every line break seen since the last content line so that the characters it
 * finally produces can be attributed to them: a space to the first break, `k` line feeds to
 * the last `k` breaks.
 */
class Gap {
  /** Separator to insert before the next content: "", " ", "\n" or "\n\n". */
  sep = "";
  /** Line feeds already committed by empty lines (the `yaml` package appends these at once). */
  direct = 0;
  private readonly breakStarts: number[] = [];
  private readonly breakEnds: number[] = [];

  reset(sep: string, breakStart: number, breakEnd: number): void {
    this.sep = sep;
    this.direct = 0;
    this.breakStarts.length = 0;
    this.breakEnds.length = 0;
    this.addBreak(breakStart, breakEnd);
  }

  addBreak(start: number, end: number): void {
    this.breakStarts.push(start);
    this.breakEnds.push(end);
  }

  /** Emits the committed line feeds and, with `withSep`, the pending separator. */
  flush(out: Out, withSep: boolean, fallback: number): void {
    const str = "\n".repeat(this.direct) + (withSep ? this.sep : "");
    this.direct = 0;
    if (withSep) this.sep = "";
    if (str === "") return;
    const count = this.breakStarts.length;
    if (count === 0) {
      out.add(str, fallback, fallback);
      return;
    }
    if (str === " ") {
      out.add(" ", this.breakStarts[0]!, this.breakEnds[0]!);
      return;
    }
    for (let k = 0; k < str.length; k++) {
      const idx = Math.min(Math.max(count - str.length + k, 0), count - 1);
      out.add(str[k]!, this.breakStarts[idx]!, this.breakEnds[idx]!);
    }
  }
}

const isBlank = (ch: string | undefined): boolean => ch === " " || ch === "\t";

/** Copies `src[from, to)` of a flow scalar, turning `''` into `'` in single-quoted scalars. */
function copyFlow(out: Out, src: string, base: number, from: number, to: number, single: boolean): void {
  if (!single) {
    for (let i = from; i < to; i++) {
      out.starts.push(base + i);
      out.ends.push(base + i + 1);
    }
    out.text += src.slice(from, to);
    return;
  }
  for (let i = from; i < to; i++) {
    if (src[i] === "'" && src[i + 1] === "'" && i + 1 < to) {
      out.add("'", base + i, base + i + 2);
      i++;
    } else {
      out.add(src[i]!, base + i, base + i + 1);
    }
  }
}

/**
 * Plain and single-quoted scalars: lines are trimmed and folded (one break between two lines
 * is a space; each empty line is a line feed). `src` is the content (quotes excluded), starting
 * at file offset `base`.
 */
function mapUnfolded(out: Out, src: string, base: number, single: boolean): void {
  let nl = src.indexOf("\n");
  if (nl < 0) {
    copyFlow(out, src, base, 0, src.length, single);
    return;
  }
  const gap = new Gap();
  // First line: trailing blanks dropped.
  let lineEnd = nl > 0 && src[nl - 1] === "\r" ? nl - 1 : nl;
  let e = lineEnd;
  while (e > 0 && isBlank(src[e - 1])) e--;
  copyFlow(out, src, base, 0, e, single);
  gap.reset(" ", base + lineEnd, base + nl + 1);
  let lineStart = nl + 1;
  // Middle lines: blanks dropped at both ends; blank lines become line feeds.
  while ((nl = src.indexOf("\n", lineStart)) >= 0) {
    lineEnd = nl > lineStart && src[nl - 1] === "\r" ? nl - 1 : nl;
    let s = lineStart;
    while (s < lineEnd && isBlank(src[s])) s++;
    e = lineEnd;
    while (e > s && isBlank(src[e - 1])) e--;
    if (s === e) {
      if (gap.sep === "\n") gap.direct++;
      else gap.sep = "\n";
      gap.addBreak(base + lineEnd, base + nl + 1);
    } else {
      gap.flush(out, true, base + s);
      copyFlow(out, src, base, s, e, single);
      gap.reset(" ", base + lineEnd, base + nl + 1);
    }
    lineStart = nl + 1;
  }
  // Last line: leading blanks dropped, the separator is always inserted.
  let s = lineStart;
  while (s < src.length && isBlank(src[s])) s++;
  gap.flush(out, true, base + s);
  copyFlow(out, src, base, s, src.length, single);
}

const DQ_ESCAPES: Readonly<Record<string, string>> = {
  "0": "\0",
  a: "\x07",
  b: "\b",
  e: "\x1b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  N: "\u0085",
  _: "\u00a0",
  L: "\u2028",
  P: "\u2029",
  " ": " ",
  '"': '"',
  "/": "/",
  "\\": "\\",
  "\t": "\t",
};

/** Double-quoted scalars: escapes, escaped line breaks and folding. `src` includes the quotes. */
function mapDoubleQuoted(out: Out, src: string, base: number): void {
  for (let i = 1; i < src.length - 1; ++i) {
    const ch = src[i]!;
    if (ch === "\r" && src[i + 1] === "\n") continue;
    if (ch === "\n") {
      // Fold this break and any empty lines after it.
      const gap = new Gap();
      gap.reset(" ", base + (src[i - 1] === "\r" ? i - 1 : i), base + i + 1);
      let j = i;
      let lf = 0;
      let next = src[j + 1];
      while (next === " " || next === "\t" || next === "\n" || next === "\r") {
        if (next === "\r" && src[j + 2] !== "\n") break;
        if (next === "\n") {
          lf++;
          gap.addBreak(base + (src[j] === "\r" ? j : j + 1), base + j + 2);
        }
        j += 1;
        next = src[j + 1];
      }
      if (lf > 0) gap.sep = "\n".repeat(lf);
      gap.flush(out, true, base + i);
      i = j;
    } else if (ch === "\\") {
      const at = i;
      let next = src[++i];
      const code = next !== undefined && Object.hasOwn(DQ_ESCAPES, next) ? DQ_ESCAPES[next] : undefined;
      if (code !== undefined) {
        out.add(code, base + at, base + i + 1);
      } else if (next === "\n") {
        // An escaped line break joins the lines; the next line's leading blanks are dropped.
        next = src[i + 1];
        while (next === " " || next === "\t") next = src[++i + 1];
      } else if (next === "\r" && src[i + 1] === "\n") {
        next = src[++i + 1];
        while (next === " " || next === "\t") next = src[++i + 1];
      } else if (next === "x" || next === "u" || next === "U") {
        const length = next === "x" ? 2 : next === "u" ? 4 : 8;
        const hex = src.substr(i + 1, length);
        const cp = hex.length === length && /^[0-9a-fA-F]+$/.test(hex) ? parseInt(hex, 16) : NaN;
        let decoded: string | undefined;
        try {
          decoded = String.fromCodePoint(cp);
        } catch {
          decoded = undefined;
        }
        if (decoded !== undefined) {
          out.add(decoded, base + at, base + i + 1 + length);
        } else {
          // An invalid escape is kept as written.
          const raw = src.substr(i - 1, length + 2);
          for (let k = 0; k < raw.length; k++) out.add(raw[k]!, base + at + k, base + at + k + 1);
        }
        i += length;
      } else {
        const raw = src.substr(i - 1, 2);
        for (let k = 0; k < raw.length; k++) out.add(raw[k]!, base + at + k, base + at + k + 1);
      }
    } else if (ch === " " || ch === "\t") {
      // Blanks before a line break are dropped.
      const wsStart = i;
      let next = src[i + 1];
      while (next === " " || next === "\t") next = src[++i + 1];
      if (next !== "\n" && !(next === "\r" && src[i + 2] === "\n")) {
        for (let k = wsStart; k <= i; k++) out.add(src[k]!, base + k, base + k + 1);
      }
    } else {
      out.add(ch, base + i, base + i + 1);
    }
  }
}

interface BlockLine {
  /** Offset of the line's first character. */
  start: number;
  /** Number of leading spaces. */
  indent: number;
  /** Content end, before a `\r` that precedes the line feed. */
  contentEnd: number;
  /** Whether the raw content is empty or a lone `\r`. */
  blank: boolean;
  /** Offset of the line break ending the line (the `\r` of CRLF), or -1 at the end of input. */
  breakStart: number;
  breakEnd: number;
}

function splitBlockLines(text: string, bodyStart: number, end: number): BlockLine[] {
  const lines: BlockLine[] = [];
  let start = bodyStart;
  for (;;) {
    let nl = text.indexOf("\n", start);
    if (nl < 0 || nl >= end) nl = -1;
    const rawEnd = nl < 0 ? end : nl;
    let indent = 0;
    while (start + indent < rawEnd && text.charCodeAt(start + indent) === 32) indent++;
    const contentStart = start + indent;
    const crlf = rawEnd > contentStart && text[rawEnd - 1] === "\r";
    const contentEnd = crlf ? rawEnd - 1 : rawEnd;
    lines.push({
      start,
      indent,
      contentEnd,
      blank: contentEnd === contentStart,
      breakStart: nl < 0 ? -1 : crlf ? rawEnd - 1 : nl,
      breakEnd: nl < 0 ? -1 : nl + 1,
    });
    if (nl < 0) break;
    start = nl + 1;
  }
  return lines;
}

/**
 * Block scalars (`|` literal, `>` folded) with chomping (`-`, `+`) and explicit indentation.
 * `start` is the header's offset, `end` the end of the scalar's source, `parentIndent` the
 * indentation of the collection the scalar is in.
 */
function mapBlock(out: Out, text: string, start: number, end: number, parentIndent: number): number {
  const literal = text[start] === "|";
  let headerEnd = start + 1;
  while (headerEnd < end && !" \t\r\n#".includes(text[headerEnd]!)) headerEnd++;
  let chomp = "";
  let explicit = 0;
  for (let i = start + 1; i < headerEnd; i++) {
    const ch = text[i]!;
    if (!chomp && (ch === "-" || ch === "+")) chomp = ch;
    else if (!explicit && ch >= "1" && ch <= "9") explicit = Number(ch);
  }
  const nl = text.indexOf("\n", headerEnd);
  const bodyStart = nl < 0 || nl >= end ? end : nl + 1;
  const source = text.slice(bodyStart, end);
  const lines = source.length > 0 ? splitBlockLines(text, bodyStart, end) : [];
  const breakOf = (line: BlockLine | undefined): [number, number] =>
    line && line.breakStart >= 0 ? [line.breakStart, line.breakEnd] : [end, end];

  let chompStart = lines.length;
  for (let i = lines.length - 1; i >= 0; --i) {
    if (lines[i]!.blank) chompStart = i;
    else break;
  }
  if (chompStart === 0) {
    if (chomp === "+" && lines.length > 0) {
      const count = Math.max(1, lines.length - 1);
      for (let k = 0; k < count; k++) out.add("\n", ...breakOf(lines[k]));
    }
    return bodyStart;
  }

  // Content indentation: explicit, or that of the first non-empty line.
  let trimIndent = parentIndent + explicit;
  let first = 0;
  for (let i = 0; i < chompStart; ++i) {
    const line = lines[i]!;
    if (line.blank) {
      if (explicit === 0 && line.indent > trimIndent) trimIndent = line.indent;
    } else {
      if (explicit === 0) trimIndent = line.indent;
      first = i;
      break;
    }
  }
  // Trailing lines with more indentation than the content are content.
  for (let i = lines.length - 1; i >= chompStart; --i) {
    if (lines[i]!.indent > trimIndent) chompStart = i + 1;
  }

  const extra = (line: BlockLine, indent: number): void => {
    for (let k = trimIndent; k < indent; k++) out.add(" ", line.start + k, line.start + k + 1);
  };
  // Leading empty lines are kept as line feeds, with any spaces beyond the indentation.
  for (let i = 0; i < first; ++i) {
    const line = lines[i]!;
    extra(line, line.indent);
    out.add("\n", ...breakOf(line));
  }

  const gap = new Gap();
  let prevMoreIndented = false;
  for (let i = first; i < chompStart; ++i) {
    const line = lines[i]!;
    const contentStart = line.start + line.indent;
    const empty = line.contentEnd === contentStart;
    const indent = !empty && line.indent < trimIndent ? 0 : line.indent;
    const [bs, be] = breakOf(line);
    if (literal) {
      gap.flush(out, true, contentStart);
      extra(line, indent);
      out.copy(text, contentStart, line.contentEnd);
      gap.reset("\n", bs, be);
    } else if (indent > trimIndent || (!empty && text[contentStart] === "\t")) {
      // More-indented lines keep their line breaks.
      if (gap.sep === " ") gap.sep = "\n";
      else if (!prevMoreIndented && gap.sep === "\n") gap.sep = "\n\n";
      gap.flush(out, true, contentStart);
      extra(line, indent);
      out.copy(text, contentStart, line.contentEnd);
      gap.reset("\n", bs, be);
      prevMoreIndented = true;
    } else if (empty) {
      if (gap.sep === "\n") gap.direct++;
      else gap.sep = "\n";
      gap.addBreak(bs, be);
    } else {
      gap.flush(out, true, contentStart);
      out.copy(text, contentStart, line.contentEnd);
      gap.reset(" ", bs, be);
      prevMoreIndented = false;
    }
  }
  gap.flush(out, false, end);

  // Chomping.
  if (chomp === "+") {
    for (let i = chompStart; i < lines.length; ++i) {
      out.add("\n", ...breakOf(lines[i - 1]));
      extra(lines[i]!, lines[i]!.indent);
    }
    if (!out.text.endsWith("\n")) out.add("\n", ...breakOf(lines[lines.length - 1]));
  } else if (chomp !== "-") {
    out.add("\n", ...breakOf(lines[chompStart - 1]));
  }
  return bodyStart;
}

/**
 * Builds the offset map of one scalar.
 *
 * @param text the whole file
 * @param style the scalar's style
 * @param start offset of the scalar's source (the quote, the block header, or the first character)
 * @param end end of the scalar's source
 * @param parentIndent for block scalars, the indentation of the enclosing collection
 */
export function buildScalarMap(
  text: string,
  style: ScalarStyle,
  start: number,
  end: number,
  parentIndent = 0,
): ScalarOffsetMap {
  const out = new Out();
  switch (style) {
    case "plain":
      mapUnfolded(out, text.slice(start, end), start, false);
      return out.finish(start, end);
    case "single-quoted":
      mapUnfolded(out, text.slice(start + 1, Math.max(start + 1, end - 1)), start + 1, true);
      return out.finish(start + 1, end - 1);
    case "double-quoted":
      mapDoubleQuoted(out, text.slice(start, end), start);
      return out.finish(start + 1, end - 1);
    case "literal":
    case "folded": {
      const bodyStart = mapBlock(out, text, start, end, parentIndent);
      return out.finish(bodyStart, end);
    }
  }
}

/** A map for when the decoders disagree with the parser: offsets clamp into the range. */
export function fallbackScalarMap(decoded: string, start: number, end: number): ScalarOffsetMap {
  const n = decoded.length;
  const starts = new Int32Array(n + 1);
  const ends = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    starts[i] = Math.min(start + i, end);
    ends[i] = Math.min(start + i + 1, end);
  }
  starts[n] = Math.min(start + n, end);
  return { decoded, starts, ends };
}

/** `toFileOffset` over a map: clamps `index` into `0..decoded.length`. */
export function mapOffset(map: ScalarOffsetMap, index: number): number {
  const n = map.decoded.length;
  const i = index <= 0 ? 0 : index >= n ? n : Math.floor(index);
  return map.starts[i]!;
}

/** `toFileRange` over a map. */
export function mapRange(map: ScalarOffsetMap, range: OffsetRange): OffsetRange {
  const n = map.decoded.length;
  const s = range.start <= 0 ? 0 : range.start >= n ? n : Math.floor(range.start);
  const e = range.end <= s ? s : range.end >= n ? n : Math.floor(range.end);
  const start = map.starts[s]!;
  const end = e > s ? map.ends[e - 1]! : start;
  return { start, end: Math.max(start, end) };
}
