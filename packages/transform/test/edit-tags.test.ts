import type { TextEdit } from "@falcokit/diagnostics";
import { parseRulesFile, type RuleItem, type RulesFile } from "@falcokit/rules-model";
import { describe, expect, it } from "vitest";
import { applyTagEdit, editRuleTags, type TagEdit } from "../src/edit-tags.js";
import { canSingleQuote, doubleQuoted, formatScalar, isPlainSafe } from "../src/yaml-scalar.js";

interface EditSpec {
  add?: string[];
  remove?: string[];
  replace?: Record<string, string>;
}

const tagEdit = (spec: EditSpec): TagEdit => ({
  add: spec.add ?? [],
  remove: spec.remove ?? [],
  replace: new Map(Object.entries(spec.replace ?? {})),
});

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = "";
  let at = 0;
  for (const e of edits) {
    expect(e.range.start).toBeGreaterThanOrEqual(at);
    out += text.slice(at, e.range.start) + e.newText;
    at = e.range.end;
  }
  return out + text.slice(at);
}

const rules = (file: RulesFile) => file.items.filter((i): i is RuleItem => i.kind === "rule");
const tagsOf = (item: RuleItem) => item.tags?.items.map((t) => t.text) ?? [];

/**
 * Edits rule number `which` of `text` and returns the new text, checking on the way what must
 * hold for every edit: the result parses without YAML errors, has the tags applyTagEdit
 * announces, and a second identical edit changes nothing.
 */
function edited(text: string, spec: EditSpec, which = 0): string {
  const edit = tagEdit(spec);
  const file = parseRulesFile(text);
  const item = rules(file)[which]!;
  const out = applyEdits(text, editRuleTags(file, item, edit));
  const again = parseRulesFile(out);
  expect(again.documents.flatMap((d) => d.document.errors)).toEqual([]);
  const after = rules(again)[which]!;
  expect(tagsOf(after)).toEqual(applyTagEdit(tagsOf(item), edit));
  expect(editRuleTags(again, after, edit)).toEqual([]);
  return out;
}

describe("applyTagEdit", () => {
  const apply = (tags: string[], spec: EditSpec) => applyTagEdit(tags, tagEdit(spec));

  it("appends added tags in order, once, when absent", () => {
    expect(apply(["a", "b"], { add: ["c", "a", "d", "c"] })).toEqual(["a", "b", "c", "d"]);
  });

  it("removes every occurrence and leaves untouched duplicates alone", () => {
    expect(apply(["a", "b", "a", "c", "c"], { remove: ["a"] })).toEqual(["b", "c", "c"]);
  });

  it("replaces in place, and drops the entry when the new tag is present elsewhere", () => {
    expect(apply(["a", "b", "c"], { replace: { b: "x" } })).toEqual(["a", "x", "c"]);
    expect(apply(["a", "b", "c"], { replace: { a: "c" } })).toEqual(["b", "c"]);
    expect(apply(["a", "b", "c"], { replace: { c: "a" } })).toEqual(["a", "b"]);
    expect(apply(["a", "b"], { replace: { a: "x", b: "x" } })).toEqual(["x"]);
  });

  it("follows replacement chains and leaves cycles alone, so the result is stable", () => {
    expect(apply(["a", "z"], { replace: { a: "b", b: "c" } })).toEqual(["c", "z"]);
    expect(apply(["a", "b", "t"], { replace: { a: "b", b: "a", t: "a" } })).toEqual(["a", "b"]);
    expect(apply(["a"], { replace: { a: "a" } })).toEqual(["a"]);
  });

  it("never keeps or adds a removed tag", () => {
    expect(apply(["a", "b"], { replace: { a: "x" }, remove: ["x"] })).toEqual(["b"]);
    expect(apply(["a"], { add: ["x", "y"], remove: ["x"] })).toEqual(["a", "y"]);
  });

  it("adds through the replacements", () => {
    expect(apply(["a"], { add: ["old"], replace: { old: "new" } })).toEqual(["a", "new"]);
    expect(apply(["new"], { add: ["old"], replace: { old: "new" } })).toEqual(["new"]);
  });

  it("is idempotent", () => {
    const spec: EditSpec = { add: ["x", "b", "y"], remove: ["y", "c"], replace: { a: "b", b: "q", q: "b" } };
    const once = apply(["a", "b", "c", "q", "a", "d"], spec);
    expect(apply(once, spec)).toEqual(once);
  });
});

