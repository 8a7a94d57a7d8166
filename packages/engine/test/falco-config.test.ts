import { describe, expect, it } from "vitest";
import { FalcoConfigError, readFalcoConfig, setConfigValue } from "../src/index.js";
import { readShared } from "./shared.js";

describe("falco.yaml reading", () => {
  it("reads rules_files, priority and rule_matching", () => {
    const c = readFalcoConfig("rules_files:\n  - /etc/falco/falco_rules.yaml\n  - /etc/falco/rules.d\npriority: debug\nrule_matching: first\n");
    expect(c.rulesFiles).toEqual(["/etc/falco/falco_rules.yaml", "/etc/falco/rules.d"]);
    expect(c.priority).toBe("debug");
    expect(c.ruleMatching).toBe("first");
  });

  it("applies -o overrides after the file, appending with [] and replacing scalars", () => {
    const c = readFalcoConfig("rules:\n  - disable:\n      tag: network\npriority: debug\n", ["rules[].enable.rule=Write below etc", "priority=WARNING", "rules[0].disable.tag=process"]);
    expect(c.rules).toEqual([
      { op: "disable", tag: "process" },
      { op: "enable", rule: "Write below etc" },
    ]);
    expect(c.priority).toBe("WARNING");
  });

  it("reads append_output entries as the engine takes them", () => {
    const c = readFalcoConfig("append_output:\n  - match:\n      source: syscall\n      tags: [container]\n    extra_output: 'on %container.name'\n");
    expect(c.appendOutput).toEqual([{ format: "on %container.name", source: "syscall", tags: ["container"] }]);
  });

  it("keeps escaped dots in keys", () => {
    const root: Record<string, unknown> = {};
    setConfigValue(root, "annotations.kubernetes\\.io/role", "master");
    expect(root).toEqual({ annotations: { "kubernetes.io/role": "master" } });
  });

  it.each([
    [["no-equals-sign"], /Must be of the form key=val/],
    [["rules[x].enable.rule=a"], /expected a numeric index, found 'x'/],
    [["a..b=1"], /unexpected character at pos 2/],
    [["trailing\\=1"], /trailing backslash/],
    [["rules[]={\"enable\": {}}"], /rules\[0\] must be 'enable:' or 'disable:'/],
    [["priority=loud"], /Unknown priority "loud"--must be one of emergency/],
    [["rule_matching=some"], /Unknown rule matching strategy "some"/],
  ])("rejects %j with Falco's message", (options, message) => {
    expect(() => readFalcoConfig("", options)).toThrowError(message);
  });

  it("reports a YAML error with its line and column", () => {
    try {
      readFalcoConfig("rules:\n  - enable: [\n");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FalcoConfigError);
      expect((e as FalcoConfigError).position?.line).toBeGreaterThan(1);
    }
  });

  it("refuses a rules file given as the configuration", () => {
    // The corpus holds rules files only; a rules file is not a config, so it must be refused cleanly.
    expect(() => readFalcoConfig(readShared("corpus/rules/upstream/latest/rules/falco_rules.yaml"))).toThrowError(FalcoConfigError);
  });
});
