/** The `fd` class (`sinsp_filter_check_fd`) and the `fdlist` class. */
import {
  EventCode as E,
  EventFlagBits as EF,
  FdType,
  L4Proto,
  concatenatePaths,
  ipv4ToString,
  ipv6ToString,
  parseDirfd,
  type EventContext,
  type FdInfo,
  type ThreadInfo,
  eventParams,
} from "@falcokit/scap";
import { compileCheck, OperatorError, parseOperator } from "../operators.js";
import type { Extracted, Scalar } from "../value.js";
import { dnsMatch, dnsNameOf, EMPTY_DNS_TABLE, type DnsCarrier, type DnsTable } from "./dns.js";
import { renderParam } from "./render.js";

const { i64, isEmpty, pstr } = eventParams;

export const NOT_MINE: unique symbol = Symbol("not this class");

interface FdCtx {
  t: ThreadInfo;
  f: FdInfo | undefined;
}

/** `extract_fd`: only for events that create, use or destroy an fd. */
function extractFd(ctx: EventContext, argid: bigint | undefined): FdCtx | undefined {
  if (!(ctx.info.flags & (EF.CREATES_FD | EF.USES_FD | EF.DESTROYS_FD))) return undefined;
  const t = ctx.thread;
  if (!t) return undefined;
  let f: FdInfo | undefined;
  if (argid !== undefined) f = t.getFd(argid);
  else {
    f = ctx.fd;
    if (!f && t.lastEventFd !== -1n) f = t.getFd(t.lastEventFd);
  }
  return { t, f };
}

/** `extract_fdname_from_event`: the name of an fd the event could not create. */
function fdNameFromEvent(ctx: EventContext, raw: boolean): string | undefined {
  const ev = ctx.event;
  const et = ev.type;
  if (et % 2 === 0) return undefined;
  switch (et) {
    case E.OPEN_X:
    case E.ACCEPT_5_X:
    case E.ACCEPT4_6_X:
    case E.CREAT_X:
    case E.CONNECT_X: {
      const r = renderParam(ctx, 1);
      return r.resolved.length > 0 ? r.resolved : r.str;
    }
    case E.OPENAT_2_X:
    case E.OPENAT2_X: {
      if (isEmpty(ev, 2)) return undefined;
      const name = pstr(ev, 2);
      if (raw) return name;
      if (isEmpty(ev, 1)) return undefined;
      return concatenatePaths(parseDirfd(ctx.thread, name, i64(ev, 1)), name);
    }
    case E.OPEN_BY_HANDLE_AT_X:
      return pstr(ev, 3);
    default:
      return "";
  }
}

/** `remove_duplicate_path_separators`. */
function dedupSlashes(s: string): string {
  return s.replace(/\/{2,}/g, "/");
}

/** `is_ipv4addr_in_local_machine` / `is_ipv6addr_in_local_machine` of the fd's source address. */
function sipIsLocal(ctx: EventContext, t: ThreadInfo, f: FdInfo): boolean {
  if (f.type === FdType.IPV4_SOCK) return ctx.inspector.isIpv4Local(f.v4sip, t);
  return ctx.inspector.isIpv6Local(f.v6sip, t);
}

const isSock = (f: FdInfo): boolean => f.type === FdType.IPV4_SOCK || f.type === FdType.IPV6_SOCK;

/** The fields whose values are host names of the fd's addresses (see dns.ts). */
export const FD_IP_NAME_FIELDS: ReadonlySet<string> = new Set(["fd.cip.name", "fd.sip.name", "fd.lip.name", "fd.rip.name"]);

/**
 * The address `fd.*ip.name` asks the DNS manager about, as libs' extraction picks it: undefined
 * when it extracts nothing (no role; not an IP socket; for fd.sip.name a listening socket counts).
 */
