/**
 * The `evt` classes of the syscall source: libs' generic event fields
 * (`sinsp_filter_check_gen_event`) and the syscall event fields (`sinsp_filter_check_event`).
 */
import type { ScapEvent } from "@falcokit/scap";
import {
  EVENTS,
  EventCode as E,
  EventFlagBits as EF,
  EventCategoryBits as EC,
  FdType,
  OpenFlag,
  concatenatePaths,
  AT_FDCWD,
  type EventContext,
  eventParams,
} from "@falcokit/scap";
import { scName } from "@falcokit/fields";
import { extractGenericPluginField } from "../k8saudit.js";
import type { Extracted } from "../value.js";
import { X86_64_SYSCALLS } from "./libs-tables.generated.js";
import { paramIndexByName, renderParam, type RenderOptions } from "./render.js";
import type { SyscallExtractOptions } from "./options.js";
import { fieldState } from "./options.js";

const { isEmpty, pint, pstr, retval, u32, u16, i64 } = eventParams;

const NS = 1_000_000_000n;
const PPM_SC_UNKNOWN = 0;

/** `sinsp_evt::has_return_value`. */
export function hasReturnValue(ctx: EventContext): boolean {
  return ctx.inspector.hasReturnValue(ctx);
}

/** `get_category()`: the syscall category bits. */
export function syscallCategory(ctx: EventContext): number {
  return ctx.info.categoryRaw & (EC.SYSCALL - 1);
}

/** `evt.type`: the table name; generic syscalls by their ppm_sc (or native x86_64) number; async events by their name. */
export function eventTypeName(ev: ScapEvent): string {
  if (ev.type === E.GENERIC_X) {
    let sc = pint(ev, 0) === undefined ? 0 : u16(ev, 0);
    if (sc === PPM_SC_UNKNOWN && !isEmpty(ev, 1)) {
      const native = u16(ev, 1);
      const name = X86_64_SYSCALLS.get(native);
      return name ?? scName(PPM_SC_UNKNOWN);
    }
    return sc < 454 ? scName(sc) : "";
  }
  if (ev.type === E.ASYNCEVENT_E) return pstr(ev, 1);
  return EVENTS[ev.type]!.name;
}

function categoryName(ctx: EventContext): string {
  const cat = syscallCategory(ctx);
  switch (cat) {
    case 0:
      return "unknown";
    case 1:
      return "other";
    case 2:
      return "file";
    case 3:
      return "net";
    case 4:
      return "IPC";
    case 5:
      return "memory";
    case 6:
      return "process";
    case 7:
      return "sleep";
    case 8:
      return "system";
    case 9:
      return "signal";
    case 10:
      return "user";
    case 11:
      return "time";
    case 12:
      return "processing";
    case 32:
    case 33:
    case 34: {
      const f = ctx.fd;
      if (!f) return "unknown";
      switch (f.type) {
        case FdType.FILE:
        case FdType.FILE_V2:
        case FdType.DIRECTORY:
          return "file";
        case FdType.IPV4_SOCK:
        case FdType.IPV6_SOCK:
        case FdType.IPV4_SERVSOCK:
        case FdType.IPV6_SERVSOCK:
          return "net";
        case FdType.FIFO:
        case FdType.UNIX_SOCK:
        case FdType.EVENT:
        case FdType.SIGNALFD:
        case FdType.INOTIFY:
        case FdType.USERFAULTFD:
          return "ipc";
        default:
          return "unknown";
      }
    }
    case 64:
      return "wait";
    case 128:
      return "scheduler";
    case 256:
      return "internal";
    default:
      return "unknown";
  }
}

/** `extract_error_count`: 1 for a failed syscall exit, 0 otherwise; nothing without a return value. */
function errorCount(ctx: EventContext): boolean | undefined {
  if (!hasReturnValue(ctx)) return undefined;
  return retval(ctx.event) < 0n;
}

const asCount = (b: boolean | undefined): bigint | undefined => (b === undefined ? undefined : b ? 1n : 0n);

const OPEN_TYPES = (t: number): boolean => t === E.OPEN_X || t === E.CREAT_X || t === E.OPENAT_2_X || t === E.OPENAT2_X || t === E.OPEN_BY_HANDLE_AT_X;

