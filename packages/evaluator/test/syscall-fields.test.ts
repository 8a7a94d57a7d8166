// Syscall field extraction (src/syscall) over the scap state machine: synthetic events built with
// buildEvent (expected values from libs' filterchecks and the scap-format spec §7-8) and the real
// captures' documented facts (spec §11, MANIFEST.md).
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { defaultCatalogs, type FieldType } from "@falcokit/fields";
import { EVENTS, FdType, Inspector, buildEvent, readScap, type EventContext, type EventSpec, type ProcessEntry, type ScapEvent } from "@falcokit/scap";
import { extractSyscallField, syscallCompareValues, formatG } from "../src/syscall/index.js";
import type { Extracted } from "../src/value.js";

const CAPTURES = "/work/shared/corpus/captures/";
const S = 1_000_000_000n;
/** 2023-11-14 22:13:20 UTC. */
const T0 = 1_700_000_000n * S;
let clock = T0;
const ev = (type: string, tid: number, named: EventSpec["named"] = {}, extra: Partial<EventSpec> = {}): ScapEvent =>
  buildEvent({ type, tid, ts: (clock += S), named, ...extra });
const ip4 = (s: string): Uint8Array => Uint8Array.from(s.split(".").map(Number));

function proc(p: Partial<ProcessEntry> & { tid: bigint }): ProcessEntry {
  return { pid: p.tid, ptid: 1n, comm: "bash", exe: "/bin/bash", args: [], cwd: "/home/u", uid: 1000, gid: 1000, vtid: p.tid, vpid: p.pid ?? p.tid, ...p };
}

/** init(1) -> sshd(50) -> bash(100, tty 34816, fd 3 = /etc/passwd); users u(1000), root in the UL. */
function setup(): Inspector {
  clock = T0;
  const insp = new Inspector();
  insp.setMachineInfo({ hostname: "box", bootTsEpoch: 0n });
  insp.setUserList({
    users: [
      { uid: 1000, gid: 1000, name: "u", homedir: "/home/u", shell: "/bin/bash" },
      { uid: 33, gid: 33, name: "www-data", homedir: "/var/www", shell: "/usr/sbin/nologin" },
    ],
    groups: [{ gid: 1000, name: "ug" }],
  });
  insp.setInterfaces({ ipv4: [{ addr: ip4("127.0.0.1"), netmask: ip4("255.0.0.0"), name: "lo" }, { addr: ip4("10.0.0.5"), netmask: ip4("255.255.255.0"), name: "eth0" }], ipv6: [] });
  insp.addProcess(proc({ tid: 1n, ptid: 0n, comm: "systemd", exe: "/sbin/init", args: ["--system"], cwd: "/", uid: 0, gid: 0 }));
  insp.addProcess(proc({ tid: 50n, ptid: 1n, comm: "sshd", exe: "/usr/sbin/sshd", args: ["-D"], cwd: "/", uid: 0, gid: 0 }));
  insp.addProcess(proc({ tid: 100n, ptid: 50n, args: ["-i"], exepath: "/usr/bin/bash", env: ["HOME=/home/u", "TERM=xterm"], tty: 34816, sid: 100n, cgroups: ["cpu=/user.slice", "memory=/user.slice/user-1000.slice/session-2.scope"], loginuid: 1000 }));
  insp.addFd(100n, { fd: 3n, type: FdType.FILE_V2, name: "/etc/passwd", openFlags: 1 });
  return insp;
}

type Get = (name: string, arg?: string) => Extracted;
/** Feeds an event and returns an extractor over its (live) context. */
function feed(insp: Inspector, e: ScapEvent): Get & { ctx: EventContext } {
  const ctx = insp.next(e);
  if (!ctx) throw new Error(`${EVENTS[e.type]!.enumName} was not returned`);
  const get = ((name: string, arg?: string) => extractSyscallField(ctx, name, arg)) as Get & { ctx: EventContext };
  get.ctx = ctx;
  return get;
}

