/** The `process` class (`sinsp_filter_check_thread`): proc.* and thread.* fields. */
import {
  EventCode as E,
  type EventContext,
  type ThreadInfo,
  eventParams,
} from "@falcokit/scap";
import { utf8 } from "../operators.js";
import type { Extracted, Scalar } from "../value.js";
import { CAPABILITY_NAMES } from "./libs-tables.generated.js";
import { fieldState } from "./options.js";

const { u64 } = eventParams;

export const NOT_MINE: unique symbol = Symbol("not this class");

/** `should_extract_xid`. */
const xid = (v: bigint): bigint | undefined => (v >= -1n && v <= 0xffffffffn ? v : undefined);

/** `sinsp_utils::caps_to_string`. */
export function capsToString(caps: bigint): string {
  const out: string[] = [];
  for (let i = 0; i < CAPABILITY_NAMES.length; i++) if (caps & (1n << BigInt(i))) out.push(CAPABILITY_NAMES[i]!);
  return out.join(" ");
}

/** `populate_args`. */
const argsOf = (t: ThreadInfo): string => t.args.join(" ");

/** An index argument (`[N]`), or -1 without one (libs' m_argid). */
function argIndex(arg: string | undefined): number {
  if (arg === undefined) return -1;
  const n = Number.parseInt(arg, 10);
  return Number.isNaN(n) ? -1 : n;
}

/** The values of the parents of the thread's main thread, from the parent upward (traverse_parent_state). */
function parentValues<T>(ctx: EventContext, t: ThreadInfo, get: (p: ThreadInfo) => T): T[] | undefined {
  const mt = t.mainThread();
  if (!mt) return undefined;
  const out: T[] = [];
  ctx.inspector.threads.traverseParents(mt, (p) => {
    out.push(get(p));
    return true;
  });
  return out;
}

/** Unindexed proc.aname/aexe/aexepath/acmdline/aargs: the parents' values joined by a space, none when "". */
function joinedAncestors(ctx: EventContext, t: ThreadInfo, get: (p: ThreadInfo) => string): string | undefined {
  const vals = parentValues(ctx, t, get);
  if (!vals) return undefined;
  let s = "";
  for (const v of vals) {
    if (s.length !== 0) s += " ";
    s += v;
  }
  return s.length === 0 ? undefined : s;
}

/**
 * The values an unindexed ancestor field is compared against (libs' `compare_full_a*`): one per
 * parent, from the parent up; the check holds when it holds for any of them.
 */
export function ancestorCompareValues(ctx: EventContext, name: string, arg: string | undefined): Scalar[] | undefined {
  const t = ctx.thread;
  const idx = argIndex(arg);
  const hasKey = arg !== undefined && !/^\d+$/.test(arg);
  let get: ((p: ThreadInfo) => Scalar) | undefined;
  switch (name) {
    case "proc.apid":
      if (idx === -1) get = (p) => p.pid;
      break;
    case "proc.aname":
      if (idx === -1) get = (p) => p.comm;
      break;
    case "proc.aexe":
      if (idx === -1) get = (p) => p.exe;
      break;
    case "proc.aexepath":
      if (idx === -1) get = (p) => p.exepath;
      break;
    case "proc.acmdline":
      if (idx === -1) get = (p) => p.commandLine();
      break;
    case "proc.aenv":
      // libs compares every ancestor's whole environment whenever no variable name is given
      if (!hasKey) get = (p) => p.concatenateAllEnv();
      break;
    default:
      return undefined;
  }
  if (!get) return undefined;
  if (!t) return [];
  return parentValues(ctx, t, get) ?? [];
}

function ancestorOrParent(ctx: EventContext, t: ThreadInfo, n: number): ThreadInfo | undefined {
  return ctx.inspector.threads.ancestor(t, n);
}

