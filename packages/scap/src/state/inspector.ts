/**
 * The state machine of libsinsp (`sinsp::next`, `sinsp_parser`) over a capture: it is fed the
 * capture's metadata, then its events in file order, already converted to their current layouts by
 * the reader (libscap's converter); it keeps the thread table, the fd tables, users, interfaces and
 * the container plugin's tables, and hands out one `EventContext` per event libsinsp would return
 * to Falco.
 *
 * Pure: no I/O. An `EventContext` refers to live state: read its fields before the next `next()`.
 *
 * Where shared/spec/scap-format.md and libs 0.25.4 disagree, this follows libs:
 * - §6.1: only PL entries with tid == pid get their cwd and env (libs tests `is_main_thread` before
 *   OR-ing the PL flags in, so PPM_CL_IS_MAIN_THREAD does not count there).
 * - §6.1/§6.3: `create_thread_dependencies` sets ptid to 0 when the parent is not in the table (or
 *   is a placeholder): PL threads whose parent was not captured, execve'd placeholders...
 * - §6.3 chdir/getcwd: `update_cwd` joins the *calling thread's own* cwd (empty for non-main
 *   threads) with the path and stores it on the main thread: a relative chdir from a secondary
 *   thread gives a relative cwd.
 * - §6.3 clone caller: with an old PL (no vtid, -1) `caller tid != caller vtid` always holds, so
 *   only the child's own clone exit creates the child.
 * - §6.3 openat: an unknown dirfd gives the base `<UNKNOWN>` without a slash (`<UNKNOWN>name`).
 * - §6.3 connect with an empty tuple: only the destination of the enter address is stored, and the
 *   fd name is left as it was (set to "NULL" for non-IP families).
 * - §6.3 execve: the thread flags become ACTIVE | NAME_CHANGED | the pipe/main/inverted bits (the
 *   clone flags, CLONE_FILES included, are dropped).
 * - §6.2: `reset` gives no thread only to CONTAINER_JSON_2, USER/GROUP_ADDED/DELETED, PLUGINEVENT,
 *   ASYNCEVENT and EF_SKIPPARSERESET events (procinfo: lookup only); every other event of an
 *   unknown tid (meta events included, tid -1 included) gets a placeholder.
 * - §6.2: the stored enter event is discarded after any exit event of its thread.
 * - §8: a USER_ADDED/GROUP_ADDED event with a container id adds nothing (libs reads
 *   /proc/<pid>/root/etc/passwd, which fails offline); only uid/gid 0 fall back to "root".
 * - §8: the container plugin computes the id of the *event's* thread on clone exits: a child
 *   created by the caller's clone exit gets its id from its own clone exit or execve.
 * - §8: the containerd matcher runs before lxc and takes any `/<ns>/<id>` path (1-64 chars) not
 *   ending in .service/.slice/.scope (`/docker/abc` -> `abc`, `/lxc/a/b` -> `a/b`); the 64-hex
 *   test compares the *absolute* position of the first non-hex character with 64.
 */
import type { ScapEvent, SockAddr, SockTuple } from "../event.js";
import type { ScapRecord } from "../records.js";
import { EVENTS, type EventInfo } from "../event-table.js";
import {
  AF,
  AT_FDCWD,
  CL,
  CLONE_STALE_TIME_NS,
  CLOSE_RANGE_CLOEXEC,
  DF_STATE_ONLY,
  E,
  EC,
  EF,
  EPOLL_CLOEXEC,
  EXE_FROM_MEMFD,
  EXE_LOWER_LAYER,
  EXE_UPPER_LAYER,
  EXE_WRITABLE,
  EXVAT_AT_EMPTY_PATH,
  FCNTL_F_DUPFD,
  FCNTL_F_DUPFD_CLOEXEC,
  FCNTL_F_SETFD,
  FD_CLOEXEC,
  FD_LOWER_LAYER_CREAT,
  FD_UPPER_LAYER_CREAT,
  FdFlag,
  FdType,
  IPPROTO_ICMP,
  IPPROTO_IP,
  IPPROTO_RAW,
  IPPROTO_TCP,
  IPPROTO_UDP,
  L4Proto,
  MAX_CAPS,
  O,
  PR_GET_CHILD_SUBREAPER,
  PR_SET_CHILD_SUBREAPER,
  RLIMIT_NOFILE,
  SE_EINPROGRESS,
  SOCK_DGRAM,
  SOCK_RAW,
  SOCK_STREAM,
} from "./constants.js";
import { ContainerManager } from "./containers.js";
import { FdInfo, ipv4ServerToString, ipv4TupleToString, ipv6ServerToString, ipv6TupleToString, sockinfoToString } from "./fdinfo.js";
import { bytesEqual, isIpv4MappedIpv6, isZero } from "./inet.js";
import { NetworkInterfaces } from "./interfaces.js";
import type { FdEntry, InterfaceList, MachineInfo, ProcessEntry, UserList } from "./metadata.js";
import { i32, i64, isEmpty, param, paramCount, pint, psockaddr, psocktuple, pstr, pstrings, retval, u16, u32, u64, u8 } from "./params.js";
import { concatenatePaths } from "./paths.js";
import { ThreadManager } from "./thread-manager.js";
import { ThreadInfo } from "./threadinfo.js";
import { UserGroupManager } from "./users.js";

/** The seven enter events libsinsp parses (TOCTOU, fallbacks) and then hides. */
const HIDDEN_ENTER_TYPES = new Set<number>([E.OPEN_E, E.OPENAT_2_E, E.OPENAT2_E, E.CREAT_E, E.CONNECT_E, E.EXECVE_19_E, E.EXECVEAT_E]);

/** `sinsp::is_initialstate_event`. */
const INITIAL_STATE_TYPES = new Set<number>([E.CONTAINER_JSON_2_E, E.USER_ADDED_E, E.USER_DELETED_E, E.GROUP_ADDED_E, E.GROUP_DELETED_E, E.ASYNCEVENT_E]);

/** Events `reset` gives no thread (meta events). */
const NO_THREAD_TYPES = new Set<number>([...INITIAL_STATE_TYPES, E.PLUGINEVENT_E]);

const isCloneExit = (t: number): boolean => t === E.CLONE_20_X || t === E.CLONE3_X;
const isForkExit = (t: number): boolean => t === E.FORK_20_X || t === E.VFORK_20_X;

/** Container plugin parse codes (`PARSE_EVENT_CODES` of the plugin). */
const NEW_PROCESS_TYPES = new Set<number>([
  E.CLONE_20_X,
  E.FORK_20_X,
  E.VFORK_20_X,
  E.CLONE3_X,
  E.EXECVE_16_X,
  E.EXECVE_17_X,
  E.EXECVE_18_X,
  E.EXECVE_19_X,
  E.EXECVEAT_X,
  E.CHROOT_X,
]);

/** One event as libsinsp hands it to Falco, with the state it is evaluated against. */
export interface EventContext {
  readonly inspector: Inspector;
  readonly event: ScapEvent;
  /** `evt.num`. */
  readonly num: bigint;
  /** The event table row of `event.type`. */
  readonly info: EventInfo;
  /** The event's thread (possibly a placeholder), undefined for meta events. */
  readonly thread: ThreadInfo | undefined;
  /** The event's fd entry (`m_fdinfo`), if any. */
  readonly fd: FdInfo | undefined;
  /** The enter event the parser used for this exit event, if any. */
  readonly enter: ScapEvent | undefined;
  /** `-res` for failed syscall exits, 0 otherwise. */
  readonly errorCode: number;
  /** Whether parsing changed the fd's name (`fd.name_changed`). */
  readonly fdNameChanged: boolean;
}

class Ctx implements EventContext {
  thread: ThreadInfo | undefined;
  fd: FdInfo | undefined;
  enter: ScapEvent | undefined;
  errorCode = 0;
  fdNameChanged = false;
  readonly info: EventInfo;
  constructor(
    readonly inspector: Inspector,
    readonly event: ScapEvent,
    readonly num: bigint,
  ) {
    this.info = EVENTS[event.type]!;
  }
}

export interface InspectorOptions {
  /**
   * libsinsp's `m_track_connection_status` (off in Falco by default): connect/read/write update
   * pending/failed states.
   */
  trackConnectionStatus?: boolean;
  /**
   * Also return the enter events current libs parse for state but never hand to filters
   * (libsinsp before 0.19 and Falco before 0.41 evaluated rules on them; falcokit's
   * `replay --all-events`).
   */
  showHiddenEnterEvents?: boolean;
}

/**
 * The state machine. Feed `setMachineInfo`, `setInterfaces`, `setUserList`, `addProcess` and `addFd`
 * with the metadata blocks (in file order), then `next(event)` with every event in file order.
 */
export class Inspector {
  readonly threads = new ThreadManager();
  readonly users = new UserGroupManager();
  readonly interfaces = new NetworkInterfaces();
  readonly containers = new ContainerManager();
  machineInfo: MachineInfo | undefined;
  /** ts of the first event that is not a meta event (for `evt.reltime`). */
  firstEventTs = 0n;
  /** Events numbered so far (`m_nevts`). */
  numEvents = 0n;

  private readonly trackConnectionStatus: boolean;
  private readonly showHiddenEnterEvents: boolean;
  private pendingInterfaces: InterfaceList | undefined;
  private pendingUsers: UserList | undefined;
  private readonly serverPorts = new Set<number>();
  private started = false;
  private metadataDone = false;
  private tidToRemove: bigint | undefined;
  private fdsToRemove: { tid: bigint; fds: bigint[] } | undefined;

  constructor(options: InspectorOptions = {}) {
    this.trackConnectionStatus = options.trackConnectionStatus ?? false;
    this.showHiddenEnterEvents = options.showHiddenEnterEvents ?? false;
  }

  // --- metadata ----------------------------------------------------------------------------------

  /**
   * Feeds one record of the reader (in file order): metadata records update the tables, a section
   * record after the first starts a new section, events go through `next`.
   */
  feed(rec: ScapRecord): EventContext | undefined {
    switch (rec.kind) {
      case "event":
        return this.next(rec);
      case "section":
        if (rec.index > 0) this.newSection();
        return undefined;
      case "machine":
        this.setMachineInfo(rec);
        return undefined;
      case "interfaces":
        this.setInterfaces(rec);
        return undefined;
      case "users":
        this.setUserList(rec);
        return undefined;
      case "thread":
        this.addProcess(rec);
        return undefined;
      case "fd":
        this.addFd(rec.tid, rec);
        return undefined;
    }
  }

  setMachineInfo(mi: MachineInfo): void {
    this.machineInfo = mi;
  }

  /** The IL block; imported when the events start (after the initial-state events). */
  setInterfaces(il: InterfaceList): void {
    this.pendingInterfaces = il;
  }

