import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { VERSION } from "../src/version.js";
import { REPO, run } from "./harness.js";

describe("falcokit", () => {
  it("reports the version of its package", async () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    expect(VERSION).toBe(pkg.version);
    expect(await run(["--version"], { cwd: REPO })).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: "" });
  });

  it("prints help with exit 0 when asked, 2 when no command is given", async () => {
    const asked = await run(["--help"], { cwd: REPO });
    expect(asked.code).toBe(0);
    expect(asked.stdout).toContain("falcokit validate FILES...");
    expect((await run([], { cwd: REPO })).code).toBe(2);
  });

  it("validates every file of upstream/latest without errors", async () => {
    const r = await run(["validate", "../shared/corpus/rules/upstream/latest/rules", "--format", "json"], { cwd: REPO });
    const results = JSON.parse(r.stdout).falco_load_results as { name: string; successful: boolean; errors: unknown[] }[];
    expect(results.map((x) => x.name)).toEqual([
      "../shared/corpus/rules/upstream/latest/rules/falco-incubating_rules.yaml",
      "../shared/corpus/rules/upstream/latest/rules/falco-sandbox_rules.yaml",
      "../shared/corpus/rules/upstream/latest/rules/falco_rules.yaml",
    ]);
    expect(results.every((x) => x.successful && x.errors.length === 0)).toBe(true);
    expect(r.code).toBe(0);
  });
});
