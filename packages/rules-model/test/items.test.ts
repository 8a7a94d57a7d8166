import { describe, expect, it } from "vitest";
import { parseRulesFile, validateRules, type ListItem, type MacroItem, type RuleItem } from "../src/index.js";
import { readText, RULES } from "./helpers.js";

const FULL = `- required_engine_version: 0.50.0
- required_plugin_versions:
    - name: container
      version: 0.2.0
- list: shells
  items: [bash, "zsh", 123]
- macro: spawned
  condition: evt.type = execve
- rule: Shell spawned
  desc: >
    A shell was spawned.
  condition: >
    spawned and proc.name in (shells)
  output: "Shell (user=%user.name)"
  priority: warning
  source: syscall
  enabled: yes
  tags: [host, T1059]
  warn_evttypes: false
  skip-if-unknown-filter: true
  capture: on
  capture_duration: 5000
  exceptions:
    - name: known
      fields: [proc.pname]
      values: [[sshd]]
  mystery: 1
`;

describe("typed items", () => {
  const file = parseRulesFile(FULL, { fileName: "full.yaml" });

  it("reads every kind", () => {
    expect(file.items.map((i) => i.kind)).toEqual(["required_engine_version", "required_plugin_versions", "list", "macro", "rule"]);
    expect(file.diagnostics.map((d) => [d.code, d.message, d.file])).toEqual([
      ["load/LOAD_UNKNOWN_KEY", "Unknown key 'mystery'. The key will be ignored.", "full.yaml"],
    ]);
  });

  it("rule accessors, decoded per key", () => {
    const rule = file.items[4] as RuleItem;
    expect(rule.name!.value).toBe("Shell spawned");
    expect(rule.desc!.value).toBe("A shell was spawned.\n");
    expect(rule.condition!.value).toBe("spawned and proc.name in (shells)\n");
    expect(rule.condition!.style).toBe("folded");
    expect(rule.output!.value).toBe("Shell (user=%user.name)");
    expect(rule.output!.style).toBe("double-quoted");
    expect(rule.priority!.value).toBe("Warning");
    expect(rule.priority!.text).toBe("warning");
    expect(rule.source!.value).toBe("syscall");
    expect(rule.enabled!.value).toBe(true);
    expect(rule.tags!.items.map((t) => t.value)).toEqual(["host", "T1059"]);
    expect(rule.warnEvttypes!.value).toBe(false);
    expect(rule.skipIfUnknownFilter!.value).toBe(true);
    expect(rule.capture!.value).toBe(true);
    expect(rule.captureDuration!.value).toBe(5000);
    expect(rule.exceptions!.items[0]!.name!.value).toBe("known");
    expect(rule.valid).toBe(true);
  });

  it("key ranges and entries, known keys or not", () => {
    const rule = file.items[4] as RuleItem;
    const slice = (r: { start: number; end: number }): string => FULL.slice(r.start, r.end);
    expect(slice(rule.condition!.keyRange!)).toBe("condition");
    expect(slice(rule.output!.range)).toBe('"Shell (user=%user.name)"');
    expect(rule.output!.raw).toBe('"Shell (user=%user.name)"');
    expect(rule.entries.map((e) => e.key)).toEqual([
      "rule",
      "desc",
      "condition",
      "output",
      "priority",
      "source",
      "enabled",
      "tags",
      "warn_evttypes",
      "skip-if-unknown-filter",
      "capture",
      "capture_duration",
      "exceptions",
      "mystery",
    ]);
    const mystery = rule.entries[13]!;
    expect([slice(mystery.keyRange), slice(mystery.valueRange)]).toEqual(["mystery", "1"]);
    expect(slice(rule.range).startsWith("rule: Shell spawned")).toBe(true);
  });

  it("list, macro, version accessors", () => {
    const list = file.items[2] as ListItem;
    expect(list.items!.items.map((i) => [i.value, i.style])).toEqual([
      ["bash", "plain"],
      ["zsh", "double-quoted"],
      ["123", "plain"],
    ]);
    expect(list.items!.flow).toBe(true);
    expect((file.items[3] as MacroItem).condition!.value).toBe("evt.type = execve");
    const engine = file.items[0]!;
    expect(engine.kind === "required_engine_version" && engine.version!.value).toEqual({ major: 0, minor: 50, patch: 0 });
  });

  it("keys Falco ignores on an item's path are still readable, without diagnostics", () => {
    const f = parseRulesFile("- rule: r\n  append: true\n  condition: and x\n  output: ignored\n  priority: nonsense\n");
    const rule = f.items[0] as RuleItem;
    expect(f.diagnostics.map((d) => d.message)).toEqual([
      "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.",
    ]);
    expect(rule.condition!.value).toBe("and x");
    expect(rule.output!.value).toBe("ignored");
    expect(rule.priority).toBeUndefined();
    expect(rule.entries.find((e) => e.key === "priority")).toBeDefined();
  });

  it("validateRules adds schema warnings and condition syntax to the reader's diagnostics", () => {
    const { file: f, diagnostics } = validateRules("- macro: m\n- macro: n\n  condition: a andb\n", { fileName: "m.yaml" });
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["load/LOAD_ERR_YAML_VALIDATE", "Item has no mapping for key 'condition'"],
      ["schema/violation", "macro 'm': missing required key 'condition'"],
      ["parse/syntax-error", "expected blank or '(' after 'and'"],
    ]);
    expect(f.items).toHaveLength(2);
  });
});

describe("falco_rules_warnings.yaml (plain scalars starting with !=)", () => {
  it("loads without errors; the unknown tag is dropped and the rest is the value", () => {
    const text = readText(`${RULES}falco-tests/rules/falco_rules_warnings.yaml`);
    const file = parseRulesFile(text);
    expect(file.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const tagged = file.items.filter((i): i is RuleItem => i.kind === "rule" && i.desc?.tag === "!=");
    expect(tagged.length).toBe(4);
    for (const rule of tagged) {
      expect(rule.desc!.value.startsWith("!=")).toBe(false);
      expect(text.slice(rule.desc!.range.start - 3, rule.desc!.range.start)).toBe("!= ");
    }
  });
});
