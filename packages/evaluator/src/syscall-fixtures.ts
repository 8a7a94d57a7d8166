/**
 * Syscall-level event fixtures: a readable YAML description of a host (users, interfaces,
 * containers), its process table with open fds, and a sequence of syscalls. The fixture is turned
 * into the records a capture reader hands out (machine info, interfaces, users, one record per
 * thread and per fd, then events in the current layout of their codes), so the same `Inspector`
 * that replays captures computes every syscall field (`proc.*`, `fd.*`, `user.*`, `evt.*`,
 * `container.*`) as libsinsp would. Pure: no I/O.
 *
 *   const { fixture, problems } = readSyscallFixture(text);
 *   const inspector = new Inspector();
 *   for (const rec of syscallFixtureRecords(fixture)) {
 *     const ctx = inspector.feed(rec);
 *     if (ctx) ...  // evaluate rules, read fields
 *   }
 *
 * Reading checks the structure, the syscall and parameter names and every value, and reports
 * problems with their line and column; it never throws. Building the records plays the part of
 * the kernel driver: the parameters a syscall does not state are filled from the state of the
 * process as the state machine sees it at that point (an internal `Inspector` is fed the records
 * as they are built), e.g. a clone carries the caller's exe, args, cwd, uid and cgroups, an open
 * without `fd` gets the lowest free descriptor from 3 up.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type Pair, type YAMLMap } from "yaml";
import { parseIPv4, parseIPv6 } from "@falcokit/fields";
import {
  AT_FDCWD,
  ContainerType,
  EVENTS,
  FLAG_TABLES,
  FdType,
  Inspector,
  L4Proto,
  ThreadFlag,
  buildEvent,
  concatenatePaths,
  eventCodes,
  parseDirfd,
  nulJoin,
  type EventInfo,
  type EventRecord,
  type FdRecord,
  type InterfaceAddress,
  type MetadataRecord,
  type ParamInfo,
  type ParamType,
  type ParamValue,
  type SockAddr,
  type SockTuple,
  type ThreadInfo,
  type ThreadRecord,
} from "@falcokit/scap";
import { parseTime, type FixtureProblem } from "./fixtures.js";
import { utf8 } from "./operators.js";
import { ERRNO_NAMES, SIGNAL_NAMES } from "./syscall/libs-tables.generated.js";
import { dnsTable, type DnsTable } from "./syscall/dns.js";

// --- the read fixture ------------------------------------------------------------------------------

export interface FixtureUser {
  uid: number;
  gid: number;
  name: string;
  home: string;
  shell: string;
}

export interface FixtureGroup {
  gid: number;
  name: string;
}

export interface FixtureInterface {
  name: string;
  /** 4 or 16 bytes. */
  addr: Uint8Array;
  /** IPv4 only. */
  netmask: Uint8Array;
}

export interface FixtureContainer {
  /** The id as `container.id` shows it. */
  id: string;
  /** The cgroup path (after `subsys=`) that makes the container plugin find `id`. */
  cgroup: string;
  /** The metadata event's JSON (`{"container": {...}}`). */
  json: string;
  line: number;
}

/** One thread of the initial process table with its fds (main threads only carry fds). */
export interface FixtureThread {
  record: ThreadRecord;
  fds: FdRecord[];
  line: number;
}

/** One syscall of the fixture, read and checked; the builder fills the parameters it leaves out. */
export interface FixtureEvent {
  line: number;
  column: number;
  /** The event code (its current layout). */
  code: number;
  /** `event:` form: only the parameters given are set, the others are empty. */
  raw: boolean;
  tid: bigint;
  /** The `pid` key, when given. */
  pid: bigint | undefined;
  /** The `ppid` key (execve/clone of a process not in the table). */
  ppid: bigint | undefined;
  ts: bigint;
  cpu: number;
  /** EVF flags (1 = state only). */
  flags: number;
  /** Parameters given, by index. */
  params: Map<number, ParamValue>;
  /** execve/execveat: the executable path as passed to the syscall. */
  exe?: string;
  argv0?: string;
  comm?: string;
  exepath?: string;
  /** execveat: the directory fd `exe` is relative to. */
  dirfd?: bigint;
  /** execve/execveat: EXE_* bits (exe_writable: true...) added to the `flags` parameter. */
  exeFlags?: number;
  /** clone family: the new thread's id; whether it is a thread; whether the child's own exit event follows. */
  child?: bigint;
  thread?: boolean;
  childEvent?: boolean;
  /** open family: the call created the file (O_F_CREATED). */
  created?: boolean;
  /** connect/bind/sendto on an fd that is not open: the protocol of the socket opened first. */
  proto?: "tcp" | "udp";
}

export interface SyscallFixture {
  hostname: string;
  /**
   * The `dns:` section: the resolver of the machine that replays (see syscall/dns.ts), carried by
   * every event record. Undefined without the section.
   */
  dns?: DnsTable;
  /** ns since the epoch of the first event (when the fixture gives no time). */
  start: bigint;
  interfaces: FixtureInterface[];
  users: FixtureUser[];
  groups: FixtureGroup[];
  containers: FixtureContainer[];
  threads: FixtureThread[];
  events: FixtureEvent[];
  /** The highest thread id the fixture names (new clone children are numbered after it). */
  maxTid: bigint;
}

export interface SyscallFixtureRead {
  /** What could be read; events with problems are left out. */
  fixture: SyscallFixture;
  problems: FixtureProblem[];
}

/** An event record of a fixture, with the line of the fixture event it comes from. */
export type FixtureEventRecord = EventRecord & { readonly line: number; readonly dns?: DnsTable };

/** What `syscallFixtureRecords` produces: metadata records, then events (`Inspector.feed` takes both). */
export type SyscallFixtureRecord = MetadataRecord | FixtureEventRecord;

// --- constants ---------------------------------------------------------------------------------------

const S = 1_000_000_000n;
/** 2024-01-01T00:00:00Z. */
const DEFAULT_START = 1_704_067_200n * S;
/** Time between two events that do not give one. */
const DEFAULT_STEP = 1_000_000n;
const FIRST_AUTO_FD = 3n;
const UINT32_MAX = 0xffffffff;
const TASK_COMM_LEN = 15;
const DEFAULT_FDLIMIT = 1024n;

const ERRNO_BY_NAME = new Map<string, number>([...ERRNO_NAMES].map(([n, name]) => [name, n]));
const SIGNAL_BY_NAME = new Map<string, number>([...SIGNAL_NAMES].map(([n, name]) => [name, n]));

/** Linux socket types (the `type` parameter of socket/socketpair). */
const SOCK_TYPES = new Map<string, number>([
  ["SOCK_STREAM", 1],
  ["SOCK_DGRAM", 2],
  ["SOCK_RAW", 3],
  ["SOCK_RDM", 4],
  ["SOCK_SEQPACKET", 5],
  ["SOCK_PACKET", 10],
  ["SOCK_NONBLOCK", 0o4000],
  ["SOCK_CLOEXEC", 0o2000000],
  ["STREAM", 1],
  ["DGRAM", 2],
  ["RAW", 3],
]);

/** IP protocols (the `proto` parameter of socket/socketpair). */
const PROTOCOLS = new Map<string, number>([
  ["IP", 0],
  ["IPPROTO_IP", 0],
  ["ICMP", 1],
  ["IPPROTO_ICMP", 1],
  ["TCP", 6],
  ["IPPROTO_TCP", 6],
  ["UDP", 17],
  ["IPPROTO_UDP", 17],
  ["ICMPV6", 58],
  ["IPPROTO_ICMPV6", 58],
  ["RAW", 255],
  ["IPPROTO_RAW", 255],
]);

const FAMILY_ALIASES = new Map<string, number>([
  ["UNIX", 1],
  ["LOCAL", 1],
  ["INET", 2],
  ["IPV4", 2],
  ["INET6", 10],
  ["IPV6", 10],
  ["NETLINK", 16],
  ["PACKET", 17],
]);

const AF_UNIX = 1;
const AF_INET = 2;
const AF_INET6 = 10;
const SOCK_STREAM = 1;
const SOCK_DGRAM = 2;

/** `fd.type` names of the fd list entries. */
const FD_TYPES = new Map<string, number>([
  ["file", FdType.FILE_V2],
  ["directory", FdType.DIRECTORY],
  ["ipv4", FdType.IPV4_SOCK],
  ["ipv6", FdType.IPV6_SOCK],
  ["unix", FdType.UNIX_SOCK],
  ["pipe", FdType.FIFO],
  ["event", FdType.EVENT],
  ["signalfd", FdType.SIGNALFD],
  ["eventpoll", FdType.EVENTPOLL],
  ["inotify", FdType.INOTIFY],
  ["timerfd", FdType.TIMERFD],
  ["netlink", FdType.NETLINK],
  ["bpf", FdType.BPF],
  ["userfaultfd", FdType.USERFAULTFD],
  ["io_uring", FdType.IOURING],
  ["memfd", FdType.MEMFD],
  ["pidfd", FdType.PIDFD],
]);

const L4_PROTOS = new Map<string, number>([
  ["tcp", L4Proto.TCP],
  ["udp", L4Proto.UDP],
  ["icmp", L4Proto.ICMP],
  ["raw", L4Proto.RAW],
]);

const CONTAINER_TYPES = new Map<string, number>([
  ["docker", ContainerType.DOCKER],
  ["lxc", ContainerType.LXC],
  ["libvirt-lxc", ContainerType.LIBVIRT_LXC],
  ["mesos", ContainerType.MESOS],
  ["rkt", ContainerType.RKT],
  ["custom", ContainerType.CUSTOM],
  ["cri", ContainerType.CRI],
  ["containerd", ContainerType.CONTAINERD],
  ["cri-o", ContainerType.CRIO],
  ["bpm", ContainerType.BPM],
  ["static", ContainerType.STATIC],
  ["podman", ContainerType.PODMAN],
]);

/** The clone flags of a new thread (glibc's pthread_create), as PPM_CL_* bits. */
const THREAD_CLONE_FLAGS = ["CLONE_VM", "CLONE_FS", "CLONE_FILES", "CLONE_SIGHAND", "CLONE_THREAD", "CLONE_SYSVSEM", "CLONE_PARENT_SETTID", "CLONE_CHILD_CLEARTID"];
/** The clone flags of fork() (glibc). */
const FORK_CLONE_FLAGS = ["CLONE_CHILD_CLEARTID", "CLONE_CHILD_SETTID"];

const EXE_FLAG_KEYS: Readonly<Record<string, string>> = {
  exe_writable: "EXE_WRITABLE",
  exe_upper_layer: "EXE_UPPER_LAYER",
  exe_from_memfd: "EXE_FROM_MEMFD",
  exe_lower_layer: "EXE_LOWER_LAYER",
};

const COMMON_EVENT_KEYS = new Set(["pid", "tid", "time", "syscall", "event", "direction", "params", "cpu", "state_only", "note"]);

const TOP_KEYS = new Set(["hostname", "start", "interfaces", "dns", "users", "groups", "containers", "processes", "events"]);

const PROCESS_KEYS = new Set([
  "pid",
  "ppid",
  "comm",
  "exe",
  "argv0",
  "exepath",
  "args",
  "cwd",
  "uid",
  "gid",
  "loginuid",
  "env",
  "tty",
  "sid",
  "vpgid",
  "pgid",
  "vpid",
  "container",
  "cgroups",
  "root",
  "fdlimit",
  "threads",
  "fds",
  "cap_permitted",
  "cap_effective",
  "cap_inheritable",
  "exe_writable",
  "exe_upper_layer",
  "exe_lower_layer",
  "exe_from_memfd",
  "note",
]);

