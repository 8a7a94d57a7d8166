/**
 * Field transformers as libsinsp 0.25.4 applies them (`sinsp_filter_transformer_*` and
 * `sinsp_filter_multivalue_transformer_*`): `toupper`, `tolower`, `b64`, `basename`, `len` on one
 * field, and `join`, `concat`, `getopt` on several arguments. (`val` only marks a right-hand-side
 * field; it changes nothing.)
 *
 * Values keep libs' bytes: the string transformers (`toupper`, `tolower`, `basename`, `b64`)
 * terminate their result with a NUL that libs counts in the value's length, so their string
 * results end with `"\0"` (and a `b64` of a BYTEBUF ends with a 0 byte). The operators read
 * strings as libs does (C strings for `=`, `contains`...; whole buffers for list membership), so
 * this only shows where libs shows it: `in`/`intersects` on a transformed list field never match
 * an item, a transformed `join` separator carries its NUL, and so on. Use `cString` to print one.
 */
import type { FieldType } from "@falcokit/fields";
import { asciiLower, asciiUpper, cString, utf8, OperatorError } from "./operators.js";
import type { Extracted, Scalar } from "./value.js";

declare const TextDecoder: new (label?: string) => { decode(input: Uint8Array): string };

const decoder = new TextDecoder("utf-8");

/** Transformers that take one field. */
export type SingleTransformer = "toupper" | "tolower" | "b64" | "basename" | "len";
/** Transformers that take several arguments. */
export type MultiValueTransformer = "join" | "concat" | "getopt";

/** A field type, with its list flag. */
export interface TypeInfo {
  type: FieldType;
  isList: boolean;
}

const STRING_TYPES = new Set<FieldType>(["CHARBUF", "FSPATH", "FSRELPATH"]);

/**
 * The type of a field after a single-value transformer (libs' `transform_type`), or undefined
 * when the transformer does not take that type.
 */
export function transformedType(name: string, type: FieldType, isList: boolean): TypeInfo | undefined {
  switch (name) {
    case "toupper":
    case "tolower":
    case "basename":
      return STRING_TYPES.has(type) ? { type, isList } : undefined;
    case "b64":
      return type === "CHARBUF" || type === "BYTEBUF" ? { type, isList } : undefined;
    case "len":
      if (isList) return { type: "UINT64", isList: false };
      return STRING_TYPES.has(type) || type === "BYTEBUF" ? { type: "UINT64", isList: false } : undefined;
    default:
      return undefined;
  }
}

/** The type of a multi-value transformer's result (`getopt` gives one value with a `[c]` argument). */
export function multiValueResultType(name: MultiValueTransformer, hasArg: boolean): TypeInfo {
  if (name === "getopt" && !hasArg) return { type: "CHARBUF", isList: true };
  return { type: "CHARBUF", isList: false };
}

// --- bytes of values -----------------------------------------------------------------------------------------

/** The bytes libs holds for a value (strings as UTF-8; integers of list fields as 64-bit LE). */
function rawBytes(v: Scalar): Uint8Array {
  if (typeof v === "string") return utf8(v);
  if (v instanceof Uint8Array) return v;
  if (typeof v === "bigint") {
    const out = new Uint8Array(8);
    let x = BigInt.asUintN(64, v);
    for (let i = 0; i < 8; i++, x >>= 8n) out[i] = Number(x & 0xffn);
    return out;
  }
  if (typeof v === "boolean") return Uint8Array.of(v ? 1 : 0, 0, 0, 0);
  if (typeof v === "number") {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setFloat64(0, v, true);
    return out;
  }
  return v.net;
}

/** The value read as a C string (`(char*)ptr`): up to its first NUL. */
function cStringOf(v: Scalar): string {
  if (typeof v === "string") return cString(v);
  const b = rawBytes(v);
  const z = b.indexOf(0);
  return decoder.decode(z < 0 ? b : b.subarray(0, z));
}

