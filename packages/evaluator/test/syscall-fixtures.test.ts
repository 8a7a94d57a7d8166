// Syscall-level event fixtures: YAML -> records -> the same Inspector that replays captures, with
// field values checked against what each fixture states, and upstream Falco rules firing on a
// fixture and staying quiet on its benign twin.
import { readFileSync } from "node:fs";
import { fixtureAlerts, upstreamSyscallRules } from "./upstream-replay.js";
import { describe, expect, it } from "vitest";
import { Inspector } from "@falcokit/scap";
import { extractSyscallField, readSyscallFixture, syscallFixtureRecords, type Alert, type SyscallFixtureRecord } from "../src/index.js";
import type { Extracted } from "../src/value.js";


/** A snapshot of some fields of one returned event (contexts are live: read them at once). */
interface Seen {
  line: number;
  get(field: string): Extracted;
}

/** Reads a fixture (which must have no problems), replays it, and snapshots `fields` of every returned event. */
function replay(text: string, fields: readonly string[], options: { allEvents?: boolean } = {}): Seen[] {
  const { fixture, problems } = readSyscallFixture(text);
  expect(problems).toEqual([]);
  const inspector = new Inspector({ showHiddenEnterEvents: options.allEvents ?? false });
  const out: Seen[] = [];
  for (const rec of syscallFixtureRecords(fixture)) {
    const ctx = inspector.feed(rec);
    if (!ctx) continue;
    const values = new Map<string, Extracted>();
    for (const f of fields) {
      const m = /^([^[\]]+)(?:\[(.*)\])?$/.exec(f)!;
      values.set(f, extractSyscallField(ctx, m[1]!, m[2]));
    }
    out.push({ line: (rec as { line: number }).line, get: (f) => (values.has(f) ? values.get(f) : expect.fail(`${f} was not snapshotted`)) });
  }
  return out;
}

const ip = (s: string): Uint8Array => Uint8Array.from(s.split(".").map(Number));

const HOST = `
hostname: build-7
interfaces: [{name: eth0, addr: 10.0.0.5/24}]
users:
  - {uid: 0, name: root, home: /root, shell: /bin/bash}
  - {uid: 1000, name: alice, home: /home/alice, shell: /bin/bash}
groups: [{gid: 1000, name: alice}]
processes:
  - {pid: 1, comm: systemd, exe: /sbin/init}
  - {pid: 812, ppid: 1, comm: sshd, exe: /usr/sbin/sshd, args: [-D]}
  - pid: 900
    ppid: 812
    exe: /bin/bash
    args: [-i]
    uid: alice
    cwd: /home/alice
    tty: pts/0
    env: {HOME: /home/alice, TERM: xterm}
    fds:
      - {fd: 0, name: /dev/pts/0, flags: O_RDWR}
      - {fd: 1, name: /dev/pts/0, flags: O_RDWR}
      - {fd: 2, name: /dev/pts/0, flags: O_RDWR}
`;

