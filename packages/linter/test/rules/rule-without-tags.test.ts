import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { ruleWithoutTags } from "../../src/rules/rule-without-tags.js";

const rule = (extra: string) => `- rule: Shell spawned\n  desc: Detects a shell.\n  condition: evt.type = execve and proc.name = bash\n  output: Shell (user=%user.name)\n  priority: WARNING\n${extra}`;

it("rule-without-tags", () => {
  expect(
    testRule(ruleWithoutTags, {
      valid: [
        { name: "tagged", files: rule("  tags: [maturity_stable, shell]\n") },
        { name: "tags brought by a later override", files: { "base.yaml": rule(""), "local.yaml": "- rule: Shell spawned\n  tags: [shell]\n  override:\n    tags: append\n" } },
      ],
      invalid: [
        { name: "no tags key", files: rule(""), errors: [{ messageId: "none", line: 1, column: 9, endLine: 1, endColumn: 22 }] },
        { name: "empty tags", files: rule("  tags: []\n"), errors: [{ messageId: "none", line: 6, column: 9, endLine: 6, endColumn: 11 }] },
      ],
    }),
  ).toEqual([]);
});