/** The value as a `string_view(ptr, len)`: every byte. */
function viewOf(v: Scalar): string {
  return typeof v === "string" ? v : decoder.decode(rawBytes(v));
}

/** Trailing NULs dropped (libs' string transformers skip them on input). */
function withoutTrailingNuls(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0) end--;
  return s.slice(0, end);
}

/** libs terminates each transformed string with a NUL unless it already ends with one. */
const terminated = (s: string): string => (s.length > 0 && s.charCodeAt(s.length - 1) === 0 ? s : s + "\0");

/** Number of UTF-8 bytes of a string. */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

// --- base64 (libs' Base64::decodeWithoutPadding) ----------------------------------------------------------------

const B64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_REVERSE = new Uint8Array(256).fill(64);
for (let i = 0; i < B64_ALPHABET.length; i++) B64_REVERSE[B64_ALPHABET.charCodeAt(i)] = i;

/**
 * Decodes base64 as libs does: at most two trailing `=` are dropped, no other padding or
 * whitespace is accepted, the unused bits of the last character must be zero, and a lone
 * character of a last group is an error. Undefined on error.
 */
export function base64Decode(input: Uint8Array): Uint8Array | undefined {
  if (input.length === 0) return new Uint8Array(0);
  let n = input.length;
  if (input[n - 1] === 61) {
    n--;
    if (n > 0 && input[n - 1] === 61) n--;
  }
  // `last` is n - 1 as an unsigned 64-bit number: "=" and "==" leave n = 0, and libs then
  // decodes input[0] (an '='), which fails
  if (n === 0) return undefined;
  let maxLength = Math.floor((n + 3) / 4) * 3;
  if (n % 4 === 3) maxLength -= 1;
  if (n % 4 === 2) maxLength -= 2;
  const out: number[] = [];
  const last = n - 1;
  for (let i = 0; i <= last; i++) {
    const c = B64_REVERSE[input[i]!]!;
    if (c === 64) return undefined;
    const pos = i % 4;
    if (i < last) {
      switch (pos) {
        case 0:
          out.push((c << 2) & 0xff);
          break;
        case 1:
          out[out.length - 1] |= c >> 4;
          out.push((c << 4) & 0xff);
          break;
        case 2:
          out[out.length - 1] |= c >> 2;
          out.push((c << 6) & 0xff);
          break;
        case 3:
          out[out.length - 1] |= c;
          break;
      }
    } else {
      switch (pos) {
        case 0:
          return undefined;
        case 1:
          out[out.length - 1] |= c >> 4;
          if ((c & 0b1111) !== 0) return undefined;
          break;
        case 2:
          out[out.length - 1] |= c >> 2;
          if ((c & 0b11) !== 0) return undefined;
          break;
        case 3:
          out[out.length - 1] |= c;
          break;
      }
    }
  }
  return out.length === maxLength ? Uint8Array.from(out) : undefined;
}

// --- single-value transformers --------------------------------------------------------------------------------

/** `string_transformer`: applies `f` to the buffer without its trailing NULs, then terminates it. */
function stringTransform(v: Scalar, f: (s: string) => string | undefined): Scalar | undefined {
  if (typeof v !== "string") {
    const out = f(decoder.decode(rawBytes(v)));
    return out === undefined ? undefined : terminated(out);
  }
  const out = f(withoutTrailingNuls(v));
  return out === undefined ? undefined : terminated(out);
}

function basename(s: string): string {
  const slash = s.lastIndexOf("/");
  return slash < 0 ? s : s.slice(slash + 1);
}

function b64Value(v: Scalar, type: FieldType): Scalar | undefined {
  let bytes = typeof v === "string" ? utf8(v) : rawBytes(v);
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  bytes = bytes.subarray(0, end);
  const out = base64Decode(bytes);
  if (!out) return undefined;
  if (type === "BYTEBUF") {
    if (out.length > 0 && out[out.length - 1] === 0) return out;
    const t = new Uint8Array(out.length + 1);
    t.set(out);
    return t;
  }
  return terminated(decoder.decode(out));
}

