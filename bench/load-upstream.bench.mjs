// Loading and parsing every file of upstream/latest (rules model, schema, every condition and
// output), against the floor: a bare `yaml` parse of the same files. Goal: at most 2x.
import { parseAllDocuments } from "yaml";
import { parseRulesFile, validateRules } from "../packages/rules-model/dist/index.js";
import { compare, ms, SHARED, yamlFiles } from "./lib.mjs";

const files = yamlFiles(`${SHARED}corpus/rules/upstream/latest`);
const bytes = files.reduce((n, f) => n + f.text.length, 0);
let conditions = 0;
for (const f of files) conditions += validateRules(f.text).file.items.filter((i) => i.condition).length;

const r = compare({
  "bare yaml parse (floor)": () => files.forEach((f) => parseAllDocuments(f.text)),
  "rules model only": () => files.forEach((f) => parseRulesFile(f.text)),
  "load + parse all (validate)": () => files.forEach((f) => validateRules(f.text)),
});

const floor = r["bare yaml parse (floor)"];
console.log(`${files.length} files, ${(bytes / 1024).toFixed(0)} KiB, ${conditions} conditions`);
for (const [name, t] of Object.entries(r)) {
  console.log(`${name.padEnd(30)} median ${ms(t.median).padStart(10)}  best ${ms(t.best).padStart(10)}  ratio ${(t.median / floor.median).toFixed(2)}x`);
}
const ratio = r["load + parse all (validate)"].median / floor.median;
console.log(`goal: load + parse all <= 2.00x the floor: ${ratio.toFixed(2)}x ${ratio <= 2 ? "(met)" : "(NOT met)"}`);
