/**
 * libsinsp's unit-test fixture `sinsp_with_test_input` (userspace/libsinsp/test/sinsp_with_test_input.cpp
 * and helpers/threads_helpers.h, libs 0.25.4) rebuilt on falcokit's Inspector: the same process table,
 * the same events with the same parameters, timestamps and cpu, so a condition of a libs test can be
 * evaluated against the event libs evaluated it on.
 */
import { FdType, Inspector, ThreadFlag, buildEvent, type EventContext, type ParamInput, type ProcessEntry, type SockAddr } from "@falcokit/scap";

export const INIT_TID = 1n;
export const INIT_PID = 1n;
export const INIT_PTID = 0n;

/** libs' PPM_* values used by the tests (driver/ppm_events_public.h). */
export const PPM = {
  O_NONE: 0,
  O_RDONLY: 1,
  O_RDWR: 3,
  O_CREAT: 4,
  AF_INET: 2,
  SOCK_STREAM: 1,
  CL_CLONE_NEWPID: ThreadFlag.CLONE_NEWPID,
  CL_CLONE_PARENT: ThreadFlag.CLONE_PARENT,
  CL_CLONE_THREAD: ThreadFlag.CLONE_THREAD,
  CL_CHILD_IN_PIDNS: ThreadFlag.CHILD_IN_PIDNS,
} as const;

/** test_utils.h defaults. */
export const DEFAULTS = {
  ipv4Client: "172.40.111.222",
  ipv4Server: "142.251.111.147",
  ipv6Client: "::1",
  ipv6Server: "2001:4860:4860::8888",
  clientPort: 54321,
  serverPort: 443,
  /** socket_params / open_params default fd. */
  fd: 4n,
} as const;

export function ipv4(text: string): Uint8Array {
  return Uint8Array.from(text.split(".").map(Number));
}