/** `len` of one value: bytes up to the first NUL for strings, all bytes for buffers. */
function lengthOf(v: Scalar, type: FieldType): bigint {
  if (type === "BYTEBUF") return BigInt(rawBytes(v).length);
  if (typeof v === "string") return BigInt(utf8Length(cString(v)));
  const b = rawBytes(v);
  const z = b.indexOf(0);
  return BigInt(z < 0 ? b.length : z);
}

/**
 * Applies a single-value transformer to an extracted value (libs' `transform_values`), the value
 * being of `inputType` (`isList` for list fields). Returns the transformed value, of the type
 * `transformedType` gives, or undefined when the extraction fails (a `b64` that does not decode).
 * Throws when the transformer does not take the type (libs' compiler rejects that earlier).
 */
export function applyTransformer(name: string, inputType: FieldType, isList: boolean, value: Extracted): Extracted {
  if (!transformedType(name, inputType, isList)) {
    throw new OperatorError(`field type '${inputType}' is not supported by '${name}' transformer`);
  }
  if (value === undefined) return undefined;
  const items: readonly Scalar[] | undefined = Array.isArray(value) ? value : undefined;
  if (name === "len") {
    if (isList) return BigInt(items ? items.length : 1);
    const v = items ? items[0] : (value as Scalar);
    return v === undefined ? undefined : lengthOf(v, inputType);
  }
  let one: (v: Scalar) => Scalar | undefined;
  switch (name) {
    case "toupper":
      one = (v) => stringTransform(v, asciiUpper);
      break;
    case "tolower":
      one = (v) => stringTransform(v, asciiLower);
      break;
    case "basename":
      one = (v) => stringTransform(v, basename);
      break;
    default:
      one = (v) => b64Value(v, inputType);
      break;
  }
  if (!items) return one(value as Scalar);
  const out: Scalar[] = [];
  for (const it of items) {
    const t = one(it);
    if (t === undefined) return undefined;
    out.push(t);
  }
  return isList ? out : out[0];
}

/** Applies transformers innermost first (`toupper(tolower(f))` is `["tolower", "toupper"]`). */
export function applyTransformers(names: readonly string[], type: FieldType, isList: boolean, value: Extracted): { value: Extracted } & TypeInfo {
  let cur: TypeInfo = { type, isList };
  let v = value;
  for (const name of names) {
    const next = transformedType(name, cur.type, cur.isList);
    if (!next) throw new OperatorError(`field type '${cur.type}' is not supported by '${name}' transformer`);
    v = applyTransformer(name, cur.type, cur.isList, v);
    cur = next;
    if (v === undefined) break;
  }
  return { value: v, ...cur };
}

// --- multi-value transformers -----------------------------------------------------------------------------------

/** The values of one argument; undefined when its extraction fails. */
const valuesOf = (a: Extracted): readonly Scalar[] | undefined => (a === undefined ? undefined : Array.isArray(a) ? a : [a as Scalar]);

/**
 * `join(sep, list)`: the items read as C strings, separated by every byte of the separator's
 * value (a transformed separator keeps its NUL). Items of a transformer list `(a, b)` that are
 * numeric fields must be given as the text libs renders for them (`rawval_to_string`); items of a
 * real numeric list field are read from their raw memory, as libs does.
 */
export function joinValues(separator: Scalar, items: readonly Scalar[]): string {
  const sep = viewOf(separator);
  let out = "";
  for (let i = 0; i < items.length; i++) {
    out += cStringOf(items[i]!);
    if (i !== items.length - 1) out += sep;
  }
  return out;
}

/** `concat(a, b, ...)`: the arguments read as C strings, one after the other. */
export function concatValues(parts: readonly Scalar[]): string {
  let out = "";
  for (const p of parts) out += cStringOf(p);
  return out;
}