function buflen(ctx: EventContext): bigint | undefined {
  if (ctx.event.type % 2 === 1) {
    const v = retval(ctx.event);
    if (v >= 0n) return v;
  }
  return undefined;
}

/** `evt.abspath` (`extract_abspath`). */
function absPath(ctx: EventContext, argid: number): string | undefined {
  const t = ctx.thread;
  if (!t) return undefined;
  const ev = ctx.event;
  let dirfdArg: string | undefined;
  let pathArg: string | undefined;
  const ty = ev.type;
  const is = (name: string): boolean => EVENTS[ty]!.enumName === name;
  if (is("PPME_SYSCALL_RENAMEAT_X") || is("PPME_SYSCALL_RENAMEAT2_X")) {
    if (argid === 0 || argid === 1) [dirfdArg, pathArg] = ["olddirfd", "oldpath"];
    else if (argid === 2) [dirfdArg, pathArg] = ["newdirfd", "newpath"];
  } else if (is("PPME_SYSCALL_SYMLINKAT_X")) [dirfdArg, pathArg] = ["linkdirfd", "linkpath"];
  else if (ty === E.OPENAT_2_X || ty === E.OPENAT2_X) [dirfdArg, pathArg] = ["dirfd", "name"];
  else if (ty === E.OPEN_BY_HANDLE_AT_X) {
    const fd = retval(ev);
    if (BigInt.asIntN(32, fd) > 0n) return concatenatePaths("", pstr(ev, 3));
  } else if (is("PPME_SYSCALL_LINKAT_2_X")) {
    if (argid === 0 || argid === 1) [dirfdArg, pathArg] = ["olddir", "oldpath"];
    else if (argid === 2) [dirfdArg, pathArg] = ["newdir", "newpath"];
  } else if (is("PPME_SYSCALL_UNLINKAT_2_X")) [dirfdArg, pathArg] = ["dirfd", "name"];
  else if (is("PPME_SYSCALL_MKDIRAT_X")) [dirfdArg, pathArg] = ["dirfd", "path"];
  else if (is("PPME_SYSCALL_FCHMODAT_X")) [dirfdArg, pathArg] = ["dirfd", "filename"];
  else if (is("PPME_SYSCALL_FCHOWNAT_X")) [dirfdArg, pathArg] = ["dirfd", "pathname"];
  if (!dirfdArg || !pathArg) return undefined;
  const di = paramIndexByName(ev, dirfdArg);
  const pi = paramIndexByName(ev, pathArg);
  if (di === undefined || pi === undefined) return undefined;
  if (isEmpty(ev, di) || isEmpty(ev, pi)) return undefined;
  const dirfd = i64(ev, di);
  const path = pstr(ev, pi);
  let sdir: string;
  if (path[0] === "/") sdir = ".";
  else if (dirfd === AT_FDCWD) sdir = t.getCwd();
  else {
    // libs also makes this fd the event's fd (a side effect on later fd.* fields, not reproduced)
    const f = t.getFd(dirfd);
    // libs tests the character *after* the name (always NUL): a `/` is always appended
    sdir = f ? f.name + "/" : "<UNKNOWN>/";
  }
  return concatenatePaths(sdir, path);
}

/** The param index `evt.arg`/`evt.rawarg` address: by position (`[N]`) or by name. */
function argIndex(ev: ScapEvent, arg: string | undefined): number | undefined {
  if (arg === undefined) return undefined;
  if (/^-?\d+$/.test(arg)) {
    const n = Number(arg);
    if (n < 0 || n >= eventParams.paramCount(ev)) return undefined;
    return n;
  }
  return paramIndexByName(ev, arg);
}

/** `evt.rawarg.X`: the parameter's value as its own type. */
function rawArg(ctx: EventContext, arg: string | undefined): Extracted {
  const ev = ctx.event;
  if (arg === undefined || /^-?\d+$/.test(arg)) return undefined;
  const i = paramIndexByName(ev, arg);
  if (i === undefined) return undefined;
  const pinfo = EVENTS[ev.type]!.params[i]!;
  const p = ev.param(i);
  const legacy = pinfo.type === "PT_CHARBUF" || pinfo.type === "PT_FSPATH" || pinfo.type === "PT_FSRELPATH";
  if (p.kind === "empty") return legacy ? "<NA>" : undefined;
  switch (p.kind) {
    case "int":
      return p.value;
    case "bool":
      return p.value;
    case "double":
      return p.value;
    case "string":
      return p.value === "(NULL)" && legacy ? "<NA>" : p.value;
    case "bytes":
      return p.value;
    case "ip":
      return p.value;
    case "dyn":
      return p.value.kind === "int" ? p.value.value : p.value.kind === "string" ? p.value.value : p.value.kind === "bytes" ? p.value.value : undefined;
    default: {
      const raw = ev.raw(i);
      return raw && raw.length > 0 ? raw : undefined;
    }
  }
}

