/**
 * Cuts a capture down to a syscall-level fixture (docs/formats/syscall-events.md, docs/cli/fixture.md):
 * the events of some processes and/or the events a filter matches, with the machine state they
 * need.
 *
 *   const result = await writeSyscallFixture(() => recordsOf(capture), { pids: [20072n], descendants: true });
 *   result.text  // the YAML fixture
 *
 * The capture is read twice (`source` is called once per pass):
 *
 * 1. selection: the records go through an `Inspector`; an event is selected when its process (or
 *    thread) is one of `pids` (or was forked from one of them during the capture, with
 *    `descendants`) and the filter accepts it. The threads each selected event needs (its own, its
 *    ancestors, the other threads of its process, the processes its parameters name) are noted
 *    with the first event that needs them, and so are the fds the events use (and 0, 1, 2). Events
 *    of those processes that are not selected but change the state later events read (an open, a
 *    close, an execve...) are kept as `state_only` events; a thread born during the capture comes
 *    with the state-changing events of its life so far (its fork among them: `proc.duration`),
 *    as the process table cannot say when a process was forked. An fd opened and closed again by
 *    state_only events with no selected event using it is left out. The hidden enter event
 *    (open>, connect>...) an included exit event was parsed with comes along.
 * 2. state: the records are replayed again; just before the first event that needs a thread, it
 *    is copied into the fixture's process table (exe, args, cwd, env, users, cgroups, the fds the
 *    events use...), unless an included event creates it. The users, groups, interfaces and
 *    containers these threads and events refer to are kept.
 *
 * The events are written in the format's friendly form (`{pid: 1, syscall: openat, path:
 * /etc/shadow, flags: O_RDONLY}`) with only the parameters the fixture reader would not fill in the
 * same way itself: the fixture's records are built and compared with the capture's events,
 * parameter by parameter, until they agree, then the friendly events start again from their first
 * guess and get back only what still differs. An event the friendly form cannot reproduce (an
 * empty string parameter, the child's side of a clone...) is written in the raw `event:` form; an
 * event neither form can express is left out and reported. Values the format cannot write (binary
 * data that is not UTF-8...) are reported where they occur. The state sections are read back too:
 * an item the reader rejects is left out and reported, so the fixture always reads cleanly.
 *
 * With a field catalog, the fixture is finally replayed and every field of the catalog is read on
 * each selected event, both in the capture and in the fixture; fields that read differently are
 * reported (the fixture numbers its own events, so `evt.num` differs, for instance).
 *
 * Pure: no I/O. Deterministic: the same capture and options give the same text.
 */
import type { FieldCatalog } from "@falcokit/fields";
import {
  AT_FDCWD,
  EVENTS,
  FLAG_TABLES,
  FdType,
  Inspector,
  L4Proto,
  containerTypeName,
  eventCodes,
  ipv4ToString,
  ipv6ToString,
  type ContainerInfo,
  type EventContext,
  type EventInfo,
  type FdInfo,
  type InterfaceListRecord,
  type MachineInfoRecord,
  type ParamInfo,
  type ParamValue,
  type ScapEvent,
  type ScapRecord,
  type ThreadInfo,
  type UserListRecord,
} from "@falcokit/scap";
import { isoTime } from "./alerts.js";
import { aliasFor, commOf, isDirfd, readSyscallFixture, splitImage, syscallFixtureRecords, type FixtureEventRecord, type SyscallFixtureRecord as SyscallFixtureRecordLike } from "./syscall-fixtures.js";
import { extractSyscallField } from "./syscall/extract.js";
import { ERRNO_NAMES, SIGNAL_NAMES } from "./syscall/libs-tables.generated.js";
import type { Extracted } from "./value.js";

// --- options and result ----------------------------------------------------------------------------

export interface FixtureSelection {
  /** Processes whose events are selected (none: every process). */
  pids: readonly bigint[];
  /** Also the processes they fork during the capture, and theirs. */
  descendants: boolean;
  /** Only events the filter accepts (a compiled condition); every event without one. */
  filter?: (ctx: EventContext) => boolean;
  /** At most this many selected events (the first ones). */
  maxEvents?: number;
}

export interface FixtureWriteOptions extends FixtureSelection {
  /** Lines of the header comment, without `# ` (the command, the capture...). */
  header?: readonly string[];
  /** The syscall fields to compare between the capture and the fixture on every selected event. */
  catalog?: FieldCatalog;
}

/** Something the fixture leaves out or cannot reproduce exactly. */
export interface FixtureGap {
  /** The line of the fixture it is about, when there is one. */
  line?: number;
  message: string;
}

export interface FixtureWriteResult {
  /** The fixture (YAML), empty when nothing is selected. */
  text: string;
  /** Selected events written. */
  selected: number;
  /** Events written with `state_only: true`. */
  stateOnly: number;
  /** `evt.num` in the capture of each selected event written, in order. */
  captureEventNumbers: bigint[];
  /** Events left out: the format cannot express them. */
  dropped: FixtureGap[];
  /** Values and state the fixture cannot reproduce exactly. */
  gaps: FixtureGap[];
  /** Fields that read differently in the fixture than in the capture, with the number of selected events where they do. */
  fieldDifferences: { field: string; events: number; example: { capture: string; fixture: string; line: number } }[];
}

/** The records of the capture, from its first byte each time it is called. */
export type RecordSource = () => AsyncIterable<ScapRecord> | Iterable<ScapRecord>;

// --- constants -------------------------------------------------------------------------------------------

const UINT32_MAX = 0xffffffff;
const DEFAULT_FDLIMIT = 1024n;
const MAX_ROUNDS = 40;
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

const isExec = (name: string): boolean => name === "execve" || name === "execveat";
const isClone = (name: string): boolean => name === "clone" || name === "clone3" || name === "fork" || name === "vfork";
const isOpen = (name: string): boolean => name === "open" || name === "openat" || name === "openat2" || name === "creat";
const SOCKET_USERS = new Set(["connect", "bind", "listen", "sendto", "sendmsg"]);
const COMMON_EVENT_KEYS = new Set(["pid", "tid", "time", "syscall", "event", "direction", "params", "cpu", "state_only", "note"]);
const EXE_FLAG_KEYS = ["exe_writable", "exe_upper_layer", "exe_from_memfd", "exe_lower_layer"];
/** Parameters of execve and the clone family the fixture reader fills from the process's state. */
const PROCESS_INFO_PARAMS = new Set([
  "tid",
  "pid",
  "ptid",
  "cwd",
  "fdlimit",
  "pgft_maj",
  "pgft_min",
  "vm_size",
  "vm_rss",
  "vm_swap",
  "comm",
  "cgroups",
  "env",
  "tty",
  "vpgid",
  "pgid",
  "loginuid",
  "flags",
  "cap_inheritable",
  "cap_permitted",
  "cap_effective",
  "exe_ino",
  "exe_ino_ctime",
  "exe_ino_mtime",
  "uid",
  "gid",
  "vtid",
  "vpid",
  "pidns_init_start_ts",
  "trusted_exepath",
  "filename",
  "exe",
  "args",
]);
/** Events of ancestors (not selected processes) that change what the descendants read of them. */
const LINEAGE_EVENTS = (name: string): boolean => isExec(name) || name === "procexit";
const STATE_FLAGS = 1 | 2 | 32; // EF_CREATES_FD | EF_DESTROYS_FD | EF_MODIFIES_STATE


/** Socket types by value (socket/socketpair `type`). */
const SOCK_TYPE_NAMES = new Map<number, string>([
  [1, "SOCK_STREAM"],
  [2, "SOCK_DGRAM"],
  [3, "SOCK_RAW"],
  [4, "SOCK_RDM"],
  [5, "SOCK_SEQPACKET"],
  [10, "SOCK_PACKET"],
]);

const FD_TYPE_NAMES = new Map<number, string>([
  [FdType.FILE, "file"],
  [FdType.FILE_V2, "file"],
  [FdType.DIRECTORY, "directory"],
  [FdType.FIFO, "pipe"],
  [FdType.EVENT, "event"],
  [FdType.SIGNALFD, "signalfd"],
  [FdType.EVENTPOLL, "eventpoll"],
  [FdType.INOTIFY, "inotify"],
  [FdType.TIMERFD, "timerfd"],
  [FdType.NETLINK, "netlink"],
  [FdType.BPF, "bpf"],
  [FdType.USERFAULTFD, "userfaultfd"],
  [FdType.IOURING, "io_uring"],
  [FdType.MEMFD, "memfd"],
  [FdType.PIDFD, "pidfd"],
]);

const L4_NAMES = new Map<number, string>([
  [L4Proto.TCP, "tcp"],
  [L4Proto.UDP, "udp"],
  [L4Proto.ICMP, "icmp"],
  [L4Proto.RAW, "raw"],
]);

// --- small helpers -----------------------------------------------------------------------------------

/** `concatenate_paths("", p)` for an absolute path: what the reader makes of `exe` as exepath. */
function normalizedAbs(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return "/" + parts.join("/");
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function validUtf8(b: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(b);
  } catch {
    return undefined;
  }
}

/** Keys the fixture reader takes as something else than the parameter of that name. */
function specialKeys(info: EventInfo): Set<string> {
  const out = new Set<string>();
  const name = info.name;
  if (info.dir === "exit" && isExec(name)) for (const k of ["ppid", "exe", "argv0", "comm", "exepath", ...EXE_FLAG_KEYS, ...(name === "execveat" ? ["dirfd"] : [])]) out.add(k);
  if (info.dir === "exit" && isClone(name)) for (const k of ["ppid", "child", "thread", "child_event"]) out.add(k);
  if (info.dir === "exit" && isOpen(name)) out.add("created");
  if (SOCKET_USERS.has(name)) out.add("proto");
  return out;
}

/** The key a parameter is written under in a friendly event, or undefined for `params:`. */
function keyFor(info: EventInfo, index: number): string | undefined {
  const p = info.params[index]!;
  const specials = specialKeys(info);
  // the friendly `path` for the path parameter
  if (aliasFor(info, "path") === p.name && !specials.has("path")) return "path";
  if (COMMON_EVENT_KEYS.has(p.name) || specials.has(p.name)) return undefined;
  const alias = aliasFor(info, p.name);
  if (alias !== undefined && alias !== p.name) return undefined;
  return p.name;
}

