// Decoders of the metadata blocks (MI, IL, UL, PL, FDL), following libscap's savefile reader:
// same field order per block version, same limits, same handling of per-entry lengths.
import * as B from "./blocks.js";
import { decodeUtf8, splitNul } from "./bytes.js";
import type { Cursor } from "./cursor.js";
import type {
  FdRecord,
  GroupEntry,
  InterfaceAddress,
  InterfaceListRecord,
  MachineInfoRecord,
  MetadataRecord,
  ThreadRecord,
  UserEntry,
  UserListRecord,
} from "./records.js";

/** libscap limits (scap_limits.h, scap.h). */
const SCAP_MAX_PATH_SIZE = 1024;
const SCAP_MAX_ARGS_SIZE = 4096;
const SCAP_MAX_ENV_SIZE = 4096;
const SCAP_MAX_CGROUPS_SIZE = 4096;
const MAX_CREDENTIALS_STR_LEN = 256;

/** sizeof(scap_machine_info): the packed struct libscap reads whole. */
export const MACHINE_INFO_SIZE = 180;

export function parseMachineInfo(c: Cursor, blockType: number, offset: number): MachineInfoRecord {
  // libscap reads exactly sizeof(scap_machine_info) and then expects the trailer: any other body
  // size makes its trailer check fail.
  if (c.remaining !== MACHINE_INFO_SIZE) {
    throw c.error(`machine info block body is ${c.remaining} bytes, expected ${MACHINE_INFO_SIZE}`);
  }
  const numCpus = c.u32("num_cpus");
  const memorySizeBytes = c.u64("memory_size_bytes");
  const maxPid = c.u64("max_pid");
  const hostStart = c.pos;
  c.skip(128, "hostname");
  let hostEnd = hostStart;
  while (hostEnd < hostStart + 128 && c.buf[hostEnd] !== 0) hostEnd++;
  const hostname = decodeUtf8(c.buf, hostStart, hostEnd);
  const bootTsEpoch = c.u64("boot_ts_epoch");
  const flags = c.u64("flags");
  c.skip(16, "reserved");
  return { kind: "machine", offset, blockType, numCpus, memorySizeBytes, maxPid, hostname, bootTsEpoch, flags };
}

const IFTYPE_IPV4 = 1;
const IFTYPE_IPV6 = 2;
const IFTYPE_IPV4_NOLINKSPEED = 3;
const IFTYPE_IPV6_NOLINKSPEED = 4;

export function parseInterfaceList(c: Cursor, blockType: number, offset: number): InterfaceListRecord {
  const ipv4: InterfaceAddress[] = [];
  const ipv6: InterfaceAddress[] = [];
  const v2 = blockType === B.IL_BLOCK_TYPE_V2;
  while (c.remaining >= 4) {
    let entryLen = 0;
    if (v2) entryLen = c.u32("interface entry length"); // excludes itself
    const start = c.pos;
    const type = c.u16("interface type");
    const nameLen = c.u16("interface name length");
    if (nameLen >= SCAP_MAX_PATH_SIZE) throw c.error(`invalid interface name length ${nameLen}`, start + 2);
    let addr: Uint8Array, netmask: Uint8Array, bcast: Uint8Array;
    let linkspeed = 0n;
    if (type === IFTYPE_IPV4 || type === IFTYPE_IPV4_NOLINKSPEED) {
      addr = c.bytes(4, "interface address");
      netmask = c.bytes(4, "interface netmask");
      bcast = c.bytes(4, "interface broadcast address");
      if (type === IFTYPE_IPV4) linkspeed = c.u64("interface linkspeed");
    } else if (type === IFTYPE_IPV6 || type === IFTYPE_IPV6_NOLINKSPEED) {
      addr = c.bytes(16, "interface address");
      netmask = c.bytes(16, "interface netmask");
      bcast = c.bytes(16, "interface broadcast address");
      if (type === IFTYPE_IPV6) linkspeed = c.u64("interface linkspeed");
    } else {
      throw c.error(`unknown interface type ${type}`, start);
    }
    c.need(nameLen, "interface name");
    const name = decodeUtf8(c.buf, c.pos, c.pos + nameLen);
    c.pos += nameLen;
    const entry: InterfaceAddress = { type, name, addr, netmask, bcast, linkspeed };
    (type === IFTYPE_IPV4 || type === IFTYPE_IPV4_NOLINKSPEED ? ipv4 : ipv6).push(entry);
    if (v2 && entryLen !== 0) {
      // IL v2: the entry length decides where the next entry starts (forward compatibility).
      const next = start + entryLen;
      if (next > c.end) throw c.error(`interface entry length ${entryLen} exceeds the block`, start - 4);
      c.pos = next;
    }
  }
  return { kind: "interfaces", offset, blockType, ipv4, ipv6 };
}

