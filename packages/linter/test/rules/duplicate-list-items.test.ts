import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { duplicateListItems } from "../../src/rules/duplicate-list-items.js";

it("duplicate-list-items", () => {
  expect(
    testRule(duplicateListItems, {
      valid: [{ name: "distinct items", files: "- list: l\n  items: [a, b, c]\n" }],
      invalid: [
        {
          name: "flow sequence",
          files: "- list: l\n  items: [a, b, a, c]\n",
          errors: [{ messageId: "duplicate", line: 2, column: 17, endLine: 2, endColumn: 18 }],
          output: "- list: l\n  items: [a, b, c]\n",
        },
        {
          name: "block sequence, comments kept",
          files: "- list: l\n  items:\n    - a   # first\n    - b\n    - a\n  # end\n",
          errors: [{ messageId: "duplicate", line: 5, column: 7, endLine: 5, endColumn: 8 }],
          output: "- list: l\n  items:\n    - a   # first\n    - b\n  # end\n",
        },
      ],
    }),
  ).toEqual([]);
});
