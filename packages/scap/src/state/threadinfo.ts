/**
 * `sinsp_threadinfo` and `thread_group_info`: one thread of the thread table, the group of
 * threads of one process.
 */
import type { ScapEvent } from "../event.js";
import { CL, UINT32_MAX } from "./constants.js";
import { FdTable, type FdInfo } from "./fdinfo.js";
import { concatenatePaths } from "./paths.js";

const DEFAULT_DEAD_THREADS_THRESHOLD = 11;
const DEFAULT_EXPIRED_CHILDREN_THRESHOLD = 10;

/** `thread_group_info`: the threads of one pid; the main thread, when known, is first. */
export class ThreadGroup {
  aliveCount = 1;
  /** Weak references in libs: a thread removed from the table counts as expired. */
  threads: ThreadInfo[];

  constructor(
    readonly pid: bigint,
    public reaper: boolean,
    first: ThreadInfo,
  ) {
    this.threads = [first];
  }

  increment(): void {
    this.aliveCount++;
  }
  decrement(): void {
    this.aliveCount--;
    if (this.threads.length - this.aliveCount >= DEFAULT_DEAD_THREADS_THRESHOLD) this.cleanExpired();
  }
  add(t: ThreadInfo, main: boolean): void {
    if (main) this.threads.unshift(t);
    else this.threads.push(t);
    this.increment();
  }
  cleanExpired(): void {
    this.threads = this.threads.filter((t) => !t.removed);
  }
  /** `get_first_thread`: the front entry, or undefined when it expired. */
  first(): ThreadInfo | undefined {
    const t = this.threads[0];
    return t && !t.removed ? t : undefined;
  }
}

export class ThreadInfo {
  tid = -1n;
  pid = -1n;
  ptid = -1n;
  sid = -1n;
  vpgid = -1n;
  pgid = -1n;
  vtid = -1n;
  vpid = -1n;
  comm = "";
  exe = "";
  exepath = "";
  args: string[] = [];
  /** The command line computed when the args were last set (`m_cmd_line`). */
  cmdLine = "";
  env: string[] = [];
  /** This thread's own cwd; only the main thread's is read (`get_cwd`). */
  cwd = "";
  root = "";
  /** PPM_CL_* flags (u32). */
  flags = CL.NAME_CHANGED;
  fdlimit = -1n;
  uid = UINT32_MAX;
  gid = UINT32_MAX;
  loginuid = UINT32_MAX;
  tty = 0;
  capInheritable = 0n;
  capPermitted = 0n;
  capEffective = 0n;
  exeIno = 0n;
  exeInoCtime = 0n;
  exeInoMtime = 0n;
  exeInoCtimeDurationCloneTs = 0n;
  exeInoCtimeDurationPidnsStart = 0n;
  exeWritable = false;
  exeUpperLayer = false;
  exeLowerLayer = false;
  exeFromMemfd = false;
  vmsizeKb = 0;
  vmrssKb = 0;
  vmswapKb = 0;
  pfmajor = 0n;
  pfminor = 0n;
  cloneTs = 0n;
  lastexecTs = 0n;
  pidnsInitStartTs = 0n;
  /** `(subsystem, path)` pairs, subsystem names normalised as libs does. */
  cgroups: [string, string][] = [];
  reaperTid = -1n;
  notExpiredChildren = 0;
  /** Weak references in libs: entries removed from the table are expired. */
  children: ThreadInfo[] = [];
  tginfo: ThreadGroup | undefined;
  /** This thread's own fd table; threads with CLONE_FILES use their main thread's. */
  readonly fdtable = new FdTable();

  // parse-time state
  lastEventType = 0xffff;
  lastEventFd = 0n;
  /** The stored enter event (`m_lastevent_data`). */
  lastEventData: ScapEvent | undefined;
  lastEventDataValid = false;
  lastEventTs = 0n;
  prevEventTs = 0n;

  /** The container plugin's `container_id` field ("" = host). */
  containerId = "";
  /** Set when the entry leaves the thread table (libs' weak pointers expire). */
  removed = false;

  isMainThread(): boolean {
    return this.tid === this.pid || (this.flags & CL.IS_MAIN_THREAD) !== 0;
  }
  isInPidNamespace(): boolean {
    return (this.flags & CL.CHILD_IN_PIDNS) !== 0 || (this.tid !== this.vtid && this.vtid >= 0n);
  }
  isInvalid(): boolean {
    return this.tid < 0n || this.pid < 0n || this.ptid < 0n;
  }
  isDead(): boolean {
    return (this.flags & CL.CLOSED) !== 0;
  }
  setDead(): void {
    this.flags |= CL.CLOSED;
  }
  resurrect(): void {
    if (!this.isDead()) return;
    this.flags &= ~CL.CLOSED;
    this.tginfo?.increment();
  }

  mainThread(): ThreadInfo | undefined {
    if (this.isMainThread()) return this;
    if (!this.tginfo) return undefined;
    const m = this.tginfo.first();
    if (!m || !m.isMainThread()) return undefined;
    return m;
  }

  /** `get_fd_table`: own table, or the main thread's with CLONE_FILES (undefined without main). */
  fdTable(): FdTable | undefined {
    if ((this.flags & CL.CLONE_FILES) === 0) return this.fdtable;
    return this.mainThread()?.fdtable;
  }

  /** `get_fd`: the entry of a non-negative fd (recording its name as the old name). */
  getFd(fd: bigint): FdInfo | undefined {
    if (fd < 0n) return undefined;
    const fdi = this.fdTable()?.find(fd);
    if (fdi) fdi.oldName = fdi.name;
    return fdi;
  }

