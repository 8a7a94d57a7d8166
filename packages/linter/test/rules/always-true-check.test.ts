import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { alwaysTrueCheck } from "../../src/rules/always-true-check.js";

const macro = (condition: string) => `- macro: m\n  condition: ${condition}\n`;

it("always-true-check", () => {
  expect(
    testRule(alwaysTrueCheck, {
      valid: [
        { name: "a real bound", files: macro("evt.num >= 10") },
        { name: "greater than zero", files: macro("evt.num > 0") },
        { name: "a field that can be absent", files: macro("proc.name exists and fd.name exists") },
        { name: "a transformer", files: macro("len(proc.name) >= 0") },
        {
          name: "appended fragment (its stand-in head is not reported)",
          files: "- rule: r\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n- rule: r\n  condition: and proc.name = x\n  append: true\n",
        },
      ],
      invalid: [
        {
          name: "evt.num >= 0 and evt.type exists",
          files: macro("evt.num >= 0 and (evt.type exists or proc.name = x)"),
          errors: [
            { messageId: "unsigned", line: 2, column: 14, endLine: 2, endColumn: 26 },
            { messageId: "exists", line: 2, column: 32, endLine: 2, endColumn: 47 },
          ],
        },
        { name: "evt.num exists, negated", files: macro("not evt.num exists"), errors: [{ messageId: "exists", line: 2, column: 18, endLine: 2, endColumn: 32 }] },
      ],
    }),
  ).toEqual([]);
});