/** The event the fixture reader picks for a friendly `syscall:` name and direction. */
function friendlyCode(info: EventInfo): { direction: boolean } | undefined {
  const asIs = (dir: "enter" | "exit") => eventCodes(info.name, dir).find((c) => EVENTS[c]?.delivery === "as-is");
  if (asIs(info.dir) !== info.code) return undefined;
  // without `direction`, the reader takes the exit event when the name has one
  const exitExists = asIs("exit") !== undefined;
  if (info.dir === "enter") return { direction: exitExists };
  return { direction: false };
}

// --- YAML text ------------------------------------------------------------------------------------------

const YAML_WORDS = /^(?:true|false|null|yes|no|on|off|y|n|~|\.inf|-\.inf|\.nan)$/i;

/** A string as a YAML scalar that reads back as that string (plain when safe, double-quoted otherwise). */
export function yamlString(s: string): string {
  if (/^[A-Za-z_/.+=][A-Za-z0-9_/.@%+=:>~-]*$/.test(s) && !s.endsWith(":") && !YAML_WORDS.test(s) && !/^[-+.]?\d/.test(s) && !s.includes("->-")) return s;
  // addresses, tuples, versions: a digit first is fine when the whole is not a number
  if (/^[0-9][A-Za-z0-9_/.@%+=:>~-]*$/.test(s) && !s.endsWith(":") && !/^0[xob]/i.test(s) && !/^\d+(?:\.\d*)?(?:e[-+]?\d+)?$/i.test(s) && !/^\d+(?::\d+)+$/.test(s)) return s;
  return JSON.stringify(s);
}

const flowList = (items: readonly string[]): string => `[${items.join(", ")}]`;

function flowMap(pairs: readonly (readonly [string, string])[]): string {
  return `{${pairs.map(([k, v]) => `${yamlString(k)}: ${v}`).join(", ")}}`;
}

/** A duration after the previous event: `+14.292us`, exact to the nanosecond. */
export function relativeTime(delta: bigint): string {
  const units: [bigint, string][] = [
    [1_000_000_000n, "s"],
    [1_000_000n, "ms"],
    [1_000n, "us"],
  ];
  for (const [scale, unit] of units) {
    if (delta >= scale) {
      const whole = delta / scale;
      const frac = delta % scale;
      if (frac === 0n) return `+${whole}${unit}`;
      const digits = scale.toString().length - 1;
      return `+${whole}.${frac.toString().padStart(digits, "0").replace(/0+$/, "")}${unit}`;
    }
  }
  return `+${delta}ns`;
}

// --- parameter values -------------------------------------------------------------------------------

function popcount(v: number): number {
  let n = 0;
  for (let x = v >>> 0; x !== 0; x >>>= 1) n += x & 1;
  return n;
}

/** Flag names that OR to `v` (a leftover that no name covers is added as a number). */
function flagNames(table: string, v: bigint): string {
  const entries = FLAG_TABLES[table] ?? [];
  if (v === 0n) {
    const zero = entries.find((e) => e.value === 0);
    return zero ? zero.name : "0";
  }
  if (v < 0n || v > 0xffffffffn) return v.toString();
  let rest = Number(v) >>> 0;
  const names: string[] = [];
  const sorted = [...entries].filter((e) => e.value !== 0).sort((a, b) => popcount(b.value) - popcount(a.value) || b.value - a.value);
  for (const e of sorted) {
    const ev = e.value >>> 0;
    if ((rest & ev) === ev && ev !== 0) {
      names.push(e.name);
      rest = (rest & ~ev) >>> 0;
    }
  }
  if (names.length === 0) return v.toString();
  if (rest !== 0) names.push(`0x${rest.toString(16)}`);
  return names.length === 1 ? names[0]! : flowList(names);
}

function enumName(table: string, v: bigint): string {
  const e = (FLAG_TABLES[table] ?? []).find((x) => BigInt(x.value) === v);
  return e ? e.name : v.toString();
}

function sockaddrText(a: Extract<ParamValue, { kind: "sockaddr" }>["value"]): string | undefined {
  if (a.family === "inet") return `${ipv4ToString(a.addr)}:${a.port}`;
  if (a.family === "inet6") return `[${ipv6ToString(a.addr)}]:${a.port}`;
  if (a.family === "unix" && (a.path.startsWith("/") || a.path.startsWith("@"))) return a.path;
  return undefined;
}

function socktupleText(t: Extract<ParamValue, { kind: "socktuple" }>["value"]): string | undefined {
  if (t.family === "inet") return `${ipv4ToString(t.sip)}:${t.sport}->${ipv4ToString(t.dip)}:${t.dport}`;
  if (t.family === "inet6") return `[${ipv6ToString(t.sip)}]:${t.sport}->[${ipv6ToString(t.dip)}]:${t.dport}`;
  if (t.family === "unix") return `${BigInt.asUintN(64, t.source).toString(16)}->${BigInt.asUintN(64, t.dest).toString(16)}${t.path !== "" ? ` ${t.path}` : ""}`;
  return undefined;
}

const ipText = (b: Uint8Array): string | undefined => (b.length === 4 ? ipv4ToString(b) : b.length === 16 ? ipv6ToString(b) : undefined);

/**
 * A parameter value as YAML the fixture reader reads back to the same value, or undefined when
 * the format cannot write it. `raw`: the value goes under `params:` of an `event:` (empty values
 * are left out there).
 */
function valueText(info: EventInfo, index: number, v: ParamValue): string | undefined {
  const p = info.params[index]!;
  switch (v.kind) {
    case "empty":
      return p.type === "PT_CHARBUF" || p.type === "PT_FSPATH" || p.type === "PT_FSRELPATH" ? undefined : "null";
    case "int":
      return intText(info, index, p, v.value);
    case "double":
      return Number.isFinite(v.value) ? String(v.value) : undefined;
    case "bool":
      return v.value ? "true" : "false";
    case "string":
      return bytesEqual(utf8.encode(v.value), v.bytes) ? yamlString(v.value) : undefined;
    case "bytes": {
      if (p.name === "args" || p.name === "env" || p.name === "cgroups") {
        if (v.value.length > 0 && v.value[v.value.length - 1] === 0) {
          const text = validUtf8(v.value.subarray(0, v.value.length - 1));
          if (text !== undefined) return flowList(text.split("\0").map(yamlString));
        }
        if (p.name !== "env") return undefined;
      }
      const text = validUtf8(v.value);
      return text === undefined ? undefined : yamlString(text);
    }
    case "sockaddr": {
      const t = sockaddrText(v.value);
      return t === undefined ? undefined : yamlString(t);
    }
    case "socktuple": {
      const t = socktupleText(v.value);
      return t === undefined ? undefined : yamlString(t);
    }
    case "fdlist":
      return flowList(v.value.map((x) => `{fd: ${x.fd}, flags: ${x.flags}}`));
    case "strings":
      return flowList(v.value.map(yamlString));
    case "pairs":
      return flowMap(v.value.map(([k, x]) => [k, yamlString(x)] as const));
    case "ip": {
      const t = ipText(v.value);
      return t === undefined ? undefined : yamlString(t);
    }
    case "net":
      return undefined;
    case "dyn": {
      const sub = v.value;
      if (sub.kind === "int") return sub.value.toString();
      if (sub.kind === "string") return bytesEqual(utf8.encode(sub.value), sub.bytes) ? yamlString(sub.value) : undefined;
      if (sub.kind === "sockaddr") {
        const t = sockaddrText(sub.value);
        return t === undefined ? undefined : yamlString(t);
      }
      return undefined;
    }
  }
}

function intText(info: EventInfo, index: number, p: ParamInfo, v: bigint): string {
  const isResult = index === 0 && info.dir === "exit";
  if (v < 0n && (p.type === "PT_ERRNO" || (isResult && (p.type === "PT_FD" || p.type === "PT_PID")))) {
    const name = ERRNO_NAMES.get(Number(-v));
    if (name !== undefined) return name;
  }
  if (p.type === "PT_FD" && v === AT_FDCWD && isDirfd(p.name)) return "AT_FDCWD";
  if (p.type === "PT_SIGTYPE") {
    const name = SIGNAL_NAMES.get(Number(v));
    if (name !== undefined) return name;
  }
  if (p.type === "PT_MODE" || p.name === "mode") return v === 0n ? "0" : v > 0n ? "0" + v.toString(8) : v.toString();
  if (p.flagsTable !== undefined) {
    if (p.type.startsWith("PT_ENUMFLAGS") || p.type === "PT_SOCKFAMILY") return enumName(p.flagsTable, v);
    if (p.type.startsWith("PT_FLAGS")) return flagNames(p.flagsTable, v);
  }
  if ((info.name === "socket" || info.name === "socketpair") && p.name === "type" && v >= 0n) {
    const base = SOCK_TYPE_NAMES.get(Number(v & 0xfn));
    const rest = v & ~0xfn;
    const extra: string[] = [];
    if (rest & 0o4000n) extra.push("SOCK_NONBLOCK");
    if (rest & 0o2000000n) extra.push("SOCK_CLOEXEC");
    if (base !== undefined && (rest & ~(0o4000n | 0o2000000n)) === 0n) return extra.length === 0 ? base : flowList([base, ...extra]);
  }
  if ((info.name === "socket" || info.name === "socketpair") && p.name === "proto") {
    if (v === 6n) return "tcp";
    if (v === 17n) return "udp";
  }
  if (/^cap_/.test(p.name) && v > 0n) return `0x${v.toString(16)}`;
  return v.toString();
}