const isExec = (name: string): boolean => name === "execve" || name === "execveat";
const isClone = (name: string): boolean => name === "clone" || name === "clone3" || name === "fork" || name === "vfork";
const isOpen = (name: string): boolean => name === "open" || name === "openat" || name === "openat2" || name === "creat";
/** Syscalls that need a socket on their fd (one is opened first when the process has none there). */
const SOCKET_USERS = new Set(["connect", "bind", "listen", "sendto", "sendmsg"]);
/** The read/write family: `res` defaults to the size. */
const IO_SYSCALLS = new Set(["read", "write", "pread", "pwrite", "readv", "writev", "preadv", "pwritev", "recv", "send", "recvfrom", "sendto", "recvmsg", "sendmsg"]);

/** Parameters friendly events must state (beyond the generic fd and path parameters). */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  setuid: ["uid"],
  setgid: ["gid"],
  ptrace: ["request", "pid"],
  kill: ["pid"],
  tkill: ["tid"],
  accept: ["tuple"],
  accept4: ["tuple"],
  bind: ["addr"],
  chdir: ["path"],
};

// --- YAML helpers ------------------------------------------------------------------------------------

type Where = { line: number; column: number };

class Reporter {
  readonly problems: FixtureProblem[] = [];
  constructor(private readonly lines: LineCounter) {}

  at(node: YamlNode | null | undefined): Where {
    const p = this.lines.linePos(node?.range?.[0] ?? 0);
    return { line: p.line, column: p.col };
  }

  report(node: YamlNode | null | undefined, message: string): undefined {
    this.problems.push({ message, ...this.at(node) });
    return undefined;
  }
}

const pairKey = (p: Pair): string => (isScalar(p.key) ? String(p.key.value) : "");

/** The text of a scalar node as written (for numbers: their source, so `0644` stays `0644`). */
function scalarText(n: YamlNode | null | undefined): string | undefined {
  if (!n || !isScalar(n)) return undefined;
  if (n.value === null) return "";
  if (typeof n.value === "string") return n.value;
  return n.source !== undefined ? String(n.source) : String(n.value);
}

/** An integer written in decimal, hex (`0x`), octal (`0o`) or binary (`0b`), with an optional sign. */
function parseIntText(text: string): bigint | undefined {
  const t = text.trim();
  const m = /^([+-]?)(0x[0-9a-f]+|0o[0-7]+|0b[01]+|\d+)$/i.exec(t);
  if (!m) return undefined;
  const body = m[2]!.toLowerCase();
  const v = body.startsWith("0o") ? BigInt("0o" + body.slice(2)) : BigInt(body);
  return m[1] === "-" ? -v : v;
}

const basename = (p: string): string => {
  const s = p.replace(/\/+$/, "");
  const i = s.lastIndexOf("/");
  return i >= 0 ? s.slice(i + 1) : s;
};

/** The task's comm as the kernel sets it: the basename, at most 15 bytes (whole characters here). */
export function commOf(path: string): string {
  let out = "";
  for (const ch of basename(path)) {
    if (utf8(out + ch).length > TASK_COMM_LEN) break;
    out += ch;
  }
  return out;
}

/** `new_encode_dev(MKDEV(136, n))`: the tty number of /dev/pts/n. */
function ptsDevice(n: number): number {
  const major = 136;
  return (n & 0xff) | (major << 8) | ((n & ~0xff) << 12);
}

// --- addresses ---------------------------------------------------------------------------------------

function parseIp(text: string): Uint8Array | undefined {
  return text.includes(":") ? parseIPv6(text) : parseIPv4(text);
}

/** `ip:port`, `[v6]:port`. */
function parseHostPort(text: string): { addr: Uint8Array; port: number } | undefined {
  let host: string;
  let port: string;
  const v6 = /^\[([^\]]+)\]:(\d+)$/.exec(text);
  if (v6) [host, port] = [v6[1]!, v6[2]!];
  else {
    const m = /^([^:]+):(\d+)$/.exec(text);
    if (!m) return undefined;
    [host, port] = [m[1]!, m[2]!];
  }
  const addr = parseIp(host);
  const p = Number(port);
  if (!addr || !Number.isInteger(p) || p > 65535) return undefined;
  return { addr, port: p };
}

/** A socket address: `ip:port`, `[v6]:port`, or a unix socket path (`/run/x.sock`, `@abstract`). */
function parseSockAddr(text: string): SockAddr | undefined {
  if (text.startsWith("/") || text.startsWith("@")) return { family: "unix", path: text };
  const hp = parseHostPort(text);
  if (!hp) return undefined;
  return hp.addr.length === 4 ? { family: "inet", addr: hp.addr, port: hp.port } : { family: "inet6", addr: hp.addr, port: hp.port };
}

/**
 * A connection tuple: `sip:sport->dip:dport` (IPv6 in brackets), or a unix one: a path, or
 * `<source hex>-><dest hex> <path>` as libs prints it.
 */
function parseSockTuple(text: string): SockTuple | undefined {
  const unix = /^([0-9a-f]+)->([0-9a-f]+)(?: (.*))?$/i.exec(text);
  if (unix) return { family: "unix", source: BigInt("0x" + unix[1]!), dest: BigInt("0x" + unix[2]!), path: unix[3] ?? "" };
  if (text.startsWith("/") || text.startsWith("@")) return { family: "unix", source: 0n, dest: 0n, path: text };
  const i = text.indexOf("->");
  if (i < 0) return undefined;
  const a = parseHostPort(text.slice(0, i).trim());
  const b = parseHostPort(text.slice(i + 2).trim());
  if (!a || !b) return undefined;
  if (a.addr.length === b.addr.length) {
    return { family: a.addr.length === 4 ? "inet" : "inet6", sip: a.addr, sport: a.port, dip: b.addr, dport: b.port };
  }
  // mixed: both as IPv6 (the v4 one mapped)
  const map = (x: Uint8Array): Uint8Array => (x.length === 16 ? x : Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...x]));
  return { family: "inet6", sip: map(a.addr), sport: a.port, dip: map(b.addr), dport: b.port };
}

// --- parameter values ----------------------------------------------------------------------------------

const INT_WIDTH: Partial<Record<ParamType, readonly [number, boolean]>> = {
  PT_INT8: [8, true],
  PT_INT16: [16, true],
  PT_INT32: [32, true],
  PT_INT64: [64, true],
  PT_ERRNO: [64, true],
  PT_FD: [64, true],
  PT_PID: [64, true],
  PT_FD32: [32, true],
  PT_PID32: [32, true],
  PT_UINT8: [8, false],
  PT_SIGTYPE: [8, false],
  PT_L4PROTO: [8, false],
  PT_SOCKFAMILY: [8, false],
  PT_FLAGS8: [8, false],
  PT_ENUMFLAGS8: [8, false],
  PT_UINT16: [16, false],
  PT_SYSCALLID: [16, false],
  PT_PORT: [16, false],
  PT_FLAGS16: [16, false],
  PT_ENUMFLAGS16: [16, false],
  PT_UINT32: [32, false],
  PT_FLAGS32: [32, false],
  PT_ENUMFLAGS32: [32, false],
  PT_UID: [32, false],
  PT_GID: [32, false],
  PT_SIGSET: [32, false],
  PT_MODE: [32, false],
  PT_UINT64: [64, false],
  PT_RELTIME: [64, false],
  PT_ABSTIME: [64, false],
};

const enc = { encode: utf8 };

/** An integer parameter value in the width and signedness the reader would decode. */
function intValue(type: ParamType, v: bigint): ParamValue | string {
  const w = INT_WIDTH[type] ?? [64, true];
  const [bits, signed] = w;
  const lo = -(1n << BigInt(bits - 1));
  const hi = (1n << BigInt(bits)) - 1n;
  if (v < lo || v > hi) return `${v} does not fit a ${bits}-bit parameter`;
  return { kind: "int", value: signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v) };
}

const strValue = (s: string): ParamValue => ({ kind: "string", value: s, bytes: enc.encode(s) });

const bytesValue = (b: Uint8Array): ParamValue => (b.length === 0 ? { kind: "empty" } : { kind: "bytes", value: b });

/** Where a parameter value is read: the event's parameter, with what names it may use. */
interface ValueContext {
  info: EventInfo;
  index: number;
  pinfo: ParamInfo;
}

/** A flag table entry by name: exact (case-insensitive), or without its prefix (`RDONLY` for O_RDONLY). */
function flagByName(table: string, name: string): number | string {
  const entries = FLAG_TABLES[table] ?? [];
  const up = name.toUpperCase();
  const exact = entries.find((e) => e.name.toUpperCase() === up);
  if (exact) return exact.value;
  const suffix = entries.filter((e) => e.name.toUpperCase().endsWith("_" + up));
  const values = new Set(suffix.map((e) => e.value));
  if (values.size === 1) return suffix[0]!.value;
  if (values.size > 1) return `'${name}' is ambiguous in ${table} (${suffix.map((e) => e.name).join(", ")})`;
  return `unknown ${table} name '${name}'`;
}

// --- the reader ------------------------------------------------------------------------------------

class FixtureReader {
  readonly r: Reporter;
  readonly usersByName = new Map<string, FixtureUser>();
  readonly usersByUid = new Map<number, FixtureUser>();
  readonly groupsByName = new Map<string, FixtureGroup>();
  readonly containersById = new Map<string, FixtureContainer>();
  maxTid = 0n;

  constructor(lines: LineCounter) {
    this.r = new Reporter(lines);
  }

  // scalars -----------------------------------------------------------------------------------------

  str(n: YamlNode | null | undefined, what: string): string | undefined {
    const t = scalarText(n);
    if (t === undefined) return this.r.report(n, `${what} must be a string`);
    return t;
  }

  int(n: YamlNode | null | undefined, what: string): bigint | undefined {
    const t = scalarText(n);
    const v = t !== undefined ? parseIntText(t) : undefined;
    if (v === undefined) return this.r.report(n, `${what} must be an integer${t !== undefined ? `, not '${t}'` : ""}`);
    return v;
  }

  u32(n: YamlNode | null | undefined, what: string): number | undefined {
    const v = this.int(n, what);
    if (v === undefined) return undefined;
    if (v < -1n || v > 0xffffffffn) return this.r.report(n, `${what} must fit 32 bits`);
    return Number(BigInt.asUintN(32, v));
  }

  bool(n: YamlNode | null | undefined, what: string): boolean | undefined {
    if (n && isScalar(n) && typeof n.value === "boolean") return n.value;
    const t = scalarText(n);
    if (t === "true") return true;
    if (t === "false") return false;
    return this.r.report(n, `${what} must be true or false`);
  }

  strings(n: YamlNode | null | undefined, what: string, splitSpaces = false): string[] | undefined {
    if (n && isSeq(n)) {
      const out: string[] = [];
      for (const item of n.items as YamlNode[]) {
        const s = this.str(item, `each of ${what}`);
        if (s === undefined) return undefined;
        out.push(s);
      }
      return out;
    }
    if (splitSpaces) {
      const t = scalarText(n);
      if (t !== undefined) return t.split(/\s+/).filter((x) => x.length > 0);
    }
    return this.r.report(n, `${what} must be a list of strings`);
  }

  /** `env`: a list of `NAME=value` strings or a map. */
  env(n: YamlNode | null | undefined): string[] | undefined {
    if (n && isMap(n)) {
      const out: string[] = [];
      for (const p of n.items) out.push(`${pairKey(p)}=${scalarText(p.value as YamlNode) ?? ""}`);
      return out;
    }
    return this.strings(n, "env");
  }

