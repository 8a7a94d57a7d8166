import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { listNameUsedBeforeDefinition } from "../../src/rules/list-name-used-before-definition.js";

it("list-name-used-before-definition", () => {
  expect(
    testRule(listNameUsedBeforeDefinition, {
      valid: [
        { name: "list defined earlier", files: "- list: shells\n  items: [bash, sh]\n- list: binaries\n  items: [shells, ls]\n" },
        { name: "an item naming no list", files: "- list: binaries\n  items: [shells, ls]\n" },
        {
          name: "the referencing list is appended after the definition",
          files: {
            "a.yaml": "- list: binaries\n  items: [ls]\n- list: shells\n  items: [bash, sh]\n",
            "b.yaml": "- list: binaries\n  items: [shells]\n  override:\n    items: append\n",
          },
        },
      ],
      invalid: [
        {
          name: "list defined later in the same file",
          files: "- list: binaries\n  items: [shells, ls]\n- list: shells\n  items: [bash, sh]\n",
          errors: [{ messageId: "later", line: 2, column: 11, endLine: 2, endColumn: 17 }],
        },
        {
          name: "list defined in a later file",
          files: {
            "a.yaml": "- list: binaries\n  items:\n    - ls\n    - shells\n",
            "b.yaml": "- list: shells\n  items: [bash, sh]\n",
          },
          errors: [{ messageId: "later", file: "a.yaml", line: 4, column: 7, endLine: 4, endColumn: 13 }],
        },
      ],
    }),
  ).toEqual([]);
});
