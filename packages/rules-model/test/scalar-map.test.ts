import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseRulesFile, type RuleItem, type ScalarValue } from "../src/index.js";

/** Parses `- rule: r` + `  condition: <scalar>` and returns the condition scalar. */
function conditionOf(text: string): ScalarValue {
  const file = parseRulesFile(text);
  const parseErrors = file.diagnostics.filter((d) => d.code === "load/LOAD_ERR_YAML_PARSE");
  expect(parseErrors, text).toEqual([]);
  const rule = file.items[0] as RuleItem;
  expect(rule.condition, text).toBeDefined();
  return rule.condition!;
}

/** The file offsets of every decoded character, and of the end. */
function offsets(s: ScalarValue): number[] {
  return Array.from({ length: s.text.length + 1 }, (_, i) => s.toFileOffset(i));
}

describe("offset maps: examples", () => {
  it("plain, single line", () => {
    const text = "- rule: r\n  condition: evt.type = open\n";
    const c = conditionOf(text);
    expect(c.text).toBe("evt.type = open");
    expect(c.style).toBe("plain");
    const start = text.indexOf("evt");
    expect(offsets(c)).toEqual(Array.from({ length: 16 }, (_, i) => start + i));
    expect(c.toFileRange({ start: 11, end: 15 })).toEqual({ start: start + 11, end: start + 15 });
  });

  it("plain, multi-line: a folded line break maps to the break", () => {
    const text = "- rule: r\n  condition: evt.type = open\n    and proc.name = cat\n  output: x\n";
    const c = conditionOf(text);
    expect(c.text).toBe("evt.type = open and proc.name = cat");
    const i = c.text.indexOf(" and");
    expect(text[c.toFileOffset(i)]).toBe("\n");
    expect(c.toFileOffset(i + 1)).toBe(text.indexOf("and"));
    expect(c.toFileOffset(c.text.length)).toBe(text.indexOf("cat") + 3);
  });

  it("folded block scalar (the usual condition)", () => {
    const text = "- rule: r\n  condition: >\n    evt.type = open\n    and proc.name = cat\n  output: x\n";
    const c = conditionOf(text);
    expect(c.style).toBe("folded");
    expect(c.text).toBe("evt.type = open and proc.name = cat\n");
    expect(c.toFileOffset(0)).toBe(text.indexOf("evt"));
    expect(c.toFileOffset(c.text.indexOf("proc"))).toBe(text.indexOf("proc"));
    // The space that joins the lines is the first line's break.
    expect(c.toFileOffset(15)).toBe(text.indexOf("open") + 4);
    // The clipped final line feed is the last line's break.
    expect(text[c.toFileOffset(c.text.length - 1)]).toBe("\n");
    expect(c.toFileRange({ start: 0, end: c.text.length })).toEqual({ start: text.indexOf("evt"), end: text.indexOf("  output") });
  });

  it("folded with empty lines and more-indented lines", () => {
    const text = "- rule: r\n  condition: >-\n    a\n\n    b\n      c\n    d\n  output: x\n";
    const c = conditionOf(text);
    expect(c.text).toBe("a\nb\n  c\nd");
    const at = offsets(c);
    // "\n" from the empty line maps to the empty line's break.
    expect(at[1]).toBe(text.indexOf("\n\n") + 1);
    expect(text[at[3]!]).toBe("\n");
    expect(at[4]).toBe(text.indexOf("      c") + 4);
    expect(at[8]).toBe(text.indexOf("    d") + 4);
  });

  it("literal block with keep chomping and an indentation indicator", () => {
    const text = "- rule: r\n  condition: |2+\n      x\n    y\n\n  output: x\n";
    const c = conditionOf(text);
    expect(c.style).toBe("literal");
    expect(c.text).toBe("  x\ny\n\n");
    const at = offsets(c);
    expect(at[0]).toBe(text.indexOf("      x") + 4);
    expect(at[2]).toBe(text.indexOf("x\n"));
    expect(at[3]).toBe(text.indexOf("x\n") + 1);
    expect(at[4]).toBe(text.indexOf("    y") + 4);
    expect(at[6]).toBe(text.indexOf("y\n\n") + 2);
  });

  it("single-quoted: '' maps to the first quote, folding maps to the break", () => {
    const text = "- rule: r\n  condition: 'it''s\n    here'\n";
    const c = conditionOf(text);
    expect(c.text).toBe("it's here");
    const q = text.indexOf("''");
    expect(c.toFileOffset(2)).toBe(q);
    expect(c.toFileOffset(3)).toBe(q + 2);
    expect(text[c.toFileOffset(4)]).toBe("\n");
    expect(c.toFileRange({ start: 2, end: 3 })).toEqual({ start: q, end: q + 2 });
  });

  it("double-quoted: every escape maps to its backslash", () => {
    const src = String.raw`"a\n\t\"\\\x41\u00e9\U0001F600\/\ z"`;
    const text = `- rule: r\n  condition: ${src}\n`;
    const c = conditionOf(text);
    expect(c.text).toBe('a\n\t"\\Aé\u{1F600}/ z');
    const base = text.indexOf('"') + 1;
    const at = offsets(c);
    expect(at.slice(0, c.text.length).map((o) => text[o])).toEqual(["a", "\\", "\\", "\\", "\\", "\\", "\\", "\\", "\\", "\\", "\\", "z"]);
    expect(at[0]).toBe(base);
    // Both UTF-16 units of U+1F600 map to the same escape.
    expect(at[7]).toBe(at[8]);
    expect(c.toFileRange({ start: 7, end: 9 })).toEqual({ start: at[7], end: at[7]! + 10 });
    expect(at[c.text.length]).toBe(text.lastIndexOf('"'));
  });

  it("double-quoted: escaped line breaks and folding", () => {
    const text = '- rule: r\n  condition: "ab\\\n    cd\n    ef\n\n    gh"\n';
    const c = conditionOf(text);
    expect(c.text).toBe("abcd ef\ngh");
    const at = offsets(c);
    expect(at[2]).toBe(text.indexOf("cd"));
    expect(text[at[4]!]).toBe("\n");
    expect(at[7]).toBe(text.indexOf("\n\n") + 1);
    expect(at[8]).toBe(text.indexOf("gh"));
  });

  it("CRLF: line feeds and folded spaces map to the \\r of the break", () => {
    const text = "- rule: r\r\n  condition: >\r\n    a\r\n    b\r\n\r\n    c\r\n  output: x\r\n";
    const c = conditionOf(text);
    expect(c.text).toBe("a b\nc\n");
    const at = offsets(c);
    expect(text[at[1]!]).toBe("\r");
    expect(text[at[3]!]).toBe("\r");
    expect(at[3]).toBe(text.indexOf("\r\n\r\n") + 2);
    expect(at[4]).toBe(text.indexOf("c\r"));
    expect(text[at[5]!]).toBe("\r");
  });

  it("offsets outside the string clamp to its ends", () => {
    const text = "- rule: r\n  condition: abc\n";
    const c = conditionOf(text);
    expect(c.toFileOffset(-5)).toBe(c.toFileOffset(0));
    expect(c.toFileOffset(99)).toBe(c.toFileOffset(3));
    expect(c.toFileRange({ start: 2, end: 1 })).toEqual({ start: c.toFileOffset(2), end: c.toFileOffset(2) });
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests: random strings rendered in every scalar style, parsed back, mapped.

type Style = "plain" | "single" | "double" | "literal" | "folded";
/** How a decoded character was produced: copied, escaped, or made by a line break. */
type Kind = "lit" | "esc" | "brk";

interface Rendered {
  /** The scalar's source, with its line breaks and the indentation of its continuation lines. */
  src: string;
  kinds: Kind[];
  /** Expected offset of each decoded character within `src`, or -1 when not computed. */
  expected: number[];
}

interface RenderOptions {
  eol: "\n" | "\r\n";
  /** Indentation of continuation lines (flow scalars) or content lines (block scalars). */
  indent: number;
  /** Random choices, used cyclically. */
  choices: number[];
}

class Src implements Rendered {
  src = "";
  kinds: Kind[] = [];
  expected: number[] = [];
  private k = 0;
  constructor(private readonly o: RenderOptions) {}
  pick(n: number): number {
    const c = this.o.choices;
    return c.length === 0 ? 0 : c[this.k++ % c.length]! % n;
  }
  put(text: string): number {
    const at = this.src.length;
    this.src += text;
    return at;
  }
  /** One decoded character (possibly two UTF-16 units) from source `text`. */
  char(decoded: string, text: string, kind: Kind): void {
    const at = this.put(text);
    for (let u = 0; u < decoded.length; u++) {
      this.kinds.push(kind);
      this.expected.push(kind === "lit" ? at + u : at);
    }
  }
  /** A line break followed by `n` empty lines and the continuation indentation; returns the offsets of all breaks. */
  breaks(emptyLines: number): number[] {
    const at: number[] = [];
    for (let i = 0; i <= emptyLines; i++) at.push(this.put(this.o.eol));
    this.put(" ".repeat(this.o.indent));
    return at;
  }
  decoded(kind: Kind, ch: string, at: number): void {
    this.kinds.push(kind);
    this.expected.push(at);
  }
}

const isWs = (c: string | undefined): boolean => c === " " || c === "\t";

/** Code points of `s` (keeps surrogate pairs together). */
const chars = (s: string): string[] => Array.from(s);

/** Flow styles (plain, single- and double-quoted) with folding at random spaces and line feeds. */
function renderFlow(value: string, style: "plain" | "single" | "double", o: RenderOptions): Rendered | null {
  const out = new Src(o);
  const cs = chars(value);
  if (style === "single") out.put("'");
  if (style === "double") out.put('"');
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i]!;
    const prev = cs[i - 1];
    const next = cs[i + 1];
    if (c === "\n") {
      // A run of k line feeds: k empty lines between two non-blank characters.
      let k = 1;
      while (cs[i + k] === "\n") k++;
      const canFold = prev !== undefined && !isWs(prev) && cs[i + k] !== undefined && !isWs(cs[i + k]) && cs[i + k] !== "\n";
      if (style === "double" && (!canFold || out.pick(2) === 0)) {
        out.char("\n", "\\n", "esc");
        continue;
      }
      if (!canFold) return null;
      const at = out.breaks(k);
      for (let j = 1; j <= k; j++) out.decoded("brk", "\n", at[j]!);
      i += k - 1;
      continue;
    }
    if (c === " " && prev !== undefined && !isWs(prev) && next !== undefined && !isWs(next) && next !== "\n" && out.pick(3) === 0) {
      const at = out.breaks(0);
      out.decoded("brk", " ", at[0]!);
      continue;
    }
    if (style === "single") {
      if (c === "'") out.char("'", "''", "lit");
      else out.char(c, c, "lit");
      continue;
    }
    if (style === "double") {
      const escapes: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\t": "\\t", "\x07": "\\a", "\x1b": "\\e", "\u0085": "\\N", "\u00a0": "\\_" };
      const cp = c.codePointAt(0)!;
      const mustEscape = c in escapes || cp < 0x20 || cp === 0x7f;
      const choice = out.pick(6);
      if (mustEscape || choice === 0) {
        const esc =
          escapes[c] ??
          (cp <= 0xff && choice % 2 === 0
            ? `\\x${cp.toString(16).padStart(2, "0")}`
            : cp <= 0xffff
              ? `\\u${cp.toString(16).padStart(4, "0")}`
              : `\\U${cp.toString(16).padStart(8, "0")}`);
        out.char(c, esc, "esc");
      } else if (choice === 1 && prev !== undefined && !isWs(c)) {
        // An escaped line break before this character.
        out.put("\\" + o.eol + " ".repeat(o.indent));
        out.char(c, c, "lit");
      } else {
        out.char(c, c, "lit");
      }
      continue;
    }
    out.char(c, c, "lit");
  }
  if (style === "single") out.put("'");
  if (style === "double") out.put('"');
  return out;
}

/** Block styles: `|` or `>` with the chomping the trailing line feeds need and an explicit indentation indicator when needed. */
function renderBlock(value: string, style: "literal" | "folded", o: RenderOptions, parentIndent: number): Rendered | null {
  const out = new Src(o);
  let body = value;
  let trailing = 0;
  while (body.endsWith("\n")) {
    body = body.slice(0, -1);
    trailing++;
  }
  if (body === "") return null;
  const lines = body.split("\n");
  const chomp = trailing === 0 ? "-" : trailing === 1 ? "" : "+";
  const firstContent = lines.find((l) => l !== "");
  const rel = o.indent - parentIndent;
  if (rel < 1 || rel > 9) return null;
  const explicit = (firstContent !== undefined && isWs(firstContent[0])) || out.pick(4) === 0;
  out.put((style === "literal" ? "|" : ">") + (explicit ? String(rel) : "") + chomp + o.eol);
  const pad = " ".repeat(o.indent);
  // A line starting with a blank is "more indented": folding does not apply around it.
  const spaced = (l: string): boolean => isWs(l[0]);
  let li = 0;
  // Leading empty lines are line feeds of their own.
  while (lines[li] === "") {
    out.decoded("brk", "\n", out.put(o.eol));
    li++;
  }
  let lastBreak = -1;
  while (li < lines.length) {
    const line = lines[li]!;
    out.put(pad);
    const cs = chars(line);
    for (let ci = 0; ci < cs.length; ci++) {
      const c = cs[ci]!;
      // Folded: a space between two non-blank characters of a normal line may become a line break.
      if (style === "folded" && !spaced(line) && c === " " && ci > 0 && !isWs(cs[ci - 1]) && cs[ci + 1] !== undefined && !isWs(cs[ci + 1]) && out.pick(3) === 0) {
        out.decoded("brk", " ", out.put(o.eol));
        out.put(pad);
        continue;
      }
      out.char(c, c, "lit");
    }
    const brk = out.put(o.eol);
    if (li === lines.length - 1) {
      lastBreak = brk;
      break;
    }
    let k = 0;
    while (lines[li + 1 + k] === "") k++;
    const next = lines[li + 1 + k]!;
    if (style === "folded" && !spaced(line) && !spaced(next)) {
      // Between normal lines, each line feed is an empty line (the line's own break folds away).
      for (let j = 0; j <= k; j++) out.decoded("brk", "\n", out.put(o.eol));
    } else {
      out.decoded("brk", "\n", brk);
      for (let j = 0; j < k; j++) out.decoded("brk", "\n", out.put(o.eol));
    }
    li += 1 + k;
  }
  for (let t = 0; t < trailing; t++) {
    if (t === 0) out.decoded("brk", "\n", lastBreak);
    else out.decoded("brk", "\n", out.put(o.eol));
  }
  return out;
}

const WORD = fc.constantFrom("a", "b", "Z", "0", "9", ".", "_", "/", "=", "(", ")", "é", "中", "😀", "-", "'", '"', "\\", ":", "#", ",", "[", "]", "%", "@", "!", "&", "*", "|", ">", "?", "\t");
const PLAIN_WORD = fc.constantFrom("a", "b", "Z", "0", "9", ".", "_", "/", "=", "(", ")", "é", "中", "😀", "-", "'", '"', "\\", ",", "[", "]", "!", "&", "*", "%");
const SEP = fc.constantFrom(" ", " ", " ", "\n", "\n\n", "  ", "\t");
const EXTRA = fc.constantFrom("\x01", "\x07", "\x1b", "\x7f", "\u0085", "\u00a0", "\u2028", "\ufeff");

/** Strings of words and separators; `extra` adds characters only double quotes can hold. */
function valueArb(extra: boolean, plain = false): fc.Arbitrary<string> {
  const unit = plain ? PLAIN_WORD : extra ? fc.oneof(WORD, WORD, EXTRA) : WORD;
  return fc
    .array(fc.tuple(fc.array(unit, { minLength: 1, maxLength: 6 }), SEP), { minLength: 1, maxLength: 8 })
    .chain((parts) =>
      fc.tuple(fc.constant(parts), fc.boolean(), fc.boolean()).map(([ps, lead, trail]) => {
        const s = ps.map(([w, sep]) => w.join("") + sep).join("");
        if (plain) return s.trim();
        return (lead ? " " : "") + (trail ? s : s.trimEnd());
      }),
    );
}

const OPTIONS = fc.record({
  eol: fc.constantFrom<"\n" | "\r\n">("\n", "\r\n"),
  nested: fc.boolean(),
  extraIndent: fc.integer({ min: 1, max: 6 }),
  choices: fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 32 }),
});

