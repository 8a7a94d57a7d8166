/**
 * Kubernetes audit events (the `k8s_audit` source): reading them as the k8saudit plugin's event
 * source does, and extracting the `ka.*` fields (k8saudit plugin 0.18), the `json.*`/`jevt.*`
 * fields (json plugin 0.7) and libs' generic `evt.*` fields of plugin events.
 *
 * The plugins are Go code over the fastjson library; what they accept and what they extract is
 * reproduced here rather than approximated with `JSON.parse`:
 * - the event source reads its input line by line (JSON lines), each line being one audit event
 *   (`"kind":"Event"`), an `EventList` (the webhook's shape) or an array of those; each event is
 *   re-marshalled compactly (fastjson `MarshalTo`) and that text is the event's payload;
 * - extraction parses the payload again with fastjson's lenient parser (first of duplicate keys
 *   wins, strings kept raw until read, numbers kept as written);
 * - a field the plugin does not set (missing path, wrong JSON type, any extraction error, an empty
 *   list) cannot be read: `undefined`;
 * - values go to libs as C strings: a value holding a NUL byte is cut there.
 */
import type { Extracted } from "./value.js";

// ---------------------------------------------------------------------------------------------
// JSON as fastjson holds it

/** A parsed JSON value, as fastjson keeps it: strings and keys raw (escapes undone on reading). */
export type JsonValue =
  | { readonly t: "object"; readonly members: readonly JsonMember[]; readonly start: number }
  | { readonly t: "array"; readonly items: readonly JsonValue[]; readonly start: number }
  | { readonly t: "string"; readonly raw: string; readonly start: number }
  | { readonly t: "number"; readonly raw: string; readonly start: number }
  | { readonly t: "true" | "false" | "null"; readonly start: number };

export interface JsonMember {
  /** The key as written between the quotes. */
  readonly rawKey: string;
  /** The key with its escapes undone (fastjson's best effort). */
  readonly key: string;
  readonly value: JsonValue;
}

class FastJsonError extends Error {
  constructor(
    message: string,
    /** Offset of the unparsed tail. */
    readonly tail: number,
  ) {
    super(message);
  }
}

/** fastjson's `MaxDepth`. */
const MAX_DEPTH = 300;

function isWS(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

function skipWS(s: string, i: number): number {
  while (i < s.length && isWS(s.charCodeAt(i))) i++;
  return i;
}

/** A JSON parser with fastjson's grammar (`Parser.Parse`): lenient numbers, unchecked strings. */
class FastJsonParser {
  constructor(private readonly s: string) {}

  parse(): JsonValue {
    const s = this.s;
    const begin = skipWS(s, 0);
    let v: JsonValue;
    let end: number;
    try {
      [v, end] = this.value(begin, 0);
    } catch (e) {
      if (e instanceof FastJsonError) {
        throw new FastJsonError(`cannot parse JSON: ${e.message}; unparsed tail: ${goQuote(startEndString(s.slice(e.tail)))}`, e.tail);
      }
      throw e;
    }
    end = skipWS(s, end);
    if (end < s.length) throw new FastJsonError(`unexpected tail: ${goQuote(startEndString(s.slice(end)))}`, end);
    return v;
  }

  private value(i: number, depth: number): [JsonValue, number] {
    const s = this.s;
    if (i >= s.length) throw new FastJsonError("cannot parse empty string", i);
    depth++;
    if (depth > MAX_DEPTH) throw new FastJsonError(`too big depth for the nested JSON; it exceeds ${MAX_DEPTH}`, i);
    const c = s[i];
    if (c === "{") {
      try {
        return this.object(i + 1, depth, i);
      } catch (e) {
        throw wrap(e, "cannot parse object: ");
      }
    }
    if (c === "[") {
      try {
        return this.array(i + 1, depth, i);
      } catch (e) {
        throw wrap(e, "cannot parse array: ");
      }
    }
    if (c === '"') {
      try {
        const [raw, end] = this.rawString(i + 1);
        return [{ t: "string", raw, start: i }, end];
      } catch (e) {
        throw wrap(e, "cannot parse string: ");
      }
    }
    if (c === "t") {
      if (!s.startsWith("true", i)) throw new FastJsonError(`unexpected value found: ${goQuote(s.slice(i))}`, i);
      return [{ t: "true", start: i }, i + 4];
    }
    if (c === "f") {
      if (!s.startsWith("false", i)) throw new FastJsonError(`unexpected value found: ${goQuote(s.slice(i))}`, i);
      return [{ t: "false", start: i }, i + 5];
    }
    if (c === "n") {
      if (!s.startsWith("null", i)) {
        if (s.slice(i, i + 3).toLowerCase() === "nan") return [{ t: "number", raw: s.slice(i, i + 3), start: i }, i + 3];
        throw new FastJsonError(`unexpected value found: ${goQuote(s.slice(i))}`, i);
      }
      return [{ t: "null", start: i }, i + 4];
    }
    try {
      const end = this.rawNumber(i);
      return [{ t: "number", raw: s.slice(i, end), start: i }, end];
    } catch (e) {
      throw wrap(e, "cannot parse number: ");
    }
  }

  private array(i: number, depth: number, start: number): [JsonValue, number] {
    const s = this.s;
    i = skipWS(s, i);
    if (i >= s.length) throw new FastJsonError("missing ']'", i);
    if (s[i] === "]") return [{ t: "array", items: [], start }, i + 1];
    const items: JsonValue[] = [];
    for (;;) {
      i = skipWS(s, i);
      let v: JsonValue;
      try {
        [v, i] = this.value(i, depth);
      } catch (e) {
        throw wrap(e, "cannot parse array value: ");
      }
      items.push(v);
      i = skipWS(s, i);
      if (i >= s.length) throw new FastJsonError("unexpected end of array", i);
      if (s[i] === ",") {
        i++;
        continue;
      }
      if (s[i] === "]") return [{ t: "array", items, start }, i + 1];
      throw new FastJsonError("missing ',' after array value", i);
    }
  }

  private object(i: number, depth: number, start: number): [JsonValue, number] {
    const s = this.s;
    i = skipWS(s, i);
    if (i >= s.length) throw new FastJsonError("missing '}'", i);
    if (s[i] === "}") return [{ t: "object", members: [], start }, i + 1];
    const members: JsonMember[] = [];
    for (;;) {
      i = skipWS(s, i);
      if (i >= s.length || s[i] !== '"') throw new FastJsonError(`cannot find opening '"" for object key`, i);
      let rawKey: string;
      try {
        [rawKey, i] = this.rawString(i + 1);
      } catch (e) {
        throw wrap(e, "cannot parse object key: ");
      }
      i = skipWS(s, i);
      if (i >= s.length || s[i] !== ":") throw new FastJsonError("missing ':' after object key", i);
      i = skipWS(s, i + 1);
      let v: JsonValue;
      try {
        [v, i] = this.value(i, depth);
      } catch (e) {
        throw wrap(e, "cannot parse object value: ");
      }
      members.push({ rawKey, key: unescapeBestEffort(rawKey), value: v });
      i = skipWS(s, i);
      if (i >= s.length) throw new FastJsonError("unexpected end of object", i);
      if (s[i] === ",") {
        i++;
        continue;
      }
      if (s[i] === "}") return [{ t: "object", members, start }, i + 1];
      throw new FastJsonError("missing ',' after object value", i);
    }
  }

  /** The raw text up to the closing quote (one not escaped by an odd run of backslashes). */
  private rawString(i: number): [string, number] {
    const s = this.s;
    let n = s.indexOf('"', i);
    for (;;) {
      if (n < 0) throw new FastJsonError(`missing closing '"'`, s.length);
      let b = 0;
      while (n - 1 - b >= i && s[n - 1 - b] === "\\") b++;
      if (b % 2 === 0) return [s.slice(i, n), n + 1];
      n = s.indexOf('"', n + 1);
    }
  }

  /** fastjson's `parseRawNumber`: any run of `0-9 . - + e E`, or inf/nan. */
  private rawNumber(i: number): number {
    const s = this.s;
    for (let j = i; j < s.length; j++) {
      const ch = s[j]!;
      if ((ch >= "0" && ch <= "9") || ch === "." || ch === "-" || ch === "e" || ch === "E" || ch === "+") continue;
      if (j === i || (j === i + 1 && (s[i] === "-" || s[i] === "+"))) {
        if (s.length - j >= 3) {
          const xs = s.slice(j, j + 3).toLowerCase();
          if (xs === "inf" || xs === "nan") return j + 3;
        }
        throw new FastJsonError(`unexpected char: ${goQuote(s[i]!)}`, i);
      }
      return j;
    }
    return s.length;
  }
}

function wrap(e: unknown, prefix: string): unknown {
  return e instanceof FastJsonError ? new FastJsonError(prefix + e.message, e.tail) : e;
}

function startEndString(s: string): string {
  return s.length <= 80 ? s : `${s.slice(0, 40)}...${s.slice(-40)}`;
}

/** Go's `%q` (strconv.Quote), close enough for messages and for fastjson's `escapeString`. */
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case "\x07":
        out += "\\a";
        continue;
      case "\b":
        out += "\\b";
        continue;
      case "\f":
        out += "\\f";
        continue;
      case "\n":
        out += "\\n";
        continue;
      case "\r":
        out += "\\r";
        continue;
      case "\t":
        out += "\\t";
        continue;
      case "\v":
        out += "\\v";
        continue;
      case "\\":
        out += "\\\\";
        continue;
      case '"':
        out += '\\"';
        continue;
    }
    if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else if ((c >= 0x80 && c < 0xa0) || c === 0xad || c === 0x2028 || c === 0x2029 || c === 0xfeff || (c >= 0xd800 && c <= 0xdfff))
      out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return out + '"';
}

