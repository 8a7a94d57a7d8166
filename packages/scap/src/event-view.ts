// The ScapEvent implementation: a view over the bytes of one event record (in a stream chunk, or
// in the converter's arena for converted events). Nothing is decoded until asked for.
import type { ParamValue, ScapEvent, SockAddr, SockTuple } from "./event.js";
import { EVENTS, type EventInfo, type ParamInfo } from "./event-table.js";
import { ScapError } from "./errors.js";
import { EMPTY_BYTES, decodeUtf8, nulIndex, splitNul } from "./bytes.js";
import { CODE_NPARAMS, CODE_PARAM_TYPES, PT } from "./tables.js";

/** The shared value of every empty (zero-length or missing) parameter. */
export const EMPTY_PARAM: ParamValue = Object.freeze({ kind: "empty" }) as ParamValue;

/** PPM_AF_* socket families. */
const AF_UNIX = 1;
const AF_INET = 2;
const AF_INET6 = 10;

/**
 * One event record. Implements {@link ScapEvent}; also tagged `kind: "event"` so it can travel in
 * the reader's record stream without a wrapper. Besides the contract members it offers a few
 * cheaper accessors (`paramLength`, `info`, `present`) documented below.
 *
 * The view holds on to the bytes it was read from; they are never modified afterwards, so an event
 * can be kept for as long as needed.
 */
export class ScapEventView implements ScapEvent {
  readonly kind = "event" as const;
  readonly type: number;
  readonly cpu: number;
  readonly flags: number;
  readonly offset: number;
  readonly nparams: number;
  /**
   * Number of params actually present in the record. Below `nparams` the missing trailing params
   * read as empty; above it (an unmanaged event from a newer writer) the extra ones are ignored.
   */
  readonly present: number;
  /** @internal backing bytes */
  readonly _buf: Uint8Array;
  /** @internal */
  readonly _dv: DataView;
  /** @internal position of the ppm_evt_hdr in _buf */
  readonly _hdr: number;
  /** @internal position of the lengths array in _buf */
  readonly _lens: number;
  /** @internal 2 or 4 */
  readonly _lenSize: number;
  /** @internal record length in the v2 layout (header of 26 bytes) */
  readonly _len: number;
  /** @internal byte order of the section */
  readonly _le: boolean;
  private _ts: bigint | undefined = undefined;
  private _tid: bigint | undefined = undefined;

  constructor(
    buf: Uint8Array,
    dv: DataView,
    hdr: number,
    lens: number,
    present: number,
    lenSize: number,
    len: number,
    type: number,
    cpu: number,
    flags: number,
    offset: number,
    le: boolean,
  ) {
    this._buf = buf;
    this._dv = dv;
    this._hdr = hdr;
    this._lens = lens;
    this.present = present;
    this._lenSize = lenSize;
    this._len = len;
    this.type = type;
    this.cpu = cpu;
    this.flags = flags;
    this.offset = offset;
    this._le = le;
    this.nparams = CODE_NPARAMS[type]!;
  }

  get ts(): bigint {
    return (this._ts ??= this._dv.getBigUint64(this._hdr, this._le));
  }

  get tid(): bigint {
    return (this._tid ??= this._dv.getBigInt64(this._hdr + 8, this._le));
  }

  /** The event table entry of `type`. */
  get info(): EventInfo {
    return EVENTS[this.type]!;
  }

  /** Byte length of parameter `i` (0 when empty or missing). */
  paramLength(i: number): number {
    if (i >= this.present || i < 0) return 0;
    return this._lenSize === 2
      ? this._dv.getUint16(this._lens + 2 * i, this._le)
      : this._dv.getUint32(this._lens + 4 * i, this._le);
  }

  /** @internal position of parameter i's value in _buf (i < present). */
  _paramPos(i: number): number {
    const dv = this._dv,
      le = this._le,
      lens = this._lens;
    let pos = lens + this.present * this._lenSize;
    if (this._lenSize === 2) {
      for (let j = 0; j < i; j++) pos += dv.getUint16(lens + 2 * j, le);
    } else {
      for (let j = 0; j < i; j++) pos += dv.getUint32(lens + 4 * j, le);
    }
    return pos;
  }

  raw(i: number): Uint8Array | undefined {
    if (!(i >= 0 && i < this.nparams)) return undefined;
    if (i >= this.present) return EMPTY_BYTES;
    const len = this.paramLength(i);
    if (len === 0) return EMPTY_BYTES;
    const pos = this._paramPos(i);
    return this._buf.subarray(pos, pos + len);
  }

