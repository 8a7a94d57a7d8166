// `falcokit test` on the repository's suites (the ACME tests and the 51 tests of upstream's
// stable rules): the run in-process, with and without coverage, and the whole command in a
// fresh process. Goal (issue 7): the suites run "in seconds" — under 5 s for the command.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { parseTestFile, runTestFile } from "../packages/test-runner/dist/index.js";
import { ms } from "./lib.mjs";

const REPO = fileURLToPath(new URL("../", import.meta.url));
const files = ["rules/tests/acme.test.yaml", "rules/tests/acme-untuned.test.yaml", "fixtures/upstream/falco_rules.test.yaml"].map((f) => REPO + f);
// The same host the CLI uses, reduced to what these suites need (files and relative paths).
const host = {
  read: (p) => new Uint8Array(readFileSync(p)),
  gunzip: (b) => new Uint8Array(gunzipSync(b)),
  expand: (dir, p) => [resolve(dir, p)],
  resolve: (dir, p) => resolve(dir, p),
  dirname: (p) => dirname(p),
  display: (p) => relative(REPO, p),
};
const suites = files.map((f) => parseTestFile(readFileSync(f, "utf8"), f).suite);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (coverage) => {
  const t0 = performance.now();
  let tests = 0;
  let failed = 0;
  let events = 0;
  for (const s of suites) {
    const r = runTestFile(s, host, { coverage });
    tests += r.tests.length;
    failed += r.tests.filter((t) => t.status === "failed").length;
    events += r.tests.reduce((n, t) => n + t.events, 0);
  }
  return { ms: performance.now() - t0, tests, failed, events };
};
time(false);
const plain = [];
const covered = [];
let last;
for (let i = 0; i < 7; i++) {
  last = time(false);
  plain.push(last.ms);
  covered.push(time(true).ms);
}
if (last.failed > 0) throw new Error(`${last.failed} tests failed`);
console.log(`${last.tests} tests in ${suites.length} files, ${last.events} events replayed`);
console.log(`${"run (in-process, warm)".padEnd(34)} median ${ms(median(plain)).padStart(11)}  ${(median(plain) / last.tests).toFixed(2)} ms per test`);
console.log(`${"run with --coverage".padEnd(34)} median ${ms(median(covered)).padStart(11)}  ${(median(covered) / median(plain)).toFixed(2)}x the plain run`);
const bin = fileURLToPath(new URL("../packages/cli/bin/falcokit.js", import.meta.url));
const runs = [];
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, "test", ...files], { cwd: REPO, encoding: "utf8" });
  runs.push(performance.now() - t0);
  if (r.status !== 0) throw new Error(r.stdout + r.stderr);
}
const cmd = median(runs);
console.log(`${"falcokit test (fresh process)".padEnd(34)} median ${ms(cmd).padStart(11)}`);
console.log(`goal: the suites in under 5 s: ${ms(cmd)} ${cmd < 5000 ? "(met)" : "(NOT met)"}`);
