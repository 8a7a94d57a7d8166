// The thread/fd state machine (src/state): synthetic events built with buildEvent, checked against
// the rules of libsinsp's parsers (scap-format spec §6, libs parsers.cpp/threadinfo.cpp), and the
// real captures' documented facts (spec §11, MANIFEST.md).
import { describe, expect, it } from "vitest";
import {
  EVENTS,
  FdType,
  Inspector,
  buildEvent,
  concatenatePaths,
  ipv6ToString,
  readScap,
  type EventContext,
  type EventSpec,
  type ProcessEntry,
  type ScapEvent,
} from "../src/index.js";
import { loadCapture } from "./helpers.js";

const S = 1_000_000_000n;
let clock = 1_700_000_000n * S;
const ev = (type: string, tid: number, named: EventSpec["named"] = {}, extra: Partial<EventSpec> = {}): ScapEvent =>
  buildEvent({ type, tid, ts: (clock += 1000n), named, ...extra });

const ip4 = (s: string): Uint8Array => Uint8Array.from(s.split(".").map(Number));

function proc(p: Partial<ProcessEntry> & { tid: bigint }): ProcessEntry {
  return {
    pid: p.tid,
    ptid: 1n,
    comm: "bash",
    exe: "/bin/bash",
    args: [],
    cwd: "/home/u",
    uid: 1000,
    gid: 1000,
    vtid: p.tid,
    vpid: p.pid ?? p.tid,
    ...p,
  };
}

/** An inspector with init (pid 1) and a bash (pid 100, child of 1) that has a file on fd 3. */
function setup(): Inspector {
  const insp = new Inspector();
  insp.setMachineInfo({ hostname: "box", bootTsEpoch: 5n });
  insp.setUserList({ users: [{ uid: 1000, gid: 1000, name: "u", homedir: "/home/u", shell: "/bin/bash" }], groups: [{ gid: 1000, name: "ug" }] });
  insp.setInterfaces({ ipv4: [{ addr: ip4("127.0.0.1"), netmask: ip4("255.0.0.0"), name: "lo" }, { addr: ip4("10.0.0.5"), netmask: ip4("255.255.255.0"), name: "eth0" }], ipv6: [] });
  insp.addProcess(proc({ tid: 1n, pid: 1n, ptid: 0n, comm: "systemd", exe: "/sbin/init", cwd: "/", uid: 0, gid: 0 }));
  insp.addProcess(proc({ tid: 100n, args: ["-i"], exepath: "/usr/bin/bash", env: ["HOME=/home/u"] }));
  insp.addFd(100n, { fd: 3n, type: FdType.FILE_V2, name: "/etc/passwd", openFlags: 1 });
  insp.addFd(100n, { fd: 4n, type: FdType.FILE_V2, name: "/var/log/x", openFlags: 1 | 4096 });
  return insp;
}

const run = (insp: Inspector, e: ScapEvent): EventContext => {
  const ctx = insp.next(e);
  if (!ctx) throw new Error(`event ${EVENTS[e.type]!.enumName} was not returned`);
  return ctx;
};

describe("concatenatePaths (libs concatenate_paths)", () => {
  it("joins a relative path to a base that ends with a slash", () => {
    expect(concatenatePaths("/home/user/", "file")).toBe("/home/user/file");
    expect(concatenatePaths("/home/user/", "../x")).toBe("/home/x");
    expect(concatenatePaths("/a/", "./b/./c/")).toBe("/a/b/c");
    expect(concatenatePaths("/x/", "..")).toBe("/");
    expect(concatenatePaths("/", "../../etc")).toBe("/etc");
  });
  it("normalises an absolute path alone", () => {
    expect(concatenatePaths("/a/", "/abs//x/")).toBe("/abs/x");
    expect(concatenatePaths("", "/tmp/dir1/dir2/../..///file.txt")).toBe("/tmp/file.txt");
    expect(concatenatePaths("", "/")).toBe("/");
  });
  it("keeps libs' quirks: the base is copied verbatim, an empty path gives an empty result", () => {
    expect(concatenatePaths("/a/b", "c")).toBe("/a/bc");
    expect(concatenatePaths("<UNKNOWN>", "f")).toBe("<UNKNOWN>f");
    expect(concatenatePaths("/a/", "")).toBe("");
    expect(concatenatePaths("", "foo/../a")).toBe("a");
  });
  it("gives up above 1024 bytes", () => {
    expect(concatenatePaths("/" + "a".repeat(600), "/" + "b".repeat(600))).toBe("/DIR_TOO_LONG/FILENAME_TOO_LONG");
  });
});