  /** The UL block; imported when the events start (after the initial-state events). */
  setUserList(ul: UserList): void {
    this.pendingUsers = ul;
  }

  /** One process-list entry (`on_new_entry_from_proc` with a thread). */
  addProcess(p: ProcessEntry): ThreadInfo {
    const t = new ThreadInfo();
    t.tid = p.tid;
    t.pid = p.pid;
    t.ptid = p.ptid;
    t.sid = p.sid ?? -1n;
    t.vpgid = p.vpgid ?? -1n;
    t.pgid = p.pgid ?? -1n;
    t.comm = p.comm;
    t.exe = p.exe;
    t.setExepath(p.exepath ?? "");
    t.exeWritable = p.exeWritable ?? false;
    t.exeUpperLayer = p.exeUpperLayer ?? false;
    t.exeLowerLayer = p.exeLowerLayer ?? false;
    t.exeFromMemfd = p.exeFromMemfd ?? false;
    t.reaperTid = -1n;
    t.setArgs(p.args);
    // libs tests tid == pid here: the PL flags are OR-ed in only afterwards
    if (t.isMainThread()) {
      t.setEnv(p.env ?? []);
      t.updateCwd(p.cwd);
    }
    t.flags |= (p.flags ?? 0) | CL.ACTIVE;
    t.flags >>>= 0;
    t.fdlimit = p.fdlimit ?? 0n;
    t.capPermitted = p.capPermitted ?? 0n;
    t.capEffective = p.capEffective ?? 0n;
    t.capInheritable = p.capInheritable ?? 0n;
    t.exeIno = p.exeIno ?? 0n;
    t.exeInoCtime = p.exeInoCtime ?? 0n;
    t.exeInoMtime = p.exeInoMtime ?? 0n;
    t.vmsizeKb = p.vmsizeKb ?? 0;
    t.vmrssKb = p.vmrssKb ?? 0;
    t.vmswapKb = p.vmswapKb ?? 0;
    t.pfmajor = p.pfmajor ?? 0n;
    t.pfminor = p.pfminor ?? 0n;
    t.vtid = p.vtid ?? -1n;
    t.vpid = p.vpid ?? -1n;
    t.pidnsInitStartTs = p.pidnsInitStartTs ?? 0n;
    t.tty = p.tty ?? 0;
    t.setCgroups(p.cgroups ?? []);
    t.root = p.root ?? "";
    t.gid = p.gid >>> 0;
    t.uid = p.uid >>> 0;
    t.loginuid = (p.loginuid ?? 0xffffffff) >>> 0;
    this.users.addUserForThread("", t.uid, t.gid);
    this.users.addGroupForThread("", t.gid);
    // a full /proc scan is in progress: dependencies are created when the metadata ends
    this.threads.add(t, this.metadataDone);
    return t;
  }

  /** One fd-list entry of thread `tid` (skipped when the thread is unknown, as libsinsp does). */
  addFd(tid: bigint, e: FdEntry): FdInfo | undefined {
    const t = this.threads.find(tid);
    if (!t) return undefined;
    const f = new FdInfo();
    f.type = e.type;
    f.openFlags = 0;
    f.flags = FdFlag.FROM_PROC;
    f.ino = e.ino ?? 0n;
    f.fd = e.fd;
    const ip4 = (b: Uint8Array | undefined): Uint8Array => (b && b.length >= 4 ? b.subarray(0, 4) : new Uint8Array(4));
    const ip16 = (b: Uint8Array | undefined): Uint8Array => (b && b.length >= 16 ? b.subarray(0, 16) : new Uint8Array(16));
    switch (e.type) {
      case FdType.IPV4_SOCK:
        f.setIpv4Tuple(ip4(e.sip), e.sport ?? 0, ip4(e.dip), e.dport ?? 0);
        f.v4l4proto = e.l4proto ?? 0;
        if (e.l4proto === L4Proto.TCP) f.flags |= FdFlag.SOCKET_CONNECTED;
        // interface patching happens before the interface list is imported: a no-op here
        f.name = ipv4TupleToString(f.v4sip, f.v4sport, f.v4dip, f.v4dport);
        break;
      case FdType.IPV4_SERVSOCK:
        f.setBytes(0, ip4(e.ip));
        f.setU16(4, e.port ?? 0);
        f.setU8(6, e.l4proto ?? 0);
        f.name = ipv4ServerToString(f.v4srvIp, f.v4srvPort);
        this.serverPorts.add(f.v4srvPort);
        break;
      case FdType.IPV6_SOCK: {
        const sip = ip16(e.sip);
        const dip = ip16(e.dip);
        if (isIpv4MappedIpv6(sip) && isIpv4MappedIpv6(dip)) {
          f.type = FdType.IPV4_SOCK;
          f.setIpv4Tuple(sip.subarray(12, 16), e.sport ?? 0, dip.subarray(12, 16), e.dport ?? 0);
          f.v4l4proto = e.l4proto ?? 0;
          if (e.l4proto === L4Proto.TCP) f.flags |= FdFlag.SOCKET_CONNECTED;
          f.name = ipv4TupleToString(f.v4sip, f.v4sport, f.v4dip, f.v4dport);
        } else {
          f.setIpv6Tuple(sip, e.sport ?? 0, dip, e.dport ?? 0);
          f.v6l4proto = e.l4proto ?? 0;
          if (e.l4proto === L4Proto.TCP) f.flags |= FdFlag.SOCKET_CONNECTED;
          f.name = ipv6TupleToString(f.v6sip, f.v6sport, f.v6dip, f.v6dport);
        }
        break;
      }
      case FdType.IPV6_SERVSOCK:
        f.setBytes(0, ip16(e.ip));
        f.setU16(16, e.port ?? 0);
        f.setU8(18, e.l4proto ?? 0);
        f.name = ipv6ServerToString(f.v6srvIp, f.v6srvPort);
        this.serverPorts.add(f.v6srvPort);
        break;
      case FdType.UNIX_SOCK:
        f.setUnix(e.source ?? 0n, e.dest ?? 0n);
        f.name = e.name ?? "";
        if (f.name.length === 0) f.setRoleClient();
        else f.setRoleServer();
        break;
      case FdType.FILE_V2:
        f.openFlags = e.openFlags ?? 0;
        f.name = e.name ?? "";
        f.dev = e.dev ?? 0;
        break;
      case FdType.FIFO:
      case FdType.FILE:
      case FdType.DIRECTORY:
      case FdType.UNSUPPORTED:
      case FdType.SIGNALFD:
      case FdType.EVENTPOLL:
      case FdType.EVENT:
      case FdType.INOTIFY:
      case FdType.TIMERFD:
      case FdType.NETLINK:
      case FdType.BPF:
      case FdType.USERFAULTFD:
      case FdType.IOURING:
      case FdType.MEMFD:
      case FdType.PIDFD:
        f.name = e.name ?? "";
        break;
      default:
        return undefined;
    }
    return t.fdtable.add(e.fd, f);
  }

  /** Ends the metadata blocks (`on_proc_table_refresh_end`); called by the first `next()` if needed. */
  endMetadata(): void {
    if (this.metadataDone) return;
    this.metadataDone = true;
    this.threads.createDependenciesAfterProcScan();
  }

  /**
   * A new concatenated section starts (libsinsp's `restart_capture`): the thread table and the
   * interfaces are dropped, the event counter is kept; metadata and initial-state events of the
   * section follow. (libsinsp does not notify the container plugin again.)
   */
  newSection(): void {
    this.threads.clear();
    this.interfaces.clear();
    this.serverPorts.clear();
    this.started = false;
    this.metadataDone = false;
    this.restartedSection = true;
    this.tidToRemove = undefined;
    this.fdsToRemove = undefined;
  }
  private restartedSection = false;

  /** `sinsp::init` after the initial-state events: interfaces, users, socket directions, containers. */
  private startEvents(): void {
    this.started = true;
    this.interfaces.clear();
    if (this.pendingInterfaces) {
      for (const i of this.pendingInterfaces.ipv4) {
        this.interfaces.ipv4.push({ addr: i.addr.slice(0, 4), netmask: i.netmask.slice(0, 4), bcast: (i.bcast ?? new Uint8Array(4)).slice(0, 4), name: i.name });
      }
      for (const i of this.pendingInterfaces.ipv6) this.interfaces.ipv6.push({ addr: i.addr.slice(0, 16), name: i.name });
    }
    if (this.pendingUsers) {
      for (const u of this.pendingUsers.users) this.users.addUser("", u.uid >>> 0, u.gid >>> 0, u.name, u.homedir, u.shell);
      for (const g of this.pendingUsers.groups) this.users.addGroup("", g.gid >>> 0, g.name);
    }
    // fix_sockets_coming_from_proc
    for (const t of this.threads.threads.values()) {
      for (const [, f] of t.fdtable.entries()) {
        if (f.type !== FdType.IPV4_SOCK) continue;
        if (!this.serverPorts.has(f.v4sport)) {
          f.setRoleClient();
          continue;
        }
        const sip = f.v4sip;
        const sport = f.v4sport;
        f.setIpv4Tuple(f.v4dip, f.v4dport, sip, sport);
        f.name = ipv4TupleToString(f.v4sip, f.v4sport, f.v4dip, f.v4dport);
        f.setRoleServer();
      }
    }
    // the container plugin's capture_open (not repeated for a concatenated section)
    if (!this.restartedSection) for (const t of this.threads.threads.values()) this.containers.onNewProcess(t);
  }

  // --- the pipeline ------------------------------------------------------------------------------

  /**
   * Processes one event (already converted by the reader). Returns its context when libsinsp would
   * return it to Falco; undefined for the hidden enter events, STATE_ONLY events and the leading
   * initial-state events (which still update the state and take an `evt.num`).
   */
  next(ev: ScapEvent): EventContext | undefined {
    this.endMetadata();
    let initialState = false;
    if (!this.started) {
      if (INITIAL_STATE_TYPES.has(ev.type)) initialState = true;
      else this.startEvents();
    }
    const num = ++this.numEvents;
    const ctx = new Ctx(this, ev, num);
    const isMeta = (ctx.info.categoryRaw & EC.METAEVENT) !== 0;
    if (this.firstEventTs === 0n && !isMeta) this.firstEventTs = ev.ts;

    // deferred removals of the previous event
    if (this.tidToRemove !== undefined) {
      const tid = this.tidToRemove;
      const t = this.threads.find(tid);
      this.threads.recordRecentlyExited(tid, t ? t.ptid : -1n, ev.ts);
      this.threads.remove(tid);
      this.tidToRemove = undefined;
    }
    if (this.fdsToRemove !== undefined) {
      const t = this.threads.find(this.fdsToRemove.tid);
      if (t) for (const fd of this.fdsToRemove.fds) t.removeFd(fd);
      this.fdsToRemove = undefined;
    }

    this.reset(ctx);
    this.processEvent(ctx);
    this.pluginParse(ctx);

    if (ctx.thread && ev.type !== E.SCHEDSWITCH_6_E) {
      ctx.thread.prevEventTs = ctx.thread.lastEventTs;
      ctx.thread.lastEventTs = ev.ts;
    }
    // event_cleanup: the stored enter event is consumed by any exit event of the thread
    if (ev.type % 2 === 1 && ctx.thread && ctx.thread.lastEventData) {
      ctx.thread.lastEventData = undefined;
      ctx.thread.lastEventDataValid = false;
    }

    if (initialState) return undefined;
    if (HIDDEN_ENTER_TYPES.has(ev.type) && !this.showHiddenEnterEvents) return undefined;
    if ((ev.flags & DF_STATE_ONLY) !== 0) return undefined;
    return ctx;
  }

