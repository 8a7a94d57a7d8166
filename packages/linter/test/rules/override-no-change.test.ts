import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { overrideNoChange } from "../../src/rules/override-no-change.js";

const base =
  "- list: l\n  items: [a, b]\n" +
  "- macro: m\n  condition: proc.name in (l)\n" +
  "- rule: R\n  desc: d\n  condition: evt.type = open and m\n  output: o\n  priority: WARNING\n  tags: [x, y]\n";

const files = (b: string) => ({ "a.yaml": base, "b.yaml": b });

it("override-no-change", () => {
  expect(
    testRule(overrideNoChange, {
      valid: [
        { name: "append items", files: files("- list: l\n  items: [c]\n  override:\n    items: append\n") },
        { name: "replace with other items", files: files("- list: l\n  items: [b, a]\n  override:\n    items: replace\n") },
        { name: "replace the condition", files: files("- macro: m\n  condition: proc.name = cat\n  override:\n    condition: replace\n") },
        { name: "replace priority and enabled", files: files("- rule: R\n  priority: ERROR\n  enabled: false\n  override:\n    priority: replace\n    enabled: replace\n") },
        { name: "append tags", files: files("- rule: R\n  tags: [z]\n  override:\n    tags: append\n") },
        {
          name: "replace with the value before an earlier change",
          files: { "a.yaml": base, "b.yaml": "- rule: R\n  enabled: false\n  override:\n    enabled: replace\n", "c.yaml": "- rule: R\n  enabled: true\n  override:\n    enabled: replace\n" },
        },
        { name: "a plain redefinition", files: files("- macro: m\n  condition: proc.name in (l)\n") },
      ],
      invalid: [
        { name: "append an empty list", files: files("- list: l\n  items: []\n  override:\n    items: append\n"), errors: [{ messageId: "appendEmpty", line: 2, column: 10, endLine: 2, endColumn: 12 }] },
        { name: "legacy append of a blank condition", files: files("- macro: m\n  condition: ' '\n  append: true\n"), errors: [{ messageId: "appendEmpty", line: 2, column: 14, endLine: 2, endColumn: 17 }] },
        { name: "append empty tags", files: files("- rule: R\n  tags: []\n  override:\n    tags: append\n"), errors: [{ messageId: "appendEmpty", line: 2, column: 9, endLine: 2, endColumn: 11 }] },
        {
          name: "replace with the same values, layout aside",
          files: files("- rule: R\n  condition: >\n    evt.type = open\n    and m\n  priority: WARNING\n  tags: [y, x]\n  override:\n    condition: replace\n    priority: replace\n    tags: replace\n"),
          errors: [
            { messageId: "replaceSame", line: 2, column: 14, endLine: 5, endColumn: 1 },
            { messageId: "replaceSame", line: 5, column: 13, endLine: 5, endColumn: 20 },
            { messageId: "replaceSame", line: 6, column: 9, endLine: 6, endColumn: 15 },
          ],
        },
        { name: "replace enabled with the default", files: files("- rule: R\n  enabled: true\n  override:\n    enabled: replace\n"), errors: [{ messageId: "replaceSame", line: 2, column: 12, endLine: 2, endColumn: 16 }] },
        {
          name: "replace with the effective value after an append",
          files: { "a.yaml": base, "b.yaml": "- list: l\n  items: [c]\n  override:\n    items: append\n", "c.yaml": "- list: l\n  items: [a, b, c]\n  override:\n    items: replace\n" },
          errors: [{ messageId: "replaceSame", line: 2, column: 10, endLine: 2, endColumn: 19 }],
        },
      ],
    }),
  ).toEqual([]);
});