describe("ipv6ToString (glibc inet_ntop)", () => {
  const v6 = (hex: string): Uint8Array => Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16)));
  // expected strings from glibc's inet_ntop (python3 socket.inet_ntop)
  it.each([
    ["20010db8000000000000000000000003", "2001:db8::3"],
    ["00000000000000000000000000000001", "::1"],
    ["00000000000000000000000000000000", "::"],
    ["00000000000000000000ffff01020304", "::ffff:1.2.3.4"],
    ["00010000000000020000000000000003", "1:0:0:2::3"],
    ["00010000000000020000000000030004", "1::2:0:0:3:4"],
    ["00000000000000000000000001020304", "::1.2.3.4"],
    ["00000000000000000000000100000000", "::1:0:0"],
    ["00000000000000000000ffff00000000", "::ffff:0.0.0.0"],
    ["00010000000000000000000000000000", "1::"],
  ])("%s -> %s", (hex, want) => expect(ipv6ToString(v6(hex))).toBe(want));
});

describe("initial state from the metadata", () => {
  it("builds threads, groups and parent links; cwd only on the main thread, with a trailing slash", () => {
    const insp = setup();
    insp.addProcess(proc({ tid: 101n, pid: 100n, ptid: 1n, cwd: "/elsewhere", flags: 1 /* CLONE_FILES */ }));
    const ctx = run(insp, ev("PPME_SYSCALL_CHDIR_X", 101, { res: 0, path: "sub" }));
    const bash = insp.threads.find(100n)!;
    const thread = insp.threads.find(101n)!;
    expect(ctx.thread).toBe(thread);
    // libs concatenates a non-main thread's own (empty) cwd with the path and stores it on the main thread
    expect(bash.cwd).toBe("sub/");
    expect(thread.getCwd()).toBe("sub/");
    expect(thread.mainThread()).toBe(bash);
    expect(bash.tginfo!.aliveCount).toBe(2);
    expect(insp.threads.find(1n)!.children).toContain(bash);
  });

  it("sets the parent of a thread whose parent is not in the table to 0", () => {
    const insp = setup();
    insp.addProcess(proc({ tid: 300n, ptid: 299n }));
    run(insp, ev("PPME_SYSCALL_CHDIR_X", 300, { res: 0, path: "/" }));
    expect(insp.threads.find(300n)!.ptid).toBe(0n);
    expect(insp.threads.ancestor(insp.threads.find(300n)!, 1)).toBeUndefined();
  });

  it("swaps IPv4 sockets from the fd list whose source port is a listening port", () => {
    const insp = setup();
    insp.addFd(100n, { fd: 5n, type: FdType.IPV4_SERVSOCK, ip: ip4("0.0.0.0"), port: 8080, l4proto: 2 });
    insp.addFd(100n, { fd: 6n, type: FdType.IPV4_SOCK, sip: ip4("10.0.0.5"), sport: 8080, dip: ip4("10.0.0.9"), dport: 51000, l4proto: 2 });
    insp.addFd(100n, { fd: 7n, type: FdType.IPV4_SOCK, sip: ip4("10.0.0.5"), sport: 41000, dip: ip4("10.0.0.9"), dport: 443, l4proto: 2 });
    run(insp, ev("PPME_SYSCALL_CHDIR_X", 100, { res: 0, path: "/" }));
    const t = insp.threads.find(100n)!;
    expect(t.getFd(6n)!.name).toBe("10.0.0.9:51000->10.0.0.5:8080");
    expect(t.getFd(6n)!.isRoleServer()).toBe(true);
    expect(t.getFd(7n)!.name).toBe("10.0.0.5:41000->10.0.0.9:443");
    expect(t.getFd(7n)!.isRoleClient()).toBe(true);
    expect(t.getFd(5n)!.name).toBe("0.0.0.0:8080");
  });
});

