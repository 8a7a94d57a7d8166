import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { macroRedefined } from "../../src/rules/macro-redefined.js";

it("macro-redefined", () => {
  expect(
    testRule(macroRedefined, {
      valid: [
        { name: "one definition", files: "- macro: m\n  condition: proc.name = cat\n" },
        { name: "identical redefinition, layout aside", files: { "a.yaml": "- macro: m\n  condition: proc.name = cat and fd.num = 1\n", "b.yaml": "- macro: m\n  condition: >\n    (proc.name = cat)\n    and fd.num = 1\n" } },
        { name: "same list items in another order", files: { "a.yaml": "- list: l\n  items: [a, b]\n", "b.yaml": "- list: l\n  items: [b, a, a]\n" } },
        { name: "append", files: { "a.yaml": "- macro: m\n  condition: proc.name = cat\n", "b.yaml": "- macro: m\n  condition: or proc.name = tac\n  override:\n    condition: append\n" } },
        { name: "override replace", files: { "a.yaml": "- list: l\n  items: [a]\n", "b.yaml": "- list: l\n  items: [b]\n  override:\n    items: replace\n" } },
        { name: "legacy append", files: { "a.yaml": "- list: l\n  items: [a]\n", "b.yaml": "- list: l\n  items: [b]\n  append: true\n" } },
        { name: "a macro and a list of one name", files: { "a.yaml": "- list: x\n  items: [a]\n", "b.yaml": "- macro: x\n  condition: proc.name = a\n" } },
      ],
      invalid: [
        {
          name: "macro redefined in a later file",
          files: { "a.yaml": "- macro: user_known_x\n  condition: never_true\n", "b.yaml": "# site\n- macro: user_known_x\n  condition: proc.name = cat\n" },
          errors: [{ messageId: "redefined", line: 2, column: 10, endLine: 2, endColumn: 22 }],
        },
        {
          name: "list redefined, then again",
          files: { "a.yaml": "- list: l\n  items: [a]\n", "b.yaml": "- list: l\n  items: [b]\n", "c.yaml": "- list: l\n  items: []\n" },
          errors: [
            { messageId: "redefined", file: "b.yaml", line: 1, column: 9, endLine: 1, endColumn: 10 },
            { messageId: "redefined", file: "c.yaml", line: 1, column: 9, endLine: 1, endColumn: 10 },
          ],
        },
      ],
    }),
  ).toEqual([]);
});
