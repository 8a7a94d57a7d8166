// The streaming .scap reader: bytes in (push), typed records out (next), in file order.
import * as B from "./blocks.js";
import { ScapError } from "./errors.js";
import { Cursor } from "./cursor.js";
import { Converter, type ConverterOptions } from "./converter.js";
import { ScapEventView } from "./event-view.js";
import { PPM_EVENT_MAX } from "./event-table.js";
import { parseFdList, parseInterfaceList, parseMachineInfo, parseProcList, parseUserList } from "./metadata.js";
import type {
  FdRecord,
  InterfaceListRecord,
  MachineInfoRecord,
  MetadataRecord,
  ScapRecord,
  SectionHeaderRecord,
  ThreadRecord,
  UserListRecord,
} from "./records.js";
import type { ScapEvent } from "./event.js";
import { CODE_LEN_SIZE, CODE_NPARAMS, PPME_INFRASTRUCTURE_EVENT_E, PPME_NOTIFICATION_E } from "./tables.js";

/** libscap's READER_BUF_SIZE: the largest non-LARGE event block body (and v1 event) it reads. */
const READER_BUF_SIZE = 1 << 16;
/** sizeof(block_header) + trailer */
const MIN_BLOCK_SIZE = 12;
/** MIN_BLOCK_SIZE + sizeof(section_header_block) */
const MIN_SECTION_HEADER_SIZE = 28;
const EVT_HDR_V2 = 26;
const EVT_HDR_V1 = 22;

const PHASE_START = 0; // expecting the first SHB
const PHASE_META = 1; // reading a section's metadata blocks
const PHASE_EVENTS = 2; // reading event blocks
const PHASE_DONE = 3;

export interface ScapReaderOptions extends ConverterOptions {
  /**
   * Largest block accepted, in bytes (default 1 GiB). libscap has no such bound for metadata and
   * LARGE event blocks; this one keeps a corrupt length from making a stream reader buffer the
   * rest of a huge input before it can report the truncation.
   */
  maxBlockLength?: number;
}

/** Counters of what the reader has seen so far. */
export interface ScapReaderStats {
  /** Bytes consumed (complete blocks). */
  bytes: number;
  /** Complete blocks read, every type. */
  blocks: number;
  /** Event blocks read. */
  eventBlocks: number;
  /** Events handed out (after conversion). */
  events: number;
  /** Events the converter dropped (stored enter events, old or unused event types). */
  droppedEvents: number;
  /** Event blocks skipped because their type is >= PPM_EVENT_MAX (from a newer libs). */
  unknownEvents: number;
  /** Sections (SHB blocks that started a section). */
  sections: number;
}

/**
 * Streaming reader of a decompressed .scap byte stream (see {@link isGzip}: decompression is the
 * caller's job).
 *
 * ```ts
 * const r = new ScapReader();
 * for await (const chunk of stream) {
 *   r.push(chunk);
 *   for (let rec; (rec = r.next()) !== undefined; ) handle(rec);
 * }
 * r.end();
 * for (let rec; (rec = r.next()) !== undefined; ) handle(rec);
 * ```
 *
 * `next()` parses lazily: it returns the next record when the bytes for it have been pushed, and
 * undefined when it needs more input (or, after `end()`, when the stream is over). Memory stays
 * flat: consumed chunks are released, and only a block that straddles two chunks is copied.
 *
 * Pushed chunks are kept by reference (events are views on them): do not modify a chunk after
 * pushing it.
 *
 * Any problem in the input raises a {@link ScapError}; after one, every later call raises it again.
 */
export class ScapReader {
  private chunks: (Uint8Array | undefined)[] = [];
  private qi = 0;
  private hpos = 0;
  private head: Uint8Array | undefined = undefined;
  private headDv: DataView | undefined = undefined;
  private buffered = 0;
  private abs = 0;
  private ended = false;
  private phase = PHASE_START;
  private le = true;
  private sawEvents = false;
  private failure: ScapError | undefined = undefined;
  private out: MetadataRecord[] = [];
  private outIdx = 0;
  private readonly conv: Converter;
  private readonly scratch = new Uint8Array(12);
  private readonly scratchDv = new DataView(this.scratch.buffer);
  // The block taken by take().
  private tb: Uint8Array = this.scratch;
  private tdv: DataView = this.scratchDv;
  private tp = 0;