/** fastjson's `unescapeStringBestEffort`: JSON escapes undone, broken ones left as written. */
function unescapeBestEffort(s: string): string {
  let n = s.indexOf("\\");
  if (n < 0) return s;
  let b = s.slice(0, n);
  let i = n + 1;
  while (i < s.length) {
    const ch = s[i++]!;
    switch (ch) {
      case '"':
        b += '"';
        break;
      case "\\":
        b += "\\";
        break;
      case "/":
        b += "/";
        break;
      case "b":
        b += "\b";
        break;
      case "f":
        b += "\f";
        break;
      case "n":
        b += "\n";
        break;
      case "r":
        b += "\r";
        break;
      case "t":
        b += "\t";
        break;
      case "u": {
        const xs = s.slice(i, i + 4);
        if (xs.length < 4 || !/^[0-9a-fA-F]{4}$/.test(xs)) {
          b += "\\u";
          break;
        }
        i += 4;
        const x = parseInt(xs, 16);
        if (x < 0xd800 || x > 0xdfff) {
          b += String.fromCharCode(x);
          break;
        }
        const ys = s.slice(i + 2, i + 6);
        if (s.length - i < 6 || s[i] !== "\\" || s[i + 1] !== "u" || !/^[0-9a-fA-F]{4}$/.test(ys)) {
          b += "\\u" + xs;
          break;
        }
        const y = parseInt(ys, 16);
        // utf16.DecodeRune: a valid pair, else U+FFFD.
        b += x < 0xdc00 && y >= 0xdc00 && y <= 0xdfff ? String.fromCharCode(x, y) : "\ufffd";
        i += 6;
        break;
      }
      default:
        b += "\\" + ch;
    }
    n = s.indexOf("\\", i);
    if (n < 0) {
      b += s.slice(i);
      break;
    }
    b += s.slice(i, n);
    i = n + 1;
  }
  return b;
}

