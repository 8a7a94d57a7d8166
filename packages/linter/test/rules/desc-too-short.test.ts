import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { descTooShort } from "../../src/rules/desc-too-short.js";

const rule = (desc: string) => `- rule: R\n  desc: ${desc}\n  condition: evt.type = execve\n  output: o\n  priority: INFO\n`;

it("desc-too-short", () => {
  expect(
    testRule(descTooShort, {
      valid: [
        { name: "four words", files: rule("Detects a shell spawned.") },
        { name: "a lower minimum", files: rule("Shell spawned."), options: { minWords: 2 } },
        { name: "an appended fragment", files: rule("Detects a shell spawned.") + "- rule: R\n  desc: More.\n  override:\n    desc: append\n" },
        { name: "an enable switch", files: rule("Detects a shell spawned.") + "- rule: R\n  enabled: false\n" },
      ],
      invalid: [
        { name: "three words, punctuation not counted", files: rule("Detects a shell -"), errors: [{ messageId: "short", line: 2, column: 9, endLine: 2, endColumn: 26 }] },
        { name: "a higher minimum", files: rule("Detects a shell spawned."), options: { minWords: 8 }, errors: [{ messageId: "short", line: 2, column: 9, endLine: 2, endColumn: 33 }] },
        {
          name: "a replaced desc",
          files: rule("Detects a shell spawned.") + "- rule: R\n  desc: Shell.\n  override:\n    desc: replace\n",
          errors: [{ messageId: "short", line: 7, column: 9, endLine: 7, endColumn: 15 }],
        },
      ],
    }),
  ).toEqual([]);
});
