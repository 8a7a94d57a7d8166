/**
 * `sinsp_fdinfo`: one entry of a thread's fd table.
 *
 * The socket information is libs' `sinsp_sockinfo` union kept as its 40 raw bytes, so the views
 * alias each other exactly as in libsinsp (a bind that turns an IPv4 socket into a server socket
 * overwrites the tuple's first bytes, and so on):
 *
 * | view | layout (byte offsets) |
 * |---|---|
 * | ipv4 tuple | sip 0..4, dip 4..8, sport 8 (u16), dport 10 (u16), l4proto 12 |
 * | ipv6 tuple | sip 0..16, dip 16..32, sport 32, dport 34, l4proto 36 |
 * | ipv4 server | ip 0..4, port 4, l4proto 6 |
 * | ipv6 server | ip 0..16, port 16, l4proto 18 |
 * | unix | source 0..8 (u64), dest 8..16 (u64) |
 *
 * IP addresses are in network order, ports in host (little-endian) order, as libs stores them.
 */
import { EPOLL_CLOEXEC, FdFlag, FdType, L4Proto, MFD_CLOEXEC, O } from "./constants.js";
import { ipv4ToString, ipv6ToString } from "./inet.js";

export const SOCKINFO_SIZE = 40;

export class FdInfo {
  /** `scap_fd_type` (FdType). */
  type: number = FdType.UNINITIALIZED;
  /** PPM_O_* flags the fd was opened with. */
  openFlags = 0;
  /** The union bytes (see the module comment). */
  readonly sock: Uint8Array = new Uint8Array(SOCKINFO_SIZE);
  private readonly view = new DataView(this.sock.buffer);
  /** Human-readable name: the path for files, the tuple for sockets... */
  name = "";
  /** The path as passed to the syscall (files opened during the capture). */
  nameRaw = "";
  /** The name when the fd was last looked up (for `fd.name_changed`). */
  oldName = "";
  /** FdFlag bits (roles, connection state...). */
  flags = 0;
  dev = 0;
  mountId = 0;
  ino = 0n;
  /** The pid of a pidfd. */
  pid = 0n;
  /** The fd number (set when added to a table). */
  fd = -1n;

  clone(): FdInfo {
    const c = new FdInfo();
    c.type = this.type;
    c.openFlags = this.openFlags;
    c.sock.set(this.sock);
    c.name = this.name;
    c.nameRaw = this.nameRaw;
    c.oldName = this.oldName;
    c.flags = this.flags;
    c.dev = this.dev;
    c.mountId = this.mountId;
    c.ino = this.ino;
    c.pid = this.pid;
    c.fd = this.fd;
    return c;
  }

  // --- raw union access ---------------------------------------------------------------------------
  bytes(off: number, len: number): Uint8Array {
    return this.sock.slice(off, off + len);
  }
  setBytes(off: number, b: Uint8Array): void {
    this.sock.set(b, off);
  }
  u16(off: number): number {
    return this.view.getUint16(off, true);
  }
  setU16(off: number, v: number): void {
    this.view.setUint16(off, v & 0xffff, true);
  }
  u8(off: number): number {
    return this.sock[off]!;
  }
  setU8(off: number, v: number): void {
    this.sock[off] = v & 0xff;
  }
  u64(off: number): bigint {
    return this.view.getBigUint64(off, true);
  }
  setU64(off: number, v: bigint): void {
    this.view.setBigUint64(off, BigInt.asUintN(64, v), true);
  }
  zero(off: number, len: number): void {
    this.sock.fill(0, off, off + len);
  }