/** Whether two decoded parameter values are the same value (what libsinsp would read). */
function paramEqual(a: ParamValue, b: ParamValue): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case "empty":
      return true;
    case "int":
      return a.value === (b as typeof a).value;
    case "double":
      return Object.is(a.value, (b as typeof a).value);
    case "bool":
      return a.value === (b as typeof a).value;
    case "string":
      return bytesEqual(a.bytes, (b as typeof a).bytes);
    case "bytes":
      return bytesEqual(a.value, (b as typeof a).value);
    case "ip":
      return bytesEqual(a.value, (b as typeof a).value);
    case "net":
      return bytesEqual(a.value, (b as typeof a).value) && a.prefix === (b as typeof a).prefix;
    case "strings":
      return a.value.length === (b as typeof a).value.length && a.value.every((x, i) => x === (b as typeof a).value[i]);
    case "pairs":
      return a.value.length === (b as typeof a).value.length && a.value.every(([k, x], i) => k === (b as typeof a).value[i]![0] && x === (b as typeof a).value[i]![1]);
    case "fdlist":
      return a.value.length === (b as typeof a).value.length && a.value.every((x, i) => x.fd === (b as typeof a).value[i]!.fd && x.flags === (b as typeof a).value[i]!.flags);
    case "dyn":
      return a.index === (b as typeof a).index && paramEqual(a.value, (b as typeof a).value);
    case "sockaddr": {
      const x = a.value;
      const y = (b as typeof a).value;
      if (x.family !== y.family) return false;
      if (x.family === "unix") return x.path === (y as typeof x).path;
      if (x.family === "other") return x.code === (y as typeof x).code && bytesEqual(x.bytes, (y as typeof x).bytes);
      return bytesEqual(x.addr, (y as typeof x).addr) && x.port === (y as typeof x).port;
    }
    case "socktuple": {
      const x = a.value;
      const y = (b as typeof a).value;
      if (x.family !== y.family) return false;
      if (x.family === "unix") return x.source === (y as typeof x).source && x.dest === (y as typeof x).dest && x.path === (y as typeof x).path;
      if (x.family === "other") return x.code === (y as typeof x).code && bytesEqual(x.bytes, (y as typeof x).bytes);
      const z = y as typeof x;
      return bytesEqual(x.sip, z.sip) && bytesEqual(x.dip, z.dip) && x.sport === z.sport && x.dport === z.dport;
    }
  }
}

/** What the fixture reader fills a parameter with when an event leaves it out ("nothing special"). */
function isFillDefault(p: ParamInfo, v: ParamValue): boolean {
  if (v.kind === "int") {
    if (p.type === "PT_FD") return v.value === (isDirfd(p.name) ? AT_FDCWD : -1n);
    if (p.type === "PT_UID" || p.type === "PT_GID") return v.value === BigInt(UINT32_MAX);
    return v.value === 0n;
  }
  if (v.kind === "string") return v.value === "" && v.bytes.length === 0;
  return false;
}

/** Why a value cannot be written, for reports. */
function unwritableWhy(p: ParamInfo, v: ParamValue): string {
  switch (v.kind) {
    case "bytes":
      return `${v.value.length} bytes that are not UTF-8 text`;
    case "string":
      return "a string that is not valid UTF-8";
    case "empty":
      return "an empty (absent) string, which only the raw event: form can write";
    case "sockaddr":
      return `an address of family ${v.value.family === "other" ? v.value.code : v.value.family}${v.value.family === "unix" ? ` ('${v.value.path}': not a path)` : ""}`;
    case "socktuple":
      return `a connection of family ${v.value.family === "other" ? v.value.code : v.value.family}`;
    case "net":
      return "a network (the format has no syntax for it)";
    default:
      return `a ${p.type} value the format cannot write`;
  }
}

// --- reading the capture -------------------------------------------------------------------------------

type Kind = "selected" | "state";

/** `sinsp::is_initialstate_event`: leading events of these types are taken as the initial state. */
const INITIAL_STATE_EVENTS = new Set(["PPME_CONTAINER_JSON_2_E", "PPME_USER_ADDED_E", "PPME_USER_DELETED_E", "PPME_GROUP_ADDED_E", "PPME_GROUP_DELETED_E", "PPME_ASYNCEVENT_E"]);

/** Exit events (and procexit) that change the state of the process table or of fds. */
function changesState(info: EventInfo): boolean {
  if (info.dir !== "exit" && info.name !== "procexit") return false;
  return (info.flags & STATE_FLAGS) !== 0 || isExec(info.name) || isClone(info.name) || info.name === "procexit";
}

/** Whether an exit event is the return of that enter event (execveat> goes with execve<, as in libsinsp). */
function pairs(enter: EventInfo | undefined, exit: EventInfo): boolean {
  if (!enter) return false;
  return enter.name === exit.name || (enter.name === "execveat" && exit.name === "execve");
}

/** What pass 1 decides. */
interface Plan {
  /** Included events by ordinal (the n-th event record of the capture). */
  included: Map<number, Kind>;
  /** The threads each ordinal is the first to need. */
  neededAt: Map<number, bigint[]>;
  /** fds the included events use, by process. */
  usedFds: Map<bigint, Set<bigint>>;
}

async function* iterate(source: RecordSource): AsyncIterable<ScapRecord> {
  const it = source();
  if (Symbol.asyncIterator in it) yield* it as AsyncIterable<ScapRecord>;
  else yield* it as Iterable<ScapRecord>;
}

const cloneExit = (info: EventInfo): boolean => info.dir === "exit" && isClone(info.name);
const intParam = (ev: ScapEvent, i: number): bigint | undefined => {
  const v = ev.param(i);
  return v.kind === "int" ? v.value : undefined;
};

async function planSelection(source: RecordSource, options: FixtureSelection): Promise<Plan> {
  const insp = new Inspector();
  const pidSet = new Set(options.pids);
  const byPid = options.pids.length > 0;
  /** Threads of the capture's process table. */
  const initialTids = new Set<bigint>();
  const included = new Map<number, Kind>();
  const neededAt = new Map<number, bigint[]>();
  const neededTids = new Set<bigint>();
  const neededPids = new Set<bigint>();
  const subjectPids = new Set<bigint>();
  const usedFds = new Map<bigint, Set<bigint>>();
  /** The process each process was forked from during the capture (its fds come from there). */
  const forkParent = new Map<bigint, bigint>();
  const pendingEnter = new Map<bigint, { ord: number; rec: ScapEvent }>();
  /**
   * The state-changing events of each thread born during the capture (or unknown to libsinsp),
   * from its creation on, until the fixture needs it. The process table cannot say when a process
   * was forked (proc.duration) nor describe a thread libsinsp has no process for: such a thread
   * comes into the fixture through these events, as state_only, instead of the table.
   */
  const history = new Map<bigint, number[]>();
  /** The last event that is not an initial-state one, and the one before each selected meta event. */
  let lastStarter = -1;
  const starterBefore = new Map<number, number>();
  let ord = -1;
  let lastSelected = -1;
  let selectedCount = 0;

  const need = (tid: bigint, at: number) => {
    if (neededTids.has(tid)) return;
    const h = history.get(tid);
    if (h) for (const o of h) if (o < at && !included.has(o)) included.set(o, "state");
    neededTids.add(tid);
    let list = neededAt.get(at);
    if (!list) neededAt.set(at, (list = []));
    list.push(tid);
  };
  const markNeeded = (t: ThreadInfo, at: number) => {
    const seen = new Set<bigint>();
    let x: ThreadInfo | undefined = t;
    while (x && !seen.has(x.tid)) {
      seen.add(x.tid);
      need(x.tid, at);
      if (x.pid >= 0n) neededPids.add(x.pid);
      const main = x.mainThread();
      if (main && main !== x) need(main.tid, at);
      if (x.ptid <= 0n) break;
      x = insp.threads.find(x.ptid);
    }
  };
  const markFd = (pid: bigint, fd: bigint) => {
    const seen = new Set<bigint>();
    let p: bigint | undefined = pid;
    while (p !== undefined && !seen.has(p)) {
      seen.add(p);
      let s = usedFds.get(p);
      if (!s) usedFds.set(p, (s = new Set()));
      s.add(fd);
      p = forkParent.get(p);
    }
  };
  /** The fds each included (or history) event creates, closes and uses, for pruning. */
  const fdUses = new Map<number, FdUse>();
  const enterOf = new Map<number, number>();
  const include = (o: number, kind: Kind, rec: ScapEvent, info: EventInfo, t: ThreadInfo, ctx: EventContext | undefined) => {
    included.set(o, kind);
    fdUses.set(o, fdUseOf(rec, info, t, ctx));
    const enter = pendingEnter.get(rec.tid);
    let at = o;
    if (enter && info.dir === "exit" && pairs(EVENTS[enter.rec.type], info)) {
      included.set(enter.ord, kind);
      enterOf.set(o, enter.ord);
      at = enter.ord;
    }
    markNeeded(t, at);
    if (kind === "selected" && t.pid >= 0n && !subjectPids.has(t.pid)) {
      subjectPids.add(t.pid);
      // proc.stdin/stdout/stderr, and every thread of the process (proc.nthreads)
      for (const fd of [0n, 1n, 2n]) markFd(t.pid, fd);
      for (const th of t.tginfo?.threads ?? []) if (!th.removed && !th.isDead()) need(th.tid, at);
    }
    // the fds it uses, the processes it names (a kill's or a ptrace's target...)
    const spawns = isExec(info.name) || isClone(info.name);
    info.params.forEach((p, i) => {
      const v = intParam(rec, i);
      if (v === undefined) return;
      if (p.type === "PT_FD" && !(i === 0 && info.dir === "exit") && v >= 0n) markFd(t.pid, v);
      if ((p.type === "PT_PID" || p.type === "PT_PID32") && !spawns && v > 0n) {
        const target = insp.threads.find(v);
        if (target && target.pid >= 0n) {
          need(target.tid, at);
          const main = target.mainThread();
          if (main) need(main.tid, at);
        }
      }
    });
    if (ctx?.fd) markFd(t.pid, ctx.fd.fd);
  };

  for await (const rec of iterate(source)) {
    if (rec.kind !== "event") {
      if (rec.kind === "thread") initialTids.add(rec.tid);
      insp.feed(rec);
      continue;
    }
    ord++;
    const info = EVENTS[rec.type];
    const ctx = insp.feed(rec);
    if (!info) continue;
    const t = insp.threads.find(rec.tid);
    if (!t || (!ctx?.thread && ctx !== undefined)) {
      // a meta event (container metadata...): only a filter can select it
      if (ctx && !byPid && options.filter && (options.maxEvents === undefined || selectedCount < options.maxEvents) && options.filter(ctx)) {
        selectedCount++;
        included.set(ord, "selected");
        if (lastStarter >= 0) starterBefore.set(ord, lastStarter);
        lastSelected = ord;
      }
      if (!INITIAL_STATE_EVENTS.has(info.enumName)) lastStarter = ord;
      continue;
    }
    if (!INITIAL_STATE_EVENTS.has(info.enumName)) lastStarter = ord;
    // forks: the child's fds come from its parent; with descendants, a child of a selected process is selected
    if (cloneExit(info)) {
      const res = intParam(rec, 0);
      const child = res !== undefined && res > 0n ? insp.threads.find(res) : res === 0n ? t : undefined;
      const parent = res !== undefined && res > 0n ? t : res === 0n && t.ptid > 0n ? insp.threads.find(t.ptid) : undefined;
      if (child && parent && child.pid !== parent.pid && child.pid >= 0n && parent.pid >= 0n) forkParent.set(child.pid, parent.pid);
      if (byPid && options.descendants && child && parent && pidSet.has(parent.pid)) pidSet.add(child.pid);
    }
    if (byPid && options.descendants && !pidSet.has(t.pid) && !initialTids.has(t.tid)) {
      // a process that appears during the capture (an execve without its fork...), child of a selected one
      const parent = t.ptid > 0n ? insp.threads.find(t.ptid) : undefined;
      if (parent && pidSet.has(parent.pid)) pidSet.add(t.pid);
    }
    if (!initialTids.has(rec.tid) && !neededTids.has(rec.tid) && changesState(info)) {
      let h = history.get(rec.tid);
      if (!h) history.set(rec.tid, (h = []));
      // with the hidden enter event it was parsed with (execve> carries the path run...)
      const enter = pendingEnter.get(rec.tid);
      if (enter && info.dir === "exit" && pairs(EVENTS[enter.rec.type], info)) {
        h.push(enter.ord);
        enterOf.set(ord, enter.ord);
      }
      h.push(ord);
      fdUses.set(ord, fdUseOf(rec, info, t, ctx));
    }
    if (info.parsedThenHidden && info.dir === "enter") {
      pendingEnter.set(rec.tid, { ord, rec });
      continue;
    }
    const inPids = !byPid || pidSet.has(t.pid) || pidSet.has(t.tid);
    const room = options.maxEvents === undefined || selectedCount < options.maxEvents;
    const selected = room && ctx !== undefined && inPids && (options.filter === undefined || options.filter(ctx));
    if (selected) {
      include(ord, "selected", rec, info, t, ctx);
      lastSelected = ord;
      selectedCount++;
    } else if (lastSelected >= 0 && changesState(info)) {
      const mine = subjectPids.has(t.pid) && t.pid >= 0n;
      const lineage = neededPids.has(t.pid) && t.pid >= 0n && LINEAGE_EVENTS(info.name);
      const unknown = t.pid < 0n && neededTids.has(t.tid);
      if (mine || lineage || unknown) include(ord, "state", rec, info, t, ctx);
    }
    if (info.dir === "exit") pendingEnter.delete(rec.tid);
  }
  // state events after the last selected one change nothing the fixture shows
  for (const [o, k] of [...included]) if (k === "state" && o > lastSelected) included.delete(o);
  // libsinsp takes the container (and user) events a capture starts with as its initial state and
  // shows them to no rule: a selected one that came after other events in the capture keeps the
  // event that preceded it, as state_only, so that it is shown in the fixture too
  if (included.size > 0) {
    const first = Math.min(...included.keys());
    const starter = starterBefore.get(first);
    if (starter !== undefined) included.set(starter, "state");
  }
  pruneFdEpisodes(included, fdUses, enterOf);
  // the threads first needed by an event left out are needed by the next one kept
  const kept = [...included.keys()].sort((a, b) => a - b);
  for (const [o, tids] of [...neededAt]) {
    if (included.has(o)) continue;
    neededAt.delete(o);
    const next = kept.find((k) => k > o);
    if (next === undefined) continue;
    let list = neededAt.get(next);
    if (!list) neededAt.set(next, (list = []));
    list.push(...tids);
  }
  return { included, neededAt, usedFds };
}

