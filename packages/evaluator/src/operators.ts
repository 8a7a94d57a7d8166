/**
 * The comparison operators of Falco conditions, evaluated as libsinsp 0.25.4 evaluates them
 * (`sinsp_filter_check::compare_rhs`, `flt_compare` and friends).
 *
 * A check is compiled once: its constants are parsed for the field type (`parseFilterValue`, as
 * libs' `add_filter_value`), regexes are compiled, `pmatch` search paths are put in libs' prefix
 * tree, and `in` sets are built. The predicate then only looks at the extracted value.
 *
 * Strings are compared the way libs compares its buffers:
 * - `=`, `!=`, `<`..`>=`, `contains`, `icontains`, `startswith`, `endswith`, `glob`, `iglob` see
 *   C strings: a value ends at its first NUL (strcmp, strstr, strcasestr, fnmatch);
 * - `in`, `intersects`, modifier sets, `pmatch` and `regex` see the whole buffer with its trailing
 *   NULs dropped (`craft_filter_value`); items of list fields and right-hand-side field values are
 *   compared byte for byte, trailing NULs included (libs' string transformers leave one there).
 * Text is compared as its UTF-8 bytes; only ASCII letters fold case (libs runs in the C locale).
 */
import { RE2JS } from "re2js";
import { parseFilterValue, unhex, type FieldType, type FilterValue, type FilterValueOptions } from "@falcokit/fields";
import type { Extracted, NetValue, Scalar } from "./value.js";

// The runtime globals (Node, browsers); declared here because the package builds without DOM or
// node typings.
declare const TextEncoder: new () => {
  encode(input: string): Uint8Array;
  encodeInto(input: string, dest: Uint8Array): { read: number; written: number };
};

/** A compiled check: true when the value satisfies it. `undefined` (unreadable field) is false. */
export type Predicate = (value: Extracted) => boolean;

/** A compiled comparison of a field with a right-hand-side field: false when either is unreadable. */
export type FieldPredicate = (left: Extracted, right: Extracted) => boolean;

/** Options of `compileCheck`. */
export interface CheckOptions {
  /** Service names accepted for PORT values (getservbyname); Debian netbase's by default. */
  services?: ReadonlyMap<string, number>;
  /**
   * The value comes without a length, as libs' `compare_rhs(cmp, type, ptr)` receives it from
   * `fd.ip` (`sinsp_filter_check_fd::compare_ip`): set membership (`in`, `intersects`) then never
   * matches for types whose values have a fixed size.
   */
  unsizedValue?: boolean;
}

/** An operator or constant libs rejects; the message is libs' exception text. */
export class OperatorError extends Error {
  override name = "OperatorError";
}

// --- operators ----------------------------------------------------------------------------------------

/** libs' `cmpop`, by its text (`==` is `=`). */
export type BaseOperator =
  | "="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "contains"
  | "icontains"
  | "bcontains"
  | "startswith"
  | "bstartswith"
  | "endswith"
  | "glob"
  | "iglob"
  | "pmatch"
  | "regex"
  | "in"
  | "intersects"
  | "exists";

/** String-operator modifiers (libs' `cmpop_mod`). */
export type OperatorModifier = "oneof" | "anyof" | "allof";

const BASE_OPERATORS = new Set<string>([
  "=", "!=", "<", "<=", ">", ">=", "contains", "icontains", "bcontains", "startswith", "bstartswith", "endswith", "glob", "iglob", "pmatch",
  "regex", "in", "intersects", "exists",
]);

/** An operator as written (`"=="`, `"contains anyof"`), split as libs' `str_to_cmpop_with_modifier`. */
export function parseOperator(op: string): { op: BaseOperator; mod?: OperatorModifier } {
  const sp = op.indexOf(" ");
  const base = sp < 0 ? op : op.slice(0, sp);
  const normalized = base === "==" ? "=" : base;
  if (!BASE_OPERATORS.has(normalized)) throw new OperatorError(`unrecognized filter comparison operator '${base}'`);
  if (sp < 0) return { op: normalized as BaseOperator };
  const mod = op.slice(sp + 1);
  if (mod !== "oneof" && mod !== "anyof" && mod !== "allof") throw new OperatorError(`unrecognized filter comparison modifier '${mod}'`);
  return { op: normalized as BaseOperator, mod };
}

// --- types --------------------------------------------------------------------------------------------

/** How `flt_compare` handles a type. */
type Kind = "int" | "uint" | "double" | "bool" | "string" | "bytes" | "ip4" | "ip6" | "ip" | "net4" | "net6" | "net" | "none";

interface KindInfo {
  kind: Kind;
  bits: number;
}

const KINDS: Partial<Record<FieldType, KindInfo>> = {
  INT8: { kind: "int", bits: 8 },
  INT16: { kind: "int", bits: 16 },
  INT32: { kind: "int", bits: 32 },
  INT64: { kind: "int", bits: 64 },
  FD: { kind: "int", bits: 64 },
  PID: { kind: "int", bits: 64 },
  ERRNO: { kind: "int", bits: 64 },
  FLAGS8: { kind: "uint", bits: 8 },
  ENUMFLAGS8: { kind: "uint", bits: 8 },
  UINT8: { kind: "uint", bits: 8 },
  SIGTYPE: { kind: "uint", bits: 8 },
  FLAGS16: { kind: "uint", bits: 16 },
  UINT16: { kind: "uint", bits: 16 },
  ENUMFLAGS16: { kind: "uint", bits: 16 },
  PORT: { kind: "uint", bits: 16 },
  SYSCALLID: { kind: "uint", bits: 16 },
  UINT32: { kind: "uint", bits: 32 },
  FLAGS32: { kind: "uint", bits: 32 },
  ENUMFLAGS32: { kind: "uint", bits: 32 },
  MODE: { kind: "uint", bits: 32 },
  UID: { kind: "uint", bits: 32 },
  GID: { kind: "uint", bits: 32 },
  UINT64: { kind: "uint", bits: 64 },
  RELTIME: { kind: "uint", bits: 64 },
  ABSTIME: { kind: "uint", bits: 64 },
  BOOL: { kind: "bool", bits: 32 },
  DOUBLE: { kind: "double", bits: 64 },
  CHARBUF: { kind: "string", bits: 0 },
  FSPATH: { kind: "string", bits: 0 },
  FSRELPATH: { kind: "string", bits: 0 },
  BYTEBUF: { kind: "bytes", bits: 0 },
  IPV4ADDR: { kind: "ip4", bits: 0 },
  IPV6ADDR: { kind: "ip6", bits: 0 },
  IPADDR: { kind: "ip", bits: 0 },
  IPV4NET: { kind: "net4", bits: 0 },
  IPV6NET: { kind: "net6", bits: 0 },
  IPNET: { kind: "net", bits: 0 },
};

const kindOf = (type: FieldType): KindInfo => KINDS[type] ?? { kind: "none", bits: 0 };

/** Types `flt_compare` only compares for equality (libs' `flt_type_is_eq_only`). */
const EQ_ONLY = new Set<FieldType>(["IPV4NET", "IPV6NET", "IPNET", "SOCKADDR", "SOCKTUPLE", "FDLIST", "SIGSET"]);

