import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { memoryHost, parseTestFile, prettyReport, runTestFile, testFileSchema, type SuiteResult } from "../src/index.js";
import { AlertsAssertionError, expectAlerts } from "../src/vitest.js";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const ACME = readFileSync(`${REPO}rules/acme_rules.yaml`, "utf8");
const ACME_LOCAL = readFileSync(`${REPO}rules/acme_rules.local.yaml`, "utf8");
const DAY = readFileSync(`${REPO}fixtures/acme/cluster-activity.events.yaml`, "utf8");

const run = (testFile: string, extra: Record<string, string> = {}): SuiteResult => {
  const parsed = parseTestFile(testFile, "t/x.test.yaml");
  expect(parsed.problems).toEqual([]);
  return runTestFile(parsed.suite!, memoryHost({ "acme.yaml": ACME, "acme.local.yaml": ACME_LOCAL, "day.events.yaml": DAY, ...extra }));
};
const head = "rules: [../acme.yaml, ../acme.local.yaml]\ntests:\n";
const SHELL = "ACME Shell Spawned in Production Container";

describe("parseTestFile", () => {
  it("reads a file, keeping positions", () => {
    const r = parseTestFile(`${head}  - name: a\n    input: ../day.events.yaml\n    expect:\n      fires: [${SHELL}]\n`, "t/x.test.yaml");
    expect(r.problems).toEqual([]);
    const t = r.suite!.tests[0]!;
    expect(t.at).toEqual({ line: 3, column: 5 });
    expect(t.inputs).toEqual([{ kind: "file", path: "../day.events.yaml", at: { line: 4, column: 12 } }]);
    expect(t.expect.fires).toEqual([{ rule: SHELL, line: 6, column: 15 }]);
  });

  it("reports problems with their line and column", () => {
    const cases: [string, string][] = [
      ["rules: a.yaml\ntests:\n  - name: a\n    input: x\n    expect: {fire: [r]}\n", "5:14: tests.0.expect: unknown key 'fire'"],
      ["rules: a.yaml\ntests:\n  - name: a\n    expect: {}\n", "3:5: tests.0: a test needs input, events or syscalls"],
      ["tests:\n  - {name: a, input: x, expect: {}}\n", "1:1: the file: missing key 'rules'"],
      ["rules: a.yaml\ntests:\n  - {name: a, input: x, expect: {nothing: yes}}\n", "3:43: tests.0.expect.nothing: must be boolean"],
      ["rules: a.yaml\ntests:\n  - {name: a, input: x, expect: {}}\n  - {name: a, input: y, expect: {}}\n", "4:5: a test named 'a' is already at line 3"],
      ["rules: a.yaml\ntests: [\n", "3:1: Flow sequence in block collection must be sufficiently indented and end with a ]"],
    ];
    for (const [text, want] of cases) {
      const r = parseTestFile(text, "x.test.yaml");
      expect(r.suite).toBeUndefined();
      const p = r.problems[0]!;
      expect(`${p.line}:${p.column}: ${p.message}`).toBe(want);
    }
  });

  it("keeps the positions of inline events: their problems point into the test file", () => {
    const file = `${head}  - name: a\n    events:\n      - evt.type: execve\n        proc.nmae: bash\n    expect: {nothing: true}\n`;
    const r = run(file);
    expect(r.tests[0]!.failures.map((f) => f.message)).toEqual(["t/x.test.yaml:6:9: 'proc.nmae' is not a field of source syscall"]);
  });

  it("ships its JSON Schema as a file", () => {
    const file = JSON.parse(readFileSync(new URL("../schema/rules-test.schema.json", import.meta.url), "utf8")) as unknown;
    expect(file).toEqual(JSON.parse(JSON.stringify(testFileSchema)));
  });
});