  uid(n: YamlNode | null | undefined, what: string): number | undefined {
    const t = scalarText(n);
    if (t !== undefined && parseIntText(t) === undefined) {
      const u = this.usersByName.get(t);
      if (!u) return this.r.report(n, `${what}: no user named '${t}' in users`);
      return u.uid;
    }
    return this.u32(n, what);
  }

  gid(n: YamlNode | null | undefined, what: string): number | undefined {
    const t = scalarText(n);
    if (t !== undefined && parseIntText(t) === undefined) {
      const g = this.groupsByName.get(t);
      if (!g) return this.r.report(n, `${what}: no group named '${t}' in groups`);
      return g.gid;
    }
    return this.u32(n, what);
  }

  tty(n: YamlNode | null | undefined): number | undefined {
    const t = scalarText(n);
    const pts = t !== undefined ? /^(?:\/dev\/)?pts\/(\d+)$/.exec(t) : null;
    if (pts) return ptsDevice(Number(pts[1]));
    return this.u32(n, "tty");
  }

  /** A map node's pairs with a check of the allowed keys. */
  pairs(n: YamlNode | null | undefined, what: string, allowed?: ReadonlySet<string>): Pair[] | undefined {
    if (!n || !isMap(n)) return this.r.report(n, `${what} must be a map`);
    const out: Pair[] = [];
    for (const p of (n as YAMLMap).items) {
      const k = pairKey(p);
      if (allowed && !allowed.has(k)) {
        this.r.report(p.key as YamlNode, `unknown key '${k}' in ${what} (known: ${[...allowed].filter((x) => x !== "note").join(", ")})`);
        continue;
      }
      out.push(p);
    }
    return out;
  }

  list(n: YamlNode | null | undefined, what: string): YamlNode[] | undefined {
    if (n && isScalar(n) && n.value === null) return [];
    if (!n || !isSeq(n)) return this.r.report(n, `${what} must be a list`);
    return n.items as YamlNode[];
  }

  // parameter values ------------------------------------------------------------------------------------

  /** Converts a YAML value to the parameter's value; reports and returns undefined when it cannot. */
  param(vc: ValueContext, n: YamlNode | null | undefined): ParamValue | undefined {
    const { pinfo } = vc;
    const type = pinfo.type;
    const what = `${vc.info.name}: ${pinfo.name}`;
    if (n && isScalar(n) && n.value === null && type !== "PT_CHARBUF" && type !== "PT_FSPATH" && type !== "PT_FSRELPATH") return { kind: "empty" };
    if (INT_WIDTH[type] !== undefined) {
      const v = this.intParam(vc, n);
      if (v === undefined) return undefined;
      const out = intValue(type, v);
      if (typeof out === "string") return this.r.report(n, `${what}: ${out}`);
      return out;
    }
    switch (type) {
      case "PT_CHARBUF":
      case "PT_FSPATH":
      case "PT_FSRELPATH": {
        const s = this.str(n, what);
        return s === undefined ? undefined : strValue(s);
      }
      case "PT_BYTEBUF": {
        if (n && (isSeq(n) || isMap(n))) {
          const list = pinfo.name === "env" ? this.env(n) : this.strings(n, what);
          return list === undefined ? undefined : bytesValue(nulJoin(list));
        }
        if (pinfo.name === "args" || pinfo.name === "cgroups") {
          const list = this.strings(n, what, true);
          return list === undefined ? undefined : bytesValue(nulJoin(list));
        }
        const s = this.str(n, what);
        return s === undefined ? undefined : bytesValue(enc.encode(s));
      }
      case "PT_BOOL": {
        const b = this.bool(n, what);
        return b === undefined ? undefined : { kind: "bool", value: b };
      }
      case "PT_DOUBLE": {
        const t = scalarText(n);
        const d = t !== undefined ? Number(t) : NaN;
        if (!Number.isFinite(d)) return this.r.report(n, `${what} must be a number`);
        return { kind: "double", value: d };
      }
      case "PT_SOCKADDR": {
        const t = this.str(n, what);
        if (t === undefined) return undefined;
        const a = parseSockAddr(t);
        if (!a) return this.r.report(n, `${what}: '${t}' is not an address (ip:port, [ipv6]:port or a unix socket path)`);
        return { kind: "sockaddr", value: a };
      }
      case "PT_SOCKTUPLE": {
        const t = this.str(n, what);
        if (t === undefined) return undefined;
        const tu = parseSockTuple(t);
        if (!tu) return this.r.report(n, `${what}: '${t}' is not a connection (sip:sport->dip:dport, [ipv6]:port->[ipv6]:port or a unix socket path)`);
        return { kind: "socktuple", value: tu };
      }
      case "PT_IPV4ADDR":
      case "PT_IPV6ADDR":
      case "PT_IPADDR": {
        const t = this.str(n, what);
        if (t === undefined) return undefined;
        const ip = parseIp(t);
        if (!ip || (type === "PT_IPV4ADDR" && ip.length !== 4) || (type === "PT_IPV6ADDR" && ip.length !== 16)) return this.r.report(n, `${what}: '${t}' is not an IP address of that kind`);
        return { kind: "ip", value: ip };
      }
      case "PT_CHARBUFARRAY": {
        const list = this.strings(n, what);
        return list === undefined ? undefined : { kind: "strings", value: list };
      }
      case "PT_CHARBUF_PAIR_ARRAY": {
        if (!n || !isMap(n)) return this.r.report(n, `${what} must be a map`);
        return { kind: "pairs", value: n.items.map((p) => [pairKey(p), scalarText(p.value as YamlNode) ?? ""] as [string, string]) };
      }
      case "PT_FDLIST": {
        const items = this.list(n, what);
        if (!items) return undefined;
        const value: { fd: bigint; flags: number }[] = [];
        for (const item of items) {
          if (isMap(item)) {
            const fd = this.int(item.get("fd", true) as YamlNode, `${what} fd`);
            const flags = item.has("flags") ? this.u32(item.get("flags", true) as YamlNode, `${what} flags`) : 0;
            if (fd === undefined || flags === undefined) return undefined;
            value.push({ fd, flags });
          } else {
            const fd = this.int(item, `${what} fd`);
            if (fd === undefined) return undefined;
            value.push({ fd, flags: 0 });
          }
        }
        return { kind: "fdlist", value };
      }
      case "PT_DYN": {
        const layouts = pinfo.dyn ?? [];
        const t = scalarText(n);
        const asInt = t !== undefined ? parseIntText(t) : undefined;
        const idx = layouts.findIndex((l) => (asInt !== undefined ? INT_WIDTH[l.type] !== undefined : l.type === "PT_CHARBUF" || l.type === "PT_FSPATH" || l.type === "PT_SOCKADDR"));
        if (idx < 0 || t === undefined) return this.r.report(n, `${what}: give ${layouts.map((l) => l.type.slice(3).toLowerCase()).join(" or ")}`);
        const sub = layouts[idx]!;
        let value: ParamValue | undefined;
        if (asInt !== undefined) {
          const iv = intValue(sub.type, asInt);
          if (typeof iv === "string") return this.r.report(n, `${what}: ${iv}`);
          value = iv;
        } else if (sub.type === "PT_SOCKADDR") {
          const a = parseSockAddr(t);
          if (!a) return this.r.report(n, `${what}: '${t}' is not an address`);
          value = { kind: "sockaddr", value: a };
        } else value = strValue(t);
        return { kind: "dyn", index: idx, value };
      }
      default:
        return this.r.report(n, `${what}: ${type} parameters cannot be written in fixtures`);
    }
  }

  /** An integer parameter: a number, or a name the parameter knows (flags, errno, users, signals...). */
  private intParam(vc: ValueContext, n: YamlNode | null | undefined): bigint | undefined {
    const { pinfo, info } = vc;
    const what = `${info.name}: ${pinfo.name}`;
    const isMode = pinfo.type === "PT_MODE" || pinfo.name === "mode";
    // flags combine: a list, or names joined by |
    const combines = pinfo.flagsTable !== undefined || ((info.name === "socket" || info.name === "socketpair") && pinfo.name === "type");
    const parts: { text: string; node: YamlNode | null | undefined }[] = [];
    if (n && isSeq(n)) {
      if (!combines) return this.r.report(n, `${what} takes one value`);
      for (const item of n.items as YamlNode[]) {
        const t = scalarText(item);
        if (t === undefined) return this.r.report(item, `${what}: each item must be a flag name or a number`);
        parts.push({ text: t, node: item });
      }
    } else {
      const t = scalarText(n);
      if (t === undefined) return this.r.report(n, `${what} must be a number${pinfo.flagsTable ? " or flag names" : ""}`);
      if (combines && t.includes("|")) for (const x of t.split("|")) parts.push({ text: x.trim(), node: n });
      else parts.push({ text: t.trim(), node: n });
    }
    let acc = 0n;
    for (const { text, node } of parts) {
      let v: bigint | string;
      if (isMode && /^\d+$/.test(text)) v = /^[0-7]+$/.test(text) ? BigInt("0o" + text) : `'${text}' is not an octal mode`;
      else v = parseIntText(text) ?? this.intByName(vc, text);
      if (typeof v === "string") return this.r.report(node, `${what}: ${v}`);
      if (parts.length === 1) return v;
      acc |= v;
    }
    return acc;
  }

  private intByName(vc: ValueContext, name: string): bigint | string {
    const { pinfo, index, info } = vc;
    const up = name.toUpperCase();
    const isResult = index === 0 && info.dir === "exit";
    if (pinfo.type === "PT_ERRNO" || (isResult && (pinfo.type === "PT_FD" || pinfo.type === "PT_PID"))) {
      if (up === "SUCCESS") return 0n;
      const e = ERRNO_BY_NAME.get(up);
      if (e !== undefined) return -BigInt(e);
      return `'${name}' is neither a number nor an errno name (ENOENT, EACCES...)`;
    }
    if (pinfo.type === "PT_FD" && (up === "AT_FDCWD" || up === "CWD")) return AT_FDCWD;
    if (pinfo.type === "PT_UID") {
      const u = this.usersByName.get(name);
      return u ? BigInt(u.uid) : `no user named '${name}' in users`;
    }
    if (pinfo.type === "PT_GID") {
      const g = this.groupsByName.get(name);
      return g ? BigInt(g.gid) : `no group named '${name}' in groups`;
    }
    if (pinfo.type === "PT_SIGTYPE") {
      const s = SIGNAL_BY_NAME.get(up) ?? SIGNAL_BY_NAME.get("SIG" + up);
      return s !== undefined ? BigInt(s) : `unknown signal '${name}'`;
    }
    if (pinfo.type === "PT_ABSTIME") {
      const ts = parseTime(name);
      return ts !== undefined ? ts : `'${name}' is neither ISO 8601 nor nanoseconds since the epoch`;
    }
    if (pinfo.flagsTable) {
      if (pinfo.flagsTable === "socket_families") {
        const a = FAMILY_ALIASES.get(up);
        if (a !== undefined) return BigInt(a);
      }
      const v = flagByName(pinfo.flagsTable, name);
      return typeof v === "number" ? BigInt(v) : v;
    }
    if ((info.name === "socket" || info.name === "socketpair") && pinfo.name === "type") {
      const v = SOCK_TYPES.get(up);
      return v !== undefined ? BigInt(v) : `unknown socket type '${name}' (SOCK_STREAM, SOCK_DGRAM, SOCK_RAW...)`;
    }
    if ((info.name === "socket" || info.name === "socketpair") && pinfo.name === "proto") {
      const v = PROTOCOLS.get(up);
      return v !== undefined ? BigInt(v) : `unknown protocol '${name}' (tcp, udp, icmp, raw or a number)`;
    }
    if (pinfo.name === "tty") {
      const pts = /^(?:\/dev\/)?pts\/(\d+)$/.exec(name);
      if (pts) return BigInt(ptsDevice(Number(pts[1])));
    }
    return `'${name}' is not a number`;
  }