export function extractThreadField(ctx: EventContext, name: string, arg: string | undefined): Extracted | typeof NOT_MINE {
  const t = ctx.thread;
  const ev = ctx.event;
  const tm = ctx.inspector.threads;
  if (name === "thread.tid") return xid(ev.tid);
  if (name === "thread.exectime" || name === "thread.totexectime") return execTime(ctx, name);
  if (!KNOWN.has(name)) return NOT_MINE;
  if (!t) return undefined;
  const idx = argIndex(arg);
  switch (name) {
    case "proc.pid":
      return xid(t.pid);
    case "proc.sid":
      return t.sid;
    case "proc.vpgid":
      return t.vpgid;
    case "proc.pgid":
      return t.pgid;
    case "proc.sname":
      return tm.oldestMatchingAncestor(t, (x) => x.sid, true)?.comm ?? "";
    case "proc.sid.exe":
      return tm.oldestMatchingAncestor(t, (x) => x.sid, true)?.exe ?? "";
    case "proc.sid.exepath":
      return tm.oldestMatchingAncestor(t, (x) => x.sid, true)?.exepath ?? "";
    case "proc.vpgid.name":
      return tm.oldestMatchingAncestor(t, (x) => x.vpgid, true)?.comm ?? "";
    case "proc.vpgid.exe":
      return tm.oldestMatchingAncestor(t, (x) => x.vpgid, true)?.exe ?? "";
    case "proc.vpgid.exepath":
      return tm.oldestMatchingAncestor(t, (x) => x.vpgid, true)?.exepath ?? "";
    case "proc.pgid.name":
      return tm.oldestMatchingAncestor(t, (x) => x.pgid, false)?.comm ?? "";
    case "proc.pgid.exe":
      return tm.oldestMatchingAncestor(t, (x) => x.pgid, false)?.exe ?? "";
    case "proc.pgid.exepath":
      return tm.oldestMatchingAncestor(t, (x) => x.pgid, false)?.exepath ?? "";
    case "proc.tty":
      return BigInt(t.tty >>> 0);
    case "proc.name":
      return t.comm;
    case "proc.exe":
      return t.exe;
    case "proc.exepath":
      return t.exepath;
    case "proc.args":
      if (idx >= 0) return idx < t.args.length ? t.args[idx]! : "";
      return argsOf(t);
    case "proc.aargs":
      if (idx === -1) return joinedAncestors(ctx, t, argsOf);
      return mapOpt(ancestorOrParent(ctx, t, idx), argsOf);
    case "proc.env": {
      if (arg !== undefined && !/^\d+$/.test(arg)) return t.getEnv(arg);
      return t.concatenateAllEnv();
    }
    case "proc.aenv":
      return aenv(ctx, t, arg);
    case "proc.cmdline":
      return t.commandLine();
    case "proc.exeline":
      return `${t.exe} ${t.args.join(" ")}`;
    case "proc.cwd":
      return t.getCwd();
    case "proc.nthreads":
      return BigInt(t.tginfo ? t.tginfo.aliveCount : 0);
    case "proc.nchilds": {
      if (!t.tginfo) return 0n;
      const m = t.mainThread();
      return BigInt(m && !m.isDead() ? t.tginfo.aliveCount - 1 : t.tginfo.aliveCount);
    }
    case "thread.ismain":
      return t.isMainThread();
    case "proc.ppid": {
      const p = ancestorOrParent(ctx, t, 1);
      return p ? xid(p.pid) : undefined;
    }
    case "proc.pname":
      return mapOpt(ancestorOrParent(ctx, t, 1), (p) => p.comm);
    case "proc.pcmdline":
      return mapOpt(ancestorOrParent(ctx, t, 1), (p) => p.commandLine());
    case "proc.pexe":
      return mapOpt(ancestorOrParent(ctx, t, 1), (p) => p.exe);
    case "proc.pexepath":
      return mapOpt(ancestorOrParent(ctx, t, 1), (p) => p.exepath);
    case "proc.acmdline":
      if (idx === -1) return joinedAncestors(ctx, t, (p) => p.commandLine());
      return mapOpt(ancestorOrParent(ctx, t, idx), (p) => p.commandLine());
    case "proc.apid": {
      const p = ancestorOrParent(ctx, t, idx === -1 ? 0 : idx);
      return p ? xid(p.pid) : undefined;
    }
    case "proc.aname":
      if (idx === -1) return joinedAncestors(ctx, t, (p) => p.comm);
      return mapOpt(ancestorOrParent(ctx, t, idx), (p) => p.comm);
    case "proc.aexe":
      if (idx === -1) return joinedAncestors(ctx, t, (p) => p.exe);
      return mapOpt(ancestorOrParent(ctx, t, idx), (p) => p.exe);
    case "proc.aexepath":
      if (idx === -1) return joinedAncestors(ctx, t, (p) => p.exepath);
      return mapOpt(ancestorOrParent(ctx, t, idx), (p) => p.exepath);
    case "proc.loginshellid": {
      const mt = t.isMainThread() ? t : t.mainThread();
      if (!mt) return undefined;
      let res: bigint | undefined;
      const check = (p: ThreadInfo): boolean => {
        if (p.comm.length >= 2 && p.comm.endsWith("sh")) res = p.pid;
        return true;
      };
      check(mt);
      tm.traverseParents(mt, check);
      return res;
    }
    case "proc.duration":
      return t.cloneTs !== 0n ? BigInt.asIntN(64, ev.ts - t.cloneTs) : undefined;
    case "proc.ppid.duration": {
      const p = ancestorOrParent(ctx, t, 1);
      if (!p) return undefined;
      if (p.cloneTs !== 0n) return BigInt.asIntN(64, ev.ts - p.cloneTs);
      // libs falls through into the next case here (proc.fdopencount)
      return BigInt(t.fdOpenCount());
    }
    case "proc.fdopencount":
      return BigInt(t.fdOpenCount());
    case "proc.fdlimit":
      return t.fdLimit();
    case "proc.fdusage":
      return t.fdUsagePct();
    case "proc.vmsize":
      return BigInt(t.vmsizeKb >>> 0);
    case "proc.vmrss":
      return BigInt(t.vmrssKb >>> 0);
    case "proc.vmswap":
      return BigInt(t.vmswapKb >>> 0);
    case "thread.vmsize":
      return t.isMainThread() ? BigInt(t.vmsizeKb >>> 0) : 0n;
    case "thread.vmrss":
      return t.isMainThread() ? BigInt(t.vmrssKb >>> 0) : 0n;
    case "thread.vmsize.b":
      return t.isMainThread() ? BigInt(t.vmsizeKb >>> 0) * 1024n : 0n;
    case "thread.vmrss.b":
      return t.isMainThread() ? BigInt(t.vmrssKb >>> 0) * 1024n : 0n;
    case "thread.pfmajor":
      return t.pfmajor;
    case "thread.pfminor":
      return t.pfminor;
    case "thread.cgroups":
      if (t.cgroups.length === 0) return undefined;
      return t.cgroups.map(([s, c]) => `${s}=${c}`).join(" ");
    case "thread.cgroup":
      return arg === undefined ? undefined : t.getCgroup(arg);
    case "proc.vpid":
      return t.vpid === -1n ? undefined : t.vpid;
    case "thread.vtid":
      return t.vtid === -1n ? undefined : t.vtid;
    case "thread.cpu":
    case "thread.cpu.user":
    case "thread.cpu.system":
      return threadCpu(ctx, t, name);
    case "thread.nametid":
      return `${t.comm}${ev.tid}`;
    case "proc.is_exe_writable":
      return t.exeWritable;
    case "proc.is_exe_upper_layer":
      return t.exeUpperLayer;
    case "proc.is_exe_lower_layer":
      return t.exeLowerLayer;
    case "proc.is_exe_from_memfd":
      return t.exeFromMemfd;
    case "proc.is_sid_leader":
      return t.sid === t.vpid;
    case "proc.is_vpgid_leader":
      return t.vpgid === t.vpid;
    case "proc.is_pgid_leader":
      return t.pgid === t.pid;
    case "thread.cap_permitted":
      return capsToString(t.capPermitted);
    case "thread.cap_inheritable":
      return capsToString(t.capInheritable);
    case "thread.cap_effective":
      return capsToString(t.capEffective);
    case "proc.cmdnargs":
      return BigInt(t.args.length);
    case "proc.cmdlenargs":
      return BigInt(t.args.reduce((n, a) => n + utf8Length(a), 0));
    case "proc.pvpid": {
      const p = tm.find(t.ptid);
      return p ? p.vpid : undefined;
    }
    case "proc.exe_ino":
      return t.exeIno === 0n ? undefined : t.exeIno;
    case "proc.exe_ino.ctime":
      return t.exeInoCtime === 0n ? undefined : t.exeInoCtime;
    case "proc.exe_ino.mtime":
      return t.exeInoMtime === 0n ? undefined : t.exeInoMtime;
    case "proc.exe_ino.ctime_duration_proc_start":
      return t.exeInoCtimeDurationCloneTs === 0n ? undefined : t.exeInoCtimeDurationCloneTs;
    case "proc.exe_ino.ctime_duration_pidns_start":
      return t.exeInoCtimeDurationPidnsStart === 0n ? undefined : t.exeInoCtimeDurationPidnsStart;
    case "proc.pidns_init_start_ts":
      return t.pidnsInitStartTs === 0n ? undefined : t.pidnsInitStartTs;
    case "proc.pid.ts":
      return t.cloneTs === 0n ? undefined : t.cloneTs;
    case "proc.ppid.ts": {
      const p = tm.find(t.ptid);
      return p ? p.cloneTs : undefined;
    }
    case "proc.stdin.type":
    case "proc.stdout.type":
    case "proc.stderr.type":
    case "proc.stdin.name":
    case "proc.stdout.name":
    case "proc.stderr.name": {
      const fd = name.startsWith("proc.stdin") ? 0n : name.startsWith("proc.stdout") ? 1n : 2n;
      const f = t.fdTable()?.find(fd);
      if (!f) return undefined;
      return name.endsWith(".type") ? f.typeString() : f.name;
    }
    default:
      return undefined;
  }
}

