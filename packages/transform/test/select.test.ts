import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { describeRuleset, loadRules } from "@falcokit/engine";
import { selectRules } from "../src/select.js";
import { expandTemplate, TemplateError } from "../src/vars.js";

const SHARED = fileURLToPath(new URL("../../../../shared/", import.meta.url));
const UP = `${SHARED}corpus/rules/upstream/latest/rules/`;
const files = ["falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml"].map((f) => ({ name: f, text: readFileSync(UP + f, "utf8") }));
const load = loadRules(files);
// The same rules as `falcokit rules` describes them: a second view to check the selection against.
const described = describeRuleset(load.collector, load.compiled!, load.catalogs).rules.map((r) => r.info);
const SEVERITY = ["EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFORMATIONAL", "DEBUG"];
const rank = (p: string) => SEVERITY.indexOf(p.toUpperCase() === "INFO" ? "INFORMATIONAL" : p.toUpperCase());

describe("selectRules on upstream's three files", () => {
  const names = (sel: Parameters<typeof selectRules>[1]) => selectRules(load, sel).map((r) => r.name).sort();
  it("selects everything with no criteria", () => {
    expect(names({})).toEqual(described.map((r) => r.name).sort());
    expect(described.length).toBeGreaterThan(80);
  });
  it("by tag, without tag, and both", () => {
    const stable = described.filter((r) => r.tags.includes("maturity_stable")).map((r) => r.name).sort();
    expect(stable.length).toBe(25);
    expect(names({ tags: ["maturity_stable"] })).toEqual(stable);
    expect(names({ tags: ["maturity_stable", "maturity_sandbox"] })).toEqual(described.filter((r) => r.tags.includes("maturity_stable") || r.tags.includes("maturity_sandbox")).map((r) => r.name).sort());
    expect(names({ withoutTags: ["maturity_stable"] })).toEqual(described.filter((r) => !r.tags.includes("maturity_stable")).map((r) => r.name).sort());
    expect(names({ tags: ["container"], withoutTags: ["maturity_sandbox"] })).toEqual(described.filter((r) => r.tags.includes("container") && !r.tags.includes("maturity_sandbox")).map((r) => r.name).sort());
  });
  it("by priority range", () => {
    expect(names({ minPriority: "Warning" })).toEqual(described.filter((r) => rank(r.priority) <= rank("WARNING")).map((r) => r.name).sort());
    expect(names({ maxPriority: "Notice" })).toEqual(described.filter((r) => rank(r.priority) >= rank("NOTICE")).map((r) => r.name).sort());
    expect(names({ minPriority: "Critical", maxPriority: "Critical" })).toEqual(described.filter((r) => rank(r.priority) === rank("CRITICAL")).map((r) => r.name).sort());
  });
  it("by name wildcard, file, source and enabled state", () => {
    expect(names({ names: ["*shell*"] })).toEqual(described.filter((r) => r.name.includes("shell")).map((r) => r.name).sort());
    expect(names({ names: ["Terminal shell in container"] })).toEqual(["Terminal shell in container"]);
    expect(names({ file: (f) => f === "falco-sandbox_rules.yaml" })).toEqual(described.filter((r) => r.tags.includes("maturity_sandbox")).map((r) => r.name).sort());
    expect(names({ sources: ["syscall"] })).toEqual(described.map((r) => r.name).sort());
    expect(names({ sources: ["k8s_audit"] })).toEqual([]);
    expect(names({ enabled: false })).toEqual(described.filter((r) => !r.enabled).map((r) => r.name).sort());
  });
  it("reports where each rule is defined", () => {
    const [r] = selectRules(load, { names: ["Terminal shell in container"] });
    expect(r!.file).toBe("falco_rules.yaml");
    expect(files[0]!.text.split("\n")[r!.line - 1]).toBe("- rule: Terminal shell in container");
  });
});

describe("expandTemplate", () => {
  const env: Record<string, string> = { ENV: "prod", CLUSTER: "eu-1", EMPTY: "" };
  const look = (n: string) => env[n];
  it("substitutes variables and defaults", () => {
    expect(expandTemplate("env:${ENV}", look)).toBe("env:prod");
    expect(expandTemplate("${ENV}-${CLUSTER}", look)).toBe("prod-eu-1");
    expect(expandTemplate("zone:${ZONE:-none}", look)).toBe("zone:none");
    expect(expandTemplate("x:${EMPTY:-dflt}", look)).toBe("x:dflt");
    expect(expandTemplate("cost:$$5", look)).toBe("cost:$5");
    expect(expandTemplate("plain", look)).toBe("plain");
  });
  it("refuses unset variables and broken references", () => {
    expect(() => expandTemplate("env:${NOPE}", look)).toThrow(TemplateError);
    expect(() => expandTemplate("env:${NOPE}", look)).toThrow(/NOPE/);
    expect(() => expandTemplate("env:${ENV", look)).toThrow(TemplateError);
    expect(() => expandTemplate("env:${1X}", look)).toThrow(TemplateError);
  });
});