/** `evt.args`. */
function allArgs(ctx: EventContext, ro: RenderOptions): string {
  const ev = ctx.event;
  if (ev.type === E.GENERIC_X) return "";
  const params = EVENTS[ev.type]!.params;
  const out: string[] = [];
  const n = eventParams.paramCount(ev);
  for (let j = 0; j < n && j < params.length; j++) {
    const r = renderParam(ctx, j, ro);
    out.push(r.resolved.length === 0 ? `${params[j]!.name}=${r.str}` : `${params[j]!.name}=${r.str}(${r.resolved})`);
  }
  return out.join(" ");
}

/** `evt.type.is.X`: 1 for events of that type (a name, or a code). */
function typeIs(ev: ScapEvent, arg: string | undefined): bigint {
  if (arg === undefined) return 0n;
  if (/^\d+$/.test(arg)) return BigInt(ev.type) === BigInt(arg) ? 1n : 0n;
  // libs remembers the first code with that name and the next one (its exit or enter pair)
  for (let j = 0; j < EVENTS.length; j++) {
    if (EVENTS[j]!.name === arg) return ev.type === j || ev.type === j + 1 ? 1n : 0n;
  }
  return 0n;
}

/** The syscall-source `evt.*` fields. Returns `NOT_MINE` for a name of another class. */
export function extractEvtField(ctx: EventContext, name: string, arg: string | undefined, opts: SyscallExtractOptions): Extracted | typeof NOT_MINE {
  const ev = ctx.event;
  const insp = ctx.inspector;
  const zone = opts.utcOffsetSeconds ?? 0;
  const ro: RenderOptions = { utcOffsetSeconds: zone };
  switch (name) {
    // --- generic event fields -------------------------------------------------------------------
    case "evt.num":
    case "evt.time":
    case "evt.time.s":
    case "evt.time.iso8601":
    case "evt.datetime":
    case "evt.datetime.s":
    case "evt.rawtime":
    case "evt.rawtime.s":
    case "evt.rawtime.ns":
    case "evt.reltime":
    case "evt.reltime.s":
    case "evt.reltime.ns":
      return extractGenericPluginField({ num: ctx.num, ts: ev.ts, firstTs: insp.firstEventTs, source: "syscall", utcOffsetSeconds: zone }, name);
    case "evt.pluginname":
    case "evt.plugininfo":
      // only plugin events (PLUGINEVENT_E) have a plugin; no plugin is loaded for syscall captures
      return undefined;
    case "evt.source":
      if (ev.type === E.PLUGINEVENT_E || ev.type === E.ASYNCEVENT_E) {
        const id = pint(ev, 0);
        if (id !== undefined && id !== 0n) return undefined; // a plugin's own source: not known here
      }
      return "syscall";
    case "evt.is_async":
      return (ctx.info.categoryRaw & EC.METAEVENT) !== 0;
    case "evt.asynctype":
      if ((ctx.info.categoryRaw & EC.METAEVENT) === 0) return undefined;
      if (ev.type !== E.ASYNCEVENT_E) return EVENTS[ev.type]!.name;
      return pstr(ev, 1);
    case "evt.hostname":
      return insp.machineInfo ? insp.machineInfo.hostname : undefined;

    // --- syscall event fields ----------------------------------------------------------------------
    case "evt.latency":
    case "evt.latency.s":
    case "evt.latency.ns":
    case "evt.latency.quantized":
    case "evt.wait_latency":
      return 0n;
    case "evt.latency.human":
      return "0ns";
    case "evt.deltatime":
    case "evt.deltatime.s":
    case "evt.deltatime.ns": {
      // per check instance in libs: the previous event this field was extracted for
      const st = fieldState(insp, name);
      const prev = st.get("ts") as bigint | undefined;
      const ts = ev.ts;
      st.set("ts", ts);
      if (prev === undefined || prev === 0n) return 0n;
      const d = BigInt.asUintN(64, ts - prev);
      return name === "evt.deltatime" ? d : name === "evt.deltatime.s" ? d / NS : d % NS;
    }
    case "evt.outputtime":
      return extractGenericPluginField({ num: ctx.num, ts: ev.ts, source: "syscall", utcOffsetSeconds: zone }, "evt.time");
    case "evt.dir":
      return ev.type % 2 === 0 ? ">" : "<";
    case "evt.type":
      return eventTypeName(ev);
    case "evt.type.is":
      return typeIs(ev, arg);
    case "syscall.type":
      if ((ctx.info.categoryRaw & EC.SYSCALL) === 0) return undefined;
      if (ev.type === E.GENERIC_X) return eventTypeName(ev);
      return EVENTS[ev.type]!.name;
    case "evt.category":
      return categoryName(ctx);
    case "evt.cpu":
      return BigInt(ev.cpu & 0xffff);
    case "evt.args":
    case "evt.info":
      return allArgs(ctx, ro);
    case "evt.arg": {
      const i = argIndex(ev, arg);
      if (i === undefined) return undefined;
      const r = renderParam(ctx, i, ro);
      return r.resolved.length > 0 ? r.resolved : r.str;
    }
    case "evt.rawarg":
      return rawArg(ctx, arg);
    case "evt.buffer": {
      const i = paramIndexByName(ev, "data");
      if (i === undefined) return undefined;
      const p = ev.param(i);
      if (p.kind === "bytes") return p.value;
      if (p.kind === "string") return p.bytes;
      return undefined;
    }
    case "evt.buflen":
      if (ctx.fd && syscallCategory(ctx) & EC.IO_BASE) return buflen(ctx);
      return undefined;
    case "evt.buflen.in":
      return ctx.fd && syscallCategory(ctx) === 32 ? buflen(ctx) : undefined;
    case "evt.buflen.out":
      return ctx.fd && syscallCategory(ctx) === 33 ? buflen(ctx) : undefined;
    case "evt.buflen.file":
      return ctx.fd && syscallCategory(ctx) & EC.IO_BASE && ctx.fd.isFile() ? buflen(ctx) : undefined;
    case "evt.buflen.file.in":
      return ctx.fd && syscallCategory(ctx) === 32 && ctx.fd.isFile() ? buflen(ctx) : undefined;
    case "evt.buflen.file.out":
      return ctx.fd && syscallCategory(ctx) === 33 && ctx.fd.isFile() ? buflen(ctx) : undefined;
    case "evt.buflen.net":
    case "evt.buflen.net.in":
    case "evt.buflen.net.out": {
      const f = ctx.fd;
      if (!f) return undefined;
      const cat = syscallCategory(ctx);
      if (name === "evt.buflen.net" ? !(cat & EC.IO_BASE) : name === "evt.buflen.net.in" ? cat !== 32 : cat !== 33) return undefined;
      return f.type >= FdType.IPV4_SOCK && f.type <= FdType.IPV6_SERVSOCK ? buflen(ctx) : undefined;
    }
    case "evt.res": {
      if (!hasReturnValue(ctx)) return undefined;
      const res = retval(ev);
      if (res >= 0n) return "SUCCESS";
      const r = renderParam(ctx, 0, ro);
      return r.resolved.length > 0 ? r.resolved : r.str;
    }
    case "evt.rawres":
      return hasReturnValue(ctx) ? retval(ev) : undefined;
    case "evt.failed":
      return errorCount(ctx);
    case "evt.count.error":
      return asCount(errorCount(ctx));
    case "evt.count.error.file": {
      const f = ctx.fd;
      if (f) return f.isFile() || f.isDirectory() ? asCount(errorCount(ctx)) : undefined;
      return OPEN_TYPES(ev.type) ? asCount(errorCount(ctx)) : undefined;
    }
    case "evt.count.error.net": {
      const f = ctx.fd;
      if (f) return f.type >= FdType.IPV4_SOCK && f.type <= FdType.IPV6_SERVSOCK || f.type === FdType.UNIX_SOCK ? asCount(errorCount(ctx)) : undefined;
      return ev.type === E.ACCEPT_5_X || ev.type === E.ACCEPT4_6_X || ev.type === E.CONNECT_X ? asCount(errorCount(ctx)) : undefined;
    }
    case "evt.count.error.memory":
      return syscallCategory(ctx) === 5 ? asCount(errorCount(ctx)) : undefined;
    case "evt.count.error.other": {
      const f = ctx.fd;
      if (f) {
        const known = f.isFile() || f.isDirectory() || (f.type >= FdType.IPV4_SOCK && f.type <= FdType.IPV6_SERVSOCK) || f.type === FdType.UNIX_SOCK;
        return known ? undefined : asCount(errorCount(ctx));
      }
      const known = OPEN_TYPES(ev.type) || ev.type === E.ACCEPT_5_X || ev.type === E.ACCEPT4_6_X || ev.type === E.CONNECT_X || syscallCategory(ctx) === 5;
      return known ? undefined : asCount(errorCount(ctx));
    }
    case "evt.count":
      return 1n;
    case "evt.count.exit":
      return ev.type % 2 === 1 ? 1n : undefined;
    case "evt.count.procinfo":
      if (ev.type !== E.PROCINFO_E) return 0n;
      return ctx.thread && ctx.thread.isMainThread() ? 1n : 0n;
    case "evt.count.threadinfo":
      return ev.type === E.PROCINFO_E ? 1n : 0n;
    case "evt.is_io":
      return (ctx.info.flags & (EF.READS_FROM_FD | EF.WRITES_TO_FD)) !== 0;
    case "evt.is_io_read":
      return (ctx.info.flags & EF.READS_FROM_FD) !== 0;
    case "evt.is_io_write":
      return (ctx.info.flags & EF.WRITES_TO_FD) !== 0;
    case "evt.io_dir":
      if (ctx.info.flags & EF.WRITES_TO_FD) return "write";
      if (ctx.info.flags & EF.READS_FROM_FD) return "read";
      return undefined;
    case "evt.is_wait":
      return (ctx.info.flags & EF.WAITS) !== 0;
    case "evt.is_syslog":
      return (ctx.info.flags & EF.WRITES_TO_FD) !== 0 && ctx.fd !== undefined && ctx.fd.isSyslog();
    case "evt.around":
      // filter-only (`evt.around[T]=D`): no value to extract
      return undefined;
    case "evt.abspath":
      return absPath(ctx, arg === "src" ? 1 : arg === "dst" ? 2 : 0);
    case "evt.is_open_read":
    case "evt.is_open_write":
    case "evt.is_open_exec":
    case "evt.is_open_create":
      return isOpen(ctx, name);
    case "evt.infra.docker.name":
    case "evt.infra.docker.container.id":
    case "evt.infra.docker.container.name":
    case "evt.infra.docker.container.image":
      // only PPME_INFRASTRUCTURE_EVENT_E, an old meta event the converter drops
      return undefined;
    default:
      return NOT_MINE;
  }
}