describe("evt.num and the events libsinsp hides", () => {
  it("numbers every event it is given, hides the stored enter events and STATE_ONLY events", () => {
    const insp = setup();
    const e1 = insp.next(ev("PPME_SYSCALL_OPEN_E", 100, { name: "/etc/hosts", flags: 1, mode: 0 }));
    const e2 = insp.next(ev("PPME_SYSCALL_OPEN_X", 100, { fd: 5, name: "/etc/hosts", flags: 1, mode: 0 }));
    const e3 = insp.next(ev("PPME_SYSCALL_CLOSE_X", 100, { res: 0, fd: 5 }, { flags: 1 }));
    const e4 = insp.next(ev("PPME_SYSCALL_CHDIR_X", 100, { res: 0, path: "/" }));
    expect(e1).toBeUndefined();
    expect(e2?.num).toBe(2n);
    expect(e3).toBeUndefined();
    expect(e4?.num).toBe(4n);
    expect(insp.numEvents).toBe(4n);
  });

  it("consumes the leading user/group/container events before importing the user list", () => {
    const insp = setup();
    const a = insp.next(ev("PPME_USER_ADDED_E", 0, { uid: 1000, gid: 1000, name: "from-event", home: "/h", shell: "/bin/sh", container_id: "" }));
    const b = insp.next(ev("PPME_GROUP_ADDED_E", 0, { gid: 50, name: "staff", container_id: "" }));
    const c = run(insp, ev("PPME_SYSCALL_CHDIR_X", 100, { res: 0, path: "/" }));
    expect(a).toBeUndefined();
    expect(b).toBeUndefined();
    expect(c.num).toBe(3n);
    // the UL block is imported after the prefix and updates the entry the event created
    expect(insp.users.getUser("", 1000)).toMatchObject({ name: "u", homedir: "/home/u", shell: "/bin/bash" });
    expect(insp.users.getGroup("", 50)?.name).toBe("staff");
    // a later USER_ADDED is an ordinary, returned event
    const d = insp.next(ev("PPME_USER_ADDED_E", 0, { uid: 1001, gid: 1001, name: "v", home: "/v", shell: "/bin/zsh", container_id: "" }));
    expect(d?.num).toBe(4n);
    expect(d?.thread).toBeUndefined();
    expect(insp.users.getUser("", 1001)?.name).toBe("v");
  });

  it("creates a placeholder thread for an unknown tid (pid/ptid -1, comm <NA>, uid none)", () => {
    const insp = setup();
    const ctx = run(insp, ev("PPME_SYSCALL_CHDIR_X", 4242, { res: 0, path: "/tmp" }));
    expect(ctx.thread).toMatchObject({ tid: 4242n, pid: -1n, ptid: -1n, comm: "<NA>", exe: "<NA>", uid: 0xffffffff, gid: 0xffffffff, loginuid: 0xffffffff });
    expect(ctx.thread!.getCwd()).toBe("./");
  });

  it("does not create threads for clone exits, procexit and switch", () => {
    const insp = setup();
    const ctx = run(insp, ev("PPME_PROCEXIT_1_E", 4243, { status: 0, ret: 0, sig: 0, core: 0 }));
    expect(ctx.thread).toBeUndefined();
    expect(insp.threads.find(4243n)).toBeUndefined();
  });
});