/** What an event does to the fd table of its process. */
interface FdUse {
  pid: bigint;
  creates: bigint[];
  destroys: bigint[];
  uses: bigint[];
  /** A fork: the child gets copies of every fd. */
  forks: boolean;
}

function fdUseOf(rec: ScapEvent, info: EventInfo, t: ThreadInfo, ctx: EventContext | undefined): FdUse {
  const creates: bigint[] = [];
  const destroys: bigint[] = [];
  const uses: bigint[] = [];
  const exit = info.dir === "exit";
  const res = exit && info.params.length > 0 ? intParam(rec, 0) : undefined;
  const ok = res === undefined || res >= 0n;
  const index = (name: string) => info.params.findIndex((p) => p.name === name);
  if ((info.flags & 1) !== 0 && exit && ok) {
    const fd1 = index("fd1");
    const fd2 = index("fd2");
    if (fd1 >= 0 && fd2 >= 0) {
      for (const i of [fd1, fd2]) {
        const v = intParam(rec, i);
        if (v !== undefined && v >= 0n) creates.push(v);
      }
    } else if (res !== undefined && res >= 0n && info.params[0]!.type !== "PT_ERRNO") creates.push(res);
    else if (res !== undefined && res >= 0n && (info.name === "fcntl" || info.name.startsWith("dup"))) creates.push(res);
  }
  if ((info.flags & 2) !== 0 && ok) {
    const i = index("fd");
    const v = i >= 0 ? intParam(rec, i) : undefined;
    if (v !== undefined && v >= 0n) destroys.push(v);
  }
  info.params.forEach((p, i) => {
    if (p.type !== "PT_FD" || (i === 0 && exit)) return;
    const v = intParam(rec, i);
    if (v !== undefined && v >= 0n && !destroys.includes(v) && !creates.includes(v) && !uses.includes(v)) uses.push(v);
  });
  const fd = ctx?.fd?.fd;
  if (fd !== undefined && fd >= 0n && !destroys.includes(fd) && !creates.includes(fd) && !uses.includes(fd)) uses.push(fd);
  return { pid: t.pid, creates, destroys, uses, forks: exit && isClone(info.name) };
}

/**
 * Leaves out the state_only events of fds that are opened and closed again with no selected event
 * using them in between (a library loaded and closed...): they change nothing the selected events
 * read. Forks keep every fd open at the time (the child may use its copy).
 */
function pruneFdEpisodes(included: Map<number, Kind>, fdUses: ReadonlyMap<number, FdUse>, enterOf: ReadonlyMap<number, number>): void {
  const episodes = new Map<string, { create: number; members: number[]; keep: boolean }>();
  const prune = new Set<number>();
  const key = (pid: bigint, fd: bigint) => `${pid}:${fd}`;
  for (const o of [...included.keys()].sort((a, b) => a - b)) {
    const u = fdUses.get(o);
    if (!u) continue;
    const selected = included.get(o) === "selected";
    if (u.forks || selected) for (const [k, ep] of episodes) if (u.forks ? k.startsWith(`${u.pid}:`) : false) ep.keep = true;
    const alone = u.creates.length === 0 && u.uses.length + u.destroys.length === 1;
    for (const fd of u.uses) {
      const ep = episodes.get(key(u.pid, fd));
      if (!ep) continue;
      if (selected || !alone) ep.keep = true;
      else ep.members.push(o);
    }
    for (const fd of u.destroys) {
      const k = key(u.pid, fd);
      const ep = episodes.get(k);
      if (ep && !ep.keep && !selected && alone) {
        prune.add(ep.create);
        for (const m of ep.members) prune.add(m);
        prune.add(o);
      }
      episodes.delete(k);
    }
    for (const fd of u.creates) episodes.set(key(u.pid, fd), { create: o, members: [], keep: selected || u.creates.length > 1 || u.uses.length > 0 || u.destroys.length > 0 });
  }
  for (const o of prune) {
    included.delete(o);
    const e = enterOf.get(o);
    if (e !== undefined) included.delete(e);
  }
}

/** A thread as it was when the fixture first needs it. */
interface Snapshot {
  tid: bigint;
  pid: bigint;
  ptid: bigint;
  sid: bigint;
  vpgid: bigint;
  pgid: bigint;
  vtid: bigint;
  vpid: bigint;
  comm: string;
  exe: string;
  exepath: string;
  args: string[];
  cwd: string;
  env: string[];
  uid: number;
  gid: number;
  loginuid: number;
  tty: number;
  cgroups: string[];
  root: string;
  fdlimit: bigint;
  capPermitted: bigint;
  capEffective: bigint;
  capInheritable: bigint;
  exeWritable: boolean;
  exeUpperLayer: boolean;
  exeLowerLayer: boolean;
  exeFromMemfd: boolean;
  containerId: string;
  main: boolean;
  fds: FdInfo[];
}

function snapshot(t: ThreadInfo, used: ReadonlySet<bigint> | undefined): Snapshot {
  const main = t.isMainThread();
  const fds: FdInfo[] = [];
  if (main && used) for (const [fd, f] of t.fdtable.entries()) if (used.has(fd)) fds.push(f.clone());
  fds.sort((a, b) => (a.fd < b.fd ? -1 : a.fd > b.fd ? 1 : 0));
  return {
    tid: t.tid,
    pid: t.pid,
    ptid: t.ptid,
    sid: t.sid,
    vpgid: t.vpgid,
    pgid: t.pgid,
    vtid: t.vtid,
    vpid: t.vpid,
    comm: t.comm,
    exe: t.exe,
    exepath: t.exepath,
    args: [...t.args],
    cwd: t.cwd,
    env: [...t.env],
    uid: t.uid,
    gid: t.gid,
    loginuid: t.loginuid,
    tty: t.tty,
    cgroups: t.cgroups.map(([s, p]) => `${s}=${p}`),
    root: t.root,
    fdlimit: t.fdlimit,
    capPermitted: t.capPermitted,
    capEffective: t.capEffective,
    capInheritable: t.capInheritable,
    exeWritable: t.exeWritable,
    exeUpperLayer: t.exeUpperLayer,
    exeLowerLayer: t.exeLowerLayer,
    exeFromMemfd: t.exeFromMemfd,
    containerId: t.containerId,
    main,
    fds,
  };
}

/** One included event of the capture. */
interface CaptureEvent {
  rec: ScapEvent;
  info: EventInfo;
  kind: Kind;
  /** The process, when the event's thread is not the main one (or is unknown). */
  pid: bigint | undefined;
  /** evt.num in the capture (selected events libsinsp returns). */
  num: bigint | undefined;
  /** Field values read on the event in the capture (for the comparison). */
  values?: Map<string, string>;
}

interface State {
  machine: MachineInfoRecord | undefined;
  interfaces: InterfaceListRecord | undefined;
  users: UserListRecord | undefined;
  snapshots: Snapshot[];
  events: CaptureEvent[];
  containers: ContainerInfo[];
  uids: Set<number>;
  gids: Set<number>;
  gaps: FixtureGap[];
  /** Items of the state sections the fixture reader rejected (kept across renders). */
  dropNotes: string[];
}

/** The fields compared on each selected event (no argument needed), in catalog order. */
function comparedFields(catalog: FieldCatalog | undefined): string[] {
  if (!catalog) return [];
  return catalog.fields.filter((f) => !f.arg.required && !f.hidden).map((f) => f.name);
}

