import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { ruleNamesDifferByCase } from "../../src/rules/rule-names-differ-by-case.js";

const rule = (name: string, condition = "evt.type = execve") => `- rule: ${name}\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n`;

it("rule-names-differ-by-case", () => {
  expect(
    testRule(ruleNamesDifferByCase, {
      valid: [
        { name: "different names", files: rule("Shell in container") + rule("Shell in host", "evt.type = open") },
        {
          name: "the same name overridden",
          files: { "a.yaml": rule("Shell in container"), "b.yaml": "- rule: Shell in container\n  enabled: false\n  override:\n    enabled: replace\n" },
        },
      ],
      invalid: [
        {
          name: "letter case, in a later file; reported once",
          files: {
            "a.yaml": rule("Terminal shell in container"),
            "b.yaml": rule("Terminal Shell in Container", "evt.type = open") + rule("Terminal Shell in Container", "evt.type = openat"),
          },
          errors: [{ messageId: "differ", file: "b.yaml", line: 1, column: 9, endLine: 1, endColumn: 36 }],
        },
        {
          name: "internal and surrounding whitespace",
          files: rule("Shell in container") + rule("'Shell  in container '", "evt.type = open"),
          errors: [{ messageId: "differ", line: 6, column: 9, endLine: 6, endColumn: 31 }],
        },
      ],
    }),
  ).toEqual([]);
});
