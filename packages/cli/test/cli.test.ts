import { existsSync, readFileSync } from "node:fs";
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

describe("the installed command (bin/falcokit.js and its bundle)", () => {
  it("prints what the in-process CLI prints, with the same exit code", async () => {
    const { spawnSync } = await import("node:child_process");
    const bin = new URL("../bin/falcokit.js", import.meta.url).pathname;
    const bundle = new URL("../dist/falcokit.mjs", import.meta.url).pathname;
    expect(existsSync(bundle), "the bundle is built by the build script").toBe(true);
    for (const args of [
      ["validate", "../shared/corpus/rules/upstream/latest/rules/falco_rules.yaml", "--format", "json"],
      ["validate", "../shared/corpus/rules/falco-tests/rules/invalid_not_yaml.yaml"],
      ["parse", "proc.name in (bash, sh) and not fd.name startswith /tmp"],
    ]) {
      const child = spawnSync(process.execPath, [bin, ...args], { cwd: REPO, encoding: "utf8" });
      const inProcess = await run(args, { cwd: REPO });
      expect({ code: child.status, stdout: child.stdout, stderr: child.stderr }, args.join(" ")).toEqual(inProcess);
    }
  });
});