describe("evt.* fields", () => {
  it("numbers, names, directions and times of events", () => {
    const insp = setup();
    const g = feed(insp, ev("PPME_SYSCALL_OPEN_X", 100, { fd: 5, name: "/etc/hosts", flags: 4097, mode: 0 }));
    expect(g("evt.num")).toBe(1n);
    expect(g("evt.type")).toBe("open");
    expect(g("syscall.type")).toBe("open");
    expect(g("evt.dir")).toBe("<");
    expect(g("evt.rawtime")).toBe(T0 + S);
    expect(g("evt.rawtime.s")).toBe(1_700_000_001n);
    expect(g("evt.time")).toBe("22:13:21.000000000");
    expect(g("evt.time.s")).toBe("22:13:21");
    expect(g("evt.datetime")).toBe("2023-11-14 22:13:21.000000000");
    expect(g("evt.time.iso8601")).toBe("2023-11-14T22:13:21.000000000+0000");
    expect(g("evt.reltime")).toBe(0n);
    expect(g("evt.hostname")).toBe("box");
    expect(g("evt.source")).toBe("syscall");
    expect(g("evt.is_async")).toBe(false);
    expect(g("evt.cpu")).toBe(0n);
    expect(g("evt.category")).toBe("file");
    expect(g("evt.type.is", "open")).toBe(1n);
    expect(g("evt.type.is", "close")).toBe(0n);
    const g2 = feed(insp, ev("PPME_SYSCALL_CLOSE_X", 100, { res: 0, fd: 5 }));
    expect(g2("evt.reltime")).toBe(S);
    expect(g2("evt.category")).toBe("file"); // EC_IO_OTHER narrowed by the fd
  });

  it("the generic syscall event is named by its ppm_sc, or by the native x86_64 number", () => {
    const insp = setup();
    // native syscall 10 on x86_64 is mprotect (spec §7: uninstrumented syscalls show as mprotect...)
    const g = feed(insp, ev("PPME_GENERIC_X", 100, { ID: 0, nativeID: 10 }));
    expect(g("evt.type")).toBe("mprotect");
    expect(g("evt.args")).toBe("");
    expect(g("evt.res")).toBeUndefined(); // syscall< has no return value
    expect(g("evt.failed")).toBeUndefined();
  });

  it("results: SUCCESS or the errno name, the raw value, failed", () => {
    const insp = setup();
    const ok = feed(insp, ev("PPME_SYSCALL_OPEN_X", 100, { fd: 5, name: "/etc/hosts", flags: 1, mode: 0 }));
    expect(ok("evt.res")).toBe("SUCCESS");
    expect(ok("evt.rawres")).toBe(5n);
    expect(ok("evt.failed")).toBe(false);
    expect(ok("evt.count.error")).toBe(0n);
    const ko = feed(insp, ev("PPME_SYSCALL_OPEN_X", 100, { fd: -2, name: "/nope", flags: 1, mode: 0 }));
    expect(ko("evt.res")).toBe("ENOENT");
    expect(ko("evt.rawres")).toBe(-2n);
    expect(ko("evt.failed")).toBe(true);
    expect(ko("evt.count.error.file")).toBe(1n);
    expect(ko("evt.count.error.net")).toBeUndefined();
    const enter = feed(insp, ev("PPME_PROCEXIT_1_E", 100, { status: 0, ret: 0, sig: 0, core: 0 }));
    expect(enter("evt.dir")).toBe(">");
    expect(enter("evt.res")).toBeUndefined();
    expect(enter("evt.count.exit")).toBeUndefined();
  });

  it("arguments: resolved renderings, raw values, indexes, evt.args", () => {
    const insp = setup();
    const g = feed(insp, ev("PPME_SYSCALL_OPEN_X", 100, { fd: 5, name: "/etc/hosts", flags: 4097, mode: 0o644 }));
    expect(g("evt.arg", "fd")).toBe("<f>/etc/hosts");
    expect(g("evt.arg", "0")).toBe("<f>/etc/hosts");
    expect(g("evt.arg", "flags")).toBe("O_RDONLY|O_CLOEXEC");
    expect(g("evt.arg", "mode")).toBe("0644");
    expect(g("evt.arg", "dev")).toBe("<NA>");
    expect(g("evt.arg", "nosuch")).toBeUndefined();
    expect(g("evt.arg", "9")).toBeUndefined();
    expect(g("evt.rawarg", "flags")).toBe(4097n);
    expect(g("evt.rawarg", "name")).toBe("/etc/hosts");
    expect(g("evt.rawarg", "dev")).toBeUndefined();
    expect(g("evt.args")).toBe("fd=5(<f>/etc/hosts) name=/etc/hosts flags=4097(O_RDONLY|O_CLOEXEC) mode=0644 dev=<NA> ino=<NA>");
    const ko = feed(insp, ev("PPME_SYSCALL_OPEN_X", 100, { fd: -13, name: "x", flags: 2, mode: 0 }));
    expect(ko("evt.arg", "fd")).toBe("EACCES");
    expect(ko("evt.arg", "name")).toBe("/home/u/x");
    const at = feed(insp, ev("PPME_SYSCALL_OPENAT_2_X", 100, { fd: -2, dirfd: -100, name: "y", flags: 1, mode: 0 }));
    expect(at("evt.arg", "dirfd")).toBe("AT_FDCWD");
    expect(at("evt.arg", "name")).toBe("/home/u/y");
  });

  it("open flags: is_open_read/write/create/exec", () => {
    const insp = setup();
    const w = feed(insp, ev("PPME_SYSCALL_OPENAT_2_X", 100, { fd: 6, dirfd: -100, name: "/tmp/t", flags: 2 | 4 | (1 << 14), mode: 0o755 }));
    expect(w("evt.is_open_read")).toBe(false);
    expect(w("evt.is_open_write")).toBe(true);
    expect(w("evt.is_open_create")).toBe(true);
    expect(w("evt.is_open_exec")).toBe(true);
    const r = feed(insp, ev("PPME_SYSCALL_OPEN_X", 100, { fd: 7, name: "/etc/hosts", flags: 1, mode: 0 }));
    expect(r("evt.is_open_read")).toBe(true);
    expect(r("evt.is_open_exec")).toBe(false);
    const c = feed(insp, ev("PPME_SYSCALL_CHDIR_X", 100, { res: 0, path: "/" }));
    expect(c("evt.is_open_read")).toBe(false);
  });

  it("I/O: buffers, lengths, directions", () => {
    const insp = setup();
    const g = feed(insp, ev("PPME_SYSCALL_READ_X", 100, { res: 5, data: "root:", fd: 3, size: 4096 }));
    expect(g("evt.buffer")).toEqual(new TextEncoder().encode("root:"));
    expect(g("evt.buflen")).toBe(5n);
    expect(g("evt.is_io")).toBe(true);
    expect(g("evt.is_io_read")).toBe(true);
    expect(g("evt.is_io_write")).toBe(false);
    expect(g("evt.io_dir")).toBe("read");
    expect(g("evt.category")).toBe("file");
    expect(g("evt.arg", "data")).toBe("root:");
  });
});