describe("processes: clone, execve, procexit", () => {
  const cloneX = (tid: number, res: number, extra: EventSpec["named"] = {}): ScapEvent =>
    ev("PPME_SYSCALL_CLONE_20_X", tid, {
      res,
      exe: "/bin/bash",
      args: ["-i"],
      tid,
      pid: 100,
      ptid: 1,
      cwd: "",
      fdlimit: 1024,
      comm: "bash",
      cgroups: ["cpu=/user.slice"],
      flags: 0,
      uid: 1000,
      gid: 1000,
      vtid: tid,
      vpid: 100,
      ...extra,
    });

  it("creates the child on the caller's exit with the caller's fds, cwd and environment", () => {
    const insp = setup();
    const c = run(insp, cloneX(100, 200));
    expect(c.thread?.tid).toBe(100n);
    const child = insp.threads.find(200n)!;
    expect(child).toMatchObject({ pid: 200n, ptid: 100n, comm: "bash", exe: "/bin/bash", exepath: "/usr/bin/bash", uid: 1000, gid: 1000, fdlimit: 1024n, vtid: 200n, vpid: 200n });
    expect(child.args).toEqual(["-i"]);
    expect(child.getCwd()).toBe("/home/u/");
    expect(child.env).toEqual(["HOME=/home/u"]);
    expect(child.getFd(3n)?.name).toBe("/etc/passwd");
    expect(child.pidnsInitStartTs).toBe(5n);
    expect(insp.threads.find(100n)!.children).toContain(child);
    // the child's own clone exit finds the fresh entry and leaves it
    run(insp, ev("PPME_SYSCALL_CLONE_20_X", 200, { res: 0, exe: "x", args: [], tid: 200, pid: 200, ptid: 100, comm: "other", flags: 0, uid: 0, gid: 0 }));
    expect(insp.threads.find(200n)).toBe(child);
    expect(child.comm).toBe("bash");
  });

  it("creates threads (CLONE_THREAD) sharing the main thread's fd table", () => {
    const insp = setup();
    run(insp, cloneX(100, 150, { flags: 0x2000 | 0x1 | 0x2 /* THREAD|FILES|FS */ }));
    const th = insp.threads.find(150n)!;
    expect(th).toMatchObject({ pid: 100n, ptid: 1n });
    expect(th.mainThread()).toBe(insp.threads.find(100n));
    expect(th.getFd(3n)?.name).toBe("/etc/passwd");
    expect(insp.threads.find(100n)!.tginfo!.aliveCount).toBe(2);
  });

  it("leaves the child to its own event when the clone flags say it is in a new pid namespace", () => {
    const insp = setup();
    run(insp, cloneX(100, 201, { flags: 1 << 29 /* CHILD_IN_PIDNS */ }));
    expect(insp.threads.find(201n)).toBeUndefined();
    const c = run(insp, ev("PPME_SYSCALL_CLONE_20_X", 201, { res: 0, exe: "/pause", args: [], tid: 201, pid: 201, ptid: 100, comm: "pause", flags: 1 << 29, uid: 0, gid: 0, vtid: 1, vpid: 1, pidns_init_start_ts: 7 }));
    expect(c.thread).toMatchObject({ tid: 201n, pid: 201n, ptid: 100n, comm: "pause", vtid: 1n, vpid: 1n, pidnsInitStartTs: 12n });
    expect(c.thread!.flags & (1 << 16)).not.toBe(0); // CLONE_INVERTED
  });

  it("execve: new image, exepath from the stored enter event, close-on-exec fds dropped", () => {
    const insp = setup();
    run(insp, cloneX(100, 200));
    expect(insp.next(ev("PPME_SYSCALL_EXECVE_19_E", 200, { filename: "bin/cat" }))).toBeUndefined();
    const x = run(insp, ev("PPME_SYSCALL_EXECVE_19_X", 200, { res: 0, exe: "cat", args: ["/dev/null"], tid: 200, pid: 200, ptid: 100, cwd: "/ignored", fdlimit: 4096, comm: "cat", env: ["A=1", "B=2"] }));
    const t = x.thread!;
    expect(t).toMatchObject({ comm: "cat", exe: "cat", exepath: "/home/u/bin/cat", fdlimit: 4096n });
    expect(t.commandLine()).toBe("cat /dev/null");
    expect(t.env).toEqual(["A=1", "B=2"]);
    expect(t.getCwd()).toBe("/home/u/");
    expect(t.getFd(3n)?.name).toBe("/etc/passwd");
    expect(t.getFd(4n)).toBeUndefined(); // O_CLOEXEC
    expect(t.pgid).toBe(-1n);
  });

  it("execve without an enter event keeps the inherited exepath; a failed one changes nothing", () => {
    const insp = setup();
    run(insp, cloneX(100, 200));
    run(insp, ev("PPME_SYSCALL_EXECVE_19_X", 200, { res: -2, exe: "nope", args: [], comm: "nope" }));
    expect(insp.threads.find(200n)!.comm).toBe("bash");
    run(insp, ev("PPME_SYSCALL_EXECVE_19_X", 200, { res: 0, exe: "ls", args: [], tid: 200, pid: 200, ptid: 100, comm: "ls" }));
    expect(insp.threads.find(200n)).toMatchObject({ comm: "ls", exepath: "/usr/bin/bash" });
    run(insp, ev("PPME_SYSCALL_EXECVE_19_X", 200, { res: 0, exe: "ls", args: [], tid: 200, pid: 200, ptid: 100, comm: "ls", trusted_exepath: "/usr/bin/ls" }));
    expect(insp.threads.find(200n)!.exepath).toBe("/usr/bin/ls");
  });

  it("execve of a placeholder thread takes pid and ptid from the event, cwd stays empty", () => {
    const insp = setup();
    run(insp, ev("PPME_SYSCALL_CHDIR_X", 500, { res: -2, path: "/x" }));
    const x = run(insp, ev("PPME_SYSCALL_EXECVE_19_X", 500, { res: 0, exe: "curl", args: ["-6"], tid: 500, pid: 500, ptid: 100, cwd: "/home/ubuntu", comm: "curl" }));
    expect(x.thread).toMatchObject({ pid: 500n, ptid: 100n, comm: "curl", uid: 0xffffffff });
    expect(x.thread!.getCwd()).toBe("");
    expect(insp.threads.ancestor(x.thread!, 1)?.comm).toBe("bash");
  });

  it("procexit keeps the thread for its own event and removes it before the next one", () => {
    const insp = setup();
    run(insp, cloneX(100, 200));
    const p = run(insp, ev("PPME_PROCEXIT_1_E", 200, { status: 0, ret: 0, sig: 0, core: 0 }));
    expect(p.thread?.comm).toBe("bash");
    expect(insp.threads.find(200n)).toBeDefined();
    run(insp, ev("PPME_SYSCALL_CHDIR_X", 100, { res: 0, path: "/" }));
    expect(insp.threads.find(200n)).toBeUndefined();
    // a caller's late clone exit for the recently exited child does not add it back
    run(insp, cloneX(100, 200));
    expect(insp.threads.find(200n)).toBeUndefined();
  });

  it("reparents the children of an exiting process to the reaper it names", () => {
    const insp = setup();
    run(insp, cloneX(100, 200));
    run(insp, ev("PPME_SYSCALL_CLONE_20_X", 200, { res: 210, exe: "sh", args: [], tid: 200, pid: 200, ptid: 100, comm: "sh", flags: 0, uid: 0, gid: 0, vtid: 200, vpid: 200 }));
    run(insp, ev("PPME_PROCEXIT_1_E", 200, { status: 0, ret: 0, sig: 0, core: 0, reaper_tid: 1 }));
    run(insp, ev("PPME_SYSCALL_CHDIR_X", 210, { res: 0, path: "/" }));
    expect(insp.threads.find(210n)!.ptid).toBe(1n);
  });
});

