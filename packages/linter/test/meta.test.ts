import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RULES } from "../src/index.js";

// Registry, rule files, tests and docs pages stay in step: every rule has its own source file
// named by its id, a test file, and a docs page that states its category, severity and set.
const root = new URL("../", import.meta.url);
const docs = new URL("../../../docs/rules/", import.meta.url);

describe("the lint rule registry", () => {
  it("has unique ids that are file names", () => {
    const ids = RULES.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it("registers every rule file, and has a file for every rule", () => {
    const groups = new Set(["correctness.ts", "performance.ts", "style.ts", "deprecation.ts"]);
    const files = readdirSync(new URL("src/rules/", root)).filter((f) => f.endsWith(".ts") && !groups.has(f)).map((f) => f.slice(0, -3)).sort();
    expect(files).toEqual(RULES.map((r) => r.meta.id).sort());
  });

  for (const rule of RULES) {
    it(`${rule.meta.id}: test file, docs page, messages`, () => {
      expect(existsSync(new URL(`test/rules/${rule.meta.id}.test.ts`, root)), "test file").toBe(true);
      const page = new URL(`${rule.meta.id}.md`, docs);
      expect(existsSync(page), "docs page").toBe(true);
      const text = readFileSync(page, "utf8");
      expect(text.startsWith(`# ${rule.meta.id}\n`)).toBe(true);
      const tags = `*${rule.meta.category} · ${rule.meta.severity} · ${rule.meta.recommended ? "recommended" : "strict only"}${rule.meta.fixable ? " · fixable" : ""}*`;
      expect(text).toContain(tags);
      for (const section of ["**What.**", "**Why.**", "**Bad**", "**Good**", "**Options.**"]) expect(text, section).toContain(section);
      if (rule.meta.fixable) expect(text).toContain("**Fix.**");
      expect(Object.keys(rule.messages).length).toBeGreaterThan(0);
      const index = readFileSync(new URL("README.md", docs), "utf8");
      expect(index, "listed in docs/rules/README.md").toContain(`[${rule.meta.id}](${rule.meta.id}.md)`);
    });
  }
});