function ipNameAddress(ctx: EventContext, t: ThreadInfo, f: FdInfo, name: string): Uint8Array | undefined {
  if (f.isRoleNone()) return undefined;
  const v4 = f.type === FdType.IPV4_SOCK;
  switch (name) {
    case "fd.cip.name":
      return isSock(f) ? (v4 ? f.v4sip : f.v6sip) : undefined;
    case "fd.sip.name":
      if (f.type === FdType.IPV4_SERVSOCK) return f.v4srvIp;
      if (f.type === FdType.IPV6_SERVSOCK) return f.v6srvIp;
      return isSock(f) ? (v4 ? f.v4dip : f.v6dip) : undefined;
    default: {
      if (!isSock(f)) return undefined;
      const wantSrc = (name === "fd.lip.name") === sipIsLocal(ctx, t, f);
      return v4 ? (wantSrc ? f.v4sip : f.v4dip) : wantSrc ? f.v6sip : f.v6dip;
    }
  }
}

/** Options of `fdIpNameCheck`. */
export interface IpNameCheckOptions {
  /** The resolver of the replaying machine, for events that do not bring their own. Empty by default. */
  dns?: DnsTable;
  /**
   * The extraction the check starts with. libs shares one per rule, field and event (a failed
   * one too); by default the check extracts on its own.
   */
  extract?: (ctx: EventContext) => Extracted;
}

const ONLY_EQ_NE = "filter error: fd.*ip.name filter only supports '=' and '!=' operators";

/**
 * A check on `fd.cip.name`, `fd.sip.name`, `fd.lip.name` or `fd.rip.name` as libs' fd filtercheck
 * decides it (`compare_nocache`, then `compare_domain`; see dns.ts): the extracted name compared
 * as text when there is one, else the resolver asked whether the name maps to the fd's address.
 * `op` `exists` for the unary check. The returned predicate throws an `OperatorError` (libs'
 * evaluation-time exception) when an operator other than `=`, `!=`, `in`, `exists` reaches the
 * resolver.
 */
export function fdIpNameCheck(field: string, op: string, constants: readonly string[], options: IpNameCheckOptions = {}): (ctx: EventContext) => boolean {
  const base = parseOperator(op).op;
  const text = base === "exists" ? undefined : compileCheck(op, "CHARBUF", false, constants);
  const extract = options.extract ?? ((ctx: EventContext) => extractFdField(ctx, field, undefined) as Extracted);
  const first = constants[0] ?? "";
  const fallback = options.dns ?? EMPTY_DNS_TABLE;
  return (ctx) => {
    const v = extract(ctx);
    if (v !== undefined) return text ? text(v) : true;
    // compare_domain
    const x = extractFd(ctx, undefined);
    if (!x?.f) return false;
    if (base === "exists") return true;
    const f = x.f;
    if (!isSock(f)) return false;
    const addr = ipNameAddress(ctx, x.t, f, field);
    if (!addr) return false;
    const table = (ctx.event as DnsCarrier).dns ?? fallback;
    const insp = ctx.inspector;
    const ts = ctx.event.ts;
    switch (base) {
      case "=":
        return dnsMatch(insp, table, first, addr, ts);
      case "!=":
        return !dnsMatch(insp, table, first, addr, ts);
      case "in":
        for (const c of constants) if (dnsMatch(insp, table, c, addr, ts)) return true;
        return false;
      default:
        throw new OperatorError(ONLY_EQ_NE);
    }
  };
}

