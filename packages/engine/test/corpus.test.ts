import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildCatalogs, DEFAULT_PLUGINS } from "@falcokit/fields";
import { describeRuleset, loadRules, type LoadResult } from "../src/index.js";
import { SHARED, readShared } from "./shared.js";

const RULES = join(SHARED, "corpus/rules");
const load = (paths: string[], plugins?: string[]) =>
  loadRules(
    paths.map((p) => ({ name: p, text: readFileSync(join(RULES, p), "utf8") })),
    plugins ? { catalogs: buildCatalogs([...DEFAULT_PLUGINS, ...plugins]) } : {},
  );
const problems = (r: LoadResult, severity: "error" | "warning") =>
  r.files.flatMap((f) => f.diagnostics.filter((d) => d.severity === severity).map((d) => `${f.name}: ${d.falco?.code} ${d.message}`));

function yamlFiles(dir: string): string[] {
  return readdirSync(join(RULES, dir))
    .sort()
    .flatMap((n) => {
      const rel = `${dir}/${n}`;
      return statSync(join(RULES, rel)).isDirectory() ? yamlFiles(rel) : /\.ya?ml$/.test(n) ? [rel] : [];
    });
}

/** Files that extend another one, and the plugins some files need (as the SDK examples). */
const BEFORE: Record<string, string[]> = {
  "plugins/k8saudit-gke/k8s_audit_rules_gke.yaml": ["plugins/k8saudit/k8s_audit_rules.yaml"],
};
const PLUGINS: Record<string, string[]> = {
  "plugins/dummy/dummy_rules.yaml": ["dummy"],
  "plugins/dummy_c/dummy_c_rules.yaml": ["dummy_c"],
  "plugins/dummy_rs/dummy_rs_rules.yaml": ["dummy_rs"],
  "plugins/hashicorp-vault/hashicorp-vault_rules.yaml": ["hashicorp-vault"],
};

describe("the rules corpus through the engine", () => {
  for (const file of [...yamlFiles("upstream/latest"), ...yamlFiles("plugins")]) {
    it(`${file} loads with no errors`, () => {
      const r = load([...(BEFORE[file] ?? []), file], PLUGINS[file]);
      expect(problems(r, "error")).toEqual([]);
      expect(r.files.at(-1)!.diagnostics.filter((d) => d.falco?.code === "LOAD_UNKNOWN_SOURCE")).toEqual([]);
    });
  }

  it("stable, incubating and sandbox loaded together give no warnings, as upstream CI demands", () => {
    const r = load(["falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml"].map((f) => `upstream/latest/rules/${f}`));
    expect(problems(r, "error")).toEqual([]);
    expect(problems(r, "warning")).toEqual([]);
    expect(r.compiled!.rules.length).toBeGreaterThan(80);
  });

  it("every release of upstream's stable rules loads without errors", () => {
    for (const v of ["falco-rules-1.0.0", "falco-rules-2.0.0", "falco-rules-3.0.0", "falco-rules-4.0.0", "falco-rules-5.1.0"]) {
      expect(problems(load([`upstream/${v}/rules/falco_rules.yaml`]), "error"), v).toEqual([]);
    }
  });

  it("every intentionally invalid test file fails, except those that fail only with another file or configuration", () => {
    // Rejected by Falco only together with another file, another plugin set or a plugin version.
    const inCombination = new Set([
      "falco-tests/removed-earlier/invalid_unexpected_object.yaml",
      "falco-tests/rules/plugins/cloudtrail_create_instances.yaml",
      "falco-tests/rules/plugins/cloudtrail_incompat_plugin_version.yaml",
      "falco-tests/rules/single_rule.yaml",
      "falco-tests/testing-repo/single_rule.yaml",
      "falco-tests/testing-repo/invalid_base_macro.yaml",
      "falco-tests/testing-repo/invalid_base_rule.yaml",
    ]);
    const invalid = [...readShared("corpus/rules/MANIFEST.md").matchAll(/^\| `([^`]+)` \|.*INTENTIONALLY INVALID/gm)].map((m) => m[1]!);
    expect(invalid.length).toBeGreaterThan(80);
    const passing = invalid.filter((f) => !inCombination.has(f) && load([f]).files.every((x) => x.successful));
    expect(passing).toEqual([]);
    // And the ones that need a combination do fail in it.
    const withPluginVersion = loadRules([{ name: "p.yaml", text: readShared("corpus/rules/falco-tests/rules/plugins/cloudtrail_incompat_plugin_version.yaml") }], {
      plugins: [{ name: "cloudtrail", version: "0.1.0" }],
    });
    expect(withPluginVersion.files[0]!.successful).toBe(false);
  });
});

describe("details.plugins of the effective ruleset", () => {
  it("lists the container plugin exactly for upstream rules that read container.* or k8s.* fields", () => {
    const r = load(["upstream/latest/rules/falco_rules.yaml", "upstream/latest/rules/falco-incubating_rules.yaml"]);
    const d = describeRuleset(r.collector, r.compiled!, r.catalogs);
    expect(d.rules.length).toBeGreaterThan(50);
    for (const rule of d.rules) {
      const text = `${rule.details.condition_compiled} ${rule.details.output_compiled}`;
      const readsContainer = /\b(container|k8s)\.[a-z]/.test(text);
      expect(rule.details.plugins.includes("container"), rule.info.name).toBe(readsContainer);
    }
    // Macros and lists never list plugins (Falco cannot tell which source they serve).
    expect(d.macros.every((m) => m.details.plugins.length === 0)).toBe(true);
  });

  it("lists the source plugin for every rule of a plugin's rules file", () => {
    for (const [file, plugin] of [
      ["plugins/k8saudit/k8s_audit_rules.yaml", "k8saudit"],
      ["plugins/cloudtrail/aws_cloudtrail_rules.yaml", "cloudtrail"],
      ["plugins/okta/okta_rules.yaml", "okta"],
      ["plugins/github/github.yaml", "github"],
      ["plugins/gcpaudit/gcp_auditlog_rules.yaml", "gcpaudit"],
    ] as const) {
      const r = load([file]);
      const d = describeRuleset(r.collector, r.compiled!, r.catalogs);
      expect(d.rules.length, file).toBeGreaterThan(0);
      for (const rule of d.rules) expect(rule.details.plugins, `${file}: ${rule.info.name}`).toContain(plugin);
    }
  });
});
