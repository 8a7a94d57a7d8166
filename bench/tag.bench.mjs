// `falcokit tag --add env:prod` on a generated 10,000-rule file (flow, block, quoted,
// commented and missing tags; one rule in seven disabled). Prints each phase, the tagging
// itself (selection, planning and the text edits) against its goal of under a second, and the
// whole command in a fresh process against the floor every phase stands on: one bare YAML
// parse of the file with the `yaml` package.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { loadRules } from "../packages/engine/dist/index.js";
import { applyEdits } from "../packages/linter/dist/index.js";
import { compareEffective, planTagEdits, selectRules } from "../packages/transform/dist/index.js";
import { generateRules } from "./generate-rules.mjs";
import { ms } from "./lib.mjs";

const RULES = 10_000;
const text = generateRules(RULES);
const sources = [{ name: "big.yaml", text }];
const edit = { add: ["env:prod"], remove: [], replace: new Map() };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn) => {
  const t0 = process.hrtime.bigint();
  const r = fn();
  return [Number(process.hrtime.bigint() - t0) / 1e6, r];
};

const phases = { "yaml parse (floor)": [], "load (read, resolve, compile)": [], "select + plan + edits (tagging)": [], "apply edits": [], "check: re-read + compare": [] };
let changed = 0;
for (let round = 0; round < 5; round++) {
  phases["yaml parse (floor)"].push(time(() => parseAllDocuments(text))[0]);
  const [tLoad, load] = time(() => loadRules(sources));
  phases["load (read, resolve, compile)"].push(tLoad);
  const [tPlan, plan] = time(() => planTagEdits(load, selectRules(load, {}), edit));
  phases["select + plan + edits (tagging)"].push(tPlan);
  const [tApply, out] = time(() => applyEdits(text, plan.edits.get("big.yaml") ?? []).text);
  phases["apply edits"].push(tApply);
  const expected = new Map(plan.rules.map((r) => [r.name, r.after]));
  const [tCheck, mismatches] = time(() => compareEffective(load, loadRules([{ name: "big.yaml", text: out }], { collectOnly: true }), expected));
  phases["check: re-read + compare"].push(tCheck);
  if (mismatches.length > 0) throw new Error(`the edits changed more than tags: ${JSON.stringify(mismatches.slice(0, 3))}`);
  changed = plan.rules.filter((r) => r.after.length !== r.before.length).length;
}
const floor = median(phases["yaml parse (floor)"]);
console.log(`${RULES} rules, ${(text.length / 1024 / 1024).toFixed(2)} MiB; ${changed} rules gain the tag`);
for (const [name, ts] of Object.entries(phases)) console.log(`${name.padEnd(34)} median ${ms(median(ts)).padStart(11)}  ${(median(ts) / floor).toFixed(2)}x the yaml parse`);

// The whole command, in a fresh process, writing the tagged copy to a directory.
const dir = mkdtempSync(join(tmpdir(), "falcokit-tag-bench-"));
const file = join(dir, "big.yaml");
writeFileSync(file, text);
const bin = fileURLToPath(new URL("../packages/cli/bin/falcokit.js", import.meta.url));
const runs = [];
for (let i = 0; i < 3; i++) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, "tag", file, "--add", "env:prod", "--out", join(dir, "out")], { encoding: "utf8" });
  runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  if (r.status !== 0) throw new Error(r.stderr);
}
rmSync(dir, { recursive: true, force: true });
const tagging = median(phases["select + plan + edits (tagging)"]);
console.log(`${"falcokit tag --out (fresh process)".padEnd(34)} median ${ms(median(runs)).padStart(11)}  ${(median(runs) / floor).toFixed(2)}x the yaml parse`);
console.log(`goal: tagging every rule < 1000 ms: ${ms(tagging)} ${tagging < 1000 ? "(met)" : "(NOT met)"}`);
