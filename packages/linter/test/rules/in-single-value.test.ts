import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { inSingleValue } from "../../src/rules/in-single-value.js";

const macro = (condition: string) => `- macro: m\n  condition: ${condition}\n`;

it("in-single-value", () => {
  expect(
    testRule(inSingleValue, {
      valid: [
        { name: "several values", files: macro("proc.name in (bash, sh)") },
        { name: "a list name in parentheses", files: "- list: shells\n  items: [bash]\n" + macro("proc.name in (shells)") },
        { name: "a list name without parentheses", files: "- list: shells\n  items: [bash]\n" + macro("proc.name in shells") },
        { name: "intersects", files: macro("proc.name intersects (bash)") },
        { name: "pmatch", files: macro("fd.name pmatch (/etc)") },
        { name: "a field the catalog does not know", files: macro("ka.verb in (create)") },
        { name: "already =", files: macro("proc.name = bash") },
      ],
      invalid: [
        {
          name: "one value",
          files: macro("evt.type = execve and proc.name in (bash)"),
          errors: [{ messageId: "single", line: 2, column: 36, endLine: 2, endColumn: 55 }],
          output: macro("evt.type = execve and proc.name = bash"),
        },
        {
          name: "quoted value, spaces inside the parentheses",
          files: macro('fd.name in ( "/etc/my file" ) or fd.name in(/tmp)'),
          errors: [
            { messageId: "single", line: 2, column: 14, endLine: 2, endColumn: 43 },
            { messageId: "single", line: 2, column: 47, endLine: 2, endColumn: 63 },
          ],
          output: macro('fd.name = "/etc/my file" or fd.name = /tmp'),
        },
        {
          name: "inside a double-quoted scalar",
          files: macro('"proc.name in (bash)"'),
          errors: [{ messageId: "single", line: 2, column: 15, endLine: 2, endColumn: 34 }],
          output: macro('"proc.name = bash"'),
        },
        {
          name: "in a rule, with not",
          files: "- rule: R\n  desc: D.\n  condition: evt.type = execve and not proc.pname in (runc)\n  output: o\n  priority: INFO\n",
          errors: [{ messageId: "single", line: 3, column: 40, endLine: 3, endColumn: 60 }],
          output: "- rule: R\n  desc: D.\n  condition: evt.type = execve and not proc.pname = runc\n  output: o\n  priority: INFO\n",
        },
      ],
    }),
  ).toEqual([]);
});
