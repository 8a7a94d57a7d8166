import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { engineVersionSemver } from "../../src/rules/engine-version-semver.js";

const file = (version: string) => `- required_engine_version: ${version}\n\n- macro: m\n  condition: evt.type = execve\n`;

it("engine-version-semver", () => {
  expect(
    testRule(engineVersionSemver, {
      valid: [
        { name: "semver", files: file("0.26.0") },
        { name: "quoted semver", files: file('"0.31.0"') },
      ],
      invalid: [
        { name: "integer", files: file("2"), errors: [{ messageId: "integer", line: 1, column: 28, endLine: 1, endColumn: 29 }], output: file("0.2.0") },
        { name: "two digits", files: file("26"), errors: [{ messageId: "integer", line: 1, column: 28, endLine: 1, endColumn: 30 }], output: file("0.26.0") },
        { name: "quoted integer", files: file("'13'"), errors: [{ messageId: "integer", line: 1, column: 28, endLine: 1, endColumn: 32 }], output: file("0.13.0") },
        { name: "hexadecimal, as yaml-cpp reads it", files: file("0x10"), errors: [{ messageId: "integer", line: 1, column: 28, endLine: 1, endColumn: 32 }], output: file("0.16.0") },
      ],
    }),
  ).toEqual([]);
});