  // users, groups, interfaces, containers --------------------------------------------------------------

  readUsers(n: YamlNode): FixtureUser[] {
    const out: FixtureUser[] = [];
    for (const item of this.list(n, "users") ?? []) {
      const pairs = this.pairs(item, "a user", new Set(["uid", "gid", "name", "home", "shell", "note"]));
      if (!pairs) continue;
      const get = (k: string) => pairs.find((p) => pairKey(p) === k)?.value as YamlNode | undefined;
      if (get("uid") === undefined || get("name") === undefined) {
        this.r.report(item, "a user needs uid and name");
        continue;
      }
      const uid = this.u32(get("uid"), "uid");
      const name = this.str(get("name"), "name");
      const gid = get("gid") !== undefined ? this.u32(get("gid"), "gid") : uid;
      const home = get("home") !== undefined ? this.str(get("home"), "home") : "";
      const shell = get("shell") !== undefined ? this.str(get("shell"), "shell") : "";
      if (uid === undefined || name === undefined || gid === undefined || home === undefined || shell === undefined) continue;
      if (this.usersByUid.has(uid)) this.r.report(item, `uid ${uid} is listed twice`);
      const u = { uid, gid, name, home, shell };
      out.push(u);
      this.usersByUid.set(uid, u);
      if (!this.usersByName.has(name)) this.usersByName.set(name, u);
    }
    return out;
  }

  readGroups(n: YamlNode): FixtureGroup[] {
    const out: FixtureGroup[] = [];
    for (const item of this.list(n, "groups") ?? []) {
      const pairs = this.pairs(item, "a group", new Set(["gid", "name", "note"]));
      if (!pairs) continue;
      const get = (k: string) => pairs.find((p) => pairKey(p) === k)?.value as YamlNode | undefined;
      if (get("gid") === undefined || get("name") === undefined) {
        this.r.report(item, "a group needs gid and name");
        continue;
      }
      const gid = this.u32(get("gid"), "gid");
      const name = this.str(get("name"), "name");
      if (gid === undefined || name === undefined) continue;
      const g = { gid, name };
      out.push(g);
      if (!this.groupsByName.has(name)) this.groupsByName.set(name, g);
    }
    return out;
  }

  readInterfaces(n: YamlNode): FixtureInterface[] {
    const out: FixtureInterface[] = [];
    for (const item of this.list(n, "interfaces") ?? []) {
      const pairs = this.pairs(item, "an interface", new Set(["name", "addr", "note"]));
      if (!pairs) continue;
      const get = (k: string) => pairs.find((p) => pairKey(p) === k)?.value as YamlNode | undefined;
      const name = get("name") !== undefined ? this.str(get("name"), "name") : "eth0";
      const text = this.str(get("addr"), "addr (an address, optionally with /prefix)");
      if (name === undefined || text === undefined) continue;
      const m = /^([^/]+)(?:\/(\d+))?$/.exec(text);
      const addr = m ? parseIp(m[1]!) : undefined;
      const prefix = m?.[2] !== undefined ? Number(m[2]) : addr?.length === 4 ? 32 : 128;
      if (!addr || prefix > addr.length * 8) {
        this.r.report(get("addr"), `addr: '${text}' is not an address with an optional /prefix`);
        continue;
      }
      const netmask = new Uint8Array(addr.length);
      for (let i = 0; i < prefix; i++) netmask[i >> 3]! |= 0x80 >> (i & 7);
      out.push({ name, addr, netmask });
    }
    return out;
  }

  /** `dns:`: host name -> an address or a list of addresses. */
  readDns(n: YamlNode): DnsTable {
    const entries: [string, Uint8Array[]][] = [];
    if (n && isScalar(n) && n.value === null) return dnsTable(entries);
    if (!n || !isMap(n)) {
      this.r.report(n, "dns must be a map from host names to addresses");
      return dnsTable(entries);
    }
    const seen = new Map<string, string>();
    for (const p of (n as YAMLMap).items) {
      const keyNode = p.key as YamlNode;
      const name = scalarText(keyNode);
      if (name === undefined || name === "") {
        this.r.report(keyNode, "dns: each key must be a host name");
        continue;
      }
      if (parseIp(name)) {
        this.r.report(keyNode, `dns: '${name}' is an address, which resolves to itself; give host names`);
        continue;
      }
      const folded = name.replace(/[A-Z]/g, (c) => c.toLowerCase());
      const twin = seen.get(folded);
      if (twin !== undefined) {
        this.r.report(keyNode, `dns: '${name}' is listed twice (as '${twin}'; names ignore case)`);
        continue;
      }
      seen.set(folded, name);
      const v = p.value as YamlNode | null;
      const items: (YamlNode | null | undefined)[] = v && isSeq(v) ? (v.items as YamlNode[]) : [v];
      const addrs: Uint8Array[] = [];
      let ok = true;
      for (const item of items) {
        const t = scalarText(item);
        const a = t !== undefined && t !== "" ? parseIp(t) : undefined;
        if (!a) {
          this.r.report(item ?? keyNode, `dns: ${name}: ${t === undefined || t === "" ? "give an address or a list of addresses" : `'${t}' is not an IPv4 or IPv6 address`}`);
          ok = false;
          break;
        }
        addrs.push(a);
      }
      if (ok) entries.push([name, addrs]);
    }
    return dnsTable(entries);
  }

  /** The cgroup path and reported id for a container id; a problem when the id cannot be one. */
  containerLayout(node: YamlNode | undefined, id: string): { id: string; fullId: string; cgroup: string } | undefined {
    if (/^[0-9a-f]{64}$/i.test(id)) return { id: id.slice(0, 12), fullId: id, cgroup: `/docker/${id}` };
    if (/^[A-Za-z0-9][A-Za-z0-9_-]{0,11}$/.test(id)) return { id, fullId: id, cgroup: `/default/${id}` };
    return this.r.report(node, `container id '${id}' must be 1-12 letters, digits, '-' or '_' (as container.id shows it) or 64 hex digits`);
  }

  readContainers(n: YamlNode): FixtureContainer[] {
    const out: FixtureContainer[] = [];
    const keys = new Set(["id", "name", "image", "image_repository", "image_tag", "image_digest", "image_id", "type", "privileged", "ip", "labels", "pod", "mounts", "host_network", "host_pid", "host_ipc", "user", "note"]);
    for (const item of this.list(n, "containers") ?? []) {
      const pairs = this.pairs(item, "a container", keys);
      if (!pairs) continue;
      const get = (k: string) => pairs.find((p) => pairKey(p) === k)?.value as YamlNode | undefined;
      if (get("id") === undefined) {
        this.r.report(item, "a container needs an id");
        continue;
      }
      const rawId = this.str(get("id"), "id");
      if (rawId === undefined) continue;
      const layout = this.containerLayout(get("id"), rawId);
      if (!layout) continue;
      const c: Record<string, unknown> = { id: layout.id, full_id: layout.fullId };
      const s = (k: string, json: string): void => {
        if (get(k) === undefined) return;
        const v = this.str(get(k), k);
        if (v !== undefined) c[json] = v;
      };
      const b = (k: string, json: string): void => {
        if (get(k) === undefined) return;
        const v = this.bool(get(k), k);
        if (v !== undefined) c[json] = v;
      };
      s("name", "name");
      s("image", "image");
      s("image_id", "imageid");
      s("ip", "ip");
      s("user", "User");
      b("privileged", "privileged");
      b("host_network", "host_network");
      b("host_pid", "host_pid");
      b("host_ipc", "host_ipc");
      const image = typeof c["image"] === "string" ? (c["image"] as string) : "";
      const split = splitImage(image);
      c["imagerepo"] = split.repo;
      c["imagetag"] = split.tag;
      c["imagedigest"] = split.digest;
      s("image_repository", "imagerepo");
      s("image_tag", "imagetag");
      s("image_digest", "imagedigest");
      let type: number = ContainerType.DOCKER;
      if (get("type") !== undefined) {
        const t = this.str(get("type"), "type");
        const v = t !== undefined ? CONTAINER_TYPES.get(t.toLowerCase()) : undefined;
        if (t !== undefined && v === undefined) this.r.report(get("type"), `unknown container type '${t}' (${[...CONTAINER_TYPES.keys()].join(", ")})`);
        if (v !== undefined) type = v;
      }
      c["type"] = type;
      const labels: Record<string, string> = {};
      if (get("labels") !== undefined) {
        const lp = this.pairs(get("labels"), "labels");
        for (const p of lp ?? []) labels[pairKey(p)] = scalarText(p.value as YamlNode) ?? "";
      }
      if (get("pod") !== undefined) {
        const pp = this.pairs(get("pod"), "pod", new Set(["name", "namespace", "uid"]));
        for (const p of pp ?? []) {
          const v = this.str(p.value as YamlNode, `pod ${pairKey(p)}`);
          if (v !== undefined) labels[`io.kubernetes.pod.${pairKey(p)}`] = v;
        }
      }
      c["labels"] = labels;
      if (get("mounts") !== undefined) {
        const mounts: Record<string, unknown>[] = [];
        for (const m of this.list(get("mounts"), "mounts") ?? []) {
          const mp = this.pairs(m, "a mount", new Set(["source", "dest", "mode", "rw", "propagation"]));
          if (!mp) continue;
          const mget = (k: string) => mp.find((p) => pairKey(p) === k)?.value as YamlNode | undefined;
          mounts.push({
            Source: mget("source") !== undefined ? (this.str(mget("source"), "source") ?? "") : "",
            Destination: mget("dest") !== undefined ? (this.str(mget("dest"), "dest") ?? "") : "",
            Mode: mget("mode") !== undefined ? (this.str(mget("mode"), "mode") ?? "") : "",
            RW: mget("rw") !== undefined ? (this.bool(mget("rw"), "rw") ?? false) : true,
            Propagation: mget("propagation") !== undefined ? (this.str(mget("propagation"), "propagation") ?? "") : "",
          });
        }
        c["Mounts"] = mounts;
      }
      if (this.containersById.has(layout.id)) this.r.report(item, `container ${layout.id} is listed twice`);
      const fc: FixtureContainer = { id: layout.id, cgroup: layout.cgroup, json: JSON.stringify({ container: c }), line: this.r.at(item).line };
      this.containersById.set(layout.id, fc);
      out.push(fc);
    }
    return out;
  }

  // processes ------------------------------------------------------------------------------------------

