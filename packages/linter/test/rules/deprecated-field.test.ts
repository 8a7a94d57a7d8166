import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { deprecatedField } from "../../src/rules/deprecated-field.js";

const rule = (condition: string, output = "o", extra = "") => `- rule: R\n  desc: D.\n  condition: ${condition}\n  output: ${output}\n  priority: INFO\n${extra}`;

it("deprecated-field", () => {
  expect(
    testRule(deprecatedField, {
      valid: [
        { name: "current fields", files: rule("evt.type = execve", "%evt.type %proc.cmdline") },
        { name: "evt.dir in a condition is evt-dir-check's", files: rule("evt.type = execve and evt.dir = <") },
      ],
      invalid: [
        { name: "condition", files: rule("evt.type = read and evt.latency > 1000"), errors: [{ messageId: "deprecated", line: 3, column: 34, endLine: 3, endColumn: 45 }] },
        {
          name: "output, in a transformer too",
          files: rule("evt.type = read", "lat=%evt.wait_latency dir=%toupper(evt.dir)"),
          errors: [
            { messageId: "deprecated", line: 4, column: 16, endLine: 4, endColumn: 32 },
            { messageId: "deprecated", line: 4, column: 46, endLine: 4, endColumn: 53 },
          ],
        },
        {
          name: "exception fields",
          files: rule("evt.type = read", "o", "  exceptions:\n    - name: slow\n      fields: [proc.name, evt.latency.ns]\n      values: [[a, '1']]\n"),
          errors: [{ messageId: "deprecated", line: 8, column: 27, endLine: 8, endColumn: 41 }],
        },
      ],
    }),
  ).toEqual([]);
});
