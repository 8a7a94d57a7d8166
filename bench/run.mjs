// Runs every benchmark in this folder (`*.bench.mjs`), one process each, and prints their
// numbers. `pnpm bench` builds first. Benchmarks print; they never fail a build.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL(".", import.meta.url));
const only = process.argv[2];
let failed = false;
for (const name of readdirSync(dir).filter((n) => n.endsWith(".bench.mjs")).sort()) {
  if (only && !name.includes(only)) continue;
  console.log(`\n## ${name}`);
  const r = spawnSync(process.execPath, ["--expose-gc", dir + name], { stdio: "inherit" });
  if (r.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