function extractedText(v: Extracted): string {
  if (v === undefined) return "<NA>";
  const one = (x: unknown): string => (x instanceof Uint8Array ? [...x].join(".") : typeof x === "object" && x !== null ? JSON.stringify(x, (_k, y) => (typeof y === "bigint" ? y.toString() : y instanceof Uint8Array ? [...y] : y)) : String(x));
  return Array.isArray(v) ? `(${(v as unknown[]).map(one).join(",")})` : one(v);
}

function readFields(ctx: EventContext, fields: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of fields) {
    let v: string;
    try {
      v = extractedText(extractSyscallField(ctx, f, undefined));
    } catch (e) {
      v = `<error: ${(e as Error).message}>`;
    }
    out.set(f, v);
  }
  return out;
}

async function collectState(source: RecordSource, plan: Plan, fields: readonly string[]): Promise<State> {
  const insp = new Inspector();
  const state: State = { machine: undefined, interfaces: undefined, users: undefined, snapshots: [], events: [], containers: [], uids: new Set(), gids: new Set(), gaps: [], dropNotes: [] };
  const snapshotted = new Set<bigint>();
  const created = new Set<bigint>();
  const containerIds = new Set<string>();
  let ord = -1;
  for await (const rec of iterate(source)) {
    if (rec.kind !== "event") {
      if (rec.kind === "machine") state.machine = rec;
      else if (rec.kind === "interfaces") state.interfaces = rec;
      else if (rec.kind === "users") state.users = rec;
      insp.feed(rec);
      continue;
    }
    ord++;
    const kind = plan.included.get(ord);
    let before: ThreadInfo | undefined;
    if (kind) {
      // a thread's own return from clone creates it in the fixture (from its parent)
      const info = EVENTS[rec.type];
      if (info && cloneExit(info) && intParam(rec, 0) === 0n && !snapshotted.has(rec.tid)) created.add(rec.tid);
      for (const tid of plan.neededAt.get(ord) ?? []) {
        if (created.has(tid) || snapshotted.has(tid)) continue;
        const x = insp.threads.find(tid);
        if (!x || x.pid < 0n) continue;
        snapshotted.add(tid);
        const s = snapshot(x, plan.usedFds.get(x.pid));
        state.snapshots.push(s);
        state.uids.add(s.uid);
        state.uids.add(s.loginuid);
        state.gids.add(s.gid);
        if (s.containerId !== "") containerIds.add(s.containerId);
      }
      before = insp.threads.find(rec.tid);
      if (before && before.pid < 0n) before = undefined;
    }
    const ctx = insp.feed(rec);
    if (!kind) continue;
    const info = EVENTS[rec.type]!;
    const after = insp.threads.find(rec.tid);
    const pid = before ? before.pid : after && after.pid >= 0n ? after.pid : undefined;
    const ev: CaptureEvent = { rec, info, kind, pid, num: ctx?.num };
    if (kind === "selected" && ctx && fields.length > 0) ev.values = readFields(ctx, fields);
    state.events.push(ev);
    if (!before && after) created.add(rec.tid);
    if (cloneExit(info)) {
      const res = intParam(rec, 0);
      if (res !== undefined && res > 0n) created.add(res);
      if (res === 0n) created.add(rec.tid);
    }
    if (after?.containerId) containerIds.add(after.containerId);
    info.params.forEach((p, i) => {
      const v = intParam(rec, i);
      if (v === undefined) return;
      if (p.type === "PT_UID") state.uids.add(Number(BigInt.asUintN(32, v)));
      if (p.type === "PT_GID") state.gids.add(Number(BigInt.asUintN(32, v)));
    });
  }
  for (const id of [...containerIds].sort()) {
    const c = insp.containers.containers.get(id);
    if (c) state.containers.push(c);
    else state.gaps.push({ message: `container ${id}: the capture has no metadata for it (only container.id is known, as in the capture)` });
  }
  return state;
}

// --- writing --------------------------------------------------------------------------------------------

/** How one included event is written, refined round after round. */
interface EventSpec {
  ev: CaptureEvent;
  mode: "friendly" | "raw" | "drop";
  /** Parameters written explicitly (friendly form). */
  explicit: Set<number>;
  /** Parameters whose value the format cannot write. */
  unwritable: Set<number>;
  /** Why it was dropped. */
  reason?: string;
  /** Its line in the last rendering (0 when left out). */
  line: number;
  /** Mismatches that remain (reported). */
  remaining: string[];
}

function initialSpec(ev: CaptureEvent): EventSpec {
  const info = ev.info;
  const spec: EventSpec = { ev, mode: "friendly", explicit: new Set(), unwritable: new Set(), line: 0, remaining: [] };
  if (info.delivery !== "as-is") {
    spec.mode = "drop";
    spec.reason = `${info.enumName} is not an event layout the fixture format takes (${info.delivery})`;
    return spec;
  }
  const friendly = friendlyCode(info);
  const res = info.dir === "exit" && info.params.length > 0 ? intParam(ev.rec, 0) : undefined;
  if (!friendly || (cloneExit(info) && res === 0n)) {
    spec.mode = "raw";
    return spec;
  }
  const procInfo = (isExec(info.name) || isClone(info.name)) && info.dir === "exit";
  info.params.forEach((p, i) => {
    const v = ev.rec.param(i);
    if (i === 0 && info.dir === "exit") {
      if (v.kind === "int" && v.value < 0n) spec.explicit.add(i);
      return;
    }
    if (procInfo && PROCESS_INFO_PARAMS.has(p.name)) return;
    if (isFillDefault(p, v) && !mustGive(info, i)) return;
    spec.explicit.add(i);
  });
  return spec;
}

/** Parameters the fixture reader requires in a friendly event (see checkRequired in syscall-fixtures.ts). */
function mustGive(info: EventInfo, index: number): boolean {
  const p = info.params[index]!;
  const name = info.name;
  if (isExec(name) || isClone(name)) return false;
  if (name === "connect") return p.name === "fd" || p.name === "tuple" || p.name === "addr";
  const usesFd = (info.flags & 6) !== 0 && name !== "mmap" && name !== "mmap2";
  if (p.type === "PT_FD" && usesFd && !isDirfd(p.name) && !(name.startsWith("dup") && p.name === "newfd")) return true;
  if (p.type === "PT_FSPATH" || p.type === "PT_FSRELPATH") return true;
  const required: Record<string, string[]> = { setuid: ["uid"], setgid: ["gid"], ptrace: ["request", "pid"], kill: ["pid"], tkill: ["tid"], accept: ["tuple"], accept4: ["tuple"], bind: ["addr"], chdir: ["path"] };
  return (required[name] ?? []).includes(p.name);
}

interface Rendered {
  text: string;
  /** fixture line -> index in the specs. */
  lineToSpec: Map<number, number>;
  /** The first line of the events section. */
  eventsLine: number;
}

interface RenderContext {
  header: readonly string[];
  summary: readonly string[];
  /** The state sections (hostname to processes), rendered once. */
  head: readonly string[];
  start: bigint;
}