  /** `sinsp_parser::reset`: the event's thread and fd, the enter/exit pairing, the error code. */
  private reset(ctx: Ctx): boolean {
    const ev = ctx.event;
    const etype = ev.type;
    ctx.fd = undefined;
    ctx.errorCode = 0;
    const eflags = ctx.info.flags;
    if (eflags & EF.SKIPPARSERESET) {
      ctx.thread = etype === E.PROCINFO_E ? this.threads.find(ev.tid) : undefined;
      return false;
    }
    if (NO_THREAD_TYPES.has(etype)) {
      ctx.thread = undefined;
      return true;
    }
    const queryOs = !(isCloneExit(etype) || isForkExit(etype) || etype === E.SCHEDSWITCH_6_E || etype === E.PROCEXIT_1_E);
    const t = queryOs ? this.threads.get(ev.tid) : this.threads.find(ev.tid);
    ctx.thread = t;
    if (etype === E.SCHEDSWITCH_6_E) return false;
    if (!t) return false;
    if (queryOs) t.flags = (t.flags | CL.ACTIVE) >>> 0;

    if (etype % 2 === 0) {
      t.lastEventFd = -1n;
      t.lastEventType = etype;
      if (eflags & EF.USES_FD) {
        const loc = ctx.info.enterFdParam;
        t.lastEventFd = loc >= 0 ? i64(ev, loc) : -1n;
        ctx.fd = t.getFd(t.lastEventFd);
      }
      return true;
    }

    if (etype === E.EXECVE_19_X && t.lastEventType === E.EXECVEAT_E) t.lastEventDataValid = true;
    else if (etype === t.lastEventType + 1) t.lastEventDataValid = true;
    else {
      t.lastEventDataValid = false;
      t.lastEventFd = -1n;
    }

    if (this.hasReturnValue(ctx)) {
      const res = retval(ev);
      if (res < 0n) ctx.errorCode = Number(-BigInt.asIntN(32, res));
    }
    if (!(eflags & EF.USES_FD)) return true;
    if (t.lastEventFd === -1n) {
      const loc = ctx.info.exitFdParam;
      if (loc !== -1 && loc < ev.nparams && !isEmpty(ev, loc)) t.lastEventFd = i64(ev, loc);
    }
    ctx.fd = t.getFd(t.lastEventFd);
    return ctx.fd !== undefined;
  }

  /** `sinsp_evt::has_return_value`. */
  hasReturnValue(ctx: { event: ScapEvent; info: EventInfo }): boolean {
    const t = ctx.event.type;
    if (t === E.GENERIC_X) return false;
    return (ctx.info.categoryRaw & EC.SYSCALL) !== 0 && t % 2 === 1 && paramCount(ctx.event) > 0;
  }

  private storeEvent(ctx: Ctx): void {
    const t = ctx.thread;
    if (!t) return;
    t.lastEventData = ctx.event;
    t.lastEventDataValid = ctx.event.cpu !== 0xffff;
  }

  /** `retrieve_enter_event`: the stored enter event matching this exit event. */
  private retrieveEnter(ctx: Ctx): ScapEvent | undefined {
    const t = ctx.thread;
    if (!t) return undefined;
    const enter = t.lastEventData;
    if (!t.lastEventDataValid || !enter) return undefined;
    if (ctx.event.type === E.EXECVE_19_X && enter.type === E.EXECVEAT_E) {
      ctx.enter = enter;
      return enter;
    }
    if (enter.type !== ctx.event.type - 1) {
      t.lastEventDataValid = false;
      return undefined;
    }
    ctx.enter = enter;
    return enter;
  }

  // --- parsers ---------------------------------------------------------------------------------

  private processEvent(ctx: Ctx): void {
    const ev = ctx.event;
    switch (ev.type) {
      case E.OPEN_E:
      case E.CREAT_E:
      case E.OPENAT_2_E:
      case E.OPENAT2_E:
      case E.EXECVE_19_E:
        if (isEmpty(ev, 0)) break;
        this.storeEvent(ctx);
        break;
      case E.EXECVEAT_E:
      case E.CONNECT_E:
        this.storeEvent(ctx);
        break;
      case E.READ_X:
      case E.READV_X:
      case E.PREAD_X:
      case E.PREADV_X:
      case E.RECV_X:
      case E.RECVFROM_X:
      case E.RECVMSG_X:
      case E.RECVMMSG_X:
        this.parseReadExit(ctx);
        break;
      case E.WRITE_X:
      case E.WRITEV_X:
      case E.PWRITE_X:
      case E.PWRITEV_X:
      case E.SEND_X:
      case E.SENDTO_X:
      case E.SENDMSG_X:
      case E.SENDMMSG_X:
        this.parseWriteExit(ctx);
        break;
      case E.OPEN_X:
      case E.CREAT_X:
      case E.OPENAT_2_X:
      case E.OPENAT2_X:
      case E.OPEN_BY_HANDLE_AT_X:
        this.parseOpenExit(ctx);
        break;
      case E.UNSHARE_X:
      case E.SETNS_X:
        this.parseUnshareSetns(ctx);
        break;
      case E.MEMFD_CREATE_X:
        this.parseMemfdCreate(ctx);
        break;
      case E.CLONE_20_X:
      case E.FORK_20_X:
      case E.VFORK_20_X:
      case E.CLONE3_X:
        this.parseCloneExit(ctx);
        break;
      case E.PIDFD_OPEN_X:
        this.parsePidfdOpen(ctx);
        break;
      case E.PIDFD_GETFD_X:
        this.parsePidfdGetfd(ctx);
        break;
      case E.EXECVE_19_X:
      case E.EXECVEAT_X:
        this.parseExecveExit(ctx);
        break;
      case E.PROCEXIT_1_E:
        this.parseThreadExit(ctx);
        break;
      case E.PIPE_X:
      case E.PIPE2_X:
        this.parsePipeExit(ctx);
        break;
      case E.SOCKET_X:
        this.parseSocketExit(ctx);
        break;
      case E.BIND_X:
        this.parseBindExit(ctx);
        break;
      case E.CONNECT_X:
        this.parseConnectExit(ctx);
        break;
      case E.ACCEPT_5_X:
      case E.ACCEPT4_6_X:
        this.parseAcceptExit(ctx);
        break;
      case E.CLOSE_X:
        this.parseCloseExit(ctx);
        break;
      case E.CLOSE_RANGE_X:
        this.parseCloseRangeExit(ctx);
        break;
      case E.FCNTL_X:
        this.parseFcntlExit(ctx);
        break;
      case E.EVENTFD_X:
      case E.EVENTFD2_X:
        this.parseEventfdExit(ctx);
        break;
      case E.CHDIR_X:
        if (retval(ev) >= 0n && ctx.thread) ctx.thread.updateCwd(pstr(ev, 1));
        break;
      case E.FCHDIR_X:
        if (retval(ev) >= 0n && ctx.fd && ctx.thread) ctx.thread.updateCwd(ctx.fd.name);
        break;
      case E.GETCWD_X:
        if (retval(ev) >= 0n && ctx.thread) ctx.thread.updateCwd(pstr(ev, 1));
        break;
      case E.DUP_1_X:
      case E.DUP2_X:
      case E.DUP3_X:
        this.parseDupExit(ctx);
        break;
      case E.SIGNALFD_X:
      case E.SIGNALFD4_X:
        this.parseSingleFdExit(ctx, FdType.SIGNALFD);
        break;
      case E.TIMERFD_CREATE_X:
        this.parseSingleFdExit(ctx, FdType.TIMERFD);
        break;
      case E.INOTIFY_INIT_X:
      case E.INOTIFY_INIT1_X:
        this.parseSingleFdExit(ctx, FdType.INOTIFY);
        break;
      case E.BPF_2_X:
        this.parseSingleFdExit(ctx, FdType.BPF);
        break;
      case E.USERFAULTFD_X:
        this.parseSingleFdExit(ctx, FdType.USERFAULTFD);
        break;
      case E.IO_URING_SETUP_X:
        this.parseSingleFdExit(ctx, FdType.IOURING);
        break;
      case E.EPOLL_CREATE_X:
      case E.EPOLL_CREATE1_X:
        this.parseSingleFdExit(ctx, FdType.EVENTPOLL);
        break;
      case E.GETRLIMIT_X:
      case E.SETRLIMIT_X:
        this.parseGetSetRlimit(ctx);
        break;
      case E.PRLIMIT_X:
        this.parsePrlimit(ctx);
        break;
      case E.SOCKETPAIR_X:
        this.parseSocketpairExit(ctx);
        break;
      case E.SCHEDSWITCH_6_E:
        this.parseContextSwitch(ctx);
        break;
      case E.BRK_4_X:
      case E.MMAP_X:
      case E.MMAP2_X:
      case E.MUNMAP_X:
        this.parseMemoryExit(ctx);
        break;
      case E.SETRESUID_X:
      case E.SETREUID_X:
        if (retval(ev) === 0n) this.setThreadUser(ctx, 2);
        break;
      case E.SETRESGID_X:
      case E.SETREGID_X:
        if (retval(ev) === 0n) this.setThreadGroup(ctx, 2);
        break;
      case E.SETUID_X:
        if (retval(ev) === 0n) this.setThreadUser(ctx, 1);
        break;
      case E.SETGID_X:
        if (retval(ev) === 0n) this.setThreadGroup(ctx, 1);
        break;
      case E.CHROOT_X:
        this.parseChrootExit(ctx);
        break;
      case E.SETSID_X: {
        const r = retval(ev);
        if (r >= 0n && ctx.thread) ctx.thread.sid = r;
        break;
      }
      case E.CAPSET_X:
        if (retval(ev) >= 0n && ctx.thread) {
          ctx.thread.capInheritable = u64(ev, 1);
          ctx.thread.capPermitted = u64(ev, 2);
          ctx.thread.capEffective = u64(ev, 3);
        }
        break;
      case E.USER_ADDED_E:
      case E.USER_DELETED_E: {
        const uid = u32(ev, 0);
        const cid = pstr(ev, 5);
        if (ev.type === E.USER_ADDED_E) this.users.addUser(cid, uid, u32(ev, 1), pstr(ev, 2), pstr(ev, 3), pstr(ev, 4));
        else this.users.removeUser(cid, uid);
        break;
      }
      case E.GROUP_ADDED_E:
      case E.GROUP_DELETED_E: {
        const gid = u32(ev, 0);
        const cid = pstr(ev, 2);
        if (ev.type === E.GROUP_ADDED_E) this.users.addGroup(cid, gid, pstr(ev, 1));
        else this.users.removeGroup(cid, gid);
        break;
      }
      case E.PRCTL_X:
        this.parsePrctlExit(ctx);
        break;
      default:
        break;
    }
    if (ctx.fd) ctx.fdNameChanged = ctx.fd.name !== ctx.fd.oldName;
  }

