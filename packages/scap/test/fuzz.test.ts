// Robustness: truncated and corrupted captures give a ScapError with an offset, or a valid read;
// never another exception, never a hang.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ScapError, ScapReader, readScap } from "../src/index.js";
import { concat } from "./writer.js";
import { loadCapture } from "./helpers.js";

/** Splits a capture into its blocks (type, bytes) with a plain walk of the block lengths. */
function blocks(bytes: Uint8Array): { type: number; bytes: Uint8Array }[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: { type: number; bytes: Uint8Array }[] = [];
  for (let p = 0; p < bytes.length; ) {
    const len = dv.getUint32(p + 4, true);
    out.push({ type: dv.getUint32(p, true), bytes: bytes.subarray(p, p + len) });
    p += len;
  }
  return out;
}

/**
 * A small real capture: cat_write's SHB, MI, IL, UL, two FDL blocks and the event blocks of
 * `cat` (v1 records, conversions with stored enter events, EXECVE_16_X -> 19).
 */
function smallCapture(): Uint8Array {
  const all = blocks(loadCapture("falco/cat_write.scap"));
  const meta = all.filter((b) => [0x0a0d0d0a, 0x201, 0x205, 0x206].includes(b.type));
  const fdl = all.filter((b) => b.type === 0x203).slice(0, 2);
  const evs = all.filter((b) => b.type === 0x204);
  const catStart = evs.findIndex((b) => new DataView(b.bytes.buffer, b.bytes.byteOffset).getBigInt64(18, true) === 20072n);
  return concat(...[...meta, ...fdl, ...evs.slice(catStart - 4, catStart + 50)].map((b) => b.bytes));
}

const small = smallCapture();
const sample = loadCapture("libs/sample.scap");

/** Reads fully and decodes every param; returns "ok" or the ScapError. Fails on anything else. */
function attempt(bytes: Uint8Array): "ok" | ScapError {
  const t0 = performance.now();
  try {
    const cap = readScap(bytes);
    for (const ev of cap.events) {
      for (let i = 0; i < ev.nparams; i++) {
        try {
          ev.param(i);
        } catch (e) {
          if (!(e instanceof ScapError)) throw e;
        }
      }
    }
    return "ok";
  } catch (e) {
    if (!(e instanceof ScapError)) throw new Error(`not a ScapError: ${String(e)}`);
    if (e.message.startsWith("internal reader error")) throw new Error(`reader bug: ${e.message}`);
    if (!(Number.isInteger(e.offset) && e.offset >= 0 && e.offset <= bytes.length)) {
      throw new Error(`error offset ${e.offset} outside the input (${bytes.length} bytes): ${e.message}`);
    }
    if (!/byte offset \d+/.test(e.message)) throw new Error(`message without offset: ${e.message}`);
    return e;
  } finally {
    const ms = performance.now() - t0;
    if (ms > 2000) throw new Error(`read took ${ms} ms`);
  }
}

describe("fuzz", () => {
  it("the small capture is valid", () => {
    const cap = readScap(small);
    expect(cap.events.length).toBeGreaterThan(20);
    expect(small.length).toBeLessThan(16384);
  });

  it("every truncation point of the small capture: ScapError with offset, or a valid read at a block boundary", () => {
    const boundaries = new Set<number>();
    let firstEventEnd = Infinity;
    for (let p = 0, dv = new DataView(small.buffer, small.byteOffset); p < small.length; ) {
      const type = dv.getUint32(p, true);
      p += dv.getUint32(p + 4, true);
      boundaries.add(p);
      if (type === 0x204) firstEventEnd = Math.min(firstEventEnd, p);
    }
    const t0 = performance.now();
    for (let t = 0; t <= small.length; t++) {
      const r = attempt(small.subarray(0, t));
      const shouldBeOk = boundaries.has(t) && t >= firstEventEnd;
      if ((r === "ok") !== shouldBeOk) {
        throw new Error(`truncation at ${t}: ${r === "ok" ? "read ok" : r.message}`);
      }
      if (r !== "ok" && t > 0) expect(r.offset).toBeLessThanOrEqual(t);
    }
    expect(performance.now() - t0).toBeLessThan(30_000);
  });

  it("random byte flips of the small capture: ScapError with offset, or a valid read", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(small.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (flips) => {
          const b = small.slice();
          for (const [at, v] of flips) b[at] = v;
          attempt(b);
        },
      ),
      { numRuns: 3000, seed: 20240601 },
    );
  });

  it("random flips in the length fields of blocks and events", () => {
    const fields: number[] = [];
    for (let p = 0, dv = new DataView(small.buffer, small.byteOffset); p < small.length; ) {
      const len = dv.getUint32(p + 4, true);
      for (let k = 4; k < 8; k++) fields.push(p + k); // block length
      for (let k = 0; k < 4; k++) fields.push(p + len - 4 + k); // trailer
      if (dv.getUint32(p, true) === 0x204) for (let k = 26; k < 34; k++) fields.push(p + k); // event len/type/lens
      p += len;
    }
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...fields), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        (flips) => {
          const b = small.slice();
          for (const [at, v] of flips) b[at] = v;
          attempt(b);
        },
      ),
      { numRuns: 3000, seed: 42 },
    );
  });

  it("random byte flips of a scap 1.2 capture (EV_V2, PL_V9, FDL_V2)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(sample.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 16 }),
        (flips) => {
          const b = sample.slice();
          for (const [at, v] of flips) b[at] = v;
          attempt(b);
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it("random bytes after a valid section header", () => {
    const head = small.subarray(0, 28);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 600 }), (tail) => {
        attempt(concat(head, tail));
      }),
      { numRuns: 2000, seed: 3 },
    );
  });

  it("corrupted streams fed in chunks fail the same way as whole reads", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(small.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 700 }),
        (flips, chunk) => {
          const b = small.slice();
          for (const [at, v] of flips) b[at] = v;
          const whole = attempt(b);
          const r = new ScapReader();
          let err: unknown;
          try {
            for (let p = 0; p < b.length; p += chunk) {
              r.push(b.subarray(p, p + chunk));
              while (r.next() !== undefined);
            }
            r.end();
            while (r.next() !== undefined);
          } catch (e) {
            err = e;
          }
          if (whole === "ok") expect(err).toBeUndefined();
          else {
            expect(err).toBeInstanceOf(ScapError);
            expect((err as ScapError).message).toBe(whole.message);
          }
        },
      ),
      { numRuns: 500, seed: 11 },
    );
  });
});
