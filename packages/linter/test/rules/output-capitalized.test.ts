import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { outputCapitalized } from "../../src/rules/output-capitalized.js";

const rule = (output: string) => `- rule: R\n  desc: D.\n  condition: evt.type = execve\n  output: ${output}\n  priority: INFO\n`;

it("output-capitalized", () => {
  expect(
    testRule(outputCapitalized, {
      valid: [
        { name: "capitalised", files: rule("Shell spawned (user=%user.name)") },
        { name: "a leading field", files: rule("%evt.time shell spawned") },
        { name: "a leading key=value pair", files: rule("user=%user.name command=%proc.cmdline") },
        { name: "a leading digit or quote", files: rule("'\"x\" written by 3rd party'") },
        { name: "an appended fragment", files: rule("Shell") + "- rule: R\n  output: and more %proc.name\n  override:\n    output: append\n" },
      ],
      invalid: [
        { name: "lower case", files: rule("rpm database opened | file=%fd.name"), errors: [{ messageId: "capital", line: 4, column: 11, endLine: 4, endColumn: 14 }] },
        {
          name: "folded, leading spaces, replaced by an override",
          files: rule("Shell") + "- rule: R\n  output: >\n    ssh-related file read\n  override:\n    output: replace\n",
          errors: [{ messageId: "capital", line: 8, column: 5, endLine: 8, endColumn: 16 }],
        },
      ],
    }),
  ).toEqual([]);
});