  // clone/fork/vfork/clone3 ------------------------------------------------------------------------

  private parseCloneExit(ctx: Ctx): void {
    const child = retval(ctx.event);
    if (child < 0n) return;
    if (child === 0n) this.parseCloneExitChild(ctx);
    else this.parseCloneExitCaller(ctx, child);
  }

  private fillChildCommon(ctx: Ctx, child: ThreadInfo): void {
    const ev = ctx.event;
    child.fdlimit = i64(ev, 7);
    if (!isEmpty(ev, 12)) {
      child.pfmajor = u64(ev, 8);
      child.pfminor = u64(ev, 9);
      child.vmsizeKb = u32(ev, 10);
      child.vmrssKb = u32(ev, 11);
      child.vmswapKb = u32(ev, 12);
    }
    child.uid = u32(ev, 16);
    child.gid = u32(ev, 17);
    this.users.addUserForThread("", child.uid, child.gid);
    this.users.addGroupForThread("", child.gid);
    if (!isEmpty(ev, 14)) child.setCgroups(pstrings(ev, 14));
    child.cloneTs = ev.ts;
  }

  private inheritFrom(child: ThreadInfo, from: ThreadInfo): void {
    child.setExepath(from.exepath);
    child.exeWritable = from.exeWritable;
    child.exeUpperLayer = from.exeUpperLayer;
    child.exeLowerLayer = from.exeLowerLayer;
    child.exeFromMemfd = from.exeFromMemfd;
    child.root = from.root;
    child.sid = from.sid;
    child.vpgid = from.vpgid;
    child.pgid = from.pgid;
    child.tty = from.tty;
    child.loginuid = from.loginuid;
    child.capPermitted = from.capPermitted;
    child.capInheritable = from.capInheritable;
    child.capEffective = from.capEffective;
    child.exeIno = from.exeIno;
    child.exeInoCtime = from.exeInoCtime;
    child.exeInoMtime = from.exeInoMtime;
    child.exeInoCtimeDurationCloneTs = from.exeInoCtimeDurationCloneTs;
  }

  private copyFds(child: ThreadInfo, from: ThreadInfo): void {
    const table = from.fdTable();
    if (!table) return;
    child.fdtable.clear();
    for (const [fd, info] of table.entries()) {
      const c = info.clone();
      c.flags |= FdFlag.IS_CLONED;
      child.fdtable.add(fd, c);
    }
  }

  private parseCloneExitCaller(ctx: Ctx, childTid: bigint): void {
    const ev = ctx.event;
    const callerTid = ev.tid;
    let tidCollision = -1n;
    let validCaller = true;
    const caller = this.threads.get(callerTid);
    if (caller.isInvalid()) {
      validCaller = false;
      caller.pid = i64(ev, 4);
      caller.ptid = i64(ev, 5);
      if (!isEmpty(ev, 19)) {
        caller.vtid = i64(ev, 18);
        caller.vpid = i64(ev, 19);
      } else {
        caller.vtid = callerTid;
        caller.vpid = -1n;
      }
      this.threads.createDependencies(caller);
    }
    ctx.thread = caller;

    const flags = u32(ev, 15);
    if (flags & CL.CHILD_IN_PIDNS || flags & CL.CLONE_NEWPID || flags & CL.CLONE_PARENT || callerTid !== caller.vtid) return;
    if (flags & CL.CLONE_VFORK || ev.type === E.VFORK_20_X) return;
    if (this.threads.hasRecentlyExited(childTid, callerTid, ev.ts)) return;

    const existing = this.threads.find(childTid);
    if (existing) {
      if (existing.flags & CL.CLONE_INVERTED) return;
      this.threads.remove(childTid);
      tidCollision = childTid;
    }

    const child = new ThreadInfo();
    child.lastexecTs = 0n;
    child.flags = flags;
    child.tid = childTid;
    if (!(child.flags & CL.CLONE_THREAD)) {
      if (validCaller) {
        this.copyFds(child, caller);
        child.cwd = caller.getCwd();
        child.env = [...caller.env];
      }
      child.pid = child.tid;
      child.ptid = caller.tid;
    } else {
      child.pid = caller.pid;
      child.ptid = caller.ptid;
      child.flags = (child.flags | CL.CLONE_FILES) >>> 0;
      child.lastexecTs = caller.lastexecTs;
    }
    child.vtid = child.tid;
    child.vpid = child.pid;
    child.exe = pstr(ev, 1);
    child.setArgs(pstrings(ev, 2));
    child.comm = !isEmpty(ev, 13) ? pstr(ev, 13) : child.exe;
    this.fillChildCommon(ctx, child);
    child.pidnsInitStartTs = this.machineInfo?.bootTsEpoch ?? 0n;
    if (validCaller) this.inheritFrom(child, caller);
    else {
      caller.exe = child.exe;
      caller.comm = child.comm;
      caller.setArgs(pstrings(ev, 2));
    }
    this.threads.add(child, true);
    if (tidCollision !== -1n) this.reset(ctx);
  }

  private parseCloneExitChild(ctx: Ctx): void {
    const ev = ctx.event;
    const childTid = ev.tid;
    let tidCollision = -1n;
    let validLookup = true;
    const existing = ctx.thread;
    if (existing && existing.cloneTs !== 0n) {
      if (ev.ts - existing.cloneTs < CLONE_STALE_TIME_NS) return;
      this.threads.remove(childTid);
      tidCollision = childTid;
      ctx.thread = undefined;
    }
    const child = new ThreadInfo();
    child.lastexecTs = 0n;
    child.tid = childTid;
    child.pid = i64(ev, 4);
    child.ptid = i64(ev, 5);
    if (!isEmpty(ev, 19)) {
      child.vtid = i64(ev, 18);
      child.vpid = i64(ev, 19);
    } else {
      child.vtid = child.tid;
      child.vpid = -1n;
    }
    child.flags = (u32(ev, 15) | CL.CLONE_INVERTED) >>> 0;
    const isLeader = !(child.flags & CL.CLONE_THREAD);
    let lookupTid: bigint;
    if (isLeader) lookupTid = child.ptid;
    else {
      lookupTid = child.pid;
      child.flags = (child.flags | CL.CLONE_FILES) >>> 0;
    }
    const lookup = this.threads.get(lookupTid);
    if (lookup.isInvalid()) {
      validLookup = false;
      if (!isLeader) {
        lookup.pid = child.pid;
        lookup.ptid = child.ptid;
        lookup.vpid = child.vpid;
        lookup.vtid = lookup.vpid;
        this.threads.createDependencies(lookup);
      }
    }
    child.exe = pstr(ev, 1);
    child.comm = !isEmpty(ev, 13) ? pstr(ev, 13) : child.exe;
    child.setArgs(pstrings(ev, 2));
    if (validLookup) {
      this.inheritFrom(child, lookup);
      if (isLeader) {
        this.copyFds(child, lookup);
        child.cwd = lookup.getCwd();
        child.env = [...lookup.env];
      } else {
        child.lastexecTs = lookup.lastexecTs;
      }
    } else if (!isLeader) {
      lookup.exe = child.exe;
      lookup.comm = child.comm;
      lookup.setArgs(pstrings(ev, 2));
    }
    this.fillChildCommon(ctx, child);
    const boot = this.machineInfo?.bootTsEpoch ?? 0n;
    if (child.flags & CL.CHILD_IN_PIDNS || child.flags & CL.CLONE_NEWPID || child.tid !== child.vtid) {
      if (!isEmpty(ev, 20)) child.pidnsInitStartTs = u64(ev, 20) + boot;
    } else {
      child.pidnsInitStartTs = boot;
    }
    this.threads.add(child, true);
    ctx.thread = child;
    if (tidCollision !== -1n) this.reset(ctx);
  }

  // execve -------------------------------------------------------------------------------------------

