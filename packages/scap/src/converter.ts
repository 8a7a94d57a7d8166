// The scap converter: brings events written with old layouts to the current layout of their code,
// following libscap's converter (userspace/libscap/engine/savefile/converter) rule for rule:
// convertibility test, rule lookup by (code, nparams), STORE/PASS/ADD_PARAMS/CHANGE_TYPE actions,
// per-thread storage of enter events, parameter capping, re-check after each step.
import { EVENTS, conversionFor, type ConversionRule } from "./event-table.js";
import { ScapError } from "./errors.js";
import { ScapEventView } from "./event-view.js";
import {
  CODE_FLAGS,
  CODE_LEN_SIZE,
  CODE_NPARAMS,
  CODE_PARAM_TYPES,
  EF_CONVERTER_MANAGED,
  EF_OLD_VERSION,
  EF_UNUSED,
  PT,
} from "./tables.js";

/** Size of libscap's conversion buffers: no event being converted, or produced, may exceed it. */
export const MAX_EVENT_SIZE = 64 * 1024;
/** libscap's bound on the number of conversion steps of one event. */
const MAX_CONVERSION_BOUNDARY = 50;
/** sizeof(struct ppm_evt_hdr) */
const HDR = 26;
/** Arena chunks grow from 128 KiB to 1 MiB. */
const ARENA_MIN = 1 << 17;
const ARENA_MAX = 1 << 20;

const PASS = 0;
const DROP = 1;
const CONTINUE = 2;
type Convertibility = typeof PASS | typeof DROP | typeof CONTINUE;

const enumName = (code: number): string => EVENTS[code]?.enumName ?? `type ${code}`;

function fail(ev: ScapEventView, reason: string): ScapError {
  return new ScapError(reason, ev.offset, "event", ev.offset);
}

/** libscap's test_event_convertibility. */
function convertibility(ev: ScapEventView): Convertibility {
  const type = ev.type;
  const flags = CODE_FLAGS[type]!;
  if (flags & EF_UNUSED) return DROP;
  if (!(flags & EF_CONVERTER_MANAGED)) {
    if (!(flags & EF_OLD_VERSION)) return PASS;
    if ((type & 1) === 0) return DROP;
    throw fail(ev, `old exit event ${enumName(type)} is not managed by the converter`);
  }
  if ((type & 1) === 0) return CONTINUE;
  const expected = CODE_NPARAMS[type]!;
  if (ev.present > expected) {
    throw fail(ev, `${enumName(type)} has more parameters (${ev.present}) than expected (${expected})`);
  }
  if (flags & EF_OLD_VERSION || ev.present !== expected) return CONTINUE;
  return PASS;
}

/** Smallest length of a value of a type (ppm_param_min_len_from_type); -1 if unsupported. */
function minLen(t: number): number {
  switch (t) {
    case PT.INT8:
    case PT.UINT8:
    case PT.FLAGS8:
    case PT.ENUMFLAGS8:
    case PT.SIGTYPE:
      return 1;
    case PT.INT16:
    case PT.UINT16:
    case PT.FLAGS16:
    case PT.ENUMFLAGS16:
    case PT.SYSCALLID:
    case PT.PORT:
      return 2;
    case PT.INT32:
    case PT.UINT32:
    case PT.FLAGS32:
    case PT.ENUMFLAGS32:
    case PT.UID:
    case PT.GID:
    case PT.MODE:
    case PT.SIGSET:
    case PT.FD32:
    case PT.PID32:
    case PT.IPV4ADDR:
      return 4;
    case PT.INT64:
    case PT.UINT64:
    case PT.RELTIME:
    case PT.ABSTIME:
    case PT.ERRNO:
    case PT.FD:
    case PT.PID:
      return 8;
    case PT.IPV6ADDR:
      return 16;
    case PT.BYTEBUF:
    case PT.CHARBUF:
    case PT.SOCKTUPLE:
    case PT.FDLIST:
    case PT.FSPATH:
    case PT.CHARBUFARRAY:
    case PT.CHARBUF_PAIR_ARRAY:
    case PT.FSRELPATH:
    case PT.DYN:
    case PT.SOCKADDR:
      return 0;
    default:
      return -1;
  }
}

