/**
 * The capture's metadata as the state machine takes it: one record per process-list entry, per
 * fd-list entry, the user list, the interface list and the machine info (scap-format spec §2).
 * The reader's records (`ThreadRecord`, `FdRecord`, `UserListRecord`, `InterfaceListRecord`,
 * `MachineInfoRecord`) have these shapes; absent fields take libscap's defaults.
 */
import type { GroupEntry, UserEntry } from "../records.js";

/** One PL entry (`scap_threadinfo`). */
export interface ProcessEntry {
  tid: bigint;
  pid: bigint;
  ptid: bigint;
  /** Default -1. */
  sid?: bigint;
  /** Default -1. */
  vpgid?: bigint;
  /** Default -1. */
  pgid?: bigint;
  comm: string;
  /** argv[0]. */
  exe: string;
  /** The /proc/pid/exe target; default "". */
  exepath?: string;
  /** argv[1..]. */
  args: readonly string[];
  cwd: string;
  /** Default 0. */
  fdlimit?: bigint;
  /** PPM_CL_* flags; default 0. */
  flags?: number;
  uid: number;
  gid: number;
  vmsizeKb?: number;
  vmrssKb?: number;
  vmswapKb?: number;
  pfmajor?: bigint;
  pfminor?: bigint;
  env?: readonly string[];
  /** Default -1. */
  vtid?: bigint;
  /** Default -1. */
  vpid?: bigint;
  /** `subsys=path` strings. */
  cgroups?: readonly string[];
  root?: string;
  pidnsInitStartTs?: bigint;
  tty?: number;
  /** Default UINT32_MAX (none). */
  loginuid?: number;
  exeWritable?: boolean;
  exeUpperLayer?: boolean;
  exeLowerLayer?: boolean;
  exeFromMemfd?: boolean;
  capInheritable?: bigint;
  capPermitted?: bigint;
  capEffective?: bigint;
  exeIno?: bigint;
  exeInoCtime?: bigint;
  exeInoMtime?: bigint;
}

/**
 * One FDL entry (`scap_fdinfo`). Which fields are read depends on `type` (`scap_fd_type`):
 * IPV4_SOCK/IPV6_SOCK: sip, dip, sport, dport, l4proto; IPV4_SERVSOCK/IPV6_SERVSOCK: ip, port,
 * l4proto; UNIX_SOCK: source, dest, name (the path); FILE_V2: openFlags, name, dev; every other
 * type: name. IP addresses are raw bytes in network order (4 or 16), ports numbers.
 */
export interface FdEntry {
  fd: bigint;
  ino?: bigint;
  type: number;
  sip?: Uint8Array;
  dip?: Uint8Array;
  sport?: number;
  dport?: number;
  l4proto?: number;
  ip?: Uint8Array;
  port?: number;
  source?: bigint;
  dest?: bigint;
  name?: string;
  openFlags?: number;
  dev?: number;
}

/** The UL block. */
export interface UserList {
  users: readonly UserEntry[];
  groups: readonly GroupEntry[];
}

/** The IL block. Addresses are raw bytes in network order. */
export interface InterfaceList {
  ipv4: readonly { addr: Uint8Array; netmask: Uint8Array; bcast?: Uint8Array; name: string }[];
  ipv6: readonly { addr: Uint8Array; name: string }[];
}

/** The MI block. */
export interface MachineInfo {
  hostname: string;
  /** ns since the epoch; 0 in old files. */
  bootTsEpoch: bigint;
  numCpus?: number;
  memorySizeBytes?: bigint;
  maxPid?: bigint;
}