  readProcesses(n: YamlNode): FixtureThread[] {
    const out: FixtureThread[] = [];
    const seen = new Set<bigint>();
    for (const item of this.list(n, "processes") ?? []) {
      const pairs = this.pairs(item, "a process", PROCESS_KEYS);
      if (!pairs) continue;
      const get = (k: string) => pairs.find((p) => pairKey(p) === k)?.value as YamlNode | undefined;
      const line = this.r.at(item).line;
      const before = this.r.problems.length;
      if (get("pid") === undefined) {
        this.r.report(item, "a process needs a pid");
        continue;
      }
      if (get("comm") === undefined && get("exe") === undefined) {
        this.r.report(item, "a process needs comm or exe");
        continue;
      }
      const pid = this.int(get("pid"), "pid");
      const opt = <T>(k: string, read: (x: YamlNode) => T | undefined, dflt: T): T => {
        const v = get(k);
        return v === undefined ? dflt : (read(v) ?? dflt);
      };
      const ppid = opt("ppid", (x) => this.int(x, "ppid"), 0n);
      const exe = opt("exe", (x) => this.str(x, "exe"), "");
      const comm = opt("comm", (x) => this.str(x, "comm"), commOf(exe));
      const argv0 = opt("argv0", (x) => this.str(x, "argv0"), exe !== "" ? exe : comm);
      const exepath = opt("exepath", (x) => this.str(x, "exepath"), exe.startsWith("/") ? concatenatePaths("", exe) : "");
      const args = opt("args", (x) => this.strings(x, "args", true), [] as string[]);
      const cwd = opt("cwd", (x) => this.str(x, "cwd"), "/");
      const uid = opt("uid", (x) => this.uid(x, "uid"), 0);
      const gid = opt("gid", (x) => this.gid(x, "gid"), this.usersByUid.get(uid)?.gid ?? uid);
      const loginuid = opt("loginuid", (x) => this.uid(x, "loginuid"), UINT32_MAX);
      const env = opt("env", (x) => this.env(x), [] as string[]);
      const tty = opt("tty", (x) => this.tty(x), 0);
      const sid = opt("sid", (x) => this.int(x, "sid"), pid ?? 0n);
      const vpgid = opt("vpgid", (x) => this.int(x, "vpgid"), pid ?? 0n);
      const pgid = opt("pgid", (x) => this.int(x, "pgid"), vpgid);
      const vpid = opt("vpid", (x) => this.int(x, "vpid"), pid ?? 0n);
      const root = opt("root", (x) => this.str(x, "root"), "/");
      const fdlimit = opt("fdlimit", (x) => this.int(x, "fdlimit"), DEFAULT_FDLIMIT);
      const capP = opt("cap_permitted", (x) => this.int(x, "cap_permitted"), 0n);
      const capE = opt("cap_effective", (x) => this.int(x, "cap_effective"), 0n);
      const capI = opt("cap_inheritable", (x) => this.int(x, "cap_inheritable"), 0n);
      const flag = (k: string) => opt(k, (x) => this.bool(x, k), false);
      let cgroups = opt("cgroups", (x) => this.strings(x, "cgroups"), [] as string[]);
      if (get("container") !== undefined) {
        const cid = this.str(get("container"), "container");
        const layout = cid !== undefined ? (this.containersById.get(cid) ?? this.containerLayout(get("container"), cid)) : undefined;
        if (layout && get("cgroups") === undefined) cgroups = ["cpuset", "cpu", "memory", "pids"].map((s) => `${s}=${layout.cgroup}`);
        else if (layout) this.r.report(get("container"), "give container or cgroups, not both");
      }
      const threads = opt("threads", (x) => this.list(x, "threads")?.map((t) => this.int(t, "a thread id")), [] as (bigint | undefined)[]);
      if (pid === undefined || this.r.problems.length > before) continue;
      const tids = [pid, ...threads.filter((t): t is bigint => t !== undefined)];
      for (const tid of tids) {
        if (seen.has(tid)) this.r.report(item, `thread ${tid} is listed twice`);
        seen.add(tid);
        if (tid > this.maxTid) this.maxTid = tid;
      }
      if (ppid > this.maxTid) this.maxTid = ppid;
      const fds: FdRecord[] = [];
      if (get("fds") !== undefined) for (const f of this.list(get("fds"), "fds") ?? []) {
        const fd = this.readFd(f, pid);
        if (fd) fds.push(fd);
      }
      tids.forEach((tid, i) => {
        const record: ThreadRecord = {
          kind: "thread",
          offset: 0,
          blockType: 0x215,
          tid,
          pid,
          ptid: ppid,
          sid,
          vpgid,
          pgid,
          comm,
          exe: argv0,
          exepath,
          args,
          cwd,
          fdlimit,
          // /proc threads other than the leader share its fd table
          flags: i === 0 ? 0 : ThreadFlag.CLONE_THREAD | ThreadFlag.CLONE_FILES,
          uid,
          gid,
          vmsizeKb: 0,
          vmrssKb: 0,
          vmswapKb: 0,
          pfmajor: 0n,
          pfminor: 0n,
          env,
          vtid: tid - pid + vpid,
          vpid,
          cgroups,
          root,
          pidnsInitStartTs: 0n,
          tty,
          loginuid,
          exeWritable: flag("exe_writable"),
          capInheritable: capI,
          capPermitted: capP,
          capEffective: capE,
          exeUpperLayer: flag("exe_upper_layer"),
          exeLowerLayer: flag("exe_lower_layer"),
          exeFromMemfd: flag("exe_from_memfd"),
          exeIno: 0n,
          exeInoCtime: 0n,
          exeInoMtime: 0n,
        };
        out.push({ record, fds: i === 0 ? fds : [], line });
      });
    }
    return out;
  }

  private readFd(n: YamlNode, tid: bigint): FdRecord | undefined {
    const pairs = this.pairs(n, "an fd", new Set(["fd", "type", "name", "flags", "tuple", "addr", "proto", "ino", "dev", "note"]));
    if (!pairs) return undefined;
    const get = (k: string) => pairs.find((p) => pairKey(p) === k)?.value as YamlNode | undefined;
    if (get("fd") === undefined) return this.r.report(n, "an fd needs fd (its number)");
    const before = this.r.problems.length;
    const fd = this.int(get("fd"), "fd");
    const typeName = get("type") !== undefined ? this.str(get("type"), "type") : get("tuple") !== undefined || get("addr") !== undefined ? undefined : "file";
    let type: number | undefined = typeName !== undefined ? FD_TYPES.get(typeName) : undefined;
    const ino = get("ino") !== undefined ? this.int(get("ino"), "ino") : 0n;
    const name = get("name") !== undefined ? this.str(get("name"), "name") : "";
    const base = { kind: "fd" as const, offset: 0, blockType: 0x218, tid, fd: fd ?? 0n, ino: ino ?? 0n, name: name ?? "" };
    if (typeName !== undefined && type === undefined) return this.r.report(get("type"), `unknown fd type '${typeName}' (${[...FD_TYPES.keys()].join(", ")})`);
    const l4 = get("proto") !== undefined ? this.str(get("proto"), "proto") : "tcp";
    const l4proto = l4 !== undefined ? L4_PROTOS.get(l4.toLowerCase()) : undefined;
    if (l4 !== undefined && l4proto === undefined) this.r.report(get("proto"), `unknown protocol '${l4}' (tcp, udp, icmp, raw)`);
    let rec: FdRecord | undefined;
    if (get("tuple") !== undefined) {
      const t = this.str(get("tuple"), "tuple");
      const tu = t !== undefined ? parseSockTuple(t) : undefined;
      if (!tu || tu.family === "other") return this.r.report(get("tuple"), `tuple: '${t}' is not a connection (sip:sport->dip:dport or a unix socket path)`);
      if (tu.family === "unix") rec = { ...base, type: FdType.UNIX_SOCK, source: tu.source, dest: tu.dest, name: tu.path };
      else rec = { ...base, type: tu.family === "inet" ? FdType.IPV4_SOCK : FdType.IPV6_SOCK, sip: tu.sip, sport: tu.sport, dip: tu.dip, dport: tu.dport, l4proto: l4proto ?? L4Proto.TCP };
    } else if (get("addr") !== undefined) {
      const t = this.str(get("addr"), "addr");
      const a = t !== undefined ? parseSockAddr(t) : undefined;
      if (!a || a.family === "other") return this.r.report(get("addr"), `addr: '${t}' is not an address (ip:port or a unix socket path)`);
      if (a.family === "unix") rec = { ...base, type: FdType.UNIX_SOCK, source: 0n, dest: 0n, name: a.path };
      else rec = { ...base, type: a.family === "inet" ? FdType.IPV4_SERVSOCK : FdType.IPV6_SERVSOCK, ip: a.addr, port: a.port, l4proto: l4proto ?? L4Proto.TCP };
    } else {
      if (type === FdType.IPV4_SOCK || type === FdType.IPV6_SOCK) return this.r.report(n, `an fd of type ${typeName} needs a tuple (a connection) or an addr (a listening socket)`);
      type ??= FdType.FILE_V2;
      const flags = get("flags") !== undefined ? this.openFlags(get("flags")) : 1;
      const dev = get("dev") !== undefined ? this.u32(get("dev"), "dev") : 0;
      rec = type === FdType.FILE_V2 ? { ...base, type, openFlags: flags ?? 0, dev: dev ?? 0 } : { ...base, type };
    }
    if (typeName !== undefined && rec.type !== type && !(type === FdType.IPV4_SOCK && rec.type === FdType.IPV4_SERVSOCK) && !(type === FdType.IPV6_SOCK && rec.type === FdType.IPV6_SERVSOCK)) {
      return this.r.report(get("type"), `type ${typeName} does not match the ${get("tuple") !== undefined ? "tuple" : "addr"}`);
    }
    if (this.r.problems.length > before) return undefined;
    return rec;
  }

  private openFlags(n: YamlNode | undefined): number | undefined {
    const items = n && isSeq(n) ? (n.items as YamlNode[]) : [n];
    let acc = 0;
    for (const item of items) {
      const t = scalarText(item);
      if (t === undefined) return this.r.report(item, "flags must be open flag names or a number");
      for (const part of t.split("|")) {
        const v = parseIntText(part) ?? flagByName("file_flags", part.trim());
        if (typeof v === "string") return this.r.report(item, `flags: ${v}`);
        acc |= Number(v);
      }
    }
    return acc >>> 0;
  }

  // events ---------------------------------------------------------------------------------------------

  readEvents(n: YamlNode, start: bigint): FixtureEvent[] {
    const out: FixtureEvent[] = [];
    let clock = start - DEFAULT_STEP;
    for (const item of this.list(n, "events") ?? []) {
      const before = this.r.problems.length;
      const ev = this.readEvent(item, clock);
      if (ev) clock = ev.ts;
      else {
        // keep the clock moving as if the event were there
        clock += DEFAULT_STEP;
      }
      if (ev && this.r.problems.length === before) out.push(ev);
    }
    return out;
  }

  private readEvent(n: YamlNode, clock: bigint): FixtureEvent | undefined {
    if (!n || !isMap(n)) return this.r.report(n, "an event is a map (syscall: ..., pid: ..., and its parameters)");
    const map = n as YAMLMap;
    const get = (k: string) => map.get(k, true) as YamlNode | undefined;
    // which event
    let info: EventInfo | undefined;
    const raw = map.has("event");
    if (raw && map.has("syscall")) return this.r.report(n, "give syscall (by name) or event (PPME_... code name), not both");
    if (raw) {
      const name = this.str(get("event"), "event");
      if (name === undefined) return undefined;
      const enumName = name.toUpperCase().startsWith("PPME_") ? name.toUpperCase() : `PPME_${name.toUpperCase()}`;
      info = EVENTS.find((e) => e !== undefined && e.enumName === enumName);
      if (!info) return this.r.report(get("event"), `unknown event '${name}'`);
      if (info.delivery !== "as-is") return this.r.report(get("event"), notDelivered(info));
    } else if (map.has("syscall")) {
      const name = this.str(get("syscall"), "syscall");
      if (name === undefined) return undefined;
      let dir: "enter" | "exit" | undefined;
      if (map.has("direction")) {
        const d = this.str(get("direction"), "direction");
        if (d === "enter" || d === ">") dir = "enter";
        else if (d === "exit" || d === "<") dir = "exit";
        else return this.r.report(get("direction"), "direction is enter (>) or exit (<)");
      }
      const pick = (d: "enter" | "exit") => eventCodes(name, d).map((c) => EVENTS[c]!);
      const exits = pick("exit");
      const enters = pick("enter");
      if (exits.length === 0 && enters.length === 0) return this.r.report(get("syscall"), `unknown syscall '${name}'${suggest(name)}`);
      const candidates = dir === "enter" ? enters : dir === "exit" ? exits : exits.some((e) => e.delivery === "as-is") ? exits : enters;
      info = candidates.find((e) => e.delivery === "as-is");
      if (!info) {
        const d = dir ?? "exit";
        return this.r.report(get(map.has("direction") ? "direction" : "syscall"), `libs delivers no ${name}${d === "enter" ? ">" : "<"} events (modern drivers only send ${d === "enter" ? "the exit" : "the enter"} event)`);
      }
    } else return this.r.report(n, "an event needs syscall (a name: openat, execve...) or event (PPME_SYSCALL_OPENAT_2_X...)");
    return this.readEventBody(n, map, info, raw, clock);
  }