/** fastjson's `escapeString`: quoted as is, unless it holds `"`, `\` or a control byte. */
function escapeString(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /["\\\x00-\x1f]/.test(s) ? goQuote(s) : `"${s}"`;
}

/** What fastjson had already read of a value before marshalling it (keys and strings unescaped). */
interface ReadState {
  readonly objects: ReadonlySet<JsonValue>;
  readonly strings: ReadonlySet<JsonValue>;
}

/** fastjson's `MarshalTo`: compact, strings and keys as written unless they were read. */
function marshal(v: JsonValue, read?: ReadState): string {
  const out: string[] = [];
  const walk = (v: JsonValue): void => {
    switch (v.t) {
      case "object": {
        const unescaped = read?.objects.has(v) ?? false;
        out.push("{");
        v.members.forEach((m, i) => {
          if (i > 0) out.push(",");
          out.push(unescaped ? escapeString(m.key) : `"${m.rawKey}"`, ":");
          walk(m.value);
        });
        out.push("}");
        return;
      }
      case "array":
        out.push("[");
        v.items.forEach((x, i) => {
          if (i > 0) out.push(",");
          walk(x);
        });
        out.push("]");
        return;
      case "string":
        out.push(read?.strings.has(v) ? escapeString(unescapeBestEffort(v.raw)) : `"${v.raw}"`);
        return;
      case "number":
        out.push(v.raw);
        return;
      default:
        out.push(v.t);
    }
  };
  walk(v);
  return out.join("");
}

/**
 * fastjson `Object.Get` on an object none of whose lookups has missed yet: a key without `\` is
 * first matched against the keys as written; otherwise (or when that fails) fastjson unescapes
 * every key of the object (`unescaped`, when given, records it) and takes the first match.
 */
function member(v: JsonValue, key: string, unescaped?: Set<JsonValue>): JsonValue | undefined {
  if (v.t !== "object") return undefined;
  if (!unescaped?.has(v) && !key.includes("\\")) {
    for (const m of v.members) if (m.rawKey === key) return m.value;
  }
  unescaped?.add(v);
  for (const m of v.members) if (m.key === key) return m.value;
  return undefined;
}

/** Go's `strconv.Atoi` as fastjson uses it for array indexes; -1 when it fails. */
function goAtoi(key: string): number {
  if (!/^[+-]?[0-9]+$/.test(key)) return -1;
  const n = BigInt(key);
  if (n < -(1n << 63n) || n >= 1n << 63n) return -1;
  return n < 0n ? -1 : n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
}

/** fastjson `Value.Get(keys...)`: object members by key, array items by decimal index. */
function getPath(v: JsonValue | undefined, ...keys: string[]): JsonValue | undefined {
  for (const key of keys) {
    if (!v) return undefined;
    if (v.t === "object") v = member(v, key);
    else if (v.t === "array") {
      const n = goAtoi(key);
      v = n >= 0 && n < v.items.length ? v.items[n] : undefined;
    } else return undefined;
  }
  return v;
}

/** The string of a JSON string value (fastjson `GetStringBytes`), else undefined. */
function stringOf(v: JsonValue | undefined): string | undefined {
  return v?.t === "string" ? unescapeBestEffort(v.raw) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Events

/** One audit event as the k8saudit plugin hands it to libs. */
export interface AuditEvent {
  /** `evt.num`: position in the event stream, from 1. */
  readonly num: bigint;
  /** `evt.rawtime`: the event's `stageTimestamp` in nanoseconds since the epoch. */
  readonly ts: bigint;
  /** The timestamp of the stream's first event (the base of `evt.reltime`). */
  readonly firstTs: bigint;
  /** The plugin event payload: the audit event re-marshalled compactly, as the plugin does. */
  readonly payload: string;
  /** The payload parsed (what extraction reads). */
  readonly json: JsonValue;
  /** Where the event was read: 1-based line, and column of the event's `{` in that line. */
  readonly line: number;
  readonly column: number;
}

export interface AuditParseError {
  /** 1-based line of the input. */
  line: number;
  /** 1-based column (UTF-16 units) where the problem was found. */
  column: number;
  /** The message the plugin logs (fastjson's and Go's wording). */
  message: string;
}

export interface AuditParseOptions {
  /**
   * `file` (default): how the plugin reads a file (`open_params` a path): one payload per line
   * (JSON lines), lines of 64 KiB or more end the stream with `bufio.Scanner: token too long`.
   * `webhook`: the whole text is one webhook request body (up to `webhookMaxBatchSize`).
   */
  mode?: "file" | "webhook";
  /** The plugin's `maxEventSize` (default 262144): larger events are dropped. */
  maxEventSize?: number;
  /** The plugin's `webhookMaxBatchSize` (default 12 MiB). */
  webhookMaxBatchSize?: number;
  /** `evt.num` of the first event (default 1). */
  firstNum?: bigint | number;
}

/** bufio.Scanner's default maximum token size, which the plugin's file reader keeps. */
const MAX_SCAN_TOKEN = 64 * 1024;
const DEFAULT_MAX_EVENT_SIZE = 262144;
const DEFAULT_WEBHOOK_MAX_BATCH = 12 * 1024 * 1024;

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Position of an offset in the text, as line and column, both 1-based. */
function positionOf(lineStarts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Go's `time.Parse(time.RFC3339Nano, s)` as nanoseconds since the epoch (UnixNano, wrapped to 64
 * bits as the SDK stores it), or an error message.
 */
export function parseRFC3339Nano(s: string): bigint | string {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:[.,]([0-9]+))?(Z|[+-][0-9]{2}:[0-9]{2})$/.exec(s);
  const bad = `parsing time ${goQuote(s)} as "2006-01-02T15:04:05.999999999Z07:00": cannot parse ${goQuote(s)} as "2006"`;
  if (!m) return bad;
  const [year, month, day, hour, min, sec] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  const range = (what: string) => `parsing time ${goQuote(s)}: ${what} out of range`;
  if (month < 1 || month > 12) return range("month");
  if (hour > 23) return range("hour");
  if (min > 59) return range("minute");
  if (sec > 59) return range("second");
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const dim = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day < 1 || day > dim) return range("day");
  const frac = m[7] ?? "";
  const nsec = frac === "" ? 0n : BigInt(frac.slice(0, 9).padEnd(9, "0"));
  let offset = 0;
  const tz = m[8]!;
  if (tz !== "Z") {
    const hh = Number(tz.slice(1, 3));
    const mm = Number(tz.slice(4, 6));
    if (hh > 24) return range("time zone offset hour");
    if (mm > 60) return range("time zone offset minute");
    offset = (hh * 60 + mm) * 60 * (tz[0] === "-" ? -1 : 1);
  }
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, min, sec, 0);
  const secs = BigInt(Math.floor(d.getTime() / 1000)) - BigInt(offset);
  return BigInt.asUintN(64, BigInt.asIntN(64, secs * 1_000_000_000n + nsec));
}

interface PendingEvent {
  payload: string;
  ts: bigint;
  offset: number;
}

class RecognizeError extends Error {}

/**
 * Reads audit events as the k8saudit plugin's event source does (`OpenReader` for files,
 * `OpenWebServer` for webhook bodies). Events the plugin drops are reported as errors (the plugin
 * logs them): unparsable lines, payloads that are neither `Event`, `EventList` nor arrays of
 * those (the whole line is then dropped), events without a valid `stageTimestamp`, events over
 * `maxEventSize`.
 */
export function parseAuditEvents(text: string, options: AuditParseOptions = {}): { events: AuditEvent[]; errors: AuditParseError[] } {
  const mode = options.mode ?? "file";
  const maxEventSize = options.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE;
  const events: AuditEvent[] = [];
  const errors: AuditParseError[] = [];
  const lineStarts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  let num = BigInt(options.firstNum ?? 1);
  let firstTs: bigint | undefined;

  const error = (offset: number, message: string) => errors.push({ ...positionOf(lineStarts, offset), message });

  /** One payload (a line, or a webhook body) starting at `base` in the text. */
  const payloadEvents = (body: string, base: number) => {
    let root: JsonValue;
    try {
      root = new FastJsonParser(body).parse();
    } catch (e) {
      if (!(e instanceof FastJsonError)) throw e;
      error(base + e.tail, e.message);
      return;
    }
    const pending: Pending[] = [];
    try {
      recognize(root, pending, maxEventSize, { objects: new Set(), strings: new Set() });
    } catch (e) {
      if (!(e instanceof RecognizeError)) throw e;
      error(base + root.start, e.message);
      return;
    }
    for (const p of pending) {
      if ("error" in p) {
        error(base + p.offset, p.error);
        continue;
      }
      firstTs ??= p.ts;
      const json = new FastJsonParser(p.payload).parse();
      events.push({ num, ts: p.ts, firstTs, payload: p.payload, json, ...positionOf(lineStarts, base + p.offset) });
      num++;
    }
  };

  if (mode === "webhook") {
    const max = options.webhookMaxBatchSize ?? DEFAULT_WEBHOOK_MAX_BATCH;
    if (utf8Length(text) > max) error(0, "bad request: http: request body too large");
    else payloadEvents(text, 0);
    return { events, errors };
  }

  for (let l = 0; l < lineStarts.length; l++) {
    const start = lineStarts[l]!;
    const end = l + 1 < lineStarts.length ? lineStarts[l + 1]! - 1 : text.length;
    if (start >= text.length && l > 0) break;
    let line = text.slice(start, end);
    // The line must fit bufio.Scanner's 64 KiB buffer (its `\r` included); otherwise the scanner
    // fails and the plugin ends the stream with that error.
    if (utf8Length(line) >= MAX_SCAN_TOKEN) {
      error(start, "bufio.Scanner: token too long");
      break;
    }
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (line.length > 0) payloadEvents(line, start);
  }
  return { events, errors };
}

