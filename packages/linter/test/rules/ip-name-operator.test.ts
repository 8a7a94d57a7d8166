import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { ipNameOperator } from "../../src/rules/ip-name-operator.js";

const macro = (condition: string) => `- macro: m\n  condition: ${condition}\n`;

it("ip-name-operator", () => {
  expect(
    testRule(ipNameOperator, {
      valid: [
        { name: "equality, as upstream writes it", files: macro('evt.type = connect and fd.sip.name = "kubernetes.default.svc.cluster.local"') },
        { name: "not equal, in, exists", files: macro("fd.sip.name != example.com or fd.cip.name in (a.example, b.example) or fd.rip.name exists") },
        { name: "other fd fields take any operator", files: macro("fd.name contains kube or fd.sip startswith 10.") },
      ],
      invalid: [
        {
          name: "contains",
          files: macro("evt.type = connect and fd.sip.name contains kube"),
          errors: [{ messageId: "unsupported", line: 2, column: 37, endLine: 2, endColumn: 62 }],
        },
        {
          name: "startswith and glob in a rule",
          files: "- rule: R\n  desc: D.\n  condition: evt.type = connect and (fd.lip.name startswith api. or fd.rip.name glob \"*.internal\")\n  output: o\n  priority: INFO\n",
          errors: [
            { messageId: "unsupported", line: 3, column: 38, endLine: 3, endColumn: 65 },
            { messageId: "unsupported", line: 3, column: 69, endLine: 3, endColumn: 98 },
          ],
        },
      ],
    }),
  ).toEqual([]);
});
