import { SERVICES } from "./data/services.generated.js";
import { parseIPv4, parseIPv6 } from "./inet.js";
import { notANumber, parseLibsInt, type IntKind } from "./numbers.js";
import { FIELD_TYPE_CODES, type FieldType } from "./types.js";

/** A constant of a filter, parsed for the type of the field it is compared with. */
export type FilterValue =
  | { kind: "int"; value: bigint }
  | { kind: "double"; value: number }
  | { kind: "bool"; value: boolean }
  | { kind: "string"; value: string }
  | { kind: "bytes"; value: Uint8Array }
  | { kind: "ip"; value: Uint8Array }
  | { kind: "net"; value: Uint8Array; prefix: number };

/** The outcome of parsing a constant: the value, or libs' error message. */
export type ParsedFilterValue = { ok: true; value: FilterValue } | { ok: false; error: string };

/** Options of `parseFilterValue`. */
export interface FilterValueOptions {
  /** Service names accepted for PORT values (getservbyname); Debian netbase's by default. */
  services?: ReadonlyMap<string, number>;
}

/** libs grows a value's buffer up to this many bytes before it gives up. */
const MAX_VALUE_BUFFER = 256;

let defaultServices: Map<string, number> | undefined;
/** The services database falcokit assumes (Debian netbase): name or alias -> port. */
export function defaultServiceNames(): ReadonlyMap<string, number> {
  if (!defaultServices) {
    defaultServices = new Map();
    for (const line of SERVICES.split("\n")) {
      const [name, port] = line.split(" ");
      if (name && port) defaultServices.set(name, Number(port));
    }
  }
  return defaultServices;
}

/** UTF-8 bytes of a string (lone surrogates become U+FFFD, as encoders do). */
function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    let cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return Uint8Array.from(out);
}

/** Latin-1 view of bytes: one character per byte, enough to read a C string back. */
const bytesToText = (b: Uint8Array): string => String.fromCharCode(...b);
const ok = (value: FilterValue): ParsedFilterValue => ({ ok: true, value });
const fail = (error: string): ParsedFilterValue => ({ ok: false, error });

const INT_KIND: Partial<Record<FieldType, IntKind>> = {
  INT8: "int8",
  INT16: "int16",
  INT32: "int32",
  INT64: "int64",
  FD: "int64",
  ERRNO: "int64",
  PID: "int64",
  L4PROTO: "uint8",
  FLAGS8: "uint8",
  UINT8: "uint8",
  ENUMFLAGS8: "uint8",
  FLAGS16: "uint16",
  UINT16: "uint16",
  ENUMFLAGS16: "uint16",
  FLAGS32: "uint32",
  UINT32: "uint32",
  MODE: "uint32",
  ENUMFLAGS32: "uint32",
  UID: "uint32",
  GID: "uint32",
  UINT64: "uint64",
  RELTIME: "uint64",
  ABSTIME: "uint64",
};

function parseInt(text: string, kind: IntKind): ParsedFilterValue {
  const v = parseLibsInt(text, kind);
  return v === undefined ? fail(notANumber(text)) : ok({ kind: "int", value: v });
}

function parsePort(text: string, services: ReadonlyMap<string, number>): ParsedFilterValue {
  if (text === "") return ok({ kind: "int", value: 0n });
  if (/^[0-9]+$/.test(text)) {
    const n = BigInt(text);
    // std::stoi throws std::out_of_range (what(): "stoi") past INT_MAX
    if (n > 2147483647n) return fail("stoi");
    return ok({ kind: "int", value: BigInt.asUintN(16, n) });
  }
  const port = services.get(text);
  return port === undefined ? fail(`unrecognized protocol ${text}`) : ok({ kind: "int", value: BigInt(port) });
}

