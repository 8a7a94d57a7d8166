import { mkdtempSync, readFileSync, rmSync, writeFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeFilesAtomically } from "../src/io.js";
import { createRequire } from "node:module";
import Ajv04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { REPO, SHARED, run } from "./harness.js";

// The SARIF 2.1.0 schema (the final "rtm.5" revision that GitHub code scanning validates against), as Microsoft's jest-sarif package ships it.
const sarifSchema = JSON.parse(readFileSync(createRequire(import.meta.url).resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8")) as object;
function validateSarif(doc: unknown): string[] {
  // The schema's `language` pattern has a stray `]`, legal only without the `u` flag.
  const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(sarifSchema);
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

const tmp = mkdtempSync(join(tmpdir(), "falcokit-lint-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const UPSTREAM = `${SHARED}corpus/rules/upstream/latest/rules/`;
const upstreamFiles = ["falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml"].map((f) => UPSTREAM + f);

interface Finding {
  file: string;
  code: string;
  severity: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  range: { start: number; end: number };
  fix?: { edits: { range: { start: number; end: number }; newText: string }[] };
}
const findings = (stdout: string) => JSON.parse(stdout) as Finding[];

describe("falcokit lint", () => {
  it("lints upstream's files: no Falco errors, and every finding points at the text it names", async () => {
    const r = await run(["lint", "--format", "json", ...upstreamFiles], { cwd: REPO });
    const fs = findings(r.stdout);
    expect(fs.filter((f) => f.severity === "error" && f.code.startsWith("load/"))).toEqual([]);
    for (const f of fs.filter((x) => x.code === "lint/proc-name-too-long")) {
      const text = readFileSync(f.file, "utf8").slice(f.range.start, f.range.end).replace(/^["']|["']$/g, "");
      expect(new TextEncoder().encode(text).length, f.file).toBeGreaterThan(15);
    }
  });

  it("--fix applies the fixes and changes nothing else; the result lints clean for the fixed rule", async () => {
    const file = join(tmp, "incubating.yaml");
    const original = readFileSync(`${UPSTREAM}falco-incubating_rules.yaml`, "utf8");
    writeFileSync(file, original);
    const before = findings((await run(["lint", "--format", "json", `${UPSTREAM}falco_rules.yaml`, file], { cwd: REPO })).stdout).filter((f) => f.file === file && f.fix);
    expect(before.length).toBeGreaterThan(0);
    const r = await run(["lint", "--fix", "--format", "json", `${UPSTREAM}falco_rules.yaml`, file], { cwd: REPO });
    expect(r.stderr).toContain(`fixed ${file}`);
    const fixed = readFileSync(file, "utf8");
    // Outside the edits the two texts are the same, byte for byte.
    const edits = before.flatMap((f) => f.fix!.edits).sort((a, b) => a.range.start - b.range.start);
    let rebuilt = "";
    let pos = 0;
    for (const e of edits) {
      rebuilt += original.slice(pos, e.range.start) + e.newText;
      pos = e.range.end;
    }
    expect(fixed).toBe(rebuilt + original.slice(pos));
    const after = findings(r.stdout).filter((f) => f.file === file);
    expect(after.filter((f) => f.fix)).toEqual([]);
  });

  it("writes all fixed files or none: a failure midway leaves the originals", () => {
    const a = join(tmp, "a.yaml");
    const b = join(tmp, "b.yaml");
    writeFileSync(a, "A");
    writeFileSync(b, "B");
    let renames = 0;
    const failing = {
      writeFileSync,
      rmSync,
      readFileSync,
      renameSync: (from: string, to: string) => {
        if (++renames === 2) throw new Error("disk full");
        renameSync(from, to);
      },
    };
    expect(() => writeFilesAtomically([{ path: a, text: "A2" }, { path: b, text: "B2" }], failing as never)).toThrow("disk full");
    expect(readFileSync(a, "utf8")).toBe("A");
    expect(readFileSync(b, "utf8")).toBe("B");
  });

  it("reads .falcokit.yaml: severities, off, library files, ignored files; and inline suppressions", async () => {
    const dir = mkdtempSync(join(tmp, "cfg-"));
    writeFileSync(join(dir, "lib.yaml"), "- macro: helper\n  condition: proc.name = kube-controller-manager\n- list: l\n  items: [a, a]\n");
    writeFileSync(join(dir, "vendor.yaml"), "not: [valid");
    writeFileSync(join(dir, "rules.yaml"), "# falcokit-disable-next-line duplicate-list-items -- kept on purpose\n- list: m\n  items: [b, b]\n");
    const plain = findings((await run(["lint", "--format", "json", "lib.yaml", "rules.yaml"], { cwd: dir })).stdout);
    expect(plain.map((f) => f.code).sort()).toEqual(["lint/duplicate-list-items", "lint/proc-name-too-long", "load/LOAD_UNUSED_LIST", "load/LOAD_UNUSED_LIST", "load/LOAD_UNUSED_MACRO"]);
    writeFileSync(join(dir, ".falcokit.yaml"), "rules:\n  proc-name-too-long: warning\n  duplicate-list-items: off\nlibrary: [lib.yaml]\nignore: [vendor.yaml]\n");
    const r = await run(["lint", "--format", "json", "lib.yaml", "rules.yaml", "vendor.yaml"], { cwd: dir });
    const configured = findings(r.stdout);
    expect(configured.map((f) => `${f.code}:${f.severity}`).sort()).toEqual(["lint/proc-name-too-long:warning", "load/LOAD_UNUSED_LIST:warning"]);
    expect(r.code).toBe(0);
    const strict = await run(["lint", "--max-warnings", "0", "lib.yaml", "rules.yaml"], { cwd: dir });
    expect(strict.code).toBe(1);
    writeFileSync(join(dir, ".falcokit.yaml"), "rules:\n  no-such-rule: error\n");
    const bad = await run(["lint", "lib.yaml"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("no such lint rule");
  });

  it("prints SARIF 2.1.0, GitHub annotations and JUnit XML with the same findings", async () => {
    const file = "docs/examples/lint/tuning.yaml";
    const json = findings((await run(["lint", "--format", "json", file], { cwd: REPO })).stdout);
    const sarif = JSON.parse((await run(["lint", "--format", "sarif", file], { cwd: REPO })).stdout) as {
      version: string;
      runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number; locations: { physicalLocation: { region: { startLine: number; startColumn: number } } }[] }[] }[];
    };
    expect(sarif.version).toBe("2.1.0");
    const results = sarif.runs[0]!.results;
    expect(results.map((x) => [x.ruleId, x.locations[0]!.physicalLocation.region.startLine, x.locations[0]!.physicalLocation.region.startColumn])).toEqual(json.map((f) => [f.code, f.line, f.column]));
    for (const x of results) expect(sarif.runs[0]!.tool.driver.rules[x.ruleIndex]!.id).toBe(x.ruleId);
    const github = (await run(["lint", "--format", "github", file], { cwd: REPO })).stdout.trim().split("\n");
    expect(github.map((l) => /line=(\d+),col=(\d+)/.exec(l)!.slice(1).map(Number))).toEqual(json.map((f) => [f.line, f.column]));
    const junit = (await run(["lint", "--format", "junit", file], { cwd: REPO })).stdout;
    expect(junit.match(/<failure /g)?.length).toBe(json.length);
    expect(junit).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
  });

  it("writes SARIF that validates against the SARIF 2.1.0 schema, with rules, fixes, related locations and URIs", async () => {
    const spaced = join(tmp, "tuning with space#1.yaml");
    writeFileSync(spaced, readFileSync(join(REPO, "docs/examples/lint/tuning.yaml"), "utf8"));
    writeFileSync(join(tmp, "strict.yaml"), "extends: strict\n");
    const files = [...upstreamFiles, `${SHARED}corpus/rules/plugins/k8saudit/k8s_audit_rules.yaml`, spaced];
    const out = await run(["lint", "--config", join(tmp, "strict.yaml"), "--format", "sarif", ...files], { cwd: REPO });
    const doc = JSON.parse(out.stdout) as {
      runs: {
        tool: { driver: { rules: { id: string; defaultConfiguration?: { level: string } }[] } };
        results: { ruleId: string; fixes?: unknown[]; relatedLocations?: unknown[]; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[] }[];
      }[];
    };
    expect(validateSarif(doc)).toEqual([]);
    const results = doc.runs[0]!.results;
    expect(results.length).toBeGreaterThan(20);
    expect(results.some((r) => r.fixes?.length)).toBe(true);
    expect(results.some((r) => r.relatedLocations?.length)).toBe(true);
    expect(doc.runs[0]!.tool.driver.rules.filter((r) => r.id.startsWith("lint/")).every((r) => r.defaultConfiguration)).toBe(true);
    const uris = new Set(results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri));
    expect([...uris].some((u) => u.endsWith("/tuning%20with%20space%231.yaml") && u.startsWith("file:///"))).toBe(true);
    // Relative paths stay relative to the checkout, as code scanning wants them.
    const rel = JSON.parse((await run(["lint", "--format", "sarif", "docs/examples/lint/tuning.yaml"], { cwd: REPO })).stdout) as typeof doc;
    expect(validateSarif(rel)).toEqual([]);
    expect(rel.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation).toEqual({ uri: "docs/examples/lint/tuning.yaml", uriBaseId: "%SRCROOT%" });
    // The validator does reject a broken document.
    expect(validateSarif({ ...doc, version: "2.0.0" })).not.toEqual([]);
  });
});