  param(i: number): ParamValue {
    if (!(i >= 0 && i < this.nparams)) {
      throw this._fail(i, `parameter index ${i} is out of range (the layout has ${this.nparams})`);
    }
    if (i >= this.present) return EMPTY_PARAM;
    const len = this.paramLength(i);
    if (len === 0) return EMPTY_PARAM;
    const t = CODE_PARAM_TYPES[this.type]![i]!;
    return decodeValue(this, i, t, this._paramPos(i), len, EVENTS[this.type]!.params[i]!);
  }

  /** @internal */
  _fail(i: number, reason: string): ScapError {
    const e = EVENTS[this.type];
    const pname = e?.params[i]?.name;
    return new ScapError(
      `${e?.enumName ?? `event type ${this.type}`} param ${i}${pname ? ` (${pname})` : ""}: ${reason}`,
      this.offset,
      "event",
      this.offset,
    );
  }
}

function intValue(value: bigint): ParamValue {
  return { kind: "int", value };
}

function fixed(ev: ScapEventView, i: number, len: number, want: number, type: string): void {
  if (len !== want) throw ev._fail(i, `${type} value has ${len} bytes, expected ${want}`);
}

/** Decodes one non-empty value of type code `t` at `pos` (len > 0). */
function decodeValue(ev: ScapEventView, i: number, t: number, pos: number, len: number, pinfo: ParamInfo | undefined): ParamValue {
  const dv = ev._dv,
    le = ev._le,
    buf = ev._buf;
  switch (t) {
    case PT.INT8:
      fixed(ev, i, len, 1, "PT_INT8");
      return intValue(BigInt(dv.getInt8(pos)));
    case PT.INT16:
      fixed(ev, i, len, 2, "PT_INT16");
      return intValue(BigInt(dv.getInt16(pos, le)));
    case PT.INT32:
      fixed(ev, i, len, 4, "PT_INT32");
      return intValue(BigInt(dv.getInt32(pos, le)));
    case PT.FD32:
    case PT.PID32:
      fixed(ev, i, len, 4, "PT_FD32/PT_PID32");
      return intValue(BigInt(dv.getInt32(pos, le)));
    case PT.INT64:
    case PT.ERRNO:
    case PT.FD:
    case PT.PID:
      fixed(ev, i, len, 8, "signed 64-bit");
      return intValue(dv.getBigInt64(pos, le));
    case PT.UINT8:
    case PT.SIGTYPE:
    case PT.L4PROTO:
    case PT.SOCKFAMILY:
    case PT.FLAGS8:
    case PT.ENUMFLAGS8:
      fixed(ev, i, len, 1, "8-bit");
      return intValue(BigInt(buf[pos]!));
    case PT.UINT16:
    case PT.SYSCALLID:
    case PT.PORT:
    case PT.FLAGS16:
    case PT.ENUMFLAGS16:
      fixed(ev, i, len, 2, "16-bit");
      return intValue(BigInt(dv.getUint16(pos, le)));
    case PT.UINT32:
    case PT.FLAGS32:
    case PT.ENUMFLAGS32:
    case PT.UID:
    case PT.GID:
    case PT.SIGSET:
    case PT.MODE:
      fixed(ev, i, len, 4, "32-bit");
      return intValue(BigInt(dv.getUint32(pos, le)));
    case PT.UINT64:
    case PT.RELTIME:
    case PT.ABSTIME:
      fixed(ev, i, len, 8, "unsigned 64-bit");
      return intValue(dv.getBigUint64(pos, le));
    case PT.BOOL:
      fixed(ev, i, len, 4, "PT_BOOL");
      return { kind: "bool", value: dv.getUint32(pos, le) !== 0 };
    case PT.DOUBLE:
      fixed(ev, i, len, 8, "PT_DOUBLE");
      return { kind: "double", value: dv.getFloat64(pos, le) };
    case PT.CHARBUF:
    case PT.FSPATH:
    case PT.FSRELPATH: {
      const end = nulIndex(buf, pos, pos + len);
      return { kind: "string", value: decodeUtf8(buf, pos, end), bytes: buf.subarray(pos, end) };
    }
    case PT.BYTEBUF:
    case PT.NONE:
      return { kind: "bytes", value: buf.subarray(pos, pos + len) };
    case PT.SOCKADDR:
      return { kind: "sockaddr", value: sockaddr(buf, dv, pos, len, le) };
    case PT.SOCKTUPLE:
      return { kind: "socktuple", value: socktuple(buf, dv, pos, len, le) };
    case PT.FDLIST: {
      if (len < 2) throw ev._fail(i, `PT_FDLIST value has ${len} bytes, needs at least 2`);
      const n = dv.getUint16(pos, le);
      if (len < 2 + 10 * n) throw ev._fail(i, `PT_FDLIST of ${n} entries needs ${2 + 10 * n} bytes, has ${len}`);
      const value: { fd: bigint; flags: number }[] = [];
      for (let k = 0, p = pos + 2; k < n; k++, p += 10) {
        value.push({ fd: dv.getBigInt64(p, le), flags: dv.getUint16(p + 8, le) });
      }
      return { kind: "fdlist", value };
    }
    case PT.IPV4ADDR:
      fixed(ev, i, len, 4, "PT_IPV4ADDR");
      return { kind: "ip", value: buf.subarray(pos, pos + 4) };
    case PT.IPV6ADDR:
      fixed(ev, i, len, 16, "PT_IPV6ADDR");
      return { kind: "ip", value: buf.subarray(pos, pos + 16) };
    case PT.IPADDR:
      if (len !== 4 && len !== 16) throw ev._fail(i, `PT_IPADDR value has ${len} bytes, expected 4 or 16`);
      return { kind: "ip", value: buf.subarray(pos, pos + len) };
    case PT.IPV4NET:
    case PT.IPV6NET:
    case PT.IPNET: {
      // Address then netmask, both 4 or 16 bytes (filter-side types, not written by drivers).
      const n = len / 2;
      if ((n !== 4 && n !== 16) || (t === PT.IPV4NET && n !== 4) || (t === PT.IPV6NET && n !== 16)) {
        throw ev._fail(i, `network value has ${len} bytes`);
      }
      let prefix = 0;
      for (let k = 0; k < n; k++) {
        let b = buf[pos + n + k]!;
        while (b) {
          prefix += b & 1;
          b >>= 1;
        }
      }
      return { kind: "net", value: buf.subarray(pos, pos + n), prefix };
    }
    case PT.CHARBUFARRAY:
      return { kind: "strings", value: splitNul(buf, pos, pos + len) };
    case PT.CHARBUF_PAIR_ARRAY: {
      const items = splitNul(buf, pos, pos + len);
      const value: [string, string][] = [];
      for (let k = 0; k < items.length; k += 2) value.push([items[k]!, items[k + 1] ?? ""]);
      return { kind: "pairs", value };
    }
    case PT.DYN: {
      const idx = buf[pos]!;
      const dyn = pinfo?.dyn;
      if (!dyn || idx >= dyn.length) {
        throw ev._fail(i, `PT_DYN selector ${idx} is out of range (${dyn?.length ?? 0} layouts)`);
      }
      const sub = dyn[idx]!;
      const subCode = DYN_CODES.get(sub.type) ?? 0;
      const value = len === 1 ? EMPTY_PARAM : decodeValue(ev, i, subCode, pos + 1, len - 1, undefined);
      return { kind: "dyn", index: idx, value };
    }
    default:
      throw ev._fail(i, `unsupported parameter type code ${t}`);
  }
}