const USERBLOCK_TYPE_USER = 0;

export function parseUserList(c: Cursor, blockType: number, offset: number): UserListRecord {
  const users: UserEntry[] = [];
  const groups: GroupEntry[] = [];
  const v2 = blockType === B.UL_BLOCK_TYPE_V2;
  while (c.remaining >= 4) {
    const start = c.pos;
    let entryLen = 0;
    if (v2) entryLen = c.u32("user entry length"); // includes itself
    const type = c.u8("user entry type");
    if (type === USERBLOCK_TYPE_USER) {
      const uid = c.u32("uid");
      const gid = c.u32("gid");
      const name = c.str16("user name", MAX_CREDENTIALS_STR_LEN, true);
      const homedir = c.str16("user homedir", MAX_CREDENTIALS_STR_LEN, true);
      const shell = c.str16("user shell", MAX_CREDENTIALS_STR_LEN, true);
      users.push({ uid, gid, name, homedir, shell });
    } else {
      const gid = c.u32("gid");
      const name = c.str16("group name", MAX_CREDENTIALS_STR_LEN, true);
      groups.push({ gid, name });
    }
    if (entryLen !== 0) skipToEntryEnd(c, start, entryLen, "user");
  }
  return { kind: "users", offset, blockType, users, groups };
}

/** Per-entry length (includes the length field): skip unread bytes, reject over-reads. */
function skipToEntryEnd(c: Cursor, start: number, entryLen: number, what: string): void {
  const read = c.pos - start;
  if (read === entryLen) return;
  if (read > entryLen) {
    throw c.error(`${what} entry has length ${entryLen} but its fields take ${read} bytes`, start);
  }
  const next = start + entryLen;
  if (next > c.end) throw c.error(`${what} entry length ${entryLen} exceeds the block`, start);
  c.pos = next;
}

/** PL block version 1..9 from its type. */
function procListVersion(blockType: number): number {
  switch (blockType) {
    case B.PL_BLOCK_TYPE_V1:
    case B.PL_BLOCK_TYPE_V1_INT:
      return 1;
    case B.PL_BLOCK_TYPE_V2:
    case B.PL_BLOCK_TYPE_V2_INT:
      return 2;
    case B.PL_BLOCK_TYPE_V3:
    case B.PL_BLOCK_TYPE_V3_INT:
      return 3;
    case B.PL_BLOCK_TYPE_V4:
      return 4;
    case B.PL_BLOCK_TYPE_V5:
      return 5;
    case B.PL_BLOCK_TYPE_V6:
      return 6;
    case B.PL_BLOCK_TYPE_V7:
      return 7;
    case B.PL_BLOCK_TYPE_V8:
      return 8;
    default:
      return 9;
  }
}

/** Size of the tail written by pre-0.10 libs: loginuid, exe_writable, three capability sets. */
const PRE_0_10_TAIL = 4 + 1 + 8 + 8 + 8;

