// Small timing helpers shared by the benchmarks.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const SHARED = fileURLToPath(new URL("../../shared/", import.meta.url));

/** Every .yaml/.yml file below `dir`, sorted, with its text. */
export function yamlFiles(dir) {
  const out = [];
  (function walk(d) {
    for (const name of readdirSync(d).sort()) {
      const p = `${d}/${name}`;
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name)) out.push({ path: p, text: readFileSync(p, "utf8") });
    }
  })(dir.replace(/\/$/, ""));
  return out;
}

function once(fn) {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/**
 * Times several functions over `rounds` rounds after a warm-up, interleaved so that GC and
 * JIT noise falls on all of them alike (no forced GC: a forced collection before each run
 * makes the next one pay for refilling the young generation, which no real run does). Returns the median and best time of each, in ms.
 */
export function compare(fns, { rounds = 30, warmup = 10 } = {}) {
  const names = Object.keys(fns);
  for (let i = 0; i < warmup; i++) for (const n of names) fns[n]();
  const times = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < rounds; i++) {
    for (const n of names) times[n].push(once(fns[n]));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return Object.fromEntries(names.map((n) => [n, { median: median(times[n]), best: Math.min(...times[n]) }]));
}

export const ms = (x) => `${x.toFixed(2)} ms`;