describe("proc.*, thread.* fields", () => {
  it("the process, its parents and ancestors", () => {
    const insp = setup();
    const g = feed(insp, ev("PPME_SYSCALL_CHDIR_X", 100, { res: 0, path: "/tmp" }));
    expect(g("proc.name")).toBe("bash");
    expect(g("proc.exe")).toBe("/bin/bash");
    expect(g("proc.exepath")).toBe("/usr/bin/bash");
    expect(g("proc.args")).toBe("-i");
    expect(g("proc.args", "0")).toBe("-i");
    expect(g("proc.args", "3")).toBe("");
    expect(g("proc.cmdline")).toBe("bash -i");
    expect(g("proc.exeline")).toBe("/bin/bash -i");
    expect(g("proc.cmdnargs")).toBe(1n);
    expect(g("proc.cmdlenargs")).toBe(2n);
    expect(g("proc.pid")).toBe(100n);
    expect(g("thread.tid")).toBe(100n);
    expect(g("thread.ismain")).toBe(true);
    expect(g("proc.ppid")).toBe(50n);
    expect(g("proc.pname")).toBe("sshd");
    expect(g("proc.pcmdline")).toBe("sshd -D");
    expect(g("proc.pexe")).toBe("/usr/sbin/sshd");
    expect(g("proc.aname", "0")).toBe("bash");
    expect(g("proc.aname", "1")).toBe("sshd");
    expect(g("proc.aname", "2")).toBe("systemd");
    expect(g("proc.aname", "3")).toBeUndefined();
    expect(g("proc.aname")).toBe("sshd systemd");
    expect(g("proc.apid")).toBe(100n);
    expect(g("proc.apid", "2")).toBe(1n);
    expect(g("proc.acmdline", "1")).toBe("sshd -D");
    expect(g("proc.cwd")).toBe("/tmp/");
    expect(g("proc.tty")).toBe(34816n);
    expect(g("proc.sid")).toBe(100n);
    expect(g("proc.vpid")).toBe(100n);
    expect(g("proc.env")).toBe("HOME=/home/u TERM=xterm");
    expect(g("proc.env", "TERM")).toBe("xterm");
    expect(g("proc.env", "NOPE")).toBe("");
    expect(g("thread.cgroups")).toBe("cpu=/user.slice memory=/user.slice/user-1000.slice/session-2.scope");
    expect(g("thread.cgroup", "memory")).toBe("/user.slice/user-1000.slice/session-2.scope");
    expect(g("thread.cgroup", "blkio")).toBeUndefined();
    expect(g("proc.nthreads")).toBe(1n);
    expect(g("proc.nchilds")).toBe(0n);
    expect(g("proc.fdopencount")).toBe(1n);
    expect(g("proc.loginshellid")).toBe(100n);
    expect(g("proc.stdin.type")).toBeUndefined();
    // unindexed ancestor fields compare against every parent (not the process itself)
    expect(syscallCompareValues(g.ctx, "proc.aname")).toEqual({ values: ["sshd", "systemd"], neAll: false, exists: true });
    expect(syscallCompareValues(g.ctx, "proc.apid")?.values).toEqual([50n, 1n]);
    expect(syscallCompareValues(g.ctx, "proc.aname", "1")).toBeUndefined();
  });

  it("a clone child, then its execve", () => {
    const insp = setup();
    feed(insp, ev("PPME_SYSCALL_CLONE_20_X", 100, { res: 200, exe: "/bin/bash", args: ["-i"], tid: 100, pid: 100, ptid: 50, comm: "bash", fdlimit: 1024, flags: 0, uid: 1000, gid: 1000, vtid: 100, vpid: 100 }));
    expect(insp.next(ev("PPME_SYSCALL_EXECVE_19_E", 200, { filename: "/usr/bin/cat" }))).toBeUndefined();
    const g = feed(insp, ev("PPME_SYSCALL_EXECVE_19_X", 200, { res: 0, exe: "cat", args: ["/etc/passwd"], tid: 200, pid: 200, ptid: 100, comm: "cat", fdlimit: 1024 }));
    expect(g("evt.num")).toBe(3n);
    expect(g("proc.name")).toBe("cat");
    expect(g("proc.cmdline")).toBe("cat /etc/passwd");
    expect(g("proc.exepath")).toBe("/usr/bin/cat");
    expect(g("proc.pname")).toBe("bash");
    expect(g("proc.aname", "2")).toBe("sshd");
    expect(g("proc.tty")).toBe(34816n);
    expect(g("user.name")).toBe("u");
    expect(g("proc.duration")).toBe(2n * S);
    expect(g("proc.pid.ts")).toBe(T0 + S);
  });

  it("a placeholder thread: pid -1, comm <NA>, cwd ./, no parent", () => {
    const insp = setup();
    const g = feed(insp, ev("PPME_SYSCALL_CHDIR_X", 777, { res: -2, path: "/x" }));
    expect(g("proc.pid")).toBe(-1n);
    expect(g("proc.name")).toBe("<NA>");
    expect(g("proc.exe")).toBe("<NA>");
    expect(g("proc.cwd")).toBe("./");
    expect(g("proc.ppid")).toBeUndefined();
    expect(g("proc.pname")).toBeUndefined();
    expect(g("proc.aname")).toBeUndefined();
    expect(g("user.uid")).toBe(4294967295n);
    expect(g("user.name")).toBe("<NA>");
    expect(g("user.loginuid")).toBe(-1n);
    expect(g("group.name")).toBe("<NA>");
    expect(g("thread.tid")).toBe(777n);
  });
});