  private readonly counts = new Map<number, number>();
  // Run of blocks of one type not yet added to counts.
  private lastType = -1;
  private lastCount = 0;

  /** Blocks read so far per block type name (see {@link blockTypeName}), in order of appearance. */
  get blockCounts(): Map<string, number> {
    const m = new Map<string, number>();
    for (const [t, n] of this.counts) m.set(B.blockTypeName(t), n);
    if (this.lastCount > 0) {
      const name = B.blockTypeName(this.lastType);
      m.set(name, (m.get(name) ?? 0) + this.lastCount);
    }
    return m;
  }
  readonly stats: ScapReaderStats = {
    bytes: 0,
    blocks: 0,
    eventBlocks: 0,
    events: 0,
    droppedEvents: 0,
    unknownEvents: 0,
    sections: 0,
  };

  private readonly maxBlockLength: number;

  constructor(options: ScapReaderOptions = {}) {
    this.conv = new Converter(options);
    this.maxBlockLength = options.maxBlockLength ?? 1 << 30;
  }

  /** Absolute offset of the next unread byte. */
  get offset(): number {
    return this.abs;
  }

  /** True once end() was called and every record was handed out. */
  get done(): boolean {
    return this.phase === PHASE_DONE && this.outIdx >= this.out.length;
  }

