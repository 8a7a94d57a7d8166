import { describeRuleset, loadRules } from "@falcokit/engine";
import { expect, it } from "vitest";
import { testRule } from "../../src/testing.js";
import { appendTrue } from "../../src/rules/append-true.js";

const base = [
  "- list: shells",
  "  items: [bash, sh]",
  "- macro: spawned",
  "  condition: evt.type = execve",
  "- rule: Shell",
  "  desc: A shell.",
  "  condition: spawned and proc.name in (shells)",
  "  output: shell %proc.cmdline",
  "  priority: WARNING",
  "  exceptions:",
  "    - name: known",
  "      fields: [proc.pname]",
  "      values: [[cron]]",
  "",
].join("\n");

const lines = (...l: string[]) => l.join("\n") + "\n";

const cases = [
  {
    name: "list",
    files: { "base.yaml": base, "rules.yaml": lines("- list: shells", "  items: [zsh]", "  append: true") },
    errors: [{ messageId: "deprecated", line: 3, column: 3, endLine: 3, endColumn: 15 }],
    output: lines("- list: shells", "  items: [zsh]", "  override:", "    items: append"),
  },
  {
    name: "macro, comments kept, append first",
    files: { "base.yaml": base, "rules.yaml": lines("- append: true  # legacy", "  macro: spawned", "  # only containers", "  condition: and container.id != host") },
    errors: [{ messageId: "deprecated", line: 1, column: 3, endLine: 1, endColumn: 15 }],
    output: lines("- override:", "    condition: append  # legacy", "  macro: spawned", "  # only containers", "  condition: and container.id != host"),
  },
  {
    name: "rule with condition and exceptions",
    files: {
      "base.yaml": base,
      "rules.yaml": lines("- rule: Shell", "  condition: and not user.name = root", "  exceptions:", "    - name: known", "      values: [[sshd]]", "  append: true"),
    },
    errors: [{ messageId: "deprecated", line: 6, column: 3, endLine: 6, endColumn: 15 }],
    output: lines("- rule: Shell", "  condition: and not user.name = root", "  exceptions:", "    - name: known", "      values: [[sshd]]", "  override:", "    condition: append", "    exceptions: append"),
  },
];

it("append-true", () => {
  expect(
    testRule(appendTrue, {
      valid: [
        { name: "override", files: { "base.yaml": base, "rules.yaml": lines("- list: shells", "  items: [zsh]", "  override:", "    items: append") } },
        { name: "append: false", files: lines("- list: shells", "  items: [zsh]", "  append: false") },
      ],
      invalid: [
        ...cases,
        {
          name: "rule keys legacy append ignores",
          files: { "base.yaml": base, "rules.yaml": lines("- rule: Shell", "  condition: and proc.tty != 0", "  output: tty=%proc.tty", "  append: true") },
          errors: [
            { messageId: "deprecated", line: 4, column: 3, endLine: 4, endColumn: 15 },
            { messageId: "ignored", line: 4, column: 3, endLine: 4, endColumn: 15 },
          ],
          output: lines("- rule: Shell", "  condition: and proc.tty != 0", "  output: tty=%proc.tty", "  override:", "    condition: append"),
        },
        { name: "flow map: no fix", files: "- {list: shells, items: [zsh], append: true}\n", errors: [{ messageId: "deprecated", line: 1, column: 32, endLine: 1, endColumn: 44 }] },
      ],
    }),
  ).toEqual([]);
});

it("append-true: the fixed files load to the same ruleset", () => {
  const effective = (text: string) => {
    const r = loadRules([{ name: "base.yaml", text: base }, { name: "rules.yaml", text }]);
    expect(r.files.flatMap((f) => f.diagnostics).filter((d) => d.severity === "error")).toEqual([]);
    const d = describeRuleset(r.collector, r.compiled!, r.catalogs);
    return { rules: d.rules.map((x) => ({ info: x.info, details: x.details })), macros: d.macros.map((x) => ({ info: x.info, details: x.details })), lists: d.lists.map((x) => ({ info: x.info, details: x.details })) };
  };
  for (const c of cases) expect(effective(c.output), c.name).toEqual(effective(c.files["rules.yaml"]));
});
