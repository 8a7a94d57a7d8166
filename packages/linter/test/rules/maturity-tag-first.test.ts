import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { maturityTagFirst } from "../../src/rules/maturity-tag-first.js";

const rule = (tags: string) => `- rule: R\n  desc: D.\n  condition: evt.type = execve\n  output: o\n  priority: INFO\n${tags}`;

it("maturity-tag-first", () => {
  expect(
    testRule(maturityTagFirst, {
      valid: [
        { name: "maturity first", files: rule("  tags: [maturity_stable, host, mitre_execution]\n") },
        { name: "block sequence", files: rule("  tags:\n    - maturity_sandbox\n    - container\n") },
        { name: "an override adding tags", files: rule("  tags: [maturity_stable]\n") + "- rule: R\n  tags: [custom]\n  override:\n    tags: append\n" },
        { name: "an enable-only item", files: rule("  tags: [maturity_stable]\n") + "- rule: R\n  enabled: false\n" },
      ],
      invalid: [
        { name: "no tags", files: rule(""), errors: [{ messageId: "missing", line: 1, column: 9, endLine: 1, endColumn: 10 }] },
        { name: "no maturity tag", files: rule("  tags: [host, container]\n"), errors: [{ messageId: "missing", line: 6, column: 9, endLine: 6, endColumn: 26 }] },
        { name: "not first", files: rule("  tags: [host, maturity_incubating]\n"), errors: [{ messageId: "notFirst", line: 6, column: 16, endLine: 6, endColumn: 35 }] },
        {
          name: "two maturity tags",
          files: rule("  tags: [maturity_stable, maturity_sandbox]\n"),
          errors: [{ messageId: "several", line: 6, column: 27, endLine: 6, endColumn: 43 }],
        },
        { name: "unknown level", files: rule("  tags: [maturity_beta]\n"), errors: [{ messageId: "unknown", line: 6, column: 10, endLine: 6, endColumn: 23 }] },
      ],
    }),
  ).toEqual([]);
});
