import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { tagFormat } from "../../src/rules/tag-format.js";

const rule = (tags: string) => `- rule: R\n  desc: D.\n  condition: evt.type = execve\n  output: o\n  priority: INFO\n${tags}`;

it("tag-format", () => {
  expect(
    testRule(tagFormat, {
      valid: [
        { name: "lower case tags", files: rule("  tags: [maturity_stable, host, container, mitre_execution, k8s, pci_dss_10.2.5]\n") },
        { name: "MITRE technique and tactic ids", files: rule("  tags: [T1059, T1059.004, TA0002]\n") },
        { name: "malformed MITRE tags are mitre-tags'", files: rule("  tags: [mitre_Execution, t1059/004]\n") },
        { name: "no tags", files: rule("") },
      ],
      invalid: [
        { name: "upper case", files: rule("  tags: [host, Container]\n"), errors: [{ messageId: "case", line: 6, column: 16, endLine: 6, endColumn: 25 }] },
        { name: "all upper case", files: rule("  tags:\n    - PCI_DSS\n"), errors: [{ messageId: "case", line: 7, column: 7, endLine: 7, endColumn: 14 }] },
        { name: "spaces", files: rule('  tags: [host, "network activity"]\n'), errors: [{ messageId: "space", line: 6, column: 16, endLine: 6, endColumn: 34 }] },
        {
          name: "spaces and upper case, plain flow scalar",
          files: rule("  tags: [Shell Spawned, T1059]\n"),
          errors: [{ messageId: "space", line: 6, column: 10, endLine: 6, endColumn: 23 }],
        },
      ],
    }),
  ).toEqual([]);
});