export const NOT_MINE: unique symbol = Symbol("not this class");

function isOpen(ctx: EventContext, name: string): boolean {
  const ev = ctx.event;
  const et = ev.type;
  const execMask = (1 << 6) | (1 << 3) | (1 << 0);
  if (et === E.OPEN_X || et === E.OPENAT_2_X || et === E.OPENAT2_X || et === E.OPEN_BY_HANDLE_AT_X) {
    const isNew = et === E.OPENAT_2_X || et === E.OPENAT2_X;
    const fi = isNew ? 3 : 2;
    const flags = isEmpty(ev, fi) ? 0 : u32(ev, fi);
    switch (name) {
      case "evt.is_open_read":
        return (flags & OpenFlag.RDONLY) !== 0;
      case "evt.is_open_write":
        return (flags & OpenFlag.WRONLY) !== 0;
      case "evt.is_open_create":
        if (flags & OpenFlag.F_CREATED) return true;
        if (flags & OpenFlag.TMPFILE && hasReturnValue(ctx) && retval(ev) >= 0n) return true;
        return false;
      default: {
        if (flags & (OpenFlag.TMPFILE | OpenFlag.CREAT) && et !== E.OPEN_BY_HANDLE_AT_X) {
          const mi = isNew ? 4 : 3;
          if (!isEmpty(ev, mi)) return (u32(ev, mi) & execMask) !== 0;
        }
        return false;
      }
    }
  }
  if (name === "evt.is_open_exec" && et === E.CREAT_X) return (u32(ev, 2) & execMask) !== 0;
  return false;
}