describe("syscall fixtures through the state machine", () => {
  it("the process table: names, parents, ancestors, users, cwd and the terminal", () => {
    const [e] = replay(`${HOST}\nevents:\n  - {pid: 900, syscall: getcwd, path: /home/alice}\n`, [
      "evt.type",
      "evt.hostname",
      "proc.name",
      "proc.exe",
      "proc.exepath",
      "proc.cmdline",
      "proc.pname",
      "proc.aname[2]",
      "proc.ppid",
      "proc.cwd",
      "proc.tty",
      "proc.env[TERM]",
      "user.name",
      "user.uid",
      "user.homedir",
      "group.name",
    ]);
    expect(e!.get("evt.type")).toBe("getcwd");
    expect(e!.get("evt.hostname")).toBe("build-7");
    expect(e!.get("proc.name")).toBe("bash");
    expect(e!.get("proc.exe")).toBe("/bin/bash");
    expect(e!.get("proc.exepath")).toBe("/bin/bash");
    expect(e!.get("proc.cmdline")).toBe("bash -i");
    expect(e!.get("proc.pname")).toBe("sshd");
    expect(e!.get("proc.aname[2]")).toBe("systemd");
    expect(e!.get("proc.ppid")).toBe(812n);
    expect(e!.get("proc.cwd")).toBe("/home/alice/");
    expect(e!.get("proc.tty")).toBe(34816n); // /dev/pts/0
    expect(e!.get("proc.env[TERM]")).toBe("xterm");
    expect(e!.get("user.name")).toBe("alice");
    expect(e!.get("user.uid")).toBe(1000n);
    expect(e!.get("user.homedir")).toBe("/home/alice");
    expect(e!.get("group.name")).toBe("alice");
  });

  it("clone then execve: the child inherits, then becomes the new program", () => {
    const seen = replay(
      `${HOST}
events:
  - {pid: 900, syscall: clone, child: 950}
  - {pid: 950, syscall: execve, exe: /usr/bin/cat, args: [/etc/shadow]}
  - {pid: 950, syscall: execve, exe: ./tool, argv0: tool}
  - {pid: 950, syscall: execve, exe: /nonexistent, res: ENOENT}
`,
      ["evt.type", "evt.num", "thread.tid", "proc.pid", "proc.ppid", "proc.name", "proc.exe", "proc.exepath", "proc.cmdline", "proc.pname", "proc.aname[2]", "proc.aname[3]", "proc.cwd", "user.name", "proc.tty", "evt.res", "evt.failed"],
    );
    // the caller's return, then the child's own return from clone, then the execves
    expect(seen.map((s) => [s.get("evt.type"), s.get("thread.tid"), s.get("proc.name")])).toEqual([
      ["clone", 900n, "bash"],
      ["clone", 950n, "bash"],
      ["execve", 950n, "cat"],
      ["execve", 950n, "tool"],
      ["execve", 950n, "tool"],
    ]);
    const [, child, cat, tool, failed] = seen;
    expect(child!.get("proc.ppid")).toBe(900n);
    expect(child!.get("proc.cwd")).toBe("/home/alice/");
    expect(child!.get("user.name")).toBe("alice");
    expect(cat!.get("proc.exepath")).toBe("/usr/bin/cat");
    expect(cat!.get("proc.cmdline")).toBe("cat /etc/shadow");
    expect(cat!.get("proc.pname")).toBe("bash");
    expect(cat!.get("proc.aname[2]")).toBe("sshd");
    expect(cat!.get("proc.aname[3]")).toBe("systemd");
    expect(cat!.get("proc.tty")).toBe(34816n);
    // a relative path is resolved against the cwd; argv[0] is what proc.exe shows
    expect(tool!.get("proc.exe")).toBe("tool");
    expect(tool!.get("proc.exepath")).toBe("/home/alice/tool");
    // a failed execve changes nothing
    expect(failed!.get("evt.res")).toBe("ENOENT");
    expect(failed!.get("evt.failed")).toBe(true);
    expect(failed!.get("proc.exepath")).toBe("/home/alice/tool");
    // event numbers count every event
    expect(seen.map((s) => s.get("evt.num"))).toEqual([1n, 2n, 3n, 4n, 5n]);
  });

  it("threads: a new thread shares the process's fds; a listed thread belongs to its process", () => {
    const seen = replay(
      `processes:
  - {pid: 300, comm: java, exe: /usr/bin/java, threads: [301], fds: [{fd: 3, name: /var/log/app.log, flags: [O_WRONLY, O_APPEND]}]}
events:
  - {pid: 300, syscall: clone, thread: true, child: 310}
  - {tid: 310, pid: 300, syscall: write, fd: 3, data: hello}
  - {tid: 301, syscall: write, fd: 3, data: hi}
`,
      ["thread.tid", "proc.pid", "proc.name", "fd.name", "evt.rawres", "thread.ismain"],
    );
    expect(seen.map((s) => [s.get("thread.tid"), s.get("proc.pid"), s.get("proc.name"), s.get("fd.name") ?? null])).toEqual([
      [300n, 300n, "java", null],
      [310n, 300n, "java", null],
      [310n, 300n, "java", "/var/log/app.log"],
      [301n, 300n, "java", "/var/log/app.log"],
    ]);
    expect(seen[2]!.get("evt.rawres")).toBe(5n);
    expect(seen[2]!.get("thread.ismain")).toBe(false);
  });

  it("opens: paths against the cwd and dirfds, flags by name, fds from 3 up, results and failures", () => {
    const seen = replay(
      `${HOST}
events:
  - {pid: 900, syscall: openat, path: notes/todo.txt, flags: [O_RDWR, O_CREAT], mode: 0640, created: true}
  - {pid: 900, syscall: chdir, path: /etc}
  - {pid: 900, syscall: open, path: ./passwd}
  - {pid: 900, syscall: openat, path: /etc/ssh, flags: O_RDONLY|O_DIRECTORY}
  - {pid: 900, syscall: openat, dirfd: 5, path: sshd_config}
  - {pid: 900, syscall: openat, path: /root/.ssh/id_rsa, res: EACCES}
  - {pid: 900, syscall: close, fd: 4}
  - {pid: 900, syscall: openat2, path: ../var/log/syslog, flags: [O_WRONLY, O_APPEND], resolve: [RESOLVE_BENEATH]}
  - {pid: 900, syscall: creat, path: /tmp/x, mode: 755}
`,
      ["evt.type", "fd.num", "fd.name", "fd.directory", "fd.filename", "fd.typechar", "evt.is_open_read", "evt.is_open_write", "evt.is_open_exec", "evt.arg.flags", "evt.arg.mode", "evt.res", "proc.cwd", "fd.type"],
    );
    const row = (i: number) => [seen[i]!.get("evt.type"), seen[i]!.get("fd.num"), seen[i]!.get("fd.name") ?? null];
    expect(row(0)).toEqual(["openat", 3n, "/home/alice/notes/todo.txt"]);
    expect(seen[0]!.get("evt.arg.flags")).toBe("O_CREAT|O_RDWR|O_F_CREATED");
    expect(seen[0]!.get("evt.arg.mode")).toBe("0640");
    expect(seen[0]!.get("evt.is_open_read")).toBe(true);
    expect(seen[0]!.get("evt.is_open_write")).toBe(true);
    expect(seen[1]!.get("proc.cwd")).toBe("/etc/");
    expect(row(2)).toEqual(["open", 4n, "/etc/passwd"]);
    expect(seen[2]!.get("evt.is_open_read")).toBe(true);
    expect(seen[2]!.get("evt.is_open_write")).toBe(false);
    expect(seen[2]!.get("fd.directory")).toBe("/etc");
    expect(seen[2]!.get("fd.filename")).toBe("passwd");
    expect(row(3)).toEqual(["openat", 5n, "/etc/ssh"]);
    expect(seen[3]!.get("fd.type")).toBe("directory");
    expect(row(4)).toEqual(["openat", 6n, "/etc/ssh/sshd_config"]);
    expect(seen[5]!.get("evt.res")).toBe("EACCES");
    expect(seen[5]!.get("fd.num")).toBe(-1n); // libs' lastevent_fd: no fd was created
    expect(seen[5]!.get("fd.name")).toBe("/root/.ssh/id_rsa");
    // fd 4 was closed: the next open takes it
    expect(row(6)).toEqual(["close", 4n, "/etc/passwd"]);
    expect(row(7)).toEqual(["openat2", 4n, "/var/log/syslog"]);
    expect(seen[7]!.get("evt.arg.flags")).toBe("O_APPEND|O_WRONLY");
    expect(row(8)).toEqual(["creat", 7n, "/tmp/x"]);
    expect(seen[8]!.get("evt.arg.mode")).toBe("0755");
  });

  it("connect, accept, bind and listen: addresses, ports, roles and local/remote ends", () => {
    const seen = replay(
      `${HOST}
events:
  - {pid: 900, syscall: socket, domain: AF_INET, type: SOCK_STREAM}
  - {pid: 900, syscall: connect, fd: 3, tuple: 10.0.0.5:51000->203.0.113.7:443}
  - {pid: 900, syscall: connect, fd: 4, addr: 198.51.100.9:53, proto: udp}
  - {pid: 900, syscall: connect, fd: 5, tuple: "[fd00::5]:40000->[2001:db8::1]:8443"}
  - {pid: 812, syscall: bind, fd: 3, addr: 0.0.0.0:22}
  - {pid: 812, syscall: listen, fd: 3, backlog: 128}
  - {pid: 812, syscall: accept4, tuple: 203.0.113.9:40022->10.0.0.5:22}
  - {pid: 900, syscall: connect, fd: 6, addr: /var/run/docker.sock}
`,
      ["evt.type", "fd.num", "fd.name", "fd.type", "fd.l4proto", "fd.cip", "fd.cport", "fd.sip", "fd.sport", "fd.lip", "fd.rip", "fd.lport", "fd.rport", "fd.is_server", "fd.sockfamily", "evt.arg.addr"],
    );
    const types = seen.map((s) => s.get("evt.type"));
    // connects on fds the process did not have open a socket first
    expect(types).toEqual(["socket", "connect", "socket", "connect", "socket", "connect", "socket", "bind", "listen", "accept4", "socket", "connect"]);
    const tcp = seen[1]!;
    expect(tcp.get("fd.name")).toBe("10.0.0.5:51000->203.0.113.7:443");
    expect(tcp.get("fd.sip")).toEqual(ip("203.0.113.7"));
    expect(tcp.get("fd.sport")).toBe(443n);
    expect(tcp.get("fd.cip")).toEqual(ip("10.0.0.5"));
    expect(tcp.get("fd.cport")).toBe(51000n);
    expect(tcp.get("fd.lip")).toEqual(ip("10.0.0.5"));
    expect(tcp.get("fd.rip")).toEqual(ip("203.0.113.7"));
    expect(tcp.get("fd.l4proto")).toBe("tcp");
    expect(tcp.get("fd.is_server")).toBe(false);
    expect(tcp.get("evt.arg.addr")).toBe("203.0.113.7:443");
    // an address alone: the local end is the interface's address and an ephemeral port
    const udp = seen[3]!;
    expect(udp.get("fd.l4proto")).toBe("udp");
    expect(udp.get("fd.sip")).toEqual(ip("198.51.100.9"));
    expect(udp.get("fd.sport")).toBe(53n);
    expect(udp.get("fd.cip")).toEqual(ip("10.0.0.5"));
    expect(seen[5]!.get("fd.type")).toBe("ipv6");
    expect(seen[5]!.get("fd.sport")).toBe(8443n);
    expect(seen[7]!.get("fd.name")).toBe("0.0.0.0:22");
    const acc = seen[9]!;
    expect(acc.get("fd.num")).toBe(4n);
    expect(acc.get("fd.name")).toBe("203.0.113.9:40022->10.0.0.5:22");
    expect(acc.get("fd.is_server")).toBe(true);
    expect(acc.get("fd.lport")).toBe(22n);
    expect(acc.get("fd.rip")).toEqual(ip("203.0.113.9"));
    expect(seen[11]!.get("fd.type")).toBe("unix");
    expect(seen[11]!.get("fd.sockfamily")).toBe("unix");
    expect(seen[11]!.get("fd.name")).toBe("0->0 /var/run/docker.sock");
  });

  it("the fd list of the process table: files, connected and listening sockets", () => {
    const seen = replay(
      `interfaces: [{name: eth0, addr: 10.0.0.5/24}]
processes:
  - pid: 700
    comm: nginx
    exe: /usr/sbin/nginx
    fds:
      - {fd: 6, addr: 0.0.0.0:80}
      - {fd: 7, tuple: 10.0.0.5:80->198.51.100.3:51515}
      - {fd: 8, type: unix, name: /run/php.sock}
      - {fd: 9, type: pipe}
events:
  - {pid: 700, syscall: read, fd: 7, size: 512}
  - {pid: 700, syscall: write, fd: 8, data: "GET /"}
  - {pid: 700, syscall: write, fd: 9, data: x}
  - {pid: 700, syscall: listen, fd: 6}
`,
      ["fd.name", "fd.type", "fd.sip", "fd.sport", "fd.cip", "fd.is_server", "evt.rawres", "evt.category"],
    );
    // the sport of fd 7 is a port nginx listens on: libs swaps the ends (s = the server)
    expect(seen[0]!.get("fd.sip")).toEqual(ip("10.0.0.5"));
    expect(seen[0]!.get("fd.sport")).toBe(80n);
    expect(seen[0]!.get("fd.cip")).toEqual(ip("198.51.100.3"));
    expect(seen[0]!.get("fd.is_server")).toBe(true);
    expect(seen[0]!.get("evt.rawres")).toBe(512n);
    expect(seen[0]!.get("evt.category")).toBe("net");
    expect(seen[1]!.get("fd.type")).toBe("unix");
    expect(seen[1]!.get("fd.name")).toBe("/run/php.sock");
    expect(seen[2]!.get("fd.type")).toBe("pipe");
    expect(seen[3]!.get("fd.name")).toBe("0.0.0.0:80");
  });

  it("dup2, setuid, chmod, unlinkat, rename, mkdir, ptrace and procexit", () => {
    const seen = replay(
      `${HOST}
events:
  - {pid: 900, syscall: openat, path: /tmp/out, flags: [O_WRONLY, O_CREAT]}
  - {pid: 900, syscall: dup2, oldfd: 3, newfd: 1}
  - {pid: 900, syscall: setuid, uid: root}
  - {pid: 900, syscall: chmod, path: /tmp/out, mode: 4755}
  - {pid: 900, syscall: unlinkat, path: old.txt}
  - {pid: 900, syscall: rename, oldpath: /tmp/a, newpath: /tmp/b}
  - {pid: 900, syscall: mkdir, path: /tmp/d, mode: 0700}
  - {pid: 900, syscall: ptrace, request: PTRACE_ATTACH, target: 812}
  - {pid: 900, syscall: kill, target: 812, sig: SIGKILL}
  - {pid: 900, syscall: procexit}
  - {pid: 900, syscall: getcwd, path: /}
`,
      ["evt.type", "evt.rawres", "fd.num", "fd.name", "user.name", "user.uid", "evt.arg.mode", "evt.arg.name", "evt.arg.request", "evt.arg.pid", "evt.rawarg.pid", "evt.arg.sig", "fs.path.name", "fs.path.source", "fs.path.target", "proc.name", "proc.pid", "evt.dir"],
    );
    expect(seen[1]!.get("evt.rawres")).toBe(1n);
    expect(seen[1]!.get("fd.num")).toBe(1n);
    expect(seen[1]!.get("fd.name")).toBe("/tmp/out");
    expect(seen[2]!.get("user.name")).toBe("root");
    expect(seen[2]!.get("user.uid")).toBe(0n);
    expect(seen[3]!.get("evt.arg.mode")).toBe("S_IXOTH|S_IROTH|S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR|S_ISUID");
    expect(seen[4]!.get("evt.arg.name")).toBe("/home/alice/old.txt");
    // libs' fs.path.* take the base of *at calls from the event's fd: none for AT_FDCWD
    expect(seen[4]!.get("fs.path.name")).toBe("<UNKNOWN>old.txt");
    expect(seen[5]!.get("fs.path.source")).toBe("/tmp/a");
    expect(seen[5]!.get("fs.path.target")).toBe("/tmp/b");
    expect(seen[6]!.get("fs.path.name")).toBe("/tmp/d");
    expect(seen[7]!.get("evt.arg.request")).toBe("PTRACE_ATTACH");
    expect(seen[7]!.get("evt.arg.pid")).toBe("sshd");
    expect(seen[7]!.get("evt.rawarg.pid")).toBe(812n);
    expect(seen[8]!.get("evt.arg.sig")).toBe("SIGKILL");
    expect(seen[9]!.get("evt.type")).toBe("procexit");
    expect(seen[9]!.get("evt.dir")).toBe(">");
    expect(seen[9]!.get("proc.name")).toBe("bash");
    // the process is gone after its exit: the next event of that tid is a placeholder
    expect(seen[10]!.get("proc.name")).toBe("<NA>");
    expect(seen[10]!.get("proc.pid")).toBe(-1n);
  });

  it("containers: ids from the cgroups, metadata from the containers list", () => {
    const seen = replay(
      `containers:
  - id: 3f2a1c9e8b7d
    name: web
    image: registry.example.com/shop/web:2.1@sha256:abcd
    privileged: true
    pod: {name: web-0, namespace: shop}
    labels: {team: payments}
  - {id: 8c1f4e2d9a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d, name: db, image: "postgres:16", type: cri}
processes:
  - {pid: 4000, comm: containerd-shim, exe: /usr/bin/containerd-shim-runc-v2}
  - {pid: 4100, ppid: 4000, comm: web, exe: /app/web, container: 3f2a1c9e8b7d}
  - {pid: 4200, ppid: 4000, comm: postgres, exe: /usr/lib/postgresql/16/bin/postgres, container: 8c1f4e2d9a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d}
events:
  - {pid: 4100, syscall: execve, exe: /bin/sh, args: [-c, id]}
  - {pid: 4200, syscall: clone, child: 4201}
  - {pid: 4000, syscall: getcwd, path: /}
`,
      ["container.id", "container.full_id", "container.name", "container.image", "container.image.repository", "container.image.tag", "container.image.digest", "container.privileged", "container.type", "k8s.ns.name", "k8s.pod.name", "container.label[team]", "proc.name"],
    );
    const [sh, caller, child, host] = seen;
    expect(sh!.get("container.id")).toBe("3f2a1c9e8b7d");
    expect(sh!.get("container.name")).toBe("web");
    expect(sh!.get("container.image.repository")).toBe("registry.example.com/shop/web");
    expect(sh!.get("container.image.tag")).toBe("2.1");
    expect(sh!.get("container.image.digest")).toBe("sha256:abcd");
    expect(sh!.get("container.privileged")).toBe(true);
    expect(sh!.get("container.type")).toBe("docker");
    expect(sh!.get("k8s.ns.name")).toBe("shop");
    expect(sh!.get("k8s.pod.name")).toBe("web-0");
    expect(sh!.get("container.label[team]")).toBe("payments");
    expect(caller!.get("container.id")).toBe("8c1f4e2d9a7b");
    expect(caller!.get("container.full_id")).toBe("8c1f4e2d9a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d");
    expect(caller!.get("container.type")).toBe("cri");
    // the child inherits the cgroups, hence the container
    expect(child!.get("container.id")).toBe("8c1f4e2d9a7b");
    expect(child!.get("container.image.tag")).toBe("16");
    expect(host!.get("container.id")).toBe("host");
    expect(host!.get("container.name")).toBe("host");
  });

  it("times: a start, automatic steps, absolute and relative times", () => {
    const seen = replay(
      `start: 2024-05-01T10:00:00Z
events:
  - {pid: 1, syscall: getcwd, path: /}
  - {pid: 1, syscall: getcwd, path: /}
  - {pid: 1, syscall: getcwd, path: /, time: +2.5s}
  - {pid: 1, syscall: getcwd, path: /, time: 2024-05-01T11:00:00.000000042Z}
  - {pid: 1, syscall: getcwd, path: /}
`,
      ["evt.time.iso8601", "evt.rawtime"],
    );
    expect(seen.map((s) => s.get("evt.time.iso8601"))).toEqual([
      "2024-05-01T10:00:00.000000000+0000",
      "2024-05-01T10:00:00.001000000+0000",
      "2024-05-01T10:00:02.501000000+0000",
      "2024-05-01T11:00:00.000000042+0000",
      "2024-05-01T11:00:00.001000042+0000",
    ]);
  });

  it("cpu, state-only events and notes", () => {
    const seen = replay(
      `- {pid: 10, syscall: chdir, path: /srv, state_only: true, note: "rebuilds the cwd, no rule sees it"}
- {pid: 10, syscall: getcwd, path: /srv, cpu: 3}
`,
      ["evt.num", "evt.cpu", "proc.cwd"],
    );
    expect(seen.map((s) => [s.get("evt.num"), s.get("evt.cpu"), s.get("proc.cwd")])).toEqual([[2n, 3n, "./"]]);
  });

  it("the raw form, enter events and the TOCTOU rule of opens", () => {
    const text = `${HOST}
events:
  - {pid: 900, syscall: openat, direction: enter, dirfd: AT_FDCWD, path: /etc/shadow, flags: O_RDONLY}
  - {pid: 900, syscall: openat, fd: 3, path: /tmp/harmless}
  - event: PPME_SYSCALL_OPENAT_2_X
    pid: 900
    params: {fd: 4, dirfd: -100, name: /etc/hosts, flags: [O_RDONLY, O_CLOEXEC], mode: 0}
  - {event: syscall_close_x, pid: 900, params: {res: 0, fd: 4}}
`;
    const seen = replay(text, ["evt.type", "evt.dir", "fd.name", "evt.arg.dev", "evt.arg.flags"]);
    // the enter event is parsed and hidden; the exit takes the enter's path (what the kernel opened)
    expect(seen.map((s) => [s.get("evt.type"), s.get("evt.dir"), s.get("fd.name")])).toEqual([
      ["openat", "<", "/etc/shadow"],
      ["openat", "<", "/etc/hosts"],
      ["close", "<", "/etc/hosts"],
    ]);
    // raw events carry only what they give: the missing dev and ino are empty
    expect(seen[1]!.get("evt.arg.dev")).toBe("<NA>");
    expect(seen[1]!.get("evt.arg.flags")).toBe("O_RDONLY|O_CLOEXEC");
    const all = replay(text, ["evt.dir"], { allEvents: true });
    expect(all.map((s) => s.get("evt.dir"))).toEqual([">", "<", "<", "<"]);
  });

  it("records: metadata first, then events, each event with its fixture line", () => {
    const text = `${HOST}\nevents:\n  - {pid: 900, syscall: clone, child: 950, child_event: false}\n  - {pid: 950, syscall: getcwd, path: /}\n`;
    const { fixture } = readSyscallFixture(text);
    const recs: SyscallFixtureRecord[] = syscallFixtureRecords(fixture);
    expect(recs.map((r) => r.kind)).toEqual(["machine", "interfaces", "users", "thread", "thread", "thread", "fd", "fd", "fd", "event", "event"]);
    const lines = recs.flatMap((r) => (r.kind === "event" ? [r.line] : []));
    const first = text.split("\n").findIndex((l) => l.includes("syscall: clone")) + 1;
    expect(lines).toEqual([first, first + 1]);
  });
});