  /** Appends bytes of the stream. The chunk is kept by reference: do not modify it afterwards. */
  push(chunk: Uint8Array): void {
    if (this.ended) throw new ScapError("push() after end()", this.abs + this.buffered);
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.head === undefined) this.setHead();
  }

  /** Marks the end of the stream: what is left must form complete blocks. */
  end(): void {
    this.ended = true;
  }

  /** Drains the records available now. */
  *[Symbol.iterator](): IterableIterator<ScapRecord> {
    for (let r = this.next(); r !== undefined; r = this.next()) yield r;
  }

  /**
   * The next record, or undefined when more input is needed (or the stream is over; see `done`).
   * Throws ScapError on malformed input.
   */
  next(): ScapRecord | undefined {
    if (this.outIdx < this.out.length) {
      const r = this.out[this.outIdx++]!;
      if (this.outIdx === this.out.length) {
        this.out = [];
        this.outIdx = 0;
      }
      return r;
    }
    if (this.failure !== undefined) throw this.failure;
    try {
      return this.step();
    } catch (e) {
      const err =
        e instanceof ScapError
          ? e
          : new ScapError(`internal reader error: ${e instanceof Error ? e.message : String(e)}`, this.abs);
      this.failure = err;
      throw err;
    }
  }

  private setHead(): void {
    const h = this.chunks[this.qi];
    this.head = h;
    this.hpos = 0;
    this.headDv = h === undefined ? undefined : new DataView(h.buffer, h.byteOffset, h.byteLength);
  }

  private nextChunk(): void {
    this.chunks[this.qi] = undefined;
    this.qi++;
    if (this.qi >= 256 && this.qi * 2 >= this.chunks.length) {
      this.chunks = this.chunks.slice(this.qi);
      this.qi = 0;
    }
    this.setHead();
  }

  /** Copies the first n (<= 12) buffered bytes into the scratch buffer without consuming them. */
  private peek(n: number): void {
    let o = 0;
    let qi = this.qi;
    let pos = this.hpos;
    while (o < n) {
      const c = this.chunks[qi]!;
      const k = Math.min(c.length - pos, n - o);
      this.scratch.set(c.subarray(pos, pos + k), o);
      o += k;
      qi++;
      pos = 0;
    }
  }

  /** Consumes n buffered bytes as one contiguous block: sets tb/tdv/tp. */
  private take(n: number): void {
    const head = this.head!;
    if (head.length - this.hpos >= n) {
      this.tb = head;
      this.tdv = this.headDv!;
      this.tp = this.hpos;
      this.hpos += n;
      if (this.hpos === head.length) this.nextChunk();
    } else {
      const out = new Uint8Array(n);
      let o = 0;
      while (o < n) {
        const c = this.head!;
        const k = Math.min(c.length - this.hpos, n - o);
        out.set(c.subarray(this.hpos, this.hpos + k), o);
        o += k;
        this.hpos += k;
        if (this.hpos === c.length) this.nextChunk();
      }
      this.tb = out;
      this.tdv = new DataView(out.buffer);
      this.tp = 0;
    }
    this.buffered -= n;
    this.abs += n;
    this.stats.bytes = this.abs;
  }

  private count(blockType: number): void {
    if (blockType === this.lastType) this.lastCount++;
    else {
      if (this.lastCount > 0) this.counts.set(this.lastType, (this.counts.get(this.lastType) ?? 0) + this.lastCount);
      this.lastType = blockType;
      this.lastCount = 1;
    }
    this.stats.blocks++;
  }

  private finish(): undefined {
    if (this.phase === PHASE_START) {
      throw new ScapError(
        this.abs === 0 ? "empty input: no section header block" : "no section header block",
        this.abs,
      );
    }
    if (this.phase === PHASE_META || !this.sawEvents) {
      throw new ScapError("no events in file", this.abs);
    }
    this.phase = PHASE_DONE;
    return undefined;
  }

  private step(): ScapRecord | undefined {
    for (;;) {
      if (this.phase === PHASE_DONE) return undefined;
      const avail = this.buffered;
      if (avail < 8) {
        if (!this.ended) return undefined;
        if (avail === 0) return this.finish();
        throw new ScapError(`truncated block header: ${avail} bytes left, a block header needs 8`, this.abs);
      }
      // Block type and length: straight from the head chunk when it holds them.
      let dv: DataView, at: number;
      const head = this.head!;
      if (head.length - this.hpos >= 12) {
        dv = this.headDv!;
        at = this.hpos;
      } else {
        this.peek(Math.min(avail, 12));
        dv = this.scratchDv;
        at = 0;
      }
      let type = dv.getUint32(at, this.le);
      const blockAbs = this.abs;

      if (this.phase === PHASE_START || (this.phase === PHASE_EVENTS && type === B.SHB_BLOCK_TYPE)) {
        if (type !== B.SHB_BLOCK_TYPE) {
          throw new ScapError(
            `invalid block type ${B.blockTypeName(type)}: a capture starts with a section header block (0x0a0d0d0a)`,
            blockAbs,
          );
        }
        if (avail < 12) {
          if (!this.ended) return undefined;
          throw new ScapError(`truncated section header block: ${avail} bytes left`, blockAbs, "SHB", blockAbs);
        }
        const magic = dv.getUint32(at + 8, true);
        if (magic === B.SHB_MAGIC) this.le = true;
        else if (magic === B.SHB_MAGIC_SWAPPED) this.le = false;
        else throw new ScapError(`invalid byte-order magic 0x${magic.toString(16)}`, blockAbs + 8, "SHB", blockAbs);
        const len = dv.getUint32(at + 4, this.le);
        if (len < MIN_SECTION_HEADER_SIZE) {
          throw new ScapError(`section header block length ${len} is less than ${MIN_SECTION_HEADER_SIZE}`, blockAbs + 4, "SHB", blockAbs);
        }
        if (!this.ensure(len, type, blockAbs)) return undefined;
        this.take(len);
        this.count(type);
        return this.section(blockAbs, len);
      }

      const len = dv.getUint32(at + 4, this.le);
      if (this.phase === PHASE_META && !B.isEventBlock(type)) {
        const name = B.blockTypeName(type);
        if (len < MIN_BLOCK_SIZE) {
          throw new ScapError(`block length ${len} is less than ${MIN_BLOCK_SIZE}`, blockAbs + 4, name, blockAbs);
        }
        if (!this.ensure(len, type, blockAbs)) return undefined;
        this.take(len);
        this.count(type);
        this.metadata(type, len, blockAbs, name);
        if (this.outIdx < this.out.length) return this.next();
        continue;
      }

      if (!B.isEventBlock(type)) {
        throw new ScapError(
          `unexpected block type ${B.blockTypeName(type)} after the events of a section (only a section header may follow events)`,
          blockAbs,
          B.blockTypeName(type),
          blockAbs,
        );
      }
      this.phase = PHASE_EVENTS;
      this.sawEvents = true;
      const ev = this.event(type, len, blockAbs);
      if (ev === undefined) return undefined;
      if (ev !== null) return ev;
    }
  }

  /** True when len bytes are buffered; false when more input may come; throws at end of input. */
  private ensure(len: number, type: number, blockAbs: number): boolean {
    if (this.buffered >= len) return true;
    if (len > this.maxBlockLength) {
      throw new ScapError(
        `block length ${len} exceeds the ${this.maxBlockLength}-byte limit (maxBlockLength)`,
        blockAbs + 4,
        B.blockTypeName(type),
        blockAbs,
      );
    }
    if (!this.ended) return false;
    throw new ScapError(
      `truncated block: its length is ${len} bytes but only ${this.buffered} bytes are left`,
      blockAbs + this.buffered,
      B.blockTypeName(type),
      blockAbs,
    );
  }

  private section(blockAbs: number, len: number): SectionHeaderRecord {
    const b = this.tb,
      dv = this.tdv,
      p = this.tp,
      le = this.le;
    const major = dv.getUint16(p + 12, le);
    const minor = dv.getUint16(p + 14, le);
    if (major > B.CURRENT_MAJOR_VERSION) {
      throw new ScapError(
        `unsupported capture version ${major}.${minor}: this reader knows major version ${B.CURRENT_MAJOR_VERSION}`,
        blockAbs + 12,
        "SHB",
        blockAbs,
      );
    }
    const sectionLength = dv.getBigUint64(p + 16, le);
    // The SHB trailer is not checked (libscap does not check it either).
    const options = b.slice(p + 24, p + len - 4);
    this.phase = PHASE_META;
    this.sawEvents = false;
    const index = this.stats.sections++;
    return {
      kind: "section",
      offset: blockAbs,
      blockType: B.SHB_BLOCK_TYPE,
      littleEndian: le,
      major,
      minor,
      sectionLength,
      options,
      index,
    };
  }

  private metadata(type: number, len: number, blockAbs: number, name: string): void {
    const p = this.tp;
    const trailer = this.tdv.getUint32(p + len - 4, this.le);
    const c = new Cursor(this.tb, this.tdv, p + 8, p + len - 4, this.le, blockAbs - p, name, blockAbs);
    const out = this.out;
    switch (type) {
      case B.MI_BLOCK_TYPE:
      case B.MI_BLOCK_TYPE_INT:
        out.push(parseMachineInfo(c, type, blockAbs));
        break;
      case B.PL_BLOCK_TYPE_V1:
      case B.PL_BLOCK_TYPE_V1_INT:
      case B.PL_BLOCK_TYPE_V2:
      case B.PL_BLOCK_TYPE_V2_INT:
      case B.PL_BLOCK_TYPE_V3:
      case B.PL_BLOCK_TYPE_V3_INT:
      case B.PL_BLOCK_TYPE_V4:
      case B.PL_BLOCK_TYPE_V5:
      case B.PL_BLOCK_TYPE_V6:
      case B.PL_BLOCK_TYPE_V7:
      case B.PL_BLOCK_TYPE_V8:
      case B.PL_BLOCK_TYPE_V9:
        parseProcList(c, type, blockAbs, out);
        break;
      case B.FDL_BLOCK_TYPE:
      case B.FDL_BLOCK_TYPE_INT:
      case B.FDL_BLOCK_TYPE_V2:
        parseFdList(c, type, blockAbs, out);
        break;
      case B.IL_BLOCK_TYPE:
      case B.IL_BLOCK_TYPE_INT:
      case B.IL_BLOCK_TYPE_V2:
        out.push(parseInterfaceList(c, type, blockAbs));
        break;
      case B.UL_BLOCK_TYPE:
      case B.UL_BLOCK_TYPE_INT:
      case B.UL_BLOCK_TYPE_V2:
        out.push(parseUserList(c, type, blockAbs));
        break;
      default:
        // Unknown metadata block (or a stray SHB): skipped, as libscap does.
        break;
    }
    if (trailer !== len) {
      this.out.length = this.outIdx; // drop what this block produced
      throw new ScapError(
        `wrong block total length: header says ${len}, trailer says ${trailer}`,
        blockAbs + len - 4,
        name,
        blockAbs,
      );
    }
  }

  /**
   * Reads one event block. Returns the event, null when it produced no event (dropped or skipped),
   * undefined when more input is needed.
   */
  private event(type: number, len: number, blockAbs: number): ScapEventView | null | undefined {
    const v2 =
      type === B.EV_BLOCK_TYPE_V2 ||
      type === B.EV_BLOCK_TYPE_V2_LARGE ||
      type === B.EVF_BLOCK_TYPE_V2 ||
      type === B.EVF_BLOCK_TYPE_V2_LARGE;
    const withFlags = type === B.EVF_BLOCK_TYPE || type === B.EVF_BLOCK_TYPE_V2 || type === B.EVF_BLOCK_TYPE_V2_LARGE;
    const large = type === B.EV_BLOCK_TYPE_V2_LARGE || type === B.EVF_BLOCK_TYPE_V2_LARGE;
    const hdrLen = v2 ? EVT_HDR_V2 : EVT_HDR_V1;
    if (len < 8 + hdrLen + 4) {
      throw this.blockError(type, blockAbs, blockAbs + 4, `event block length ${len} is too short`);
    }
    const readlen = len - 8;
    if (!large && readlen > READER_BUF_SIZE) {
      throw this.blockError(
        type,
        blockAbs,
        blockAbs + 4,
        `event block length ${len} exceeds the ${READER_BUF_SIZE}-byte limit of non-LARGE event blocks`,
      );
    }
    if (!this.ensure(len, type, blockAbs)) return undefined;
    this.take(len);
    this.count(type);
    this.stats.eventBlocks++;

    const buf = this.tb,
      dv = this.tdv,
      p = this.tp,
      le = this.le;
    const base = blockAbs - p; // absolute offset of buf[0]
    const bodyLen = readlen - 4;
    const cpu = dv.getUint16(p + 8, le);
    const evOff = withFlags ? 6 : 2;
    const flags = withFlags ? dv.getUint32(p + 10, le) : 0;
    const avail = evOff <= bodyLen ? bodyLen - evOff : 0;
    if (avail < hdrLen) {
      throw this.blockError(type, blockAbs, blockAbs + 8, `event header (${hdrLen} bytes) exceeds the block payload (${avail} bytes)`);
    }
    const hdr = p + 8 + evOff;
    const etype = dv.getUint16(hdr + 20, le);
    if (etype >= PPM_EVENT_MAX) {
      this.stats.unknownEvents++;
      return null;
    }
    const lenSize = CODE_LEN_SIZE[etype]!;
    let view: ScapEventView;
    if (v2) {
      const elen = dv.getUint32(hdr + 16, le);
      const nparams = dv.getUint32(hdr + 22, le);
      if (elen < EVT_HDR_V2) {
        throw this.blockError(type, blockAbs, base + hdr + 16, `invalid event: len ${elen} is smaller than the event header size ${EVT_HDR_V2}`);
      }
      if (elen > avail) {
        throw this.blockError(type, blockAbs, base + hdr + 16, `invalid event: len ${elen} is larger than the ${avail} bytes available in the block`);
      }
      let off = EVT_HDR_V2 + nparams * lenSize;
      if (off > elen) {
        throw this.blockError(type, blockAbs, base + hdr + 22, `invalid event: nparams ${nparams} does not fit in event len ${elen}`);
      }
      const lens = hdr + EVT_HDR_V2;
      for (let i = 0; i < nparams; i++) {
        const pl = lenSize === 2 ? dv.getUint16(lens + 2 * i, le) : dv.getUint32(lens + 4 * i, le);
        if (pl > elen - off) {
          throw this.blockError(type, blockAbs, base + lens + lenSize * i, `invalid event: param ${i} len ${pl} exceeds event len ${elen}`);
        }
        off += pl;
      }
      view = new ScapEventView(buf, dv, hdr, lens, nparams, lenSize, elen, etype, cpu, flags, blockAbs, le);
    } else {
      if (readlen + 4 > READER_BUF_SIZE) {
        throw this.blockError(type, blockAbs, blockAbs + 4, `cannot convert v1 event block to v2: ${readlen + 4} bytes exceed the ${READER_BUF_SIZE}-byte buffer`);
      }
      // v1 record: no nparams field. Its length in the v2 layout is len + 4 (minus 3 for two event
      // types an old writer got wrong); nparams is the count whose lengths add up to it.
      let elen = dv.getUint32(hdr + 16, le) + 4;
      if (etype === PPME_NOTIFICATION_E || etype === PPME_INFRASTRUCTURE_EVENT_E) elen -= 3;
      const recLen = elen - 4; // bytes of the v1 record
      if (recLen > avail || recLen < EVT_HDR_V1) {
        throw this.blockError(type, blockAbs, base + hdr + 16, `invalid v1 event: len ${recLen} does not fit the ${avail} bytes available in the block`);
      }
      const lens = hdr + EVT_HDR_V1;
      const end = hdr + recLen;
      let found = -1;
      for (let n = CODE_NPARAMS[etype]!; n >= 0; n--) {
        let v = lens + 2 * n;
        if (v > end) continue;
        for (let i = 0; i < n; i++) v += dv.getUint16(lens + 2 * i, le);
        if (v < end) {
          throw this.blockError(type, blockAbs, base + hdr, "cannot convert v1 event block to v2 (corrupted trace file - can't calculate nparams)");
        }
        if (v === end) {
          found = n;
          break;
        }
      }
      if (found < 0) {
        throw this.blockError(type, blockAbs, base + hdr, "cannot convert v1 event block to v2 (corrupted trace file - can't calculate nparams) (2)");
      }
      if (lenSize !== 2) {
        // A LARGE event type in a v1 block: its lengths are u32, so the count found with u16
        // lengths cannot describe it; libscap would misread it.
        throw this.blockError(type, blockAbs, base + hdr, "v1 event block holds an event type with 32-bit parameter lengths");
      }
      view = new ScapEventView(buf, dv, hdr, lens, found, lenSize, elen, etype, cpu, flags, blockAbs, le);
    }
    const out = this.conv.process(view);
    if (out === null) {
      this.stats.droppedEvents++;
      return null;
    }
    this.stats.events++;
    return out;
  }

  private blockError(type: number, blockAbs: number, at: number, reason: string): ScapError {
    return new ScapError(reason, at, B.blockTypeName(type), blockAbs);
  }
}