export function extractFdField(ctx: EventContext, name: string, arg: string | undefined): Extracted | typeof NOT_MINE {
  if (!name.startsWith("fd.")) return NOT_MINE;
  let argid: bigint | undefined;
  if (name === "fd.types" && arg !== undefined && /^-?\d+$/.test(arg)) argid = BigInt(arg);
  const x = extractFd(ctx, argid);
  if (!x) return undefined;
  const { t, f } = x;
  if (name === "fd.types" && argid === undefined) {
    const table = t.fdTable();
    if (!table) return [];
    const seen = new Set<string>();
    for (const [, fi] of table.entries()) seen.add(fi.typeString());
    return [...seen];
  }
  switch (name) {
    case "fd.num":
      return t.lastEventFd;
    case "fd.name":
    case "fd.containername": {
      let n: string | undefined;
      if (!f) n = fdNameFromEvent(ctx, false);
      else n = f.name;
      if (n === undefined) return undefined;
      return name === "fd.containername" ? `${t.containerId}:${n}` : n;
    }
    case "fd.type":
    case "fd.types": {
      if (!f) return undefined;
      const s = f.typeString();
      return name === "fd.types" ? [s] : s;
    }
    case "fd.directory":
    case "fd.containerdirectory": {
      let s: string | undefined;
      if (!f) s = fdNameFromEvent(ctx, false);
      else if (!(f.isFile() || f.isDirectory())) return undefined;
      else s = f.name;
      if (s === undefined) return undefined;
      if (!f || f.isFile()) {
        const pos = s.lastIndexOf("/");
        if (pos > 0) {
          if (pos < s.length - 1) s = s.slice(0, pos);
        } else s = "/";
      }
      return name === "fd.containerdirectory" ? `${t.containerId}:${s}` : s;
    }
    case "fd.filename": {
      if (!f || !f.isFile()) return undefined;
      const s = f.name;
      const pos = s.lastIndexOf("/");
      if (pos >= 0) return pos < s.length - 1 ? s.slice(pos + 1) : s;
      return "/";
    }
    case "fd.typechar":
      return f ? f.typeChar() : eventTypeChar(ctx.event.type);
    case "fd.cip":
    case "fd.cnet":
      if (!f || f.isRoleNone()) return undefined;
      if (f.type === FdType.IPV4_SOCK) return f.v4sip;
      if (f.type === FdType.IPV6_SOCK) return f.v6sip;
      return undefined;
    case "fd.sip":
    case "fd.snet":
      if (!f || f.isRoleNone()) return undefined;
      if (f.type === FdType.IPV4_SOCK) return f.v4dip;
      if (f.type === FdType.IPV4_SERVSOCK) return f.v4srvIp;
      if (f.type === FdType.IPV6_SOCK) return f.v6dip;
      if (f.type === FdType.IPV6_SERVSOCK) return f.v6srvIp;
      return undefined;
    case "fd.lip":
    case "fd.rip":
    case "fd.lnet":
    case "fd.rnet": {
      if (!f || !isSock(f) || f.isRoleNone()) return undefined;
      const local = sipIsLocal(ctx, t, f);
      const wantSrc = (name === "fd.lip" || name === "fd.lnet") === local;
      if (f.type === FdType.IPV4_SOCK) return wantSrc ? f.v4sip : f.v4dip;
      return wantSrc ? f.v6sip : f.v6dip;
    }
    case "fd.cip.name":
    case "fd.sip.name":
    case "fd.lip.name":
    case "fd.rip.name": {
      // the DNS manager's reverse lookup in its cache (see dns.ts)
      if (!f) return undefined;
      const addr = ipNameAddress(ctx, t, f, name);
      return addr ? dnsNameOf(ctx.inspector, addr, ctx.event.ts) : undefined;
    }
    case "fd.cport":
      if (!f || f.isRoleNone()) return undefined;
      if (f.type === FdType.IPV4_SOCK) return BigInt(f.v4sport);
      if (f.type === FdType.IPV6_SOCK) return BigInt(f.v6sport);
      return undefined;
    case "fd.cproto":
      if (!f || f.isRoleNone()) return undefined;
      if (f.type === FdType.IPV4_SOCK) return String(f.v4sport);
      if (f.type === FdType.IPV6_SOCK) return String(f.v6sport);
      return "";
    case "fd.sport":
      if (!f) return undefined;
      if (f.type === FdType.IPV4_SOCK) return f.isRoleNone() ? undefined : BigInt(f.v4dport);
      if (f.type === FdType.IPV4_SERVSOCK) return BigInt(f.v4srvPort);
      if (f.type === FdType.IPV6_SOCK) return f.isRoleNone() ? undefined : BigInt(f.v6dport);
      if (f.type === FdType.IPV6_SERVSOCK) return BigInt(f.v6srvPort);
      return undefined;
    case "fd.sproto":
      if (!f) return undefined;
      if (f.type === FdType.IPV4_SOCK) return f.isRoleNone() ? undefined : String(f.v4dport);
      if (f.type === FdType.IPV6_SOCK) return f.isRoleNone() ? undefined : String(f.v6dport);
      if (f.type === FdType.IPV4_SERVSOCK || f.type === FdType.IPV6_SERVSOCK) return "";
      return undefined;
    case "fd.lport":
    case "fd.rport":
    case "fd.lproto":
    case "fd.rproto": {
      if (!f || !isSock(f) || f.isRoleNone()) return undefined;
      const local = sipIsLocal(ctx, t, f);
      const wantSrc = (name === "fd.lport" || name === "fd.lproto") === local;
      const v4 = f.type === FdType.IPV4_SOCK;
      const port = wantSrc ? (v4 ? f.v4sport : f.v6sport) : v4 ? f.v4dport : f.v6dport;
      if (name === "fd.lport" || name === "fd.rport") return BigInt(port);
      return String(port);
    }
    case "fd.l4proto": {
      if (!f) return undefined;
      switch (f.l4proto()) {
        case L4Proto.TCP:
          return "tcp";
        case L4Proto.UDP:
          return "udp";
        case L4Proto.ICMP:
          return "icmp";
        case L4Proto.RAW:
          return "raw";
        default:
          return "<NA>";
      }
    }
    case "fd.is_server":
      if (!f) return undefined;
      if (f.type === FdType.IPV4_SERVSOCK || f.type === FdType.IPV6_SERVSOCK) return true;
      if (f.type === FdType.IPV4_SOCK) return ctx.inspector.isIpv4Local(f.v4dip, t);
      if (f.type === FdType.IPV6_SOCK) return ctx.inspector.isIpv6Local(f.v6dip, t);
      return false;
    case "fd.sockfamily":
      if (!f) return undefined;
      if (f.type === FdType.IPV4_SOCK || f.type === FdType.IPV6_SOCK || f.type === FdType.IPV4_SERVSOCK || f.type === FdType.IPV6_SERVSOCK) return "ip";
      if (f.type === FdType.UNIX_SOCK) return "unix";
      return undefined;
    case "fd.uid":
      return `${t.tid}${t.lastEventFd}`;
    case "fd.connected":
      return f ? f.isSocketConnected() : undefined;
    case "fd.name_changed":
      return f ? ctx.fdNameChanged : undefined;
    case "fd.dev":
      return f ? BigInt(f.dev | 0) : undefined;
    case "fd.dev.major":
      return f ? BigInt(f.devMajor() | 0) : undefined;
    case "fd.dev.minor":
      return f ? BigInt(f.devMinor() | 0) : undefined;
    case "fd.ino":
      return f ? BigInt.asIntN(64, f.ino) : undefined;
    case "fd.nameraw": {
      let s: string | undefined;
      if (!f) s = fdNameFromEvent(ctx, true);
      else s = f.nameRaw;
      return s === undefined ? undefined : dedupSlashes(s);
    }
    case "fd.is_upper_layer":
      return f ? f.isOverlayUpper() : undefined;
    case "fd.is_lower_layer":
      return f ? f.isOverlayLower() : undefined;
    case "fd.ip":
    case "fd.port":
    case "fd.proto":
    case "fd.net":
      // filter-only fields: nothing to extract (see syscallCompareValues)
      return undefined;
    default:
      return NOT_MINE;
  }
}