describe("flow sequences", () => {
  const rule = (tags: string) => `- rule: r\n  desc: d\n  tags: ${tags}  # the tags\n  priority: WARNING\n`;

  it("appends after the last entry with the list's separator", () => {
    expect(edited(rule("[a, b]"), { add: ["c", "d"] })).toBe(rule("[a, b, c, d]"));
    expect(edited(rule("[a,b]"), { add: ["c"] })).toBe(rule("[a,b,c]"));
    expect(edited(rule("[ a ,  b ]"), { add: ["c"] })).toBe(rule("[ a ,  b ,  c ]"));
    expect(edited(rule("[a, b,]"), { add: ["c"] })).toBe(rule("[a, b, c,]"));
    expect(edited(rule("[a]"), { add: ["c"] })).toBe(rule("[a, c]"));
  });

  it("fills an empty list", () => {
    expect(edited(rule("[]"), { add: ["a", "b"] })).toBe(rule("[a, b]"));
    expect(edited(rule("[  ]"), { add: ["a"] })).toBe(rule("[a]"));
  });

  it("removes entries with one adjacent separator", () => {
    const base = rule("[a, b, c, d]");
    expect(edited(base, { remove: ["a"] })).toBe(rule("[b, c, d]"));
    expect(edited(base, { remove: ["b"] })).toBe(rule("[a, c, d]"));
    expect(edited(base, { remove: ["d"] })).toBe(rule("[a, b, c]"));
    expect(edited(base, { remove: ["a", "b"] })).toBe(rule("[c, d]"));
    expect(edited(base, { remove: ["b", "c"] })).toBe(rule("[a, d]"));
    expect(edited(base, { remove: ["a", "c"] })).toBe(rule("[b, d]"));
    expect(edited(base, { remove: ["c", "d"] })).toBe(rule("[a, b]"));
    expect(edited(rule("[a,b,]"), { remove: ["b"] })).toBe(rule("[a,]"));
    expect(edited(rule("[a,b,]"), { remove: ["a"] })).toBe(rule("[b,]"));
  });

  it("empties the list when every entry goes", () => {
    expect(edited(rule("[a, b]"), { remove: ["a", "b"] })).toBe(rule("[]"));
    expect(edited(rule("[a, b,]"), { remove: ["a", "b"] })).toBe(rule("[]"));
    expect(edited(rule("[a, b,]"), { remove: ["a", "b"], add: ["c", "d"] })).toBe(rule("[c, d,]"));
  });

  it("removes and adds at the end in one edit", () => {
    const text = rule("[a, b]");
    const file = parseRulesFile(text);
    const edits = editRuleTags(file, rules(file)[0]!, tagEdit({ remove: ["b"], add: ["c"] }));
    expect(edits).toHaveLength(1);
    expect(applyEdits(text, edits)).toBe(rule("[a, c]"));
  });

  it("rewrites just the scalar on replacement, keeping its quotes", () => {
    expect(edited(rule(`[a, "b", 'c']`), { replace: { a: "x", b: "y", c: "z" } })).toBe(rule(`[x, "y", 'z']`));
    expect(edited(rule(`['c', d]`), { replace: { c: "it's" } })).toBe(rule(`['it''s', d]`));
    expect(edited(rule(`['c', d]`), { replace: { c: "two\nlines" } })).toBe(rule(`["two\\nlines", d]`));
    expect(edited(rule(`[a, b]`), { replace: { a: "x y" } })).toBe(rule(`[x y, b]`));
    expect(edited(rule(`[a, b]`), { replace: { a: "x,y" } })).toBe(rule(`["x,y", b]`));
  });

  it("removes the old entry when the replacement is already there", () => {
    expect(edited(rule("[a, b, c]"), { replace: { a: "c" } })).toBe(rule("[b, c]"));
    expect(edited(rule("[a, b, c]"), { replace: { c: "a" } })).toBe(rule("[a, b]"));
  });

  it("handles multi-line flow lists", () => {
    const wrapped = "- rule: r\n  tags: [a, b,\n    c]\n  priority: WARNING\n";
    expect(edited(wrapped, { add: ["d"] })).toBe("- rule: r\n  tags: [a, b,\n    c, d]\n  priority: WARNING\n");
    expect(edited(wrapped, { remove: ["c"] })).toBe("- rule: r\n  tags: [a, b]\n  priority: WARNING\n");
    expect(edited(wrapped, { remove: ["b"] })).toBe("- rule: r\n  tags: [a,\n    c]\n  priority: WARNING\n");
    expect(edited(wrapped, { remove: ["a"] })).toBe("- rule: r\n  tags: [b,\n    c]\n  priority: WARNING\n");

    const tall = "- rule: r\n  tags: [\n    a,\n    b\n  ]\n";
    expect(edited(tall, { add: ["c"] })).toBe("- rule: r\n  tags: [\n    a,\n    b,\n    c\n  ]\n");
    expect(edited(tall, { remove: ["a"] })).toBe("- rule: r\n  tags: [\n    b\n  ]\n");
    expect(edited(tall, { remove: ["b"] })).toBe("- rule: r\n  tags: [\n    a\n  ]\n");
    expect(edited(tall, { remove: ["a", "b"] })).toBe("- rule: r\n  tags: []\n");
  });

  it("keeps comments inside multi-line flow lists", () => {
    const text = "- rule: r\n  tags: [a, # first\n    b, # second\n    c]\n";
    expect(edited(text, { add: ["d"] })).toBe("- rule: r\n  tags: [a, # first\n    b, # second\n    c, d]\n");
    expect(edited(text, { replace: { b: "x" } })).toBe("- rule: r\n  tags: [a, # first\n    x, # second\n    c]\n");
    expect(edited(text, { remove: ["c"] })).toBe("- rule: r\n  tags: [a, # first\n    b]\n");
  });

  it("removes anchors and tags written on an entry along with it", () => {
    expect(edited(rule("[x, &an a, !!str b, c]"), { remove: ["a", "b"] })).toBe(rule("[x, c]"));
    expect(edited(rule("[&an a, c]"), { remove: ["a"] })).toBe(rule("[c]"));
    expect(edited(rule("[!!str a, c]"), { replace: { a: "z" } })).toBe(rule("[!!str z, c]"));
  });

  it("leaves entries that are not tags where they are", () => {
    expect(edited(rule("[a, ~, b]"), { remove: ["a", "b"], add: ["c"] })).toBe(rule("[~, c]"));
  });

  it("edits the tags of a rule written as a flow map", () => {
    expect(edited("- {rule: r, tags: [a, b], desc: d}\n", { add: ["c"], remove: ["a"] })).toBe("- {rule: r, tags: [b, c], desc: d}\n");
  });
});