/**
 * What fastjson has read of the source's parse of a payload: objects whose keys it unescaped
 * (after a lookup missed the keys as written) and strings it unescaped (read as strings). Both
 * change how the event is marshalled into its payload.
 */
interface SourceReads {
  objects: Set<JsonValue>;
  strings: Set<JsonValue>;
}

/** fastjson `GetStringBytes` on the source's parse: the string (now unescaped), or undefined. */
function readString(v: JsonValue | undefined, reads: SourceReads): string | undefined {
  if (v?.t !== "string") return undefined;
  reads.strings.add(v);
  return unescapeBestEffort(v.raw);
}

type Pending = PendingEvent | { error: string; offset: number };

/** The plugin's `ParseAuditEventsJSON`: events of a payload, or a RecognizeError for all of it. */
function recognize(v: JsonValue, out: Pending[], maxEventSize: number, reads: SourceReads): void {
  if (v.t === "array") {
    for (const item of v.items) recognize(item, out, maxEventSize, reads);
    return;
  }
  const kind = readString(member(v, "kind", reads.objects), reads);
  if (kind === "EventList") {
    const items = member(v, "items", reads.objects);
    // An empty `[]` gives no array to a fresh fastjson parser (nil slice): not recognized.
    if (items?.t === "array" && items.items.length > 0) {
      for (const item of items.items) out.push(singleEvent(item, maxEventSize, reads));
      return;
    }
  } else if (kind === "Event") {
    out.push(singleEvent(v, maxEventSize, reads));
    return;
  }
  throw new RecognizeError("data not recognized as a k8s audit event");
}

/** The plugin's `parseSingleAuditEventJSON`. */
function singleEvent(v: JsonValue, maxEventSize: number, reads: SourceReads): Pending {
  const stage = member(v, "stageTimestamp", reads.objects);
  if (!stage) return { error: "can't read stageTimestamp", offset: v.start };
  const ts = parseRFC3339Nano(readString(stage, reads) ?? "");
  if (typeof ts === "string") return { error: ts, offset: stage.start };
  const payload = marshal(v, reads);
  const size = utf8Length(payload);
  if (size > maxEventSize) return { error: `event larger than maxEventSize: size=${size}`, offset: v.start };
  return { payload, ts, offset: v.start };
}

// ---------------------------------------------------------------------------------------------
// Generic evt.* fields of plugin events

/** What libs knows of a plugin event besides its payload. */
export interface PluginEventMeta {
  /** `evt.num`. */
  num: bigint | number;
  /** Timestamp, ns since the epoch. */
  ts: bigint;
  /** The event source (`k8s_audit`). */
  source: string;
  /** The first event's timestamp (base of `evt.reltime`); the event's own when absent. */
  firstTs?: bigint;
  /** The source plugin's name (`evt.pluginname`). */
  pluginName?: string;
  /** The plugin's rendering of the event (`evt.plugininfo`; k8saudit: the payload). */
  pluginInfo?: string;
  /** `evt.hostname`: libs' machine info, zeroed (empty) for plugin sources in Falco. */
  hostname?: string;
  /** The local time zone's offset from UTC in seconds (libs' `gmt2local`), for `evt.time*`/`evt.datetime*`; default 0. */
  utcOffsetSeconds?: number;
}

const NS = 1_000_000_000n;

function pad(n: number | bigint, width: number): string {
  return n.toString().padStart(width, "0");
}

function utcDate(sec: bigint): Date {
  return new Date(Number(sec) * 1000);
}

/** libs' `sinsp_utils::ts_to_string`. */
function tsToString(ts: bigint, date: boolean, ns: boolean, zone: number): string {
  const sec = BigInt.asUintN(64, ts / NS + BigInt(zone));
  const nsec = ts % NS;
  const s = Number(sec % 86400n);
  let out = "";
  if (date) {
    const d = utcDate(sec - BigInt(s));
    out = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} `;
  }
  out += `${pad(Math.floor(s / 3600), 2)}:${pad(Math.floor((s % 3600) / 60), 2)}:${pad(s % 60, 2)}`;
  return ns ? `${out}.${pad(nsec, 9)}` : out;
}

/** libs' `sinsp_utils::ts_to_iso_8601` (UTC, `+0000`). */
function tsToIso8601(ts: bigint): string {
  const d = utcDate(ts / NS);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(ts % NS, 9)}+0000`;
}

/**
 * The fields of libs' generic `evt` class (`sinsp_filter_check_gen_event`), the only `evt.*`
 * fields a plugin source's catalog has, for a plugin event. Also `evt.type` (`pluginevent`), which
 * Falco's plugin-source catalogs do not resolve but which libs names plugin events by.
 * Throws for a name that is no such field.
 */
export function extractGenericPluginField(meta: PluginEventMeta, name: string, _arg?: string): Extracted {
  const ts = meta.ts;
  const zone = meta.utcOffsetSeconds ?? 0;
  const rel = BigInt.asUintN(64, ts - (meta.firstTs ?? ts));
  switch (name) {
    case "evt.num":
      return BigInt(meta.num);
    case "evt.time":
      return tsToString(ts, false, true, zone);
    case "evt.time.s":
      return tsToString(ts, false, false, zone);
    case "evt.time.iso8601":
      return tsToIso8601(ts);
    case "evt.datetime":
      return tsToString(ts, true, true, zone);
    case "evt.datetime.s":
      return tsToString(ts, true, false, zone);
    case "evt.rawtime":
      return ts;
    case "evt.rawtime.s":
      return ts / NS;
    case "evt.rawtime.ns":
      return ts % NS;
    case "evt.reltime":
      return rel;
    case "evt.reltime.s":
      return rel / NS;
    case "evt.reltime.ns":
      return rel % NS;
    case "evt.pluginname":
      return meta.pluginName;
    case "evt.plugininfo":
      return meta.pluginInfo;
    case "evt.source":
      return meta.source;
    case "evt.is_async":
      // PPME_PLUGINEVENT_E is no meta event.
      return false;
    case "evt.asynctype":
      return undefined;
    case "evt.hostname":
      return meta.hostname ?? "";
    case "evt.type":
      return "pluginevent";
    default:
      throw new Error(`falcokit: ${name} is no generic field of plugin events`);
  }
}