  private parseExecveExit(ctx: Ctx): void {
    const ev = ctx.event;
    if (retval(ev) < 0n) return;
    const t = ctx.thread;
    if (!t) return;
    if (t.isDead()) t.resurrect();
    t.exe = pstr(ev, 1);
    t.lastexecTs = ev.ts;
    t.comm = !isEmpty(ev, 13) ? pstr(ev, 13) : t.exe;
    t.setArgs(pstrings(ev, 2));
    t.pid = u64(ev, 4);
    t.pid = BigInt.asIntN(64, t.pid);
    if (t.isInvalid()) {
      t.ptid = BigInt.asIntN(64, u64(ev, 5));
      if ((t.flags & CL.CHILD_IN_PIDNS) === 0) {
        t.vtid = t.tid;
        t.vpid = t.pid;
      }
      this.threads.createDependencies(t);
    }
    t.fdlimit = i64(ev, 7);
    if (!isEmpty(ev, 12)) {
      t.pfmajor = u64(ev, 8);
      t.pfminor = u64(ev, 9);
      t.vmsizeKb = u32(ev, 10);
      t.vmrssKb = u32(ev, 11);
      t.vmswapKb = u32(ev, 12);
    }
    if (!isEmpty(ev, 15)) t.setEnv(pstrings(ev, 15));
    if (!isEmpty(ev, 14)) t.setCgroups(pstrings(ev, 14));
    if (!isEmpty(ev, 16)) t.tty = u32(ev, 16);

    if (!isEmpty(ev, 27)) t.setExepath(pstr(ev, 27));
    else {
      const enter = this.retrieveEnter(ctx);
      if (enter) {
        let fullpath = "";
        if (enter.type === E.EXECVE_19_E) {
          const filename = pstr(enter, 0);
          fullpath = filename === "<NA>" ? "<NA>" : concatenatePaths(t.getCwd(), filename);
        } else if (enter.type === E.EXECVEAT_E) {
          const dirfd = i64(enter, 0);
          const flags = u32(enter, 2);
          const pathname = pstr(enter, 1);
          const sdir = parseDirfd(t, pathname, dirfd);
          if (sdir !== "." && sdir !== "<UNKNOWN>") ctx.fd = t.getFd(dirfd);
          if ((!(flags & EXVAT_AT_EMPTY_PATH) && pathname === "<NA>") || sdir === "<UNKNOWN>") fullpath = "<NA>";
          else if (flags & EXVAT_AT_EMPTY_PATH) fullpath = concatenatePaths("", sdir);
          else fullpath = concatenatePaths(sdir, pathname);
        }
        t.setExepath(fullpath);
      }
    }
    if (!isEmpty(ev, 17)) t.vpgid = i64(ev, 17);
    if (!isEmpty(ev, 18)) t.loginuid = u32(ev, 18);
    if (!isEmpty(ev, 19)) {
      const f = u32(ev, 19);
      t.exeWritable = (f & EXE_WRITABLE) !== 0;
      t.exeUpperLayer = (f & EXE_UPPER_LAYER) !== 0;
      t.exeFromMemfd = (f & EXE_FROM_MEMFD) !== 0;
      t.exeLowerLayer = (f & EXE_LOWER_LAYER) !== 0;
    }
    if (!isEmpty(ev, 22)) {
      t.capInheritable = u64(ev, 20);
      t.capPermitted = u64(ev, 21);
      t.capEffective = u64(ev, 22);
    }
    if (!isEmpty(ev, 25)) {
      t.exeIno = u64(ev, 23);
      t.exeInoCtime = u64(ev, 24);
      t.exeInoMtime = u64(ev, 25);
      if (t.cloneTs !== 0n) t.exeInoCtimeDurationCloneTs = BigInt.asUintN(64, t.cloneTs - t.exeInoCtime);
      if (t.pidnsInitStartTs !== 0n && t.exeInoCtime > t.pidnsInitStartTs) t.exeInoCtimeDurationPidnsStart = t.exeInoCtime - t.pidnsInitStartTs;
    }
    if (!isEmpty(ev, 26)) t.uid = u32(ev, 26);
    t.pgid = !isEmpty(ev, 28) ? i64(ev, 28) : -1n;
    if (!isEmpty(ev, 29)) t.gid = u32(ev, 29);
    this.users.addUserForThread(t.containerId, t.uid, t.gid);
    this.users.addGroupForThread(t.containerId, t.gid);

    t.fdTable()?.retain((_fd, info) => !info.isCloseOnExec());

    const spf = t.flags & (CL.PIPE_SRC | CL.PIPE_DST | CL.IS_MAIN_THREAD);
    const inverted = (t.flags & CL.CLONE_INVERTED) !== 0;
    t.flags = CL.ACTIVE | spf;
    if (inverted) t.flags |= CL.CLONE_INVERTED;
    t.flags = (t.flags | CL.NAME_CHANGED) >>> 0;

    if (t.tginfo && t.tginfo.aliveCount > 1) {
      for (const th of [...t.tginfo.threads]) {
        if (th.removed || th.isMainThread() || th.tid === t.tid) continue;
        this.threads.remove(th.tid);
      }
    }
  }

  private parseThreadExit(ctx: Ctx): void {
    const t = ctx.thread;
    if (!t) return;
    if (t.tginfo && !t.isDead()) t.tginfo.decrement();
    t.setDead();
    this.tidToRemove = ctx.event.tid;
    if (t.children.length === 0) return;
    if (ctx.event.nparams > 4) {
      if (!isEmpty(ctx.event, 4)) t.reaperTid = i64(ctx.event, 4);
    } else t.reaperTid = -1n;
  }

  // open family ----------------------------------------------------------------------------------------

  private parseOpenExit(ctx: Ctx): void {
    const ev = ctx.event;
    const t = ctx.thread;
    if (!t) return;
    const etype = ev.type;
    const enter = etype !== E.OPEN_BY_HANDLE_AT_X ? this.retrieveEnter(ctx) : undefined;
    const fd = retval(ev);
    let name: string;
    let flags: number;
    let sdir: string;
    let dev = 0;
    let ino = 0n;
    const createdMask = ~(O.F_CREATED - 1) >>> 0;
    if (etype === E.OPEN_X) {
      name = pstr(ev, 1);
      flags = u32(ev, 2);
      if (!isEmpty(ev, 4)) {
        dev = u32(ev, 4);
        if (!isEmpty(ev, 5)) ino = u64(ev, 5);
      }
      if (enter) {
        const en = pstr(enter, 0);
        if (en !== "<NA>") {
          name = en;
          flags = (u32(enter, 1) | (flags & createdMask)) >>> 0;
        }
      }
      sdir = t.getCwd();
    } else if (etype === E.CREAT_X) {
      name = pstr(ev, 1);
      flags = 0;
      if (!isEmpty(ev, 3)) {
        dev = u32(ev, 3);
        if (!isEmpty(ev, 4)) {
          ino = u64(ev, 4);
          if (!isEmpty(ev, 5)) {
            const cf = u16(ev, 5);
            if (cf & FD_UPPER_LAYER_CREAT) flags |= O.FD_UPPER_LAYER;
            else if (cf & FD_LOWER_LAYER_CREAT) flags |= O.FD_LOWER_LAYER;
          }
        }
      }
      if (enter) {
        const en = pstr(enter, 0);
        if (en !== "<NA>") name = en;
      }
      sdir = t.getCwd();
    } else if (etype === E.OPENAT_2_X || etype === E.OPENAT2_X) {
      sdir = "";
      name = "<NA>";
      flags = 0;
      if (!isEmpty(ev, 2)) name = pstr(ev, 2);
      if (!isEmpty(ev, 3)) flags = u32(ev, 3);
      const devIdx = etype === E.OPENAT_2_X ? 5 : 6;
      if (!isEmpty(ev, devIdx + 1)) {
        dev = u32(ev, devIdx);
        ino = u64(ev, devIdx + 1);
      }
      let dirfdEv = ev;
      let dirfdIdx = 1;
      if (enter) {
        const en = pstr(enter, 1);
        if (en !== "<NA>") {
          name = en;
          flags = (u32(enter, 2) | (flags & createdMask)) >>> 0;
          dirfdEv = enter;
          dirfdIdx = 0;
        }
      }
      if (!isEmpty(dirfdEv, dirfdIdx)) sdir = parseDirfd(t, name, i64(dirfdEv, dirfdIdx));
    } else {
      // OPEN_BY_HANDLE_AT_X
      flags = u32(ev, 2);
      name = pstr(ev, 3);
      if (ev.nparams > 4) {
        dev = u32(ev, 4);
        if (ev.nparams > 5) ino = u64(ev, 5);
      }
      sdir = "";
    }
    const fullpath = concatenatePaths(sdir, name);
    if (fd >= 0n) {
      const f = new FdInfo();
      f.type = flags & O.DIRECTORY ? FdType.DIRECTORY : FdType.FILE_V2;
      f.openFlags = flags;
      f.mountId = 0;
      f.dev = dev;
      f.ino = ino;
      f.nameRaw = name;
      f.name = fullpath;
      if (flags & O.FD_UPPER_LAYER) f.flags |= FdFlag.OVERLAY_UPPER;
      if (flags & O.FD_LOWER_LAYER) f.flags |= FdFlag.OVERLAY_LOWER;
      ctx.fd = t.addFd(fd, f);
    }
  }

  // sockets ----------------------------------------------------------------------------------------

  private addSocket(ctx: Ctx, fd: bigint, domain: number, type: number, protocol: number, flags: number): void {
    const t = ctx.thread!;
    const f = new FdInfo();
    f.type = FdType.UNKNOWN;
    f.v4l4proto = L4Proto.UNKNOWN;
    f.openFlags = flags;
    if (domain === AF.UNIX) f.type = FdType.UNIX_SOCK;
    else if (domain === AF.INET || domain === AF.INET6) {
      f.type = domain === AF.INET ? FdType.IPV4_SOCK : FdType.IPV6_SOCK;
      let l4: number = L4Proto.UNKNOWN;
      if (protocol === IPPROTO_TCP) l4 = type === SOCK_RAW ? L4Proto.RAW : L4Proto.TCP;
      else if (protocol === IPPROTO_UDP) l4 = type === SOCK_RAW ? L4Proto.RAW : L4Proto.UDP;
      else if (protocol === IPPROTO_IP) {
        if ((type & 0xff) === SOCK_STREAM) l4 = L4Proto.TCP;
        else if ((type & 0xff) === SOCK_DGRAM) l4 = L4Proto.UDP;
      } else if (protocol === IPPROTO_ICMP) l4 = type === SOCK_RAW ? L4Proto.RAW : L4Proto.ICMP;
      else if (protocol === IPPROTO_RAW) l4 = L4Proto.RAW;
      if (domain === AF.INET) f.v4l4proto = l4;
      else {
        f.zero(0, 40);
        f.v6l4proto = l4;
      }
    } else if (domain === AF.NETLINK) f.type = FdType.NETLINK;
    ctx.fd = t.addFd(fd, f);
  }

  private parseSocketExit(ctx: Ctx): void {
    const ev = ctx.event;
    const fd = retval(ev);
    if (fd < 0n || !ctx.thread) return;
    this.addSocket(ctx, fd, u32(ev, 1), u32(ev, 2), u32(ev, 3), u32(ev, 4));
  }

  private parseBindExit(ctx: Ctx): void {
    const ev = ctx.event;
    const f = ctx.fd;
    if (!f || retval(ev) < 0n) return;
    const addr = psockaddr(ev, 1);
    if (!addr) return;
    if (addr.family === "inet") {
      if (addr.port > 0) {
        const l4 = f.v4l4proto;
        f.type = FdType.IPV4_SERVSOCK;
        f.setBytes(0, addr.addr.subarray(0, 4));
        f.setU16(4, addr.port);
        f.setU8(6, l4);
        f.setRoleServer();
      }
    } else if (addr.family === "inet6") {
      if (addr.port > 0) {
        if (isIpv4MappedIpv6(addr.addr)) {
          const l4 = f.v6l4proto;
          f.type = FdType.IPV4_SERVSOCK;
          f.setU8(6, l4);
          f.setBytes(0, addr.addr.subarray(12, 16));
          f.setU16(4, addr.port);
        } else {
          const l4 = f.v6l4proto;
          f.type = FdType.IPV6_SERVSOCK;
          f.setU16(16, addr.port);
          f.setBytes(0, addr.addr.subarray(0, 16));
          f.setU8(18, l4);
        }
        f.setRoleServer();
      }
    }
    f.name = sockaddrToString(addr, f.l4proto());
  }