describe("block sequences", () => {
  const text = [
    "- rule: r",
    "  desc: d",
    "  tags:   # the tags",
    "    - a      # first",
    "    # about b",
    "    - b",
    "",
    "    - c # last",
    "  # about priority",
    "  priority: WARNING",
    "",
  ].join("\n");
  const withLines = (...lines: string[]) => ["- rule: r", "  desc: d", ...lines, "  # about priority", "  priority: WARNING", ""].join("\n");

  it("adds lines after the last entry's line, at its indentation", () => {
    expect(edited(text, { add: ["d", "e"] })).toBe(
      withLines("  tags:   # the tags", "    - a      # first", "    # about b", "    - b", "", "    - c # last", "    - d", "    - e"),
    );
  });

  it("removes whole lines, trailing comment included, and keeps comment lines", () => {
    expect(edited(text, { remove: ["a"] })).toBe(withLines("  tags:   # the tags", "    # about b", "    - b", "", "    - c # last"));
    expect(edited(text, { remove: ["c"] })).toBe(withLines("  tags:   # the tags", "    - a      # first", "    # about b", "    - b", ""));
    expect(edited(text, { remove: ["a", "b"] })).toBe(withLines("  tags:   # the tags", "    # about b", "", "    - c # last"));
  });

  it("replaces the scalar and keeps the line", () => {
    expect(edited(text, { replace: { a: "x", c: "true" } })).toBe(
      withLines("  tags:   # the tags", "    - x      # first", "    # about b", "    - b", "", '    - "true" # last'),
    );
  });

  it("removes the entry whose replacement is already present", () => {
    expect(edited(text, { replace: { a: "c" } })).toBe(withLines("  tags:   # the tags", "    # about b", "    - b", "", "    - c # last"));
  });

  it("writes `[]` when every entry goes", () => {
    expect(edited(text, { remove: ["a", "b", "c"] })).toBe(withLines("  tags: []   # the tags", "    # about b", ""));
    expect(edited("- rule: r\n  tags:\n  - a\n  - b\n", { remove: ["a", "b"] })).toBe("- rule: r\n  tags: []\n");
    expect(edited("- rule: r\n  tags: !!seq\n  - a\n", { remove: ["a"] })).toBe("- rule: r\n  tags: !!seq []\n");
  });

  it("replaces every entry by the added ones when all go and some come", () => {
    expect(edited("- rule: r\n  tags:\n    - a\n    - b\n  priority: X\n", { remove: ["a", "b"], add: ["c"] })).toBe(
      "- rule: r\n  tags:\n    - c\n  priority: X\n",
    );
  });

  it("works with entries at the indentation of `tags:`", () => {
    const flush = "- rule: r\n  tags:\n  - a\n  - b\n  priority: X\n";
    expect(edited(flush, { add: ["c"] })).toBe("- rule: r\n  tags:\n  - a\n  - b\n  - c\n  priority: X\n");
    expect(edited(flush, { remove: ["a"] })).toBe("- rule: r\n  tags:\n  - b\n  priority: X\n");
  });

  it("works at deeper indentation", () => {
    const deep = "-     rule: r\n      tags:\n          - a\n      priority: X\n";
    expect(edited(deep, { add: ["b"] })).toBe("-     rule: r\n      tags:\n          - a\n          - b\n      priority: X\n");
  });

  it("adds at the end of a file without a final line break", () => {
    expect(edited("- rule: r\n  tags:\n    - a", { add: ["b"] })).toBe("- rule: r\n  tags:\n    - a\n    - b");
    expect(edited("- rule: r\n  tags:\n    - a # c", { add: ["b"] })).toBe("- rule: r\n  tags:\n    - a # c\n    - b");
  });

  it("removes and replaces multi-line entries", () => {
    const multi = '- rule: r\n  tags:\n    - "one\n      two"\n    - |\n      lit\n    - z\n';
    expect(edited(multi, { remove: ["one two"] })).toBe("- rule: r\n  tags:\n    - |\n      lit\n    - z\n");
    expect(edited(multi, { remove: ["lit\n"] })).toBe('- rule: r\n  tags:\n    - "one\n      two"\n    - z\n');
    expect(edited(multi, { replace: { "lit\n": "x" } })).toBe('- rule: r\n  tags:\n    - "one\n      two"\n    - x\n    - z\n');
  });

  it("keeps anchors in place when replacing", () => {
    expect(edited("- rule: r\n  tags:\n    - &t a\n    - b\n", { replace: { a: "z" } })).toBe("- rule: r\n  tags:\n    - &t z\n    - b\n");
  });
});

