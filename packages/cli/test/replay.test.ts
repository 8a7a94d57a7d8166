import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO, SHARED, run } from "./harness.js";

const RULES = `${SHARED}corpus/rules/`;
const CAPTURES = `${SHARED}corpus/captures/`;
const tmp = mkdtempSync(join(tmpdir(), "falcokit-replay-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface JsonAlert {
  rule: string;
  priority: string;
  source: string;
  output: string;
  output_fields: Record<string, unknown>;
  evt_num: number;
  time: string;
  tags: string[];
}
const alerts = (stdout: string): JsonAlert[] =>
  stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as JsonAlert);
const counts = (as: JsonAlert[]) => {
  const m: Record<string, number> = {};
  for (const a of as) m[a.rule] = (m[a.rule] ?? 0) + 1;
  return m;
};

describe("falcokit replay on Falco's own regression captures", () => {
  const catRules = ["--rules", `${RULES}falco-tests/rules/single_rule.yaml`, "--rules", `${RULES}falco-tests/rules/double_rule.yaml`];

  it("cat_write.scap with --all-events --min-priority WARNING: open_from_cat 8 times, exec_from_cat once, access_from_cat never", async () => {
    const r = await run(["replay", "--format", "json", ...catRules, "--all-events", "--min-priority", "WARNING", `${CAPTURES}falco/cat_write.scap`], { cwd: REPO });
    expect(r.code).toBe(0);
    expect(counts(alerts(r.stdout))).toEqual({ open_from_cat: 8, exec_from_cat: 1 });
    for (const a of alerts(r.stdout)) expect(a.output).toContain("command=cat /dev/null");
  });

  it("without --all-events, the open enter events libs 0.25.4 hides raise nothing: 4 opens", async () => {
    const r = await run(["replay", "--format", "json", ...catRules, "--min-priority", "WARNING", `${CAPTURES}falco/cat_write.scap`], { cwd: REPO });
    expect(counts(alerts(r.stdout))).toEqual({ open_from_cat: 4, exec_from_cat: 1 });
  });

  it("access_from_cat (INFO) runs when the minimum priority allows it, and the summary counts by rule", async () => {
    const all = await run(["replay", ...catRules, "--all-events", `${CAPTURES}falco/cat_write.scap`], { cwd: REPO });
    const json = await run(["replay", "--format", "json", ...catRules, "--all-events", `${CAPTURES}falco/cat_write.scap`], { cwd: REPO });
    const c = counts(alerts(json.stdout));
    expect(all.stdout).toContain(`Events detected: ${alerts(json.stdout).length}`);
    for (const [rule, n] of Object.entries(c)) expect(all.stdout).toContain(`   ${rule}: ${n}\n`);
  });

  it("the gzip original and the decompressed copy give the same alerts", async () => {
    const a = await run(["replay", "--format", "json", ...catRules, `${CAPTURES}falco/cat_write.scap`], { cwd: REPO });
    const b = await run(["replay", "--format", "json", ...catRules, `${CAPTURES}uncompressed/falco/cat_write.scap`], { cwd: REPO });
    expect(a.stdout).toBe(b.stdout);
    expect(alerts(a.stdout).length).toBeGreaterThan(0);
  });
});

describe("falcokit replay on broken captures", () => {
  const raw = readFileSync(`${CAPTURES}uncompressed/falco/cat_write.scap`);
  const gz = readFileSync(`${CAPTURES}falco/cat_write.scap`);

  it("a truncated capture (many cut points) is reported with a byte offset, exit 1, never a crash", async () => {
    const file = join(tmp, "cut.scap");
    for (let cut = 12; cut < raw.length; cut += Math.floor(raw.length / 23)) {
      writeFileSync(file, raw.subarray(0, cut));
      const r = await run(["replay", "--no-summary", "--rules", `${RULES}falco-tests/rules/single_rule.yaml`, file], { cwd: REPO });
      expect(r.code, `cut at ${cut}`).toBe(1);
      expect(r.stderr, `cut at ${cut}`).toMatch(/^\S+cut\.scap: .*offset \d+/);
    }
  });

  it("a truncated gzip stream and an empty file are reported too", async () => {
    const file = join(tmp, "cut.scap.gz");
    writeFileSync(file, gz.subarray(0, Math.floor(gz.length / 2)));
    const r = await run(["replay", "--no-summary", "--rules", `${RULES}falco-tests/rules/single_rule.yaml`, file], { cwd: REPO });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("not a valid gzip stream");
    const empty = join(tmp, "empty.yaml");
    writeFileSync(empty, "");
    const e = await run(["replay", "--no-summary", "--rules", `${RULES}falco-tests/rules/single_rule.yaml`, empty], { cwd: REPO });
    expect(e.code).toBe(0);
    expect(e.stdout + e.stderr).toBe("");
  });

  it("a missing input is bad usage (exit 2); rules that do not load are refused (exit 1)", async () => {
    const missing = await run(["replay", "--rules", `${RULES}falco-tests/rules/single_rule.yaml`, join(tmp, "nope.scap")], { cwd: REPO });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no such file");
    const bad = await run(["replay", "--rules", `${RULES}falco-tests/rules/invalid_not_yaml.yaml`, `${CAPTURES}falco/cat_write.scap`], { cwd: REPO });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("the rules do not load");
  });
});

