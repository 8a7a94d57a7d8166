import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { itemNameSnakeCase } from "../../src/rules/item-name-snake-case.js";

it("item-name-snake-case", () => {
  expect(
    testRule(itemNameSnakeCase, {
      valid: [
        { name: "snake_case macro and list", files: "- list: shell_binaries\n  items: [bash]\n- macro: spawned_process2\n  condition: evt.type = execve\n" },
        { name: "an append keeps the name", files: "- list: shell_binaries\n  items: [bash]\n- list: MyList\n  items: [zsh]\n  override:\n    items: append\n" },
        { name: "a macro name Falco rejects is Falco's to report", files: "- macro: my-macro\n  condition: evt.type = execve\n" },
      ],
      invalid: [
        { name: "camelCase macro", files: "- macro: spawnedProcess\n  condition: evt.type = execve\n", errors: [{ messageId: "nameSuggest", line: 1, column: 10, endLine: 1, endColumn: 24 }] },
        { name: "upper case in a list name", files: "- list: Shell_Binaries\n  items: [bash]\n", errors: [{ messageId: "nameSuggest", line: 1, column: 9, endLine: 1, endColumn: 23 }] },
        { name: "dashes in a list name", files: "- list: \"shell-binaries\"\n  items: [bash]\n", errors: [{ messageId: "nameSuggest", line: 1, column: 9, endLine: 1, endColumn: 25 }] },
        { name: "leading underscore", files: "- list: _private\n  items: [bash]\n", errors: [{ messageId: "nameSuggest", line: 1, column: 9, endLine: 1, endColumn: 17 }] },
        { name: "no obvious spelling", files: "- list: \"+++\"\n  items: [bash]\n", errors: [{ messageId: "name", line: 1, column: 9, endLine: 1, endColumn: 14 }] },
      ],
    }),
  ).toEqual([]);
});