interface Case {
  text: string;
  base: number;
  rendered: Rendered;
}

function build(value: string, style: Style, opts: { eol: "\n" | "\r\n"; nested: boolean; extraIndent: number; choices: number[] }): Case | null {
  const parentIndent = opts.nested ? 4 : 2;
  const o: RenderOptions = { eol: opts.eol, indent: parentIndent + opts.extraIndent, choices: opts.choices };
  const rendered =
    style === "literal" || style === "folded" ? renderBlock(value, style, o, parentIndent) : renderFlow(value, style, o);
  if (!rendered) return null;
  const eol = opts.eol;
  const head = opts.nested ? `-   rule: r${eol}    condition: ` : `- rule: r${eol}  condition: `;
  const tail = opts.nested ? `${eol}    output: x${eol}` : `${eol}  output: x${eol}`;
  // Block scalars end with their own line break.
  const text = head + rendered.src + (style === "literal" || style === "folded" ? tail.slice(eol.length) : tail);
  return { text, base: head.length, rendered };
}

function checkCase(value: string, style: Style, c: Case): boolean {
  const file = parseRulesFile(c.text);
  if (file.diagnostics.some((d) => d.code === "load/LOAD_ERR_YAML_PARSE")) return false;
  const item = file.items[0];
  const scalar = item?.kind === "rule" ? item.condition : undefined;
  if (!scalar || scalar.text !== value) return false; // not a faithful rendering: skip
  const { text, base, rendered } = c;
  const n = value.length;
  let prev = -1;
  for (let i = 0; i <= n; i++) {
    const off = scalar.toFileOffset(i);
    expect(off, `monotonic at ${i}`).toBeGreaterThanOrEqual(prev);
    prev = off;
    if (i === n) break;
    const kind = rendered.kinds[i]!;
    const ch = text[off];
    if (kind === "lit") expect(ch, `literal char ${i} of ${JSON.stringify(value)}`).toBe(value[i]);
    if (kind === "esc") expect(ch, `escape ${i}`).toBe("\\");
    if (kind === "brk") expect(ch === "\n" || ch === "\r", `break ${i}`).toBe(true);
    const want = rendered.expected[i]!;
    if (want >= 0) expect(off, `offset of char ${i} (${JSON.stringify(value[i])}) in ${JSON.stringify(c.text)}`).toBe(base + want);
    const r = scalar.toFileRange({ start: i, end: i + 1 });
    expect(r.start).toBe(off);
    expect(r.end).toBeGreaterThanOrEqual(off);
  }
  expect(scalar.toFileOffset(n)).toBeLessThanOrEqual(scalar.range.end);
  expect(scalar.toFileOffset(0)).toBeGreaterThanOrEqual(scalar.range.start);
  return true;
}

