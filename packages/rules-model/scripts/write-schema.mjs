// Writes schema/falco-rules.schema.json from the built schema module (run `tsc -b` first).
// A test fails when the file and src/schema.ts disagree.
import { writeFileSync } from "node:fs";
import { falcoRulesSchema } from "../dist/schema.js";

const target = new URL("../schema/falco-rules.schema.json", import.meta.url);
writeFileSync(target, JSON.stringify(falcoRulesSchema, null, 2) + "\n");
console.log(`wrote ${target.pathname}`);
