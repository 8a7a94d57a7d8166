import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { expensiveCheckFirst } from "../../src/rules/expensive-check-first.js";

const macro = (condition: string) => `- macro: m\n  condition: ${condition}\n`;

it("expensive-check-first", () => {
  expect(
    testRule(expensiveCheckFirst, {
      valid: [
        { name: "cheap checks first", files: macro("evt.type = open and proc.name = x and fd.name glob /etc/*") },
        { name: "joined by or", files: macro("fd.name glob /etc/* or evt.type = open") },
        { name: "only expensive and other checks", files: macro("proc.cmdline regex 'a.*b' and fd.name startswith /etc/") },
        { name: "the cheap check in a nested or", files: macro("fd.name pmatch (/etc) and (evt.type = open or proc.name = x)") },
      ],
      invalid: [
        {
          name: "a glob before evt.type",
          files: macro("fd.name glob /etc/* and evt.type in (open, openat)"),
          errors: [{ messageId: "order", line: 2, column: 14, endLine: 2, endColumn: 33 }],
        },
        {
          name: "a negated regex and a transformer before an equality",
          files: macro("not proc.cmdline regex 'a.*b' and tolower(proc.name) = bash and proc.pname = sshd"),
          errors: [
            { messageId: "order", line: 2, column: 14, endLine: 2, endColumn: 43 },
            { messageId: "order", line: 2, column: 48, endLine: 2, endColumn: 73 },
          ],
        },
      ],
    }),
  ).toEqual([]);
});
