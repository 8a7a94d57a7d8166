import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { contradictoryEventTypes } from "../../src/rules/contradictory-event-types.js";

const rule = (condition: string) => `- rule: r\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n`;

it("contradictory-event-types", () => {
  expect(
    testRule(contradictoryEventTypes, {
      valid: [
        { name: "one event type", files: rule("evt.type = open and fd.name = /etc/passwd") },
        { name: "either of two", files: rule("evt.type = open or evt.type = close") },
        { name: "overlapping sets", files: rule("evt.type in (open, openat) and evt.type in (openat, close)") },
        { name: "an async event of a loaded plugin (krsi), run on async events", files: rule("evt.type = krsi_open") },
        { name: "async event names in a list", files: rule("evt.type in (krsi_connect, krsi_socket) and proc.name = curl") },
        { name: "plugin source", files: "- rule: r\n  desc: d\n  condition: ka.verb = get\n  output: o\n  priority: INFO\n  source: k8s_audit\n" },
      ],
      invalid: [
        { name: "two equalities", files: rule("evt.type = open and evt.type = close"), errors: [{ messageId: "empty", line: 3, column: 14, endLine: 3, endColumn: 50 }] },
        { name: "a type and its negation", files: rule("evt.type = open and not evt.type in (open, openat)"), errors: [{ messageId: "empty", line: 3, column: 14, endLine: 3, endColumn: 64 }] },
        { name: "an async event and a syscall at once", files: rule("evt.type = krsi_open and evt.type = open"), errors: [{ messageId: "empty", line: 3, column: 14, endLine: 3, endColumn: 54 }] },
        {
          name: "through a macro, in an appended rule",
          files: {
            "a.yaml": "- macro: opened\n  condition: evt.type in (open, openat)\n" + rule("opened"),
            "b.yaml": "- rule: r\n  condition: and evt.type = execve\n  append: true\n",
          },
          errors: [{ messageId: "empty", file: "a.yaml", line: 5, column: 14, endLine: 5, endColumn: 20 }],
        },
      ],
    }),
  ).toEqual([]);
});
