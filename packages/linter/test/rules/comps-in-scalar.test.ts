import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { compsInScalar } from "../../src/rules/comps-in-scalar.js";

const rule = (values: string, comps = "[=, in]") =>
  `- list: shells\n  items: [bash, sh]\n- rule: r\n  desc: d\n  condition: evt.type = execve\n  output: o\n  priority: INFO\n  exceptions:\n    - name: e\n      fields: [proc.pname, proc.name]\n      comps: ${comps}\n      values:\n${values}`;

it("comps-in-scalar", () => {
  expect(
    testRule(compsInScalar, {
      valid: [
        { name: "a list", files: rule("        - [sshd, [bash, sh]]\n") },
        { name: "a list name", files: rule("        - [sshd, shells]\n") },
        { name: "a parenthesized list", files: rule("        - [sshd, \"(bash, sh)\"]\n") },
        { name: "scalars with =", files: rule("        - [sshd, bash]\n", "[=, =]") },
      ],
      invalid: [
        {
          name: "a single value with in",
          files: rule("        - [sshd, bash]\n"),
          errors: [{ messageId: "scalar", line: 13, column: 18, endLine: 13, endColumn: 22 }],
          output: rule("        - [sshd, [bash]]\n"),
        },
        {
          name: "quoted, with pmatch",
          files: rule("        - [sshd, '/usr/bin']\n", "[=, pmatch]"),
          errors: [{ messageId: "scalar", line: 13, column: 18, endLine: 13, endColumn: 28 }],
          output: rule("        - [sshd, ['/usr/bin']]\n", "[=, pmatch]"),
        },
        {
          name: "a value with a comma is not fixed",
          files: rule("        - [sshd, \"bash, sh\"]\n"),
          errors: [{ messageId: "scalar", line: 13, column: 18, endLine: 13, endColumn: 28 }],
        },
      ],
    }),
  ).toEqual([]);
});