/** The generic metadata of an audit event. */
export function auditEventMeta(event: AuditEvent): PluginEventMeta {
  return { num: event.num, ts: event.ts, firstTs: event.firstTs, source: "k8s_audit", pluginName: "k8saudit", pluginInfo: event.payload, hostname: "" };
}

// ---------------------------------------------------------------------------------------------
// Field extraction

/** The plugin's "field not available" (and every other extraction error): no value. */
const NA: unique symbol = Symbol("not available");
type NA = typeof NA;

/** `argIndexFilter`: no index given. */
const NO_INDEX = -1;

/**
 * The index the Go plugin uses for a bracket argument: libs parses it (`extract_arg_index`:
 * digits, no leading zero, 64 bits) and Go reads the uint64 as an `int`: 2^64-1 is -1 (no index),
 * other values past 2^63 are negative and would panic. NaN when there is none to use.
 */
function indexFilter(arg: string | undefined): number {
  if (arg === undefined) return NO_INDEX;
  if (!/^(0|[1-9][0-9]*)$/.test(arg)) return NaN;
  const n = BigInt(arg);
  if (n >= 1n << 64n) return NaN;
  if (n === (1n << 64n) - 1n) return NO_INDEX;
  if (n >= 1n << 63n) return NaN;
  return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
}

/** `getValuesRecursive`: every value at the key path, arrays expanded (or indexed) on the way. */
function valuesAt(v: JsonValue, index: number, keys: readonly string[], from = 0): (JsonValue | undefined)[] | NA {
  let cur = v;
  for (let i = from; i < keys.length; i++) {
    if (cur.t === "array") {
      if (index === NO_INDEX) {
        const res: (JsonValue | undefined)[] = [];
        for (const item of cur.items) {
          const vals = valuesAt(item, index, keys, i);
          if (vals === NA) res.push(undefined);
          else res.push(...vals);
        }
        return res;
      }
      // A negative Go index panics: no value either.
      if (!(index >= 0) || index >= cur.items.length) return NA;
      cur = cur.items[index]!;
    }
    const k = keys[i]!;
    const next = k.length > 0 ? getPath(cur, k) : cur;
    if (!next) return NA;
    cur = next;
  }
  return [cur];
}

/** `jsonValueAsString`: a string's text, any other value marshalled; no value for none. */
function asString(v: JsonValue | undefined): string | NA {
  if (!v) return NA;
  return v.t === "string" ? unescapeBestEffort(v.raw) : marshal(v);
}

function asStrings(vals: readonly (JsonValue | undefined)[]): string[] | NA {
  const res: string[] = [];
  for (const v of vals) {
    const s = asString(v);
    if (s === NA) return NA;
    res.push(s);
  }
  return res;
}

function asStringsSkipNil(vals: readonly (JsonValue | undefined)[]): string[] {
  const res: string[] = [];
  for (const v of vals) {
    const s = asString(v);
    if (s !== NA) res.push(s);
  }
  return res;
}

/** `extractFromKeys`. */
function fromKeys(json: JsonValue, isList: boolean, ...keys: string[]): string | string[] | NA {
  const v = getPath(json, ...keys);
  if (!v) return NA;
  if (!isList) return asString(v);
  if (v.t !== "array") return NA;
  return asStrings(v.items);
}

type ContainerList = "containers" | "initContainers" | "ephemeralContainers";

function containerValues(json: JsonValue, list: ContainerList, index: number, ...sub: string[]) {
  return valuesAt(json, index, ["requestObject", "spec", list, ...sub]);
}

/** `readContainerCommands` / `readContainerArgs`: each container's words joined by spaces. */
function containerWords(json: JsonValue, list: ContainerList, index: number, key: "command" | "args"): string[] | NA {
  const vals = containerValues(json, list, index, key);
  if (vals === NA) return NA;
  const res: string[] = [];
  for (const v of vals) {
    if (!v) continue;
    if (v.t !== "array") return NA;
    const words: string[] = [];
    for (const w of v.items) {
      if (w.t !== "string") return NA;
      words.push(unescapeBestEffort(w.raw));
    }
    res.push(words.join(" "));
  }
  return res.length === 0 ? NA : res;
}

function containerImages(json: JsonValue, list: ContainerList, index: number): string[] | NA {
  const vals = containerValues(json, list, index, "image");
  return vals === NA ? NA : asStrings(vals);
}

/** `readContainerRepositories`: the image up to its first `:`, then up to its first `@`. */
function containerRepositories(json: JsonValue, list: ContainerList, index: number): string[] | NA {
  const images = containerImages(json, list, index);
  return images === NA ? NA : images.map((i) => i.split(":")[0]!.split("@")[0]!);
}

/** `readContainerHostPorts`: each port's hostPort, else its containerPort. */
function containerHostPorts(json: JsonValue, list: ContainerList, index: number): string[] | NA {
  const vals = containerValues(json, list, index, "ports");
  if (vals === NA) return NA;
  const res: string[] = [];
  for (const ports of vals) {
    if (!ports) continue;
    if (ports.t !== "array") return NA;
    for (const port of ports.items) {
      const p = getPath(port, "hostPort") ?? getPath(port, "containerPort");
      if (p) res.push(asString(p) as string);
    }
  }
  return res;
}

/**
 * `readFromContainerEffectively`: each container's value, else the pod's, else "0". As the plugin
 * does, both are read at `spec.<key>` and `spec.<list>[].<key>`, not in the security contexts.
 */
function containerEffective(json: JsonValue, list: ContainerList, index: number, key: string): string[] | NA {
  let pod = "0";
  const podValue = getPath(json, "requestObject", "spec", key);
  if (podValue) pod = asString(podValue) as string;
  const vals = containerValues(json, list, index, key);
  if (vals === NA) return NA;
  return vals.map((v) => {
    const s = asString(v);
    return s === NA ? pod : s;
  });
}

function containerField(json: JsonValue, list: ContainerList, sub: string, arg: string | undefined): string[] | NA {
  const index = indexFilter(arg);
  if (Number.isNaN(index)) return NA;
  const skipNil = (...keys: string[]) => {
    const vals = containerValues(json, list, index, ...keys);
    return vals === NA ? NA : asStringsSkipNil(vals);
  };
  switch (sub) {
    case "args":
      return containerWords(json, list, index, "args");
    case "command":
      return containerWords(json, list, index, "command");
    case "name": {
      const vals = containerValues(json, list, index, "name");
      return vals === NA ? NA : asStrings(vals);
    }
    case "image":
      return containerImages(json, list, index);
    case "image.repository":
      return containerRepositories(json, list, index);
    case "host_port":
      return containerHostPorts(json, list, index);
    case "privileged":
      return skipNil("securityContext", "privileged");
    case "allow_privilege_escalation":
      return skipNil("securityContext", "allowPrivilegeEscalation");
    case "read_only_fs":
      return skipNil("securityContext", "readOnlyRootFilesystem");
    case "run_as_user":
      return skipNil("securityContext", "runAsUser");
    case "eff_run_as_user":
      return containerEffective(json, list, index, "runAsUser");
    case "run_as_group":
      return skipNil("securityContext", "runAsGroup");
    case "eff_run_as_group":
      return containerEffective(json, list, index, "runAsGroup");
    case "proc_mount":
      return skipNil("securityContext", "procMount");
    case "add_capabilities":
      return skipNil("securityContext", "capabilities", "add");
    default:
      return NA;
  }
}

