import { ScapError } from "./errors.js";
import { decodeUtf8 } from "./bytes.js";

/**
 * A bounded reader over one block held in memory. Every read checks the bound and throws a
 * ScapError naming the absolute offset and the block, so no parser can read past its block.
 */
export class Cursor {
  pos: number;
  end: number;
  constructor(
    readonly buf: Uint8Array,
    readonly dv: DataView,
    pos: number,
    end: number,
    readonly le: boolean,
    /** Absolute stream offset of buf[0]. */
    readonly base: number,
    readonly block: string,
    /** Absolute offset of the block start. */
    readonly blockOffset: number,
  ) {
    this.pos = pos;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  error(reason: string, at: number = this.pos): ScapError {
    return new ScapError(reason, this.base + at, this.block, this.blockOffset);
  }

  need(n: number, what: string): void {
    if (n > this.end - this.pos) {
      throw this.error(`truncated ${what}: needs ${n} bytes, ${this.end - this.pos} left in the block`);
    }
  }

  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }

  u16(what: string): number {
    this.need(2, what);
    const v = this.dv.getUint16(this.pos, this.le);
    this.pos += 2;
    return v;
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.dv.getUint32(this.pos, this.le);
    this.pos += 4;
    return v;
  }

  u64(what: string): bigint {
    this.need(8, what);
    const v = this.dv.getBigUint64(this.pos, this.le);
    this.pos += 8;
    return v;
  }

  i64(what: string): bigint {
    this.need(8, what);
    const v = this.dv.getBigInt64(this.pos, this.le);
    this.pos += 8;
    return v;
  }

  /** A copy of the next n bytes (records must not alias the stream chunks). */
  bytes(n: number, what: string): Uint8Array {
    this.need(n, what);
    const v = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  skip(n: number, what: string): void {
    this.need(n, what);
    this.pos += n;
  }

  /** `u16 len` then len bytes, no NUL; `max` is libscap's limit (len > max is an error). */
  str16(what: string, max: number, inclusive = false): string {
    const at = this.pos;
    const len = this.u16(`${what} length`);
    if (inclusive ? len >= max : len > max) throw this.error(`invalid ${what} length ${len}`, at);
    this.need(len, what);
    const s = decodeUtf8(this.buf, this.pos, this.pos + len);
    this.pos += len;
    return s;
  }

  /** `u16 len` then len raw bytes: returns [start, end) in buf. */
  span16(what: string, max: number): [number, number] {
    const at = this.pos;
    const len = this.u16(`${what} length`);
    if (len > max) throw this.error(`invalid ${what} length ${len}`, at);
    this.need(len, what);
    const s = this.pos;
    this.pos += len;
    return [s, s + len];
  }
}