  private readEventBody(n: YamlNode, map: YAMLMap, info: EventInfo, raw: boolean, clock: bigint): FixtureEvent | undefined {
    const get = (k: string) => map.get(k, true) as YamlNode | undefined;
    const where = this.r.at(n);
    const before = this.r.problems.length;
    const ev: FixtureEvent = { line: where.line, column: where.column, code: info.code, raw, tid: 0n, pid: undefined, ppid: undefined, ts: clock + DEFAULT_STEP, cpu: 0, flags: 0, params: new Map() };
    // thread, time
    const pid = map.has("pid") ? this.int(get("pid"), "pid") : undefined;
    const tid = map.has("tid") ? this.int(get("tid"), "tid") : undefined;
    if (pid === undefined && tid === undefined) {
      if (!map.has("pid") && !map.has("tid")) this.r.report(n, "an event needs pid (or tid): the process making the call");
      return undefined;
    }
    ev.pid = pid;
    ev.tid = tid ?? pid!;
    if (ev.tid > this.maxTid) this.maxTid = ev.tid;
    if (map.has("time")) {
      const t = this.str(get("time"), "time");
      if (t !== undefined) {
        const rel = /^\+(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m)$/.exec(t);
        if (rel) ev.ts = clock + duration(rel[1]!, rel[2]!);
        else {
          const abs = parseTime(t);
          if (abs === undefined) this.r.report(get("time"), `time '${t}' is neither ISO 8601, nanoseconds since the epoch, nor +<duration> (+1s, +20ms...)`);
          else ev.ts = abs;
        }
      }
    }
    if (map.has("cpu")) ev.cpu = Number(this.int(get("cpu"), "cpu") ?? 0n);
    if (map.has("state_only") && this.bool(get("state_only"), "state_only")) ev.flags = 1;

    const setParam = (name: string, node: YamlNode | undefined, keyNode: YamlNode | undefined): void => {
      const index = info.params.findIndex((p) => p.name === name);
      if (index < 0) {
        const friendly = raw ? [] : friendlyKeys(info);
        const known = [...info.params.map((p) => p.name), ...friendly];
        this.r.report(keyNode, `${info.name}${info.dir === "enter" ? ">" : "<"} has no parameter '${name}' (${raw ? "its parameters" : "known keys"}: ${known.join(", ")})`);
        return;
      }
      if (ev.params.has(index)) {
        this.r.report(keyNode, `parameter ${name} is given twice`);
        return;
      }
      const v = this.param({ info, index, pinfo: info.params[index]! }, node);
      if (v !== undefined) ev.params.set(index, v);
    };

    for (const pair of map.items) {
      const key = pairKey(pair);
      const keyNode = pair.key as YamlNode;
      const value = pair.value as YamlNode | undefined;
      if (COMMON_EVENT_KEYS.has(key)) {
        if (key === "params") {
          for (const p of this.pairs(value, "params") ?? []) setParam(pairKey(p), p.value as YamlNode, p.key as YamlNode);
        }
        continue;
      }
      if (raw) {
        this.r.report(keyNode, `unknown key '${key}': with event:, parameters go under params:`);
        continue;
      }
      if (this.special(ev, info, key, value)) continue;
      const target = aliasFor(info, key);
      setParam(target ?? key, value, keyNode);
    }
    if (!raw && this.r.problems.length === before) this.checkRequired(ev, info, n);
    return ev;
  }

  /** Friendly keys that are not parameters. True when `key` was one. */
  private special(ev: FixtureEvent, info: EventInfo, key: string, value: YamlNode | undefined): boolean {
    const name = info.name;
    if (key === "ppid" && (isExec(name) || isClone(name)) && info.dir === "exit") {
      ev.ppid = this.int(value, "ppid");
      return true;
    }
    if (isExec(name) && info.dir === "exit") {
      switch (key) {
        case "exe":
          ev.exe = this.str(value, "exe");
          return true;
        case "argv0":
          ev.argv0 = this.str(value, "argv0");
          return true;
        case "comm":
          ev.comm = this.str(value, "comm");
          return true;
        case "exepath":
          ev.exepath = this.str(value, "exepath");
          return true;
        case "dirfd":
          if (name !== "execveat") return false;
          ev.dirfd = /^(AT_FDCWD|cwd)$/i.test(scalarText(value) ?? "") ? AT_FDCWD : this.int(value, "dirfd");
          return true;
        default:
          if (key in EXE_FLAG_KEYS) {
            if (this.bool(value, key)) ev.exeFlags = (ev.exeFlags ?? 0) | (flagByName("execve_flags", EXE_FLAG_KEYS[key]!) as number);
            return true;
          }
          return false;
      }
    }
    if (isClone(name) && info.dir === "exit") {
      switch (key) {
        case "child":
          ev.child = this.int(value, "child");
          if (ev.child !== undefined && ev.child > this.maxTid) this.maxTid = ev.child;
          return true;
        case "thread":
          ev.thread = this.bool(value, "thread");
          return true;
        case "child_event":
          ev.childEvent = this.bool(value, "child_event");
          return true;
        default:
          return false;
      }
    }
    if (isOpen(name) && key === "created" && info.dir === "exit") {
      ev.created = this.bool(value, "created");
      return true;
    }
    if (SOCKET_USERS.has(name) && key === "proto") {
      const t = this.str(value, "proto");
      if (t !== undefined && t !== "tcp" && t !== "udp") this.r.report(value, "proto is tcp or udp (the socket opened for this call)");
      else if (t !== undefined) ev.proto = t;
      return true;
    }
    return false;
  }

  private checkRequired(ev: FixtureEvent, info: EventInfo, n: YamlNode): void {
    const has = (name: string) => {
      const i = info.params.findIndex((p) => p.name === name);
      return i >= 0 && ev.params.has(i);
    };
    const missing: string[] = [];
    const name = info.name;
    if (isExec(name) && info.dir === "exit") {
      if (ev.exe === undefined && !has("exe")) missing.push("exe");
    } else if (isClone(name) && info.dir === "exit") {
      // nothing: the child is numbered after the fixture's highest thread id
    } else if (name === "connect" && info.dir === "exit") {
      if (!has("fd")) missing.push("fd");
      if (!has("tuple") && !has("addr")) missing.push("tuple or addr");
    } else {
      info.params.forEach((p, i) => {
        if (ev.params.has(i)) return;
        if (i === 0 && info.dir === "exit") return;
        const usesFd = (info.flags & 6) !== 0 && name !== "mmap" && name !== "mmap2";
        if (p.type === "PT_FD" && usesFd && !isDirfd(p.name) && !(name.startsWith("dup") && p.name === "newfd")) missing.push(p.name);
        else if (p.type === "PT_FSPATH" || p.type === "PT_FSRELPATH") missing.push(p.name === "name" || p.name === "filename" || p.name === "pathname" ? `path` : p.name);
      });
      for (const r of REQUIRED[name] ?? []) if (!has(r) && !missing.includes(r)) missing.push(r === "pid" || r === "tid" ? "target" : r);
    }
    if (ev.params.has(0) && info.dir === "exit" && isOpen(name) && ev.created && ev.params.get(0)!.kind === "int" && (ev.params.get(0) as { value: bigint }).value < 0n) {
      this.r.report(n, "a failed open cannot have created the file");
    }
    if (missing.length > 0) this.r.report(n, `${name}${info.dir === "enter" ? ">" : ""} needs ${missing.join(", ")}`);
  }
}

export const isDirfd = (name: string): boolean => /dirfd|^olddir$|^newdir$|^mountfd$/.test(name);

/** The parameter a friendly key stands for in this event, if it is an alias. */
export function aliasFor(info: EventInfo, key: string): string | undefined {
  const has = (n: string) => info.params.some((p) => p.name === n);
  switch (key) {
    case "res":
      return info.dir === "exit" && info.params.length > 0 ? info.params[0]!.name : undefined;
    case "path":
      return ["name", "path", "filename", "pathname", "linkpath"].find(has);
    case "target":
      return has("pid") ? "pid" : has("tid") ? "tid" : undefined;
    case "fd":
      return !has("fd") && has("oldfd") ? "oldfd" : undefined;
    case "uid":
      return !has("uid") && has("euid") ? "euid" : undefined;
    case "gid":
      return !has("gid") && has("egid") ? "egid" : undefined;
    default:
      return undefined;
  }
}

/** The friendly keys an event takes besides its parameters (for messages). */
function friendlyKeys(info: EventInfo): string[] {
  const out: string[] = [];
  const name = info.name;
  if (info.dir === "exit" && isExec(name)) out.push("exe", "argv0", "comm", "exepath", "ppid", ...Object.keys(EXE_FLAG_KEYS), ...(name === "execveat" ? ["dirfd"] : []));
  if (info.dir === "exit" && isClone(name)) out.push("child", "thread", "child_event", "ppid");
  if (info.dir === "exit" && isOpen(name)) out.push("created");
  if (SOCKET_USERS.has(name)) out.push("proto");
  for (const k of ["res", "path", "target", "fd", "uid", "gid"]) if (aliasFor(info, k) !== undefined) out.push(k);
  return out.filter((k) => !info.params.some((p) => p.name === k));
}

function notDelivered(info: EventInfo): string {
  if (info.delivery.startsWith("converted-to:")) return `${info.enumName} is an old layout libs converts to ${info.delivery.slice("converted-to:".length)}: write that one`;
  return `libs drops ${info.enumName} events (modern drivers do not send them)`;
}

const SYSCALL_NAMES = [...new Set(EVENTS.filter((e) => e !== undefined && e.delivery === "as-is").map((e) => e.name))];

function suggest(name: string): string {
  const close = SYSCALL_NAMES.filter((s) => editDistance(s, name) <= 2).slice(0, 3);
  return close.length > 0 ? ` (did you mean ${close.join(", ")}?)` : "";
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

function duration(amount: string, unit: string): bigint {
  const scale: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9 };
  const [whole, frac = ""] = amount.split(".");
  const u = BigInt(scale[unit]!);
  return BigInt(whole!) * u + (frac ? (BigInt(frac.padEnd(9, "0").slice(0, 9)) * u) / 1_000_000_000n : 0n);
}

/** `repo[:tag][@digest]` as Docker names images. */
export function splitImage(image: string): { repo: string; tag: string; digest: string } {
  let rest = image;
  let digest = "";
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > slash) return { repo: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { repo: rest, tag: "", digest };
}