describe("problems, with their positions", () => {
  const problems = (text: string) => readSyscallFixture(text).problems.map((p) => `${p.line}:${p.column}: ${p.message}`);

  it("unknown syscalls, parameters and values; missing parameters", () => {
    const text = `users: [{uid: 1000, name: alice}]
processes:
  - {pid: 900, exe: /bin/bash, uid: bob}
events:
  - {pid: 900, syscall: opnat, path: /etc/shadow}
  - {pid: 900, syscall: openat, path: /etc/shadow, flags: [O_RDONLY, O_BOGUS]}
  - {pid: 900, syscall: openat, pathh: /etc/shadow}
  - {pid: 900, syscall: close}
  - {pid: 900, syscall: connect, fd: 3, tuple: "10.0.0.1:5->nowhere"}
  - {pid: 900, syscall: close, direction: enter, fd: 3}
  - {event: PPME_SYSCALL_EXECVE_18_X, pid: 900}
  - {syscall: execve, exe: /bin/true}
  - {pid: 900, syscall: kill, target: 1, sig: SIGNOPE}
  - {pid: 900, syscall: openat, path: /x, res: ENOPE}
  - {pid: 900, syscall: openat, path: /x, time: yesterday}
`;
    expect(problems(text)).toEqual([
      "3:37: uid: no user named 'bob' in users",
      "5:25: unknown syscall 'opnat' (did you mean openat, openat2?)",
      "6:70: openat: flags: unknown file_flags name 'O_BOGUS'",
      "7:33: openat< has no parameter 'pathh' (known keys: fd, dirfd, name, flags, mode, dev, ino, created, res, path)",
      "8:5: close needs fd",
      "9:48: connect: tuple: '10.0.0.1:5->nowhere' is not a connection (sip:sport->dip:dport, [ipv6]:port->[ipv6]:port or a unix socket path)",
      "10:43: libs delivers no close> events (modern drivers only send the exit event)",
      "11:13: PPME_SYSCALL_EXECVE_18_X is an old layout libs converts to PPME_SYSCALL_EXECVE_19_X: write that one",
      "12:5: an event needs pid (or tid): the process making the call",
      "13:47: kill: sig: unknown signal 'SIGNOPE'",
      "14:48: openat: fd: 'ENOPE' is neither a number nor an errno name (ENOENT, EACCES...)",
      "15:49: time 'yesterday' is neither ISO 8601, nanoseconds since the epoch, nor +<duration> (+1s, +20ms...)",
    ]);
    // the events with problems are left out, the others kept
    expect(readSyscallFixture(text).fixture.events).toEqual([]);
  });

  it("structure: YAML errors, unknown keys, processes and fds", () => {
    expect(problems("events: [\n")[0]).toMatch(/^2:1: /);
    expect(problems("event: []\n")).toEqual(["1:1: unknown key 'event' (a syscall fixture has hostname, start, interfaces, dns, users, groups, containers, processes, events)"]);
    expect(problems("a: 1\na: 2\n")).toEqual(["2:1: Map keys must be unique"]);
    expect(problems("processes:\n  - {pid: 5, comm: x, colour: red}\n  - {comm: y}\n  - {pid: 7, comm: z, fds: [{fd: 3, type: ipv4}, {fd: 4, type: socket}]}\ncontainers: [{id: not/an/id}]\n")).toEqual([
      "2:23: unknown key 'colour' in a process (known: pid, ppid, comm, exe, argv0, exepath, args, cwd, uid, gid, loginuid, env, tty, sid, vpgid, pgid, vpid, container, cgroups, root, fdlimit, threads, fds, cap_permitted, cap_effective, cap_inheritable, exe_writable, exe_upper_layer, exe_lower_layer, exe_from_memfd)",
      "3:5: a process needs a pid",
      "4:29: an fd of type ipv4 needs a tuple (a connection) or an addr (a listening socket)",
      "4:64: unknown fd type 'socket' (file, directory, ipv4, ipv6, unix, pipe, event, signalfd, eventpoll, inotify, timerfd, netlink, bpf, userfaultfd, io_uring, memfd, pidfd)",
      "5:19: container id 'not/an/id' must be 1-12 letters, digits, '-' or '_' (as container.id shows it) or 64 hex digits",
    ]);
    expect(problems("events:\n")).toEqual([]);
    expect(problems("- {pid: 1, syscall: openat, path: /x, fd: 3, res: 4}\n")).toEqual(["1:46: parameter fd is given twice"]);
    expect(problems("- {pid: 1, event: PPME_SYSCALL_OPENAT_2_X, fd: 3}\n")).toEqual(["1:44: unknown key 'fd': with event:, parameters go under params:"]);
    expect(problems("- {pid: 1, syscall: chmod, path: /x, mode: 0999}\n")).toEqual(["1:44: chmod: mode: '0999' is not an octal mode"]);
  });

  it("never throws, whatever the input", () => {
    for (const text of ["", "---", "[1, 2]", "events: 3", "processes: {pid: 1}", "- syscall: [openat]", "- {pid: x, syscall: openat}", "- {pid: 1, syscall: clone, child: -5, thread: maybe}", "users: [{uid: -7, name: []}]"]) {
      const read = readSyscallFixture(text);
      expect(() => syscallFixtureRecords(read.fixture)).not.toThrow();
    }
  });
});