/** `readSubjectNamesByKind` (`NamespacedServiceAccount`: ServiceAccounts as `namespace:name`). */
function subjectNames(json: JsonValue, kind: string): string[] | NA {
  const subjects = getPath(json, "requestObject", "subjects");
  if (!subjects) return [];
  if (subjects.t !== "array") return NA;
  const namespaced = kind === "NamespacedServiceAccount";
  if (namespaced) kind = "ServiceAccount";
  const res: string[] = [];
  for (const subject of subjects.items) {
    const k = getPath(subject, "kind");
    const n = getPath(subject, "name");
    if (!k || !n || asString(k) !== kind) continue;
    let name = asString(n) as string;
    if (namespaced) {
      const ns = asString(getPath(subject, "namespace"));
      if (ns === NA) continue;
      name = `${ns}:${name}`;
    }
    res.push(name);
  }
  return res;
}

/** `extractRulesField`: the arrays at `requestObject.rules[].<key>`, flattened. */
function rulesField(json: JsonValue, arg: string | undefined, key: string): string[] | NA {
  const index = indexFilter(arg);
  if (Number.isNaN(index)) return NA;
  const vals = valuesAt(json, index, ["requestObject", "rules", key]);
  if (vals === NA) return NA;
  const res: string[] = [];
  for (const v of vals) if (v?.t === "array") res.push(...asStringsSkipNil(v.items));
  return res;
}

function volumeValues(json: JsonValue, index: number, ...keys: string[]): string[] | NA {
  const vals = valuesAt(json, index, ["requestObject", "spec", "volumes", ...keys]);
  return vals === NA ? NA : asStringsSkipNil(vals);
}

const CONTAINER_LISTS: readonly ContainerList[] = ["containers", "initContainers", "ephemeralContainers"];

/** The k8saudit plugin's `ExtractFromJSON`. */
function extractKa(json: JsonValue, name: string, arg: string | undefined): string | string[] | NA {
  // Events without auditID are not audit events: no field.
  if (!getPath(json, "auditID")) return NA;
  for (const list of CONTAINER_LISTS) {
    const prefix = `ka.req.pod.${list}.`;
    if (name.startsWith(prefix)) return containerField(json, list, name.slice(prefix.length), arg);
  }
  switch (name) {
    case "ka.auditid":
      return fromKeys(json, false, "auditID");
    case "ka.stage":
      return fromKeys(json, false, "stage");
    case "ka.auth.decision":
      return fromKeys(json, false, "annotations", "authorization.k8s.io/decision");
    case "ka.auth.reason":
      return fromKeys(json, false, "annotations", "authorization.k8s.io/reason");
    case "ka.auth.openshift.decision":
      return fromKeys(json, false, "annotations", "authentication.openshift.io/decision");
    case "ka.auth.openshift.username":
      return fromKeys(json, false, "annotations", "authentication.openshift.io/username");
    case "ka.validations.admission.policy.failure":
      return fromKeys(json, false, "annotations", "validation.policy.admission.k8s.io/validation_failure");
    case "ka.security.pod.violations":
      return fromKeys(json, false, "annotations", "pod-security.kubernetes.io/audit-violations");
    case "ka.user.name":
      return fromKeys(json, false, "user", "username");
    case "ka.user.groups":
      return fromKeys(json, true, "user", "groups");
    case "ka.impuser.name":
      return fromKeys(json, false, "impersonatedUser", "username");
    case "ka.verb":
      return fromKeys(json, false, "verb");
    case "ka.uri":
      return fromKeys(json, false, "requestURI");
    case "ka.uri.param": {
      const uri = getPath(json, "requestURI");
      if (!uri || arg === undefined) return NA;
      const query = goQueryOf(asString(uri) as string);
      if (query === undefined) return NA;
      const values = query.get(arg);
      return values && values.length > 0 ? values[0]! : NA;
    }
    case "ka.target.name":
      return fromKeys(json, false, "objectRef", "name");
    case "ka.target.namespace":
      return fromKeys(json, false, "objectRef", "namespace");
    case "ka.target.resource":
      return fromKeys(json, false, "objectRef", "resource");
    case "ka.target.subresource":
      return fromKeys(json, false, "objectRef", "subresource");
    case "ka.target.pod.name": {
      // The pod's name for a request on pods themselves (no subresource).
      const resource = stringOf(getPath(json, "objectRef", "resource")) ?? "";
      const subresource = stringOf(getPath(json, "objectRef", "subresource")) ?? "";
      if (resource !== "pods" || subresource !== "") return NA;
      return fromKeys(json, false, "responseObject", "metadata", "name");
    }
    case "ka.req.binding.subjects":
      return fromKeys(json, true, "requestObject", "subjects");
    case "ka.req.binding.subjects.user_names":
      return subjectNames(json, "User");
    case "ka.req.binding.subjects.serviceaccount_names":
      return subjectNames(json, "ServiceAccount");
    case "ka.req.binding.subjects.serviceaccount_ns_names":
      return subjectNames(json, "NamespacedServiceAccount");
    case "ka.req.binding.subjects.group_names":
      return subjectNames(json, "Group");
    case "ka.req.binding.role":
      return fromKeys(json, false, "requestObject", "roleRef", "name");
    case "ka.req.binding.subject.has_name":
      // Documented as N/A; the plugin (like the original implementation) always says true.
      return "true";
    case "ka.req.configmap.name":
      return fromKeys(json, false, "objectRef", "name");
    case "ka.req.configmap.obj":
      return fromKeys(json, false, "requestObject", "data");
    case "ka.req.container.image": {
      const images = containerImages(json, "containers", 0);
      return images === NA ? NA : images[0]!;
    }
    case "ka.req.container.image.repository": {
      const repos = containerRepositories(json, "containers", 0);
      return repos === NA ? NA : repos[0]!;
    }
    case "ka.req.pod.host_ipc":
      return fromKeys(json, false, "requestObject", "spec", "hostIPC");
    case "ka.req.pod.host_network":
    case "ka.req.container.host_network":
      return fromKeys(json, false, "requestObject", "spec", "hostNetwork");
    case "ka.req.pod.host_pid":
      return fromKeys(json, false, "requestObject", "spec", "hostPID");
    case "ka.req.container.privileged": {
      const vals = containerValues(json, "containers", NO_INDEX, "securityContext", "privileged");
      if (vals === NA) return NA;
      return vals.some((v) => v?.t === "true") ? "true" : "false";
    }
    case "ka.req.pod.run_as_user":
      return fromKeys(json, false, "requestObject", "spec", "securityContext", "runAsUser");
    case "ka.req.pod.run_as_group":
      return fromKeys(json, false, "requestObject", "spec", "securityContext", "runAsGroup");
    case "ka.req.role.rules":
      return fromKeys(json, true, "requestObject", "rules");
    case "ka.req.role.rules.apiGroups":
      return rulesField(json, arg, "apiGroups");
    case "ka.req.role.rules.nonResourceURLs":
      return rulesField(json, arg, "nonResourceURLs");
    case "ka.req.role.rules.verbs":
      return rulesField(json, arg, "verbs");
    case "ka.req.role.rules.resources":
      return rulesField(json, arg, "resources");
    case "ka.req.pod.fs_group":
      return fromKeys(json, false, "requestObject", "spec", "securityContext", "fsGroup");
    case "ka.req.pod.supplemental_groups":
      return fromKeys(json, true, "requestObject", "spec", "securityContext", "supplementalGroups");
    case "ka.req.service.type":
      return fromKeys(json, false, "requestObject", "spec", "type");
    case "ka.req.service.ports": {
      const index = indexFilter(arg);
      if (Number.isNaN(index)) return NA;
      const vals = valuesAt(json, index, ["requestObject", "spec", "ports"]);
      return vals === NA ? NA : asStringsSkipNil(vals);
    }
    case "ka.req.volume.hostpath": {
      // A key argument: libs leaves the index at -1, i.e. every volume. `*` ends a prefix.
      if (arg === undefined || arg.length === 0) return NA;
      const paths = volumeValues(json, NO_INDEX, "hostPath", "path");
      if (paths === NA) return NA;
      const prefix = arg.slice(0, -1);
      const isPrefix = arg.endsWith("*");
      return paths.some((p) => (isPrefix && p.startsWith(prefix)) || p === arg) ? "true" : "false";
    }
    case "ka.req.pod.volumes.hostpath": {
      const index = indexFilter(arg);
      return Number.isNaN(index) ? NA : volumeValues(json, index, "hostPath", "path");
    }
    case "ka.req.pod.volumes.flexvolume_driver": {
      const index = indexFilter(arg);
      return Number.isNaN(index) ? NA : volumeValues(json, index, "flexVolume", "driver");
    }
    case "ka.req.pod.volumes.volume_type": {
      const index = indexFilter(arg);
      if (Number.isNaN(index)) return NA;
      const vals = valuesAt(json, index, ["requestObject", "spec", "volumes", ""]);
      if (vals === NA) return NA;
      const res: string[] = [];
      for (const v of vals) if (v?.t === "object") for (const m of v.members) if (m.key !== "name") res.push(m.key);
      return res;
    }
    case "ka.resp.name":
      return fromKeys(json, false, "responseObject", "metadata", "name");
    case "ka.response.code":
      return fromKeys(json, false, "responseStatus", "code");
    case "ka.response.reason":
      return fromKeys(json, false, "responseStatus", "reason");
    case "ka.useragent":
      return fromKeys(json, false, "userAgent");
    case "ka.sourceips":
      // As the plugin does (since 2022): through extractRulesField, i.e. requestObject.rules[].sourceIPs,
      // not the event's top-level sourceIPs.
      return rulesField(json, arg, "sourceIPs");
    case "ka.cluster.name":
      return fromKeys(json, false, "annotations", "cluster_name");
    default:
      throw new Error(`falcokit: ${name} is no k8saudit field`);
  }
}

