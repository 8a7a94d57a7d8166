// The records the reader hands out besides events: one per metadata item, decoded and typed.
import type { ScapEvent } from "./event.js";

/** Common fields of every metadata record. */
interface MetaBase {
  /** Absolute byte offset of the block the record comes from. */
  readonly offset: number;
  /** The block type id (e.g. 0x215 for PL_V9). */
  readonly blockType: number;
}

/**
 * SHB: the start of a section. A file normally has one; an appended file starts a new section, and
 * consumers must then reset their thread/fd/user/interface tables (libsinsp restarts the capture).
 */
export interface SectionHeaderRecord extends MetaBase {
  readonly kind: "section";
  /** Byte order of the section, from the SHB magic. */
  readonly littleEndian: boolean;
  readonly major: number;
  readonly minor: number;
  readonly sectionLength: bigint;
  /** Raw pcapng option bytes after the fixed SHB fields (comments...), usually empty. */
  readonly options: Uint8Array;
  /** 0 for the first section of the stream, then 1, 2... */
  readonly index: number;
}

/** MI: the machine the capture was taken on. */
export interface MachineInfoRecord extends MetaBase {
  readonly kind: "machine";
  readonly numCpus: number;
  readonly memorySizeBytes: bigint;
  readonly maxPid: bigint;
  readonly hostname: string;
  /** Host boot time, ns since the epoch (0 in older files). */
  readonly bootTsEpoch: bigint;
  readonly flags: bigint;
}

/** One interface address of an IL block. Addresses are raw bytes in network order. */
export interface InterfaceAddress {
  /** 1 IPv4, 2 IPv6, 3 IPv4 without linkspeed, 4 IPv6 without linkspeed. */
  readonly type: number;
  readonly name: string;
  /** 4 bytes (IPv4) or 16 bytes (IPv6). */
  readonly addr: Uint8Array;
  readonly netmask: Uint8Array;
  readonly bcast: Uint8Array;
  /** 0 for the "without linkspeed" types. */
  readonly linkspeed: bigint;
}

/** IL: the host's interface list. A later IL block replaces the earlier list (libscap frees it). */
export interface InterfaceListRecord extends MetaBase {
  readonly kind: "interfaces";
  readonly ipv4: readonly InterfaceAddress[];
  readonly ipv6: readonly InterfaceAddress[];
}

export interface UserEntry {
  readonly uid: number;
  readonly gid: number;
  readonly name: string;
  readonly homedir: string;
  readonly shell: string;
}

export interface GroupEntry {
  readonly gid: number;
  readonly name: string;
}

/** UL: the host's users and groups. A later UL block replaces the earlier list. */
export interface UserListRecord extends MetaBase {
  readonly kind: "users";
  readonly users: readonly UserEntry[];
  readonly groups: readonly GroupEntry[];
}

/**
 * One entry of a PL block (a thread of the initial process table). Fields absent from the block
 * version read as libscap's defaults: sid, vpgid, pgid, vtid, vpid = -1; loginuid = 0xFFFFFFFF;
 * other numbers 0; strings "".
 */
export interface ThreadRecord extends MetaBase {
  readonly kind: "thread";
  readonly tid: bigint;
  readonly pid: bigint;
  readonly ptid: bigint;
  readonly sid: bigint;
  readonly vpgid: bigint;
  readonly pgid: bigint;
  readonly comm: string;
  /** argv[0]. */
  readonly exe: string;
  /** /proc/pid/exe target (PL v7+). */
  readonly exepath: string;
  /** argv[1..], split on NUL as libsinsp does. */
  readonly args: readonly string[];
  readonly cwd: string;
  readonly fdlimit: bigint;
  /** PPM_CL_* flags. */
  readonly flags: number;
  readonly uid: number;
  readonly gid: number;
  readonly vmsizeKb: number;
  readonly vmrssKb: number;
  readonly vmswapKb: number;
  readonly pfmajor: bigint;
  readonly pfminor: bigint;
  /** Environment, split on NUL. */
  readonly env: readonly string[];
  readonly vtid: bigint;
  readonly vpid: bigint;
  /** "subsys=path" strings, split on NUL. */
  readonly cgroups: readonly string[];
  readonly root: string;
  readonly pidnsInitStartTs: bigint;
  readonly tty: number;
  readonly loginuid: number;
  readonly exeWritable: boolean;
  readonly capInheritable: bigint;
  readonly capPermitted: bigint;
  readonly capEffective: bigint;
  readonly exeUpperLayer: boolean;
  readonly exeLowerLayer: boolean;
  readonly exeFromMemfd: boolean;
  readonly exeIno: bigint;
  readonly exeInoCtime: bigint;
  readonly exeInoMtime: bigint;
}

/** `scap_fd_type` values. */
export const SCAP_FD_TYPES = [
  "UNKNOWN",
  "FILE",
  "DIRECTORY",
  "IPV4_SOCK",
  "IPV6_SOCK",
  "IPV4_SERVSOCK",
  "IPV6_SERVSOCK",
  "FIFO",
  "UNIX_SOCK",
  "EVENT",
  "UNSUPPORTED",
  "SIGNALFD",
  "EVENTPOLL",
  "INOTIFY",
  "TIMERFD",
  "NETLINK",
  "FILE_V2",
  "BPF",
  "USERFAULTFD",
  "IOURING",
  "MEMFD",
  "PIDFD",
] as const;

/**
 * One entry of an FDL block: an fd open in thread `tid` when the capture started. The fields
 * present depend on `type` (a `scap_fd_type`, see SCAP_FD_TYPES); an unknown type read from the
 * file becomes 10 (UNSUPPORTED) with the name `unknown-type:[N]`, as libscap does. Every record
 * has every key; the ones that do not apply to its type are undefined.
 */
export interface FdRecord extends MetaBase {
  readonly kind: "fd";
  readonly tid: bigint;
  readonly fd: bigint;
  readonly ino: bigint;
  readonly type: number;
  /** File path, unix socket path, or "" for inet sockets and UNKNOWN. */
  readonly name: string;
  /** FILE_V2: PPM_O_* open flags. */
  readonly openFlags?: number;
  /** FILE_V2: device number, when the entry has it (FDL v2). */
  readonly dev?: number;
  /** IPV4_SOCK / IPV6_SOCK: addresses in network order (4 or 16 bytes), ports in host order. */
  readonly sip?: Uint8Array;
  readonly dip?: Uint8Array;
  readonly sport?: number;
  readonly dport?: number;
  /** Socket types: `scap_l4_proto` (0 unknown, 1 NA, 2 TCP, 3 UDP, 4 ICMP, 5 RAW). */
  readonly l4proto?: number;
  /** IPV4_SERVSOCK / IPV6_SERVSOCK: the listening address and port. */
  readonly ip?: Uint8Array;
  readonly port?: number;
  /** UNIX_SOCK: kernel socket pointers. */
  readonly source?: bigint;
  readonly dest?: bigint;
}

/** Every metadata record. */
export type MetadataRecord =
  | SectionHeaderRecord
  | MachineInfoRecord
  | InterfaceListRecord
  | UserListRecord
  | ThreadRecord
  | FdRecord;

/** An event as a record: a ScapEvent tagged with kind "event". */
export type EventRecord = ScapEvent & { readonly kind: "event" };

/** What the reader produces, in file order. */
export type ScapRecord = MetadataRecord | EventRecord;