  /** `add_fd`: adds to the effective table and makes it the event fd. */
  addFd(fd: bigint, fdi: FdInfo): FdInfo | undefined {
    const t = this.fdTable();
    if (!t) return undefined;
    const res = t.add(fd, fdi);
    this.lastEventFd = fd;
    return res;
  }

  removeFd(fd: bigint): void {
    this.fdTable()?.erase(fd);
  }

  /** `get_cwd`: the main thread's cwd, `./` without a main thread. */
  getCwd(): string {
    const m = this.mainThread();
    return m ? m.cwd : "./";
  }

  /**
   * `update_cwd`: the main thread's cwd becomes concatenate(this thread's *own* cwd, cwd) with a
   * trailing `/` (libs uses the calling thread's field, empty for non-main threads, as the base).
   */
  updateCwd(cwd: string): void {
    const m = this.mainThread();
    if (!m) return;
    m.cwd = concatenatePaths(this.cwd, cwd);
    if (m.cwd.length === 0 || !m.cwd.endsWith("/")) m.cwd += "/";
  }

  /** `set_args`: the args, and the command line from the current comm. */
  setArgs(args: readonly string[]): void {
    this.args = [...args];
    this.cmdLine = this.comm;
    if (this.cmdLine.length !== 0) for (const a of this.args) this.cmdLine += " " + a;
  }

  /** `populate_cmdline`. */
  commandLine(): string {
    if (this.cmdLine.length === 0) {
      let s = this.comm;
      for (const a of this.args) s += " " + a;
      return s;
    }
    return this.cmdLine;
  }

  /** `set_exepath`: drops a trailing " (deleted)". */
  setExepath(p: string): void {
    const suffix = " (deleted)";
    this.exepath = p.length > suffix.length && p.endsWith(suffix) ? p.slice(0, -suffix.length) : p;
  }

  /** `set_cgroups` from `subsys=path` strings (stops at the first entry without `=`). */
  setCgroups(defs: readonly string[]): void {
    const out: [string, string][] = [];
    for (const def of defs) {
      const eq = def.indexOf("=");
      if (eq < 0) return;
      let subsys = def.slice(0, eq);
      const cgroup = def.slice(eq + 1);
      const pos = subsys.indexOf("_cgroup");
      if (pos >= 0) subsys = subsys.slice(0, pos) + subsys.slice(pos + "_cgroup".length);
      if (subsys === "perf") subsys = "perf_event";
      else if (subsys === "mem") subsys = "memory";
      else if (subsys === "io") subsys = "blkio";
      out.push([subsys, cgroup]);
    }
    this.cgroups = out;
  }

  /** `get_cgroup(subsys)`. */
  getCgroup(subsys: string): string | undefined {
    for (const [s, c] of this.cgroups) if (s === subsys) return c;
    return undefined;
  }

  /** `get_env(name)`: the value of `name=...` (spaces trimmed at both ends), "" when absent. */
  getEnv(name: string): string {
    const n = name.length;
    for (const e of this.processEnv()) {
      if (e.length > n + 1 && e[n] === "=" && e.startsWith(name)) {
        let first = n + 1;
        while (first < e.length && e[first] === " ") first++;
        if (first >= e.length) return "";
        let last = e.length - 1;
        while (last >= 0 && e[last] === " ") last--;
        return e.slice(first, last + 1);
      }
    }
    return "";
  }

  /** `get_env()`: the main thread's environment (a thread without main: its own). */
  processEnv(): readonly string[] {
    if (this.isMainThread()) return this.env;
    const m = this.mainThread();
    return m ? m.env : this.env;
  }

  /** `concatenate_all_env`: the environment entries joined by a space. */
  concatenateAllEnv(): string {
    return this.processEnv().join(" ");
  }

  /** `set_env` from the NUL-separated strings of an event (already split). */
  setEnv(env: readonly string[]): void {
    this.env = [...env];
  }

  addChild(child: ThreadInfo): void {
    this.children.unshift(child);
    child.ptid = this.tid;
    this.notExpiredChildren++;
  }

  cleanExpiredChildren(): void {
    this.children = this.children.filter((c) => !c.removed);
  }

  /** `assign_children_to_reaper`. */
  assignChildrenToReaper(reaper: ThreadInfo | undefined): void {
    if (this.children.length === 0) return;
    if (reaper === this) throw new Error("the current process is reaper of itself");
    for (const c of this.children) {
      if (c.removed) continue;
      if (!reaper) c.ptid = 0n;
      else reaper.addChild(c);
    }
    this.children = [];
    this.notExpiredChildren = 0;
  }

  /** `get_fd_opencount`: the size of the main thread's own table (0 without a main thread). */
  fdOpenCount(): number {
    const m = this.mainThread();
    return m ? m.fdtable.size : 0;
  }

  /** `get_fd_limit`: the main thread's fdlimit (0 without a main thread). */
  fdLimit(): bigint {
    const m = this.mainThread();
    return m ? m.fdlimit : 0n;
  }

  /** `get_fd_usage_pct_d`. */
  fdUsagePct(): number {
    const limit = this.fdLimit();
    if (limit <= 0n) return 0;
    const open = this.fdOpenCount();
    if (BigInt(open) <= limit) return (open * 100) / Number(limit);
    return 100;
  }

  static readonly DEFAULT_EXPIRED_CHILDREN_THRESHOLD = DEFAULT_EXPIRED_CHILDREN_THRESHOLD;
}
