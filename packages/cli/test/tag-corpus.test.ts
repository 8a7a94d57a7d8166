// `falcokit tag --add env:prod` over every upstream and plugins rules file of the corpus:
// in place, the files change only inside `tags` entries and load to the same rules with the
// tag added; a second run changes nothing; the override file gives the same effective tags.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadRules, type LoadResult } from "@falcokit/engine";
import { parseRulesFile } from "@falcokit/rules-model";
import { compareEffective } from "@falcokit/transform";
import { corpusGroups } from "./corpus-groups.js";
import { run } from "./harness.js";

const tmp = mkdtempSync(join(tmpdir(), "falcokit-tag-corpus-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The text's lines with the lines of every rule's `tags` entry left out (1-based line numbers kept alongside). */
function linesOutsideTags(text: string): string[] {
  const model = parseRulesFile(text);
  const lineStarts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const skip = new Set<number>();
  for (const item of model.items) {
    if (item.kind !== "rule") continue;
    for (const e of item.entries) {
      if (e.key !== "tags") continue;
      const end = Math.max(e.valueRange.end, e.keyRange.end);
      for (let l = lineOf(e.keyRange.start); l <= lineOf(Math.max(e.keyRange.start, end - 1)); l++) skip.add(l);
    }
  }
  return text.split("\n").filter((_, i) => !skip.has(i));
}

const load = (files: readonly string[]) => loadRules(files.map((f) => ({ name: basename(f), text: readFileSync(f, "utf8") })));
const tagsOf = (l: LoadResult) => new Map(l.collector.rules.items.map((r) => [r.name, [...r.tags].sort()]));

describe("tag --add env:prod on the corpus", () => {
  const groups = corpusGroups();
  it("covers every upstream and plugins rules file", () => {
    expect(new Set(groups.flatMap((g) => g.files)).size).toBeGreaterThanOrEqual(59);
  });

  for (const group of groups) {
    it(`${group.name}: in place changes only tags, twice is once, and the override file agrees`, async () => {
      const dir = join(tmp, group.name.replace(/[^\w.-]+/g, "_"));
      const inPlace = join(dir, "in-place");
      const viaOverride = join(dir, "override");
      mkdirSync(inPlace, { recursive: true });
      mkdirSync(viaOverride, { recursive: true });
      const names = group.files.map((f, i) => `${String(i).padStart(2, "0")}-${basename(f)}`);
      const copies = names.map((n) => join(inPlace, n));
      const plain = names.map((n) => join(viaOverride, n));
      group.files.forEach((f, i) => (copyFileSync(f, copies[i]!), copyFileSync(f, plain[i]!)));

      const first = await run(["tag", ...names, "--add", "env:prod", "--write"], { cwd: inPlace });
      expect(first.stderr).toMatch(/selected rules changed/);
      expect(first.code).toBe(0);

      // Line by line: outside the tags entries the texts are the same.
      for (const [i, f] of group.files.entries()) {
        const before = readFileSync(f, "utf8");
        const after = readFileSync(copies[i]!, "utf8");
        expect(linesOutsideTags(after)).toEqual(linesOutsideTags(before));
        expect(after.includes("\r\n")).toBe(before.includes("\r\n"));
      }

      // Item by item: the same effective ruleset, each rule with env:prod added.
      const original = load(group.files);
      const tagged = load(copies);
      expect(tagged.files.flatMap((f) => f.diagnostics.filter((d) => d.severity === "error"))).toEqual([]);
      const expected = new Map(original.collector.rules.items.map((r) => [r.name, [...new Set([...r.tags, "env:prod"])]]));
      expect(compareEffective(original, tagged, expected)).toEqual([]);
      expect(original.collector.rules.items.length).toBeGreaterThan(0);

      // A second run changes nothing.
      const snapshot = copies.map((c) => readFileSync(c, "utf8"));
      const second = await run(["tag", ...names, "--add", "env:prod", "--write"], { cwd: inPlace });
      expect(second.code).toBe(0);
      expect(second.stderr).toMatch(/^falcokit tag: 0 of \d+ selected rules changed, in 0 files/);
      copies.forEach((c, i) => expect(readFileSync(c, "utf8")).toBe(snapshot[i]));
      const check = await run(["tag", ...names, "--add", "env:prod", "--check"], { cwd: inPlace });
      expect(check.code).toBe(0);

      // The override file: upstream files untouched, the same effective tags as in place.
      const ov = await run(["tag", ...names, "--add", "env:prod", "--override-file", "zz-env.yaml"], { cwd: viaOverride });
      expect(ov.code).toBe(0);
      plain.forEach((p, i) => expect(readFileSync(p, "utf8")).toBe(readFileSync(group.files[i]!, "utf8")));
      const withOverride = loadRules([...plain, join(viaOverride, "zz-env.yaml")].map((f) => ({ name: basename(f), text: readFileSync(f, "utf8") })));
      expect(withOverride.files.flatMap((f) => f.diagnostics.filter((d) => d.severity === "error"))).toEqual([]);
      expect(tagsOf(withOverride)).toEqual(tagsOf(tagged));
      const missing = await run(["tag", ...names, "--add", "env:prod", "--check"], { cwd: viaOverride });
      expect(missing.code).toBe(original.collector.rules.items.some((r) => !r.tags.has("env:prod")) ? 1 : 0);
      const fixed = await run(["tag", ...names, "zz-env.yaml", "--add", "env:prod", "--check"], { cwd: viaOverride });
      expect(fixed.code).toBe(0);
    });
  }
});