describe("offset maps: properties", () => {
  const styles: [Style, boolean][] = [
    ["plain", false],
    ["single", false],
    ["double", true],
    ["literal", false],
    ["folded", false],
  ];
  for (const [style, extra] of styles) {
    it(`${style}: every decoded character maps to its source`, () => {
      let checked = 0;
      fc.assert(
        fc.property(valueArb(extra, style === "plain"), OPTIONS, (value, opts) => {
          const c = build(value, style, opts);
          if (c && checkCase(value, style, c)) checked++;
        }),
        { numRuns: 400 },
      );
      // Most renderings must round-trip, or the property says little.
      expect(checked).toBeGreaterThan(style === "plain" ? 150 : 250);
    });
  }

  it("all styles agree with the parser's decoded value for arbitrary YAML-ish text", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", " ", "\n", "\r\n", "\t", "'", '"', "\\", "x", "#", ":", "-", "|", ">", "2", "+") , maxLength: 40 }), (body) => {
        const text = `- rule: r\n  condition: ${body}\n`;
        const file = parseRulesFile(text);
        const rule = file.items[0];
        if (rule?.kind !== "rule" || !rule.condition) return;
        const c = rule.condition;
        let prev = -1;
        for (let i = 0; i <= c.text.length; i++) {
          const off = c.toFileOffset(i);
          expect(off).toBeGreaterThanOrEqual(prev);
          expect(off).toBeLessThanOrEqual(text.length);
          prev = off;
        }
      }),
      { numRuns: 500 },
    );
  });
});