describe("empty and missing tags", () => {
  it("fills an empty value with a flow list", () => {
    expect(edited("- rule: r\n  tags:\n  priority: X\n", { add: ["a", "b"] })).toBe("- rule: r\n  tags: [a, b]\n  priority: X\n");
    expect(edited("- rule: r\n  tags:   # none yet\n", { add: ["a"] })).toBe("- rule: r\n  tags: [a]   # none yet\n");
    expect(edited("- rule: r\n  tags: ~\n", { add: ["a"] })).toBe("- rule: r\n  tags: [a]\n");
    expect(edited("- rule: r\n  tags: null # x\n", { add: ["a"] })).toBe("- rule: r\n  tags: [a] # x\n");
    expect(edited("- rule: r\n  tags:", { add: ["a"] })).toBe("- rule: r\n  tags: [a]");
    expect(edited("- {rule: r, tags: }\n", { add: ["a"] })).toBe("- {rule: r, tags: [a] }\n");
    expect(edited("- {rule: r, tags}\n", { add: ["a"] })).toBe("- {rule: r, tags: [a]}\n");
  });

  it("does nothing to an empty value with nothing to add", () => {
    const file = parseRulesFile("- rule: r\n  tags:\n");
    expect(editRuleTags(file, rules(file)[0]!, tagEdit({ remove: ["a"], replace: { b: "c" } }))).toEqual([]);
  });

  it("inserts a flow `tags` entry after the last key, before trailing comments", () => {
    const text = "- rule: r\n  desc: d  # about d\n  # trailing comment\n\n- rule: s\n  desc: e\n";
    expect(edited(text, { add: ["a", "b"] })).toBe("- rule: r\n  desc: d  # about d\n  tags: [a, b]\n  # trailing comment\n\n- rule: s\n  desc: e\n");
    expect(edited(text, { add: ["a"] }, 1)).toBe("- rule: r\n  desc: d  # about d\n  # trailing comment\n\n- rule: s\n  desc: e\n  tags: [a]\n");
  });

  it("inserts after a multi-line last value", () => {
    const scalar = "- rule: r\n  output: >\n    some\n    text\n\n  # note\n- rule: s\n";
    expect(edited(scalar, { add: ["a"] })).toBe("- rule: r\n  output: >\n    some\n    text\n  tags: [a]\n\n  # note\n- rule: s\n");
    const keep = "- rule: r\n  output: |+\n    text\n\n- rule: s\n";
    expect(edited(keep, { add: ["a"] })).toBe("- rule: r\n  output: |+\n    text\n\n  tags: [a]\n- rule: s\n");
    const nested = "- rule: r\n  exceptions:\n    - name: e\n      values:\n        - [x]\n      # end of e\n- rule: s\n";
    expect(edited(nested, { add: ["a"] })).toBe("- rule: r\n  exceptions:\n    - name: e\n      values:\n        - [x]\n  tags: [a]\n      # end of e\n- rule: s\n");
    const literal = "- rule: r\n  output: |\n    # not a comment\n\n    # still text\n- rule: s\n";
    expect(edited(literal, { add: ["a"] })).toBe("- rule: r\n  output: |\n    # not a comment\n\n    # still text\n  tags: [a]\n- rule: s\n");
    const plain = "- rule: r\n  condition: a and\n    b\n";
    expect(edited(plain, { add: ["a"] })).toBe("- rule: r\n  condition: a and\n    b\n  tags: [a]\n");
  });

  it("uses the item's key indentation", () => {
    expect(edited("-   rule: r\n    desc: d\n", { add: ["a"] })).toBe("-   rule: r\n    desc: d\n    tags: [a]\n");
    expect(edited("-\n  rule: r\n", { add: ["a"] })).toBe("-\n  rule: r\n  tags: [a]\n");
    expect(edited("- rule: r", { add: ["a"] })).toBe("- rule: r\n  tags: [a]");
  });

  it("follows the file's dominant style for the new entry", () => {
    const blockFile = (third: string) =>
      `- rule: a\n  tags:\n  - x\n- rule: b\n  tags:\n  - y\n- rule: c\n  tags: [z]\n- rule: d\n  desc: d\n${third}`;
    expect(edited(blockFile(""), { add: ["n1", "n2"] }, 3)).toBe(blockFile("  tags:\n  - n1\n  - n2\n"));
    const indented = "- rule: a\n  tags:\n      - x\n- rule: d\n  desc: d\n";
    expect(edited(indented, { add: ["n1"] }, 1)).toBe("- rule: a\n  tags:\n      - x\n- rule: d\n  desc: d\n  tags:\n      - n1\n");
    const mixed = "- rule: a\n  tags:\n  - x\n- rule: b\n  tags: [y]\n- rule: d\n  desc: d\n";
    expect(edited(mixed, { add: ["n1"] }, 2)).toBe(mixed + "  tags: [n1]\n");
  });

  it("adds `, tags: [...]` to a rule written as a flow map", () => {
    expect(edited("- {rule: r, desc: d}\n", { add: ["a", "b"] })).toBe("- {rule: r, desc: d, tags: [a, b]}\n");
    expect(edited("- {rule: r,desc: d}\n", { add: ["a"] })).toBe("- {rule: r,desc: d,tags: [a]}\n");
    expect(edited("- {rule: r, desc: d,}\n", { add: ["a"] })).toBe("- {rule: r, desc: d, tags: [a],}\n");
    expect(edited("- {\n    rule: r,\n    desc: d\n  }\n", { add: ["a"] })).toBe("- {\n    rule: r,\n    desc: d,\n    tags: [a]\n  }\n");
  });

  it("writes out a list reached through an alias instead of changing the anchored one", () => {
    const text = "- rule: a\n  tags: &common [x, w]\n- rule: b\n  tags: *common\n";
    expect(edited(text, { add: ["z"] }, 1)).toBe("- rule: a\n  tags: &common [x, w]\n- rule: b\n  tags: [x, w, z]\n");
  });

  it("leaves a value that is not a list alone", () => {
    for (const text of ["- rule: r\n  tags: a\n", '- rule: r\n  tags: ""\n', "- rule: r\n  tags: {a: b}\n"]) {
      const file = parseRulesFile(text);
      expect(editRuleTags(file, rules(file)[0]!, tagEdit({ add: ["x"] }))).toEqual([]);
    }
  });

  it("returns no edits when nothing changes", () => {
    const text = "- rule: r\n  tags: [a, b]\n";
    const file = parseRulesFile(text);
    const item = rules(file)[0]!;
    expect(editRuleTags(file, item, tagEdit({ add: ["a"], remove: ["c"], replace: { d: "e" } }))).toEqual([]);
    expect(editRuleTags(file, item, tagEdit({}))).toEqual([]);
  });
});

