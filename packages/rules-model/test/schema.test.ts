import { describe, expect, it } from "vitest";
import { falcoRulesSchema, parseRulesFile, validateSchema } from "../src/index.js";
import { readText, RULES, SHARED, yamlFiles } from "./helpers.js";

const SCHEMA_FILE = new URL("../schema/falco-rules.schema.json", import.meta.url);

function check(text: string): { message: string; src: string }[] {
  return validateSchema(parseRulesFile(text)).map((d) => {
    expect(d.code).toBe("schema/violation");
    expect(d.severity).toBe("warning");
    return { message: d.message, src: text.slice(d.range.start, d.range.end) };
  });
}

const RULE = (extra: string): string => `- rule: X\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n${extra}`;

describe("the JSON Schema", () => {
  it("the shipped JSON file is the TS schema object (regenerate with `pnpm run schema:write`)", () => {
    expect(JSON.parse(readText(SCHEMA_FILE.pathname))).toEqual(falcoRulesSchema);
  });

  it("is draft-07 with an $id", () => {
    expect(falcoRulesSchema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(typeof falcoRulesSchema.$id).toBe("string");
  });

  for (const dir of ["upstream", "plugins"]) {
    it(`accepts every item of every file under corpus/rules/${dir}`, () => {
      const files = yamlFiles(`${RULES}${dir}/`);
      let items = 0;
      for (const rel of files) {
        const file = parseRulesFile(readText(`${RULES}${dir}/${rel}`), { fileName: rel });
        items += file.items.length;
        expect(validateSchema(file).map((d) => d.message), rel).toEqual([]);
      }
      expect(items).toBeGreaterThan(dir === "upstream" ? 3000 : 100);
    });
  }
});

describe("validateSchema messages and ranges", () => {
  it("unknown keys", () => {
    expect(check(RULE("  prioriy: WARNING\n"))).toEqual([{ message: "rule 'X': 'prioriy' is not an allowed key", src: "prioriy" }]);
    expect(check("- list: l\n  items: []\n  priority: INFO\n")).toEqual([{ message: "list 'l': 'priority' is not an allowed key", src: "priority" }]);
  });

  it("priorities in any case, and nothing else", () => {
    expect(check(RULE("").replace("INFO", "informational"))).toEqual([]);
    expect(check(RULE("").replace("INFO", "Warning"))).toEqual([]);
    expect(check(RULE("").replace("INFO", "WARN"))).toEqual([
      {
        message: "rule 'X': 'priority' must be one of EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFORMATIONAL, INFO, DEBUG (in any case)",
        src: "WARN",
      },
    ]);
  });

  it("booleans as Falco reads them", () => {
    expect(check(RULE("  enabled: yes\n  warn_evttypes: Off\n  capture: true\n"))).toEqual([]);
    expect(check(RULE("  enabled: maybe\n"))).toEqual([{ message: "rule 'X': 'enabled' must be a boolean (true/false, yes/no, on/off)", src: "maybe" }]);
  });

  it("empty values", () => {
    expect(check(RULE("  source:\n"))).toEqual([{ message: "rule 'X': 'source' is empty", src: "source" }]);
  });

  it("list items and tags of any scalar type, but scalars", () => {
    expect(check("- list: ports\n  items: [80, 443, http, true]\n")).toEqual([]);
    expect(check(RULE("  tags: [a, [b]]\n"))).toEqual([{ message: "rule 'X': 'tags[1]' must be a single value (not a list, a map or empty)", src: "[b]" }]);
  });

  it("rule definitions need their four keys; enable switches need enabled", () => {
    expect(check("- rule: X\n  desc: d\n  condition: c\n  output: o\n")).toEqual([
      { message: "rule 'X': a rule definition needs condition, output, desc and priority", src: "rule" },
    ]);
    expect(check("- rule: X\n  enabled: false\n")).toEqual([]);
    expect(check("- rule: X\n  tags: [a]\n")).toEqual([
      { message: "rule 'X': a rule item without condition, output, desc and priority must set 'enabled' (or use 'override')", src: "rule" },
    ]);
  });

  it("override: allowed operations per key, listed keys defined, defined keys listed", () => {
    expect(check("- rule: X\n  condition: and x\n  override:\n    condition: append\n")).toEqual([]);
    expect(check("- rule: X\n  priority: INFO\n  override:\n    priority: append\n")).toEqual([
      { message: "rule 'X': 'override.priority' can only be replace", src: "append" },
    ]);
    expect(check("- rule: X\n  source: s\n  override:\n    source: replace\n")).toEqual([{ message: "rule 'X': override: 'source' cannot be overridden", src: "source" }]);
    expect(check("- rule: X\n  override:\n    desc: append\n")).toEqual([
      { message: "rule 'X': 'override' lists 'desc' but the rule does not define 'desc'", src: "rule" },
    ]);
    expect(check("- rule: X\n  condition: c\n  output: o\n  override:\n    condition: append\n")).toEqual([
      { message: "rule 'X': 'override' must also list 'output' (output: append|replace), since the rule sets it", src: "condition" },
    ]);
    expect(check("- macro: m\n  condition: c\n  append: true\n  override:\n    condition: append\n")).toEqual([
      {
        message:
          "macro 'm': Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.",
        src: "macro",
      },
    ]);
  });

  it("exceptions", () => {
    expect(check(RULE("  exceptions:\n    - name: e\n      fields: [a, b]\n      comps: [=, startswith oneof]\n      values: [[x, [y, z]]]\n"))).toEqual([]);
    expect(check(RULE("  exceptions:\n    - name: e\n      fields: f\n      comps: [=, no-comp]\n      value: [x]\n"))).toEqual([
      { message: "rule 'X': exceptions[0]: 'value' is not an allowed key", src: "value" },
      { message: "rule 'X': 'exceptions[0].comps' must be an operator or a list of operators", src: "[=, no-comp]" },
    ]);
  });

  it("engine versions, plugin versions, unknown items", () => {
    expect(check("- required_engine_version: 26\n- required_engine_version: 0.26.0\n")).toEqual([]);
    expect(check("- required_engine_version: 0.26\n")).toEqual([
      { message: "required_engine_version: 'required_engine_version' must be an engine version: an integer N (meaning 0.N.0) or \"x.y.z\"", src: "0.26" },
    ]);
    expect(check("- required_plugin_versions:\n    - name: k8saudit\n      version: 0.7.0\n      alternatives:\n        - name: x\n")).toEqual([
      { message: "required_plugin_versions: required_plugin_versions[0].alternatives[0]: missing required key 'version'", src: "name" },
    ]);
    expect(check("- foo: bar\n")).toEqual([
      { message: "item: an item needs one of the keys rule, macro, list, required_engine_version, required_plugin_versions", src: "foo" },
    ]);
  });
});

describe("against Falco's own schema check (falco_unit_tests schema_validation)", () => {
  /**
   * Where our schema deliberately differs from Falco's: Falco's schema is one flat object for
   * every kind and knows nothing of override rules or names, and it reads `capture: "yes"`
   * as a non-boolean although Falco accepts it.
   */
  const DIFFERENT: Record<string, string> = {
    rule_incorrect_override_type: "priority can only be replaced",
    rule_incorrect_append_override: "append: true with override",
    rule_override_without_field: "override lists a key the rule does not set",
    rule_override_extra_field: "the rule sets a key override does not list",
    missing_enabled_key_with_override: "override lists a key the rule does not set",
    required_engine_version_invalid: "not an x.y.z version",
    macro_name_invalid: "Falco warns about the name",
    list_name_invalid: "Falco warns about the name",
    list_cross_type_key_priority: "priority is not a list key",
    rule_capture_wrong_type: "yaml-cpp reads \"yes\" as true",
  };
  const data = JSON.parse(readText(`${SHARED}conformance/rule-loader-cases.json`)) as {
    groups: { falco_unit_tests: { cases: { name: string; kind: string; steps: { load?: { content: string }; expect?: { schema_validation?: string } }[] }[] } };
  };
  const steps = data.groups.falco_unit_tests.cases
    .filter((c) => c.kind === "load_rules")
    .flatMap((c) => c.steps.map((s) => ({ name: c.name, s })))
    .filter(({ s }) => s.load && s.expect?.schema_validation);

  it(`agrees on ${steps.length} steps but the ${Object.keys(DIFFERENT).length} documented ones`, () => {
    let agree = 0;
    for (const { name, s } of steps) {
      const ours = validateSchema(parseRulesFile(s.load!.content)).length === 0 ? "ok" : "failed";
      if (name in DIFFERENT) expect(ours, name).not.toBe(s.expect!.schema_validation);
      else {
        expect(ours, name).toBe(s.expect!.schema_validation);
        agree++;
      }
    }
    expect(agree).toBeGreaterThan(70);
  });
});