  private fillClientFromAddr(ctx: Ctx, addr: SockAddr, enterEv: ScapEvent): void {
    const f = ctx.fd!;
    if (addr.family === "inet") {
      f.type = FdType.IPV4_SOCK;
      f.setBytes(4, addr.addr.subarray(0, 4));
      f.setU16(10, addr.port);
    } else if (addr.family === "inet6") {
      if (isIpv4MappedIpv6(addr.addr)) {
        f.type = FdType.IPV4_SOCK;
        f.setBytes(4, addr.addr.subarray(12, 16));
        f.setU16(10, addr.port);
      } else {
        f.type = FdType.IPV6_SOCK;
        f.setU16(34, addr.port);
        f.setBytes(16, addr.addr.subarray(0, 16));
      }
    } else {
      // libs renders param 1 of the *exit* event here (the tuple, empty in this branch)
      void enterEv;
      f.name = renderSocktupleParam(ctx.event, 1, f);
    }
  }

  private parseConnectExit(ctx: Ctx): void {
    const ev = ctx.event;
    const f = ctx.fd;
    if (!ctx.thread || !f) return;
    const rv = retval(ev);
    if (this.trackConnectionStatus) {
      if (rv === -SE_EINPROGRESS) {
        f.flags &= ~(FdFlag.SOCKET_CONNECTED | FdFlag.CONNECTION_FAILED);
        f.flags |= FdFlag.CONNECTION_PENDING;
      } else if (rv < 0n) {
        f.flags &= ~(FdFlag.SOCKET_CONNECTED | FdFlag.CONNECTION_PENDING);
        f.flags |= FdFlag.CONNECTION_FAILED;
      } else f.setSocketConnected();
    } else {
      if (rv < 0n && rv !== -SE_EINPROGRESS) return;
      f.setSocketConnected();
    }
    const enter = this.retrieveEnter(ctx);
    const enterAddr = enter ? psockaddr(enter, 1) : undefined;
    if (param(ev, 1).kind === "empty") {
      if (!enterAddr) return;
      this.fillClientFromAddr(ctx, enterAddr, enter!);
      return;
    }
    const exitAddr = psockaddr(ev, 3);
    const tuple = psocktuple(ev, 1);
    if (!tuple) return;
    this.fillClientSocketInfo(ctx, tuple, exitAddr, enterAddr);
  }

  private fillClientSocketInfo(ctx: Ctx, tuple: SockTuple, exitAddr: SockAddr | undefined, enterAddr: SockAddr | undefined): void {
    const f = ctx.fd!;
    if (tuple.family === "inet" || tuple.family === "inet6") {
      let changed: boolean;
      // resolve_connect_*_destination: the enter address unless the exit address differs from the tuple
      let dip = tuple.dip;
      let dport = tuple.dport;
      if (exitAddr && enterAddr && (exitAddr.family === "inet" || exitAddr.family === "inet6") && (enterAddr.family === "inet" || enterAddr.family === "inet6")) {
        const len = tuple.family === "inet6" ? 16 : 4;
        const exitIp = exitAddr.addr.subarray(0, len);
        if (exitAddr.port === tuple.dport && bytesEqual(padTo(exitIp, len), padTo(tuple.dip.subarray(0, len), len))) {
          dip = padTo(enterAddr.addr.subarray(0, len), len);
          dport = enterAddr.port;
        }
      }
      if (tuple.family === "inet6") {
        const sip = tuple.sip;
        if (!(isIpv4MappedIpv6(sip) && isIpv4MappedIpv6(dip))) {
          f.type = FdType.IPV6_SOCK;
          changed = setIpv6(f, sip, tuple.sport, dip, dport, true);
        } else {
          f.type = FdType.IPV4_SOCK;
          changed = setIpv4(f, sip.subarray(12, 16), tuple.sport, dip.subarray(12, 16), dport, true);
        }
      } else {
        f.type = FdType.IPV4_SOCK;
        changed = setIpv4(f, tuple.sip, tuple.sport, dip, dport, true);
      }
      if (changed && f.isRoleServer() && f.isUdpSocket()) swapAddresses(f);
      f.name = sockinfoToString(f);
    } else {
      if (!f.isUnixSocket()) return;
      let dpath = tuple.family === "unix" ? tuple.path : "";
      if (exitAddr && enterAddr && exitAddr.family === "unix" && enterAddr.family === "unix" && exitAddr.path.slice(0, 108) === dpath.slice(0, 108)) {
        dpath = enterAddr.path;
      }
      if (tuple.family === "unix") f.setUnix(tuple.source, tuple.dest);
      f.name = `${hex64(f.unixSource)}->${hex64(f.unixDest)} ${dpath}`;
    }
    if (f.isRoleNone()) f.setRoleClient();
  }

  private parseAcceptExit(ctx: Ctx): void {
    const ev = ctx.event;
    const t = ctx.thread;
    if (!t) return;
    const fd = retval(ev);
    if (fd < 0n) return;
    t.lastEventFd = fd;
    const tuple = psocktuple(ev, 1);
    if (!tuple) return;
    const f = new FdInfo();
    if (tuple.family === "inet") {
      setIpv4(f, tuple.sip, tuple.sport, tuple.dip, tuple.dport, false);
      f.type = FdType.IPV4_SOCK;
      f.v4l4proto = L4Proto.TCP;
    } else if (tuple.family === "inet6") {
      if (isIpv4MappedIpv6(tuple.sip) && isIpv4MappedIpv6(tuple.dip)) {
        setIpv4(f, tuple.sip.subarray(12, 16), tuple.sport, tuple.dip.subarray(12, 16), tuple.dport, false);
        f.type = FdType.IPV4_SOCK;
        f.v4l4proto = L4Proto.TCP;
      } else {
        setIpv6(f, tuple.sip, tuple.sport, tuple.dip, tuple.dport, false);
        f.type = FdType.IPV6_SOCK;
        f.v6l4proto = L4Proto.TCP;
      }
    } else if (tuple.family === "unix") {
      f.type = FdType.UNIX_SOCK;
      f.setUnix(tuple.source, tuple.dest);
    } else return;
    // PF_SIMPLE rendering of the tuple, with the fd of the event (none yet) for the protocol
    f.name = renderSocktupleParam(ev, 1, ctx.fd);
    let openFlags = 0;
    if (ev.type === E.ACCEPT4_6_X) openFlags |= i32(ev, 5) & O.CLOEXEC;
    f.openFlags = openFlags;
    f.flags = 0;
    f.setRoleServer();
    f.setSocketConnected();
    ctx.fd = t.addFd(fd, f);
  }

  /** `update_fd`: a read/write tuple updates the socket; false when nothing changed. */
  private updateFdFromTuple(ctx: Ctx, idx: number): boolean {
    const tuple = psocktuple(ctx.event, idx);
    const f = ctx.fd!;
    if (!tuple) return false;
    if (tuple.family === "inet") {
      if (f.type === FdType.IPV4_SERVSOCK) f.v4l4proto = f.v4srvL4proto;
      f.type = FdType.IPV4_SOCK;
      if (!setIpv4(f, tuple.sip, tuple.sport, tuple.dip, tuple.dport, false)) return false;
    } else if (tuple.family === "inet6") {
      if (isIpv4MappedIpv6(tuple.sip) && isIpv4MappedIpv6(tuple.dip)) {
        f.type = FdType.IPV4_SOCK;
        if (!setIpv4(f, tuple.sip.subarray(12, 16), tuple.sport, tuple.dip.subarray(12, 16), tuple.dport, false)) return false;
      } else if (!setIpv6(f, tuple.sip, tuple.sport, tuple.dip, tuple.dport, false)) return false;
    } else if (tuple.family === "unix") {
      f.type = FdType.UNIX_SOCK;
      f.setUnix(tuple.source, tuple.dest);
      f.name = tuple.path;
      return true;
    }
    if (f.type === FdType.IPV4_SOCK) {
      if (f.v4l4proto === L4Proto.UNKNOWN) f.v4l4proto = L4Proto.UDP;
    } else if (f.type === FdType.IPV6_SOCK) {
      if (f.v6l4proto === L4Proto.UNKNOWN) f.v6l4proto = L4Proto.UDP;
    }
    this.interfaces.updateFd(f);
    return true;
  }

  /** `set_net_role_by_guessing`. */
  private guessRole(t: ThreadInfo, f: FdInfo, incoming: boolean): void {
    const table = t.fdTable();
    const boundTo = (port: number): boolean => {
      if (!table) return false;
      for (const [, x] of table.entries()) {
        if (x.type === FdType.IPV4_SOCK && x.v4dport === port) return true;
        if (x.type === FdType.IPV4_SERVSOCK && x.v4srvPort === port) return true;
      }
      return false;
    };
    const usesClientPort = (port: number): boolean => {
      if (!table) return false;
      for (const [, x] of table.entries()) if (x.type === FdType.IPV4_SOCK && x.v4sport === port) return true;
      return false;
    };
    if (!boundTo(f.v4dport)) {
      f.setRoleClient();
      return;
    }
    if (!usesClientPort(f.v4sport)) {
      f.setRoleServer();
      return;
    }
    if (!(f.flags & (FdFlag.ROLE_CLIENT | FdFlag.ROLE_SERVER))) {
      if (incoming) f.setRoleServer();
      else f.setRoleClient();
    }
  }

  private parseReadExit(ctx: Ctx): void {
    const ev = ctx.event;
    const etype = ev.type;
    if (etype === E.RECVMMSG_X && isEmpty(ev, 0)) return;
    const f = ctx.fd;
    if (!f) return;
    let fdType = f.type;
    if (retval(ev) < 0n) {
      if (!this.trackConnectionStatus) return;
      if (fdType === FdType.IPV4_SOCK || fdType === FdType.IPV6_SOCK) {
        f.flags &= ~(FdFlag.SOCKET_CONNECTED | FdFlag.CONNECTION_PENDING);
        f.flags |= FdFlag.CONNECTION_FAILED;
      }
      return;
    }
    if (fdType === FdType.IPV4_SOCK || fdType === FdType.IPV6_SOCK) f.setSocketConnected();
    if ((ctx.info.flags & EF.READS_FROM_FD) === 0) return;
    let tupleParam = -1;
    if (etype === E.RECVFROM_X) tupleParam = 2;
    else if (etype === E.RECVMSG_X) tupleParam = 3;
    else if (etype === E.RECVMMSG_X || etype === E.RECV_X) tupleParam = 4;
    if (tupleParam !== -1 && (f.name.length === 0 || !f.isTcpSocket())) {
      if (this.updateFdFromTuple(ctx, tupleParam)) {
        fdType = f.type;
        if (fdType === FdType.IPV4_SOCK || fdType === FdType.IPV6_SOCK) {
          if (f.isRoleNone()) this.guessRole(ctx.thread!, f, true);
          if (f.isRoleClient()) swapAddresses(f);
          f.name = sockinfoToString(f);
        } else {
          f.name = renderSocktupleParam(ev, tupleParam, f);
        }
      }
    }
  }