describe("fd state", () => {
  it("open: the enter event's name wins (TOCTOU), relative paths join the cwd", () => {
    const insp = setup();
    insp.next(ev("PPME_SYSCALL_OPEN_E", 100, { name: "notes.txt", flags: 1, mode: 0 }));
    const x = run(insp, ev("PPME_SYSCALL_OPEN_X", 100, { fd: 5, name: "/etc/shadow", flags: 1 | (1 << 14), mode: 0 }));
    expect(x.fd?.name).toBe("/home/u/notes.txt");
    expect(x.fd?.nameRaw).toBe("notes.txt");
    expect(x.fd?.openFlags).toBe(1 | (1 << 14));
    expect(x.thread!.lastEventFd).toBe(5n);
    const d = run(insp, ev("PPME_SYSCALL_OPEN_X", 100, { fd: 6, name: "/tmp", flags: 1 | 1024, mode: 0 }));
    expect(d.fd?.type).toBe(FdType.DIRECTORY);
    const failed = run(insp, ev("PPME_SYSCALL_OPEN_X", 100, { fd: -2, name: "/nope", flags: 1, mode: 0 }));
    expect(failed.fd).toBeUndefined();
  });

  it("openat: relative to the dirfd's path, to the cwd with AT_FDCWD, <UNKNOWN> otherwise", () => {
    const insp = setup();
    run(insp, ev("PPME_SYSCALL_OPEN_X", 100, { fd: 7, name: "/srv/data/", flags: 1024, mode: 0 }));
    expect(run(insp, ev("PPME_SYSCALL_OPENAT_2_X", 100, { fd: 8, dirfd: 7, name: "a/../b.txt", flags: 1, mode: 0 })).fd?.name).toBe("/srv/data/b.txt");
    expect(run(insp, ev("PPME_SYSCALL_OPENAT_2_X", 100, { fd: 9, dirfd: -100, name: "c.txt", flags: 1, mode: 0 })).fd?.name).toBe("/home/u/c.txt");
    expect(run(insp, ev("PPME_SYSCALL_OPENAT_2_X", 100, { fd: 10, dirfd: 55, name: "d.txt", flags: 1, mode: 0 })).fd?.name).toBe("<UNKNOWN>d.txt");
    expect(run(insp, ev("PPME_SYSCALL_OPENAT_2_X", 100, { fd: 11, dirfd: 55, name: "/abs", flags: 1, mode: 0 })).fd?.name).toBe("/abs");
  });

  it("close: the fd still resolves on the close event and is gone at the next one", () => {
    const insp = setup();
    const c = run(insp, ev("PPME_SYSCALL_CLOSE_X", 100, { res: 0, fd: 3 }));
    expect(c.fd?.name).toBe("/etc/passwd");
    expect(insp.threads.find(100n)!.getFd(3n)).toBeDefined();
    run(insp, ev("PPME_SYSCALL_CHDIR_X", 100, { res: 0, path: "/" }));
    expect(insp.threads.find(100n)!.getFd(3n)).toBeUndefined();
  });

  it("dup2/dup3 copy the entry; pipe2 adds both ends; fcntl F_DUPFD copies", () => {
    const insp = setup();
    const d = run(insp, ev("PPME_SYSCALL_DUP2_X", 100, { res: 1, oldfd: 4, newfd: 1 }));
    expect(d.fd?.name).toBe("/var/log/x");
    expect(d.fd?.isCloseOnExec()).toBe(false);
    expect(d.thread!.flags & (1 << 21)).not.toBe(0); // PIPE_SRC
    const d3 = run(insp, ev("PPME_SYSCALL_DUP3_X", 100, { res: 9, oldfd: 3, newfd: 9, flags: 4096 }));
    expect(d3.fd?.isCloseOnExec()).toBe(true);
    const p = run(insp, ev("PPME_SYSCALL_PIPE2_X", 100, { res: 0, fd1: 20, fd2: 21, ino: 77, flags: 0 }));
    expect(p.thread!.getFd(20n)?.type).toBe(FdType.FIFO);
    expect(p.thread!.getFd(21n)?.ino).toBe(77n);
    const f = run(insp, ev("PPME_SYSCALL_FCNTL_X", 100, { res: 12, fd: 3, cmd: 1, arg: 0 }));
    expect(f.thread!.getFd(12n)?.name).toBe("/etc/passwd");
  });

  it("socket + connect: a client TCP socket named after the tuple", () => {
    const insp = setup();
    const s = run(insp, ev("PPME_SOCKET_SOCKET_X", 100, { fd: 5, domain: 2, type: 1, proto: 0, flags: 0 }));
    expect(s.fd?.type).toBe(FdType.IPV4_SOCK);
    expect(s.fd?.name).toBe("");
    expect(insp.next(ev("PPME_SOCKET_CONNECT_E", 100, { fd: 5, addr: { family: "inet", addr: ip4("10.0.0.9"), port: 80 } }))).toBeUndefined();
    const c = run(insp, ev("PPME_SOCKET_CONNECT_X", 100, { res: 0, tuple: { family: "inet", sip: ip4("10.0.0.5"), sport: 40000, dip: ip4("10.0.0.9"), dport: 80 }, fd: 5, addr: { family: "inet", addr: ip4("10.0.0.9"), port: 80 } }));
    expect(c.fd?.name).toBe("10.0.0.5:40000->10.0.0.9:80");
    expect(c.fd?.isRoleClient()).toBe(true);
    expect(c.fd?.l4proto()).toBe(2);
    expect(c.fd?.isSocketConnected()).toBe(true);
  });

  it("connect takes the destination from the enter event when the exit address matches the tuple (TOCTOU)", () => {
    const insp = setup();
    run(insp, ev("PPME_SOCKET_SOCKET_X", 100, { fd: 5, domain: 2, type: 2, proto: 0, flags: 0 }));
    insp.next(ev("PPME_SOCKET_CONNECT_E", 100, { fd: 5, addr: { family: "inet", addr: ip4("1.1.1.1"), port: 53 } }));
    const c = run(insp, ev("PPME_SOCKET_CONNECT_X", 100, { res: 0, tuple: { family: "inet", sip: ip4("10.0.0.5"), sport: 5353, dip: ip4("8.8.8.8"), dport: 53 }, fd: 5, addr: { family: "inet", addr: ip4("8.8.8.8"), port: 53 } }));
    expect(c.fd?.name).toBe("10.0.0.5:5353->1.1.1.1:53");
  });

  it("bind turns the socket into a server socket; accept adds a server-role connection", () => {
    const insp = setup();
    run(insp, ev("PPME_SOCKET_SOCKET_X", 100, { fd: 5, domain: 2, type: 1, proto: 6, flags: 0 }));
    const b = run(insp, ev("PPME_SOCKET_BIND_X", 100, { res: 0, addr: { family: "inet", addr: ip4("0.0.0.0"), port: 8080 }, fd: 5 }));
    expect(b.fd?.type).toBe(FdType.IPV4_SERVSOCK);
    expect(b.fd?.name).toBe("0.0.0.0:8080");
    expect(b.fd?.v4srvPort).toBe(8080);
    expect(b.fd?.isRoleServer()).toBe(true);
    const a = run(insp, ev("PPME_SOCKET_ACCEPT_5_X", 100, { fd: 6, tuple: { family: "inet", sip: ip4("10.0.0.9"), sport: 51000, dip: ip4("10.0.0.5"), dport: 8080 }, queuepct: 0, queuelen: 0, queuemax: 0 }));
    expect(a.fd?.name).toBe("10.0.0.9:51000->10.0.0.5:8080");
    expect(a.fd?.isRoleServer()).toBe(true);
    expect(a.thread!.lastEventFd).toBe(6n);
  });

  it("a sendto on an unknown fd creates a UDP socket from the tuple", () => {
    const insp = setup();
    const s = run(insp, ev("PPME_SOCKET_SENDTO_X", 100, { res: 10, data: "hello", fd: 9, size: 10, tuple: { family: "inet", sip: ip4("10.0.0.5"), sport: 4000, dip: ip4("10.0.0.7"), dport: 53 } }));
    expect(s.fd?.type).toBe(FdType.IPV4_SOCK);
    expect(s.fd?.l4proto()).toBe(3);
    expect(s.fd?.name).toBe("10.0.0.5:4000->10.0.0.7:53");
    expect(s.fd?.isRoleClient()).toBe(true);
  });

  it("chdir joins the cwd; fchdir takes the fd's name", () => {
    const insp = setup();
    run(insp, ev("PPME_SYSCALL_CHDIR_X", 100, { res: 0, path: "../tmp" }));
    expect(insp.threads.find(100n)!.getCwd()).toBe("/home/tmp/");
    run(insp, ev("PPME_SYSCALL_OPEN_X", 100, { fd: 7, name: "/srv", flags: 1024, mode: 0 }));
    run(insp, buildEvent({ type: "PPME_SYSCALL_FCHDIR_X", tid: 100, named: { res: 0, fd: 7 } }));
    expect(insp.threads.find(100n)!.getCwd()).toBe("/srv/");
  });
});