/** Element types libs supports for list fields. */
const LIST_TYPES = new Set<FieldType>(["CHARBUF", "UINT64", "RELTIME", "ABSTIME", "BOOL", "IPADDR", "IPNET"]);

// --- value normalization ----------------------------------------------------------------------------------

const INT_RANGE: Record<number, [bigint, bigint]> = {
  8: [-(1n << 7n), (1n << 7n) - 1n],
  16: [-(1n << 15n), (1n << 15n) - 1n],
  32: [-(1n << 31n), (1n << 31n) - 1n],
  64: [-(1n << 63n), (1n << 63n) - 1n],
};
const UINT_MAX: Record<number, bigint> = { 8: 255n, 16: 65535n, 32: 4294967295n, 64: (1n << 64n) - 1n };

/** Little-endian integer of a byte buffer (how libs' `flt_cast` reads memory). */
function bytesToBigInt(b: Uint8Array, width: number): bigint {
  let v = 0n;
  const n = Math.min(b.length, width);
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return v;
}

function toBigInt(v: Scalar, bytes: number): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number") return Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
  if (typeof v === "boolean") return v ? 1n : 0n;
  if (v instanceof Uint8Array) return bytesToBigInt(v, bytes);
  return 0n;
}

/** The value as libs reads it for a signed type of `bits` bits. */
function asSigned(v: Scalar, bits: number): bigint {
  if (typeof v === "bigint") {
    const r = INT_RANGE[bits]!;
    if (v >= r[0] && v <= r[1]) return v;
  }
  return BigInt.asIntN(bits, toBigInt(v, bits / 8));
}

/** The value as libs reads it for an unsigned type of `bits` bits. */
function asUnsigned(v: Scalar, bits: number): bigint {
  if (typeof v === "bigint" && v >= 0n && v <= UINT_MAX[bits]!) return v;
  return BigInt.asUintN(bits, toBigInt(v, bits / 8));
}

function asDouble(v: Scalar): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  return Number.NaN;
}

/** BOOL values are compared as uint32. */
function asBool(v: Scalar): number {
  if (typeof v === "boolean") return v ? 1 : 0;
  return Number(asUnsigned(v, 32));
}

/** Bytes of an address or buffer value. */
function asBytes(v: Scalar): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === "object" && v !== null && "net" in v) return v.net;
  if (typeof v === "string") return utf8(v);
  return new Uint8Array(0);
}

const isNet = (v: Scalar): v is NetValue => typeof v === "object" && v !== null && !(v instanceof Uint8Array) && "prefix" in v;

// --- strings --------------------------------------------------------------------------------------------------

const encoder = new TextEncoder();

/** UTF-8 bytes of a string (lone surrogates become U+FFFD). */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

let scratch = new Uint8Array(1024);

/** UTF-8 bytes of `s` in a shared scratch buffer: valid until the next call. */
function scratchUtf8(s: string): number {
  if (s.length * 3 > scratch.length) scratch = new Uint8Array(s.length * 3 + 64);
  return encoder.encodeInto(s, scratch).written;
}

/** The C string of a buffer: up to its first NUL. */
export function cString(s: string): string {
  const z = s.indexOf("\0");
  return z < 0 ? s : s.slice(0, z);
}

