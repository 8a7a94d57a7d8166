import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { duplicateTags } from "../../src/rules/duplicate-tags.js";

const rule = (tags: string) => `- rule: R\n  desc: D.\n  condition: evt.type = execve\n  output: o\n  priority: INFO\n${tags}`;

it("duplicate-tags", () => {
  expect(
    testRule(duplicateTags, {
      valid: [
        { name: "distinct tags", files: rule("  tags: [maturity_stable, host, container]\n") },
        { name: "no tags", files: rule("") },
        { name: "same tag in two rules", files: rule("  tags: [host]\n") + "- rule: S\n  desc: D.\n  condition: evt.type = open\n  output: o\n  priority: INFO\n  tags: [host]\n" },
      ],
      invalid: [
        {
          name: "flow sequence",
          files: rule("  tags: [host, container, host, T1059]\n"),
          errors: [{ messageId: "duplicate", line: 6, column: 27, endLine: 6, endColumn: 31 }],
          output: rule("  tags: [host, container, T1059]\n"),
        },
        {
          name: "flow sequence, quoted duplicate",
          files: rule('  tags: [host, "host"]\n'),
          errors: [{ messageId: "duplicate", line: 6, column: 16, endLine: 6, endColumn: 22 }],
          output: rule("  tags: [host]\n"),
        },
        {
          name: "block sequence, comments kept",
          files: rule("  tags:\n    - host   # first\n    - container\n    - host\n  # end\n"),
          errors: [{ messageId: "duplicate", line: 9, column: 7, endLine: 9, endColumn: 11 }],
          output: rule("  tags:\n    - host   # first\n    - container\n  # end\n"),
        },
        {
          name: "three times",
          files: rule("  tags: [a, a, a]\n"),
          errors: [
            { messageId: "duplicate", line: 6, column: 13, endLine: 6, endColumn: 14 },
            { messageId: "duplicate", line: 6, column: 16, endLine: 6, endColumn: 17 },
          ],
          output: rule("  tags: [a]\n"),
        },
      ],
    }),
  ).toEqual([]);
});
