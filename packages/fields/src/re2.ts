/**
 * The syntax check of RE2 (release 2022-06-01, the one libs 0.25.4 bundles) in POSIX mode, which
 * is how libs compiles `regex` values (`RE2::POSIX`: no Perl classes, no `\b`, no `(?...)`
 * groups, no non-greedy operators, no Unicode classes). It answers with RE2's own error text.
 */

const MAX_REPEAT = 1000;

const POSIX_GROUPS = new Set(
  ["alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space", "upper", "word", "xdigit"].flatMap((n) => [
    `[:${n}:]`,
    `[:^${n}:]`,
  ]),
);

/** A parsed piece, kept only as far as the repetition-size check needs it. */
interface Piece {
  op: "star" | "plus" | "quest" | "repeat" | "other";
  /** For `repeat`: the count RE2's RepetitionWalker divides by. */
  count?: number;
  kids: Piece[];
}

class Re2Error extends Error {}

const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9A-Fa-f]$/.test(c);
const isOctal = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "7";
const isAlnum = (c: string): boolean => /^[A-Za-z0-9]$/.test(c);

/** The smallest share left after dividing 1000 by the counts of nested repetitions. */
function repetitionBudget(p: Piece, parent: number): number {
  let arg = parent;
  if (p.op === "repeat" && p.count! > 0) arg = Math.trunc(arg / p.count!);
  let res = arg;
  for (const k of p.kids) res = Math.min(res, repetitionBudget(k, arg));
  return res;
}

class Parser {
  private i = 0;
  /** One frame per open group: finished alternatives and the current one. */
  private frames: { alts: Piece[][]; cur: Piece[] }[] = [{ alts: [], cur: [] }];

  constructor(private readonly re: string) {}

  private fail(msg: string): never {
    throw new Re2Error(msg);
  }

  /** Reads one rune at `at`: [rune, next index]; lone surrogates are invalid UTF-8. */
  private rune(at: number): [string, number] {
    const cp = this.re.codePointAt(at);
    if (cp === undefined) this.fail("invalid UTF-8");
    if (cp >= 0xd800 && cp <= 0xdfff) this.fail("invalid UTF-8");
    const ch = String.fromCodePoint(cp);
    return [ch, at + ch.length];
  }

  private get frame() {
    return this.frames[this.frames.length - 1]!;
  }

  private push(p: Piece = { op: "other", kids: [] }): void {
    this.frame.cur.push(p);
  }

  run(): void {
    const re = this.re;
    while (this.i < re.length) {
      const c = re[this.i]!;
      switch (c) {
        case "(":
          this.frames.push({ alts: [], cur: [] });
          this.i++;
          break;
        case "|":
          this.frame.alts.push(this.frame.cur);
          this.frame.cur = [];
          this.i++;
          break;
        case ")": {
          if (this.frames.length === 1) this.fail(`unexpected ): ${re}`);
          const f = this.frames.pop()!;
          this.push({ op: "other", kids: [...f.alts.flat(), ...f.cur] });
          this.i++;
          break;
        }
        case "[":
          this.charClass();
          this.push();
          break;
        case "*":
        case "+":
        case "?":
          this.repeatOp(c === "*" ? "star" : c === "+" ? "plus" : "quest", c);
          this.i++;
          break;
        case "{": {
          const rep = this.counted();
          if (!rep) {
            this.push();
            this.i++;
            break;
          }
          this.repetition(rep.min, rep.max, re.slice(this.i, rep.end));
          this.i = rep.end;
          break;
        }
        case "\\":
          this.i = this.escape(this.i);
          this.push();
          break;
        default:
          this.i = this.rune(this.i)[1];
          this.push();
      }
    }
    if (this.frames.length > 1) this.fail(`missing ): ${re}`);
  }

  private repeatOp(op: "star" | "plus" | "quest", text: string): void {
    const cur = this.frame.cur;
    const top = cur[cur.length - 1];
    if (!top) this.fail(`no argument for repetition operator: ${text}`);
    if (top.op === op) return;
    if (top.op === "star" || top.op === "plus" || top.op === "quest") {
      top.op = "star";
      return;
    }
    cur[cur.length - 1] = { op, kids: [top] };
  }

  private repetition(min: number, max: number, text: string): void {
    if ((max !== -1 && max < min) || min > MAX_REPEAT || max > MAX_REPEAT) this.fail(`invalid repetition size: ${text}`);
    const cur = this.frame.cur;
    const top = cur[cur.length - 1];
    if (!top) this.fail(`no argument for repetition operator: ${text}`);
    const p: Piece = { op: "repeat", count: max < 0 ? min : max, kids: [top] };
    cur[cur.length - 1] = p;
    if ((min >= 2 || max >= 2) && repetitionBudget(p, MAX_REPEAT) === 0) this.fail(`invalid repetition size: ${text}`);
  }