/** An IPv6 address in its textual form (with at most one `::`, no embedded IPv4). */
export function ipv6(text: string): Uint8Array {
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const words = (s: string | undefined): number[] => (s ? s.split(":").map((w) => parseInt(w, 16)) : []);
  const h = words(head);
  const t = words(tail);
  const all = tail === undefined ? h : [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  const out = new Uint8Array(16);
  all.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

export function inetAddr(addr: string, port: number): SockAddr {
  return addr.includes(":") ? { family: "inet6", addr: ipv6(addr), port } : { family: "inet", addr: ipv4(addr), port };
}

/**
 * One libs test's inspector. `add` is `add_event_advance_ts`: the event goes through the state
 * machine and its context is returned (undefined when libs would not return the event either, as
 * for the enter events current libs only parse).
 */
export class LibsTestInput {
  readonly inspector = new Inspector();
  /** `m_test_timestamp`. */
  private ts = 1566230400000000000n;

  /** `increasing_ts()`: 10 ms steps. */
  increasingTs(): bigint {
    const t = this.ts;
    this.ts += 10_000_000n;
    return t;
  }

  /** `create_threadinfo` with the defaults of sinsp_with_test_input.h. */
  addThread(p: { tid: bigint; pid: bigint; ptid: bigint; vpgid: bigint; vtid: bigint; vpid: bigint; comm: string; exe: string; exepath: string; args: string[]; env: string[]; cwd: string }): void {
    this.increasingTs(); // clone_ts
    const entry: ProcessEntry = {
      tid: p.tid,
      pid: p.pid,
      ptid: p.ptid,
      sid: 0n,
      vpgid: p.vpgid,
      comm: p.comm,
      exe: p.exe,
      exepath: p.exepath,
      args: p.args,
      cwd: p.cwd,
      fdlimit: 0x100000n,
      flags: 0,
      uid: 0,
      gid: 0,
      vmsizeKb: 10000,
      vmrssKb: 100,
      vmswapKb: 0,
      pfmajor: 222n,
      pfminor: 22n,
      env: p.env,
      vtid: p.vtid,
      vpid: p.vpid,
      cgroups: [],
      root: "/",
      tty: 0,
      loginuid: 0xffffffff,
      exeWritable: true,
      capPermitted: 0x1ffffffffffn,
      capInheritable: 0n,
      capEffective: 0x1ffffffffffn,
    };
    this.inspector.addProcess(entry);
  }

  /** `add_default_init_thread()`: init (tid 1) with /dev/null on fd 0. */
  addDefaultInitThread(): void {
    this.addThread({
      tid: 1n,
      pid: 1n,
      ptid: 0n,
      vpgid: 1n,
      vtid: 1n,
      vpid: 1n,
      comm: "init",
      exe: "/sbin/init",
      exepath: "/sbin/init",
      args: ["context", "ls", "--format", "{{json .}}"],
      env: ["TEST_ENV_PARENT_LINEAGE=secret", "HOME=/home/user/parent"],
      cwd: "/root/",
    });
    this.inspector.addFd(1n, { fd: 0n, ino: 5n, type: FdType.FILE_V2, openFlags: PPM.O_RDONLY, dev: 0, name: "/dev/null" });
  }

  /** `add_event_advance_ts(increasing_ts(), tid, type, n, params...)`. */
  add(type: string, tid: bigint | number, params: readonly ParamInput[]): EventContext | undefined {
    // the test input engine sends every event from device (cpu) 1
    return this.inspector.next(buildEvent({ type, tid: BigInt(tid), ts: this.increasingTs(), cpu: 1, params }));
  }

  /** `add_event_advance_ts`, for an event libs returns. */
  addReturned(type: string, tid: bigint | number, params: readonly ParamInput[]): EventContext {
    const ctx = this.add(type, tid, params);
    if (!ctx) throw new Error(`${type} was not returned by the inspector`);
    return ctx;
  }

  /** `add_filtered_event_advance_ts`: libs parses the event but does not return it. */
  addFiltered(type: string, tid: bigint | number, params: readonly ParamInput[]): void {
    if (this.add(type, tid, params)) throw new Error(`${type} was returned while libs filters it out`);
  }

  // --- the generators of sinsp_with_test_input.cpp -----------------------------------------------------

  generateGetcwdFailedEntryEvent(tid: bigint = INIT_TID): EventContext {
    return this.addReturned("PPME_SYSCALL_GETCWD_X", tid, [-1n, "/test/dir"]);
  }

  generateOpenXEvent(p: { fd?: bigint; path?: string; flags?: number; mode?: number; dev?: number; ino?: bigint } = {}, tid: bigint = INIT_TID): EventContext {
    return this.addReturned("PPME_SYSCALL_OPEN_X", tid, [p.fd ?? 4n, p.path ?? "/home/file.txt", p.flags ?? 0, p.mode ?? 0, p.dev ?? 0, p.ino ?? 0n]);
  }

  generateSocketExitEvent(p: { fd?: bigint; domain?: number; type?: number } = {}, tid: bigint = INIT_TID): EventContext {
    return this.addReturned("PPME_SOCKET_SOCKET_X", tid, [p.fd ?? DEFAULTS.fd, p.domain ?? PPM.AF_INET, p.type ?? PPM.SOCK_STREAM, 0, 0]);
  }

  /** A PPME_SOCKET_CONNECT_X of `fd` from client to server (test_utils' pack_socktuple / pack_sockaddr). */
  connectExit(client: SockAddr & { family: "inet" | "inet6" }, server: SockAddr & { family: "inet" | "inet6" }, fd: bigint = DEFAULTS.fd, tid: bigint = INIT_TID): EventContext {
    const tuple = { family: client.family, sip: client.addr, sport: client.port, dip: server.addr, dport: server.port };
    return this.addReturned("PPME_SOCKET_CONNECT_X", tid, [0n, tuple, fd, server]);
  }

  /** `generate_clone_x_event` (PPME_SYSCALL_CLONE_20_X). */
  generateCloneXEvent(retval: bigint, tid: bigint, pid: bigint, ppid: bigint, flags = 0, vtid = 0n, vpid = 0n, name = "bash"): EventContext | undefined {
    if (vtid === 0n) vtid = tid;
    if (vpid === 0n) vpid = pid;
    return this.add("PPME_SYSCALL_CLONE_20_X", tid, [retval, name, new Uint8Array(0), tid, pid, ppid, "", 0n, 0n, 0n, 0, 0, 0, name, new Uint8Array(0), flags, 0, 0, vtid, vpid, 0n]);
  }

  /** `generate_execve_enter_and_exit_event` (only the exit event, as in libs). */
  generateExecveEnterAndExitEvent(retval: bigint, _oldTid: bigint, newTid: bigint, pid: bigint, ppid: bigint, pathname = "/bin/test-exe", comm = "test-exe", resolvedKernelPath = "/bin/test-exe", pgid = 0n): EventContext {
    const empty = new Uint8Array(0);
    return this.addReturned("PPME_SYSCALL_EXECVE_19_X", newTid, [
      retval,
      pathname,
      empty,
      newTid,
      pid,
      ppid,
      "",
      0n,
      0n,
      0n,
      0,
      0,
      0,
      comm,
      empty,
      empty,
      0,
      0n,
      0,
      0,
      0n,
      0n,
      0n,
      0n,
      0n,
      0n,
      0,
      resolvedKernelPath,
      pgid,
      0,
      pathname,
    ]);
  }

  /** `generate_proc_exit_event` (PPME_PROCEXIT_1_E). */
  generateProcExitEvent(tidToRemove: bigint, reaperTid: bigint): EventContext | undefined {
    return this.add("PPME_PROCEXIT_1_E", tidToRemove, [0n, -1n, 0, 0, reaperTid]);
  }

  /**
   * threads_helpers.h's DEFAULT_TREE (after add_default_init_thread and open_inspector):
   * init(1) -> p1 (2, thread 6) -> p2 (25, CLONE_PARENT: child of init; threads 23, 24) -> p3 (72)
   * -> p4 (76, new pid ns; thread 79) -> p5 (82 from 79; thread 84) -> p6 (87 from 84).
   */
  defaultTree(): { p6_t1: { tid: bigint; pid: bigint; ptid: bigint } } {
    this.addDefaultInitThread();
    const p1t1 = 2n;
    this.generateCloneXEvent(p1t1, INIT_TID, INIT_PID, INIT_PTID);
    const p1t2 = 6n;
    this.generateCloneXEvent(p1t2, p1t1, p1t1, INIT_TID, PPM.CL_CLONE_THREAD);
    const p2t1 = 25n;
    this.generateCloneXEvent(p2t1, p1t2, p1t1, INIT_TID, PPM.CL_CLONE_PARENT);
    this.generateCloneXEvent(0n, p2t1, p2t1, INIT_TID, PPM.CL_CLONE_PARENT);
    const p2t2 = 23n;
    this.generateCloneXEvent(p2t2, p2t1, p2t1, INIT_TID, PPM.CL_CLONE_THREAD);
    const p2t3 = 24n;
    this.generateCloneXEvent(p2t3, p2t2, p2t1, INIT_TID, PPM.CL_CLONE_THREAD);
    const p3t1 = 72n;
    this.generateCloneXEvent(p3t1, p2t1, p2t1, INIT_TID);
    const p4t1 = 76n;
    this.generateCloneXEvent(p4t1, p3t1, p3t1, p2t1, PPM.CL_CLONE_NEWPID);
    this.generateCloneXEvent(0n, p4t1, p4t1, p3t1, PPM.CL_CHILD_IN_PIDNS, 1n, 1n);
    const p4t2 = 79n;
    this.generateCloneXEvent(0n, p4t2, p4t1, p3t1, PPM.CL_CLONE_THREAD | PPM.CL_CHILD_IN_PIDNS, 2n, 1n);
    const p5t1 = 82n;
    this.generateCloneXEvent(0n, p5t1, p5t1, p4t2, PPM.CL_CHILD_IN_PIDNS, 10n, 10n);
    const p5t2 = 84n;
    this.generateCloneXEvent(0n, p5t2, p5t1, p4t2, PPM.CL_CHILD_IN_PIDNS, 12n, 10n);
    const p6t1 = 87n;
    this.generateCloneXEvent(0n, p6t1, p6t1, p5t2, PPM.CL_CHILD_IN_PIDNS, 17n, 17n);
    return { p6_t1: { tid: p6t1, pid: p6t1, ptid: p5t2 } };
  }
}
