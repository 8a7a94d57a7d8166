// What a user waits for: `falcokit validate` on upstream's stable, incubating and sandbox files
// in a fresh process (module loading, JIT warm-up and one load), against `node -e ""` (the
// floor any Node tool pays) and against loading the unbundled module tree instead of the bundle.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { SHARED } from "./lib.mjs";

const bin = fileURLToPath(new URL("../packages/cli/bin/falcokit.js", import.meta.url));
const unbundled = fileURLToPath(new URL("../packages/cli/dist/main.js", import.meta.url));
const dir = `${SHARED}corpus/rules/upstream/latest/rules/`;
const files = ["falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml"].map((f) => dir + f);

function time(args, rounds = 7) {
  const xs = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { encoding: "utf8" });
    xs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  }
  return xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

const node = time(["-e", ""]);
const bundled = time([bin, "validate", ...files]);
const tree = time(["--input-type=module", "-e", `const { main } = await import(${JSON.stringify(unbundled)}); process.exitCode = await main(${JSON.stringify(["validate", ...files])});`]);
console.log(`node -e "" (floor)                 median ${node.toFixed(0).padStart(5)} ms`);
console.log(`falcokit validate (bundle)         median ${bundled.toFixed(0).padStart(5)} ms  (${(bundled - node).toFixed(0)} ms above the floor)`);
console.log(`same from the module tree          median ${tree.toFixed(0).padStart(5)} ms  (bundle saves ${(tree - bundled).toFixed(0)} ms)`);