  // --- typed views ---------------------------------------------------------------------------------
  get v4sip(): Uint8Array {
    return this.bytes(0, 4);
  }
  get v4dip(): Uint8Array {
    return this.bytes(4, 4);
  }
  get v4sport(): number {
    return this.u16(8);
  }
  get v4dport(): number {
    return this.u16(10);
  }
  get v4l4proto(): number {
    return this.u8(12);
  }
  set v4l4proto(v: number) {
    this.setU8(12, v);
  }
  get v6sip(): Uint8Array {
    return this.bytes(0, 16);
  }
  get v6dip(): Uint8Array {
    return this.bytes(16, 16);
  }
  get v6sport(): number {
    return this.u16(32);
  }
  get v6dport(): number {
    return this.u16(34);
  }
  get v6l4proto(): number {
    return this.u8(36);
  }
  set v6l4proto(v: number) {
    this.setU8(36, v);
  }
  get v4srvIp(): Uint8Array {
    return this.bytes(0, 4);
  }
  get v4srvPort(): number {
    return this.u16(4);
  }
  get v4srvL4proto(): number {
    return this.u8(6);
  }
  get v6srvIp(): Uint8Array {
    return this.bytes(0, 16);
  }
  get v6srvPort(): number {
    return this.u16(16);
  }
  get v6srvL4proto(): number {
    return this.u8(18);
  }
  get unixSource(): bigint {
    return this.u64(0);
  }
  get unixDest(): bigint {
    return this.u64(8);
  }
  setUnix(source: bigint, dest: bigint): void {
    this.setU64(0, source);
    this.setU64(8, dest);
  }
  setIpv4Tuple(sip: Uint8Array, sport: number, dip: Uint8Array, dport: number): void {
    this.setBytes(0, sip);
    this.setBytes(4, dip);
    this.setU16(8, sport);
    this.setU16(10, dport);
  }
  setIpv6Tuple(sip: Uint8Array, sport: number, dip: Uint8Array, dport: number): void {
    this.setBytes(0, sip);
    this.setBytes(16, dip);
    this.setU16(32, sport);
    this.setU16(34, dport);
  }

  // --- predicates (sinsp_fdinfo) -------------------------------------------------------------------
  isRoleServer(): boolean {
    return (this.flags & FdFlag.ROLE_SERVER) !== 0;
  }
  isRoleClient(): boolean {
    return (this.flags & FdFlag.ROLE_CLIENT) !== 0;
  }
  isRoleNone(): boolean {
    return (this.flags & (FdFlag.ROLE_CLIENT | FdFlag.ROLE_SERVER)) === 0;
  }
  setRoleServer(): void {
    this.flags |= FdFlag.ROLE_SERVER;
  }
  setRoleClient(): void {
    this.flags |= FdFlag.ROLE_CLIENT;
  }
  setSocketConnected(): void {
    this.flags &= ~(FdFlag.CONNECTION_PENDING | FdFlag.CONNECTION_FAILED);
    this.flags |= FdFlag.SOCKET_CONNECTED;
  }
  isSocketConnected(): boolean {
    return (this.flags & FdFlag.SOCKET_CONNECTED) !== 0;
  }
  isFile(): boolean {
    return this.type === FdType.FILE || this.type === FdType.FILE_V2;
  }
  isDirectory(): boolean {
    return this.type === FdType.DIRECTORY;
  }
  isUnixSocket(): boolean {
    return this.type === FdType.UNIX_SOCK;
  }
  isUdpSocket(): boolean {
    return this.type === FdType.IPV4_SOCK && this.v4l4proto === L4Proto.UDP;
  }
  isTcpSocket(): boolean {
    return this.type === FdType.IPV4_SOCK && this.v4l4proto === L4Proto.TCP;
  }
  isPidfd(): boolean {
    return this.type === FdType.PIDFD;
  }
  isSyslog(): boolean {
    return this.name.includes("/dev/log");
  }
  isOverlayUpper(): boolean {
    return (this.flags & FdFlag.OVERLAY_UPPER) !== 0;
  }
  isOverlayLower(): boolean {
    return (this.flags & FdFlag.OVERLAY_LOWER) !== 0;
  }
  isCloseOnExec(): boolean {
    if ((this.openFlags & O.CLOEXEC) === O.CLOEXEC) return true;
    if (this.type === FdType.EVENTPOLL && (this.openFlags & EPOLL_CLOEXEC) === EPOLL_CLOEXEC) return true;
    if (this.type === FdType.MEMFD && (this.openFlags & MFD_CLOEXEC) === MFD_CLOEXEC) return true;
    return false;
  }
  /** `clear_close_on_exec_bits`: clears O_CLOEXEC and bit 0 (EPOLL/MFD_CLOEXEC), whatever the type. */
  clearCloseOnExecBits(): void {
    this.openFlags &= ~O.CLOEXEC;
    this.openFlags &= ~EPOLL_CLOEXEC;
    this.openFlags &= ~MFD_CLOEXEC;
  }
  devMajor(): number {
    return (this.dev & 0xfff00) >>> 8;
  }
  devMinor(): number {
    return ((this.dev & 0xff) | ((this.dev >>> 12) & 0xfff00)) >>> 0;
  }