describe("user.*, group.*", () => {
  it("names from the user list, root without an entry", () => {
    const insp = setup();
    const u = feed(insp, ev("PPME_SYSCALL_CHDIR_X", 100, { res: 0, path: "/" }));
    expect(u("user.uid")).toBe(1000n);
    expect(u("user.name")).toBe("u");
    expect(u("user.homedir")).toBe("/home/u");
    expect(u("user.shell")).toBe("/bin/bash");
    expect(u("user.loginuid")).toBe(1000n);
    expect(u("user.loginname")).toBe("u");
    expect(u("group.gid")).toBe(1000n);
    expect(u("group.name")).toBe("ug");
    const r = feed(insp, ev("PPME_SYSCALL_CHDIR_X", 50, { res: 0, path: "/" }));
    expect(r("user.name")).toBe("root");
    expect(r("user.homedir")).toBe("/root");
    expect(r("group.name")).toBe("root");
    const s = feed(insp, ev("PPME_SYSCALL_SETUID_X", 100, { res: 0, uid: 33 }));
    expect(s("user.name")).toBe("www-data");
    expect(s("evt.arg", "uid")).toBe("www-data");
  });
});

describe("fd.* fields", () => {
  it("files: name, directory, filename, type", () => {
    const insp = setup();
    const g = feed(insp, ev("PPME_SYSCALL_READ_X", 100, { res: 5, data: "root:", fd: 3, size: 4096 }));
    expect(g("fd.num")).toBe(3n);
    expect(g("fd.name")).toBe("/etc/passwd");
    expect(g("fd.directory")).toBe("/etc");
    expect(g("fd.filename")).toBe("passwd");
    expect(g("fd.type")).toBe("file");
    expect(g("fd.typechar")).toBe("f");
    expect(g("fd.types")).toEqual(["file"]);
    expect(g("fd.sockfamily")).toBeUndefined();
    expect(g("fd.l4proto")).toBe("<NA>");
    expect(g("fd.cip")).toBeUndefined();
    expect(g("fd.uid")).toBe("1003");
    expect(g("fd.containername")).toBe(":/etc/passwd");
    expect(syscallCompareValues(g.ctx, "fd.ip")).toEqual({ values: [], neAll: true, exists: true });
  });

  it("events without an fd give no fd.* value", () => {
    const insp = setup();
    const g = feed(insp, ev("PPME_SYSCALL_CHDIR_X", 100, { res: 0, path: "/" }));
    expect(g("fd.name")).toBeUndefined();
    expect(g("fd.num")).toBeUndefined();
    expect(g("fd.typechar")).toBeUndefined();
  });

  it("a failed open names the fd from the event; the type char comes from the event type", () => {
    const insp = setup();
    const o = feed(insp, ev("PPME_SYSCALL_OPEN_X", 100, { fd: -2, name: "missing.txt", flags: 1, mode: 0 }));
    expect(o("fd.name")).toBe("/home/u/missing.txt");
    expect(o("fd.directory")).toBe("/home/u");
    expect(o("fd.filename")).toBeUndefined();
    expect(o("fd.typechar")).toBe("o");
    expect(o("fd.type")).toBeUndefined();
    expect(o("fd.num")).toBe(-1n);
    const at = feed(insp, ev("PPME_SYSCALL_OPENAT_2_X", 100, { fd: -2, dirfd: -100, name: "sub/f", flags: 1, mode: 0 }));
    expect(at("fd.name")).toBe("/home/u/sub/f");
    expect(at("fd.nameraw")).toBe("sub/f");
    expect(at("fd.typechar")).toBe("f");
  });

  it("fd.name of a closed fd on its close event", () => {
    const insp = setup();
    const c = feed(insp, ev("PPME_SYSCALL_CLOSE_X", 100, { res: 0, fd: 3 }));
    expect(c("fd.name")).toBe("/etc/passwd");
    const n = feed(insp, ev("PPME_SYSCALL_READ_X", 100, { res: -9, data: null, fd: 3, size: 10 }));
    expect(n("fd.name")).toBe("");
    expect(n("fd.typechar")).toBe("o");
  });

  it("an outgoing TCP connection: tuple, client/server, local/remote ends", () => {
    const insp = setup();
    feed(insp, ev("PPME_SOCKET_SOCKET_X", 100, { fd: 5, domain: 2, type: 1, proto: 0, flags: 0 }));
    const g = feed(insp, ev("PPME_SOCKET_CONNECT_X", 100, { res: 0, tuple: { family: "inet", sip: ip4("10.0.0.5"), sport: 40000, dip: ip4("93.184.216.34"), dport: 443 }, fd: 5, addr: { family: "inet", addr: ip4("93.184.216.34"), port: 443 } }));
    expect(g("fd.name")).toBe("10.0.0.5:40000->93.184.216.34:443");
    expect(g("fd.type")).toBe("ipv4");
    expect(g("fd.typechar")).toBe("4");
    expect(g("fd.sockfamily")).toBe("ip");
    expect(g("fd.l4proto")).toBe("tcp");
    expect(g("fd.cip")).toEqual(ip4("10.0.0.5"));
    expect(g("fd.sip")).toEqual(ip4("93.184.216.34"));
    expect(g("fd.cport")).toBe(40000n);
    expect(g("fd.sport")).toBe(443n);
    expect(g("fd.lip")).toEqual(ip4("10.0.0.5"));
    expect(g("fd.rip")).toEqual(ip4("93.184.216.34"));
    expect(g("fd.lport")).toBe(40000n);
    expect(g("fd.rport")).toBe(443n);
    expect(g("fd.snet")).toEqual(ip4("93.184.216.34"));
    expect(g("fd.sproto")).toBe("443");
    expect(g("fd.is_server")).toBe(false);
    expect(g("fd.connected")).toBe(true);
    expect(g("evt.arg", "fd")).toBe("<4t>10.0.0.5:40000->93.184.216.34:443");
    expect(g("evt.arg", "tuple")).toBe("10.0.0.5:40000->93.184.216.34:443");
    expect(g("evt.arg", "addr")).toBe("93.184.216.34:443");
    expect(g("evt.category")).toBe("net");
    expect(syscallCompareValues(g.ctx, "fd.port")).toEqual({ values: [40000n, 443n], neAll: true, exists: true });
    expect(syscallCompareValues(g.ctx, "fd.ip")?.values).toEqual([ip4("10.0.0.5"), ip4("93.184.216.34")]);
  });

  it("a listening socket and an accepted connection", () => {
    const insp = setup();
    feed(insp, ev("PPME_SOCKET_SOCKET_X", 100, { fd: 5, domain: 2, type: 1, proto: 0, flags: 0 }));
    const b = feed(insp, ev("PPME_SOCKET_BIND_X", 100, { res: 0, addr: { family: "inet", addr: ip4("0.0.0.0"), port: 8080 }, fd: 5 }));
    expect(b("fd.name")).toBe("0.0.0.0:8080");
    expect(b("fd.sport")).toBe(8080n);
    expect(b("fd.sip")).toEqual(ip4("0.0.0.0"));
    expect(b("fd.cport")).toBeUndefined();
    expect(b("fd.is_server")).toBe(true);
    expect(b("fd.l4proto")).toBe("tcp");
    const a = feed(insp, ev("PPME_SOCKET_ACCEPT_5_X", 100, { fd: 6, tuple: { family: "inet", sip: ip4("10.0.0.9"), sport: 51000, dip: ip4("10.0.0.5"), dport: 8080 }, queuepct: 0, queuelen: 0, queuemax: 0 }));
    expect(a("fd.num")).toBe(6n);
    expect(a("fd.name")).toBe("10.0.0.9:51000->10.0.0.5:8080");
    expect(a("fd.cip")).toEqual(ip4("10.0.0.9"));
    expect(a("fd.lip")).toEqual(ip4("10.0.0.5"));
    expect(a("fd.rip")).toEqual(ip4("10.0.0.9"));
    expect(a("fd.lport")).toBe(8080n);
    expect(a("fd.is_server")).toBe(true);
  });

  it("unix sockets and pipes", () => {
    const insp = setup();
    feed(insp, ev("PPME_SOCKET_SOCKET_X", 100, { fd: 5, domain: 1, type: 1, proto: 0, flags: 0 }));
    const c = feed(insp, ev("PPME_SOCKET_CONNECT_X", 100, { res: 0, tuple: { family: "unix", source: 0xffff9c0123450000n, dest: 0xffff9c0123460000n, path: "/run/docker.sock" }, fd: 5, addr: { family: "unix", path: "/run/docker.sock" } }));
    expect(c("fd.name")).toBe("ffff9c0123450000->ffff9c0123460000 /run/docker.sock");
    expect(c("fd.type")).toBe("unix");
    expect(c("fd.typechar")).toBe("u");
    expect(c("fd.sockfamily")).toBe("unix");
    expect(c("evt.category")).toBe("net");
    const p = feed(insp, ev("PPME_SYSCALL_PIPE2_X", 100, { res: 0, fd1: 8, fd2: 9, ino: 1, flags: 0 }));
    expect(p("fd.type")).toBe("pipe");
    expect(p("fd.num")).toBe(9n);
  });
});