/** The buffer with its trailing NULs dropped (libs' `craft_filter_value` for strings). */
function crafted(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** `strcmp` of two NUL-free strings: by UTF-8 bytes, which is code point order. */
function strcmp(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 code units sort surrogates below U+E000-U+FFFF; code points sort them above
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

const UPPER = /[A-Z]/;
const UPPER_RUN = /[A-Z]+/g;
/** ASCII-only lower case (C locale `tolower`). */
export function asciiLower(s: string): string {
  return UPPER.test(s) ? s.replace(UPPER_RUN, (m) => m.toLowerCase()) : s;
}
const LOWER = /[a-z]/;
const LOWER_RUN = /[a-z]+/g;
/** ASCII-only upper case (C locale `toupper`). */
export function asciiUpper(s: string): string {
  return LOWER.test(s) ? s.replace(LOWER_RUN, (m) => m.toUpperCase()) : s;
}

// --- byte buffers -------------------------------------------------------------------------------------------

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function bytesStartWith(a: Uint8Array, b: Uint8Array): boolean {
  if (b.length > a.length) return false;
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function bytesEndWith(a: Uint8Array, b: Uint8Array): boolean {
  if (b.length > a.length) return false;
  const off = a.length - b.length;
  for (let i = 0; i < b.length; i++) if (a[off + i] !== b[i]) return false;
  return true;
}

/** `memmem`: an empty needle is found. */
function bytesContain(a: Uint8Array, b: Uint8Array): boolean {
  const n = b.length;
  if (n === 0) return true;
  const first = b[0]!;
  const last = a.length - n;
  outer: for (let i = a.indexOf(first); i >= 0 && i <= last; i = a.indexOf(first, i + 1)) {
    for (let j = 1; j < n; j++) if (a[i + j] !== b[j]) continue outer;
    return true;
  }
  return false;
}

/** A string key holding the bytes, for sets. */
function bytesKey(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 4096) s += String.fromCharCode.apply(null, b.subarray(i, i + 4096) as unknown as number[]);
  return s;
}

// --- glob: glibc fnmatch(pattern, string, 0 or FNM_CASEFOLD) in the C locale --------------------------------------

// glibc builds fnmatch with CHARCLASS_NAME_MAX (2048) as the longest class name it scans
const CHAR_CLASS_MAX_LENGTH = 2048;
const C_ASTERISK = 42;
const C_QUESTION = 63;
const C_BACKSLASH = 92;
const C_LBRACKET = 91;
const C_RBRACKET = 93;
const C_COLON = 58;
const C_EQUALS = 61;
const C_DOT = 46;
const C_DASH = 45;
const C_BANG = 33;
const C_CARET = 94;

const fold = (c: number, cf: boolean): number => (cf && c >= 65 && c <= 90 ? c + 32 : c);

/** `isctype` of a byte in the C locale for a class name; undefined when the name is no class. */
function charClassTest(name: string): ((c: number) => boolean) | undefined {
  switch (name) {
    case "alnum":
      return (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    case "alpha":
      return (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    case "blank":
      return (c) => c === 32 || c === 9;
    case "cntrl":
      return (c) => c < 32 || c === 127;
    case "digit":
      return (c) => c >= 48 && c <= 57;
    case "graph":
      return (c) => c > 32 && c < 127;
    case "lower":
      return (c) => c >= 97 && c <= 122;
    case "print":
      return (c) => c >= 32 && c < 127;
    case "punct":
      return (c) => c > 32 && c < 127 && !((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122));
    case "space":
      return (c) => c === 32 || (c >= 9 && c <= 13);
    case "upper":
      return (c) => c >= 65 && c <= 90;
    case "xdigit":
      return (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
    default:
      return undefined;
  }
}

/** Where a match of the rest of a pattern stopped at the next `*` (glibc's `struct STRUCT`). */
interface GlobEnds {
  p: number;
  n: number;
}

/**
 * glibc's `FCT` (posix/fnmatch_loop.c), single-byte version, flags 0 or FNM_CASEFOLD, in the C
 * locale (identity collation, ASCII classes). `p` and `s` are NUL-free; reading past their end
 * gives 0, like reading the terminator. Returns true on a match.
 */
function fnmatchAt(p: Uint8Array, s: Uint8Array, slen: number, pi: number, ni: number, cf: boolean, ends: GlobEnds | null): boolean {
  const plen = p.length;
  const at = (i: number): number => (i < plen ? p[i]! : 0);
  let c: number;
  main: while ((c = at(pi++)) !== 0) {
    c = fold(c, cf);
    switch (c) {
      case C_QUESTION:
        if (ni === slen) return false;
        break;
      case C_BACKSLASH:
        c = at(pi++);
        if (c === 0) return false;
        c = fold(c, cf);
        if (ni === slen || fold(s[ni]!, cf) !== c) return false;
        break;
      case C_ASTERISK: {
        if (ends !== null) {
          ends.p = pi - 1;
          ends.n = ni;
          return true;
        }
        for (c = at(pi++); c === C_QUESTION || c === C_ASTERISK; c = at(pi++)) {
          if (c === C_QUESTION) {
            if (ni === slen) return false;
            ni++;
          }
        }
        if (c === 0) return true;
        const end: GlobEnds = { p: -1, n: 0 };
        let found = false;
        if (c === C_LBRACKET) {
          for (--pi; ni < slen; ++ni) {
            if (fnmatchAt(p, s, slen, pi, ni, cf, end)) {
              found = true;
              break;
            }
          }
        } else {
          if (c === C_BACKSLASH) c = at(pi);
          c = fold(c, cf);
          for (--pi; ni < slen; ++ni) {
            if (fold(s[ni]!, cf) === c && fnmatchAt(p, s, slen, pi, ni, cf, end)) {
              found = true;
              break;
            }
          }
        }
        if (!found) return false;
        if (end.p < 0) return true;
        pi = end.p;
        ni = end.n;
        continue main;
      }
      case C_LBRACKET: {
        const pInit = pi;
        const nInit = ni;
        if (ni === slen) return false;
        const not = at(pi) === C_BANG || at(pi) === C_CARET;
        if (not) pi++;
        const sc = s[ni]!;
        const fn = fold(sc, cf);
        let matched = false;
        /**
         * After an element with lower bound `cold`, `c` holds the next pattern byte: when it is a
         * `-` starting a range, reads the upper bound and tests it. 1: the byte is in the range;
         * -1: the pattern is malformed (no match at all); 0: go on (`c` holds the next byte).
         */
        const bracketRange = (cold: number): number => {
          if (c !== C_DASH || at(pi) === C_RBRACKET) return 0;
          let cend = at(pi++);
          if (cend === C_LBRACKET && at(pi) === C_DOT) {
            const startp = pi;
            let c1 = 0;
            for (;;) {
              const d = at(++pi);
              if (d === C_DOT && at(pi + 1) === C_RBRACKET) {
                pi += 2;
                break;
              }
              if (d === 0) return -1;
              ++c1;
            }
            if (c1 !== 1) return -1;
            cend = at(startp + 1);
          } else {
            if (cend === C_BACKSLASH) cend = at(pi++);
            if (cend === 0) return -1;
            cend = fold(cend, cf);
          }
          if (cold <= fn && fn <= cend) return 1;
          c = at(pi++);
          return 0;
        };
        c = at(pi++);
        bracket: for (;;) {
          // one element of the bracket expression; `normal` is set for a plain character in `c`
          let normal = false;
          if (c === C_BACKSLASH) {
            if (at(pi) === 0) return false;
            c = fold(at(pi), cf);
            pi++;
            normal = true;
          } else if (c === C_LBRACKET && at(pi) === C_COLON) {
            const startp = pi;
            let name = "";
            let c1 = 0;
            let isClass = true;
            for (;;) {
              if (c1 === CHAR_CLASS_MAX_LENGTH) return false;
              c = at(++pi);
              if (c === C_COLON && at(pi + 1) === C_RBRACKET) {
                pi += 2;
                break;
              }
              if (c < 97 || c >= 122) {
                pi = startp;
                c = C_LBRACKET;
                isClass = false;
                break;
              }
              name += String.fromCharCode(c);
              c1++;
            }
            if (isClass) {
              const test = charClassTest(name);
              if (!test) return false;
              if (test(sc)) {
                matched = true;
                break bracket;
              }
              c = at(pi++);
            } else {
              normal = true;
            }
          } else if (c === C_LBRACKET && at(pi) === C_EQUALS) {
            const startp = pi;
            c = at(++pi);
            if (c === 0) {
              pi = startp;
              c = C_LBRACKET;
              normal = true;
            } else {
              const str = c;
              c = at(++pi);
              if (c !== C_EQUALS || at(pi + 1) !== C_RBRACKET) {
                pi = startp;
                c = C_LBRACKET;
                normal = true;
              } else {
                pi += 2;
                if (sc === str) {
                  matched = true;
                  break bracket;
                }
                c = at(pi++);
              }
            }
          } else if (c === 0) {
            // `[` without its `]`: a plain character
            pi = pInit;
            ni = nInit;
            if (ni === slen || fold(s[ni]!, cf) !== C_LBRACKET) return false;
            ni++;
            continue main;
          } else if (c === C_LBRACKET && at(pi) === C_DOT) {
            const startp = pi;
            let c1 = 0;
            for (;;) {
              c = at(++pi);
              if (c === C_DOT && at(pi + 1) === C_RBRACKET) {
                pi += 2;
                break;
              }
              if (c === 0) return false;
              ++c1;
            }
            const isRange = at(pi) === C_DASH && at(pi + 1) !== 0;
            if (c1 !== 1) return false;
            if (!isRange && sc === at(startp + 1)) {
              matched = true;
              break bracket;
            }
            const cold = at(startp + 1);
            c = at(pi++);
            const r = bracketRange(cold);
            if (r === 1) {
              matched = true;
              break bracket;
            }
            if (r === -1) return false;
          } else {
            c = fold(c, cf);
            normal = true;
          }
          if (normal) {
            const isRange = at(pi) === C_DASH && at(pi + 1) !== 0 && at(pi + 1) !== C_RBRACKET;
            if (!isRange && c === fn) {
              matched = true;
              break bracket;
            }
            const cold = c;
            c = at(pi++);
            const r = bracketRange(cold);
            if (r === 1) {
              matched = true;
              break bracket;
            }
            if (r === -1) return false;
          }
          if (c === C_RBRACKET) break;
        }
        if (!matched) {
          if (!not) return false;
          break;
        }
        // skip the rest of the bracket expression that already matched
        while ((c = at(pi++)) !== C_RBRACKET) {
          if (c === 0) return false;
          if (c === C_BACKSLASH) {
            if (at(pi) === 0) return false;
            ++pi;
          } else if (c === C_LBRACKET && at(pi) === C_COLON) {
            let c1 = 0;
            const startp = pi;
            for (;;) {
              c = at(++pi);
              if (++c1 === CHAR_CLASS_MAX_LENGTH) return false;
              if (at(pi) === C_COLON && at(pi + 1) === C_RBRACKET) break;
              if (c < 97 || c >= 122) {
                pi = startp - 2;
                break;
              }
            }
            pi += 2;
          } else if (c === C_LBRACKET && at(pi) === C_EQUALS) {
            c = at(++pi);
            if (c === 0) return false;
            c = at(++pi);
            if (c !== C_EQUALS || at(pi + 1) !== C_RBRACKET) return false;
            pi += 2;
          } else if (c === C_LBRACKET && at(pi) === C_DOT) {
            for (;;) {
              c = at(++pi);
              if (c === 0) return false;
              if (c === C_DOT && at(pi + 1) === C_RBRACKET) break;
            }
            pi += 2;
          }
        }
        if (not) return false;
        break;
      }
      default:
        if (ni === slen || c !== fold(s[ni]!, cf)) return false;
    }
    ni++;
  }
  return ni === slen;
}

/** A glob pattern compiled for `glob`/`iglob`: glibc's `fnmatch` in the C locale, without FNM_PATHNAME. */
export class GlobPattern {
  private readonly bytes: Uint8Array;
  constructor(
    pattern: string,
    private readonly caseInsensitive = false,
  ) {
    this.bytes = utf8(cString(pattern));
  }

  /** Whether the C string of `text` matches (`*` matches `/` too). */
  matches(text: string): boolean {
    const t = cString(text);
    const n = scratchUtf8(t);
    return fnmatchAt(this.bytes, scratch, n, 0, 0, this.caseInsensitive, null);
  }
}

/** `fnmatch(pattern, text, caseInsensitive ? FNM_CASEFOLD : 0) == 0` (libs' `sinsp_utils::glob_match`). */
export function globMatch(pattern: string, text: string, caseInsensitive = false): boolean {
  return new GlobPattern(pattern, caseInsensitive).matches(text);
}

// --- pmatch: libs' path_prefix_search ---------------------------------------------------------------------------

const MASK64 = (1n << 64n) - 1n;
const MURMUR_MUL = (0xc6a4a793n << 32n) + 0x5bd1e995n;
const shiftMix = (v: bigint): bigint => v ^ (v >> 47n);

/** libstdc++'s `std::hash<std::string>` on 64-bit targets (`_Hash_bytes`, seed 0xc70f6907). */
export function stdHashBytes(bytes: Uint8Array): bigint {
  const len = bytes.length;
  const aligned = len & ~7;
  let hash = (0xc70f6907n ^ ((BigInt(len) * MURMUR_MUL) & MASK64)) & MASK64;
  for (let i = 0; i < aligned; i += 8) {
    const word = bytesToBigInt(bytes.subarray(i, i + 8), 8);
    const data = (shiftMix((word * MURMUR_MUL) & MASK64) * MURMUR_MUL) & MASK64;
    hash = ((hash ^ data) * MURMUR_MUL) & MASK64;
  }
  if (len & 7) {
    const data = bytesToBigInt(bytes.subarray(aligned), 8);
    hash = ((hash ^ data) * MURMUR_MUL) & MASK64;
  }
  hash = (shiftMix(hash) * MURMUR_MUL) & MASK64;
  return shiftMix(hash);
}

/** libstdc++'s `_Prime_rehash_policy::_M_next_bkt` for small sizes. */
const FAST_BUCKETS = [2, 2, 2, 3, 5, 5, 7, 7, 11, 11, 11, 11, 13, 13];

/**
 * The bucket counts a growing libstdc++ table goes through past 13 (each is the first entry of
 * `__prime_list` not below twice the previous one), as measured with libstdc++ 12.
 */
const GROWTH_BUCKETS = [29, 59, 127, 257, 541, 1109, 2357, 5087, 10273, 20753, 42043, 85229, 172933, 351061, 712697, 1447153, 2938679, 5967347];

interface MapNode<V> {
  key: string;
  code: bigint;
  value: V;
  next: MapNode<V> | null;
}

/**
 * A `std::unordered_map<std::string, V>` as libstdc++ lays it out: keys are only compared, but
 * the iteration order (which libs' `pmatch` depends on, see `PathPrefixSearch`) is libstdc++'s:
 * a singly linked list where each insert goes to the front of its bucket, or to the front of
 * the list when the bucket is empty, reordered by rehashes.
 */
export class StdUnorderedMap<V> {
  /** `_M_before_begin`: its `next` is the first node. */
  private readonly beforeBegin: MapNode<V> = { key: "", code: 0n, value: undefined as V, next: null };
  /** Per bucket, the node before the bucket's first node (or the before-begin node). */
  private buckets: (MapNode<V> | null)[] = [null];
  private count = 0;
  private nextResize = 0;

  get size(): number {
    return this.count;
  }

  get bucketCount(): number {
    return this.buckets.length;
  }

  private index(code: bigint): number {
    return Number(code % BigInt(this.buckets.length));
  }

  private findNode(key: string): MapNode<V> | null {
    for (let n = this.beforeBegin.next; n; n = n.next) if (n.key === key) return n;
    return null;
  }

  get(key: string): V | undefined {
    return this.findNode(key)?.value;
  }

  has(key: string): boolean {
    return this.findNode(key) !== null;
  }

  /** `map[key] = value`. */
  set(key: string, value: V): void {
    const existing = this.findNode(key);
    if (existing) {
      existing.value = value;
      return;
    }
    const node: MapNode<V> = { key, code: stdHashBytes(utf8(key)), value, next: null };
    this.growFor(1);
    this.insertBucketBegin(this.index(node.code), node);
    this.count++;
  }

  /** `_M_need_rehash` then `_M_rehash` when needed. */
  private growFor(ins: number): void {
    if (this.count + ins <= this.nextResize) return;
    const minBuckets = Math.max(this.count + ins, this.nextResize ? 0 : 11);
    if (minBuckets >= this.buckets.length) {
      this.rehash(this.nextBucketCount(Math.max(Math.floor(minBuckets) + 1, this.buckets.length * 2)));
    } else {
      this.nextResize = this.buckets.length;
    }
  }

  private nextBucketCount(n: number): number {
    if (n < FAST_BUCKETS.length) {
      if (n === 0) return 1;
      this.nextResize = FAST_BUCKETS[n]!;
      return FAST_BUCKETS[n]!;
    }
    const p = GROWTH_BUCKETS.find((b) => b >= n) ?? n;
    this.nextResize = p;
    return p;
  }

  private insertBucketBegin(bkt: number, node: MapNode<V>): void {
    const before = this.buckets[bkt];
    if (before) {
      node.next = before.next;
      before.next = node;
    } else {
      node.next = this.beforeBegin.next;
      this.beforeBegin.next = node;
      if (node.next) this.buckets[this.index(node.next.code)] = node;
      this.buckets[bkt] = this.beforeBegin;
    }
  }

  private rehash(n: number): void {
    const buckets: (MapNode<V> | null)[] = new Array<MapNode<V> | null>(n).fill(null);
    let p = this.beforeBegin.next;
    this.beforeBegin.next = null;
    let bbeginBkt = 0;
    while (p) {
      const next = p.next;
      const bkt = Number(p.code % BigInt(n));
      const before = buckets[bkt];
      if (!before) {
        p.next = this.beforeBegin.next;
        this.beforeBegin.next = p;
        buckets[bkt] = this.beforeBegin;
        if (p.next) buckets[bbeginBkt] = p;
        bbeginBkt = bkt;
      } else {
        p.next = before.next;
        before.next = p;
      }
      p = next;
    }
    this.buckets = buckets;
  }

  /** `map.erase(key)`. */
  delete(key: string): boolean {
    const n = this.findNode(key);
    if (!n) return false;
    const bkt = this.index(n.code);
    let prev = this.buckets[bkt]!;
    while (prev.next !== n) prev = prev.next!;
    const next = n.next;
    if (prev === this.buckets[bkt]) {
      const nextBkt = next ? this.index(next.code) : 0;
      if (!next || nextBkt !== bkt) {
        if (next) this.buckets[nextBkt] = this.buckets[bkt]!;
        if (this.buckets[bkt] === this.beforeBegin) this.beforeBegin.next = next;
        this.buckets[bkt] = null;
      }
    } else if (next) {
      const nextBkt = this.index(next.code);
      if (nextBkt !== bkt) this.buckets[nextBkt] = prev;
    }
    prev.next = next;
    this.count--;
    return true;
  }

  /** Keys and values in libstdc++'s iteration order. */
  *entries(): IterableIterator<[string, V]> {
    for (let n = this.beforeBegin.next; n; n = n.next) yield [n.key, n.value];
  }
}

/** An entry of a prefix map level: a subtree for longer paths, or the end of a search path. */
interface PrefixEntry {
  sub: PrefixLevel | null;
  leaf: boolean;
}

class PrefixLevel {
  /** Components without glob characters, found by exact key. */
  readonly dirs = new Map<string, PrefixEntry>();
  /** Components with `?`, `*` or `[`, tried in libstdc++'s hash order. */
  readonly globDirs = new StdUnorderedMap<PrefixEntry>();
  /** The compiled globs of `globDirs`, by key. */
  readonly globs = new Map<string, GlobPattern>();
}

/** libs' `split_path`: the non-empty components between `/`s. */
function splitPath(path: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (;;) {
    const sep = path.indexOf("/", from);
    if (sep < 0) {
      if (from < path.length) out.push(path.slice(from));
      return out;
    }
    if (sep > from) out.push(path.slice(from, sep));
    from = sep + 1;
  }
}

/**
 * libs' `path_prefix_search` (prefix_search.h), the set of search paths of `pmatch`: a path
 * matches when a search path is a prefix of it, component by component (`/var/run` matches
 * `/var/run` and `/var/run/docker`, not `/var/running`); a component with `?`, `*` or `[` is a
 * glob (fnmatch) matched against one component. Its quirks are kept: a shorter search path
 * replaces longer ones below it, and glob components are tried in libstdc++ hash order with the
 * component pointer advanced after each glob that matches (so a later glob sees the next
 * component). Where libs would read past the last component, this ends the search unmatched.
 */
export class PathPrefixSearch {
  private readonly root = new PrefixLevel();

  addSearchPath(path: string): void {
    this.addComponents(this.root, ["root", ...splitPath(path)], 0);
  }

  private addComponents(level: PrefixLevel, comps: readonly string[], i: number): void {
    const key = comps[i]!;
    const glob = /[?*[]/.test(key);
    const last = i + 1 === comps.length;
    const existing = glob ? level.globDirs.get(key) : level.dirs.get(key);
    const put = (e: PrefixEntry): void => {
      if (glob) {
        level.globDirs.set(key, e);
        if (!level.globs.has(key)) level.globs.set(key, new GlobPattern(key));
      } else {
        level.dirs.set(key, e);
      }
    };
    if (!existing) {
      let sub: PrefixLevel | null = null;
      if (!last) {
        sub = new PrefixLevel();
        this.addComponents(sub, comps, i + 1);
      }
      put({ sub, leaf: last });
    } else if (last) {
      // this path is a prefix of the existing ones: they go (libs erases, then inserts again)
      if (glob) level.globDirs.delete(key);
      else level.dirs.delete(key);
      put({ sub: null, leaf: true });
    } else if (existing.sub !== null) {
      this.addComponents(existing.sub, comps, i + 1);
    }
  }

  /** Whether a search path is a prefix of `path` (the whole buffer, embedded NULs included). */
  match(path: string): boolean {
    return this.matchComponents(this.root, ["root", ...splitPath(path)], 0);
  }

  private matchComponents(level: PrefixLevel, comps: readonly string[], i: number): boolean {
    const direct = level.dirs.get(comps[i]!);
    if (direct && this.checkValue(direct, comps, i + 1)) return true;
    if (level.globDirs.size === 0) return false;
    let at = i;
    for (const [key, entry] of level.globDirs.entries()) {
      if (at >= comps.length) return false;
      if (level.globs.get(key)!.matches(comps[at]!)) {
        at++;
        if (this.checkValue(entry, comps, at)) return true;
      }
    }
    return false;
  }

  private checkValue(entry: PrefixEntry, comps: readonly string[], i: number): boolean {
    if (i === comps.length) return entry.sub === null && entry.leaf;
    if (entry.sub === null) return entry.leaf;
    return this.matchComponents(entry.sub, comps, i);
  }
}

// --- regex: RE2 with RE2::POSIX options, anchored at both ends ----------------------------------------------------

/** RE2's parser flags for `RE2::Options(RE2::POSIX)`: ClassNL only (no OneLine, no Perl extensions). */
const RE2_POSIX_PARSE_FLAGS = 4;

interface Re2Internals {
  compileImpl(expr: string, mode: number, longest: boolean): unknown;
}

let re2Class: Re2Internals | undefined;

/** A regex compiled as libs compiles `regex` values (`re2::RE2(pattern, RE2::POSIX)`). */
export class PosixRegex {
  private readonly re: RE2JS;
  constructor(readonly pattern: string) {
    if (!re2Class) {
      const probe = RE2JS.compile("a") as unknown as { re2Input?: { constructor?: Partial<Re2Internals> } };
      const ctor = probe.re2Input?.constructor;
      if (!ctor || typeof ctor.compileImpl !== "function") throw new Error("re2js: RE2 internals not found (POSIX compile unavailable)");
      re2Class = ctor as Re2Internals;
    }
    let compiled: unknown;
    try {
      compiled = re2Class.compileImpl(pattern, RE2_POSIX_PARSE_FLAGS, true);
    } catch (e) {
      throw new OperatorError(`invalid regex pattern: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.re = (RE2JS as unknown as { initTest(p: string, f: number, re2: unknown): RE2JS }).initTest(pattern, 0, compiled);
  }

  /** `RE2::Match(text, 0, len, ANCHOR_BOTH)`: the whole text matches. */
  fullMatch(text: string): boolean {
    return this.re.testExact(text);
  }
}

// --- constants ------------------------------------------------------------------------------------------------------

/** A constant of a check, parsed for the field type as libs stores it. */
type Operand = bigint | number | string | Uint8Array | NetValue;

function operandOf(v: FilterValue): Operand {
  switch (v.kind) {
    case "int":
      return v.value;
    case "double":
      return v.value;
    case "bool":
      return v.value ? 1 : 0;
    case "string":
      return v.value;
    case "bytes":
    case "ip":
      return v.value;
    case "net":
      return { net: v.value, prefix: v.prefix };
  }
}

function parseConstant(type: FieldType, op: BaseOperator, text: string, options: FilterValueOptions): Operand {
  let input: string | Uint8Array = text;
  if (op === "bcontains" || op === "bstartswith") {
    const bytes = unhex(text);
    if (!bytes) throw new OperatorError("filter error: bcontains and bstartswith operator support hex strings only");
    input = bytes;
  }
  const parsed = parseFilterValue(type, input, options);
  if (!parsed.ok) throw new OperatorError(parsed.error);
  return operandOf(parsed.value);
}

// --- flt_compare ----------------------------------------------------------------------------------------------------

/** A comparison of a value with one operand, both as `flt_compare` reads them. */
type Compare = (value: Scalar, operand: Operand) => boolean;

type Num = bigint | number;

/** The relation `flt_compare_numeric` applies (`in`/`intersects` are equality). */
function relation(op: BaseOperator): ((a: Num, b: Num) => boolean) | undefined {
  switch (op) {
    case "=":
    case "in":
    case "intersects":
      return (a, b) => a === b;
    case "!=":
      return (a, b) => a !== b;
    case "<":
      return (a, b) => a < b;
    case "<=":
      return (a, b) => a <= b;
    case ">":
      return (a, b) => a > b;
    case ">=":
      return (a, b) => a >= b;
    default:
      return undefined;
  }
}

/** How `flt_compare` reads a value of a numeric kind (`flt_cast` to the type's width). */
function numericReader(kind: Kind, bits: number): ((v: Scalar) => Num) | undefined {
  switch (kind) {
    case "int":
      return (v) => asSigned(v, bits);
    case "uint":
      return (v) => asUnsigned(v, bits);
    case "double":
      return asDouble;
    case "bool":
      return asBool;
    default:
      return undefined;
  }
}

function numericRelation(op: BaseOperator, kind: Kind): (a: Num, b: Num) => boolean {
  const rel = relation(op);
  if (!rel || (kind === "bool" && op !== "=" && op !== "!=" && op !== "in" && op !== "intersects")) return notComparable(op, "numeric");
  return rel;
}

function notComparable(op: BaseOperator, what: string): never {
  throw new OperatorError(`'${op}' operator not supported for ${what} filters`);
}

const operandString = (o: Operand): string => cString(typeof o === "string" ? o : o instanceof Uint8Array ? bytesKey(o) : String(o));

function stringCompare(op: BaseOperator): Compare {
  const s = (v: Scalar): string => cString(typeof v === "string" ? v : v instanceof Uint8Array ? bytesKey(v) : String(v));
  switch (op) {
    case "=":
    case "in":
    case "intersects":
      return (v, o) => s(v) === operandString(o);
    case "!=":
      return (v, o) => s(v) !== operandString(o);
    case "contains":
      return (v, o) => s(v).includes(operandString(o));
    case "icontains":
      return (v, o) => asciiLower(s(v)).includes(asciiLower(operandString(o)));
    case "startswith":
      return (v, o) => s(v).startsWith(operandString(o));
    case "endswith":
      return (v, o) => s(v).endsWith(operandString(o));
    case "glob":
      return (v, o) => globMatch(operandString(o), s(v), false);
    case "iglob":
      return (v, o) => globMatch(operandString(o), s(v), true);
    case "<":
      return (v, o) => strcmp(s(v), operandString(o)) < 0;
    case "<=":
      return (v, o) => strcmp(s(v), operandString(o)) <= 0;
    case ">":
      return (v, o) => strcmp(s(v), operandString(o)) > 0;
    case ">=":
      return (v, o) => strcmp(s(v), operandString(o)) >= 0;
    case "pmatch":
    case "regex":
      // flt_compare does not handle them
      return () => false;
    default:
      return notComparable(op, "string");
  }
}

function bytesCompare(op: BaseOperator): Compare {
  switch (op) {
    case "=":
    case "in":
    case "intersects":
      return (v, o) => bytesEqual(asBytes(v), asBytes(o as Scalar));
    case "!=":
      return (v, o) => !bytesEqual(asBytes(v), asBytes(o as Scalar));
    case "contains":
    case "bcontains":
      return (v, o) => bytesContain(asBytes(v), asBytes(o as Scalar));
    case "startswith":
    case "bstartswith":
      return (v, o) => bytesStartWith(asBytes(v), asBytes(o as Scalar));
    case "endswith":
      return (v, o) => bytesEndWith(asBytes(v), asBytes(o as Scalar));
    default:
      return notComparable(op, "buffer");
  }
}

/** Whether `a` and `b` agree on their first `bits` bits. */
function prefixEqual(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  const whole = bits >> 3;
  for (let i = 0; i < whole; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return false;
  const rest = bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((a[whole] ?? 0) & mask) === ((b[whole] ?? 0) & mask);
}

/** Equality of the first `n` bytes (missing bytes read as 0, as `flt_cast` zero-fills). */
function addressEqual(a: Uint8Array, b: Uint8Array, n: number): boolean {
  for (let i = 0; i < n; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return false;
  return true;
}

function ipCompare(op: BaseOperator, kind: Kind): Compare {
  let eqOp: boolean;
  switch (op) {
    case "=":
    case "in":
    case "intersects":
      eqOp = true;
      break;
    case "!=":
      eqOp = false;
      break;
    default:
      return notComparable(op, "ip address and network");
  }
  // a constant of the wrong family: libs answers `cmp.op == CO_NE`
  const mismatch = !eqOp;
  const v4addr = (v: Uint8Array, o: Operand): boolean => {
    if (!(o instanceof Uint8Array) || o.length !== 4) return mismatch;
    return addressEqual(v, o, 4) === eqOp;
  };
  const v6addr = (v: Uint8Array, o: Operand): boolean => {
    if (!(o instanceof Uint8Array) || o.length !== 16) return mismatch;
    return addressEqual(v, o, 16) === eqOp;
  };
  const v4net = (v: Uint8Array, o: Operand): boolean => {
    if (!isNet(o as Scalar) || (o as NetValue).net.length !== 4) return mismatch;
    const n = o as NetValue;
    return prefixEqual(v, n.net, n.prefix) === eqOp;
  };
  const v6net = (v: Uint8Array, o: Operand): boolean => {
    if (!isNet(o as Scalar) || (o as NetValue).net.length !== 16) return mismatch;
    const n = o as NetValue;
    return prefixEqual(v, n.net, n.prefix) === eqOp;
  };
  switch (kind) {
    case "ip4":
      return (v, o) => v4addr(asBytes(v), o);
    case "ip6":
      return (v, o) => v6addr(asBytes(v), o);
    case "net4":
      return (v, o) => v4net(asBytes(v), o);
    case "net6":
      return (v, o) => v6net(asBytes(v), o);
    case "ip":
      return (v, o) => {
        const b = asBytes(v);
        if (b.length === 4) return v4addr(b, o);
        if (b.length === 16) return v6addr(b, o);
        throw new OperatorError(`rawval_to_string called with IP address of incorrect size ${b.length}`);
      };
    default:
      return (v, o) => {
        const b = asBytes(v);
        if (b.length === 4) return v4net(b, o);
        if (b.length === 16) return v6net(b, o);
        throw new OperatorError(`rawval_to_string called with IP network of incorrect size ${b.length}`);
      };
  }
}

/** libs' `flt_compare(cmp, type, value, operand)`. */
function fltCompare(op: BaseOperator, type: FieldType): Compare {
  if (op === "exists") return () => true;
  const { kind, bits } = kindOf(type);
  switch (kind) {
    case "int":
    case "uint":
    case "double":
    case "bool": {
      const read = numericReader(kind, bits)!;
      const rel = numericRelation(op, kind);
      return (v, o) => rel(read(v), read(o as Scalar));
    }
    case "string":
      return stringCompare(op);
    case "bytes":
      return bytesCompare(op);
    case "none":
      return () => false;
    default:
      return ipCompare(op, kind);
  }
}

// --- membership: libs' m_val_storages_members (memcmp of the raw values) --------------------------------------------

type Key = string | bigint | number;

/** The set key of a value as libs stores its bytes; `crafted`: trailing NULs of strings dropped. */
function keyFunction(type: FieldType, craft: boolean): (v: Scalar | Operand) => Key {
  const { kind, bits } = kindOf(type);
  switch (kind) {
    case "int":
      return (v) => asSigned(v as Scalar, bits);
    case "uint":
      return (v) => asUnsigned(v as Scalar, bits);
    case "bool":
      return (v) => asBool(v as Scalar);
    case "double":
      // memcmp of doubles: -0 is not 0, and no constant is NaN
      return (v) => {
        const d = asDouble(v as Scalar);
        return Object.is(d, -0) ? "-0" : Number.isNaN(d) ? "NaN" : d;
      };
    case "string":
      return (v) => {
        const s = typeof v === "string" ? v : v instanceof Uint8Array ? bytesKey(v) : String(v);
        return craft ? crafted(s) : s;
      };
    default:
      // buffers and addresses: their bytes; networks as a different shape that no address equals
      return (v) => (isNet(v as Scalar) ? `net:${bytesKey((v as NetValue).net)}/${(v as NetValue).prefix}` : bytesKey(asBytes(v as Scalar)));
  }
}

// --- compileCheck ------------------------------------------------------------------------------------------------------

/** The single value of a non-list field: libs compares the first and only extracted value. */
function single(v: Scalar | readonly Scalar[]): Scalar | undefined {
  if (!Array.isArray(v)) return v as Scalar;
  if (v.length > 1) throw new OperatorError(`non-list filter expected to extract a single value, but ${v.length} were found`);
  return v[0];
}

function listTypeError(type: FieldType): never {
  throw new OperatorError(`list filters are not supported for type ${type}`);
}

/**
 * Compiles a check of a field of type `leftType` (after transformers; a list when `leftIsList`)
 * against constant values, as libs 0.25.4 evaluates `<field> <op> <values>`. `op` is the operator
 * as written, with its modifier (`"=="`, `"!= allof"`); `constants` are the values as written
 * (unescaped text; hex for `bcontains`/`bstartswith`). Throws `OperatorError` with libs' message
 * where libs' compiler would reject a constant.
 */
export function compileCheck(op: string, leftType: FieldType, leftIsList: boolean, constants: readonly string[], options: CheckOptions = {}): Predicate {
  const cmp = parseOperator(op);
  const parseOptions: FilterValueOptions = options.services ? { services: options.services } : {};
  const base = cmp.op;
  if (base === "exists") return (v) => v !== undefined;
  const operands = constants.map((c) => parseConstant(leftType, base, c, parseOptions));

  if (leftIsList) return compileListCheck(base, leftType, operands);

  // regexes and pmatch paths are built from the string values (libs' add_filter_value)
  const regexes = base === "regex" ? operands.map((o) => new PosixRegex(operandString(o))) : [];

  if (cmp.mod) return compileModifierCheck(base, cmp.mod, leftType, operands, regexes);

  const kind = kindOf(leftType).kind;
  const eqOnly = EQ_ONLY.has(leftType);
  switch (base) {
    case "in":
    case "intersects": {
      if (eqOnly) {
        const eq = fltCompare("=", leftType);
        return (value) => {
          if (value === undefined) return false;
          const v = single(value);
          if (v === undefined) return false;
          for (const o of operands) if (eq(v, o)) return true;
          return false;
        };
      }
      const key = keyFunction(leftType, true);
      const members = new Set<Key>(operands.map((o) => keyFunction(leftType, false)(o)));
      const sized = !options.unsizedValue || kind === "string";
      if (kind === "string") {
        // The common case first: a plain string without NULs is its own key.
        return (value) => {
          if (typeof value === "string") return members.has(value.indexOf("\0") < 0 ? value : (key(value) as string));
          if (value === undefined) return false;
          const v = single(value);
          return v !== undefined && members.has(key(v));
        };
      }
      return (value) => {
        if (value === undefined) return false;
        const v = single(value);
        if (v === undefined || !sized) return false;
        return members.has(key(v));
      };
    }
    case "pmatch": {
      if (eqOnly) {
        const eq = fltCompare("=", leftType);
        return (value) => {
          if (value === undefined) return false;
          const v = single(value);
          return v !== undefined && operands.some((o) => eq(v, o));
        };
      }
      const search = new PathPrefixSearch();
      for (const o of operands) search.addSearchPath(operandString(o));
      return (value) => {
        if (value === undefined) return false;
        const v = single(value);
        if (v === undefined) return false;
        return search.match(typeof v === "string" ? crafted(v) : bytesKey(asBytes(v)));
      };
    }
    case "regex": {
      const re = regexes[0];
      if (kind !== "string" || !re) return () => false;
      return (value) => {
        if (value === undefined) return false;
        const v = single(value);
        return typeof v === "string" && re.fullMatch(crafted(v));
      };
    }
    default:
      break;
  }

  // flt_compare with the first value
  const operand = operands[0];
  if (operand === undefined) return () => false;
  const read = numericReader(kind, kindOf(leftType).bits);
  if (read) {
    const rel = numericRelation(base, kind);
    const c = read(operand as Scalar);
    return (value) => {
      if (value === undefined) return false;
      const v = Array.isArray(value) ? single(value) : (value as Scalar);
      return v !== undefined && rel(read(v), c);
    };
  }
  const fast = fastStringCheck(base, kind, operand);
  if (fast) {
    return (value) => {
      if (value === undefined) return false;
      if (typeof value === "string") return fast(value);
      const v = single(value);
      return v !== undefined && fast(typeof v === "string" ? v : String(v));
    };
  }
  const compare = fltCompare(base, leftType);
  const ready = prepareOperand(kind, operand);
  return (value) => {
    if (value === undefined) return false;
    const v = single(value);
    return v !== undefined && compare(v, ready);
  };
}

/** Operands converted once to what the compare functions read. */
function prepareOperand(kind: Kind, o: Operand): Operand {
  return kind === "string" ? operandString(o) : o;
}

/** Specialized string checks against one NUL-free constant. */
function fastStringCheck(op: BaseOperator, kind: Kind, operand: Operand): ((s: string) => boolean) | undefined {
  if (kind !== "string" || typeof operand !== "string") return undefined;
  const c = operand;
  const n = c.length;
  const eq = (s: string): boolean => s === c || (s.length > n && s.charCodeAt(n) === 0 && s.startsWith(c));
  switch (op) {
    case "=":
      return eq;
    case "!=":
      return (s) => !eq(s);
    case "contains":
      return (s) => cString(s).includes(c);
    case "icontains": {
      const lc = asciiLower(c);
      return (s) => asciiLower(cString(s)).includes(lc);
    }
    case "startswith":
      return (s) => s.startsWith(c);
    case "endswith":
      return (s) => cString(s).endsWith(c);
    case "glob":
    case "iglob": {
      const g = new GlobPattern(c, op === "iglob");
      return (s) => g.matches(s);
    }
    case "<":
      return (s) => strcmp(cString(s), c) < 0;
    case "<=":
      return (s) => strcmp(cString(s), c) <= 0;
    case ">":
      return (s) => strcmp(cString(s), c) > 0;
    case ">=":
      return (s) => strcmp(cString(s), c) >= 0;
    default:
      return undefined;
  }
}

/** `in`/`intersects` on a list field (libs compares the raw items, trailing NULs included). */
function compileListCheck(op: BaseOperator, type: FieldType, operands: readonly Operand[]): Predicate {
  if (!LIST_TYPES.has(type)) listTypeError(type);
  if (op !== "in" && op !== "intersects") throw new OperatorError("list filter only supports operators 'exists', 'in' and 'intersects'");
  const all = op === "in";
  let member: (item: Scalar) => boolean;
  if (type === "IPNET") {
    const eq = fltCompare("=", type);
    member = (item) => operands.some((o) => eq(item, o));
  } else {
    const key = keyFunction(type, false);
    const members = new Set<Key>(operands.map(key));
    member = (item) => members.has(key(item));
  }
  return (value) => {
    if (value === undefined) return false;
    const items: readonly Scalar[] = Array.isArray(value) ? value : [value as Scalar];
    if (all) {
      for (const it of items) if (!member(it)) return false;
      return true;
    }
    for (const it of items) if (member(it)) return true;
    return false;
  };
}

/** `compare_rhs_with_mod`: `<op> oneof|anyof|allof (values)`. */
function compileModifierCheck(op: BaseOperator, mod: OperatorModifier, type: FieldType, operands: readonly Operand[], regexes: readonly PosixRegex[]): Predicate {
  let cmpOp = op;
  if (EQ_ONLY.has(type) && op !== "=" && op !== "!=" && op !== "regex") cmpOp = "=";
  const n = cmpOp === "regex" ? regexes.length : operands.length;
  if (n === 0) return () => false;
  const kind = kindOf(type).kind;
  let elem: (item: Scalar, i: number) => boolean;
  if (cmpOp === "regex") {
    elem = (item, i) => typeof item === "string" && regexes[i]!.fullMatch(item);
  } else {
    const compare = fltCompare(cmpOp, type);
    const ready = operands.map((o) => prepareOperand(kind, o));
    const fast = ready.map((o) => fastStringCheck(cmpOp, kind, o));
    if (fast.every((f) => f !== undefined)) {
      elem = (item, i) => fast[i]!(typeof item === "string" ? item : String(item));
    } else {
      elem = (item, i) => compare(item, ready[i]!);
    }
  }
  // `== anyof` and `!= allof` are answered with the set of values (memcmp)
  const key = keyFunction(type, false);
  const members = cmpOp === "=" || cmpOp === "!=" ? new Set<Key>(operands.map(key)) : undefined;
  const item = (v: Scalar): Scalar => (typeof v === "string" ? crafted(v) : v);
  let test: (v: Scalar) => boolean;
  switch (mod) {
    case "oneof":
      test = (v) => {
        let matches = 0;
        for (let i = 0; i < n; i++) if (elem(v, i) && ++matches > 1) return false;
        return matches === 1;
      };
      break;
    case "anyof":
      test =
        cmpOp === "=" && members
          ? (v) => members.has(key(v))
          : (v) => {
              for (let i = 0; i < n; i++) if (elem(v, i)) return true;
              return false;
            };
      break;
    case "allof":
      test =
        cmpOp === "!=" && members
          ? (v) => !members.has(key(v))
          : (v) => {
              for (let i = 0; i < n; i++) if (!elem(v, i)) return false;
              return true;
            };
      break;
  }
  return (value) => {
    if (value === undefined) return false;
    const v = single(value);
    return v !== undefined && test(item(v));
  };
}

// --- right-hand-side fields ----------------------------------------------------------------------------------------

/**
 * Compiles a comparison of a field with a right-hand-side field (`<field> <op> val(<field>)`, or
 * a transformer on the right), as libs evaluates it: the right values replace the constants for
 * each event (`populate_filter_values_with_rhs_extracted_values`), and are compared raw.
 * `pmatch`, `regex` and network fields are rejected by libs' compiler before this.
 */
export function compileFieldComparison(op: string, type: FieldType, isList: boolean): FieldPredicate {
  const cmp = parseOperator(op);
  const base = cmp.op;
  if (base === "pmatch" || base === "regex") {
    throw new OperatorError(`operator '${base.toUpperCase()}' doesn't support right-hand side fields`);
  }
  if (base === "exists") return (l, r) => l !== undefined && r !== undefined;
  const rawKey = keyFunction(type, false);
  const values = (r: Extracted): readonly Scalar[] => (r === undefined ? [] : Array.isArray(r) ? r : [r as Scalar]);
  if (isList) {
    if (!LIST_TYPES.has(type)) listTypeError(type);
    if (base !== "in" && base !== "intersects") throw new OperatorError("list filter only supports operators 'exists', 'in' and 'intersects'");
    const all = base === "in";
    return (l, r) => {
      if (l === undefined || r === undefined) return false;
      const members = new Set<Key>(values(r).map(rawKey));
      const items = values(l);
      if (all) return items.every((it) => members.has(rawKey(it)));
      return items.some((it) => members.has(rawKey(it)));
    };
  }
  if (base === "in" || base === "intersects") {
    if (EQ_ONLY.has(type)) {
      const eq = fltCompare("=", type);
      return (l, r) => {
        if (l === undefined || r === undefined) return false;
        const v = single(l);
        return v !== undefined && values(r).some((o) => eq(v, o as Operand));
      };
    }
    const key = keyFunction(type, true);
    return (l, r) => {
      if (l === undefined || r === undefined) return false;
      const v = single(l);
      if (v === undefined) return false;
      const k = key(v);
      return values(r).some((o) => rawKey(o) === k);
    };
  }
  const compare = fltCompare(base, type);
  return (l, r) => {
    if (l === undefined || r === undefined) return false;
    const v = single(l);
    const rv = values(r);
    if (v === undefined || rv.length === 0) return false;
    return compare(v, rv[0] as Operand);
  };
}