function render(ctx: RenderContext, specs: EventSpec[]): Rendered {
  const lines: string[] = [];
  for (const h of [...ctx.header, ...ctx.summary]) lines.push(h === "" ? "#" : `# ${h}`);
  lines.push(...ctx.head);
  lines.push("", "events:");
  const eventsLine = lines.length + 1;
  const lineToSpec = new Map<number, number>();
  let prevTs: bigint | undefined;
  specs.forEach((spec, i) => {
    const ev = spec.ev;
    if (spec.mode === "drop") {
      lines.push(`  # left out: ${eventName(ev.info)} of tid ${ev.rec.tid}: ${spec.reason ?? ""}`);
      spec.line = 0;
      return;
    }
    spec.line = lines.length + 1;
    lineToSpec.set(spec.line, i);
    const ts = ev.rec.ts;
    const time = prevTs === undefined ? (ts === ctx.start ? undefined : isoTime(ts)) : ts >= prevTs ? relativeTime(ts - prevTs) : isoTime(ts);
    prevTs = ts;
    const notes = spec.remaining;
    lines.push(`  - ${eventText(spec, time)}${notes.length > 0 ? `   # ${notes.join("; ")}` : ""}`);
  });
  if (lineToSpec.size === 0) lines.push("  []");
  return { text: lines.join("\n") + "\n", lineToSpec, eventsLine };
}

/**
 * The state sections: hostname, start, interfaces, users, containers, processes. They are read
 * back: an item the fixture reader rejects (which would make replay refuse the whole fixture) is
 * left out and reported.
 */
function renderHead(state: State, start: bigint): string[] {
  const base = state.gaps.length;
  for (let round = 0; ; round++) {
    state.gaps.length = base;
    const w = new Writer();
    w.push(`hostname: ${yamlString(state.machine?.hostname ?? "localhost")}`);
    w.push(`start: ${isoTime(start)}`);
    renderInterfaces(w, state);
    renderUsers(w, state);
    renderContainers(w, state);
    renderProcesses(w, state);
    const problems = readSyscallFixture(`${w.lines.join("\n")}\nevents: []\n`).problems;
    if (problems.length === 0 || round >= 20) return w.lines;
    let dropped = false;
    for (const p of problems) {
      let line = p.line;
      while (line > 0 && !w.owners.has(line)) line--;
      const owner = w.owners.get(line);
      if (!owner) continue;
      w.owners.delete(line);
      owner.drop();
      state.dropNotes.push(`${owner.what} is left out: the fixture reader rejects it (${p.message})`);
      dropped = true;
    }
    if (!dropped) return w.lines;
  }
}

/** Lines of the state sections, with what to leave out when the fixture reader rejects one. */
class Writer {
  readonly lines: string[] = [];
  readonly owners = new Map<number, { what: string; drop(): void }>();
  push(line: string, owner?: { what: string; drop(): void }): void {
    this.lines.push(line);
    if (owner) this.owners.set(this.lines.length, owner);
  }
}

function eventText(spec: EventSpec, time: string | undefined): string {
  const ev = spec.ev;
  const info = ev.info;
  const rec = ev.rec;
  const pairs: [string, string][] = [];
  const tid = rec.tid;
  if (ev.pid === undefined || ev.pid === tid) pairs.push(["pid", tid.toString()]);
  else pairs.push(["tid", tid.toString()], ["pid", ev.pid.toString()]);
  const params: [string, string][] = [];
  if (spec.mode === "raw") {
    pairs.push(["event", info.enumName.replace(/^PPME_/, "")]);
    info.params.forEach((p, i) => {
      const v = rec.param(i);
      if (v.kind === "empty") return;
      const t = valueText(info, i, v);
      if (t !== undefined) params.push([p.name, t]);
    });
  } else {
    pairs.push(["syscall", info.name]);
    if (friendlyCode(info)?.direction) pairs.push(["direction", info.dir]);
    const exec = isExec(info.name) && info.dir === "exit";
    const clone = cloneExit(info);
    const res0 = info.dir === "exit" && info.params.length > 0 ? rec.param(0) : undefined;
    if (exec) {
      const fi = info.params.findIndex((p) => p.name === "filename");
      const ei = info.params.findIndex((p) => p.name === "exe");
      const filename = fi >= 0 ? rec.param(fi) : undefined;
      const exe = ei >= 0 ? rec.param(ei) : undefined;
      const path = filename?.kind === "string" && filename.value !== "" ? filename.value : exe?.kind === "string" ? exe.value : "";
      pairs.push(["exe", yamlString(path)]);
    }
    const ordered = info.params.map((_, i) => i).filter((i) => !(i === 0 && info.dir === "exit"));
    if (info.dir === "exit" && info.params.length > 0 && !clone) ordered.push(0);
    for (const i of ordered) {
      if (!spec.explicit.has(i) || spec.unwritable.has(i)) continue;
      const p = info.params[i]!;
      const v = rec.param(i);
      const t = valueText(info, i, v);
      if (t === undefined) continue;
      let key = keyFor(info, i);
      if (exec) {
        if (p.name === "exe") key = "argv0";
        else if (p.name === "comm") key = "comm";
        else if (p.name === "trusted_exepath") key = v.kind === "string" ? "exepath" : undefined;
        else if (p.name === "filename") key = undefined;
      }
      if (key === undefined) params.push([p.name, t]);
      else pairs.push([key, t]);
    }
    if (clone) {
      const res = res0?.kind === "int" ? res0.value : undefined;
      if (res !== undefined && res > 0n) pairs.push(["child", res.toString()]);
      else if (res0 !== undefined && spec.explicit.has(0)) {
        const t = valueText(info, 0, res0);
        if (t !== undefined) pairs.push(["res", t]);
      }
      pairs.push(["child_event", "false"]);
    }
  }
  if (params.length > 0) pairs.push(["params", flowMap(params)]);
  if (time !== undefined) pairs.push(["time", time]);
  if (rec.cpu !== 0) pairs.push(["cpu", rec.cpu.toString()]);
  if (ev.kind === "state" || (rec.flags & 1) !== 0) pairs.push(["state_only", "true"]);
  return `{${pairs.map(([k, v]) => `${k}: ${v}`).join(", ")}}`;
}

function renderInterfaces(w: Writer, state: State): void {
  const il = state.interfaces;
  const items: string[] = [];
  const prefix = (m: Uint8Array): number => {
    let n = 0;
    for (const b of m) {
      if (b === 0xff) n += 8;
      else {
        let x = b;
        while (x & 0x80) {
          n++;
          x = (x << 1) & 0xff;
        }
        break;
      }
    }
    return n;
  };
  for (const i of il?.ipv4 ?? []) items.push(flowMap([["name", yamlString(i.name)], ["addr", yamlString(`${ipv4ToString(i.addr)}/${prefix(i.netmask)}`)]]));
  for (const i of il?.ipv6 ?? []) items.push(flowMap([["name", yamlString(i.name)], ["addr", yamlString(ipv6ToString(i.addr))]]));
  if (items.length === 0) {
    w.push("interfaces: []");
    return;
  }
  w.push("interfaces:");
  for (const i of items) w.push(`  - ${i}`);
}

function renderUsers(w: Writer, state: State): void {
  const ul = state.users;
  if (!ul) return;
  const users = ul.users.filter((u) => state.uids.has(u.uid >>> 0)).sort((a, b) => (a.uid >>> 0) - (b.uid >>> 0));
  const groups = ul.groups.filter((g) => state.gids.has(g.gid >>> 0)).sort((a, b) => (a.gid >>> 0) - (b.gid >>> 0));
  const seenU = new Set<number>();
  if (users.length > 0) {
    w.push("users:");
    for (const u of users) {
      if (seenU.has(u.uid >>> 0)) continue;
      seenU.add(u.uid >>> 0);
      const pairs: [string, string][] = [["uid", String(u.uid >>> 0)], ["name", yamlString(u.name)]];
      if (u.gid >>> 0 !== u.uid >>> 0) pairs.push(["gid", String(u.gid >>> 0)]);
      if (u.homedir !== "") pairs.push(["home", yamlString(u.homedir)]);
      if (u.shell !== "") pairs.push(["shell", yamlString(u.shell)]);
      w.push(`  - ${flowMap(pairs)}`, { what: `user ${u.uid >>> 0}`, drop: () => state.uids.delete(u.uid >>> 0) });
    }
  }
  if (groups.length > 0) {
    w.push("groups:");
    const seen = new Set<number>();
    for (const g of groups) {
      if (seen.has(g.gid >>> 0)) continue;
      seen.add(g.gid >>> 0);
      w.push(`  - ${flowMap([["gid", String(g.gid >>> 0)], ["name", yamlString(g.name)]])}`, { what: `group ${g.gid >>> 0}`, drop: () => state.gids.delete(g.gid >>> 0) });
    }
  }
}

function renderContainers(w: Writer, state: State): void {
  const items: { lines: string[]; c: ContainerInfo }[] = [];
  for (const c of state.containers) {
    let id: string;
    if (/^[0-9a-f]{64}$/i.test(c.fullId) && c.fullId.slice(0, 12) === c.id) id = c.fullId;
    else if (/^[A-Za-z0-9][A-Za-z0-9_-]{0,11}$/.test(c.id) && (c.fullId === c.id || c.fullId === "")) id = c.id;
    else {
      state.gaps.push({ message: `container ${c.id}: its id (full id '${c.fullId}') cannot be written in a fixture; its metadata is left out` });
      continue;
    }
    const lines: string[] = [`id: ${yamlString(id)}`];
    const s = (k: string, v: string) => {
      if (v !== "") lines.push(`${k}: ${yamlString(v)}`);
    };
    s("name", c.name);
    s("image", c.image);
    const split = splitImage(c.image);
    if (c.imageRepo !== split.repo) lines.push(`image_repository: ${yamlString(c.imageRepo)}`);
    if (c.imageTag !== split.tag) lines.push(`image_tag: ${yamlString(c.imageTag)}`);
    if (c.imageDigest !== split.digest) lines.push(`image_digest: ${yamlString(c.imageDigest)}`);
    s("image_id", c.imageId);
    const type = containerTypeName(c.type);
    if (type !== "docker") {
      if (type === "" || type === "host") state.gaps.push({ message: `container ${c.id}: its type (${c.type}) cannot be written; written as docker` });
      else lines.push(`type: ${type}`);
    }
    if (c.privileged) lines.push("privileged: true");
    s("ip", c.ip);
    s("user", c.user);
    if (c.hostNetwork) lines.push("host_network: true");
    if (c.hostPid) lines.push("host_pid: true");
    if (c.hostIpc) lines.push("host_ipc: true");
    if (c.labels.size > 0) lines.push(`labels: ${flowMap([...c.labels].map(([k, v]) => [k, yamlString(v)] as const))}`);
    if (c.mounts.length > 0) {
      lines.push("mounts:");
      for (const m of c.mounts) {
        const pairs: [string, string][] = [
          ["source", yamlString(m.source)],
          ["dest", yamlString(m.dest)],
          ["mode", yamlString(m.mode)],
          ["rw", m.rdwr ? "true" : "false"],
        ];
        if (m.propagation !== "") pairs.push(["propagation", yamlString(m.propagation)]);
        lines.push(`  - ${flowMap(pairs)}`);
      }
    }
    const lost = [c.cniResult !== "" ? "cni_json" : "", c.podSandboxId !== "" ? "pod_sandbox_id" : "", c.podSandboxLabels.size > 0 ? "pod_sandbox_labels" : "", c.isPodSandbox ? "is_pod_sandbox" : ""].filter((x) => x !== "");
    if (lost.length > 0) state.gaps.push({ message: `container ${c.id}: the format has no key for ${lost.join(", ")}; left out` });
    items.push({ lines, c });
  }
  if (items.length === 0) return;
  w.push("containers:");
  for (const { lines, c } of items) {
    const owner = { what: `the metadata of container ${c.id}`, drop: () => state.containers.splice(state.containers.indexOf(c), 1) };
    lines.forEach((l, i) => w.push(`${i === 0 ? "  - " : "    "}${l}`, i === 0 ? owner : undefined));
  }
}

const ptsNumber = (tty: number): number | undefined => {
  const major = (tty >>> 8) & 0xfff;
  if (major !== 136) return undefined;
  const n = (tty & 0xff) | ((tty >>> 12) & ~0xff);
  const back = (n & 0xff) | (136 << 8) | ((n & ~0xff) << 12);
  return back === tty ? n : undefined;
};

function fdText(f: FdInfo, state: State, pid: bigint): string | undefined {
  const pairs: [string, string][] = [["fd", f.fd.toString()]];
  const proto = (p: number): string | undefined => L4_NAMES.get(p);
  const gap = (why: string): undefined => {
    state.gaps.push({ message: `process ${pid}: fd ${f.fd} (${f.name || f.typeString()}) is left out: ${why}` });
    return undefined;
  };
  switch (f.type) {
    case FdType.FILE:
    case FdType.FILE_V2:
      if (f.name !== "") pairs.push(["name", yamlString(f.name)]);
      pairs.push(["flags", flagNames("file_flags", BigInt(f.openFlags >>> 0))]);
      if (f.dev !== 0) pairs.push(["dev", String(f.dev >>> 0)]);
      break;
    case FdType.IPV4_SOCK:
    case FdType.IPV6_SOCK: {
      const v4 = f.type === FdType.IPV4_SOCK;
      const t = v4 ? `${ipv4ToString(f.v4sip)}:${f.v4sport}->${ipv4ToString(f.v4dip)}:${f.v4dport}` : `[${ipv6ToString(f.v6sip)}]:${f.v6sport}->[${ipv6ToString(f.v6dip)}]:${f.v6dport}`;
      const p = proto(v4 ? f.v4l4proto : f.v6l4proto);
      if (p === undefined) return gap("a socket of unknown protocol");
      pairs.push(["tuple", yamlString(t)]);
      if (p !== "tcp") pairs.push(["proto", p]);
      break;
    }
    case FdType.IPV4_SERVSOCK:
    case FdType.IPV6_SERVSOCK: {
      const v4 = f.type === FdType.IPV4_SERVSOCK;
      const a = v4 ? `${ipv4ToString(f.v4srvIp)}:${f.v4srvPort}` : `[${ipv6ToString(f.v6srvIp)}]:${f.v6srvPort}`;
      const p = proto(v4 ? f.v4srvL4proto : f.v6srvL4proto);
      if (p === undefined) return gap("a listening socket of unknown protocol");
      pairs.push(["addr", yamlString(a)]);
      if (p !== "tcp") pairs.push(["proto", p]);
      break;
    }
    case FdType.UNIX_SOCK:
      // the tuple form carries the socket's kernel addresses, but not a name with a line break
      if ((f.unixSource !== 0n || f.unixDest !== 0n) && !/[\n\r]/.test(f.name)) pairs.push(["tuple", yamlString(`${f.unixSource.toString(16)}->${f.unixDest.toString(16)}${f.name !== "" ? ` ${f.name}` : ""}`)]);
      else {
        pairs.push(["type", "unix"]);
        if (f.name !== "") pairs.push(["name", yamlString(f.name)]);
      }
      break;
    default: {
      const type = FD_TYPE_NAMES.get(f.type);
      if (type === undefined) return gap(`its type (${f.typeString()}) has no name in the format`);
      pairs.push(["type", type]);
      if (f.name !== "") pairs.push(["name", yamlString(f.name)]);
    }
  }
  if (f.ino !== 0n) pairs.push(["ino", f.ino.toString()]);
  return flowMap(pairs);
}

function renderProcesses(w: Writer, state: State): void {
  const byPid = new Map<bigint, Snapshot[]>();
  for (const s of state.snapshots) {
    let list = byPid.get(s.pid);
    if (!list) byPid.set(s.pid, (list = []));
    list.push(s);
  }
  if (byPid.size === 0) return;
  // parents first, then by pid
  const pids = [...byPid.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const parentOf = (pid: bigint): bigint | undefined => {
    const list = byPid.get(pid)!;
    const main = list.find((s) => s.tid === pid) ?? list[0]!;
    const ptid = main.ptid;
    for (const [p, l] of byPid) if (p !== pid && l.some((s) => s.tid === ptid)) return p;
    return undefined;
  };
  const children = new Map<bigint | undefined, bigint[]>();
  for (const p of pids) {
    const parent = parentOf(p);
    let l = children.get(parent);
    if (!l) children.set(parent, (l = []));
    l.push(p);
  }
  const order: bigint[] = [];
  const visit = (p: bigint | undefined, seen: Set<bigint>) => {
    for (const c of children.get(p) ?? []) {
      if (seen.has(c)) continue;
      seen.add(c);
      order.push(c);
      visit(c, seen);
    }
  };
  const seen = new Set<bigint>();
  visit(undefined, seen);
  for (const p of pids) if (!seen.has(p)) (seen.add(p), order.push(p), visit(p, seen));

  w.push("");
  w.push("processes:");
  for (const pid of order) {
    const list = byPid.get(pid)!;
    const main = list.find((s) => s.tid === pid);
    const s = main ?? list[0]!;
    if (!main) state.gaps.push({ message: `process ${pid}: its main thread is not in the capture's table; thread ${s.tid} stands for it` });
    const others = list.filter((x) => x !== s).map((x) => x.tid);
    for (const o of list) {
      if (o === s) continue;
      if (o.comm !== s.comm) state.gaps.push({ message: `thread ${o.tid} of process ${pid} is named '${o.comm}' but the format gives threads their process's name ('${s.comm}')` });
    }
    const keys: [string, string][] = [["pid", pid.toString()]];
    if (s.ptid > 0n) keys.push(["ppid", s.ptid.toString()]);
    // exe, argv0, exepath, comm as the reader defaults them
    let exe: string;
    if (s.exepath !== "") exe = s.exepath;
    else exe = s.exe;
    const defaultComm = commOf(exe);
    if (exe !== "") keys.push(["exe", yamlString(exe)]);
    if (s.comm !== defaultComm || exe === "") keys.push(["comm", yamlString(s.comm)]);
    const defaultArgv0 = exe !== "" ? exe : s.comm;
    if (s.exe !== defaultArgv0) keys.push(["argv0", yamlString(s.exe)]);
    const defaultExepath = exe.startsWith("/") ? normalizedAbs(exe) : "";
    if (s.exepath !== defaultExepath) keys.push(["exepath", yamlString(s.exepath)]);
    if (s.args.length > 0) keys.push(["args", flowList(s.args.map(yamlString))]);
    const cwd = s.cwd.length > 1 ? s.cwd.replace(/\/$/, "") : s.cwd;
    if (cwd !== "/") keys.push(["cwd", yamlString(cwd)]);
    if (s.uid !== 0) keys.push(["uid", String(s.uid)]);
    const user = state.users?.users.find((u) => u.uid >>> 0 === s.uid);
    const defaultGid = user ? user.gid >>> 0 : s.uid;
    if (s.gid !== defaultGid) keys.push(["gid", String(s.gid)]);
    if (s.loginuid !== UINT32_MAX) keys.push(["loginuid", String(s.loginuid)]);
    if (s.tty !== 0) {
      const n = ptsNumber(s.tty);
      keys.push(["tty", n !== undefined ? `pts/${n}` : String(s.tty)]);
    }
    if (s.sid !== pid) keys.push(["sid", s.sid.toString()]);
    if (s.vpgid !== pid) keys.push(["vpgid", s.vpgid.toString()]);
    if (s.pgid !== s.vpgid) keys.push(["pgid", s.pgid.toString()]);
    if (s.vpid !== pid) keys.push(["vpid", s.vpid.toString()]);
    if (s.root !== "/") keys.push(["root", yamlString(s.root)]);
    if (s.fdlimit !== DEFAULT_FDLIMIT) keys.push(["fdlimit", s.fdlimit.toString()]);
    if (s.capPermitted !== 0n) keys.push(["cap_permitted", `0x${s.capPermitted.toString(16)}`]);
    if (s.capEffective !== 0n) keys.push(["cap_effective", `0x${s.capEffective.toString(16)}`]);
    if (s.capInheritable !== 0n) keys.push(["cap_inheritable", `0x${s.capInheritable.toString(16)}`]);
    if (s.exeWritable) keys.push(["exe_writable", "true"]);
    if (s.exeUpperLayer) keys.push(["exe_upper_layer", "true"]);
    if (s.exeLowerLayer) keys.push(["exe_lower_layer", "true"]);
    if (s.exeFromMemfd) keys.push(["exe_from_memfd", "true"]);
    if (others.length > 0) keys.push(["threads", flowList(others.map(String))]);
    const long: [string, string[]][] = [];
    if (s.env.length > 0) long.push(["env", s.env.map(yamlString)]);
    if (s.cgroups.length > 0) long.push(["cgroups", s.cgroups.map(yamlString)]);
    const fds = s.fds.flatMap((f) => {
      const t = fdText(f, state, pid);
      return t === undefined ? [] : [{ text: t, owner: { what: `fd ${f.fd} of process ${pid}`, drop: () => s.fds.splice(s.fds.indexOf(f), 1) } }];
    });
    const processOwner = { what: `process ${pid}`, drop: () => (state.snapshots = state.snapshots.filter((x) => x.pid !== pid)) };
    const comment = s.containerId !== "" ? `   # in container ${s.containerId}` : "";
    const flat = `  - {${keys.map(([k, v]) => `${k}: ${v}`).join(", ")}}`;
    if (long.length === 0 && fds.length === 0 && flat.length <= 110) {
      w.push(flat + comment, processOwner);
      continue;
    }
    keys.forEach(([k, v], i) => w.push(`${i === 0 ? "  - " : "    "}${k}: ${v}${i === 0 ? comment : ""}`, i === 0 ? processOwner : undefined));
    for (const [k, items] of long) w.push(`    ${k}: ${flowList(items)}`);
    if (fds.length > 0) {
      w.push("    fds:");
      for (const f of fds) w.push(`      - ${f.text}`, f.owner);
    }
  }
}

// --- the rounds ---------------------------------------------------------------------------------------

function eventName(info: EventInfo): string {
  return `${info.name}${info.dir === "enter" ? ">" : "<"}`;
}

/**
 * Builds the fixture's records and compares them with the capture's events: friendly events get
 * the parameters that differ, events the friendly form cannot reproduce go raw, events the reader
 * rejects in raw form are dropped. With `fixedModes`, no event changes form: parameters are only
 * added, and what that cannot fix is `unresolved`.
 */
function refine(specs: EventSpec[], rendered: Rendered, problemsOut: FixtureGap[], built: { records?: SyscallFixtureRecordLike[] }, fixedModes = false): { changed: boolean; unresolved: boolean } {
  const read = readSyscallFixture(rendered.text);
  let changed = false;
  let unresolved = false;
  const problemLines = new Map<number, string>();
  for (const p of read.problems) {
    if (!problemLines.has(p.line)) problemLines.set(p.line, p.message);
  }
  problemsOut.length = 0;
  for (const [line, message] of problemLines) {
    const i = rendered.lineToSpec.get(line);
    if (i === undefined) {
      problemsOut.push({ line, message: `the fixture reader rejects line ${line}: ${message}` });
      continue;
    }
    if (fixedModes) {
      unresolved = true;
      continue;
    }
    const spec = specs[i]!;
    if (spec.mode === "friendly") spec.mode = "raw";
    else {
      spec.mode = "drop";
      spec.reason = message;
    }
    changed = true;
  }
  if (changed || unresolved) return { changed, unresolved };
  const records = syscallFixtureRecords(read.fixture);
  built.records = records;
  const groups = new Map<number, FixtureEventRecord[]>();
  for (const r of records) {
    if (r.kind !== "event") continue;
    const line = (r as FixtureEventRecord).line;
    if (line < rendered.eventsLine) continue;
    let g = groups.get(line);
    if (!g) groups.set(line, (g = []));
    g.push(r as FixtureEventRecord);
  }
  // once an event changed, the state later events are built from may change too: for them, this
  // round only adds parameters, and the decisions to go raw wait for a round where nothing before
  // them changed
  let dirty = false;
  for (const spec of specs) {
    if (spec.mode === "drop") continue;
    const g = groups.get(spec.line) ?? [];
    const rec = spec.ev.rec;
    const info = spec.ev.info;
    spec.remaining = [];
    const first = g[0];
    if (g.length !== 1 || !first || first.type !== rec.type || first.tid !== rec.tid || first.ts !== rec.ts || first.cpu !== rec.cpu || (first.flags & 1) !== ((rec.flags & 1) | (spec.ev.kind === "state" ? 1 : 0))) {
      if (dirty) continue;
      if (fixedModes) unresolved = true;
      else if (spec.mode === "friendly") {
        spec.mode = "raw";
        changed = dirty = true;
      } else spec.remaining.push(`the fixture cannot reproduce this event exactly (${g.length} record${g.length === 1 ? "" : "s"} built)`);
      continue;
    }
    for (let i = 0; i < info.params.length; i++) {
      const want = rec.param(i);
      const got = first.param(i);
      if (paramEqual(want, got)) continue;
      const writable = valueText(info, i, want) !== undefined;
      if (spec.mode === "friendly") {
        if (!writable) {
          spec.unwritable.add(i);
          if (want.kind === "empty") {
            // only the raw form leaves a string parameter empty
            if (fixedModes) unresolved = true;
            else {
              spec.mode = "raw";
              changed = dirty = true;
            }
            break;
          }
          spec.remaining.push(`${info.params[i]!.name}: ${unwritableWhy(info.params[i]!, want)}, left out`);
          continue;
        }
        if (!spec.explicit.has(i)) {
          spec.explicit.add(i);
          changed = dirty = true;
        } else if (!dirty) {
          if (fixedModes) unresolved = true;
          else {
            spec.mode = "raw";
            changed = dirty = true;
          }
          break;
        }
      } else {
        spec.remaining.push(`${info.params[i]!.name}: ${writable ? "differs" : `${unwritableWhy(info.params[i]!, want)}, left out`}`);
      }
    }
    const present = rec.present ?? rec.nparams;
    if (present < info.params.length) {
      spec.remaining.push(`the capture's event carries ${present === 0 ? "none" : `only ${present}`} of its ${info.params.length} parameters (an old driver's layout); the fixture's has all of them${present === 0 ? ", so evt.res and evt.args read differently" : ""}`);
    }
  }
  return { changed, unresolved };
}

/**
 * Compares every field of the catalog between the capture and the fixture on the selected events.
 */
function compareFields(records: readonly SyscallFixtureRecordLike[], specs: EventSpec[], lineToSpec: Map<number, number>, fields: readonly string[]): FixtureWriteResult["fieldDifferences"] {
  const insp = new Inspector();
  const diffs = new Map<string, { events: number; example: { capture: string; fixture: string; line: number } }>();
  const missing = { events: 0 };
  const seen = new Set<number>();
  for (const r of records) {
    const ctx = insp.feed(r);
    if (r.kind !== "event") continue;
    const i = lineToSpec.get((r as FixtureEventRecord).line);
    if (i === undefined) continue;
    const spec = specs[i]!;
    if (!spec.ev.values || seen.has(i)) continue;
    seen.add(i);
    if (!ctx) {
      missing.events++;
      continue;
    }
    const got = readFields(ctx, fields);
    for (const [f, want] of spec.ev.values) {
      const have = got.get(f)!;
      if (have === want) continue;
      const d = diffs.get(f);
      if (d) d.events++;
      else diffs.set(f, { events: 1, example: { capture: want, fixture: have, line: spec.line } });
    }
  }
  const out = [...diffs].map(([field, d]) => ({ field, ...d }));
  if (missing.events > 0) out.unshift({ field: "(the event itself: libsinsp shows it to rules)", events: missing.events, example: { capture: "shown", fixture: "hidden", line: 0 } });
  return out;
}

/** Cuts a capture to a syscall fixture. See the module comment. */
export async function writeSyscallFixture(source: RecordSource, options: FixtureWriteOptions): Promise<FixtureWriteResult> {
  const fields = comparedFields(options.catalog);
  const plan = await planSelection(source, options);
  if (![...plan.included.values()].includes("selected")) return { text: "", selected: 0, stateOnly: 0, captureEventNumbers: [], dropped: [], gaps: [], fieldDifferences: [] };
  const state = await collectState(source, plan, fields);
  const specs = state.events.map(initialSpec);
  const start = state.events[0]!.rec.ts;
  const ctx: RenderContext = { header: options.header ?? [], summary: [], head: renderHead(state, start), start };
  const readerProblems: FixtureGap[] = [];
  const built: { records?: SyscallFixtureRecordLike[] } = {};
  let settled: Rendered | undefined;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const r = render(ctx, specs);
    built.records = undefined;
    if (!refine(specs, r, readerProblems, built).changed) {
      settled = r;
      break;
    }
  }
  // the early rounds may have added parameters that the settled forms do not need: start the
  // friendly events again from their first guess, and add back only what still differs
  if (settled && specs.some((s) => s.mode === "friendly")) {
    const saved = specs.map((s) => ({ explicit: s.explicit, unwritable: s.unwritable, remaining: s.remaining }));
    for (const s of specs) {
      if (s.mode !== "friendly") continue;
      s.explicit = new Set(initialSpec(s.ev).explicit);
      s.unwritable = new Set();
    }
    const savedRecords = built.records;
    let reduced: Rendered | undefined;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const r = render(ctx, specs);
      built.records = undefined;
      const { changed, unresolved } = refine(specs, r, readerProblems, built, true);
      if (unresolved) break;
      if (!changed) {
        reduced = r;
        break;
      }
    }
    if (reduced) settled = reduced;
    else {
      specs.forEach((s, i) => Object.assign(s, saved[i]));
      built.records = savedRecords;
    }
  }
  const written = specs.filter((s) => s.mode !== "drop");
  const dropped: FixtureGap[] = specs.filter((s) => s.mode === "drop").map((s) => ({ message: `${eventName(s.ev.info)} of tid ${s.ev.rec.tid} at ${isoTime(s.ev.rec.ts)}: ${s.reason ?? ""}` }));
  const gapsOf = (): FixtureGap[] => {
    const out: FixtureGap[] = [...state.gaps, ...state.dropNotes.map((message) => ({ message })), ...readerProblems];
    for (const s of written) if (s.remaining.length > 0) out.push({ line: s.line, message: `${eventName(s.ev.info)} of tid ${s.ev.rec.tid}: ${s.remaining.join("; ")}` });
    return dedupe(out);
  };
  let rendered = settled ?? render(ctx, specs);
  let records = settled ? built.records : undefined;
  if (!records && fields.length > 0) {
    const read = readSyscallFixture(rendered.text);
    if (read.problems.length === 0) records = syscallFixtureRecords(read.fixture);
  }
  const fieldDifferences = fields.length > 0 && records ? compareFields(records, specs, rendered.lineToSpec, fields) : [];
  // the summary moves the events down (by as many lines whatever the numbers in it): render once
  // to learn by how much, then write the summary with the final line numbers
  ctx.summary = summaryLines(specs, dropped, gapsOf(), fieldDifferences, fields.length > 0, state.snapshots.length > 0);
  const before = rendered.eventsLine;
  rendered = render(ctx, specs);
  for (const d of fieldDifferences) if (d.example.line > 0) d.example.line += rendered.eventsLine - before;
  ctx.summary = summaryLines(specs, dropped, gapsOf(), fieldDifferences, fields.length > 0, state.snapshots.length > 0);
  rendered = render(ctx, specs);
  return {
    text: rendered.text,
    selected: written.filter((s) => s.ev.kind === "selected").length,
    stateOnly: written.filter((s) => s.ev.kind === "state").length,
    captureEventNumbers: written.filter((s) => s.ev.kind === "selected" && s.ev.num !== undefined).map((s) => s.ev.num!),
    dropped,
    gaps: gapsOf(),
    fieldDifferences,
  };
}

