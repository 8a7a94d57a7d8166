/**
 * `sinsp_evt::get_param_as_str`: an event parameter rendered as libsinsp renders it for
 * `evt.arg.X`, `evt.args`, `fd.name` fallbacks... Each parameter gives a plain string and, for
 * some types, a "resolved" string (the fd's name, the errno name, the flag names...); `evt.arg`
 * shows the resolved one when it is not empty.
 */
import type { ParamValue, ScapEvent, ParamType } from "@falcokit/scap";
import {
  EVENTS,
  FLAG_TABLES,
  AT_FDCWD,
  concatenatePaths,
  L4Proto,
  FdType,
  sockaddrToString,
  socktupleToString,
  type EventContext,
  type ThreadInfo,
  eventParams,
} from "@falcokit/scap";
import { scName } from "@falcokit/fields";
import { ERRNO_NAMES, SIGNAL_NAMES } from "./libs-tables.generated.js";

const { usesLegacyNull } = eventParams;

export interface Rendered {
  str: string;
  resolved: string;
}

/** `sinsp_utils::errno_to_str`: the name of `-code`, "" when unknown. */
export function errnoName(code: bigint): string {
  const n = -code;
  if (n < 0n || n > 0xffffn) return "";
  return ERRNO_NAMES.get(Number(n)) ?? "";
}

/** C `%#o`. */
const oct = (v: bigint): string => (v === 0n ? "0" : "0" + v.toString(8));
/** C `%X`. */
const hexUpper = (v: bigint): string => v.toString(16).toUpperCase();

/**
 * `SET_NUMERIC_FORMAT` + snprintf: a value of `bits` bits (already as libs passes it to printf:
 * signed for the d conversions) in the param's print format.
 */
function numeric(v: bigint, bits: number, signed: boolean, fmt: string): string {
  // printf receives the value promoted to int (8/16/32 bits) or int64
  const width = bits <= 32 ? 32 : 64;
  const sv = signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
  // the d conversions print the promoted value as signed
  const asD = BigInt.asIntN(width, sv);
  const asU = BigInt.asUintN(width, sv);
  switch (fmt) {
    case "PF_OCT":
      return oct(asU);
    case "PF_DEC":
      return asD.toString();
    case "PF_10_PADDED_DEC": {
      const s = (asD < 0n ? -asD : asD).toString().padStart(asD < 0n ? 8 : 9, "0");
      return asD < 0n ? "-" + s : s;
    }
    case "PF_HEX":
      return hexUpper(asU);
    default:
      return asD.toString();
  }
}

/** C `%lg`. */
export function formatG(x: number): string {
  if (x === 0) return "0";
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  const exp = Number(x.toExponential(5).split("e")[1]);
  if (exp < -4 || exp >= 6) {
    let [m, e] = x.toExponential(5).split("e") as [string, string];
    if (m.includes(".")) m = m.replace(/0+$/, "").replace(/\.$/, "");
    const en = Number(e);
    return `${m}e${en < 0 ? "-" : "+"}${String(Math.abs(en)).padStart(2, "0")}`;
  }
  let s = x.toFixed(Math.max(0, 5 - exp));
  if (s.includes(".")) s = s.replace(/0+$/, "").replace(/\.$/, "");
  return s;
}

declare const TextDecoder: new (label?: string) => { decode(input: Uint8Array): string };
const utf8 = new TextDecoder("utf-8");

/** `binary_buffer_to_string_dots`: printable ASCII kept, every other byte a dot. */
export function bytesToDots(b: Uint8Array): string {
  let s = "";
  for (const c of b) s += c >= 0x20 && c <= 0x7e ? String.fromCharCode(c) : ".";
  return s;
}

/** The user name of a uid as libs resolves it in `evt.arg` (the thread's container namespace). */
function userName(ctx: EventContext, uid: number): string {
  const t = ctx.thread;
  if (!t) return "<NA>";
  const u = ctx.inspector.users.getUser(t.containerId, uid);
  return u && u.name.length > 0 ? u.name : "<NA>";
}

function groupName(ctx: EventContext, gid: number): string {
  const t = ctx.thread;
  if (!t) return "<NA>";
  const g = ctx.inspector.users.getGroup(t.containerId, gid);
  return g && g.name.length > 0 ? g.name : "<NA>";
}

