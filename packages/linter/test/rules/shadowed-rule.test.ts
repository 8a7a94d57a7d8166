import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { shadowedRule } from "../../src/rules/shadowed-rule.js";

const rule = (name: string, condition: string, extra = "") => `- rule: ${name}\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n${extra}`;

it("shadowed-rule", () => {
  expect(
    testRule(shadowedRule, {
      valid: [
        { name: "different conditions", files: rule("A", "evt.type = open and fd.name = /etc/passwd") + rule("B", "evt.type = open and fd.name = /etc/shadow") },
        { name: "the earlier rule is disabled", files: rule("A", "evt.type = open", "  enabled: false\n") + rule("B", "evt.type = open") },
        { name: "the later rule is disabled", files: rule("A", "evt.type = open") + rule("B", "evt.type = open", "  enabled: false\n") },
        { name: "an exception tells them apart", files: rule("A", "evt.type = open", "  exceptions:\n    - name: e\n      fields: proc.name\n      values: [cat]\n") + rule("B", "evt.type = open") },
        { name: "a list with other items", files: { "a.yaml": "- list: l\n  items: [cat]\n" + rule("A", "evt.type = open and proc.name in (l)"), "b.yaml": rule("B", "evt.type = open and proc.name in (cat, tac)") } },
        { name: "disabled by a later file", files: { "a.yaml": rule("A", "evt.type = open") + rule("B", "evt.type = open"), "b.yaml": "- rule: B\n  enabled: false\n  override:\n    enabled: replace\n" } },
      ],
      invalid: [
        { name: "same condition", files: rule("A", "evt.type = open and proc.name = cat") + rule("B", "evt.type = open and proc.name = cat"), errors: [{ messageId: "shadowed", line: 6, column: 9, endLine: 6, endColumn: 10 }] },
        {
          name: "same after macro and list expansion, layout aside",
          files:
            "- list: cats\n  items: [cat, tac]\n- macro: opened\n  condition: evt.type = open\n" +
            rule("A", "opened and proc.name in (cats)") +
            rule("Read by cat", "(evt.type = open)\n    and proc.name in (cat, tac)"),
          errors: [{ messageId: "shadowed", line: 10, column: 9, endLine: 10, endColumn: 20 }],
        },
        {
          name: "in a later file, both shadowed by the first",
          files: { "a.yaml": rule("A", "evt.type = open"), "b.yaml": rule("B", "evt.type = open") + rule("C", "evt.type = open") },
          errors: [
            { messageId: "shadowed", line: 1, column: 9, endLine: 1, endColumn: 10 },
            { messageId: "shadowed", line: 6, column: 9, endLine: 6, endColumn: 10 },
          ],
        },
        {
          name: "equal once a later file appends to the list",
          files: { "a.yaml": "- list: l\n  items: [cat]\n" + rule("A", "evt.type = open and proc.name in (l)"), "b.yaml": "- list: l\n  items: [tac]\n  override:\n    items: append\n" + rule("B", "evt.type = open and proc.name in (cat, tac)") },
          errors: [{ messageId: "shadowed", line: 5, column: 9, endLine: 5, endColumn: 10 }],
        },
      ],
    }),
  ).toEqual([]);
});