describe("line endings", () => {
  const crlf = (s: string) => s.replaceAll("\n", "\r\n");

  it("uses CRLF in CRLF files", () => {
    expect(edited(crlf("- rule: r\n  tags:\n    - a\n  priority: X\n"), { add: ["b", "c"] })).toBe(
      crlf("- rule: r\n  tags:\n    - a\n    - b\n    - c\n  priority: X\n"),
    );
    expect(edited(crlf("- rule: r\n  tags:\n    - a\n    - b\n"), { remove: ["a"] })).toBe(crlf("- rule: r\n  tags:\n    - b\n"));
    expect(edited(crlf("- rule: r\n  tags:\n    - a\n"), { remove: ["a"] })).toBe(crlf("- rule: r\n  tags: []\n"));
    expect(edited(crlf("- rule: r\n  desc: d\n  # end\n"), { add: ["a"] })).toBe(crlf("- rule: r\n  desc: d\n  tags: [a]\n  # end\n"));
    expect(edited(crlf("- rule: r\n  tags: [\n    a\n  ]\n"), { add: ["b"] })).toBe(crlf("- rule: r\n  tags: [\n    a,\n    b\n  ]\n"));
    expect(edited("- rule: r\r\n  tags:\r\n  - a", { add: ["b"] })).toBe("- rule: r\r\n  tags:\r\n  - a\r\n  - b");
  });

  it("writes block lists in the file's line ending", () => {
    const text = crlf("- rule: a\n  tags:\n    - x\n- rule: b\n  desc: d\n");
    expect(edited(text, { add: ["w", "z"] }, 1)).toBe(text + crlf("  tags:\n    - w\n    - z\n"));
  });
});