/** The json plugin's extraction (`json.*`, and its aliases `jevt.*`). */
function extractJson(event: AuditEvent, field: string, arg: string | undefined): string | NA {
  switch (field) {
    case "value": {
      if (arg === undefined) return NA;
      let v: JsonValue | undefined = event.json;
      if (arg.length === 0) return marshal(v);
      const pointer = arg.startsWith("/") ? arg.slice(1) : arg;
      // RFC 6901 with the plugin's unescaping (`~1` then `~0`).
      for (const part of pointer.split("/")) {
        v = getPath(v, part.replaceAll("~1", "/").replaceAll("~0", "~"));
        if (!v) return NA;
      }
      return asString(v);
    }
    case "obj": {
      const indented = goJsonIndent(event.payload);
      return indented ?? NA;
    }
    case "rawtime":
      return event.ts.toString();
    default:
      throw new Error(`falcokit: json.${field} is no json plugin field`);
  }
}

/** What libs receives: C strings, so each is cut at its first NUL. */
function cString(s: string): string {
  const i = s.indexOf("\0");
  return i < 0 ? s : s.slice(0, i);
}

/**
 * The value of a field of the `k8s_audit` source for an audit event: `ka.*` (k8saudit plugin),
 * `json.*`/`jevt.*` (json plugin), and the generic `evt.*` fields. `arg` is the bracket argument
 * as written (`ka.req.pod.containers.image[0]` → `"0"`, `ka.uri.param[pretty]` → `"pretty"`).
 * A field the plugin sets no value for gives `undefined` (lists: also when empty).
 * Throws for a name that is no field of the source.
 */
export function extractAuditField(event: AuditEvent, name: string, arg?: string): Extracted {
  if (name.startsWith("evt.")) return extractGenericPluginField(auditEventMeta(event), name, arg);
  let v: string | string[] | NA;
  if (name.startsWith("ka.")) v = extractKa(event.json, name, arg);
  else if (name.startsWith("json.")) v = extractJson(event, name.slice(5), arg);
  else if (name.startsWith("jevt.")) v = extractJson(event, name.slice(5), arg);
  else throw new Error(`falcokit: ${name} is no field of the k8s_audit source`);
  if (v === NA) return undefined;
  if (typeof v === "string") return cString(v);
  return v.length === 0 ? undefined : v.map(cString);
}

// ---------------------------------------------------------------------------------------------
// Go's net/url, as `ka.uri.param` uses it: url.Parse(requestURI), then url.ParseQuery(RawQuery)

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c);
}

type UrlMode = "path" | "host" | "userinfo" | "fragment" | "query";

/** Go `url.unescape`'s checks (not the unescaping): false on a bad `%` escape or host byte. */
function validEscapes(s: string, mode: UrlMode): boolean {
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c === "%") {
      if (i + 2 >= s.length || !isHex(s[i + 1]) || !isHex(s[i + 2])) return false;
      if (mode === "host" && parseInt(s[i + 1]!, 16) < 8 && s.slice(i, i + 3) !== "%25") return false;
      i += 3;
      continue;
    }
    if (mode === "host" && c.charCodeAt(0) < 0x80 && !/[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"]/.test(c)) return false;
    i++;
  }
  return true;
}

