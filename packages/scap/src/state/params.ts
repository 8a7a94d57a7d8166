/**
 * Reading event parameters the way libsinsp's `sinsp_evt_param::as<T>()` does: fixed-size integers
 * reinterpreted at the width asked for, strings with the legacy null encoding (an empty or
 * `(NULL)` CHARBUF/FSPATH/FSRELPATH reads as `<NA>`), NUL-separated arrays split like
 * `sinsp_split`.
 */
import type { ParamValue, ScapEvent, SockAddr, SockTuple } from "../event.js";
import { EVENTS, PARAM_TYPES } from "../event-table.js";

const EMPTY: ParamValue = { kind: "empty" };
const utf8 = new TextDecoder("utf-8");

/** Parameter `i`, or an empty parameter past the end of the event. */
export function param(ev: ScapEvent, i: number): ParamValue {
  if (i < 0 || i >= ev.nparams) return EMPTY;
  return ev.param(i);
}

/** libsinsp's `get_num_params()`: the params the record holds (at most `nparams`). */
export function paramCount(ev: ScapEvent): number {
  const p = ev.present;
  return p === undefined || p > ev.nparams ? ev.nparams : p;
}

/** libs' `empty()`: a zero-length parameter (or one past the end). */
export function isEmpty(ev: ScapEvent, i: number): boolean {
  const p = param(ev, i);
  return p.kind === "empty";
}

function intOf(p: ParamValue): bigint | undefined {
  switch (p.kind) {
    case "int":
      return p.value;
    case "bool":
      return p.value ? 1n : 0n;
    case "double":
      return BigInt(Math.trunc(p.value));
    case "dyn":
      return intOf(p.value);
    default:
      return undefined;
  }
}

/** The integer value of parameter `i`, or undefined when it is empty or not an integer. */
export function pint(ev: ScapEvent, i: number): bigint | undefined {
  return intOf(param(ev, i));
}

/** `as<int64_t>()`; 0 for an empty parameter (libs would throw). */
export const i64 = (ev: ScapEvent, i: number): bigint => BigInt.asIntN(64, pint(ev, i) ?? 0n);
/** `as<uint64_t>()`. */
export const u64 = (ev: ScapEvent, i: number): bigint => BigInt.asUintN(64, pint(ev, i) ?? 0n);
/** `as<uint32_t>()`. */
export const u32 = (ev: ScapEvent, i: number): number => Number(BigInt.asUintN(32, pint(ev, i) ?? 0n));
/** `as<int32_t>()`. */
export const i32 = (ev: ScapEvent, i: number): number => Number(BigInt.asIntN(32, pint(ev, i) ?? 0n));
/** `as<uint16_t>()`. */
export const u16 = (ev: ScapEvent, i: number): number => Number(BigInt.asUintN(16, pint(ev, i) ?? 0n));
/** `as<uint8_t>()`. */
export const u8 = (ev: ScapEvent, i: number): number => Number(BigInt.asUintN(8, pint(ev, i) ?? 0n));
/** `as<int8_t>()`. */
export const i8 = (ev: ScapEvent, i: number): number => Number(BigInt.asIntN(8, pint(ev, i) ?? 0n));

const LEGACY_NULL_TYPES = new Set(["PT_CHARBUF", "PT_FSPATH", "PT_FSRELPATH"]);

/** The table type of parameter `i` of the event's current layout. */
export function paramType(ev: ScapEvent, i: number): string | undefined {
  return EVENTS[ev.type]?.params[i]?.type;
}

/** Whether parameter `i` uses libs' legacy null encoding (empty or `(NULL)` string types). */
export function usesLegacyNull(ev: ScapEvent, i: number): boolean {
  const t = paramType(ev, i);
  if (t === undefined || !LEGACY_NULL_TYPES.has(t)) return false;
  const p = param(ev, i);
  if (p.kind === "empty") return true;
  if (p.kind === "string") return p.value === "(NULL)";
  return false;
}

function bytesToString(b: Uint8Array): string {
  let end = b.indexOf(0);
  if (end < 0) end = b.length;
  return utf8.decode(b.subarray(0, end));
}

/**
 * `as<std::string>()` / `as<std::string_view>()` of a string parameter: `<NA>` for the legacy null
 * encoding, "" for an empty parameter of another type.
 */
export function pstr(ev: ScapEvent, i: number): string {
  if (usesLegacyNull(ev, i)) return "<NA>";
  const p = param(ev, i);
  switch (p.kind) {
    case "string":
      return p.value;
    case "bytes":
      return bytesToString(p.value);
    case "strings":
      return p.value[0] ?? "";
    case "dyn":
      return p.value.kind === "string" ? p.value.value : "";
    default:
      return "";
  }
}

/** `as<std::vector<std::string>>()`: NUL-separated strings, one trailing NUL dropped. */
export function pstrings(ev: ScapEvent, i: number): string[] {
  if (usesLegacyNull(ev, i)) return ["<NA>"];
  const p = param(ev, i);
  switch (p.kind) {
    case "strings":
      return [...p.value];
    case "string":
      return splitNul(p.bytes);
    case "bytes":
      return splitNul(p.value);
    default:
      return [];
  }
}

/** `sinsp_split` of a NUL-separated buffer after dropping one trailing NUL. */
export function splitNul(b: Uint8Array): string[] {
  let len = b.length;
  if (len > 0 && b[len - 1] === 0) len--;
  if (len === 0) return [];
  const out: string[] = [];
  let start = 0;
  for (let j = 0; j < len; j++) {
    if (b[j] === 0) {
      out.push(utf8.decode(b.subarray(start, j)));
      start = j + 1;
    }
  }
  out.push(utf8.decode(b.subarray(start, len)));
  return out;
}

/** The socket address of parameter `i`, if it is a valid one (`is_sockaddr_valid`). */
export function psockaddr(ev: ScapEvent, i: number): SockAddr | undefined {
  const p = param(ev, i);
  if (p.kind === "sockaddr") return p.value;
  if (p.kind === "dyn" && p.value.kind === "sockaddr") return p.value.value;
  return undefined;
}

/** The socket tuple of parameter `i`, if it is a valid one (`is_socktuple_valid`). */
export function psocktuple(ev: ScapEvent, i: number): SockTuple | undefined {
  const p = param(ev, i);
  if (p.kind === "socktuple") return p.value;
  return undefined;
}

/** The raw bytes of a BYTEBUF parameter (empty array when absent). */
export function pbytes(ev: ScapEvent, i: number): Uint8Array {
  const p = param(ev, i);
  if (p.kind === "bytes") return p.value;
  if (p.kind === "string") return p.bytes;
  return new Uint8Array(0);
}

/**
 * `sinsp_evt::get_syscall_return_value()`: parameter 0 as a signed integer of its width; 0 when
 * empty (libs asserts and returns 0).
 */
export function retval(ev: ScapEvent): bigint {
  const t = paramType(ev, 0);
  const v = pint(ev, 0);
  if (v === undefined || t === undefined) return 0n;
  const len = PARAM_TYPES[t as keyof typeof PARAM_TYPES]?.fixedLen;
  if (len === 4) return BigInt.asIntN(32, v);
  if (len === 8) return BigInt.asIntN(64, v);
  return 0n;
}