/**
 * `getopt(args, optstring)` as libs 0.25.4 implements it: scans `args` like getopt(3) (stops at
 * `--`, at `-` alone and at the first non-option; skips `--long` options; splits `-abc`
 * clusters) and gives the options found, each followed by its argument when it takes one, `?`
 * for an unknown option, `""` for a missing argument. With a selector `c` (`getopt(...)[c]`) it
 * gives the last value of option `c` (its argument, or `c` itself), or undefined when `c` is not
 * there. Bytes are scanned one by one, as libs does.
 */
export function getoptValues(args: readonly Scalar[], optstring: Scalar, selector?: string): string[] | string | undefined {
  const opts = rawBytes(optstring);
  const valid = new Uint8Array(256);
  const withArg = new Uint8Array(256);
  for (let i = opts.length > 0 && opts[0] === 58 ? 1 : 0; i < opts.length; i++) {
    const o = opts[i]!;
    if (o === 58) continue;
    valid[o] = 1;
    if (i + 1 < opts.length && opts[i + 1] === 58) {
      withArg[o] = 1;
      i++;
    }
  }
  const argv = args.map(rawBytes);
  const text = (b: Uint8Array): string => decoder.decode(b);
  const hasSelector = selector !== undefined;
  const sel = hasSelector ? (utf8(selector)[0] ?? 0) : 0;
  const results: string[] = [];
  let selected: string | undefined;
  const emit = (name: string, value: string | undefined): void => {
    if (hasSelector) {
      selected = value ?? name;
      return;
    }
    results.push(name);
    if (value !== undefined) results.push(value);
  };
  for (let ai = 0; ai < argv.length; ai++) {
    const arg = argv[ai]!;
    if (arg.length === 2 && arg[0] === 45 && arg[1] === 45) break;
    if (arg.length > 2 && arg[0] === 45 && arg[1] === 45) continue;
    if (arg.length === 0 || arg[0] !== 45 || arg.length === 1) break;
    for (let i = 1; i < arg.length; i++) {
      const opt = arg[i]!;
      if (opt === 58 || !valid[opt]) {
        if (!hasSelector) results.push("?");
        continue;
      }
      const matches = !hasSelector || opt === sel;
      const name = text(arg.subarray(i, i + 1));
      if (!withArg[opt]) {
        if (matches) emit(name, undefined);
        continue;
      }
      let value: string | undefined;
      if (i + 1 < arg.length) value = text(arg.subarray(i + 1));
      else if (ai + 1 < argv.length) value = text(argv[++ai]!);
      if (value === undefined) {
        if (matches) emit("", undefined);
        break;
      }
      if (matches) emit(name, value);
      break;
    }
  }
  if (hasSelector) return selected;
  return results;
}

/**
 * Applies a multi-value transformer to its extracted arguments (in order; a transformer list
 * argument `(a, b)` as the array of its items). Undefined when an argument cannot be extracted,
 * or when `getopt(...)[c]` finds no `c`. `arg` is the `[c]` of `getopt`.
 */
export function applyMultiValueTransformer(name: MultiValueTransformer, args: readonly Extracted[], arg?: string): Extracted {
  switch (name) {
    case "join": {
      const sep = valuesOf(args[0]);
      if (!sep || sep.length === 0) return undefined;
      const items = valuesOf(args[1]);
      if (!items) return undefined;
      return joinValues(sep[0]!, items);
    }
    case "concat": {
      const parts: Scalar[] = [];
      for (const a of args) {
        const v = valuesOf(a);
        if (!v || v.length === 0) return undefined;
        parts.push(v[0]!);
      }
      return concatValues(parts);
    }
    case "getopt": {
      const optstring = valuesOf(args[1]);
      if (!optstring || optstring.length === 0) return undefined;
      const list = valuesOf(args[0]);
      if (!list) return undefined;
      return getoptValues(list, optstring[0]!, arg);
    }
  }
}