/** Largest length of a value of a type (ppm_param_max_len_from_type); -1 if unsupported. */
function maxLen(t: number, lenSize: number): number {
  const m = minLen(t);
  if (m !== 0) return m;
  return lenSize === 2 ? 0xffff : 0xffffffff;
}

/** Map key of a thread id: exact for |tid| < 2^53, a string beyond. */
function tidKey(ev: ScapEventView): number | string {
  const dv = ev._dv,
    p = ev._hdr + 8,
    le = ev._le;
  const lo = le ? dv.getUint32(p, true) : dv.getUint32(p + 4, false);
  const hi = le ? dv.getInt32(p + 4, true) : dv.getInt32(p, false);
  if (hi >= -0x200000 && hi < 0x200000) return hi * 4294967296 + lo;
  return `${hi}:${lo}`;
}

const encoder = (s: string): number[] => {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i)); // ASCII only (JSON punctuation)
  return out;
};

export interface ConverterOptions {
  /**
   * When the enter event stored for a thread is not the enter of the exit being converted,
   * libscap fails with a conversion error; with this option the converter falls back to the
   * empty/default value as if nothing were stored (what the spec's §5 recommends). Default false.
   */
  lenientEnterMismatch?: boolean;
}

export class Converter {
  private readonly store = new Map<number | string, ScapEventView>();
  /**
   * Converted events are built in place in arena chunks that always keep MAX_EVENT_SIZE bytes
   * free (libscap's conversion buffer size); chunks are never overwritten, so views stay valid.
   */
  private arena = new Uint8Array(0);
  private dv = new DataView(this.arena.buffer);
  private pos = 0;
  private readonly lenient: boolean;
  // State of the event being built (see build()).
  private cur!: ScapEventView;
  private base = 0;
  private w = 0;
  private lens = 0;
  private lenSize = 2;
  private newType = 0;
  private types: Uint8Array = new Uint8Array(0);

  constructor(opts: ConverterOptions = {}) {
    this.lenient = opts.lenientEnterMismatch ?? false;
  }

  /** Number of threads with a stored enter event. */
  get storedCount(): number {
    return this.store.size;
  }

  /** The event to deliver (ev itself, or its converted form), or null when dropped. */
  process(ev: ScapEventView): ScapEventView | null {
    let r = convertibility(ev);
    if (r === PASS) return ev;
    if (r === DROP) return null;
    let cur = ev;
    let n = 0;
    for (; n < MAX_CONVERSION_BOUNDARY && r === CONTINUE; n++) {
      if (cur._len > MAX_EVENT_SIZE) {
        throw fail(cur, `invalid event: len ${cur._len} is larger than the maximum event size ${MAX_EVENT_SIZE}`);
      }
      const rule = conversionFor(cur.type, cur.present & 0xff);
      if (rule === undefined) {
        throw fail(
          cur,
          `conversion required for ${enumName(cur.type)} with ${cur.present} parameters, but the converter has no rule for it`,
        );
      }
      switch (rule.action) {
        case "STORE":
          this.store.set(tidKey(cur), cur);
          r = DROP;
          break;
        case "STORE_AND_PASS":
          this.store.set(tidKey(cur), cur);
          r = PASS;
          break;
        case "PASS":
          r = PASS;
          break;
        default:
          cur = this.build(cur, rule);
          r = convertibility(cur);
      }
    }
    if (n === MAX_CONVERSION_BOUNDARY) {
      throw fail(cur, `conversion of ${enumName(ev.type)} did not end after ${MAX_CONVERSION_BOUNDARY} steps`);
    }
    return r === PASS ? cur : null;
  }

  private overflow(): ScapError {
    return fail(this.cur, `converted event length would exceed the conversion buffer size ${MAX_EVENT_SIZE}`);
  }