describe("falcokit replay on k8s audit events", () => {
  it("reads pretty-printed events and lists as well as one event per line", async () => {
    const line = readFileSync(`${CAPTURES}falco/k8s_audit/create_nginx_pod_privileged.json`, "utf8").split("\n")[0]!;
    const pretty = join(tmp, "pretty.json");
    writeFileSync(pretty, JSON.stringify([JSON.parse(line), JSON.parse(line)], null, 2));
    const rules = ["--rules", `${RULES}plugins/k8saudit/k8s_audit_rules.yaml`];
    const one = alerts((await run(["replay", "--format", "json", ...rules, `${CAPTURES}falco/k8s_audit/create_nginx_pod_privileged.json`], { cwd: REPO })).stdout);
    const two = await run(["replay", "--format", "json", ...rules, pretty], { cwd: REPO });
    expect(two.code).toBe(0);
    expect(alerts(two.stdout).map((a) => a.rule)).toEqual([...one, ...one].map((a) => a.rule));
    expect(one.length).toBe(1);
  });
});

describe("falcokit replay rule selection", () => {
  const acme = ["--rules", "rules/acme_rules.yaml", "--rules", "rules/acme_rules.local.yaml"];
  const fixture = "fixtures/acme/cluster-activity.events.yaml";

  it("the demo fixture makes every enabled ACME rule fire exactly once", async () => {
    const rules = await run(["rules", "rules/acme_rules.yaml", "rules/acme_rules.local.yaml", "--format", "json"], { cwd: REPO });
    const enabled = (JSON.parse(rules.stdout) as { rules: { info: { name: string; enabled: boolean } }[] }).rules.filter((r) => r.info.enabled).map((r) => r.info.name);
    const r = await run(["replay", "--format", "json", ...acme, fixture], { cwd: REPO });
    expect(r.code).toBe(0);
    expect(counts(alerts(r.stdout))).toEqual(Object.fromEntries(enabled.map((n) => [n, 1])));
  });

  it("--tag, --disable-tag, --disable-rule and --min-priority select as Falco's -t, -T, -D and priority do", async () => {
    const all = alerts((await run(["replay", "--format", "json", ...acme, fixture], { cwd: REPO })).stdout);
    const tagged = alerts((await run(["replay", "--format", "json", ...acme, "--tag", "network", "--tag", "shell", fixture], { cwd: REPO })).stdout);
    expect(tagged.map((a) => a.rule)).toEqual(all.filter((a) => a.tags.includes("network") || a.tags.includes("shell")).map((a) => a.rule));
    const untagged = alerts((await run(["replay", "--format", "json", ...acme, "--disable-tag", "process", fixture], { cwd: REPO })).stdout);
    expect(untagged.map((a) => a.rule)).toEqual(all.filter((a) => !a.tags.includes("process")).map((a) => a.rule));
    const noAcmeWrite = alerts((await run(["replay", "--format", "json", ...acme, "--disable-rule", "ACME Write*", fixture], { cwd: REPO })).stdout);
    expect(noAcmeWrite.map((a) => a.rule)).toEqual(all.filter((a) => !a.rule.startsWith("ACME Write")).map((a) => a.rule));
    const severe = alerts((await run(["replay", "--format", "json", ...acme, "--min-priority", "error", fixture], { cwd: REPO })).stdout);
    expect(severe.map((a) => a.rule)).toEqual(all.filter((a) => ["Emergency", "Alert", "Critical", "Error"].includes(a.priority)).map((a) => a.rule));
  });

  it("reads rules:, priority and append_output from a falco.yaml, with -o overrides", async () => {
    const config = join(tmp, "falco.yaml");
    writeFileSync(config, "priority: debug\nrules:\n  - disable:\n      tag: container\n  - enable:\n      rule: ACME Write Below Etc\nappend_output:\n  - match:\n      tags: [filesystem]\n    extra_output: 'cluster=prod-eu-1'\n");
    const r = await run(["replay", "--format", "json", ...acme, "--config", config, "-o", "rules[].disable.rule=ACME Ptrace*", fixture], { cwd: REPO });
    expect(r.code).toBe(0);
    const got = alerts(r.stdout);
    expect(got.map((a) => a.rule).sort()).toEqual(["ACME Write Below Etc"]);
    expect(got[0]!.output.endsWith(" cluster=prod-eu-1")).toBe(true);
    const badOption = await run(["replay", ...acme, "-o", "rules[x]=1", fixture], { cwd: REPO });
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain("expected a numeric index");
  });
});