describe("upstream Falco rules on syscall fixtures", () => {
  const { load, ruleset } = upstreamSyscallRules();
  const alerts = (text: string): Alert[] => fixtureAlerts(ruleset, text);
  const names = (a: Alert[]) => a.map((x) => x.rule);

  it("builds the syscall rules", () => {
    expect(load.files.every((f) => f.successful)).toBe(true);
    expect(ruleset.problems).toEqual([]);
  });

  it("Read sensitive file untrusted: cat reading /etc/shadow, not sshd, not /etc/hosts", () => {
    const reading = (proc: string, path: string) => `${HOST}
events:
  - {pid: 900, syscall: clone, child: 950}
  - {pid: 950, syscall: execve, exe: /usr/bin/${proc}, args: [${path}]}
  - {pid: 950, syscall: openat, path: ${path}, flags: [O_RDONLY, O_CLOEXEC]}
  - {pid: 950, syscall: read, fd: 3, size: 1024}
`;
    const hit = alerts(reading("cat", "/etc/shadow"));
    expect(names(hit)).toEqual(["Read sensitive file untrusted"]);
    const out = hit[0]!.output_fields;
    expect(out["fd.name"]).toBe("/etc/shadow");
    expect(out["proc.name"]).toBe("cat");
    expect(out["proc.pname"]).toBe("bash");
    expect(out["proc.aname[2]"]).toBe("sshd");
    expect(out["user.name"]).toBe("alice");
    expect(out["proc.cmdline"]).toBe("cat /etc/shadow");
    expect(hit[0]!.priority).toBe("Warning");
    // sshd is a trusted reader of sensitive files; /etc/hosts is not sensitive
    expect(names(alerts(reading("sshd", "/etc/shadow")))).toEqual([]);
    expect(names(alerts(reading("cat", "/etc/hosts")))).toEqual([]);
    // a failed open is no read
    expect(names(alerts(`${HOST}\nevents:\n  - {pid: 900, syscall: openat, path: /etc/shadow, res: EACCES}\n`))).toEqual([]);
  });

  const CONTAINER = `
containers: [{id: 3f2a1c9e8b7d, name: web, image: "nginx:1.25"}]
processes:
  - {pid: 4000, comm: containerd-shim, exe: /usr/bin/containerd-shim-runc-v2}
  - {pid: 4100, ppid: 4000, comm: "runc:[2:INIT]", exe: /proc/self/exe, container: 3f2a1c9e8b7d}
`;

  it("Terminal shell in container: an interactive shell as the container's entry, not one without a terminal", () => {
    const shell = (tty: string) => `${CONTAINER}
events:
  - {pid: 4100, syscall: execve, exe: /bin/bash, args: [-i], tty: ${tty}}
`;
    const hit = alerts(shell("pts/0"));
    expect(names(hit)).toEqual(["Terminal shell in container"]);
    expect(hit[0]!.output_fields["proc.pname"]).toBe("containerd-shim");
    expect(hit[0]!.output_fields["proc.tty"]).toBe(34816);
    expect(names(alerts(shell("0")))).toEqual([]);
  });

  it("Redirect STDOUT/STDIN to Network Connection in Container: a socket onto stdin, not a file", () => {
    const redirect = (target: string) => `${CONTAINER}
events:
  - {pid: 4100, syscall: execve, exe: /bin/sh, args: [-c, "sh -i"]}
  ${target}
  - {pid: 4100, syscall: dup2, oldfd: 3, newfd: 0}
`;
    const hit = alerts(redirect("- {pid: 4100, syscall: connect, fd: 3, tuple: 172.17.0.2:41234->198.51.100.66:4444}"));
    expect(names(hit)).toEqual(["Redirect STDOUT/STDIN to Network Connection in Container"]);
    expect(hit[0]!.output_fields["fd.name"]).toBe("172.17.0.2:41234->198.51.100.66:4444");
    expect(names(alerts(redirect("- {pid: 4100, syscall: openat, path: /tmp/input, fd: 3}")))).toEqual([]);
  });

  it("Disallowed SSH Connection Non Standard Port: ssh to a public address on 443, not on 22", () => {
    const ssh = (port: number) => `${HOST}
events:
  - {pid: 900, syscall: clone, child: 960}
  - {pid: 960, syscall: execve, exe: /usr/bin/ssh, args: [-p, "${port}", "user@203.0.113.80"]}
  - {pid: 960, syscall: connect, fd: 3, addr: "203.0.113.80:${port}"}
`;
    const hit = alerts(ssh(443));
    expect(names(hit)).toEqual(["Disallowed SSH Connection Non Standard Port"]);
    expect(hit[0]!.output_fields["fd.name"]).toMatch(/^10\.0\.0\.5:\d+->203\.0\.113\.80:443$/);
    expect(names(alerts(ssh(22)))).toEqual([]);
  });
});