export function parseProcList(c: Cursor, blockType: number, offset: number, out: MetadataRecord[]): void {
  const ver = procListVersion(blockType);
  while (c.remaining >= 4) {
    const start = c.pos;
    let entryLen = 0;
    if (ver === 9) entryLen = c.u32("process entry length"); // includes itself
    const tid = c.i64("tid");
    const pid = c.i64("pid");
    const ptid = c.i64("ptid");
    const sid = ver >= 6 ? c.i64("sid") : -1n;
    const vpgid = ver >= 8 ? c.i64("vpgid") : -1n;
    const comm = c.str16("comm", SCAP_MAX_PATH_SIZE);
    const exe = c.str16("exe", SCAP_MAX_PATH_SIZE);
    const exepath = ver >= 7 ? c.str16("exepath", SCAP_MAX_PATH_SIZE) : "";
    const [as, ae] = c.span16("args", SCAP_MAX_ARGS_SIZE);
    const args = splitNul(c.buf, as, ae);
    const cwd = c.str16("cwd", SCAP_MAX_PATH_SIZE);
    const fdlimit = c.i64("fdlimit");
    const flags = c.u32("flags");
    const uid = c.u32("uid");
    const gid = c.u32("gid");
    let vmsizeKb = 0,
      vmrssKb = 0,
      vmswapKb = 0;
    let pfmajor = 0n,
      pfminor = 0n;
    let env: string[] = [];
    let vtid = -1n,
      vpid = -1n;
    let cgroups: string[] = [];
    let root = "";
    if (ver >= 2) {
      vmsizeKb = c.u32("vmsize_kb");
      vmrssKb = c.u32("vmrss_kb");
      vmswapKb = c.u32("vmswap_kb");
      pfmajor = c.u64("pfmajor");
      pfminor = c.u64("pfminor");
      if (ver >= 3) {
        const [es, ee] = c.span16("env", SCAP_MAX_ENV_SIZE);
        env = splitNul(c.buf, es, ee);
      }
      if (ver >= 4) {
        vtid = c.i64("vtid");
        vpid = c.i64("vpid");
        const [cs, ce] = c.span16("cgroups", SCAP_MAX_CGROUPS_SIZE);
        cgroups = splitNul(c.buf, cs, ce);
        if (ver >= 5) root = c.str16("root", SCAP_MAX_PATH_SIZE);
      }
    }

    let pidnsInitStartTs = 0n;
    let tty = 0;
    let loginuid = 0xffffffff;
    let exeWritable = false;
    let capInheritable = 0n,
      capPermitted = 0n,
      capEffective = 0n;
    let exeUpperLayer = false;
    let exeIno = 0n,
      exeInoCtime = 0n,
      exeInoMtime = 0n;
    let exeFromMemfd = false;
    let exeLowerLayer = false;
    let pgid = -1n;
    if (entryLen !== 0) {
      // Optional tail, each field read only while the entry has room for it. Writers before libs
      // 0.10 had no pidns_init_start_ts/tty (inserted in the middle later): detect them by a
      // remainder no larger than their tail.
      const room = (n: number): boolean => c.pos - start + n <= entryLen;
      const left = entryLen - (c.pos - start);
      if (!(left >= 0 && left <= PRE_0_10_TAIL)) {
        if (room(8)) pidnsInitStartTs = c.u64("pidns_init_start_ts");
        if (room(4)) tty = c.u32("tty");
      }
      if (room(4)) loginuid = c.u32("loginuid");
      if (room(1)) exeWritable = c.u8("exe_writable") !== 0;
      if (room(8)) capInheritable = c.u64("cap_inheritable");
      if (room(8)) capPermitted = c.u64("cap_permitted");
      if (room(8)) capEffective = c.u64("cap_effective");
      if (room(1)) exeUpperLayer = c.u8("exe_upper_layer") !== 0;
      if (room(8)) exeIno = c.u64("exe_ino");
      if (room(8)) exeInoCtime = c.u64("exe_ino_ctime");
      if (room(8)) exeInoMtime = c.u64("exe_ino_mtime");
      if (room(1)) exeFromMemfd = c.u8("exe_from_memfd") !== 0;
      if (room(1)) exeLowerLayer = c.u8("exe_lower_layer") !== 0;
      if (room(8)) pgid = c.i64("pgid");
    }
    const rec: ThreadRecord = {
      kind: "thread",
      offset,
      blockType,
      tid,
      pid,
      ptid,
      sid,
      vpgid,
      pgid,
      comm,
      exe,
      exepath,
      args,
      cwd,
      fdlimit,
      flags,
      uid,
      gid,
      vmsizeKb,
      vmrssKb,
      vmswapKb,
      pfmajor,
      pfminor,
      env,
      vtid,
      vpid,
      cgroups,
      root,
      pidnsInitStartTs,
      tty,
      loginuid,
      exeWritable,
      capInheritable,
      capPermitted,
      capEffective,
      exeUpperLayer,
      exeLowerLayer,
      exeFromMemfd,
      exeIno,
      exeInoCtime,
      exeInoMtime,
    };
    if (entryLen !== 0) skipToEntryEnd(c, start, entryLen, "process");
    out.push(rec);
  }
}