describe("runTestFile", () => {
  it("passes and fails expectations on real rules and events", () => {
    const r = run(
      `${head}  - name: counts
    input: ../day.events.yaml
    expect:
      fires:
        - {rule: ${SHELL}, count: 1, priority: WARNING, fields: {proc.name: bash, container.name: checkout-api}}
        - {rule: ACME Write Below Etc, min: 1, max: 1, output_contains: [ld.so.preload, python3], output_matches: "user=root"}
  - name: wrong count and fields
    input: ../day.events.yaml
    expect:
      fires:
        - {rule: ${SHELL}, count: 2}
        - {rule: ACME Write Below Etc, priority: critical, fields: {proc.name: perl}}
      does_not_fire: [ACME Ptrace Attach by Non-Debugger]
  - name: unknown rule
    input: ../day.events.yaml
    expect: {fires: [ACME Nope]}
  - name: nothing and only
    input: ../day.events.yaml
    expect: {only: true, fires: [${SHELL}]}
`,
    );
    expect(r.problems).toEqual([]);
    const [counts, wrong, unknown, only] = r.tests;
    expect(counts!.status).toBe("passed");
    expect(counts!.events).toBe(15);
    expect(wrong!.failures.map((f) => f.message.split("\n")[0])).toEqual([
      `expected '${SHELL}' to fire exactly 2 times; it fired 1 time (at day.events.yaml:6)`,
      "'ACME Write Below Etc' fired (at day.events.yaml:54), but no alert is as expected: priority Error, not critical; proc.name is 'python3', not 'perl'",
      "expected 'ACME Ptrace Attach by Non-Debugger' not to fire; it fired 1 time (at day.events.yaml:190)",
    ]);
    expect(unknown!.failures.map((f) => f.message)).toEqual(["no rule named 'ACME Nope' in the loaded rules"]);
    expect(only!.failures.length).toBe(7);
    expect(only!.failures[0]!.message).toMatch(/^expected no rule but those listed to fire; 'ACME Write Below Etc' fired 1 time/);
  });

  it("explains a rule that did not fire, closest misses first, and one that fired when it should not", () => {
    const r = run(`${head}  - name: miss
    events:
      - {evt.type: execve, evt.failed: false, proc.name: bash, proc.pname: node, container.id: abc, k8s.ns.name: sandbox}
      - {evt.type: execve, evt.failed: false, proc.name: bash, proc.pname: node, container.id: host}
      - {evt.type: openat, evt.failed: false, fd.name: /tmp/x}
    expect: {fires: [${SHELL}]}
`);
    const f = r.tests[0]!.failures[0]!;
    expect(f.rule).toBe(SHELL);
    // Only the two execve events are of the rule's types; the closer miss comes first.
    expect(f.explains.map((e) => e.where)).toEqual(["t/x.test.yaml:5", "t/x.test.yaml:6"]);
    const text = prettyReport([r]);
    expect(text).toContain("k8s.ns.name in (storefront, checkout, payments, ledger, identity, settlement, payouts) | k8s.ns.name=sandbox");
    expect(text).toContain(`${SHELL} on t/x.test.yaml:5: does not match`);
  });

  it("says when a rule matched but rule_matching: first gave the event to an earlier rule", () => {
    const rules = `- rule: First\n  desc: d\n  condition: evt.type = execve and proc.name = bash\n  output: first\n  priority: INFO\n- rule: Second\n  desc: d\n  condition: evt.type = execve and proc.name startswith ba\n  output: second\n  priority: INFO\n`;
    const file = (matching: string) => `rules: r.yaml\nrule_matching: ${matching}\ntests:\n  - name: a\n    events: [{evt.type: execve, proc.name: bash}]\n    expect: {fires: [Second]}\n`;
    const host = memoryHost({ "r.yaml": rules });
    const first = runTestFile(parseTestFile(file("first"), "x.test.yaml").suite!, host);
    expect(first.tests[0]!.failures[0]!.explains[0]!.shadowedBy).toBe("First");
    expect(prettyReport([first])).toContain("(but rule_matching: first gave the event to 'First', loaded earlier)");
    const all = runTestFile(parseTestFile(file("all"), "x.test.yaml").suite!, host);
    expect(all.tests[0]!.status).toBe("passed");
  });

  it("fails every test of a file whose rules do not load, naming the error", () => {
    const parsed = parseTestFile(`rules: bad.yaml\ntests:\n  - {name: a, events: [{evt.type: open}], expect: {nothing: true}}\n`, "x.test.yaml");
    const r = runTestFile(parsed.suite!, memoryHost({ "bad.yaml": "- rule: r\n  desc: d\n  condition: proc.name =\n  output: o\n  priority: INFO\n" }));
    expect(r.tests[0]!.failures[0]!.message).toMatch(/^the rules do not load: bad\.yaml:3:\d+: /);
  });

  it("says why a rule cannot fire: disabled, or below the minimum priority", () => {
    const rules = "- rule: Off\n  desc: d\n  condition: evt.type = execve\n  output: o\n  priority: INFO\n  enabled: false\n";
    const r = runTestFile(parseTestFile(`rules: r.yaml\ntests:\n  - {name: a, events: [{evt.type: execve}], expect: {fires: [Off]}}\n  - {name: b, options: ["rules[].enable.rule=Off"], events: [{evt.type: execve}], expect: {fires: [Off]}}\n`, "x.test.yaml").suite!, memoryHost({ "r.yaml": rules }));
    expect(r.tests[0]!.failures[0]!.message).toMatch(/\(the rule is disabled\)$/);
    expect(r.tests[1]!.status).toBe("passed");
    const low = runTestFile(parseTestFile(`rules: r.yaml\npriority: warning\ntests:\n  - {name: a, events: [{evt.type: execve}], expect: {fires: [On]}}\n`, "x.test.yaml").suite!, memoryHost({ "r.yaml": rules.replace("Off", "On").replace("  enabled: false\n", "") }));
    expect(low.tests[0]!.failures[0]!.message).toMatch(/\(the rule is less severe than the minimum priority\)$/);
  });
});

