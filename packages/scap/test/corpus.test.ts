import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  EVENTS,
  ScapError,
  ScapReader,
  readScap,
  type ParamType,
  type ParamValue,
  type ScapEvent,
  type ScapRecord,
} from "../src/index.js";
import { SHARED, listCaptures, loadCapture, parseManifest } from "./helpers.js";

const manifest = parseManifest();
const captures = listCaptures();

/** The ParamValue kind each parameter type decodes to (besides "empty"). */
const KIND: Record<ParamType, ParamValue["kind"]> = {
  PT_NONE: "bytes",
  PT_INT8: "int",
  PT_INT16: "int",
  PT_INT32: "int",
  PT_INT64: "int",
  PT_UINT8: "int",
  PT_UINT16: "int",
  PT_UINT32: "int",
  PT_UINT64: "int",
  PT_CHARBUF: "string",
  PT_BYTEBUF: "bytes",
  PT_ERRNO: "int",
  PT_SOCKADDR: "sockaddr",
  PT_SOCKTUPLE: "socktuple",
  PT_FD: "int",
  PT_PID: "int",
  PT_FDLIST: "fdlist",
  PT_FSPATH: "string",
  PT_SYSCALLID: "int",
  PT_SIGTYPE: "int",
  PT_RELTIME: "int",
  PT_ABSTIME: "int",
  PT_PORT: "int",
  PT_L4PROTO: "int",
  PT_SOCKFAMILY: "int",
  PT_BOOL: "bool",
  PT_IPV4ADDR: "ip",
  PT_DYN: "dyn",
  PT_FLAGS8: "int",
  PT_FLAGS16: "int",
  PT_FLAGS32: "int",
  PT_UID: "int",
  PT_GID: "int",
  PT_DOUBLE: "double",
  PT_SIGSET: "int",
  PT_CHARBUFARRAY: "strings",
  PT_CHARBUF_PAIR_ARRAY: "pairs",
  PT_IPV4NET: "net",
  PT_IPV6ADDR: "ip",
  PT_IPV6NET: "net",
  PT_IPADDR: "ip",
  PT_IPNET: "net",
  PT_MODE: "int",
  PT_FSRELPATH: "string",
  PT_ENUMFLAGS8: "int",
  PT_ENUMFLAGS16: "int",
  PT_ENUMFLAGS32: "int",
  PT_FD32: "int",
  PT_PID32: "int",
};

/** Value range of the integer types. */
const RANGE: Partial<Record<ParamType, [bigint, bigint]>> = {
  PT_INT8: [-(2n ** 7n), 2n ** 7n - 1n],
  PT_INT16: [-(2n ** 15n), 2n ** 15n - 1n],
  PT_INT32: [-(2n ** 31n), 2n ** 31n - 1n],
  PT_FD32: [-(2n ** 31n), 2n ** 31n - 1n],
  PT_PID32: [-(2n ** 31n), 2n ** 31n - 1n],
  PT_UINT8: [0n, 255n],
  PT_SIGTYPE: [0n, 255n],
  PT_FLAGS8: [0n, 255n],
  PT_ENUMFLAGS8: [0n, 255n],
  PT_UINT16: [0n, 65535n],
  PT_PORT: [0n, 65535n],
  PT_SYSCALLID: [0n, 65535n],
  PT_UINT32: [0n, 2n ** 32n - 1n],
  PT_UID: [0n, 2n ** 32n - 1n],
  PT_GID: [0n, 2n ** 32n - 1n],
  PT_MODE: [0n, 2n ** 32n - 1n],
  PT_FLAGS32: [0n, 2n ** 32n - 1n],
  PT_UINT64: [0n, 2n ** 64n - 1n],
  PT_ERRNO: [-(2n ** 63n), 2n ** 63n - 1n],
  PT_FD: [-(2n ** 63n), 2n ** 63n - 1n],
  PT_PID: [-(2n ** 63n), 2n ** 63n - 1n],
};

function checkParams(ev: ScapEvent): void {
  const info = EVENTS[ev.type]!;
  expect(ev.nparams).toBe(info.params.length);
  for (let i = 0; i < ev.nparams; i++) {
    const p = info.params[i]!;
    const v = ev.param(i);
    const raw = ev.raw(i)!;
    expect(raw).toBeInstanceOf(Uint8Array);
    if (v.kind === "empty") {
      expect(raw.length).toBe(0);
      continue;
    }
    if (v.kind !== KIND[p.type]) {
      throw new Error(`${info.enumName} param ${i} (${p.name}, ${p.type}) decoded as ${v.kind}`);
    }
    const r = RANGE[p.type];
    if (r && v.kind === "int" && (v.value < r[0] || v.value > r[1])) {
      throw new Error(`${info.enumName} param ${i} (${p.type}) out of range: ${v.value}`);
    }
    if (v.kind === "dyn") {
      const sub = p.dyn![v.index]!;
      if (v.value.kind !== "empty") expect(v.value.kind).toBe(KIND[sub.type]);
    }
  }
  expect(ev.raw(ev.nparams)).toBeUndefined();
}