  private parseWriteExit(ctx: Ctx): void {
    const ev = ctx.event;
    const etype = ev.type;
    if (etype === E.SENDMMSG_X && isEmpty(ev, 0)) return;
    if ((etype === E.SEND_X || etype === E.SENDTO_X || etype === E.SENDMSG_X) && !ctx.fd && ctx.thread) {
      // infer_send_sendto_sendmsg_fdinfo: a send on an unknown fd with an IP tuple is a UDP socket
      if (retval(ev) >= 0n) {
        const fd = i64(ev, 2);
        const tuple = psocktuple(ev, 4);
        if (tuple && (tuple.family === "inet" || tuple.family === "inet6")) {
          this.addSocket(ctx, fd, tuple.family === "inet" ? AF.INET : AF.INET6, SOCK_DGRAM, IPPROTO_UDP, 0);
        }
      }
    }
    const f = ctx.fd;
    if (!f) return;
    let fdType = f.type;
    if (retval(ev) < 0n) {
      if (!this.trackConnectionStatus) return;
      if (fdType === FdType.IPV4_SOCK || fdType === FdType.IPV6_SOCK) {
        f.flags &= ~(FdFlag.SOCKET_CONNECTED | FdFlag.CONNECTION_PENDING);
        f.flags |= FdFlag.CONNECTION_FAILED;
      }
      return;
    }
    if (fdType === FdType.IPV4_SOCK || fdType === FdType.IPV6_SOCK) f.setSocketConnected();
    if ((ctx.info.flags & EF.WRITES_TO_FD) === 0) return;
    if ((etype === E.SEND_X || etype === E.SENDTO_X || etype === E.SENDMSG_X || etype === E.SENDMMSG_X) && (f.name.length === 0 || !f.isTcpSocket())) {
      if (this.updateFdFromTuple(ctx, 4)) {
        fdType = f.type;
        if (fdType === FdType.IPV4_SOCK || fdType === FdType.IPV6_SOCK) {
          if (f.isRoleNone()) this.guessRole(ctx.thread!, f, false);
          if (f.isRoleServer()) swapAddresses(f);
          f.name = sockinfoToString(f);
        } else {
          f.name = renderSocktupleParam(ev, 4, f);
        }
      }
    }
  }

  // close, dup, fcntl, pipes and the single-fd creators ------------------------------------------------

  private parseCloseExit(ctx: Ctx): void {
    if (retval(ctx.event) >= 0n) {
      if (!ctx.fd || !ctx.thread) return;
      const tid = ctx.thread.tid;
      if (!this.fdsToRemove || this.fdsToRemove.tid !== tid) this.fdsToRemove = { tid, fds: this.fdsToRemove?.fds ?? [] };
      this.fdsToRemove.fds.push(ctx.thread.lastEventFd);
    }
  }

  private parseCloseRangeExit(ctx: Ctx): void {
    const ev = ctx.event;
    const t = ctx.thread;
    if (!t || retval(ev) < 0n) return;
    const table = t.fdTable();
    if (!table) return;
    const first = BigInt(u32(ev, 1));
    const last = BigInt(u32(ev, 2));
    const flags = u32(ev, 3);
    const inRange = (fd: bigint): boolean => fd >= 0n && fd >= first && fd <= last;
    if (flags & CLOSE_RANGE_CLOEXEC) {
      for (const [fd, info] of table.entries()) if (inRange(fd)) info.openFlags = (info.openFlags | O.CLOEXEC) >>> 0;
    } else table.retain((fd) => !inRange(fd));
  }

  private parseDupExit(ctx: Ctx): void {
    const ev = ctx.event;
    const t = ctx.thread;
    if (!t) return;
    const rv = retval(ev);
    if (rv < 0n || !ctx.fd) return;
    if (rv === 0n) t.flags = (t.flags | CL.PIPE_DST) >>> 0;
    if (rv === 1n) t.flags = (t.flags | CL.PIPE_SRC) >>> 0;
    t.getFd(rv); // erase_fd without removal: only the observer would hear about it
    const f = ctx.fd.clone();
    f.clearCloseOnExecBits();
    if (ev.type === E.DUP3_X && u32(ev, 3) & O.CLOEXEC) f.openFlags = (f.openFlags | O.CLOEXEC) >>> 0;
    ctx.fd = t.addFd(rv, f);
  }

  private parseFcntlExit(ctx: Ctx): void {
    const ev = ctx.event;
    const t = ctx.thread;
    if (!t) return;
    const cmd = u8(ev, 2);
    if (!(cmd === FCNTL_F_DUPFD || cmd === FCNTL_F_DUPFD_CLOEXEC || cmd === FCNTL_F_SETFD)) return;
    const rv = retval(ev);
    if (rv < 0n || !ctx.fd) return;
    if (cmd === FCNTL_F_SETFD) {
      ctx.fd.clearCloseOnExecBits();
      if (u64(ev, 3) & BigInt(FD_CLOEXEC)) ctx.fd.openFlags = (ctx.fd.openFlags | O.CLOEXEC) >>> 0;
      return;
    }
    const f = ctx.fd.clone();
    f.clearCloseOnExecBits();
    if (cmd === FCNTL_F_DUPFD_CLOEXEC) f.openFlags = (f.openFlags | O.CLOEXEC) >>> 0;
    ctx.fd = t.addFd(rv, f);
  }

  private parsePipeExit(ctx: Ctx): void {
    const ev = ctx.event;
    const t = ctx.thread;
    if (retval(ev) < 0n || !t) return;
    const fd1 = i64(ev, 1);
    const fd2 = i64(ev, 2);
    const ino = u64(ev, 3);
    const openFlags = ev.type === E.PIPE2_X ? u32(ev, 4) : 0;
    for (const fd of [fd1, fd2]) {
      const f = new FdInfo();
      f.type = FdType.FIFO;
      f.ino = ino;
      f.openFlags = openFlags;
      ctx.fd = t.addFd(fd, f);
    }
  }

  private parseSocketpairExit(ctx: Ctx): void {
    const ev = ctx.event;
    const t = ctx.thread;
    if (retval(ev) < 0n || !t) return;
    const fd1 = i64(ev, 1);
    const fd2 = i64(ev, 2);
    if (fd1 === fd2) {
      ctx.fd = undefined;
      return;
    }
    const f1 = new FdInfo();
    f1.type = FdType.UNIX_SOCK;
    f1.setUnix(u64(ev, 3), u64(ev, 4));
    const f2 = f1.clone();
    ctx.fd = t.addFd(fd1, f1);
    t.addFd(fd2, f2);
  }

  private parseEventfdExit(ctx: Ctx): void {
    const ev = ctx.event;
    const t = ctx.thread;
    if (!t) return;
    const fd = retval(ev);
    if (fd < 0n) return;
    const f = new FdInfo();
    f.type = FdType.EVENT;
    if (ev.type === E.EVENTFD2_X) f.openFlags = u16(ev, 1);
    ctx.fd = t.addFd(fd, f);
  }

  private parseSingleFdExit(ctx: Ctx, type: number): void {
    const ev = ctx.event;
    const t = ctx.thread;
    if (!t) return;
    const fd = retval(ev);
    if (fd < 0n) return;
    const f = new FdInfo();
    f.type = type;
    if (ev.type === E.INOTIFY_INIT1_X || ev.type === E.SIGNALFD4_X) f.openFlags = u16(ev, 1);
    if (ev.type === E.TIMERFD_CREATE_X) f.openFlags = u8(ev, 2);
    if (ev.type === E.EPOLL_CREATE1_X && u32(ev, 1) & EPOLL_CLOEXEC) f.openFlags = (f.openFlags | O.CLOEXEC) >>> 0;
    ctx.fd = t.addFd(fd, f);
  }

  private parseMemfdCreate(ctx: Ctx): void {
    const ev = ctx.event;
    const t = ctx.thread;
    if (!t) return;
    const fd = retval(ev);
    const f = new FdInfo();
    if (fd >= 0n) {
      f.type = FdType.MEMFD;
      f.name = pstr(ev, 1);
      f.openFlags = u32(ev, 2);
    }
    // libs adds the entry even for a failed call (a negative fd no lookup can find)
    ctx.fd = t.addFd(fd, f);
  }

  private parsePidfdOpen(ctx: Ctx): void {
    const ev = ctx.event;
    const t = ctx.thread;
    if (!t) return;
    const fd = retval(ev);
    if (fd < 0n) return;
    const f = new FdInfo();
    const pid = i64(ev, 1);
    f.type = FdType.PIDFD;
    f.name = `/proc/${pid}`;
    f.openFlags = u32(ev, 2);
    f.pid = pid;
    ctx.fd = t.addFd(fd, f);
  }

  private parsePidfdGetfd(ctx: Ctx): void {
    const ev = ctx.event;
    const t = ctx.thread;
    if (!t) return;
    const fd = retval(ev);
    const pidfd = t.getFd(i64(ev, 1));
    if (!pidfd || !pidfd.isPidfd()) return;
    const target = this.threads.find(pidfd.pid);
    if (!target) return;
    const tfd = target.getFd(i64(ev, 2));
    if (!tfd) return;
    const f = tfd.clone();
    f.clearCloseOnExecBits();
    f.openFlags = (f.openFlags | O.CLOEXEC) >>> 0;
    ctx.fd = t.addFd(fd, f);
  }

  // misc ----------------------------------------------------------------------------------------------

  private parseGetSetRlimit(ctx: Ctx): void {
    const ev = ctx.event;
    const t = ctx.thread;
    if (!t || retval(ev) < 0n) return;
    if (u8(ev, 3) !== RLIMIT_NOFILE) return;
    const cur = i64(ev, 1);
    if (cur === -1n) return;
    const m = t.mainThread();
    if (m) m.fdlimit = cur;
  }

  private parsePrlimit(ctx: Ctx): void {
    const ev = ctx.event;
    if (retval(ev) !== 0n) return;
    if (isEmpty(ev, 6) || u8(ev, 6) !== RLIMIT_NOFILE) return;
    const newcur = i64(ev, 1);
    if (newcur === -1n) return;
    if (isEmpty(ev, 5)) return;
    let tid = i64(ev, 5);
    if (tid === 0n) tid = ev.tid;
    const p = this.threads.get(tid);
    if (p.isInvalid()) return;
    const m = p.mainThread();
    if (m) m.fdlimit = newcur;
  }