describe("files", () => {
  it("handles a byte order mark", () => {
    expect(edited("\uFEFF- rule: r", { add: ["a"] })).toBe("\uFEFF- rule: r\n  tags: [a]");
  });

  it("handles several documents", () => {
    const text = "- rule: a\n  tags: [x]\n---\n- rule: b\n  tags:\n    - y\n...\n";
    expect(edited(text, { add: ["z"] }, 1)).toBe("- rule: a\n  tags: [x]\n---\n- rule: b\n  tags:\n    - y\n    - z\n...\n");
    expect(edited(text, { add: ["z"] }, 0)).toBe("- rule: a\n  tags: [x, z]\n---\n- rule: b\n  tags:\n    - y\n...\n");
  });

  it("touches only the edited rule's tags", () => {
    const text = "- rule: a\n  tags: [x, y]\n- rule: b\n  tags: [x, y]\n- macro: m\n  condition: x\n";
    expect(edited(text, { remove: ["x"], add: ["z"] }, 1)).toBe("- rule: a\n  tags: [x, y]\n- rule: b\n  tags: [y, z]\n- macro: m\n  condition: x\n");
  });
});

describe("quoting", () => {
  it("writes safe values plain and quotes the others", () => {
    const added = (tag: string, list = "[a]") => {
      const out = edited(`- rule: r\n  tags: ${list}\n`, { add: [tag] });
      return out.slice("- rule: r\n  tags: ".length, -1);
    };
    expect(added("env:prod")).toBe("[a, env:prod]");
    expect(added("cluster:eu-1")).toBe("[a, cluster:eu-1]");
    expect(added("mitre_execution")).toBe("[a, mitre_execution]");
    expect(added("T1059")).toBe("[a, T1059]");
    expect(added("a b")).toBe("[a, a b]");
    for (const tag of ["", " x", "x ", "-x", "?x", ":x", "#x", "&x", "*x", "!x", "|x", ">x", "'x", '"x', "%x", "@x", "`x"]) {
      expect(added(tag)).toBe(`[a, ${JSON.stringify(tag)}]`);
    }
    for (const tag of ["a: b", "a #b", "x,y", "x[y", "x]y", "x{y", "x}y", "x?y", "x:", "true", "False", "null", "~", "yes", "No", "on", "OFF", "1.0", "0x1F", "12", ".5", "-1", "+1", ".inf", "1:30", "2024-01-01"]) {
      expect(added(tag)).toBe(`[a, ${JSON.stringify(tag)}]`);
    }
    expect(added('say "hi"')).toBe('[a, say "hi"]');
    expect(added("tab\there")).toBe('[a, "tab\\there"]');
    expect(added("back\\slash")).toBe("[a, back\\slash]");
    expect(added("\u0007bell")).toBe('[a, "\\x07bell"]');
  });

  it("allows flow indicators in block lists but not in flow lists", () => {
    const block = edited("- rule: r\n  tags:\n    - a\n", { add: ["x,y", "x?y", "x[y]"] });
    expect(block).toBe("- rule: r\n  tags:\n    - a\n    - x,y\n    - x?y\n    - x[y]\n");
  });

  it("follows the quotes of a quoted list", () => {
    expect(edited(`- rule: r\n  tags: ["a", "b"]\n`, { add: ["c"] })).toBe(`- rule: r\n  tags: ["a", "b", "c"]\n`);
    expect(edited(`- rule: r\n  tags: ['a', 'b', c]\n`, { add: ["c d", "it's"] })).toBe(`- rule: r\n  tags: ['a', 'b', c, 'c d', 'it''s']\n`);
    expect(edited(`- rule: r\n  tags: ['a', b, c]\n`, { add: ["d", "true"] })).toBe(`- rule: r\n  tags: ['a', b, c, d, 'true']\n`);
    expect(edited(`- rule: r\n  tags:\n    - 'a'\n`, { add: ["new\nline"] })).toBe(`- rule: r\n  tags:\n    - 'a'\n    - "new\\nline"\n`);
  });

  it("keeps a replaced entry's quote style when the value allows it", () => {
    expect(edited(`- rule: r\n  tags: ['a', "b", c]\n`, { replace: { a: "x", b: "y", c: "z" } })).toBe(`- rule: r\n  tags: ['x', "y", z]\n`);
    expect(edited(`- rule: r\n  tags: ['a', c]\n`, { replace: { c: "yes" } })).toBe(`- rule: r\n  tags: ['a', 'yes']\n`);
    expect(edited(`- rule: r\n  tags: ['a\t']\n`, { replace: { "a\t": "b\u0001" } })).toBe(`- rule: r\n  tags: ["b\\x01"]\n`);
  });
});