/** Go `url.QueryUnescape`: `%XX` bytes and `+` as space, the bytes read as UTF-8. */
function queryUnescape(s: string): string | undefined {
  if (!validEscapes(s, "query")) return undefined;
  if (!s.includes("%")) return s.replaceAll("+", " ");
  const bytes: number[] = [];
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c === "%") {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 3;
      continue;
    }
    if (c === "+") bytes.push(0x20);
    else {
      const cp = s.codePointAt(i)!;
      pushUtf8(bytes, cp);
      if (cp > 0xffff) i++;
    }
    i++;
  }
  return decodeUtf8(bytes);
}

function pushUtf8(out: number[], cp: number): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

/** UTF-8 decoding, each invalid byte as U+FFFD (Go's reading of a string as runes). */
function decodeUtf8(b: readonly number[]): string {
  let out = "";
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    let need = 0;
    let cp = 0;
    let min = 0;
    if (c < 0x80) {
      out += String.fromCharCode(c);
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) [need, cp, min] = [1, c & 0x1f, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [need, cp, min] = [2, c & 0x0f, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [need, cp, min] = [3, c & 0x07, 0x10000];
    let ok = need > 0 && i + need < b.length;
    for (let k = 1; ok && k <= need; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (cc & 0x3f);
    }
    if (ok && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) ok = false;
    if (!ok) {
      out += "\ufffd";
      i++;
      continue;
    }
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}

/** Go `getScheme`: the scheme and the rest, or undefined for `missing protocol scheme`. */
function goScheme(raw: string): [string, string] | undefined {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return ["", raw];
      continue;
    }
    if (c === ":") return i === 0 ? undefined : [raw.slice(0, i), raw.slice(i + 1)];
    return ["", raw];
  }
  return ["", raw];
}

function validPort(colonPort: string): boolean {
  return colonPort === "" || /^:[0-9]*$/.test(colonPort);
}

/** Go `parseAuthority`'s checks. */
function validAuthority(authority: string): boolean {
  const at = authority.lastIndexOf("@");
  const host = at < 0 ? authority : authority.slice(at + 1);
  if (host.startsWith("[")) {
    const i = host.lastIndexOf("]");
    if (i < 0 || !validPort(host.slice(i + 1))) return false;
  } else {
    const i = host.lastIndexOf(":");
    if (i >= 0 && !validPort(host.slice(i))) return false;
  }
  if (!validEscapes(host, "host")) return false;
  if (at < 0) return true;
  const userinfo = authority.slice(0, at);
  if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) return false;
  return userinfo.split(":").slice(0, 2).every((p) => validEscapes(p, "userinfo"));
}

/** The query parameters of a URL as Go reads them, or undefined when Go reports an error. */
function goQueryOf(raw: string): Map<string, string[]> | undefined {
  const hash = raw.indexOf("#");
  const u = hash < 0 ? raw : raw.slice(0, hash);
  const frag = hash < 0 ? "" : raw.slice(hash + 1);
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(u)) return undefined;
  let rawQuery = "";
  if (u !== "*") {
    const sr = goScheme(u);
    if (!sr) return undefined;
    const [scheme] = sr;
    let rest = sr[1];
    const q = rest.indexOf("?");
    if (rest.endsWith("?") && q === rest.length - 1) rest = rest.slice(0, -1);
    else if (q >= 0) {
      rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
    let opaque = false;
    if (!rest.startsWith("/")) {
      if (scheme !== "") opaque = true;
      else if (rest.split("/")[0]!.includes(":")) return undefined;
    }
    if (!opaque) {
      if ((scheme !== "" || !rest.startsWith("///")) && rest.startsWith("//")) {
        let authority = rest.slice(2);
        const slash = authority.indexOf("/");
        rest = "";
        if (slash >= 0) {
          rest = authority.slice(slash);
          authority = authority.slice(0, slash);
        }
        if (!validAuthority(authority)) return undefined;
      }
      if (!validEscapes(rest, "path")) return undefined;
    }
  }
  if (frag !== "" && !validEscapes(frag, "fragment")) return undefined;
  // url.ParseQuery: any bad pair is an error for the whole query.
  const m = new Map<string, string[]>();
  let failed = false;
  for (const pair of rawQuery.split("&")) {
    if (pair.includes(";")) {
      failed = true;
      continue;
    }
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const k = queryUnescape(eq < 0 ? pair : pair.slice(0, eq));
    const v = queryUnescape(eq < 0 ? "" : pair.slice(eq + 1));
    if (k === undefined || v === undefined) {
      failed = true;
      continue;
    }
    m.set(k, [...(m.get(k) ?? []), v]);
  }
  return failed ? undefined : m;
}

// ---------------------------------------------------------------------------------------------
// Go's encoding/json Indent, as `json.obj` uses it (json.Indent(data, "", "  "))

/** The payload indented by two spaces, or undefined when Go's strict JSON scanner rejects it. */
function goJsonIndent(src: string): string | undefined {
  const out: string[] = [];
  let i = 0;
  const fail = (): never => {
    throw new SyntaxError();
  };
  const ws = () => {
    while (i < src.length && isWS(src.charCodeAt(i))) i++;
  };
  const newline = (depth: number) => out.push("\n" + "  ".repeat(depth));
  const value = (depth: number): void => {
    ws();
    const c = src[i];
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      out.push(c);
      i++;
      ws();
      if (src[i] === close) {
        out.push(close);
        i++;
        return;
      }
      for (;;) {
        newline(depth + 1);
        if (c === "{") {
          ws();
          if (src[i] !== '"') fail();
          string();
          ws();
          if (src[i] !== ":") fail();
          i++;
          out.push(": ");
        }
        value(depth + 1);
        ws();
        if (src[i] === ",") {
          out.push(",");
          i++;
          continue;
        }
        if (src[i] === close) {
          newline(depth);
          out.push(close);
          i++;
          return;
        }
        fail();
      }
    }
    if (c === '"') return string();
    for (const lit of ["true", "false", "null"]) {
      if (src.startsWith(lit, i)) {
        out.push(lit);
        i += lit.length;
        return;
      }
    }
    const m = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
    m.lastIndex = i;
    const n = m.exec(src);
    if (!n || n[0] === "" || n[0] === "-") fail();
    out.push(n![0]);
    i += n![0].length;
  };
  const string = (): void => {
    const start = i++;
    for (;;) {
      if (i >= src.length) fail();
      const ch = src.charCodeAt(i);
      if (ch === 0x22) break;
      if (ch < 0x20) fail();
      if (ch === 0x5c) {
        const e = src[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) fail();
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail();
        i += 2;
        continue;
      }
      i++;
    }
    i++;
    out.push(src.slice(start, i));
  };
  try {
    value(0);
    ws();
    if (i < src.length) fail();
  } catch (e) {
    if (e instanceof SyntaxError) return undefined;
    throw e;
  }
  return out.join("");
}