const KNOWN = new Set([
  "proc.exe", "proc.pexe", "proc.aexe", "proc.exepath", "proc.pexepath", "proc.aexepath", "proc.name", "proc.pname", "proc.aname",
  "proc.args", "proc.aargs", "proc.cmdline", "proc.pcmdline", "proc.acmdline", "proc.cmdnargs", "proc.cmdlenargs", "proc.exeline",
  "proc.env", "proc.aenv", "proc.cwd", "proc.loginshellid", "proc.tty", "proc.pid", "proc.ppid", "proc.apid", "proc.vpid", "proc.pvpid",
  "proc.sid", "proc.sname", "proc.sid.exe", "proc.sid.exepath", "proc.vpgid", "proc.vpgid.name", "proc.vpgid.exe", "proc.vpgid.exepath",
  "proc.pgid", "proc.pgid.name", "proc.pgid.exe", "proc.pgid.exepath", "proc.duration", "proc.ppid.duration", "proc.pid.ts", "proc.ppid.ts",
  "proc.is_exe_writable", "proc.is_exe_upper_layer", "proc.is_exe_lower_layer", "proc.is_exe_from_memfd", "proc.is_sid_leader",
  "proc.is_vpgid_leader", "proc.is_pgid_leader", "proc.exe_ino", "proc.exe_ino.ctime", "proc.exe_ino.mtime",
  "proc.exe_ino.ctime_duration_proc_start", "proc.exe_ino.ctime_duration_pidns_start", "proc.pidns_init_start_ts",
  "thread.cap_permitted", "thread.cap_inheritable", "thread.cap_effective", "proc.fdopencount", "proc.fdlimit", "proc.fdusage",
  "proc.vmsize", "proc.vmrss", "proc.vmswap", "thread.pfmajor", "thread.pfminor", "thread.ismain", "thread.vtid", "thread.nametid",
  "thread.cgroups", "thread.cgroup", "proc.nthreads", "proc.nchilds", "thread.cpu", "thread.cpu.user", "thread.cpu.system",
  "thread.vmsize", "thread.vmrss", "thread.vmsize.b", "thread.vmrss.b", "proc.stdin.type", "proc.stdout.type", "proc.stderr.type",
  "proc.stdin.name", "proc.stdout.name", "proc.stderr.name",
]);