  /** Checks that n more bytes fit the event being built. */
  private room(n: number): void {
    if (n > MAX_EVENT_SIZE - (this.w - this.base)) throw this.overflow();
  }

  private setLen(p: number, len: number): void {
    if (this.lenSize === 2) this.dv.setUint16(this.lens + 2 * p, len, this.cur._le);
    else this.dv.setUint32(this.lens + 4 * p, len, this.cur._le);
  }

  /** Type code of parameter p of the event being built. */
  private typeOf(p: number): number {
    const t = this.types[p];
    if (t === undefined) {
      throw fail(this.cur, `conversion of ${enumName(this.cur.type)} writes parameter ${p}, beyond the layout of ${enumName(this.newType)}`);
    }
    return t;
  }

  private sized(v: number, t: number): number {
    if (v < 0) throw fail(this.cur, `conversion of ${enumName(this.cur.type)} meets a parameter type (${t}) libscap cannot size`);
    return v;
  }

  /** push_parameter: param j of src, capped to the largest value of param p's type. */
  private copy(p: number, src: ScapEventView, j: number): void {
    const t = this.typeOf(p);
    const cap = this.sized(maxLen(t, this.lenSize), t);
    const len = Math.min(src.paramLength(j), cap);
    this.room(len);
    const at = src._paramPos(j);
    this.arena.set(src._buf.subarray(at, at + len), this.w);
    this.w += len;
    this.setLen(p, len);
  }

  /** push_default_parameter: zeros (UID/GID: all ones) at the type's fixed size. */
  private pushDefault(p: number): void {
    const t = this.typeOf(p);
    const len = this.sized(minLen(t), t);
    this.room(len);
    this.arena.fill(t === PT.UID || t === PT.GID ? 0xff : 0, this.w, this.w + len);
    this.w += len;
    this.setLen(p, len);
  }

  private pushBytes(p: number, bytes: Uint8Array): void {
    const t = this.typeOf(p);
    if (bytes.length > this.sized(maxLen(t, this.lenSize), t) || bytes.length < this.sized(minLen(t), t)) {
      throw fail(this.cur, `container JSON of ${bytes.length} bytes does not fit parameter ${p} of ${enumName(this.newType)}`);
    }
    this.room(bytes.length);
    this.arena.set(bytes, this.w);
    this.w += bytes.length;
    this.setLen(p, bytes.length);
  }

