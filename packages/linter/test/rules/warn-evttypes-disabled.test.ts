import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { warnEvttypesDisabled } from "../../src/rules/warn-evttypes-disabled.js";

const rule = (extra: string) => `- rule: R\n  desc: D.\n  condition: evt.type = execve\n  output: o\n  priority: INFO\n${extra}`;

it("warn-evttypes-disabled", () => {
  expect(
    testRule(warnEvttypesDisabled, {
      valid: [{ name: "not set", files: rule("") }, { name: "true", files: rule("  warn_evttypes: true\n") }],
      invalid: [
        { name: "false", files: rule("  warn_evttypes: false\n"), errors: [{ messageId: "disabled", line: 6, column: 18, endLine: 6, endColumn: 23 }] },
        {
          name: "in a later item that overrides the rule",
          files: rule("") + "- rule: R\n  enabled: true\n  warn_evttypes: false\n",
          errors: [{ messageId: "disabled", line: 8, column: 18, endLine: 8, endColumn: 23 }],
        },
      ],
    }),
  ).toEqual([]);
});
