import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { procNameTooLong } from "../../src/rules/proc-name-too-long.js";

it("proc-name-too-long", () => {
  expect(
    testRule(procNameTooLong, {
      valid: [
        { name: "15 characters", files: "- rule: r\n  desc: d\n  condition: evt.type = execve and proc.name = systemd-tmpfile\n  output: o\n  priority: INFO\n" },
        { name: "a quoted list item is compared without its quotes", files: "- list: l\n  items: ['\"75-system-updat\"']\n- macro: m\n  condition: proc.name in (l)\n" },
        { name: "a list of short names", files: "- list: long_names\n  items: [a]\n- rule: r\n  desc: d\n  condition: evt.type = execve and proc.name in (long_names)\n  output: o\n  priority: INFO\n" },
        { name: "startswith may match a prefix", files: "- rule: r\n  desc: d\n  condition: evt.type = execve and proc.name startswith systemd-tmpfiles\n  output: o\n  priority: INFO\n" },
      ],
      invalid: [
        {
          name: "equality",
          files: "- rule: r\n  desc: d\n  condition: evt.type = execve and proc.name = systemd-tmpfiles\n  output: o\n  priority: INFO\n",
          errors: [{ messageId: "tooLong", line: 3, column: 48, endLine: 3, endColumn: 64 }],
        },
        {
          name: "an item of a list compared with proc.name",
          files: "- list: controllers\n  items: [kubelet, argocd-application-controller]\n- macro: m\n  condition: proc.name in (controllers)\n",
          errors: [{ messageId: "tooLong", line: 2, column: 20, endLine: 2, endColumn: 49 }],
        },
        {
          name: "in a list value, and proc.pname",
          files: "- macro: m\n  condition: proc.pname in (sh, argocd-application-controller)\n",
          errors: [{ messageId: "tooLong", line: 2, column: 33, endLine: 2, endColumn: 62 }],
        },
      ],
    }),
  ).toEqual([]);
});