/**
 * Reads a syscall fixture (YAML). The fixture is a map with any of `hostname`, `start`,
 * `interfaces`, `dns`, `users`, `groups`, `containers`, `processes` and `events`, or just a list of
 * events. See docs/formats/syscall-events.md.
 */
export function readSyscallFixture(text: string): SyscallFixtureRead {
  const lines = new LineCounter();
  const reader = new FixtureReader(lines);
  const fixture: SyscallFixture = { hostname: "localhost", start: DEFAULT_START, interfaces: defaultInterfaceList(), users: [], groups: [], containers: [], threads: [], events: [], maxTid: 0n };
  const done = (): SyscallFixtureRead => ({ fixture, problems: reader.r.problems.sort((a, b) => a.line - b.line || a.column - b.column) });
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, intAsBigInt: true, uniqueKeys: true });
  for (const e of doc.errors) {
    const p = lines.linePos(e.pos[0]);
    reader.r.problems.push({ message: e.message.split("\n")[0]!, line: p.line, column: p.col });
  }
  if (doc.errors.length > 0) return done();
  const root = doc.contents as YamlNode | null;
  if (!root) return done();
  if (isSeq(root)) fixture.events = reader.readEvents(root, fixture.start);
  else if (isMap(root)) {
    const get = (k: string) => root.get(k, true) as YamlNode | undefined;
    for (const p of root.items) {
      const k = pairKey(p);
      if (!TOP_KEYS.has(k)) reader.r.report(p.key as YamlNode, `unknown key '${k}' (a syscall fixture has ${[...TOP_KEYS].join(", ")})`);
    }
    if (root.has("hostname")) fixture.hostname = reader.str(get("hostname"), "hostname") ?? fixture.hostname;
    if (root.has("start")) {
      const t = reader.str(get("start"), "start");
      const ts = t !== undefined ? parseTime(t) : undefined;
      if (ts === undefined) reader.r.report(get("start"), "start must be ISO 8601 or nanoseconds since the epoch");
      else fixture.start = ts;
    }
    if (root.has("interfaces")) fixture.interfaces = reader.readInterfaces(get("interfaces")!);
    if (root.has("dns")) fixture.dns = reader.readDns(get("dns")!);
    if (root.has("users")) fixture.users = reader.readUsers(get("users")!);
    if (root.has("groups")) fixture.groups = reader.readGroups(get("groups")!);
    if (root.has("containers")) fixture.containers = reader.readContainers(get("containers")!);
    if (root.has("processes")) fixture.threads = reader.readProcesses(get("processes")!);
    if (root.has("events")) fixture.events = reader.readEvents(get("events")!, fixture.start);
  } else reader.r.report(root, "a syscall fixture is a map (users, processes, events...) or a list of events");
  fixture.maxTid = reader.maxTid;
  return done();
}

/** Without `interfaces:`: loopback and one private address of each family. */
function defaultInterfaceList(): FixtureInterface[] {
  const v6 = (last: number, prefix: number): FixtureInterface => {
    const addr = new Uint8Array(16);
    addr[0] = 0xfd;
    addr[15] = last;
    const netmask = new Uint8Array(16);
    for (let i = 0; i < prefix; i++) netmask[i >> 3]! |= 0x80 >> (i & 7);
    return { name: "eth0", addr, netmask };
  };
  return [
    { name: "lo", addr: Uint8Array.of(127, 0, 0, 1), netmask: Uint8Array.of(255, 0, 0, 0) },
    { name: "eth0", addr: Uint8Array.of(10, 0, 0, 2), netmask: Uint8Array.of(255, 255, 255, 0) },
    v6(2, 64),
  ];
}

// --- building the records ---------------------------------------------------------------------------------

/** Parameters of an event being built, by name, over its layout. */
class ParamSet {
  readonly values: (ParamValue | undefined)[];
  constructor(
    readonly info: EventInfo,
    given: ReadonlyMap<number, ParamValue>,
  ) {
    this.values = info.params.map((_, i) => given.get(i));
  }

  index(name: string): number {
    return this.info.params.findIndex((p) => p.name === name);
  }

  has(name: string): boolean {
    const i = this.index(name);
    return i >= 0 && this.values[i] !== undefined;
  }

  get(name: string): ParamValue | undefined {
    const i = this.index(name);
    return i >= 0 ? this.values[i] : undefined;
  }

  int(name: string): bigint | undefined {
    const v = this.get(name);
    return v?.kind === "int" ? v.value : undefined;
  }

  /** Sets a parameter the fixture did not give. */
  fill(name: string, v: ParamValue | bigint | number | string | readonly string[] | undefined): void {
    const i = this.index(name);
    if (i < 0 || this.values[i] !== undefined || v === undefined) return;
    this.values[i] = toValue(this.info.params[i]!.type, v);
  }

  /** Every parameter still unset gets the value a driver would write for "nothing special". */
  fillDefaults(): void {
    this.info.params.forEach((p, i) => {
      if (this.values[i] !== undefined) return;
      if (INT_WIDTH[p.type] !== undefined) {
        const v = p.type === "PT_FD" ? (isDirfd(p.name) ? AT_FDCWD : -1n) : p.type === "PT_UID" || p.type === "PT_GID" ? BigInt(UINT32_MAX) : 0n;
        this.values[i] = toValue(p.type, v);
      } else if (p.type === "PT_CHARBUF" || p.type === "PT_FSPATH" || p.type === "PT_FSRELPATH") this.values[i] = strValue("");
    });
  }

  list(): ParamValue[] {
    return this.values.map((v) => v ?? { kind: "empty" });
  }
}

function toValue(type: ParamType, v: ParamValue | bigint | number | string | readonly string[]): ParamValue {
  if (typeof v === "bigint" || typeof v === "number") {
    const out = intValue(type, BigInt(v));
    return typeof out === "string" ? { kind: "int", value: BigInt(v) } : out;
  }
  if (typeof v === "string") return type === "PT_BYTEBUF" ? bytesValue(enc.encode(v)) : strValue(v);
  if (Array.isArray(v)) return type === "PT_CHARBUFARRAY" ? { kind: "strings", value: [...v] } : bytesValue(nulJoin(v));
  return v as ParamValue;
}

const cgroupStrings = (t: ThreadInfo | undefined): string[] => (t ? t.cgroups.map(([s, p]) => `${s}=${p}`) : []);

class Builder {
  readonly model = new Inspector();
  readonly out: SyscallFixtureRecord[] = [];
  private nextTid: bigint;
  private nextPort = 40000;
  /** fds closed by the last event: the state machine removes them when the next one comes. */
  private closing: { tid: bigint; fd: bigint } | undefined;
  private readonly usedTids = new Set<bigint>();

  constructor(readonly fixture: SyscallFixture) {
    this.nextTid = fixture.maxTid + 1n;
    for (const t of fixture.threads) this.usedTids.add(t.record.tid);
  }

  meta(rec: MetadataRecord): void {
    this.out.push(rec);
    this.model.feed(rec);
  }

  emit(info: EventInfo, tid: bigint, ts: bigint, params: ParamValue[], src: FixtureEvent): void {
    const ev = buildEvent({ type: info.code, tid, ts, cpu: src.cpu, flags: src.flags, params });
    const dns = this.fixture.dns;
    const rec = (dns ? Object.assign(ev, { kind: "event" as const, line: src.line, dns }) : Object.assign(ev, { kind: "event" as const, line: src.line })) as FixtureEventRecord;
    this.out.push(rec);
    this.closing = undefined;
    this.model.feed(rec);
    this.usedTids.add(tid);
  }

  thread(tid: bigint): ThreadInfo | undefined {
    return this.model.threads.find(tid);
  }

  /** The lowest free fd from 3 up in the thread's table (as the state machine will see it). */
  allocFd(tid: bigint, taken: readonly bigint[] = []): bigint {
    const table = this.thread(tid)?.fdTable();
    const closing = this.closing?.tid === tid ? this.closing.fd : undefined;
    let fd = FIRST_AUTO_FD;
    while ((table?.find(fd) !== undefined && fd !== closing) || taken.includes(fd)) fd++;
    return fd;
  }

  allocTid(): bigint {
    while (this.usedTids.has(this.nextTid) || this.thread(this.nextTid)) this.nextTid++;
    return this.nextTid++;
  }

  /** The local end of an outgoing connection: an interface address of the destination's kind. */
  localEnd(dest: Uint8Array): { addr: Uint8Array; port: number } {
    const port = this.nextPort++;
    const loop4 = dest.length === 4 && dest[0] === 127;
    if (dest.length === 4) {
      if (loop4) return { addr: Uint8Array.of(127, 0, 0, 1), port };
      const i = this.fixture.interfaces.find((x) => x.addr.length === 4 && x.addr[0] !== 127);
      return { addr: i ? i.addr : new Uint8Array(4), port };
    }
    const i = this.fixture.interfaces.find((x) => x.addr.length === 16 && !(x.addr.every((b, k) => (k < 15 ? b === 0 : b === 1))));
    return { addr: i ? i.addr : new Uint8Array(16), port };
  }

  // events ------------------------------------------------------------------------------------------

  event(src: FixtureEvent): void {
    const info = EVENTS[src.code]!;
    const ps = new ParamSet(info, src.params);
    if (src.raw) {
      this.emit(info, src.tid, src.ts, ps.list(), src);
      return;
    }
    const name = info.name;
    if (info.dir === "exit" && isExec(name)) return this.execve(src, info, ps);
    if (info.dir === "exit" && isClone(name)) return this.clone(src, info, ps);
    if (info.dir === "exit") this.result(src, info, ps);
    ps.fillDefaults();
    this.emit(info, src.tid, src.ts, ps.list(), src);
    if (info.name === "close" && info.dir === "exit" && (ps.int(info.params[0]!.name) ?? 0n) >= 0n) {
      const fd = ps.int("fd");
      if (fd !== undefined) this.closing = { tid: src.tid, fd };
    }
  }