const utf8Length = (s: string): number => utf8(s).length;

function mapOpt<T>(t: ThreadInfo | undefined, f: (t: ThreadInfo) => T): T | undefined {
  return t ? f(t) : undefined;
}

function aenv(ctx: EventContext, t: ThreadInfo, arg: string | undefined): string | undefined {
  const key = arg !== undefined && !/^\d+$/.test(arg) ? arg : "";
  const id = arg !== undefined && /^\d+$/.test(arg) ? Number(arg) : -1;
  if (key === "" && id < 1) return t.concatenateAllEnv();
  let mt: ThreadInfo | undefined = t.isMainThread() ? t : t.mainThread();
  if (!mt) return "";
  const tm = ctx.inspector.threads;
  if (key !== "") {
    let s = "";
    for (let j = 0; j < 20; j++) {
      mt = tm.find(mt.ptid);
      if (!mt) break;
      s = mt.getEnv(key);
      if (s.length !== 0) break;
    }
    return s;
  }
  for (let j = 0; j < id; j++) {
    mt = tm.find(mt.ptid);
    if (!mt) return undefined;
  }
  return mt.concatenateAllEnv();
}

/** `thread.exectime` / `thread.totexectime` (switch events only; per-CPU state). */
function execTime(ctx: EventContext, name: string): Extracted {
  const ev = ctx.event;
  let v = 0n;
  if (ev.type === E.SCHEDSWITCH_6_E) {
    const st = fieldState(ctx.inspector, name);
    const key = `cpu${ev.cpu}`;
    const last = (st.get(key) as bigint | undefined) ?? 0n;
    if (last !== 0n) v = BigInt.asUintN(64, ev.ts - last);
    st.set(key, ev.ts);
  }
  if (name === "thread.exectime") return v;
  const t = ctx.thread;
  if (!t) return undefined;
  const st = fieldState(ctx.inspector, name + "#tot");
  const tot = ((st.get(String(t.tid)) as bigint | undefined) ?? 0n) + v;
  st.set(String(t.tid), tot);
  return tot;
}

/** `thread.cpu*` (procinfo events only): the CPU time since the last procinfo, capped at 100. */
function threadCpu(ctx: EventContext, t: ThreadInfo, name: string): number | undefined {
  const ev = ctx.event;
  if (ev.type !== E.PROCINFO_E) return undefined;
  const user = name !== "thread.cpu.system" ? u64(ev, 0) : 0n;
  const system = name !== "thread.cpu.user" ? u64(ev, 1) : 0n;
  const tcpu = user + system;
  const st = fieldState(ctx.inspector, name);
  const last = (st.get(String(t.tid)) as bigint | undefined) ?? 0n;
  let d = 0;
  if (last !== 0n) {
    d = Number(BigInt.asUintN(64, tcpu - last));
    if (d > 100) d = 100;
  }
  st.set(String(t.tid), tcpu);
  return d;
}