/** True when the bytes start with the gzip magic (1f 8b): decompress before reading. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** True when the bytes start with a section header block (a decompressed .scap stream). */
export function isScap(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x0a && bytes[1] === 0x0d && bytes[2] === 0x0d && bytes[3] === 0x0a;
}

/** Everything in a capture, read at once (for tests and small inputs). */
export interface ScapCapture {
  /** Every record in file order (sections, metadata entries, events). */
  readonly records: ScapRecord[];
  readonly events: ScapEvent[];
  readonly sections: SectionHeaderRecord[];
  /** The last machine info block, if any. */
  readonly machine: MachineInfoRecord | undefined;
  /** The last interface list, if any. */
  readonly interfaces: InterfaceListRecord | undefined;
  /** The last user list, if any. */
  readonly users: UserListRecord | undefined;
  readonly threads: ThreadRecord[];
  readonly fds: FdRecord[];
  /** Blocks per block type name ("MI", "PL_V9", "EV_V2"...). */
  readonly blockCounts: Record<string, number>;
  readonly stats: ScapReaderStats;
}

/** Reads a whole decompressed capture held in memory. Throws ScapError on malformed input. */
export function readScap(bytes: Uint8Array, options?: ScapReaderOptions): ScapCapture {
  const r = new ScapReader(options);
  r.push(bytes);
  r.end();
  const records: ScapRecord[] = [];
  const events: ScapEvent[] = [];
  const sections: SectionHeaderRecord[] = [];
  const threads: ThreadRecord[] = [];
  const fds: FdRecord[] = [];
  let machine: MachineInfoRecord | undefined;
  let interfaces: InterfaceListRecord | undefined;
  let users: UserListRecord | undefined;
  for (let rec = r.next(); rec !== undefined; rec = r.next()) {
    records.push(rec);
    switch (rec.kind) {
      case "event":
        events.push(rec);
        break;
      case "section":
        sections.push(rec);
        break;
      case "machine":
        machine = rec;
        break;
      case "interfaces":
        interfaces = rec;
        break;
      case "users":
        users = rec;
        break;
      case "thread":
        threads.push(rec);
        break;
      case "fd":
        fds.push(rec);
        break;
    }
  }
  return {
    records,
    events,
    sections,
    machine,
    interfaces,
    users,
    threads,
    fds,
    blockCounts: Object.fromEntries(r.blockCounts),
    stats: { ...r.stats },
  };
}

/**
 * Reads a decompressed capture from a (sync or async) iterable of chunks, e.g. a Node stream
 * piped through zlib, calling `onRecord` for each record in file order. Resolves with the
 * reader's stats; rejects with ScapError on malformed input. Performs no I/O itself.
 */
export async function readScapStream(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  onRecord: (record: ScapRecord) => void,
  options?: ScapReaderOptions,
): Promise<ScapReaderStats> {
  const r = new ScapReader(options);
  for await (const chunk of source) {
    r.push(chunk);
    for (let rec = r.next(); rec !== undefined; rec = r.next()) onRecord(rec);
  }
  r.end();
  for (let rec = r.next(); rec !== undefined; rec = r.next()) onRecord(rec);
  return { ...r.stats };
}
