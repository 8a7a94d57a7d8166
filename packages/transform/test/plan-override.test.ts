import { describe, expect, it } from "vitest";
import { loadRules } from "@falcokit/engine";
import { checkOverrideFile, generateOverrideFile, styleForEngine, styleForFalco } from "../src/override.js";
import { planTagEdits, tagSources } from "../src/plan.js";
import { selectRules } from "../src/select.js";

const apply = (text: string, edits: readonly { range: { start: number; end: number }; newText: string }[]) => {
  let out = "";
  let pos = 0;
  for (const e of edits) (out += text.slice(pos, e.range.start) + e.newText), (pos = e.range.end);
  return out + text.slice(pos);
};
const rule = (name: string, tags?: string) => `- rule: ${name}\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n${tags !== undefined ? `  tags: ${tags}\n` : ""}`;

const FILES = [
  { name: "a.yaml", text: rule("A", "[x, y]") + rule("B", "[x]") + rule("C", "[old]") + rule('"Odd: name #1"', "['needs: quotes']") },
  { name: "b.yaml", text: "- rule: A\n  tags: [z]\n  override:\n    tags: append\n" + rule("B", "[redefined]") + "- rule: C\n  tags: [fresh]\n  override:\n    tags: replace\n- rule: C\n  tags: [extra]\n  override:\n    tags: append\n" },
];
const load = loadRules(FILES);
const edit = (add: string[], remove: string[] = [], replace: [string, string][] = []) => ({ add, remove, replace: new Map(replace) });

describe("planTagEdits", () => {
  it("finds where a rule's tags come from: the last definition or replace, then the appends", () => {
    const refs = Object.fromEntries(selectRules(load, {}).map((r) => [r.name, tagSources(r)]));
    expect(refs.A).toEqual([{ file: "a.yaml", line: 1 }, { file: "b.yaml", line: 1 }]);
    expect(refs.B).toEqual([{ file: "b.yaml", line: 5 }]); // the redefinition resets the tags
    expect(refs.C).toEqual([{ file: "b.yaml", line: 11 }, { file: "b.yaml", line: 15 }]);
  });

  it("adds to the base item, removes and renames everywhere, and the result loads with exactly those tags", () => {
    const plan = planTagEdits(load, selectRules(load, {}), edit(["env:prod"], ["x", "extra"], [["fresh", "renewed"]]));
    const texts = FILES.map((f) => ({ name: f.name, text: apply(f.text, plan.edits.get(f.name) ?? []) }));
    const after = loadRules(texts);
    expect(after.files.flatMap((f) => f.diagnostics.filter((d) => d.severity === "error"))).toEqual([]);
    const tags = Object.fromEntries(after.collector.rules.items.map((r) => [r.name, [...r.tags].sort()]));
    expect(tags).toEqual({ A: ["env:prod", "y", "z"], B: ["env:prod", "redefined"], C: ["env:prod", "renewed"], "Odd: name #1": ["env:prod", "needs: quotes"] });
    for (const r of plan.rules) expect([...r.after].sort()).toEqual(tags[r.name]);
    // The text of B's first definition in a.yaml is not touched: its tags no longer count.
    expect(texts[0]!.text).toContain(rule("B", "[x]"));
  });
});

describe("override files", () => {
  it("picks override for Falco 0.37+ and engine 0.31.0+, whole redefinitions before", () => {
    expect(styleForFalco("0.37.0")).toBe("override");
    expect(styleForFalco("0.36.2")).toBe("redefine");
    expect(styleForFalco("1.0.0")).toBe("override");
    expect(styleForFalco("x")).toBeUndefined();
    expect(styleForEngine(undefined)).toBe("override");
    expect(styleForEngine({ major: 0, minor: 26, patch: 0 })).toBe("redefine");
    expect(styleForEngine({ major: 0, minor: 31, patch: 0 })).toBe("override");
  });

  for (const style of ["override", "redefine"] as const) {
    it(`${style}: loads after the files, with names and tags that need quoting`, () => {
      const plan = planTagEdits(load, selectRules(load, {}), edit(["env:prod", "team: a", "yes"], ["y"]));
      const file = generateOverrideFile(plan, load, style, ["header"]);
      expect(file.rules).toBe(4);
      expect(file.text.startsWith("# header\n\n- rule: A\n")).toBe(true);
      const expected = new Map(plan.rules.map((r) => [r.name, r.after]));
      const check = checkOverrideFile(FILES, load, { name: "zz.yaml", text: file.text }, expected);
      expect(check.load.files.flatMap((f) => f.diagnostics.filter((d) => d.severity === "error"))).toEqual([]);
      expect(check.mismatches).toEqual([]);
      expect(check.load.collector.rules.get("A")!.tags.has("yes")).toBe(true);
      // Nothing to change: no items.
      const done = planTagEdits(check.load, selectRules(check.load, {}), edit(["env:prod"]));
      expect(generateOverrideFile(done, check.load, style).rules).toBe(0);
    });
  }

  it("a mismatch is reported, not hidden", () => {
    const plan = planTagEdits(load, selectRules(load, { names: ["A"] }), edit(["env:prod"]));
    const file = generateOverrideFile(plan, load, "override");
    const check = checkOverrideFile(FILES, load, { name: "zz.yaml", text: file.text.replace("env:prod", "env:dev") }, new Map(plan.rules.map((r) => [r.name, r.after])));
    expect(check.mismatches).toEqual([{ rule: "A", what: "tags", expected: "env:prod, x, y, z", actual: "env:dev, x, y, z" }]);
  });
});
