import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { icontainsWithoutLetters } from "../../src/rules/icontains-without-letters.js";

const macro = (condition: string) => `- macro: m\n  condition: ${condition}\n`;

it("icontains-without-letters", () => {
  expect(
    testRule(icontainsWithoutLetters, {
      valid: [
        { name: "a value with letters", files: macro("proc.env icontains HTTP_PROXY") },
        { name: "iglob with letters", files: macro("fd.name iglob /tmp/*.SH") },
        { name: "already contains", files: macro("proc.cmdline contains 127.0.0.1") },
        { name: "non-ASCII value", files: macro('proc.cmdline icontains "é1"') },
        { name: "a list value", files: macro("proc.name in (123, 456)") },
      ],
      invalid: [
        {
          name: "icontains digits",
          files: macro("evt.type = execve and proc.cmdline icontains 127.0.0.1"),
          errors: [{ messageId: "noLetters", line: 2, column: 36, endLine: 2, endColumn: 68 }],
          output: macro("evt.type = execve and proc.cmdline contains 127.0.0.1"),
        },
        {
          name: "iglob of symbols, quoted, in a rule",
          files: "- rule: R\n  desc: D.\n  condition: evt.type = open and fd.name iglob \"/*/[0-9]*\"\n  output: o\n  priority: INFO\n",
          errors: [{ messageId: "noLetters", line: 3, column: 34, endLine: 3, endColumn: 59 }],
          output: "- rule: R\n  desc: D.\n  condition: evt.type = open and fd.name glob \"/*/[0-9]*\"\n  output: o\n  priority: INFO\n",
        },
      ],
    }),
  ).toEqual([]);
});