const DYN_CODES = new Map<string, number>(Object.entries(PT).map(([k, v]) => ["PT_" + k, v]));

function sockaddr(buf: Uint8Array, dv: DataView, pos: number, len: number, le: boolean): SockAddr {
  const family = buf[pos]!;
  if (family === AF_INET && len >= 7) {
    return { family: "inet", addr: buf.subarray(pos + 1, pos + 5), port: dv.getUint16(pos + 5, le) };
  }
  if (family === AF_INET6 && len >= 19) {
    return { family: "inet6", addr: buf.subarray(pos + 1, pos + 17), port: dv.getUint16(pos + 17, le) };
  }
  if (family === AF_UNIX) {
    const end = nulIndex(buf, pos + 1, pos + len);
    return { family: "unix", path: decodeUtf8(buf, pos + 1, end) };
  }
  return { family: "other", code: family, bytes: buf.subarray(pos + 1, pos + len) };
}

function socktuple(buf: Uint8Array, dv: DataView, pos: number, len: number, le: boolean): SockTuple {
  const family = buf[pos]!;
  if (family === AF_INET && len >= 13) {
    return {
      family: "inet",
      sip: buf.subarray(pos + 1, pos + 5),
      sport: dv.getUint16(pos + 5, le),
      dip: buf.subarray(pos + 7, pos + 11),
      dport: dv.getUint16(pos + 11, le),
    };
  }
  if (family === AF_INET6 && len >= 37) {
    return {
      family: "inet6",
      sip: buf.subarray(pos + 1, pos + 17),
      sport: dv.getUint16(pos + 17, le),
      dip: buf.subarray(pos + 19, pos + 35),
      dport: dv.getUint16(pos + 35, le),
    };
  }
  if (family === AF_UNIX && len >= 17) {
    const end = nulIndex(buf, pos + 17, pos + len);
    return {
      family: "unix",
      source: dv.getBigUint64(pos + 1, le),
      dest: dv.getBigUint64(pos + 9, le),
      path: decodeUtf8(buf, pos + 17, end),
    };
  }
  return { family: "other", code: family, bytes: buf.subarray(pos + 1, pos + len) };
}
