import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { exceptionDuplicateValues } from "../../src/rules/exception-duplicate-values.js";

const rule = (exceptions: string) => `- rule: r\n  desc: d\n  condition: evt.type = execve\n  output: o\n  priority: INFO\n  exceptions:\n${exceptions}`;

it("exception-duplicate-values", () => {
  expect(
    testRule(exceptionDuplicateValues, {
      valid: [
        { name: "distinct tuples", files: rule("    - name: e\n      fields: [proc.name, proc.pname]\n      values:\n        - [bash, sshd]\n        - [sshd, bash]\n") },
        { name: "distinct single values", files: rule("    - name: e\n      fields: proc.name\n      comps: in\n      values: [bash, sh]\n") },
        { name: "same values in two exceptions", files: rule("    - name: e\n      fields: proc.name\n      values: [bash]\n    - name: f\n      fields: proc.name\n      values: [bash]\n") },
      ],
      invalid: [
        {
          name: "block sequence of tuples, decoded (quotes do not matter)",
          files: rule("    - name: e\n      fields: [proc.name, proc.pname]\n      values:\n        - [bash, sshd]   # first\n        - [sh, cron]\n        - ['bash', \"sshd\"]\n      comps: [=, =]\n"),
          errors: [{ messageId: "duplicate", line: 12, column: 11, endLine: 12, endColumn: 27 }],
          output: rule("    - name: e\n      fields: [proc.name, proc.pname]\n      values:\n        - [bash, sshd]   # first\n        - [sh, cron]\n      comps: [=, =]\n"),
        },
        {
          name: "flow sequence of single values",
          files: rule("    - name: e\n      fields: proc.name\n      comps: in\n      values: [bash, sh, bash]\n"),
          errors: [{ messageId: "duplicate", line: 10, column: 26, endLine: 10, endColumn: 30 }],
          output: rule("    - name: e\n      fields: proc.name\n      comps: in\n      values: [bash, sh]\n"),
        },
        {
          name: "flow sequence of tuples",
          files: rule("    - name: e\n      fields: [proc.name, proc.pname]\n      values: [[bash, sshd], [bash, sshd]]\n"),
          errors: [{ messageId: "duplicate", line: 9, column: 30, endLine: 9, endColumn: 42 }],
          output: rule("    - name: e\n      fields: [proc.name, proc.pname]\n      values: [[bash, sshd]]\n"),
        },
      ],
    }),
  ).toEqual([]);
});
