import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readScenario, runScenario, SHARED } from "./harness.js";

/*
 * Golden CLI scenarios: a command, its input files, its exact output and exit code.
 * `UPDATE_SCENARIOS=1` rewrites the expected output sections (review the diff before committing).
 */

const DIR = fileURLToPath(new URL("./scenarios/", import.meta.url));
const update = process.env.UPDATE_SCENARIOS === "1";

describe("golden CLI scenarios", () => {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith(".scenario")).sort()) {
    const scenario = readScenario(join(DIR, file));
    it(`${file}: ${scenario.title}`, async () => {
      const r = await runScenario(scenario);
      const normalize = (t: string) => t.replaceAll(SHARED.replace(/\/$/, ""), "{shared}");
      const stdout = normalize(r.stdout);
      const stderr = normalize(r.stderr);
      if (update) {
        let text = readFileSync(join(DIR, file), "utf8");
        text = text.replace(/====exit-code====\n[^\n]*\n/, `====exit-code====\n${r.code}\n`);
        text = text.replace(/====stdout====\n[\s\S]*?(?=^====|$(?![\s\S]))/m, `====stdout====\n${stdout}`);
        if (scenario.stderr !== undefined || stderr) {
          if (/====stderr====/.test(text)) text = text.replace(/====stderr====\n[\s\S]*?(?=^====|$(?![\s\S]))/m, `====stderr====\n${stderr}`);
          else text += `====stderr====\n${stderr}`;
        }
        writeFileSync(join(DIR, file), text);
        return;
      }
      expect(stderr).toBe(scenario.stderr ?? "");
      if (scenario.stdout !== undefined) expect(stdout).toBe(scenario.stdout);
      expect(r.code).toBe(scenario.exitCode);
    });
  }
});