function dedupe(gaps: FixtureGap[]): FixtureGap[] {
  const seen = new Set<string>();
  return gaps.filter((g) => {
    const k = `${g.line ?? ""}|${g.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function summaryLines(specs: EventSpec[], dropped: FixtureGap[], gaps: FixtureGap[], diffs: FixtureWriteResult["fieldDifferences"], compared: boolean, processes: boolean): string[] {
  const written = specs.filter((s) => s.mode !== "drop");
  const sel = written.filter((s) => s.ev.kind === "selected").length;
  const state = written.filter((s) => s.ev.kind === "state").length;
  const raw = written.filter((s) => s.mode === "raw").length;
  const out: string[] = [""];
  out.push(`${sel} selected event${sel === 1 ? "" : "s"}${state > 0 ? ` and ${state} state_only event${state === 1 ? " (not selected, but it changes" : "s (not selected, but they change"} the state later events read)` : ""}.`);
  if (processes) out.push("The processes below are as they were when the first event that needs them happened.");
  if (raw > 0) out.push(`${raw} event${raw === 1 ? " is" : "s are"} written in the raw event: form: the friendly form would not reproduce ${raw === 1 ? "it" : "them"} exactly.`);
  if (dropped.length > 0) {
    out.push(`Left out (the format cannot express them): ${dropped.length} event${dropped.length === 1 ? "" : "s"}:`);
    for (const d of dropped.slice(0, 20)) out.push(`  ${d.message}`);
    if (dropped.length > 20) out.push(`  ... and ${dropped.length - 20} more`);
  }
  const stateGaps = gaps.filter((g) => g.line === undefined);
  if (stateGaps.length > 0) {
    out.push("Not reproduced exactly:");
    for (const g of stateGaps.slice(0, 20)) out.push(`  ${g.message}`);
    if (stateGaps.length > 20) out.push(`  ... and ${stateGaps.length - 20} more`);
  }
  const eventGaps = gaps.filter((g) => g.line !== undefined).length;
  if (eventGaps > 0) out.push(`${eventGaps} event${eventGaps === 1 ? " has" : "s have"} values the format cannot write (see the comments after them).`);
  if (compared) {
    if (diffs.length === 0) out.push("Every field reads the same in this fixture as in the capture on the selected events.");
    else {
      out.push("Fields that read differently than in the capture on the selected events:");
      for (const d of diffs.slice(0, 30)) {
        const where = `${d.events} event${d.events === 1 ? "" : "s"}${d.example.line > 0 ? `, first at line ${d.example.line}` : ""}`;
        out.push(`  ${d.field} on ${where}: ${clip(d.example.capture)} in the capture, ${clip(d.example.fixture)} here`);
      }
      if (diffs.length > 30) out.push(`  ... and ${diffs.length - 30} more`);
    }
  }
  return out;
}

const clip = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}...` : s);
