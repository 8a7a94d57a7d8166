// Shared helpers of the scap tests: where the shared corpus is, how to load a capture.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { isGzip } from "../src/index.js";

export const SHARED = new URL("../../../../shared/", import.meta.url);
export const CAPTURES_DIR = fileURLToPath(new URL("corpus/captures/", SHARED));

/** Every .scap file under corpus/captures, as paths relative to it ("falco/cat_write.scap"...). */
export function listCaptures(): string[] {
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((n) => {
      const p = join(d, n);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
  return walk(CAPTURES_DIR)
    .filter((p) => p.endsWith(".scap"))
    .map((p) => relative(CAPTURES_DIR, p))
    .sort();
}

/** The decompressed bytes of a capture (gzip ones through node:zlib). */
export function loadCapture(rel: string): Uint8Array {
  const raw = readFileSync(join(CAPTURES_DIR, rel));
  const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  return isGzip(bytes) ? new Uint8Array(gunzipSync(bytes)) : bytes;
}

export interface ManifestRow {
  file: string;
  blocks: Map<string, number> | undefined;
}

/** Rows of the MANIFEST.md table that name a .scap file, with their "blocks" column parsed. */
export function parseManifest(): ManifestRow[] {
  const text = readFileSync(join(CAPTURES_DIR, "MANIFEST.md"), "utf8");
  const lines = text.split("\n").filter((l) => l.startsWith("|"));
  const header = lines[0]!.split("|").map((c) => c.trim());
  const fileCol = header.indexOf("file");
  const blocksCol = header.indexOf("blocks");
  if (fileCol < 0 || blocksCol < 0) throw new Error("MANIFEST.md table has no file/blocks columns");
  const rows: ManifestRow[] = [];
  for (const line of lines.slice(1)) {
    const cells = line.split("|").map((c) => c.trim());
    const file = cells[fileCol]!.replace(/`/g, "");
    if (!file.endsWith(".scap")) continue;
    const spec = cells[blocksCol] ?? "";
    let blocks: Map<string, number> | undefined;
    if (spec !== "") {
      blocks = new Map();
      for (const part of spec.split(",")) {
        const m = /^\s*([A-Z0-9_]+)=(\d+)\s*$/.exec(part);
        if (!m) throw new Error(`cannot parse blocks "${spec}" of ${file}`);
        blocks.set(m[1]!, Number(m[2]));
      }
    }
    rows.push({ file, blocks });
  }
  return rows;
}

/** JSON with bigint and byte arrays, for readable comparisons. */
export function show(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    typeof x === "bigint" ? `${x}n` : x instanceof Uint8Array ? Array.from(x) : x,
  );
}