describe("expectAlerts", () => {
  it("passes silently and fails with the runner's report", () => {
    const ok = expectAlerts({ rules: { "acme.yaml": ACME, "acme.local.yaml": ACME_LOCAL }, files: { "day.yaml": DAY }, input: "day.yaml", expect: { fires: [SHELL] } });
    expect(ok.alerts.length).toBe(8);
    let error: unknown;
    try {
      expectAlerts({ rules: { "acme.yaml": ACME }, events: [{ "evt.type": "execve", "proc.name": "bash", "container.id": "host" }], expect: { fires: [SHELL] } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AlertsAssertionError);
    expect((error as Error).message).toContain(`expected '${SHELL}' to fire at least 1 time; it fired 0 times`);
    expect((error as Error).message).toContain("[F] evt.failed = false | evt.failed=<NA>");
  });
});

describe("captures and audit events as test inputs", () => {
  it("replays a gzip .scap capture and a k8s audit event as falcokit replay does", async () => {
    const { gunzipSync } = await import("node:zlib");
    const SHARED = `${REPO}../shared/`;
    const host = memoryHost(
      {
        "single_rule.yaml": readFileSync(`${SHARED}corpus/rules/falco-tests/rules/single_rule.yaml`, "utf8"),
        "k8s_audit_rules.yaml": readFileSync(`${SHARED}corpus/rules/plugins/k8saudit/k8s_audit_rules.yaml`, "utf8"),
        "cat_write.scap": new Uint8Array(readFileSync(`${SHARED}corpus/captures/falco/cat_write.scap`)),
        "create_clusterrole.json": readFileSync(`${SHARED}corpus/captures/falco/k8s_audit/create_clusterrole.json`, "utf8"),
      },
      (b) => new Uint8Array(gunzipSync(b)),
    );
    const file = `rules: [single_rule.yaml, k8s_audit_rules.yaml]
tests:
  - name: capture
    input: cat_write.scap
    expect: {only: true, fires: [{rule: open_from_cat, count: 4, output_contains: "command=cat /dev/null"}]}
  - name: audit
    input: create_clusterrole.json
    expect: {only: true, fires: [{rule: K8s ClusterRole Created, priority: info}]}
`;
    const r = runTestFile(parseTestFile(file, "x.test.yaml").suite!, host);
    expect(r.tests.map((t) => [t.name, t.status, t.failures.map((f) => f.message)])).toEqual([
      ["capture", "passed", []],
      ["audit", "passed", []],
    ]);
    expect(r.tests[0]!.events).toBeGreaterThan(100);
    expect(r.tests[0]!.alerts.every((a) => /^cat_write\.scap#\d+$/.test(a.where))).toBe(true);
  });
});

describe("runtime errors", () => {
  it("stops an input where Falco would stop, with the rule and the event", () => {
    const rules = "- rule: R\n  desc: d\n  condition: evt.type = connect and fd.sip.name contains kube\n  output: o\n  priority: INFO\n";
    const fixture = readFileSync(`${REPO}fixtures/upstream/contact-k8s-api-server-from-container.syscalls.yaml`, "utf8");
    const r = runTestFile(parseTestFile("rules: r.yaml\ntests:\n  - {name: a, input: f.syscalls.yaml, expect: {nothing: true}}\n", "x.test.yaml").suite!, memoryHost({ "r.yaml": rules, "f.syscalls.yaml": fixture }));
    expect(r.tests[0]!.failures.map((f) => f.message)).toEqual([
      expect.stringMatching(/^f\.syscalls\.yaml:\d+: Falco stops here with a runtime error: rule 'R': filter error: fd\.\*ip\.name filter only supports '=' and '!=' operators$/),
    ]);
  });
});

describe("the dns key", () => {
  it("answers fd.sip.name on captures", async () => {
    const { gunzipSync } = await import("node:zlib");
    const files = {
      "g.yaml": readFileSync(`${REPO}docs/examples/replay/google.yaml`, "utf8"),
      "c.scap": new Uint8Array(readFileSync(`${REPO}../shared/corpus/captures/libs/curl_google.scap`)),
    };
    const file = (dns: string) => `rules: g.yaml\n${dns}tests:\n  - {name: a, input: c.scap, expect: {fires: [Connection to Google]}}\n`;
    const host = memoryHost(files, (b) => new Uint8Array(gunzipSync(b)));
    const told = runTestFile(parseTestFile(file("dns: {www.google.com: 2607:f8b0:4004:802::2004}\n"), "x.test.yaml").suite!, host);
    expect(told.tests[0]!.status).toBe("passed");
    const untold = runTestFile(parseTestFile(file(""), "x.test.yaml").suite!, host);
    expect(untold.tests[0]!.status).toBe("failed");
    const bad = runTestFile(parseTestFile(file("dns: {www.google.com: [x]}\n"), "x.test.yaml").suite!, host);
    expect(bad.tests[0]!.failures[0]!.message).toBe("dns: 'x' is not an IPv4 or IPv6 address");
  });
});
