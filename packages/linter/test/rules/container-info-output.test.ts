import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { containerInfoOutput } from "../../src/rules/container-info-output.js";

const rule = (output: string) => `- rule: R\n  desc: D.\n  condition: evt.type = execve\n  output: ${output}\n  priority: INFO\n`;

it("container-info-output", () => {
  expect(
    testRule(containerInfoOutput, {
      valid: [
        { name: "container fields", files: rule("shell %proc.cmdline %container.id %container.name") },
        { name: "no output", files: "- rule: R\n  condition: and proc.tty != 0\n  override:\n    condition: append\n" },
      ],
      invalid: [
        {
          name: "plain, the following space goes",
          files: rule("shell %container.info %proc.cmdline"),
          errors: [{ messageId: "deprecated", line: 4, column: 17, endLine: 4, endColumn: 32 }],
          output: rule("shell %proc.cmdline"),
        },
        {
          name: "plain, at the end: the preceding space goes",
          files: rule("shell %proc.cmdline %container.info"),
          errors: [{ messageId: "deprecated", line: 4, column: 31, endLine: 4, endColumn: 46 }],
          output: rule("shell %proc.cmdline"),
        },
        {
          name: "literal block",
          files: rule("|\n    shell\n    %container.info (user=%user.name)"),
          errors: [{ messageId: "deprecated", line: 6, column: 5, endLine: 6, endColumn: 20 }],
          output: rule("|\n    shell\n    (user=%user.name)"),
        },
        {
          name: "plain over two lines: the token's line goes",
          files: rule("shell %proc.cmdline\n    %container.info"),
          errors: [{ messageId: "deprecated", line: 5, column: 5, endLine: 5, endColumn: 20 }],
          output: rule("shell %proc.cmdline"),
        },
        { name: "double-quoted: no fix", files: rule('"shell %container.info %proc.cmdline"'), errors: [{ messageId: "deprecated", line: 4, column: 18, endLine: 4, endColumn: 33 }] },
        { name: "the whole output: no fix", files: rule("'%container.info'"), errors: [{ messageId: "deprecated", line: 4, column: 12, endLine: 4, endColumn: 27 }] },
      ],
    }),
  ).toEqual([]);
});
