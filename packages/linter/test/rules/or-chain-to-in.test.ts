import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { orChainToIn } from "../../src/rules/or-chain-to-in.js";

const macro = (condition: string) => `- macro: m\n  condition: ${condition}\n`;

it("or-chain-to-in", () => {
  expect(
    testRule(orChainToIn, {
      valid: [
        { name: "two checks", files: macro("proc.name = a or proc.name = b") },
        { name: "different fields", files: macro("proc.name = a or proc.pname = b or fd.name = c") },
        { name: "joined by and", files: macro("proc.name != a and proc.name != b and proc.name != c") },
        { name: "with a transformer", files: macro("tolower(proc.name) = a or tolower(proc.name) = b or tolower(proc.name) = c") },
        { name: "option min", files: macro("proc.name = a or proc.name = b or proc.name = c"), options: { min: 4 } },
      ],
      invalid: [
        {
          name: "the whole or",
          files: macro("(proc.name = a or proc.name == b or proc.name = \"c d\") and evt.type = execve"),
          errors: [{ messageId: "chain", line: 2, column: 15, endLine: 2, endColumn: 67 }],
          output: macro("(proc.name in (a, b, \"c d\")) and evt.type = execve"),
        },
        {
          name: "a field argument, in a block scalar",
          files: "- macro: m\n  condition: >\n    proc.aname[2] = a or\n    proc.aname[2] = b or\n    proc.aname[2] = c\n",
          errors: [{ messageId: "chain", line: 3, column: 5, endLine: 5, endColumn: 22 }],
          output: "- macro: m\n  condition: >\n    proc.aname[2] in (a, b, c)\n",
        },
        {
          name: "part of an or: reported, not fixed",
          files: macro("proc.name = a or fd.name = x or proc.name = b or proc.name = c"),
          errors: [{ messageId: "chain", line: 2, column: 14, endLine: 2, endColumn: 76 }],
        },
      ],
    }),
  ).toEqual([]);
});
