#!/usr/bin/env node
// Read-speed benchmark of the .scap reader on the corpus captures (decompressed in memory first).
//   npx tsc -b && node packages/scap/scripts/bench-read.mjs [seconds]
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { ScapReader, isGzip } from "../dist/index.js";

const root = fileURLToPath(new URL("../../../../shared/corpus/captures/", import.meta.url));
const walk = (d) => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
const files = walk(root).filter((f) => f.endsWith(".scap") && !f.includes("/uncompressed/"));
const inputs = files.map((f) => {
  const b = new Uint8Array(readFileSync(f));
  return isGzip(b) ? new Uint8Array(gunzipSync(b)) : b;
});
const seconds = Number(process.argv[2] ?? 3);

function run(label, onEvent, chunk) {
  let events = 0,
    bytes = 0,
    blocks = 0;
  const t0 = performance.now();
  let loops = 0;
  while (performance.now() - t0 < seconds * 1000) {
    for (const input of inputs) {
      const r = new ScapReader();
      if (chunk) for (let p = 0; p < input.length; p += chunk) r.push(input.subarray(p, p + chunk));
      else r.push(input);
      r.end();
      for (let rec = r.next(); rec !== undefined; rec = r.next()) {
        if (rec.kind === "event") {
          events++;
          onEvent(rec);
        }
      }
      bytes += input.length;
      blocks += r.stats.eventBlocks;
    }
    loops++;
  }
  const s = (performance.now() - t0) / 1000;
  console.log(
    `${label.padEnd(44)} ${(events / s / 1e6).toFixed(2)} M events/s  ${(blocks / s / 1e6).toFixed(2)} M event blocks/s  ${(bytes / s / 1e6).toFixed(0)} MB/s  (${loops} loops)`,
  );
}

let sink = 0;
run("read (records only)", () => {});
run("read, 64 KiB chunks", () => {}, 65536);
run("read + ts/tid", (e) => {
  sink += e.tid > 0n ? 1 : 0;
});
run("read + decode every param", (e) => {
  for (let i = 0; i < e.nparams; i++) if (e.param(i).kind === "int") sink++;
});
if (sink < 0) console.log(sink);

// Event-dominated streams, like long captures: each corpus capture's section header and machine
// info followed by its event blocks repeated to ~8 MB, read in 64 KiB chunks.
const streams = inputs.map((input) => {
  const dv = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const head = [];
  const evs = [];
  for (let p = 0; p < input.length; ) {
    const type = dv.getUint32(p, true);
    const len = dv.getUint32(p + 4, true);
    const b = input.subarray(p, p + len);
    if (type === 0x0a0d0d0a || type === 0x201) head.push(b);
    else if ([0x204, 0x216, 0x221, 0x208, 0x217, 0x222].includes(type)) evs.push(b);
    p += len;
  }
  const evBytes = evs.reduce((a, b) => a + b.length, 0);
  const reps = Math.max(1, Math.floor(8e6 / evBytes));
  const parts = [...head];
  for (let i = 0; i < reps; i++) parts.push(...evs);
  const out = new Uint8Array(parts.reduce((a, b) => a + b.length, 0));
  let o = 0;
  for (const b of parts) {
    out.set(b, o);
    o += b.length;
  }
  return out;
});

function runStreams(label, onEvent) {
  let events = 0,
    bytes = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    for (const input of streams) {
      // Repeating a capture's events can pair an exit with another syscall's stored enter.
      const r = new ScapReader({ lenientEnterMismatch: true });
      for (let p = 0; p < input.length; p += 65536) {
        r.push(input.subarray(p, p + 65536));
        for (let rec = r.next(); rec !== undefined; rec = r.next()) {
          events++;
          onEvent(rec);
        }
      }
      r.end();
      for (let rec = r.next(); rec !== undefined; rec = r.next()) events++;
      bytes += input.length;
    }
  }
  const s = (performance.now() - t0) / 1000;
  console.log(`${label.padEnd(44)} ${(events / s / 1e6).toFixed(2)} M events/s  ${(bytes / s / 1e6).toFixed(0)} MB/s`);
}
runStreams("event streams: read", () => {});
runStreams("event streams: read + tid + decode param 0", (e) => {
  if (e.tid > 0n && e.nparams > 0 && e.param(0).kind === "int") sink++;
});
runStreams("event streams: read + decode every param", (e) => {
  for (let i = 0; i < e.nparams; i++) if (e.param(i).kind === "int") sink++;
});