/** `sinsp_evt::extract_typechar`: the fd type an event creates, when its fd is unknown. */
function eventTypeChar(type: number): string {
  switch (type | 1) {
    case E.OPENAT_2_X:
    case E.OPENAT2_X:
    case E.CREAT_X:
      return "f";
    case E.SOCKET_X:
    case E.ACCEPT_5_X:
    case E.ACCEPT4_6_X:
      return "4";
    case E.PIPE_X:
    case E.PIPE2_X:
      return "p";
    case E.EVENTFD_X:
    case E.EVENTFD2_X:
      return "e";
    case E.SIGNALFD_X:
    case E.SIGNALFD4_X:
      return "s";
    case E.TIMERFD_CREATE_X:
      return "t";
    case E.INOTIFY_INIT_X:
    case E.INOTIFY_INIT1_X:
      return "i";
    default:
      return "o";
  }
}

/**
 * The endpoints `fd.ip`, `fd.port`, `fd.proto` and `fd.net` are compared against (libs' `compare_ip`,
 * `compare_port`, `compare_net`): for a socket both ends, for a server socket its address. The
 * check holds when it holds for either end; `!=` must hold for both. `exists` holds for any fd.
 */
export function fdEndpointValues(ctx: EventContext, name: string): { values: Scalar[]; exists: boolean } | undefined {
  if (name !== "fd.ip" && name !== "fd.port" && name !== "fd.proto" && name !== "fd.net") return undefined;
  const x = extractFd(ctx, undefined);
  const f = x?.f;
  if (!f) return { values: [], exists: false };
  const ips = name === "fd.ip" || name === "fd.net";
  switch (f.type) {
    case FdType.IPV4_SOCK:
      return { values: ips ? [f.v4sip, f.v4dip] : [BigInt(f.v4sport), BigInt(f.v4dport)], exists: true };
    case FdType.IPV6_SOCK:
      return { values: ips ? [f.v6sip, f.v6dip] : [BigInt(f.v6sport), BigInt(f.v6dport)], exists: true };
    case FdType.IPV4_SERVSOCK:
      return { values: ips ? [f.v4srvIp] : [BigInt(f.v4srvPort), BigInt(f.v4srvPort)], exists: true };
    case FdType.IPV6_SERVSOCK:
      return { values: ips ? [f.v6srvIp] : [BigInt(f.v6srvPort), BigInt(f.v6srvPort)], exists: true };
    default:
      return { values: [], exists: true };
  }
}

