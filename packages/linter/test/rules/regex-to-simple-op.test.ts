import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { regexToSimpleOp, simplerOperator } from "../../src/rules/regex-to-simple-op.js";

const macro = (condition: string) => `- macro: m\n  condition: ${condition}\n`;

it("simplerOperator", () => {
  expect(simplerOperator("^/usr/bin/.*")).toEqual({ op: "startswith", literal: "/usr/bin/" });
  expect(simplerOperator(".*\\.so")).toEqual({ op: "endswith", literal: ".so" });
  expect(simplerOperator(".*passwd.*")).toEqual({ op: "contains", literal: "passwd" });
  expect(simplerOperator("^bash$")).toEqual({ op: "=", literal: "bash" });
  expect(simplerOperator("a\\.b")).toEqual({ op: "=", literal: "a.b" });
  expect(simplerOperator("a\\.b\\.*")).toBeUndefined();
  expect(simplerOperator("^/tmp/[a-z]+")).toBeUndefined();
  expect(simplerOperator("a|b")).toBeUndefined();
  expect(simplerOperator("\\d+")).toBeUndefined();
  expect(simplerOperator(".*")).toBeUndefined();
});

it("regex-to-simple-op", () => {
  expect(
    testRule(regexToSimpleOp, {
      valid: [
        { name: "a real regex", files: macro("fd.name regex '^/tmp/[a-z]+\\.sh$'") },
        { name: "alternation", files: macro("proc.name regex 'ba(sh|zsh)'") },
      ],
      invalid: [
        { name: "a prefix", files: macro("fd.name regex '^/etc/.*'"), errors: [{ messageId: "simpler", line: 2, column: 14, endLine: 2, endColumn: 38 }] },
        { name: "a literal (full match)", files: macro("proc.name regex bash"), errors: [{ messageId: "simpler", line: 2, column: 14, endLine: 2, endColumn: 34 }] },
        { name: "a substring, escaped dot", files: macro("fd.name regex .*\\.ssh/.* and evt.type = open"), errors: [{ messageId: "simpler", line: 2, column: 14, endLine: 2, endColumn: 38 }] },
      ],
    }),
  ).toEqual([]);
});