  /** `get_l4proto`: the protocol, NA for a socket without role (unless raw) and for non-sockets. */
  l4proto(): number {
    switch (this.type) {
      case FdType.IPV4_SOCK:
        if (this.v4l4proto === L4Proto.RAW) return L4Proto.RAW;
        if (this.isRoleNone()) return L4Proto.NA;
        return this.v4l4proto;
      case FdType.IPV4_SERVSOCK:
        return this.v4srvL4proto;
      case FdType.IPV6_SOCK:
        if (this.v6l4proto === L4Proto.RAW) return L4Proto.RAW;
        if (this.isRoleNone()) return L4Proto.NA;
        return this.v6l4proto;
      case FdType.IPV6_SERVSOCK:
        return this.v6srvL4proto;
      default:
        return L4Proto.NA;
    }
  }

  /** `get_typechar`. */
  typeChar(): string {
    return TYPE_CHARS[this.type] ?? "?";
  }

  /** `get_typestring`. */
  typeString(): string {
    return TYPE_STRINGS[this.type] ?? "<NA>";
  }
}

const TYPE_CHARS: Record<number, string> = {
  [FdType.FILE_V2]: "f",
  [FdType.FILE]: "f",
  [FdType.IPV4_SOCK]: "4",
  [FdType.IPV6_SOCK]: "6",
  [FdType.DIRECTORY]: "d",
  [FdType.IPV4_SERVSOCK]: "4",
  [FdType.IPV6_SERVSOCK]: "6",
  [FdType.FIFO]: "p",
  [FdType.UNIX_SOCK]: "u",
  [FdType.EVENT]: "e",
  [FdType.UNKNOWN]: "o",
  [FdType.UNSUPPORTED]: "X",
  [FdType.SIGNALFD]: "s",
  [FdType.EVENTPOLL]: "l",
  [FdType.INOTIFY]: "i",
  [FdType.TIMERFD]: "t",
  [FdType.NETLINK]: "n",
  [FdType.BPF]: "b",
  [FdType.USERFAULTFD]: "u",
  [FdType.IOURING]: "r",
  [FdType.MEMFD]: "m",
  [FdType.PIDFD]: "P",
};

const TYPE_STRINGS: Record<number, string> = {
  [FdType.FILE_V2]: "file",
  [FdType.FILE]: "file",
  [FdType.DIRECTORY]: "directory",
  [FdType.IPV4_SOCK]: "ipv4",
  [FdType.IPV4_SERVSOCK]: "ipv4",
  [FdType.IPV6_SOCK]: "ipv6",
  [FdType.IPV6_SERVSOCK]: "ipv6",
  [FdType.UNIX_SOCK]: "unix",
  [FdType.FIFO]: "pipe",
  [FdType.EVENT]: "event",
  [FdType.SIGNALFD]: "signalfd",
  [FdType.EVENTPOLL]: "eventpoll",
  [FdType.INOTIFY]: "inotify",
  [FdType.TIMERFD]: "timerfd",
  [FdType.NETLINK]: "netlink",
  [FdType.BPF]: "bpf",
  [FdType.USERFAULTFD]: "userfaultfd",
  [FdType.IOURING]: "io_uring",
  [FdType.MEMFD]: "memfd",
  [FdType.PIDFD]: "pidfd",
};

