import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { priorityCase } from "../../src/rules/priority-case.js";

const rule = (priority: string) => `- rule: R\n  desc: D.\n  condition: evt.type = execve\n  output: o\n  priority: ${priority}\n`;

it("priority-case", () => {
  expect(
    testRule(priorityCase, {
      valid: [{ name: "WARNING", files: rule("WARNING") }, { name: "INFO", files: rule("INFO") }, { name: "INFORMATIONAL, quoted", files: rule('"INFORMATIONAL"') }],
      invalid: [
        { name: "lower case", files: rule("warning"), errors: [{ messageId: "case", line: 5, column: 13, endLine: 5, endColumn: 20 }], output: rule("WARNING") },
        { name: "capitalised, quoted", files: rule("'Notice'"), errors: [{ messageId: "case", line: 5, column: 14, endLine: 5, endColumn: 20 }], output: rule("'NOTICE'") },
        { name: "abbreviation Falco rejects", files: rule("WARN"), errors: [{ messageId: "abbreviation", line: 5, column: 13, endLine: 5, endColumn: 17 }], output: rule("WARNING") },
      ],
    }),
  ).toEqual([]);
});