const FD_UNKNOWN = 0;
const FD_IPV4_SOCK = 3;
const FD_IPV6_SOCK = 4;
const FD_IPV4_SERVSOCK = 5;
const FD_IPV6_SERVSOCK = 6;
const FD_UNIX_SOCK = 8;
const FD_UNSUPPORTED = 10;
const FD_FILE_V2 = 16;
const FD_MAX_KNOWN = 21;

export function parseFdList(c: Cursor, blockType: number, offset: number, out: MetadataRecord[]): void {
  const v2 = blockType === B.FDL_BLOCK_TYPE_V2;
  const tid = c.i64("fd list tid");
  while (c.remaining >= 4) {
    const start = c.pos;
    let entryLen = 0;
    if (v2) entryLen = c.u32("fd entry length"); // includes itself
    const fd = c.i64("fd");
    const ino = c.u64("ino");
    let type = c.u8("fd type");
    let name = "";
    let openFlags: number | undefined;
    let dev: number | undefined;
    let sip: Uint8Array | undefined;
    let dip: Uint8Array | undefined;
    let sport: number | undefined;
    let dport: number | undefined;
    let l4proto: number | undefined;
    let ip: Uint8Array | undefined;
    let port: number | undefined;
    let source: bigint | undefined;
    let dest: bigint | undefined;
    switch (type) {
      case FD_IPV4_SOCK:
      case FD_IPV6_SOCK: {
        const n = type === FD_IPV4_SOCK ? 4 : 16;
        sip = c.bytes(n, "source address");
        dip = c.bytes(n, "destination address");
        sport = c.u16("source port");
        dport = c.u16("destination port");
        l4proto = c.u8("l4proto");
        break;
      }
      case FD_IPV4_SERVSOCK:
      case FD_IPV6_SERVSOCK:
        ip = c.bytes(type === FD_IPV4_SERVSOCK ? 4 : 16, "server address");
        port = c.u16("server port");
        l4proto = c.u8("l4proto");
        break;
      case FD_UNIX_SOCK:
        source = c.u64("unix socket source");
        dest = c.u64("unix socket destination");
        name = c.str16("unix socket path", SCAP_MAX_PATH_SIZE, true);
        break;
      case FD_FILE_V2:
        openFlags = c.u32("open flags");
        name = c.str16("file name", SCAP_MAX_PATH_SIZE, true);
        if (entryLen !== 0 && entryLen >= c.pos - start + 4) dev = c.u32("dev");
        break;
      case FD_UNKNOWN:
        // libscap reads nothing more for this type.
        break;
      default:
        if (type > FD_MAX_KNOWN) {
          // From a newer libs: kept as UNSUPPORTED, its data is not read.
          name = `unknown-type:[${type}]`;
          type = FD_UNSUPPORTED;
        } else {
          name = c.str16("fd name", SCAP_MAX_PATH_SIZE, true);
        }
    }
    if (entryLen !== 0) skipToEntryEnd(c, start, entryLen, "fd");
    // One object shape for every entry (absent fields are undefined).
    const rec: FdRecord = {
      kind: "fd",
      offset,
      blockType,
      tid,
      fd,
      ino,
      type,
      name,
      openFlags,
      dev,
      sip,
      dip,
      sport,
      dport,
      l4proto,
      ip,
      port,
      source,
      dest,
    };
    out.push(rec);
  }
}
