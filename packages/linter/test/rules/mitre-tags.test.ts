import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { mitreTags } from "../../src/rules/mitre-tags.js";

const rule = (tags: string) => `- rule: R\n  desc: D.\n  condition: evt.type = execve\n  output: o\n  priority: INFO\n  tags: ${tags}\n`;

it("mitre-tags", () => {
  expect(
    testRule(mitreTags, {
      valid: [
        { name: "tactic and technique", files: rule("[maturity_stable, mitre_execution, T1059]") },
        { name: "sub-technique, two-word tactic", files: rule("[mitre_command_and_control, T1059.004, NIST_800-53_AC-2]") },
      ],
      invalid: [
        { name: "unknown tactic", files: rule("[mitre_remote_service]"), errors: [{ messageId: "tactic", line: 6, column: 10, endLine: 6, endColumn: 30 }] },
        {
          name: "tactic spelling",
          files: rule("[mitre_Privilege-Escalation, host]"),
          errors: [{ messageId: "tacticSpelling", line: 6, column: 10, endLine: 6, endColumn: 36 }],
          output: rule("[mitre_privilege_escalation, host]"),
        },
        {
          name: "lower-case technique",
          files: rule("[mitre_execution, t1059.004]"),
          errors: [{ messageId: "techniqueSpelling", line: 6, column: 27, endLine: 6, endColumn: 36 }],
          output: rule("[mitre_execution, T1059.004]"),
        },
        { name: "malformed technique", files: rule("[T105, T1059.4]"), errors: [{ messageId: "technique", line: 6, column: 10, endLine: 6, endColumn: 14 }, { messageId: "technique", line: 6, column: 16, endLine: 6, endColumn: 23 }] },
      ],
    }),
  ).toEqual([]);
});