describe("fs.path.* and evt.abspath", () => {
  it("paths of successful path syscalls, made absolute against the cwd or the dirfd", () => {
    const insp = setup();
    feed(insp, ev("PPME_SYSCALL_OPEN_X", 100, { fd: 7, name: "/srv", flags: 1024, mode: 0 }));
    const m = feed(insp, ev("PPME_SYSCALL_MKDIRAT_X", 100, { res: 0, dirfd: 7, path: "new", mode: 0o755 }));
    expect(m("fs.path.name")).toBe("/srv/new");
    expect(m("fs.path.nameraw")).toBe("new");
    expect(m("evt.abspath")).toBe("/srv/new");
    const u = feed(insp, ev("PPME_SYSCALL_UNLINKAT_2_X", 100, { res: -2, dirfd: -100, name: "gone", flags: 0 }));
    expect(u("fs.path.name")).toBeUndefined();
    const r = feed(insp, ev("PPME_SYSCALL_RENAMEAT2_X", 100, { res: 0, olddirfd: -100, oldpath: "a", newdirfd: -100, newpath: "/tmp/b", flags: 0 }));
    expect(r("fs.path.source")).toBe("/home/u/a");
    expect(r("fs.path.target")).toBe("/tmp/b");
    expect(r("fs.path.name")).toBeUndefined();
    expect(r("evt.abspath", "src")).toBe("/home/u/a");
    expect(r("evt.abspath", "dst")).toBe("/tmp/b");
    const o = feed(insp, ev("PPME_SYSCALL_OPEN_X", 100, { fd: 8, name: "notes", flags: 1, mode: 0 }));
    expect(o("fs.path.name")).toBe("/home/u/notes");
  });
});

