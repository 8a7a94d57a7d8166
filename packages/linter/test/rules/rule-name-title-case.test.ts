import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { ruleNameTitleCase } from "../../src/rules/rule-name-title-case.js";

const rule = (name: string) => `- rule: ${name}\n  desc: D.\n  condition: evt.type = execve\n  output: o\n  priority: INFO\n`;

it("rule-name-title-case", () => {
  expect(
    testRule(ruleNameTitleCase, {
      valid: [
        { name: "capitalised (upstream's rule)", files: rule("Read sensitive file untrusted") },
        { name: "title case with small words", files: rule("Search Private Keys or Passwords in a File"), options: { style: "title" } },
        { name: "symbols, acronyms and allowed words", files: rule("Execution from /dev/shm via kubectl (CVE-2021-4034) PTRACE"), options: { style: "title", allow: ["kubectl"] } },
        { name: "an override of another's rule", files: rule("Shell") + "- rule: shell\n  enabled: false\n" },
      ],
      invalid: [
        { name: "lower-case start", files: rule("read sensitive file"), errors: [{ messageId: "capital", line: 1, column: 9, endLine: 1, endColumn: 28 }] },
        {
          name: "title style",
          files: rule("Read sensitive File by Shell"),
          options: { style: "title" },
          errors: [{ messageId: "word", line: 1, column: 14, endLine: 1, endColumn: 23 }],
        },
      ],
    }),
  ).toEqual([]);
});
