// `falcokit lint --fix` over every upstream and plugins rules file of the corpus, with every
// rule on (strict): the fixed files re-parse, differ from the originals only inside the
// edits, only in the keys the applied fixes are about, and load to the same effective
// ruleset (same rules, event types, priorities, fields read) apart from what a fix means to change.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { TextEdit } from "@falcokit/diagnostics";
import { describeEventNames, loadRules } from "@falcokit/engine";
import { applyEdits, fixAll, lint } from "@falcokit/linter";
import { parseRulesFile, type RulesItem } from "@falcokit/rules-model";
import { corpusGroups as groups } from "./corpus-groups.js";
import { run } from "./harness.js";

const tmp = mkdtempSync(join(tmpdir(), "falcokit-fix-corpus-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The top-level keys each fixable rule may change. */
const FIX_KEYS: Record<string, string[]> = {
  "lint/append-true": ["append", "override"],
  "lint/comps-in-scalar": ["exceptions"],
  "lint/container-info-output": ["output"],
  "lint/duplicate-list-items": ["items"],
  "lint/duplicate-tags": ["tags"],
  "lint/engine-version-semver": ["required_engine_version"],
  "lint/evt-dir-check": ["condition"],
  "lint/exception-duplicate-values": ["exceptions"],
  "lint/icontains-without-letters": ["condition"],
  "lint/in-single-value": ["condition"],
  "lint/mitre-tags": ["tags"],
  "lint/or-chain-to-in": ["condition"],
  "lint/priority-case": ["priority"],
  "lint/startswith-chain-to-anyof": ["condition"],
};

const itemKey = (item: RulesItem) => `${item.kind}:${"name" in item && item.name ? item.name.text : `#${item.index}`}`;

describe("lint --fix on the corpus", () => {
  const all = groups();
  it("covers every upstream and plugins rules file", () => {
    expect(new Set(all.flatMap((g) => g.files)).size).toBeGreaterThanOrEqual(59);
  });

  for (const group of all) {
    it(`${group.name}: fixes change only what they mean to change`, async () => {
      const dir = join(tmp, group.name.replace(/[^\w.-]+/g, "_"));
      mkdirSync(dir, { recursive: true });
      const copies = group.files.map((f, i) => join(dir, `${i}-${basename(f)}`));
      group.files.forEach((f, i) => copyFileSync(f, copies[i]!));
      const config = join(dir, "strict.falcokit.yaml");
      writeFileSync(config, "extends: strict\n");
      const sources = copies.map((f) => ({ name: f, text: readFileSync(f, "utf8") }));
      const options = { config: { extends: "strict" as const } };

      // The CLI writes exactly what the linter's fixAll computes.
      const cli = await run(["lint", "--fix", "--config", config, "--format", "json", ...copies], { cwd: dir });
      expect(cli.stderr).not.toMatch(/TypeError|at .*\.ts:/);
      const fixed = fixAll(sources, options);
      for (const s of sources) expect(readFileSync(s.name, "utf8")).toBe(fixed.texts.get(s.name));

      // Replay the passes: each pass's text is the previous one with that pass's edits, and the
      // edits of a pass come from fixes the linter reported on the previous text.
      const keysByItem = new Map<string, Set<string>>(); // file + item key -> keys fixes may change
      let texts = new Map(sources.map((s) => [s.name, s.text]));
      for (const pass of fixed.passes) {
        const reported = lint([...texts].map(([name, text]) => ({ name, text })), options).diagnostics.filter((d) => d.fix);
        const next = new Map(texts);
        for (const [file, edits] of pass) {
          const text = texts.get(file)!;
          const model = parseRulesFile(text, { fileName: file });
          for (const e of edits) {
            const owner = reported.find((d) => d.file === file && d.fix!.edits.some((x) => x.range.start === e.range.start && x.range.end === e.range.end && x.newText === e.newText));
            expect(owner, `edit ${JSON.stringify(e)} in ${file} comes from a reported fix`).toBeDefined();
            const keys = FIX_KEYS[owner!.code];
            expect(keys, `${owner!.code} has its keys listed here`).toBeDefined();
            // An edit stays inside one item.
            const item = model.items.find((it) => it.range.start <= e.range.start && e.range.end <= it.range.end);
            expect(item, `edit at ${e.range.start} of ${file} lies inside one item`).toBeDefined();
            const k = `${file}\0${itemKey(item!)}`;
            keysByItem.set(k, new Set([...(keysByItem.get(k) ?? []), ...keys!]));
          }
          next.set(file, spliceCheck(text, edits));
        }
        texts = next;
      }
      for (const s of sources) expect(texts.get(s.name)).toBe(fixed.texts.get(s.name));

      // Re-parse: the same items, in the same order; untouched items equal; touched items differ only in the keys of their fixes.
      for (const s of sources) {
        const before = parseRulesFile(s.text, { fileName: s.name });
        const after = parseRulesFile(fixed.texts.get(s.name)!, { fileName: s.name });
        expect(after.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        expect(after.items.map(itemKey)).toEqual(before.items.map(itemKey));
        before.items.forEach((item, i) => {
          const a = item.node.toJSON() as Record<string, unknown>;
          const b = after.items[i]!.node.toJSON() as Record<string, unknown>;
          const allowed = keysByItem.get(`${s.name}\0${itemKey(item)}`) ?? new Set<string>();
          const changed = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]));
          expect(changed.filter((key) => !allowed.has(key)), `${itemKey(item)} in ${s.name}`).toEqual([]);
        });
      }

      // The effective ruleset: the same rules, with the same event types, priority, source,
      // enabled state and fields read (less `evt.dir` where its checks were dropped).
      const load = (ts: Map<string, string>) => loadRules([...ts].map(([name, text]) => ({ name, text })));
      const effective = (ts: Map<string, string>) =>
        new Map(
          (load(ts).compiled?.rules ?? []).map((r) => [
            r.info.name,
            { events: describeEventNames(r.eventSet).join(","), priority: r.info.priority, source: r.info.source, enabled: r.info.enabled, fields: [...new Set(r.conditionFields)].filter((f) => f !== "evt.dir").sort().join(",") },
          ]),
        );
      const was = effective(new Map(sources.map((s) => [s.name, s.text])));
      const now = effective(fixed.texts);
      expect([...now.keys()]).toEqual([...was.keys()]);
      for (const [name, info] of was) expect(now.get(name), name).toEqual(info);
      const errors = (ts: Map<string, string>) => load(ts).files.flatMap((f) => f.diagnostics.filter((d) => d.severity === "error").map((d) => d.code));
      expect(errors(fixed.texts)).toEqual(errors(new Map(sources.map((s) => [s.name, s.text]))));

      // Nothing fixable is left.
      expect(fixed.result.diagnostics.filter((d) => d.fix).map((d) => `${d.code} ${d.message}`)).toEqual([]);
    });
  }
});

/** Applies sorted, non-overlapping edits and checks that the text outside them is unchanged. */
function spliceCheck(text: string, edits: readonly TextEdit[]): string {
  const result = applyEdits(text, edits);
  expect(result.applied).toBe(edits.length);
  let pos = 0;
  let outPos = 0;
  for (const e of edits) {
    const same = text.slice(pos, e.range.start);
    expect(result.text.slice(outPos, outPos + same.length)).toBe(same);
    outPos += same.length + e.newText.length;
    pos = e.range.end;
  }
  expect(result.text.slice(outPos)).toBe(text.slice(pos));
  return result.text;
}