describe("corpus captures", () => {
  it("the manifest lists every capture on disk, and every manifest capture exists", () => {
    const listed = new Set(manifest.map((r) => r.file));
    for (const c of captures) expect(listed.has(c), `${c} missing from MANIFEST.md`).toBe(true);
    for (const r of manifest) expect(captures).toContain(r.file);
    expect(captures.length).toBeGreaterThanOrEqual(20);
  });

  for (const rel of captures) {
    it(`${rel}: read to the end, block counts as in MANIFEST.md, every param decodes with its table type`, () => {
      const bytes = loadCapture(rel);
      const cap = readScap(bytes);
      expect(cap.stats.bytes).toBe(bytes.length);
      expect(cap.sections.length).toBe(1);
      expect(cap.events.length).toBeGreaterThan(0);
      const row = manifest.find((r) => r.file === rel)!;
      // Rows without a "blocks" column (some decompressed copies) must match their original.
      const expected =
        row.blocks ?? manifest.find((r) => `uncompressed/${r.file}` === rel && r.blocks !== undefined)?.blocks;
      expect(expected, `no block counts for ${rel}`).toBeDefined();
      const got = new Map(Object.entries(cap.blockCounts));
      expect(got.get("SHB")).toBe(1);
      got.delete("SHB");
      expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected!));
      for (const ev of cap.events) checkParams(ev);
      // thread/fd metadata decoded
      expect(cap.machine).toBeDefined();
      expect(cap.threads.length).toBeGreaterThan(0);
      expect(cap.fds.length).toBeGreaterThan(0);
      expect(cap.users!.users.some((u) => u.name === "root" && u.uid === 0)).toBe(true);
    });
  }

  it("post-conversion event counts equal the libsinsp-verified 'numbered' counts of spec §11", () => {
    const spec = readFileSync(new URL("spec/scap-format.md", SHARED), "utf8");
    const sec = spec.slice(spec.indexOf("## 11."));
    const rows = sec.split("\n").filter((l) => /^\| (libs|falco) `/.test(l));
    expect(rows.length).toBeGreaterThanOrEqual(15);
    let checked = 0;
    for (const line of rows) {
      const cells = line.split("|").map((c) => c.trim());
      const path = /`([^`]+)`/.exec(cells[1]!)![1]!;
      const base = path.split("/").pop()!;
      let rel = `${cells[1]!.startsWith("libs") ? "libs" : "falco"}/${path.includes("psp/") ? "psp/" : ""}${base}`;
      if (cells[1]!.includes("(2016)")) rel = "falco/empty-2016.scap";
      const [numbered] = cells[6]!.split("/").map((x) => Number(x.trim()));
      const blocks = Number(cells[5]);
      const cap = readScap(loadCapture(rel));
      expect(cap.stats.eventBlocks, rel).toBe(blocks);
      expect(cap.events.length, rel).toBe(numbered);
      checked++;
    }
    expect(checked).toBe(rows.length);
  });

  it("streaming with small random chunks gives the same records as a whole-buffer read", () => {
    for (const rel of ["falco/cat_write.scap", "libs/sample.scap", "falco/psp/run_as_user_0_container.scap"]) {
      const bytes = loadCapture(rel);
      const whole = readScap(bytes).records;
      const r = new ScapReader();
      const got: ScapRecord[] = [];
      let seed = 12345;
      const rnd = (n: number): number => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed % n;
      };
      for (let pos = 0; pos < bytes.length; ) {
        const n = 1 + rnd(rnd(10) === 0 ? 20000 : 300);
        r.push(bytes.subarray(pos, pos + n));
        pos += n;
        for (let rec = r.next(); rec !== undefined; rec = r.next()) got.push(rec);
      }
      r.end();
      for (let rec = r.next(); rec !== undefined; rec = r.next()) got.push(rec);
      expect(r.done).toBe(true);
      expect(got.length).toBe(whole.length);
      for (let i = 0; i < got.length; i++) {
        const a = got[i]!,
          b = whole[i]!;
        expect(a.kind).toBe(b.kind);
        if (a.kind === "event" && b.kind === "event") {
          expect([a.type, a.ts, a.tid, a.cpu, a.flags, a.offset]).toEqual([b.type, b.ts, b.tid, b.cpu, b.flags, b.offset]);
          for (let k = 0; k < a.nparams; k++) expect(a.raw(k)).toEqual(b.raw(k));
        } else {
          expect(a).toEqual(b);
        }
      }
    }
  });

  it("a gzip capture is rejected with a ScapError pointing at byte 0", () => {
    const gz = new Uint8Array(readFileSync(new URL("corpus/captures/falco/cat_write.scap", SHARED)));
    expect(() => readScap(gz)).toThrow(ScapError);
    try {
      readScap(gz);
    } catch (e) {
      expect((e as ScapError).offset).toBe(0);
    }
  });
});
