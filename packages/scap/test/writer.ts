// A minimal .scap writer for tests: builds blocks of every type and version, in either byte
// order, so the reader can be checked on layouts the corpus does not contain.

const enc = new TextEncoder();

/** Growable byte builder with a fixed byte order. */
export class W {
  private parts: number[] = [];
  constructor(readonly le = true) {}
  get length(): number {
    return this.parts.length;
  }
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  private int(v: bigint, n: number): this {
    const bytes: number[] = [];
    let x = BigInt.asUintN(n * 8, v);
    for (let i = 0; i < n; i++) {
      bytes.push(Number(x & 0xffn));
      x >>= 8n;
    }
    if (!this.le) bytes.reverse();
    this.parts.push(...bytes);
    return this;
  }
  u16(v: number): this {
    return this.int(BigInt(v), 2);
  }
  u32(v: number): this {
    return this.int(BigInt(v), 4);
  }
  u64(v: bigint | number): this {
    return this.int(BigInt(v), 8);
  }
  bytes(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.parts.push(b[i]!);
    return this;
  }
  /** u16 length then the UTF-8 bytes, no NUL. */
  str16(s: string | Uint8Array): this {
    const b = typeof s === "string" ? enc.encode(s) : s;
    return this.u16(b.length).bytes(b);
  }
  out(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A block: type, total length, body padded to 4, trailer. */
export function block(le: boolean, type: number, body: Uint8Array, opts: { trailer?: number; noPad?: boolean } = {}): Uint8Array {
  const pad = opts.noPad ? 0 : (4 - (body.length % 4)) % 4;
  const total = 12 + body.length + pad;
  return new W(le)
    .u32(type)
    .u32(total)
    .bytes(body)
    .bytes(new Array(pad).fill(0))
    .u32(opts.trailer ?? total)
    .out();
}

export function shb(le: boolean, opts: { major?: number; minor?: number; options?: Uint8Array } = {}): Uint8Array {
  const w = new W(le).u32(0x1a2b3c4d).u16(opts.major ?? 1).u16(opts.minor ?? 2).u64(0xffffffffffffffffn);
  if (opts.options) w.bytes(opts.options);
  return block(le, 0x0a0d0d0a, w.out());
}

export function mi(le: boolean, hostname = "host", numCpus = 4, bootTs = 123n): Uint8Array {
  const host = new Uint8Array(128);
  host.set(enc.encode(hostname));
  return block(le, 0x201, new W(le).u32(numCpus).u64(8n << 30n).u64(32768).bytes(host).u64(bootTs).u64(0).u64(0).u64(0).out());
}

export interface Iface {
  type: 1 | 2 | 3 | 4;
  name: string;
  addr: number[];
  netmask: number[];
  bcast: number[];
  linkspeed?: bigint;
}

export function il(le: boolean, v2: boolean, ifaces: Iface[], extraPerEntry = 0): Uint8Array {
  const w = new W(le);
  for (const f of ifaces) {
    const e = new W(le).u16(f.type).u16(enc.encode(f.name).length).bytes(f.addr).bytes(f.netmask).bytes(f.bcast);
    if (f.type === 1 || f.type === 2) e.u64(f.linkspeed ?? 0n);
    e.bytes(enc.encode(f.name));
    e.bytes(new Array(extraPerEntry).fill(0xee));
    const eb = e.out();
    if (v2) w.u32(eb.length);
    w.bytes(eb);
  }
  return block(le, v2 ? 0x219 : 0x205, w.out());
}

export function ul(
  le: boolean,
  v2: boolean,
  users: { uid: number; gid: number; name: string; home: string; shell: string }[],
  groups: { gid: number; name: string }[],
  extraPerEntry = 0,
): Uint8Array {
  const w = new W(le);
  const put = (e: W): void => {
    e.bytes(new Array(extraPerEntry).fill(0xee));
    const eb = e.out();
    if (v2) w.u32(eb.length + 4);
    w.bytes(eb);
  };
  for (const u of users) put(new W(le).u8(0).u32(u.uid).u32(u.gid).str16(u.name).str16(u.home).str16(u.shell));
  for (const g of groups) put(new W(le).u8(1).u32(g.gid).str16(g.name));
  return block(le, v2 ? 0x220 : 0x206, w.out());
}

export interface Thread {
  tid: bigint;
  pid: bigint;
  ptid: bigint;
  sid?: bigint;
  vpgid?: bigint;
  comm: string;
  exe: string;
  exepath?: string;
  args: Uint8Array;
  cwd: string;
  fdlimit: bigint;
  flags: number;
  uid: number;
  gid: number;
  vmsize?: number;
  vmrss?: number;
  vmswap?: number;
  pfmajor?: bigint;
  pfminor?: bigint;
  env?: Uint8Array;
  vtid?: bigint;
  vpid?: bigint;
  cgroups?: Uint8Array;
  root?: string;
  /** PL v9 only: raw bytes after root (the optional tail). */
  tail?: Uint8Array;
}

export const PL_TYPES = [0, 0x202, 0x207, 0x209, 0x210, 0x211, 0x212, 0x213, 0x214, 0x215];

export function pl(le: boolean, version: number, threads: Thread[]): Uint8Array {
  const w = new W(le);
  for (const t of threads) {
    const e = new W(le).u64(t.tid).u64(t.pid).u64(t.ptid);
    if (version >= 6) e.u64(t.sid ?? 0n);
    if (version >= 8) e.u64(t.vpgid ?? 0n);
    e.str16(t.comm).str16(t.exe);
    if (version >= 7) e.str16(t.exepath ?? "");
    e.str16(t.args).str16(t.cwd).u64(t.fdlimit).u32(t.flags).u32(t.uid).u32(t.gid);
    if (version >= 2) {
      e.u32(t.vmsize ?? 0).u32(t.vmrss ?? 0).u32(t.vmswap ?? 0).u64(t.pfmajor ?? 0n).u64(t.pfminor ?? 0n);
      if (version >= 3) e.str16(t.env ?? new Uint8Array(0));
      if (version >= 4) {
        e.u64(t.vtid ?? 0n).u64(t.vpid ?? 0n).str16(t.cgroups ?? new Uint8Array(0));
        if (version >= 5) e.str16(t.root ?? "");
      }
    }
    if (version === 9) e.bytes(t.tail ?? []);
    const eb = e.out();
    if (version === 9) w.u32(eb.length + 4);
    w.bytes(eb);
  }
  return block(le, PL_TYPES[version]!, w.out());
}

export type Fd =
  | { type: 3 | 4; fd: bigint; ino: bigint; sip: number[]; dip: number[]; sport: number; dport: number; l4: number }
  | { type: 5 | 6; fd: bigint; ino: bigint; ip: number[]; port: number; l4: number }
  | { type: 8; fd: bigint; ino: bigint; source: bigint; dest: bigint; name: string }
  | { type: 16; fd: bigint; ino: bigint; flags: number; name: string; dev?: number }
  | { type: number; fd: bigint; ino: bigint; name?: string };

export function fdl(le: boolean, v2: boolean, tid: bigint, fds: Fd[]): Uint8Array {
  const w = new W(le).u64(tid);
  for (const f of fds) {
    const e = new W(le).u64(f.fd).u64(f.ino).u8(f.type);
    if ("sip" in f) e.bytes(f.sip).bytes(f.dip).u16(f.sport).u16(f.dport).u8(f.l4);
    else if ("ip" in f) e.bytes(f.ip).u16(f.port).u8(f.l4);
    else if ("source" in f) e.u64(f.source).u64(f.dest).str16(f.name);
    else if ("flags" in f) {
      e.u32(f.flags).str16(f.name);
      if (f.dev !== undefined) e.u32(f.dev);
    } else if (f.name !== undefined) e.str16(f.name);
    const eb = e.out();
    if (v2) w.u32(eb.length + 4);
    w.bytes(eb);
  }
  return block(le, v2 ? 0x218 : 0x203, w.out());
}

export interface Ev {
  type: number;
  ts?: bigint;
  tid?: bigint;
  cpu?: number;
  params: Uint8Array[];
  /** Write a v1 block (EV / EVF): no nparams field. */
  v1?: boolean;
  /** EVF block with these flags. */
  flags?: number;
  /** 32-bit lengths, in an EV(F)_V2_LARGE block. */
  large?: boolean;
  /** Bytes after the record inside the block (options, padding). */
  extra?: Uint8Array;
  /** Force the record len field. */
  len?: number;
}

export function ev(le: boolean, e: Ev): Uint8Array {
  const lw = e.large ? 4 : 2;
  const hdr = e.v1 ? 22 : 26;
  const plen = e.params.reduce((a, p) => a + p.length, 0);
  const len = e.len ?? hdr + e.params.length * lw + plen;
  const r = new W(le).u64(e.ts ?? 1000n).u64(e.tid ?? 1n).u32(len).u16(e.type);
  if (!e.v1) r.u32(e.params.length);
  for (const p of e.params) (lw === 4 ? r.u32(p.length) : r.u16(p.length));
  for (const p of e.params) r.bytes(p);
  const body = new W(le).u16(e.cpu ?? 0);
  if (e.flags !== undefined) body.u32(e.flags);
  body.bytes(r.out());
  if (e.extra) body.bytes(e.extra);
  let type: number;
  if (e.flags !== undefined) type = e.v1 ? 0x208 : e.large ? 0x222 : 0x217;
  else type = e.v1 ? 0x204 : e.large ? 0x221 : 0x216;
  return block(le, type, body.out());
}

/** Parameter value encoders. */
export const P = {
  u8: (v: number) => Uint8Array.of(v),
  u16: (le: boolean, v: number) => new W(le).u16(v).out(),
  u32: (le: boolean, v: number) => new W(le).u32(v).out(),
  u64: (le: boolean, v: bigint | number) => new W(le).u64(v).out(),
  str: (s: string) => concat(enc.encode(s), Uint8Array.of(0)),
  raw: (s: string) => enc.encode(s),
  empty: () => new Uint8Array(0),
};