  /** ADD_PARAMS / CHANGE_TYPE: writes the new event into the arena. */
  private build(cur: ScapEventView, rule: ConversionRule): ScapEventView {
    if (this.arena.length - this.pos < MAX_EVENT_SIZE) {
      const size = Math.min(ARENA_MAX, Math.max(ARENA_MIN, this.arena.length * 2));
      this.arena = new Uint8Array(size);
      this.dv = new DataView(this.arena.buffer);
      this.pos = 0;
    }
    const arena = this.arena,
      dv = this.dv,
      le = cur._le;
    const add = rule.action === "ADD_PARAMS";
    const newType = add ? cur.type : rule.desiredCode;
    const lenSize = CODE_LEN_SIZE[newType]!;
    const instrs = rule.instrs;
    const newN = add ? cur.present + instrs.length : instrs.length;
    const base = this.pos;
    this.cur = cur;
    this.base = base;
    this.lens = base + HDR;
    this.lenSize = lenSize;
    this.newType = newType;
    this.types = CODE_PARAM_TYPES[newType]!;
    this.w = this.lens + newN * lenSize;
    if (this.w - base > MAX_EVENT_SIZE) throw this.overflow();

    // Header: ts and tid unchanged, then type, nparams; len written at the end.
    arena.set(cur._buf.subarray(cur._hdr, cur._hdr + 16), base);
    dv.setUint16(base + 20, newType, le);
    dv.setUint32(base + 22, newN, le);

    let p = 0;
    if (add) {
      for (let j = 0; j < cur.present; j++) this.setLen(j, cur.paramLength(j));
      const src = cur._lens + cur.present * cur._lenSize;
      const paramsLen = cur._len - (HDR + cur.present * cur._lenSize);
      if (paramsLen < 0) throw fail(cur, `event length ${cur._len} is smaller than its parameter length table`);
      this.room(paramsLen);
      arena.set(cur._buf.subarray(src, src + paramsLen), this.w);
      this.w += paramsLen;
      p = cur.present;
    }

    let key: number | string | undefined;
    let usedEnter = false;
    for (let k = 0; k < instrs.length; k++, p++) {
      const ins = instrs[k]!;
      switch (ins.op) {
        case "FROM_EMPTY":
          this.setLen(p, 0);
          break;
        case "FROM_DEFAULT":
          this.pushDefault(p);
          break;
        case "FROM_OLD":
          if (cur.present <= ins.param) {
            throw fail(cur, `conversion takes parameter ${ins.param} of ${enumName(cur.type)}, which has only ${cur.present}`);
          }
          this.copy(p, cur, ins.param);
          break;
        case "FROM_ENTER": {
          key ??= tidKey(cur);
          let enter = this.store.get(key);
          if (enter !== undefined && enter.type !== cur.type - 1) {
            if (!this.lenient) {
              throw fail(
                cur,
                `the enter event stored for the thread of ${enumName(cur.type)} is ${enumName(enter.type)}, not its enter event`,
              );
            }
            enter = undefined;
          }
          if (enter === undefined) {
            if (ins.fallbackEmpty) this.setLen(p, 0);
            else this.pushDefault(p);
            break;
          }
          if (enter.present <= ins.param) {
            throw fail(cur, `conversion takes parameter ${ins.param} of the enter event ${enumName(enter.type)}, which has only ${enter.present}`);
          }
          usedEnter = true;
          this.copy(p, enter, ins.param);
          break;
        }
        case "FROM_CALLBACK": {
          const json = containerJson(cur);
          if (json !== undefined) this.pushBytes(p, json);
          else if (ins.fallbackEmpty) this.setLen(p, 0);
          else this.pushDefault(p);
          break;
        }
      }
    }
    if (usedEnter) this.store.delete(key!);
    const len = this.w - base;
    dv.setUint32(base + 16, len, le);
    this.pos = this.w;
    return new ScapEventView(arena, dv, base, this.lens, newN, lenSize, len, newType, cur.cpu, cur.flags, cur.offset, le);
  }
}

/**
 * CONTAINER_E (id, type, name, image) -> the JSON of CONTAINER_JSON_E, built as libscap's
 * callback does (no escaping, NUL-terminated). undefined where libscap's callback throws (then the
 * instruction falls back to empty/default).
 */
function containerJson(ev: ScapEventView): Uint8Array | undefined {
  const maxRead = 0xffff;
  const str = (j: number): Uint8Array | undefined => {
    if (j >= ev.present) return undefined;
    const len = ev.paramLength(j);
    if (len > maxRead || len === 0) return undefined;
    const at = ev._paramPos(j);
    return ev._buf.subarray(at, at + len - 1);
  };
  const id = str(0);
  if (id === undefined) return undefined;
  if (ev.present <= 1) return undefined;
  const tyLen = ev.paramLength(1);
  if (tyLen > 4) return undefined;
  const tyBytes = new Uint8Array(4);
  const tyAt = ev._paramPos(1);
  tyBytes.set(ev._buf.subarray(tyAt, tyAt + tyLen));
  const ty = new DataView(tyBytes.buffer).getUint32(0, ev._le);
  const name = str(2);
  if (name === undefined) return undefined;
  const image = str(3);
  if (image === undefined) return undefined;
  const parts: (number[] | Uint8Array)[] = [
    encoder('{"id":"'),
    id,
    encoder('","type":' + String(ty) + ',"name":"'),
    name,
    encoder('","image":"'),
    image,
    encoder('"}'),
    [0],
  ];
  let n = 0;
  for (const x of parts) n += x.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}
