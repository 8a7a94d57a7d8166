// Loading, resolving and validating upstream's stable, incubating and sandbox files together,
// in that order (as falcosecurity/rules CI does), against the floor: a bare `yaml` parse of the
// same files. Goals: at most 3x the floor, and under 100 ms.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { loadRules } from "../packages/engine/dist/index.js";
import { compare, ms, SHARED } from "./lib.mjs";

const dir = `${SHARED}corpus/rules/upstream/latest/rules/`;
const sources = ["falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml"].map((name) => ({
  name,
  text: readFileSync(dir + name, "utf8"),
}));
const bytes = sources.reduce((n, s) => n + s.text.length, 0);

const check = loadRules(sources);
const problems = check.files.flatMap((f) => f.diagnostics);
const rules = check.compiled?.rules.length ?? 0;

const r = compare(
  {
    "bare yaml parse (floor)": () => sources.forEach((s) => parseAllDocuments(s.text)),
    "load + resolve + validate": () => loadRules(sources),
  },
  { rounds: 60 },
);
const floor = r["bare yaml parse (floor)"];
const engine = r["load + resolve + validate"];
console.log(`${sources.length} files, ${(bytes / 1024).toFixed(0)} KiB, ${rules} rules compiled, ${problems.length} diagnostics`);
for (const [name, t] of Object.entries(r)) {
  console.log(`${name.padEnd(28)} median ${ms(t.median).padStart(10)}  best ${ms(t.best).padStart(10)}  ratio ${(t.median / floor.median).toFixed(2)}x`);
}
const ratio = engine.median / floor.median;
console.log(`goal: <= 3.00x the floor and < 100 ms: ${ratio.toFixed(2)}x, ${ms(engine.median)} ${ratio <= 3 && engine.median < 100 ? "(met)" : "(NOT met)"}`);
