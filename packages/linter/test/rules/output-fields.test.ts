import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { outputFieldsRule } from "../../src/rules/output-fields.js";

const rule = (output: string, extra = "") => `- rule: R\n  desc: D.\n  condition: evt.type = execve\n  output: ${output}\n  priority: INFO\n${extra}`;
const full = "Shell (evt_type=%evt.type user=%user.name command=%proc.cmdline)";

it("output-fields", () => {
  expect(
    testRule(outputFieldsRule, {
      valid: [
        { name: "all three", files: rule(full) },
        { name: "inside a transformer", files: rule("Shell %evt.type %toupper(user.name) %proc.cmdline") },
        { name: "added by a later append", files: rule("Shell %evt.type %user.name") + "- rule: R\n  output: cmd=%proc.cmdline\n  override:\n    output: append\n" },
        { name: "another source", files: "- rule: R\n  desc: D.\n  condition: ka.verb = create\n  output: k8s %ka.user.name\n  priority: INFO\n  source: k8s_audit\n" },
        { name: "custom fields", files: rule("Shell %proc.name"), options: { fields: ["proc.name"] } },
      ],
      invalid: [
        { name: "two missing", files: rule("Shell %evt.type"), errors: [{ messageId: "missing", line: 4, column: 11, endLine: 4, endColumn: 26 }] },
        { name: "option", files: rule(full), options: { fields: ["evt.type", "container.id"] }, errors: [{ messageId: "missing", line: 4, column: 11, endLine: 4, endColumn: 75 }] },
      ],
    }),
  ).toEqual([]);
});