/** `render_fd`. */
function renderFd(ctx: EventContext, fd: bigint, simple: boolean): Rendered {
  const str = fd.toString();
  const t = ctx.thread;
  if (!t) return { str, resolved: "" };
  if (fd >= 0n) {
    const f = t.getFd(fd);
    if (!f) return { str, resolved: "" };
    let proto = "";
    if (f.type === FdType.IPV4_SOCK || f.type === FdType.IPV6_SOCK || f.type === FdType.IPV4_SERVSOCK || f.type === FdType.IPV6_SERVSOCK) {
      switch (f.l4proto()) {
        case L4Proto.TCP:
          proto = "t";
          break;
        case L4Proto.UDP:
          proto = "u";
          break;
        case L4Proto.ICMP:
          proto = "i";
          break;
        case L4Proto.RAW:
          proto = "r";
          break;
      }
    }
    // with PF_SIMPLE the type char is a NUL that ends the C string: "<>name"
    const typestr = simple ? "" : f.typeChar() + proto;
    return { str, resolved: `<${typestr}>${f.name}` };
  }
  if (fd === AT_FDCWD) return { str, resolved: "AT_FDCWD" };
  return { str, resolved: errnoName(BigInt.asIntN(32, fd)) };
}

/** `get_base_dir`: the cwd, or for an FSRELPATH with a dirfd param the dirfd's path. */
function baseDir(ev: ScapEvent, id: number, t: ThreadInfo): string {
  const cwd = t.getCwd();
  const info = EVENTS[ev.type]!.params[id]!;
  if (info.type !== "PT_FSRELPATH") return cwd;
  const dirfdId = info.dirfdParam;
  if (dirfdId === undefined || dirfdId >= EVENTS[ev.type]!.params.length) return cwd;
  if (EVENTS[ev.type]!.params[dirfdId]!.type !== "PT_FD") return cwd;
  const p = ev.param(dirfdId);
  const dirfd = p.kind === "int" ? BigInt.asIntN(64, p.value) : 0n;
  if (dirfd === AT_FDCWD) return cwd;
  const f = t.getFd(dirfd);
  if (f && f.name.length > 0) return f.name.endsWith("/") ? f.name : f.name + "/";
  return ""; // libs asks /proc for the path: not available offline
}

function intOf(p: ParamValue): bigint {
  if (p.kind === "int") return p.value;
  if (p.kind === "bool") return p.value ? 1n : 0n;
  return 0n;
}

function strOf(p: ParamValue): string {
  if (p.kind === "string") return p.value;
  if (p.kind === "bytes") {
    let end = p.value.indexOf(0);
    if (end < 0) end = p.value.length;
    return utf8.decode(p.value.subarray(0, end));
  }
  return "";
}

/** Flag names of `val` in a flags table, as libs joins them. */
function flagNames(table: readonly { name: string; value: number }[] | undefined, val: number, exact: boolean): string {
  if (!table) return "";
  const initial = val >>> 0;
  let rest = initial;
  const out: string[] = [];
  for (const f of table) {
    const fv = f.value >>> 0;
    let match = false;
    if (exact) match = fv === initial;
    else if ((fv === 0 && initial === 0) || (fv !== 0 && (rest & fv) >>> 0 === fv && rest !== 0)) {
      match = true;
      rest = (rest & ~fv) >>> 0;
    }
    if (match) {
      out.push(f.name);
      if (!exact && fv === initial) break;
    }
  }
  return out.join("|");
}

/** The mode names (`PT_MODE`), with libs' loop that stops at an entry equal to the whole value. */
function modeNames(table: readonly { name: string; value: number }[] | undefined, val: number): string {
  if (!table) return "";
  const initial = val >>> 0;
  let rest = initial;
  const out: string[] = [];
  let i = 0;
  for (; i < table.length && table[i]!.value >>> 0 !== initial; i++) {
    const mv = table[i]!.value >>> 0;
    if ((mv === 0 && initial === 0) || (mv !== 0 && (rest & mv) >>> 0 === mv && rest !== 0)) {
      out.push(table[i]!.name);
      rest = (rest & ~mv) >>> 0;
    }
  }
  if (i < table.length) out.push(table[i]!.name);
  return out.join("|");
}

