import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { skipIfUnknownFilter } from "../../src/rules/skip-if-unknown-filter.js";

const rule = (extra: string) => `- rule: R\n  desc: D.\n  condition: evt.type = execve\n  output: o %proc.cmdline\n  priority: INFO\n${extra}`;

it("skip-if-unknown-filter", () => {
  expect(
    testRule(skipIfUnknownFilter, {
      valid: [
        { name: "absent", files: rule("") },
        { name: "false", files: rule("  skip-if-unknown-filter: false\n") },
      ],
      invalid: [
        { name: "true", files: rule("  skip-if-unknown-filter: true\n"), errors: [{ messageId: "skip", line: 6, column: 3, endLine: 6, endColumn: 31 }] },
        { name: "flow map", files: "- {rule: R, desc: D., condition: evt.type = execve, output: o, priority: INFO, skip-if-unknown-filter: true}\n", errors: [{ messageId: "skip", line: 1, column: 80, endLine: 1, endColumn: 108 }] },
      ],
    }),
  ).toEqual([]);
});