  /** The result and the parameters that go with it, for the exit events that are not execve/clone. */
  private result(src: FixtureEvent, info: EventInfo, ps: ParamSet): void {
    const name = info.name;
    const p0 = info.params[0];
    if (!p0) return;
    const tid = src.tid;
    // sockets the call needs
    if (isOpen(name)) this.openFlags(src, ps);
    if (SOCKET_USERS.has(name) && ps.has("fd")) {
      const fd = ps.int("fd")!;
      const sends = name === "sendto" || name === "sendmsg";
      if (fd >= 0n && !this.thread(tid)?.getFd(fd) && (!sends || ps.has("tuple"))) {
        const family = this.familyOf(ps);
        const udp = src.proto === "udp" || (sends && src.proto !== "tcp");
        if (family !== undefined) this.openSocket(src, fd, family, udp ? SOCK_DGRAM : SOCK_STREAM);
      }
    }
    if (name === "connect") {
      const tuple = ps.get("tuple");
      const addr = ps.get("addr");
      if (!tuple && addr?.kind === "sockaddr") {
        const a = addr.value;
        if (a.family === "inet" || a.family === "inet6") {
          const local = this.localEnd(a.addr);
          ps.fill("tuple", { kind: "socktuple", value: { family: a.family, sip: local.addr, sport: local.port, dip: a.addr, dport: a.port } });
        } else if (a.family === "unix") ps.fill("tuple", { kind: "socktuple", value: { family: "unix", source: 0n, dest: 0n, path: a.path } });
      }
      if (!addr && tuple?.kind === "socktuple") {
        const t = tuple.value;
        if (t.family === "inet" || t.family === "inet6") ps.fill("addr", { kind: "sockaddr", value: { family: t.family, addr: t.dip, port: t.dport } as SockAddr });
        else if (t.family === "unix") ps.fill("addr", { kind: "sockaddr", value: { family: "unix", path: t.path } });
      }
    }
    if (ps.has(p0.name)) {
      if (name.startsWith("dup") && ps.has("newfd") === false) ps.fill("newfd", ps.int(p0.name));
      return;
    }
    // the result of a successful call
    if (IO_SYSCALLS.has(name)) {
      const data = ps.get("data");
      const size = ps.int("size") ?? (data?.kind === "bytes" ? BigInt(data.value.length) : 0n);
      ps.fill("size", size);
      ps.fill(p0.name, size);
      return;
    }
    if (name === "fcntl" && (ps.int("cmd") === 1n || ps.int("cmd") === 26n)) {
      // F_DUPFD, F_DUPFD_CLOEXEC: a new fd
      ps.fill(p0.name, this.allocFd(tid));
      return;
    }
    if (name === "dup2" || name === "dup3") {
      const newfd = ps.int("newfd") ?? this.allocFd(tid);
      ps.fill("newfd", newfd);
      ps.fill(p0.name, newfd);
      return;
    }
    if ((info.flags & 1) !== 0) {
      // EF_CREATES_FD
      if (ps.index("fd1") >= 0 && ps.index("fd2") >= 0) {
        const fd1 = ps.int("fd1") ?? this.allocFd(tid);
        ps.fill("fd1", fd1);
        ps.fill("fd2", ps.int("fd2") ?? this.allocFd(tid, [fd1]));
        ps.fill(p0.name, 0n);
        return;
      }
      ps.fill(p0.name, this.allocFd(tid));
      return;
    }
    ps.fill(p0.name, 0n);
  }

  private openFlags(src: FixtureEvent, ps: ParamSet): void {
    if (ps.index("flags") < 0) return;
    let flags = ps.int("flags") ?? 1n; // O_RDONLY
    if (src.created) flags |= 1n << 14n; // O_F_CREATED
    const i = ps.index("flags");
    ps.values[i] = toValue("PT_FLAGS32", flags);
  }

  private familyOf(ps: ParamSet): number | undefined {
    const v = ps.get("tuple") ?? ps.get("addr");
    if (v?.kind === "socktuple") return v.value.family === "inet" ? AF_INET : v.value.family === "inet6" ? AF_INET6 : v.value.family === "unix" ? AF_UNIX : undefined;
    if (v?.kind === "sockaddr") return v.value.family === "inet" ? AF_INET : v.value.family === "inet6" ? AF_INET6 : v.value.family === "unix" ? AF_UNIX : undefined;
    return AF_INET;
  }

  private openSocket(src: FixtureEvent, fd: bigint, domain: number, type: number): void {
    const info = EVENTS[eventCodes("socket", "exit").find((c) => EVENTS[c]!.delivery === "as-is")!]!;
    const ps = new ParamSet(info, new Map());
    ps.fill("fd", fd);
    ps.fill("domain", domain);
    ps.fill("type", type);
    ps.fill("proto", 0);
    ps.fillDefaults();
    this.emit(info, src.tid, src.ts, ps.list(), src);
  }

  private execve(src: FixtureEvent, info: EventInfo, ps: ParamSet): void {
    const tid = src.tid;
    const t = this.thread(tid);
    const exe = src.exe ?? (ps.get("exe")?.kind === "string" ? (ps.get("exe") as { value: string }).value : "");
    ps.fill("res", 0n);
    const ok = (ps.int("res") ?? 0n) >= 0n;
    ps.fill("exe", src.argv0 ?? exe);
    ps.fill("args", [] as string[]);
    ps.fill("tid", tid);
    ps.fill("pid", t && !t.isInvalid() ? t.pid : (src.pid ?? tid));
    ps.fill("ptid", t && !t.isInvalid() ? t.ptid : (src.ppid ?? 0n));
    ps.fill("cwd", t?.getCwd() ?? "/");
    ps.fill("fdlimit", t && t.fdlimit > 0n ? t.fdlimit : DEFAULT_FDLIMIT);
    ps.fill("comm", src.comm ?? commOf(exe));
    ps.fill("cgroups", cgroupStrings(t));
    ps.fill("env", t ? t.env : []);
    ps.fill("tty", t?.tty ?? 0);
    ps.fill("vpgid", t && !t.isInvalid() ? t.vpgid : (src.pid ?? tid));
    ps.fill("loginuid", t ? t.loginuid : UINT32_MAX);
    ps.fill("cap_inheritable", t?.capInheritable ?? 0n);
    ps.fill("cap_permitted", t?.capPermitted ?? 0n);
    ps.fill("cap_effective", t?.capEffective ?? 0n);
    ps.fill("uid", t && t.uid !== UINT32_MAX ? t.uid : 0);
    ps.fill("gid", t && t.gid !== UINT32_MAX ? t.gid : 0);
    ps.fill("pgid", t && !t.isInvalid() ? t.pgid : (src.pid ?? tid));
    if (src.exeFlags) ps.values[ps.index("flags")] = toValue("PT_FLAGS32", (ps.int("flags") ?? 0n) | BigInt(src.exeFlags));
    ps.fill("filename", exe);
    if (ok) {
      // trusted_exepath: the path the kernel resolved (here: the path joined to the cwd or dirfd)
      let exepath = src.exepath;
      if (exepath === undefined) {
        if (info.name === "execve") exepath = concatenatePaths(t?.getCwd() ?? "/", exe);
        else {
          const dirfd = src.dirfd ?? AT_FDCWD;
          const base = t ? parseDirfd(t, exe, dirfd) : exe.startsWith("/") ? "." : "<UNKNOWN>";
          exepath = base === "<UNKNOWN>" ? "<NA>" : concatenatePaths(base, exe);
        }
      }
      ps.fill("trusted_exepath", exepath);
    }
    // exe_ino* are left empty: the state machine then keeps what it knows
    for (const p of ["exe_ino", "exe_ino_ctime", "exe_ino_mtime"]) if (!ps.has(p)) ps.values[ps.index(p)] = { kind: "empty" };
    if (!ps.has("trusted_exepath")) ps.values[ps.index("trusted_exepath")] = { kind: "empty" };
    ps.fillDefaults();
    // the dirfd and pathname of execveat live in its enter event: a valid enter makes libs use them
    // when trusted_exepath is absent; with trusted_exepath given, the exit alone is enough
    this.emit(info, tid, src.ts, ps.list(), src);
  }

  private clone(src: FixtureEvent, info: EventInfo, ps: ParamSet): void {
    const tid = src.tid;
    const t = this.thread(tid);
    const valid = t !== undefined && !t.isInvalid();
    const child = src.child ?? (ps.int("res") !== undefined && ps.int("res")! > 0n ? ps.int("res")! : this.allocTid());
    this.usedTids.add(child);
    ps.fill("res", child);
    const failed = (ps.int("res") ?? 0n) < 0n;
    const flagNames = src.thread ? THREAD_CLONE_FLAGS : info.name === "vfork" ? ["CLONE_VM", "CLONE_VFORK"] : FORK_CLONE_FLAGS;
    let flags = 0;
    for (const f of flagNames) {
      const v = flagByName("clone_flags", f);
      if (typeof v === "number") flags |= v;
    }
    if (info.name === "vfork") flags |= ThreadFlag.CLONE_VFORK;
    ps.fill("flags", flags >>> 0);
    const pid = valid ? t.pid : (src.pid ?? tid);
    const ptid = valid ? t.ptid : (src.ppid ?? 0n);
    const common = (p: ParamSet): void => {
      p.fill("exe", t?.exe ?? "<NA>");
      p.fill("args", t ? t.args : []);
      p.fill("cwd", t?.getCwd() ?? "/");
      p.fill("fdlimit", t && t.fdlimit > 0n ? t.fdlimit : DEFAULT_FDLIMIT);
      p.fill("comm", t?.comm ?? "<NA>");
      p.fill("cgroups", cgroupStrings(t));
      p.fill("uid", t && t.uid !== UINT32_MAX ? t.uid : 0);
      p.fill("gid", t && t.gid !== UINT32_MAX ? t.gid : 0);
    };
    ps.fill("tid", tid);
    ps.fill("pid", pid);
    ps.fill("ptid", ptid);
    ps.fill("vtid", valid && t.vtid >= 0n ? t.vtid : tid);
    ps.fill("vpid", valid && t.vpid >= 0n ? t.vpid : pid);
    common(ps);
    ps.fillDefaults();
    this.emit(info, tid, src.ts, ps.list(), src);
    if (failed || src.childEvent === false) return;
    // the child's own return from the call
    const cs = new ParamSet(info, new Map());
    const isThread = ((ps.int("flags") ?? 0n) & BigInt(ThreadFlag.CLONE_THREAD)) !== 0n;
    cs.fill("res", 0n);
    cs.fill("tid", child);
    cs.fill("pid", isThread ? pid : child);
    cs.fill("ptid", isThread ? ptid : tid);
    cs.fill("vtid", child);
    cs.fill("vpid", isThread ? pid : child);
    cs.values[cs.index("flags")] = ps.values[ps.index("flags")];
    for (const name of ["exe", "args", "cwd", "fdlimit", "comm", "cgroups", "uid", "gid"]) cs.values[cs.index(name)] = ps.values[ps.index(name)];
    cs.fillDefaults();
    this.emit(info, child, src.ts, cs.list(), src);
  }
}

/**
 * The records of a fixture, in the order a capture has them: machine info, interfaces, users, the
 * process table (one record per thread), the fd tables, the containers' metadata events, then the
 * syscalls. Feed them to an `Inspector` one by one (`inspector.feed(rec)`), as for a capture.
 */
export function syscallFixtureRecords(fixture: SyscallFixture): SyscallFixtureRecord[] {
  const b = new Builder(fixture);
  b.meta({ kind: "machine", offset: 0, blockType: 0x201, numCpus: 1, memorySizeBytes: 0n, maxPid: 4194304n, hostname: fixture.hostname, bootTsEpoch: 0n, flags: 0n });
  const iface = (i: FixtureInterface): InterfaceAddress => ({ type: i.addr.length === 4 ? 3 : 4, name: i.name, addr: i.addr, netmask: i.netmask, bcast: new Uint8Array(i.addr.length), linkspeed: 0n });
  b.meta({ kind: "interfaces", offset: 0, blockType: 0x219, ipv4: fixture.interfaces.filter((i) => i.addr.length === 4).map(iface), ipv6: fixture.interfaces.filter((i) => i.addr.length === 16).map(iface) });
  b.meta({
    kind: "users",
    offset: 0,
    blockType: 0x220,
    users: fixture.users.map((u) => ({ uid: u.uid, gid: u.gid, name: u.name, homedir: u.home, shell: u.shell })),
    groups: fixture.groups.map((g) => ({ gid: g.gid, name: g.name })),
  });
  for (const t of fixture.threads) b.meta(t.record);
  for (const t of fixture.threads) for (const fd of t.fds) b.meta(fd);
  const json = EVENTS.find((e) => e !== undefined && e.enumName === "PPME_CONTAINER_JSON_2_E")!;
  for (const c of fixture.containers) {
    const src: FixtureEvent = { line: c.line, column: 1, code: json.code, raw: true, tid: -1n, pid: undefined, ppid: undefined, ts: fixture.start, cpu: 0, flags: 0, params: new Map() };
    b.emit(json, -1n, fixture.start, [strValue(c.json)], src);
  }
  for (const ev of fixture.events) b.event(ev);
  return b.out;
}