  private parseContextSwitch(ctx: Ctx): void {
    const ev = ctx.event;
    const t = ctx.thread;
    if (!t || isEmpty(ev, 5)) return;
    t.pfmajor = u64(ev, 1);
    t.pfminor = u64(ev, 2);
    const m = t.mainThread();
    if (m) {
      m.vmsizeKb = u32(ev, 3);
      m.vmrssKb = u32(ev, 4);
      m.vmswapKb = u32(ev, 5);
    }
  }

  private parseMemoryExit(ctx: Ctx): void {
    const ev = ctx.event;
    const t = ctx.thread;
    if (!t) return;
    if (!isEmpty(ev, 1)) t.vmsizeKb = u32(ev, 1);
    if (!isEmpty(ev, 3)) {
      t.vmrssKb = u32(ev, 2);
      t.vmswapKb = u32(ev, 3);
    }
  }

  private setThreadUser(ctx: Ctx, idx: number): void {
    const t = ctx.thread;
    if (isEmpty(ctx.event, idx) || !t) return;
    t.uid = u32(ctx.event, idx);
    this.users.addUserForThread(t.containerId, t.uid, t.gid);
  }

  private setThreadGroup(ctx: Ctx, idx: number): void {
    const t = ctx.thread;
    if (isEmpty(ctx.event, idx) || !t) return;
    t.gid = u32(ctx.event, idx);
    this.users.addGroupForThread(t.containerId, t.gid);
  }

  private parseChrootExit(ctx: Ctx): void {
    const ev = ctx.event;
    const t = ctx.thread;
    if (!t || retval(ev) !== 0n) return;
    // get_param_as_str: the path, and its resolution against the cwd when relative
    const path = pstr(ev, 1);
    if (path === "<NA>" || path.length === 0 || path.startsWith("/")) t.root = path;
    else t.root = concatenatePaths(t.getCwd(), path);
  }

  private parseUnshareSetns(ctx: Ctx): void {
    const ev = ctx.event;
    const t = ctx.thread;
    if (retval(ev) < 0n || !t) return;
    let flags = 0;
    if (ev.type === E.UNSHARE_X) flags = u32(ev, 1);
    else if (!isEmpty(ev, 2)) flags = u32(ev, 2);
    if ((flags & CL.CLONE_NEWUSER) === 0) return;
    t.capInheritable = MAX_CAPS;
    t.capPermitted = MAX_CAPS;
    t.capEffective = MAX_CAPS;
  }

  private parsePrctlExit(ctx: Ctx): void {
    const ev = ctx.event;
    if (retval(ev) < 0n) return;
    const t = ctx.thread;
    if (!t || t.isInvalid()) return;
    const option = u32(ev, 1);
    if (option !== PR_SET_CHILD_SUBREAPER && option !== PR_GET_CHILD_SUBREAPER) return;
    const arg2 = i64(ev, 3);
    if (t.tginfo) t.tginfo.reaper = arg2 !== 0n;
  }

  // the container plugin -------------------------------------------------------------------------

  private pluginParse(ctx: Ctx): void {
    const ev = ctx.event;
    if (ev.type === E.ASYNCEVENT_E || ev.type === E.CONTAINER_E || ev.type === E.CONTAINER_JSON_E || ev.type === E.CONTAINER_JSON_2_E) {
      this.containers.parseMetaEvent(ev, ctx.num);
      return;
    }
    if (NEW_PROCESS_TYPES.has(ev.type)) {
      if (pint(ev, 0) === undefined || i64(ev, 0) < 0n) return;
      const t = this.threads.find(ev.tid);
      if (t) this.containers.onNewProcess(t);
    }
  }

  // lookups for the field extractors ----------------------------------------------------------------

  /** `is_ipv4addr_in_local_machine`: an interface address, or the container's IP(s). */
  isIpv4Local(addr: Uint8Array, t: ThreadInfo | undefined): boolean {
    const cid = t?.containerId ?? "";
    if (cid !== "") {
      const info = this.containers.containers.get(cid);
      const ip = info?.ip ?? "";
      if (ip !== "") {
        const b = parseDottedIpv4(ip);
        if (b && bytesEqual(b, addr)) return true;
      } else {
        for (const c of this.containers.containers.values()) {
          const b = c.ip !== "" ? parseDottedIpv4(c.ip) : undefined;
          if (b && bytesEqual(b, addr)) return true;
        }
        return false;
      }
    }
    return this.interfaces.hasIpv4(addr);
  }

  /** `is_ipv6addr_in_local_machine`: false inside containers; else same /64 as an interface. */
  isIpv6Local(addr: Uint8Array, t: ThreadInfo | undefined): boolean {
    if ((t?.containerId ?? "") !== "") return false;
    return this.interfaces.hasIpv6(addr);
  }
}

// --- helpers shared with the field extractors -------------------------------------------------------

/**
 * `sinsp_parser::parse_dirfd`: the base directory of a path relative to `dirfd`: "." for an
 * absolute path, the cwd for AT_FDCWD, the dirfd's name with a trailing `/`, or `<UNKNOWN>`.
 */
export function parseDirfd(t: ThreadInfo | undefined, name: string, dirfd: bigint): string {
  if (name.length > 0 && name[0] === "/") return ".";
  if (!t) return "<UNKNOWN>";
  if (dirfd === AT_FDCWD) return t.getCwd();
  const f = t.getFd(dirfd);
  if (!f) return "<UNKNOWN>";
  if (f.name.length === 0 || f.name.endsWith("/")) return f.name;
  return f.name + "/";
}

function padTo(b: Uint8Array, len: number): Uint8Array {
  if (b.length === len) return b;
  const out = new Uint8Array(len);
  out.set(b.subarray(0, len));
  return out;
}

/** `update_ipv4_addresses_and_ports`. */
function setIpv4(f: FdInfo, sip: Uint8Array, sport: number, dip: Uint8Array, dport: number, overwriteDest: boolean): boolean {
  sip = padTo(sip, 4);
  dip = padTo(dip, 4);
  if (f.type === FdType.IPV4_SOCK) {
    const same = bytesEqual(sip, f.v4sip) && sport === f.v4sport && bytesEqual(dip, f.v4dip) && dport === f.v4dport;
    const swapped = bytesEqual(dip, f.v4sip) && dport === f.v4sport && bytesEqual(sip, f.v4dip) && sport === f.v4dport;
    if (same || swapped) return false;
  }
  let changed = false;
  if (!bytesEqual(f.v4sip, sip)) {
    f.setBytes(0, sip);
    changed = true;
  }
  if (f.v4sport !== sport) {
    f.setU16(8, sport);
    changed = true;
  }
  if (isZero(f.v4dip) || (overwriteDest && !bytesEqual(f.v4dip, dip))) {
    f.setBytes(4, dip);
    changed = true;
  }
  if (f.v4dport === 0 || (overwriteDest && f.v4dport !== dport)) {
    f.setU16(10, dport);
    changed = true;
  }
  return changed;
}

/** `set_ipv6_addresses_and_ports`. */
function setIpv6(f: FdInfo, sip: Uint8Array, sport: number, dip: Uint8Array, dport: number, overwriteDest: boolean): boolean {
  sip = padTo(sip, 16);
  dip = padTo(dip, 16);
  if (f.type === FdType.IPV6_SOCK) {
    const same = bytesEqual(sip, f.v6sip) && sport === f.v6sport && bytesEqual(dip, f.v6dip) && dport === f.v6dport;
    const swapped = bytesEqual(dip, f.v6sip) && dport === f.v6sport && bytesEqual(sip, f.v6dip) && sport === f.v6dport;
    if (same || swapped) return false;
  }
  let changed = false;
  if (!bytesEqual(f.v6sip, sip)) {
    f.setBytes(0, sip);
    changed = true;
  }
  if (f.v6sport !== sport) {
    f.setU16(32, sport);
    changed = true;
  }
  if (isZero(f.v6dip) || (overwriteDest && !bytesEqual(f.v6dip, dip))) {
    f.setBytes(16, dip);
    changed = true;
  }
  if (f.v6dport === 0 || (overwriteDest && f.v6dport !== dport)) {
    f.setU16(34, dport);
    changed = true;
  }
  return changed;
}

/** `swap_addresses` (the IPv6 view for anything that is not an IPv4 tuple). */
function swapAddresses(f: FdInfo): void {
  if (f.type === FdType.IPV4_SOCK) f.setIpv4Tuple(f.v4dip, f.v4dport, f.v4sip, f.v4sport);
  else f.setIpv6Tuple(f.v6dip, f.v6dport, f.v6sip, f.v6sport);
}

const hex64 = (v: bigint): string => BigInt.asUintN(64, v).toString(16);

/** `write_sockaddr_param_to_storage`: `ip:port`, `[v6]:port` (no brackets), the unix path, or `family N`. */
export function sockaddrToString(a: SockAddr, l4proto: number): string {
  void l4proto; // only used for service-name resolution, which libs leaves off by default
  switch (a.family) {
    case "unix":
      return a.path;
    case "inet":
      return ipv4ServerToString(padTo(a.addr, 4), a.port);
    case "inet6":
      return ipv6ServerToString(padTo(a.addr, 16), a.port);
    default:
      return `family ${a.code}`;
  }
}

/** `write_socktuple_param_to_storage` of a tuple parameter (`NULL` when empty). */
export function socktupleToString(t: SockTuple): string {
  switch (t.family) {
    case "unix":
      return `${hex64(t.source)}->${hex64(t.dest)} ${t.path}`;
    case "inet":
      return ipv4TupleToString(padTo(t.sip, 4), t.sport, padTo(t.dip, 4), t.dport);
    case "inet6":
      if (isIpv4MappedIpv6(t.sip) && isIpv4MappedIpv6(t.dip)) return ipv4TupleToString(t.sip.subarray(12, 16), t.sport, t.dip.subarray(12, 16), t.dport);
      return ipv6TupleToString(padTo(t.sip, 16), t.sport, padTo(t.dip, 16), t.dport);
    default:
      return `family ${t.code}`;
  }
}

function renderSocktupleParam(ev: ScapEvent, i: number, fd: FdInfo | undefined): string {
  void fd;
  const p = param(ev, i);
  if (p.kind === "empty") return "NULL";
  if (p.kind === "socktuple") return socktupleToString(p.value);
  if (p.kind === "sockaddr") return sockaddrToString(p.value, 0);
  return "";
}

function parseDottedIpv4(s: string): Uint8Array | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const b = m.slice(1).map(Number);
  if (b.some((x) => x > 255)) return undefined;
  return Uint8Array.from(b);
}
