import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { exceptionExcludesAll } from "../../src/rules/exception-excludes-all.js";

const rule = (exceptions: string) => `- rule: r\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n  exceptions:\n${exceptions}`;

it("exception-excludes-all", () => {
  expect(
    testRule(exceptionExcludesAll, {
      valid: [
        { name: "restricting values", files: rule('    - name: e\n      fields: [proc.name, fd.name]\n      comps: [startswith, glob]\n      values:\n        - [run, "/etc/*"]\n') },
        { name: "empty value with =", files: rule('    - name: e\n      fields: [proc.name]\n      values:\n        - [""]\n') },
        { name: "glob of a single slash", files: rule("    - name: e\n      fields: [fd.name]\n      comps: [glob]\n      values:\n        - [/]\n") },
        { name: "pmatch of a star", files: rule("    - name: e\n      fields: [fd.name]\n      comps: [pmatch]\n      values:\n        - [[\"*\"]]\n") },
        { name: "single-field in", files: rule('    - name: e\n      fields: proc.name\n      comps: in\n      values: [""]\n') },
      ],
      invalid: [
        {
          name: "empty prefix and star glob",
          files: rule('    - name: e\n      fields: [proc.name, fd.name]\n      comps: [startswith, glob]\n      values:\n        - ["", "/etc/*"]\n        - [bash, "*"]\n'),
          errors: [
            { messageId: "all", line: 11, column: 12, endLine: 11, endColumn: 14 },
            { messageId: "all", line: 12, column: 18, endLine: 12, endColumn: 21 },
          ],
        },
        {
          name: "single-field pmatch of the root",
          files: rule("    - name: e\n      fields: fd.name\n      comps: pmatch\n      values: [/tmp, /]\n"),
          errors: [{ messageId: "all", line: 10, column: 22, endLine: 10, endColumn: 23 }],
        },
        {
          name: "contains nothing",
          files: rule("    - name: e\n      fields: [proc.cmdline]\n      comps: [contains]\n      values:\n        - ['']\n"),
          errors: [{ messageId: "all", line: 11, column: 12, endLine: 11, endColumn: 14 }],
        },
      ],
    }),
  ).toEqual([]);
});
