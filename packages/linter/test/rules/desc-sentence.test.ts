import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { descSentence } from "../../src/rules/desc-sentence.js";

const rule = (desc: string) => `- rule: r\n  desc: ${desc}\n  condition: evt.type = execve\n  output: o\n  priority: INFO\n`;

it("desc-sentence", () => {
  expect(
    testRule(descSentence, {
      valid: [{ name: "a sentence", files: rule("Detects a shell.") }, { name: "two sentences, quoted end", files: rule("Detects it. Really (\"x\").") }],
      invalid: [
        { name: "lower case", files: rule("detects a shell."), errors: [{ messageId: "capital", line: 2, column: 9, endLine: 2, endColumn: 25 }] },
        { name: "no period", files: rule("Detects a shell"), errors: [{ messageId: "period", line: 2, column: 9, endLine: 2, endColumn: 24 }] },
      ],
    }),
  ).toEqual([]);
});