/** `port_to_string` without name resolution (libs' default): the decimal port. */
export const portToString = (port: number): string => String(port);

/** `ipv4serveraddr_to_string`. */
export function ipv4ServerToString(ip: Uint8Array, port: number): string {
  return `${ipv4ToString(ip)}:${portToString(port)}`;
}

/** `ipv4tuple_to_string`. */
export function ipv4TupleToString(sip: Uint8Array, sport: number, dip: Uint8Array, dport: number): string {
  return `${ipv4ServerToString(sip, sport)}->${ipv4ServerToString(dip, dport)}`;
}

/** `ipv6serveraddr_to_string`. */
export function ipv6ServerToString(ip: Uint8Array, port: number): string {
  return `${ipv6ToString(ip)}:${portToString(port)}`;
}

/** `ipv6tuple_to_string`. */
export function ipv6TupleToString(sip: Uint8Array, sport: number, dip: Uint8Array, dport: number): string {
  return `${ipv6ToString(sip)}:${portToString(sport)}->${ipv6ToString(dip)}:${portToString(dport)}`;
}

/** `sinsp_utils::sockinfo_to_str` for IPV4_SOCK/IPV6_SOCK fds (the name written after a tuple update). */
export function sockinfoToString(fdi: FdInfo): string {
  if (fdi.type === FdType.IPV4_SOCK) {
    const p = fdi.v4l4proto;
    if (p === L4Proto.TCP || p === L4Proto.UDP) return ipv4TupleToString(fdi.v4sip, fdi.v4sport, fdi.v4dip, fdi.v4dport);
    if (p === L4Proto.ICMP || p === L4Proto.RAW) return `${ipv4ToString(fdi.v4sip)}->${ipv4ToString(fdi.v4dip)}`;
    return "<unknown>";
  }
  if (fdi.type === FdType.IPV6_SOCK) {
    const p = fdi.v6l4proto;
    const sip = fdi.v6sip;
    const dip = fdi.v6dip;
    const mapped = isMapped(sip) && isMapped(dip);
    if (p === L4Proto.TCP || p === L4Proto.UDP) {
      // note: libs reads the ports through the IPv4 view here (offsets 8 and 10), a quirk kept as is
      if (mapped) return ipv4TupleToString(sip.subarray(12), fdi.v4sport, dip.subarray(12), fdi.v4dport);
      return ipv6TupleToString(sip, fdi.v6sport, dip, fdi.v6dport);
    }
    if (p === L4Proto.ICMP) {
      if (mapped) return `${ipv4ToString(sip, 12)}->${ipv4ToString(dip, 12)}`;
      return `${ipv6ToString(sip)}->${ipv6ToString(dip)}`;
    }
    return "<unknown>";
  }
  // libs leaves the buffer as it was for other types; callers only use this for the two above
  return fdi.name;
}

function isMapped(b: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  if (b[10] === 0xff && b[11] === 0xff) return true;
  for (let i = 10; i < 16; i++) if (b[i] !== 0) return false;
  return true;
}

/** `sinsp_fdtable`: fd number -> entry. */
export class FdTable {
  readonly map = new Map<bigint, FdInfo>();

  get size(): number {
    return this.map.size;
  }
  find(fd: bigint): FdInfo | undefined {
    return this.map.get(fd);
  }
  /** Adds (or replaces) the entry of `fd`; returns the stored entry. */
  add(fd: bigint, info: FdInfo): FdInfo {
    info.fd = fd;
    this.map.set(fd, info);
    return info;
  }
  erase(fd: bigint): boolean {
    return this.map.delete(fd);
  }
  clear(): void {
    this.map.clear();
  }
  /** Keeps the entries the predicate accepts. */
  retain(keep: (fd: bigint, info: FdInfo) => boolean): void {
    for (const [fd, info] of [...this.map]) if (!keep(fd, info)) this.map.delete(fd);
  }
  entries(): IterableIterator<[bigint, FdInfo]> {
    return this.map.entries();
  }
}