describe("yaml-scalar", () => {
  // Read back with the rules model, which reads scalars as yaml-cpp does (every value a string).
  const readBack = (written: string, context: "flow" | "block") => {
    const text = context === "flow" ? `- rule: r\n  tags: [${written}]\n` : `- rule: r\n  tags:\n    - ${written}\n`;
    const file = parseRulesFile(text);
    expect(file.documents.flatMap((d) => d.document.errors)).toEqual([]);
    return tagsOf(rules(file)[0]!);
  };
  const samples = [
    "plain",
    "env:prod",
    "a:b:c",
    "x-y_z.w/v",
    "with space",
    "it's",
    'say "hi"',
    "back\\slash",
    "trailing:",
    "a: b",
    "a #b",
    "a#b",
    "x,y",
    "[x]",
    "{x}",
    "x?y",
    "?",
    "-",
    "- x",
    "...",
    "---",
    "",
    " ",
    "\t",
    "line\nbreak",
    "cr\rlf",
    "\u0000nul",
    "\u0085nel",
    "\u2028sep",
    "\uFEFFbom",
    "é unicode ✓",
    "emoji 😀",
    "true",
    "no",
    "~",
    "1e3",
  ];

  for (const context of ["flow", "block"] as const) {
    for (const style of ["plain", "single", "double"] as const) {
      it(`round-trips every sample written ${style} in ${context} context`, () => {
        for (const value of samples) expect(readBack(formatScalar(value, context, style), context), JSON.stringify(value)).toEqual([value]);
      });
    }
  }

  it("classifies plain-safe values", () => {
    expect(isPlainSafe("env:prod", "flow")).toBe(true);
    expect(isPlainSafe("x?y", "flow")).toBe(false);
    expect(isPlainSafe("x?y", "block")).toBe(true);
    expect(isPlainSafe("1password", "block")).toBe(false);
    expect(canSingleQuote("a\nb")).toBe(false);
    expect(canSingleQuote("a\tb")).toBe(true);
    expect(doubleQuoted('a"\\\n\u2028')).toBe('"a\\"\\\\\\n\\u2028"');
  });
});