function parseV4Net(text: string): ParsedFilterValue {
  const slash = text.indexOf("/");
  if (slash < 0) return fail(`unrecognized IP network ${text}`);
  const ip = parseIPv4(text.slice(0, slash));
  let mask = text.slice(slash + 1);
  const nl = mask.indexOf("\n");
  if (nl >= 0) mask = mask.slice(0, nl);
  if (!ip) return fail(`unrecognized IP address ${text}`);
  const bits = parseLibsInt(mask, "uint8");
  if (bits === undefined) return fail(notANumber(mask));
  if (bits > 32n) return fail(`invalid netmask ${mask}`);
  return ok({ kind: "net", value: ip, prefix: Number(bits) });
}

function parseV6Net(text: string): ParsedFilterValue {
  const slash = text.indexOf("/");
  if (slash < 0) return fail(`invalid v6 netmask: ${text}`);
  const ip = parseIPv6(text.slice(0, slash));
  let mask = text.slice(slash + 1);
  const nl = mask.indexOf("\n");
  if (nl >= 0) mask = mask.slice(0, nl);
  if (!ip) return fail(`unrecognized IPv6 address ${text}`);
  const bits = parseLibsInt(mask, "uint8");
  if (bits === undefined) return fail(notANumber(mask));
  if (bits === 0n || bits > 128n) return fail(`invalid v6 netmask ${mask}`);
  return ok({ kind: "net", value: ip, prefix: Number(bits) });
}

/**
 * Parses a constant of a filter for a field of type `type`, as libs'
 * `sinsp_filter_check::parse_filter_value` does, with its exact error messages. Strings are
 * given as text; a byte buffer (the hex-decoded value of `bcontains`/`bstartswith`) as bytes.
 */
export function parseFilterValue(type: FieldType, input: string | Uint8Array, options: FilterValueOptions = {}): ParsedFilterValue {
  if (type === "BYTEBUF") {
    const bytes = typeof input === "string" ? utf8(input) : input;
    if (bytes.length >= MAX_VALUE_BUFFER) return fail("filter parameter too long (byte buf)");
    return ok({ kind: "bytes", value: bytes });
  }
  // everything else is read as a C string: it ends at the first NUL
  let text = typeof input === "string" ? input : bytesToText(input);
  const nul = text.indexOf("\0");
  if (nul >= 0) text = text.slice(0, nul);
  const kind = INT_KIND[type];
  if (kind) return parseInt(text, kind);
  switch (type) {
    case "PORT":
      return parsePort(text, options.services ?? defaultServiceNames());
    case "CHARBUF":
    case "SOCKADDR":
    case "SOCKTUPLE":
    case "SOCKFAMILY":
    case "FSPATH":
    case "FSRELPATH": {
      const used = utf8(text).length + 1;
      if (used > MAX_VALUE_BUFFER) return fail(`filter parameter too long (used=${used}, available=${MAX_VALUE_BUFFER}):${text}`);
      return ok({ kind: "string", value: text });
    }
    case "BOOL":
      if (text === "true") return ok({ kind: "bool", value: true });
      if (text === "false") return ok({ kind: "bool", value: false });
      return fail(`filter error: unrecognized boolean value ${text}`);
    case "DOUBLE": {
      // libs reads doubles as 32-bit integers
      const v = parseLibsInt(text, "int32");
      return v === undefined ? fail(notANumber(text)) : ok({ kind: "double", value: Number(v) });
    }
    case "IPADDR":
      return parseFilterValue(text.includes(".") ? "IPV4ADDR" : "IPV6ADDR", text, options);
    case "IPV4ADDR": {
      const ip = parseIPv4(text);
      return ip ? ok({ kind: "ip", value: ip }) : fail(`unrecognized IPv4 address ${text}`);
    }
    case "IPV6ADDR": {
      const ip = parseIPv6(text);
      return ip ? ok({ kind: "ip", value: ip }) : fail(`unrecognized IPv6 address ${text}`);
    }
    case "IPNET":
      return text.includes(".") ? parseV4Net(text) : parseV6Net(text);
    case "IPV4NET":
      return parseV4Net(text);
    case "IPV6NET":
      return parseV6Net(text);
    default:
      return fail(`wrong parameter type ${FIELD_TYPE_CODES[type]}`);
  }
}

/** libs' `unhex`: an even number of hex digits, as bytes; undefined otherwise. */
export function unhex(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}
