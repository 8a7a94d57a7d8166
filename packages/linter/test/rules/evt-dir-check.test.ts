import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { evtDirCheck } from "../../src/rules/evt-dir-check.js";

const rule = (condition: string) => `- rule: R\n  desc: D.\n  condition: ${condition}\n  output: o\n  priority: INFO\n`;

it("evt-dir-check", () => {
  expect(
    testRule(evtDirCheck, {
      valid: [{ name: "no evt.dir", files: rule("evt.type = execve and proc.name = sh") }],
      invalid: [
        {
          name: "trailing conjunct",
          files: rule("evt.type = execve and evt.dir = <"),
          errors: [{ messageId: "alwaysTrue", line: 3, column: 36, endLine: 3, endColumn: 47 }],
          output: rule("evt.type = execve"),
        },
        {
          name: "leading conjunct, in a macro",
          files: "- macro: m\n  condition: evt.dir=< and evt.type in (open, openat)\n",
          errors: [{ messageId: "alwaysTrue", line: 2, column: 14, endLine: 2, endColumn: 23 }],
          output: "- macro: m\n  condition: evt.type in (open, openat)\n",
        },
        {
          name: "inside parentheses, across lines",
          files: "- macro: m\n  condition: >\n    (evt.type = execve and\n     evt.dir = <) or proc.name = sh\n",
          errors: [{ messageId: "alwaysTrue", line: 4, column: 6, endLine: 4, endColumn: 17 }],
          output: "- macro: m\n  condition: >\n    (evt.type = execve) or proc.name = sh\n",
        },
        { name: "always false", files: rule("evt.type = execve and evt.dir = >"), errors: [{ messageId: "alwaysFalse", line: 3, column: 36, endLine: 3, endColumn: 47 }] },
        { name: "the whole condition: no fix", files: "- macro: m\n  condition: evt.dir = <\n", errors: [{ messageId: "alwaysTrue", line: 2, column: 14, endLine: 2, endColumn: 25 }] },
        { name: "another check", files: "- macro: m\n  condition: evt.dir exists\n", errors: [{ messageId: "check", line: 2, column: 14, endLine: 2, endColumn: 28 }] },
      ],
    }),
  ).toEqual([]);
});
