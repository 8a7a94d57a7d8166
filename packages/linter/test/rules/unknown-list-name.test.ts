import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { unknownListName } from "../../src/rules/unknown-list-name.js";

const lists = "- list: shell_binaries\n  items: [bash, sh]\n- list: package_binaries\n  items: [apt, dnf]\n";
const macro = (condition: string) => `${lists}- macro: m\n  condition: ${condition}\n`;

it("unknown-list-name", () => {
  expect(
    testRule(unknownListName, {
      valid: [
        { name: "a defined list", files: macro("proc.name in (shell_binaries, ls)") },
        { name: "event type names", files: macro("evt.type in (open_by_handle_at, init_module)") },
        { name: "a process name with an underscore", files: macro("proc.name in (unix_chkpwd, erl_child_setup)") },
        { name: "paths and dotted names", files: macro("fd.name pmatch (/etc/shell_binaries, my_binaries.conf)") },
        { name: "outside in and pmatch", files: macro("proc.name = shel_binaries") },
      ],
      invalid: [
        {
          name: "a typo of a list name",
          files: macro("proc.name in (ls, shel_binaries)"),
          errors: [{ messageId: "typo", line: 6, column: 32, endLine: 6, endColumn: 45 }],
        },
        {
          name: "a name like the lists of binaries, in pmatch and a rule",
          files: `${lists}- rule: r\n  desc: d\n  condition: evt.type = execve and proc.name in (shell_binaries) and not fd.name pmatch (editor_binaries)\n  output: o\n  priority: INFO\n`,
          errors: [{ messageId: "unknown", line: 7, column: 90, endLine: 7, endColumn: 105 }],
        },
      ],
    }),
  ).toEqual([]);
});