describe("concatenated sections", () => {
  it("a new section drops the threads and interfaces and keeps the event counter", () => {
    const insp = setup();
    run(insp, ev("PPME_SYSCALL_CHDIR_X", 100, { res: 0, path: "/" }));
    insp.newSection();
    insp.addProcess(proc({ tid: 600n, ptid: 1n, comm: "zsh" }));
    const c = run(insp, ev("PPME_SYSCALL_CHDIR_X", 600, { res: 0, path: "/" }));
    expect(c.num).toBe(2n);
    expect(insp.threads.find(100n)).toBeUndefined();
    expect(c.thread?.comm).toBe("zsh");
  });
});

describe("containers (the container plugin on a capture)", () => {
  const id = "6979".padEnd(64, "ab");
  it("computes container ids from cgroups at the start and on execve; metadata comes from the container events", () => {
    const insp = setup();
    insp.addProcess(proc({ tid: 700n, ptid: 100n, cgroups: ["cpuset=/", `cpu=/docker/${id}`] }));
    insp.next(ev("PPME_CONTAINER_JSON_2_E", -1, { json: JSON.stringify({ container: { id: id.slice(0, 12), name: "web", image: "nginx:1", type: 0, labels: { "io.kubernetes.pod.name": "p" } } }) }));
    run(insp, ev("PPME_SYSCALL_CHDIR_X", 700, { res: 0, path: "/" }));
    expect(insp.threads.find(700n)!.containerId).toBe(id.slice(0, 12));
    expect(insp.threads.find(100n)!.containerId).toBe("");
    expect(insp.containers.containers.get(id.slice(0, 12))?.name).toBe("web");
    run(insp, ev("PPME_SYSCALL_EXECVE_19_X", 100, { res: 0, exe: "sh", args: [], tid: 100, pid: 100, ptid: 1, comm: "sh", cgroups: [`cpu=/system.slice/docker-${id}.scope`] }));
    expect(insp.threads.find(100n)!.containerId).toBe(id.slice(0, 12));
  });
  it("rejects runc ids that are not 64 hex characters", () => {
    const insp = new Inspector();
    // shorter ids are the containerd matcher's (a /<namespace>/<id> path not ending in .service/.slice/.scope)
    expect(insp.containers.matchCgroup("/docker/abc").id).toBe("abc");
    expect(insp.containers.matchCgroup("/system.slice/abc.scope").id).toBe("");
    expect(insp.containers.matchCgroup("/user.slice/user-1000.slice/session-2.scope").id).toBe("");
    expect(insp.containers.matchCgroup("/kubepods/besteffort/pod1/" + id).id).toBe(id.slice(0, 12));
    // the containerd matcher comes before lxc: "/lxc/mybox/init" is its (namespace "lxc")
    expect(insp.containers.matchCgroup("/lxc/mybox/init").id).toBe("mybox/init");
    expect(insp.containers.matchCgroup("/lxc.payload.mybox").id).toBe("mybox");
    expect(insp.containers.matchCgroup("/default/redis-1").id).toBe("redis-1");
  });
});