/** ABSTIME: `%Y-%m-%d %H:%M:%S.` + 9 ns digits (libs' snprintf cuts the ` %z` off). */
function absTime(v: bigint, utcOffsetSeconds: number): string {
  const sec = BigInt.asIntN(64, v) / 1_000_000_000n;
  const nsec = BigInt.asUintN(64, v) % 1_000_000_000n;
  const d = new Date((Number(sec) + utcOffsetSeconds) * 1000);
  const p = (n: number, w = 2): string => String(n).padStart(w, "0");
  return `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${nsec.toString().padStart(9, "0")}`;
}

export interface RenderOptions {
  /** PF_SIMPLE (parsers' own renderings): no type char in fd renderings. */
  simple?: boolean;
  /** Local time offset for ABSTIME params; default 0 (UTC). */
  utcOffsetSeconds?: number;
}

/** `get_param_as_str(id)` of the event of `ctx`. */
export function renderParam(ctx: EventContext, id: number, options: RenderOptions = {}): Rendered {
  const ev = ctx.event;
  const info = EVENTS[ev.type]!;
  const pinfo = info.params[id];
  if (!pinfo) return { str: "", resolved: "" };
  let p: ParamValue = id < ev.nparams ? ev.param(id) : { kind: "empty" };
  const legacyNull = usesLegacyNull(ev, id);
  if (!legacyNull && p.kind === "empty") {
    switch (pinfo.type) {
      case "PT_BYTEBUF":
      case "PT_SOCKTUPLE":
      case "PT_FDLIST":
      case "PT_CHARBUFARRAY":
      case "PT_CHARBUF_PAIR_ARRAY":
      case "PT_DYN":
        return { str: "NULL", resolved: "" };
      default:
        return { str: "<NA>", resolved: "" };
    }
  }
  let type: ParamType = pinfo.type;
  if (type === "PT_DYN" && pinfo.dyn) {
    if (p.kind === "dyn" && p.index < pinfo.dyn.length) {
      type = pinfo.dyn[p.index]!.type;
      p = p.value;
    }
  }
  const fmt = pinfo.fmt;
  const t = ctx.thread;
  switch (type) {
    case "PT_INT8":
      return { str: numeric(intOf(p), 8, true, fmt), resolved: "" };
    case "PT_INT16":
      return { str: numeric(intOf(p), 16, true, fmt), resolved: "" };
    case "PT_INT32":
      return { str: numeric(intOf(p), 32, true, fmt), resolved: "" };
    case "PT_INT64":
      return { str: numeric(intOf(p), 64, true, fmt), resolved: "" };
    case "PT_UINT8":
      return { str: numeric(intOf(p), 8, false, fmt), resolved: "" };
    case "PT_UINT16":
      return { str: numeric(intOf(p), 16, false, fmt), resolved: "" };
    case "PT_UINT32":
      return { str: numeric(intOf(p), 32, false, fmt), resolved: "" };
    case "PT_UINT64":
      // libs reads it as int64 for the d conversions
      return { str: numeric(intOf(p), 64, true, fmt), resolved: "" };
    case "PT_FD":
      return renderFd(ctx, BigInt.asIntN(64, intOf(p)), options.simple ?? false);
    case "PT_PID": {
      const pid = BigInt.asIntN(64, intOf(p));
      const at = ctx.inspector.threads.find(pid);
      return { str: pid.toString(), resolved: at ? at.comm : "" };
    }
    case "PT_ERRNO": {
      const v = BigInt.asIntN(64, intOf(p));
      return { str: v.toString(), resolved: v < 0n ? errnoName(BigInt.asIntN(32, v)) : "" };
    }
    case "PT_CHARBUF":
      return { str: legacyNull ? "<NA>" : strOf(p), resolved: "" };
    case "PT_FSPATH":
    case "PT_FSRELPATH": {
      const path = legacyNull ? "<NA>" : strOf(p);
      if (!t) return { str: path, resolved: path };
      if (path === "<NA>") return { str: path, resolved: "" };
      if (path.length === 0 || path.startsWith("/")) return { str: path, resolved: "" };
      return { str: path, resolved: concatenatePaths(baseDir(ev, id, t), path) };
    }
    case "PT_BYTEBUF":
      return { str: p.kind === "bytes" ? bytesToDots(p.value) : p.kind === "string" ? bytesToDots(p.bytes) : "", resolved: "" };
    case "PT_SOCKADDR":
      if (p.kind === "sockaddr") return { str: sockaddrToString(p.value, 0), resolved: "" };
      return { str: "<NA>", resolved: "" };
    case "PT_SOCKTUPLE":
      if (p.kind === "socktuple") return { str: socktupleToString(p.value), resolved: "" };
      return { str: "NULL", resolved: "" };
    case "PT_FDLIST": {
      if (!t || p.kind !== "fdlist") return { str: "", resolved: "" };
      const parts = p.value.map((e) => {
        const f = t.getFd(BigInt.asIntN(64, e.fd));
        const tch = f ? f.typeChar() : "?";
        const flags = (((e.flags << 16) >> 16) >>> 0).toString(16);
        return `${BigInt.asUintN(64, e.fd)}:${tch}${flags}`;
      });
      return { str: parts.join(" "), resolved: "" };
    }
    case "PT_SYSCALLID": {
      const sc = Number(BigInt.asUintN(16, intOf(p)));
      if (sc >= 454) return { str: "<unknown syscall>", resolved: "" };
      return { str: String(sc), resolved: scName(sc) };
    }
    case "PT_SIGTYPE": {
      const v = Number(BigInt.asUintN(8, intOf(p)));
      return { str: String(v), resolved: SIGNAL_NAMES.get(v) ?? "" };
    }
    case "PT_RELTIME": {
      const v = BigInt.asUintN(64, intOf(p));
      if (v === 0xffffffffffffffffn) return { str: "none", resolved: "" };
      return { str: v.toString(), resolved: `${formatG(Number(v) / 1e9)}s` };
    }
    case "PT_FLAGS8":
    case "PT_FLAGS16":
    case "PT_FLAGS32":
    case "PT_ENUMFLAGS8":
    case "PT_ENUMFLAGS16":
    case "PT_ENUMFLAGS32": {
      const bits = type.endsWith("8") ? 8 : type.endsWith("16") ? 16 : 32;
      const v = Number(BigInt.asUintN(bits, intOf(p)));
      const table = pinfo.flagsTable ? FLAG_TABLES[pinfo.flagsTable] : undefined;
      return { str: String(v), resolved: flagNames(table, v, type.startsWith("PT_ENUMFLAGS")) };
    }
    case "PT_MODE": {
      const v = Number(BigInt.asUintN(32, intOf(p)));
      const table = pinfo.flagsTable ? FLAG_TABLES[pinfo.flagsTable] : undefined;
      return { str: numeric(BigInt(v), 32, false, fmt), resolved: modeNames(table, v) };
    }
    case "PT_ABSTIME":
      return { str: absTime(intOf(p), options.utcOffsetSeconds ?? 0), resolved: "" };
    case "PT_DYN":
      return { str: "INVALID DYNAMIC PARAMETER", resolved: "" };
    case "PT_UID":
    case "PT_GID": {
      const v = Number(BigInt.asUintN(32, intOf(p)));
      if (v >= 0xffffffff) return { str: "-1", resolved: "<NONE>" };
      return { str: String(v | 0), resolved: type === "PT_UID" ? userName(ctx, v) : groupName(ctx, v) };
    }
    case "PT_CHARBUFARRAY":
      return { str: p.kind === "strings" ? p.value.join(".") : "", resolved: "" };
    case "PT_CHARBUF_PAIR_ARRAY":
      return { str: p.kind === "pairs" ? p.value.map(([a, b]) => `${a}:${b}`).join(",") : "", resolved: "" };
    case "PT_SIGSET": {
      const v = Number(BigInt.asUintN(32, intOf(p)));
      const names: string[] = [];
      for (let sig = 0; sig < 32; sig++) {
        if (v & (1 << sig)) {
          const n = SIGNAL_NAMES.get(sig + 1);
          if (n) names.push(n);
        }
      }
      return { str: names.join(" "), resolved: "" };
    }
    default:
      return { str: "(n.a.)", resolved: "" };
  }
}

/** `get_param_value_str(name)`: the first param with that name (undefined when none). */
export function paramIndexByName(ev: ScapEvent, name: string): number | undefined {
  const params = EVENTS[ev.type]!.params;
  const n = eventParams.paramCount(ev);
  for (let i = 0; i < n && i < params.length; i++) if (params[i]!.name === name) return i;
  return undefined;
}

/** `evt.arg`-style value: the resolved string when there is one. */
export function renderParamValue(ctx: EventContext, id: number, options: RenderOptions = {}): string {
  const r = renderParam(ctx, id, options);
  return r.resolved.length > 0 ? r.resolved : r.str;
}
