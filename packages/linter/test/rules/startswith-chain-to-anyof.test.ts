import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { startswithChainToAnyof } from "../../src/rules/startswith-chain-to-anyof.js";

const macro = (condition: string) => `- macro: m\n  condition: ${condition}\n`;

it("startswith-chain-to-anyof", () => {
  expect(
    testRule(startswithChainToAnyof, {
      valid: [
        { name: "one check", files: macro("fd.name startswith /etc/") },
        { name: "different fields", files: macro("fd.name startswith /etc/ or fd.directory startswith /usr/") },
        { name: "mixed operators", files: macro("fd.name startswith /etc/ or fd.name endswith .conf") },
        { name: "other operands in the or", files: macro("fd.name startswith /etc/ or fd.name startswith /usr/ or proc.name = x") },
        { name: "joined by and", files: macro("fd.name startswith /etc/ and fd.name startswith /etc/ssh/") },
        { name: "with a transformer", files: macro("tolower(fd.name) startswith /etc/ or tolower(fd.name) startswith /usr/") },
        { name: "a list name as value", files: "- list: dirs\n  items: [/etc/]\n" + macro("fd.name startswith dirs or fd.name startswith /usr/") },
      ],
      invalid: [
        {
          name: "startswith, nested",
          files: macro('evt.type = open and (fd.name startswith /etc/ or fd.name startswith "/usr/lib" or fd.name startswith /var/)'),
          errors: [{ messageId: "chain", line: 2, column: 35, endLine: 2, endColumn: 120 }],
          output: macro('evt.type = open and (fd.name startswith anyof (/etc/, "/usr/lib", /var/))'),
        },
        {
          name: "endswith, in a block scalar",
          files: "- macro: m\n  condition: >\n    fd.name endswith .pem or\n    fd.name endswith .key\n",
          errors: [{ messageId: "chain", line: 3, column: 5, endLine: 4, endColumn: 26 }],
          output: "- macro: m\n  condition: >\n    fd.name endswith anyof (.pem, .key)\n",
        },
        {
          name: "a double-quoted scalar whose new text would need escaping: reported, not fixed",
          files: macro('"fd.name startswith \\"/a b\\" or fd.name startswith /c"'),
          errors: [{ messageId: "chain", line: 2, column: 15, endLine: 2, endColumn: 67 }],
        },
      ],
    }),
  ).toEqual([]);
});
