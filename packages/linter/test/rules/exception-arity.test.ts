import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { exceptionArity } from "../../src/rules/exception-arity.js";

const rule = (exceptions: string) => `- rule: r\n  desc: d\n  condition: evt.type = execve\n  output: o\n  priority: INFO\n  exceptions:\n${exceptions}`;

it("exception-arity", () => {
  expect(
    testRule(exceptionArity, {
      valid: [
        { name: "pairs for two fields", files: rule("    - name: e\n      fields: [proc.name, proc.pname]\n      values:\n        - [bash, sshd]\n        - [sh, cron]\n") },
        { name: "single-field form", files: rule("    - name: e\n      fields: proc.name\n      comps: in\n      values: [bash, sh]\n") },
        { name: "no values", files: rule("    - name: e\n      fields: [proc.name, proc.pname]\n") },
      ],
      invalid: [
        {
          name: "a short and a long tuple",
          files: rule("    - name: e\n      fields: [proc.name, proc.pname]\n      values:\n        - [bash]\n        - [sh, cron]\n        - [sh, cron, x]\n"),
          errors: [
            { messageId: "arity", line: 10, column: 11, endLine: 10, endColumn: 17 },
            { messageId: "arity", line: 12, column: 11, endLine: 12, endColumn: 24 },
          ],
        },
        {
          name: "a scalar instead of a tuple",
          files: rule("    - name: e\n      fields: [proc.name, proc.pname]\n      values: [bash]\n"),
          errors: [{ messageId: "scalar", line: 9, column: 16, endLine: 9, endColumn: 20 }],
        },
      ],
    }),
  ).toEqual([]);
});