// --- real captures -----------------------------------------------------------------------------------

/** Replays a capture; `each` sees every returned context while it is current (contexts are live). */
function replay(rel: string, each?: (c: EventContext) => void): { insp: Inspector; out: bigint[] } {
  const cap = readScap(loadCapture(rel));
  const insp = new Inspector();
  const out: bigint[] = [];
  for (const rec of cap.records) {
    const ctx = insp.feed(rec);
    if (ctx) {
      out.push(ctx.num);
      each?.(ctx);
    }
  }
  return { insp, out };
}

describe("real captures (spec §11)", () => {
  // numbered / returned events as libsinsp + sinsp-example counted them (spec §11 table)
  const counts: [string, number, number][] = [
    ["libs/curl_google.scap", 991, 939],
    ["libs/curl_google_comments.scap", 991, 939],
    ["libs/single_ipv6_conn.scap", 1717, 1714],
    ["libs/test_ipv6_client.scap", 297, 293],
    ["libs/sample.scap", 485, 390],
    ["falco/empty-2016.scap", 83, 80],
    ["falco/cat_write.scap", 307, 303],
    ["falco/connect_localhost.scap", 371, 370],
    ["falco/empty.scap", 143, 143],
    ["falco/open-multiple-files.scap", 1243, 1227],
    ["falco/ping_sendto.scap", 1516, 1516],
    ["falco/syscall.scap", 366, 362],
    ["falco/psp/privileged.scap", 2059, 2059],
    ["falco/psp/run_as_user_0_container.scap", 2795, 2784],
    ["falco/psp/run_as_user_65534_container.scap", 241, 239],
    ["falco/psp/write_tmp_test.scap", 229, 227],
  ];
  for (const [file, numbered, returned] of counts) {
    it(`${file}: ${numbered} numbered events, ${returned} returned`, () => {
      const { insp, out } = replay(file);
      expect(insp.numEvents).toBe(BigInt(numbered));
      expect(out).toHaveLength(returned);
      // numbers are strictly increasing and never above the count
      for (let i = 1; i < out.length; i++) expect(out[i]! > out[i - 1]!).toBe(true);
    });
  }

  it("sample.scap: the initial USER/GROUP_ADDED prefix is consumed, the first returned event is #96", () => {
    const { out } = replay("libs/sample.scap");
    expect(out[0]).toBe(96n);
  });

  it("cat_write.scap: cat opens /dev/null; its command line is `cat /dev/null`", () => {
    const opens: { exit: boolean; cmdline: string; fd: string | undefined; path: string }[] = [];
    replay("falco/cat_write.scap", (c) => {
      if (c.thread?.comm !== "cat" || EVENTS[c.event.type]!.name !== "open") return;
      const p = c.event.param(1);
      opens.push({ exit: c.event.type % 2 === 1, cmdline: c.thread.commandLine(), fd: c.fd?.name, path: p.kind === "string" ? p.value : "?" });
    });
    expect(opens.length).toBeGreaterThan(0);
    for (const o of opens) {
      expect(o.exit).toBe(true); // open> is hidden
      expect(o.cmdline).toBe("cat /dev/null");
      // the fd is named after the (absolute) path of the event
      expect(o.fd).toBe(o.path);
    }
    expect(opens.map((o) => o.fd)).toContain("/dev/null");
    expect(opens.map((o) => o.fd)).toContain("/etc/ld.so.cache");
  });

  it("connect_localhost.scap: the connect names its socket after its tuple, 127.0.0.1:port->127.0.0.1:port", () => {
    const names: [string | undefined, string][] = [];
    replay("falco/connect_localhost.scap", (c) => {
      if (EVENTS[c.event.type]!.name !== "connect" || c.event.type % 2 !== 1) return;
      const t = c.event.param(1);
      if (t.kind !== "socktuple" || t.value.family !== "inet") return;
      const { sip, sport, dip, dport } = t.value;
      names.push([c.fd?.name, `${sip.join(".")}:${sport}->${dip.join(".")}:${dport}`]);
    });
    expect(names.length).toBeGreaterThan(0);
    for (const [got, want] of names) {
      expect(got).toBe(want);
      expect(got).toMatch(/^127\.0\.0\.1:\d+->127\.0\.0\.1:\d+$/);
    }
  });

  it("curl_google.scap: curl's IPv6 UDP connect to 2001:4860:4860::8888:53; curl's cwd is empty", () => {
    const cap = readScap(loadCapture("libs/curl_google.scap"));
    const insp = new Inspector();
    let seen: { name: string; l4: number; sport: number; dport: number; comm: string; cwd: string } | undefined;
    for (const rec of cap.records) {
      const c = insp.feed(rec);
      // the context is live: read it before the next event
      if (c && !seen && c.fd?.name.endsWith("->2001:4860:4860::8888:53")) {
        seen = { name: c.fd.name, l4: c.fd.l4proto(), sport: c.fd.v6sport, dport: c.fd.v6dport, comm: c.thread!.comm, cwd: c.thread!.getCwd() };
      }
    }
    expect(seen).toBeDefined();
    expect(seen!.name).toMatch(/^2600:.*:d29e:40251->2001:4860:4860::8888:53$/);
    expect(seen).toMatchObject({ l4: 3, sport: 40251, dport: 53, comm: "curl", cwd: "" });
  });

  it("run_as_user_0_container.scap: ls runs in container 697956520d89 with tty 34816", () => {
    let ls: { cid: string; tty: number; loginuid: number; image: string | undefined } | undefined;
    replay("falco/psp/run_as_user_0_container.scap", (c) => {
      if (ls || c.thread?.comm !== "ls" || EVENTS[c.event.type]!.name !== "execve") return;
      const t = c.thread;
      ls = { cid: t.containerId, tty: t.tty, loginuid: t.loginuid, image: c.inspector.containers.containers.get(t.containerId)?.image };
    });
    expect(ls).toMatchObject({ cid: "697956520d89", tty: 34816, loginuid: 0xffffffff });
    expect(ls!.image).toContain("nginx");
  });
});