describe("container.* and k8s.*", () => {
  const id = "697956520d891b5cb0e215093970c733549a3f745f52263c05b37f8a488994f3";
  it("host threads are the `host` container; container threads get their metadata from container events", () => {
    const insp = setup();
    insp.addProcess(proc({ tid: 900n, ptid: 1n, comm: "nginx", cgroups: [`cpu=/docker/${id}`], uid: 33, gid: 33 }));
    insp.addProcess(proc({ tid: 901n, ptid: 1n, comm: "pause", cgroups: [`cpu=/kubepods/pod1/${"ab".repeat(32)}`] }));
    const json = { container: { id: id.slice(0, 12), full_id: id, name: "web", image: "nginx:latest", imagerepo: "nginx", imagetag: "latest", type: 0, privileged: true, ip: "172.17.0.2", labels: { "io.kubernetes.pod.name": "web-1", "io.kubernetes.pod.namespace": "prod", app: "web", "annotation.x": "y" }, Mounts: [{ Source: "/var/run", Destination: "/run", Mode: "", RW: true, Propagation: "rprivate" }] } };
    expect(insp.next(ev("PPME_CONTAINER_JSON_2_E", 0, { json: JSON.stringify(json) }))).toBeUndefined();
    const h = feed(insp, ev("PPME_SYSCALL_CHDIR_X", 100, { res: 0, path: "/" }));
    expect(h("container.id")).toBe("host");
    expect(h("container.name")).toBe("host");
    expect(h("container.type")).toBe("host");
    expect(h("container.image")).toBe("");
    expect(h("k8s.pod.name")).toBeUndefined();
    const c = feed(insp, ev("PPME_SYSCALL_CHDIR_X", 900, { res: 0, path: "/" }));
    expect(c("container.id")).toBe("697956520d89");
    expect(c("container.full_id")).toBe(id);
    expect(c("container.name")).toBe("web");
    expect(c("container.image")).toBe("nginx:latest");
    expect(c("container.image.repository")).toBe("nginx");
    expect(c("container.image.tag")).toBe("latest");
    expect(c("container.type")).toBe("docker");
    expect(c("container.privileged")).toBe(true);
    expect(c("container.ip")).toBe("172.17.0.2");
    expect(c("container.label", "app")).toBe("web");
    expect(c("container.labels")).toBe("app:web");
    expect(c("container.mounts")).toBe("/var/run:/run::true:rprivate");
    expect(c("container.mount.dest", "0")).toBe("/run");
    expect(c("container.mount.source", "/run")).toBe("/var/run");
    expect(c("k8s.pod.name")).toBe("web-1");
    expect(c("k8s.ns.name")).toBe("prod");
    expect(c("k8s.pod.uid")).toBeUndefined();
    expect(c("k8s.rc.name")).toBeUndefined();
    // uid 33 is www-data on the host, but container threads look users up in their container's namespace
    expect(c("user.name")).toBe("<NA>");
    // a container without metadata: only its id
    const p = feed(insp, ev("PPME_SYSCALL_CHDIR_X", 901, { res: 0, path: "/" }));
    expect(p("container.id")).toBe("abababababab");
    expect(p("container.name")).toBeUndefined();
  });
});