  /** `{n}`, `{n,}` or `{n,m}` at the cursor, or undefined (then `{` is a literal). */
  private counted(): { min: number; max: number; end: number } | undefined {
    const m = /^\{(0|[1-9][0-9]*)(?:(,)(0|[1-9][0-9]*)?)?\}/.exec(this.re.slice(this.i));
    if (!m) return undefined;
    const num = (s: string): number | undefined => (s.length > 9 ? undefined : Number(s));
    const min = num(m[1]!);
    if (min === undefined) return undefined;
    let max = min;
    if (m[2]) {
      if (m[3] === undefined) max = -1;
      else {
        const hi = num(m[3]);
        if (hi === undefined) return undefined;
        max = hi;
      }
    }
    return { min, max, end: this.i + m[0].length };
  }

  /** An escape at `at` (a backslash); returns the index after it and checks it. */
  private escape(at: number): number {
    return this.escapeRune(at)[1];
  }

  /** RE2's ParseEscape: [rune code, next index]. */
  private escapeRune(at: number): [number, number] {
    const re = this.re;
    if (at + 1 >= re.length) this.fail("trailing \\");
    const bad = (end: number): never => this.fail(`invalid escape sequence: ${re.slice(at, end)}`);
    const [c, next] = this.rune(at + 1);
    let p = next;
    if (c >= "1" && c <= "7" && !isOctal(re[p])) bad(p);
    if (c >= "0" && c <= "7") {
      let code = c.charCodeAt(0) - 48;
      for (let k = 0; k < 2 && isOctal(re[p]); k++) code = code * 8 + (re.charCodeAt(p++) - 48);
      return [code, p];
    }
    switch (c) {
      case "x": {
        if (p >= re.length) bad(p);
        let [d, q] = this.rune(p);
        p = q;
        if (d === "{") {
          if (p >= re.length) this.rune(p);
          [d, q] = this.rune(p);
          p = q;
          let n = 0;
          let code = 0;
          while (isHex(d)) {
            n++;
            code = code * 16 + Number.parseInt(d, 16);
            if (code > 0x10ffff) bad(p);
            if (p >= re.length) bad(p);
            [d, q] = this.rune(p);
            p = q;
          }
          if (d !== "}" || n === 0) bad(p);
          return [code, p];
        }
        if (p >= re.length) bad(p);
        const [d1, q1] = this.rune(p);
        p = q1;
        if (!isHex(d) || !isHex(d1)) bad(p);
        return [Number.parseInt(d + d1, 16), p];
      }
      case "n":
        return [10, p];
      case "r":
        return [13, p];
      case "t":
        return [9, p];
      case "a":
        return [7, p];
      case "f":
        return [12, p];
      case "v":
        return [11, p];
      default:
        if (c.codePointAt(0)! < 0x80 && !isAlnum(c)) return [c.charCodeAt(0), p];
        return bad(p);
    }
  }

  /** RE2's ParseCharClass, from the `[` at the cursor. */
  private charClass(): void {
    const re = this.re;
    const whole = re.slice(this.i);
    let p = this.i + 1;
    if (re[p] === "^") p++;
    let first = true;
    while (p < re.length && (re[p] !== "]" || first)) {
      if (re[p] === "-" && !first && (p + 1 >= re.length || re[p + 1] !== "]")) {
        if (p + 1 >= re.length) this.fail("invalid UTF-8");
        const [, n] = this.rune(p + 1);
        this.fail(`invalid character class range: ${re.slice(p, n)}`);
      }
      first = false;
      if (re.length - p > 2 && re[p] === "[" && re[p + 1] === ":") {
        const close = re.indexOf(":]", p + 2);
        if (close >= 0) {
          const name = re.slice(p, close + 2);
          if (!POSIX_GROUPS.has(name)) this.fail(`invalid character class range: ${name}`);
          p = close + 2;
          continue;
        }
      }
      const start = p;
      let lo: number;
      [lo, p] = this.classChar(p, whole);
      if (re.length - p >= 2 && re[p] === "-" && re[p + 1] !== "]") {
        let hi: number;
        [hi, p] = this.classChar(p + 1, whole);
        if (hi < lo) this.fail(`invalid character class range: ${re.slice(start, p)}`);
      }
    }
    if (p >= re.length) this.fail(`missing ]: ${whole}`);
    this.i = p + 1;
  }

  private classChar(p: number, whole: string): [number, number] {
    if (p >= this.re.length) this.fail(`missing ]: ${whole}`);
    if (this.re[p] === "\\") return this.escapeRune(p);
    const [ch, next] = this.rune(p);
    return [ch.codePointAt(0)!, next];
  }
}

/**
 * Whether RE2 (POSIX syntax) accepts `pattern`. Returns undefined when it does, else RE2's error
 * text, e.g. `missing ): (abc`; libs reports it as `invalid regex pattern: <text>`.
 */
export function re2PosixSyntaxError(pattern: string): string | undefined {
  try {
    new Parser(pattern).run();
    return undefined;
  } catch (e) {
    if (e instanceof Re2Error) return e.message;
    throw e;
  }
}
