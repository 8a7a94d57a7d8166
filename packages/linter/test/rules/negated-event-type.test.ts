import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { negatedEventType } from "../../src/rules/negated-event-type.js";

const rule = (condition: string) => `- rule: r\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n`;

it("negated-event-type", () => {
  expect(
    testRule(negatedEventType, {
      valid: [
        { name: "named event types", files: rule("evt.type in (open, openat) and proc.name = sh") },
        { name: "an exclusion inside a named set", files: rule("evt.type in (open, openat) and evt.type != open") },
        { name: "no event type at all (Falco's own warning)", files: rule("proc.name = sh") },
        { name: "a double negation", files: rule("not evt.type != execve") },
      ],
      invalid: [
        { name: "!=", files: rule("evt.type != switch and proc.name = sh"), errors: [{ messageId: "negated", line: 3, column: 14, endLine: 3, endColumn: 32 }] },
        { name: "not in", files: rule("proc.name = sh and not evt.type in (switch, read)"), errors: [{ messageId: "negated", line: 3, column: 37, endLine: 3, endColumn: 63 }] },
        {
          name: "from a macro",
          files: "- macro: not_io\n  condition: not evt.type in (read, write)\n" + rule("not_io and proc.name = sh"),
          errors: [{ messageId: "negated", line: 5, column: 14, endLine: 5, endColumn: 39 }],
        },
      ],
    }),
  ).toEqual([]);
});