describe("every catalog field extracts a value of its type", () => {
  const catalog = defaultCatalogs().get("syscall")!;
  const classes = new Set(["evt", "process", "user", "group", "fd", "fs.path", "fdlist", "util", "container (plugin)"]);
  const fields = catalog.classes.filter((c) => classes.has(c.name) || (c.plugin === "container")).flatMap((c) => c.fields);
  const typeOk = (t: FieldType, v: unknown): boolean => {
    switch (t) {
      case "CHARBUF":
      case "FSPATH":
      case "FSRELPATH":
        return typeof v === "string";
      case "BOOL":
        return typeof v === "boolean";
      case "DOUBLE":
        return typeof v === "number";
      case "BYTEBUF":
      case "IPADDR":
      case "IPV4ADDR":
      case "IPV6ADDR":
      case "IPNET":
      case "IPV4NET":
      case "IPV6NET":
        return v instanceof Uint8Array;
      case "DYNAMIC":
        return true;
      default:
        return typeof v === "bigint";
    }
  };
  const args: Record<string, string> = {
    "evt.arg": "fd",
    "evt.rawarg": "fd",
    "evt.type.is": "open",
    "evt.around": "1",
    "evt.abspath": "src",
    "thread.cgroup": "cpu",
    "container.mount": "0",
    "container.mount.source": "0",
    "container.mount.dest": "0",
    "container.mount.mode": "0",
    "container.mount.rdwr": "0",
    "container.mount.propagation": "0",
    "container.label": "app",
    "k8s.pod.label": "app",
    "k8s.rc.label": "app",
    "k8s.svc.label": "app",
    "k8s.ns.label": "app",
    "k8s.rs.label": "app",
    "k8s.deployment.label": "app",
  };
  it(`extracts all ${fields.length} fields on socket, file, process and meta events`, () => {
    const insp = setup();
    const events = [
      ev("PPME_SOCKET_SOCKET_X", 100, { fd: 5, domain: 2, type: 1, proto: 0, flags: 0 }),
      ev("PPME_SOCKET_CONNECT_X", 100, { res: 0, tuple: { family: "inet", sip: ip4("10.0.0.5"), sport: 40000, dip: ip4("10.0.0.9"), dport: 443 }, fd: 5, addr: null }),
      ev("PPME_SYSCALL_READ_X", 100, { res: 5, data: "abcde", fd: 3, size: 10 }),
      ev("PPME_SYSCALL_OPEN_X", 100, { fd: -2, name: "x", flags: 1, mode: 0 }),
      ev("PPME_SYSCALL_POLL_X", 100, { res: 1, fds: { kind: "fdlist", value: [{ fd: 3n, flags: 1 }] }, timeout: 0 }),
      ev("PPME_PROCEXIT_1_E", 100, { status: 0, ret: 0, sig: 0, core: 0 }),
      ev("PPME_USER_ADDED_E", 0, { uid: 1, gid: 1, name: "d", home: "/", shell: "/bin/sh", container_id: "" }),
    ];
    let checked = 0;
    for (const e of events) {
      const ctx = insp.next(e)!;
      for (const f of fields) {
        const v = extractSyscallField(ctx, f.name, f.arg.required ? args[f.name] ?? "0" : undefined);
        if (v === undefined) continue;
        const vals = Array.isArray(v) ? v : [v];
        for (const x of vals) expect(typeOk(f.type, x), `${f.name} (${f.type}) gave ${String(x)}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(fields.length);
  });
});

describe("rendering helpers", () => {
  it("formats doubles as C's %g", () => {
    expect(formatG(1)).toBe("1");
    expect(formatG(0.0015)).toBe("0.0015");
    expect(formatG(0.123456789)).toBe("0.123457");
    expect(formatG(1234567)).toBe("1.23457e+06");
    expect(formatG(0.00001)).toBe("1e-05");
  });
});

// --- real captures -------------------------------------------------------------------------------

function replayFields(rel: string, fields: readonly [string, string?][], keep: (get: (n: string, a?: string) => Extracted) => boolean): Extracted[][] {
  const raw = readFileSync(CAPTURES + rel);
  const bytes = raw[0] === 0x1f ? new Uint8Array(gunzipSync(raw)) : new Uint8Array(raw);
  const insp = new Inspector();
  const out: Extracted[][] = [];
  for (const rec of readScap(bytes).records) {
    const ctx = insp.feed(rec);
    if (!ctx) continue;
    const get = (n: string, a?: string): Extracted => extractSyscallField(ctx, n, a);
    if (keep(get)) out.push(fields.map(([n, a]) => get(n, a)));
  }
  return out;
}

describe("real captures", () => {
  it("cat_write.scap: the opens of cat, with fd.name, proc.cmdline `cat /dev/null` (spec §11)", () => {
    const rows = replayFields("falco/cat_write.scap", [["evt.type"], ["fd.name"], ["proc.cmdline"], ["evt.arg", "flags"], ["fd.directory"], ["fd.filename"], ["evt.dir"]], (g) => g("proc.name") === "cat" && g("evt.type") === "open");
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r[0]).toBe("open");
      expect(r[2]).toBe("cat /dev/null");
      expect(r[6]).toBe("<");
    }
    expect(rows.map((r) => r[1])).toContain("/dev/null");
    // spec §11: open< of /etc/ld.so.cache, flags 4097 (O_RDONLY|O_CLOEXEC), directory /etc, filename ld.so.cache
    const cache = rows.find((r) => r[1] === "/etc/ld.so.cache")!;
    expect(cache[3]).toBe("O_RDONLY|O_CLOEXEC");
    expect(cache[4]).toBe("/etc");
    expect(cache[5]).toBe("ld.so.cache");
  });

  it("connect_localhost.scap: fd.name like 127.0.0.1:port->127.0.0.1:port on the connect", () => {
    const rows = replayFields("falco/connect_localhost.scap", [["fd.name"], ["fd.cip"], ["fd.sip"], ["fd.l4proto"]], (g) => g("evt.type") === "connect");
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r[0]).toMatch(/^127\.0\.0\.1:\d+->127\.0\.0\.1:\d+$/);
      expect(r[1]).toEqual(ip4("127.0.0.1"));
      expect(r[2]).toEqual(ip4("127.0.0.1"));
      expect(r[3]).toBe("tcp");
    }
  });

  it("curl_google.scap: the IPv6 UDP DNS connect (spec §11); curl's proc.cwd is empty", () => {
    const rows = replayFields("libs/curl_google.scap", [["fd.name"], ["fd.l4proto"], ["fd.sport"], ["fd.cport"], ["proc.cwd"], ["proc.name"]], (g) => g("evt.type") === "connect" && String(g("fd.name")).endsWith(":53"));
    expect(rows.length).toBeGreaterThan(0);
    const r = rows[0]!;
    expect(r[0]).toMatch(/^2600:.*:d29e:40251->2001:4860:4860::8888:53$/);
    expect(r.slice(1)).toEqual(["udp", 53n, 40251n, "", "curl"]);
  });

  it("run_as_user_0_container.scap: ls in container 697956520d89 (spec §8, §11)", () => {
    const rows = replayFields("falco/psp/run_as_user_0_container.scap", [["container.id"], ["proc.tty"], ["user.loginuid"], ["container.image"]], (g) => g("proc.name") === "ls" && g("evt.type") === "execve");
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]!.slice(0, 3)).toEqual(["697956520d89", 34816n, -1n]);
  });

  it("sample.scap: the first returned event is #96 (the user/group prefix is consumed)", () => {
    const rows = replayFields("libs/sample.scap", [["evt.num"]], () => true);
    expect(rows[0]![0]).toBe(96n);
  });
});