/** The `fdlist` class: poll/ppoll fd lists. */
export function extractFdlistField(ctx: EventContext, name: string): Extracted | typeof NOT_MINE {
  if (!name.startsWith("fdlist.")) return NOT_MINE;
  const ev = ctx.event;
  if (ev.type !== E.POLL_X && ev.type !== E.PPOLL_X) return undefined;
  const t = ctx.thread;
  if (!t) return undefined;
  const p = ev.param(1);
  const fds = p.kind === "fdlist" ? p.value : [];
  let s = "";
  for (const e of fds) {
    const fd = BigInt.asIntN(64, e.fd);
    const f = t.getFd(fd);
    let comma = true;
    switch (name) {
      case "fdlist.nums":
        s += fd.toString();
        break;
      case "fdlist.names":
        s += f && f.name !== "" ? f.name : "<NA>";
        break;
      case "fdlist.cips":
        if (f && f.type === FdType.IPV4_SOCK) s += ipv4ToString(f.v4sip);
        else if (f && f.type === FdType.IPV6_SOCK) s += ipv6ToString(f.v6sip);
        else comma = false;
        break;
      case "fdlist.sips":
        if (f && f.type === FdType.IPV4_SOCK) s += ipv4ToString(f.v4dip);
        else if (f && f.type === FdType.IPV6_SOCK) s += ipv6ToString(f.v6dip);
        else if (f && f.type === FdType.IPV4_SERVSOCK) s += ipv4ToString(f.v4srvIp);
        else if (f && f.type === FdType.IPV6_SERVSOCK) s += ipv4ToString(f.v6srvIp); // libs formats it as IPv4
        else comma = false;
        break;
      case "fdlist.cports":
      case "fdlist.sports":
        // libs' cports case falls through into the sports case for fds that are no sockets
        if (name === "fdlist.cports" && f && f.type === FdType.IPV4_SOCK) s += String(f.v4sport);
        else if (name === "fdlist.cports" && f && f.type === FdType.IPV6_SOCK) s += String(f.v6sport);
        else if (f && f.type === FdType.IPV4_SOCK) s += String(f.v4dport);
        else if (f && f.type === FdType.IPV6_SOCK) s += String(f.v6dport);
        else comma = false;
        break;
      default:
        return undefined;
    }
    if (comma) s += ",";
  }
  if (s.length === 0) return undefined;
  if (s.endsWith(",")) s = s.slice(0, -1);
  return s;
}
