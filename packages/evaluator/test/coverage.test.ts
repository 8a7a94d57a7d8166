// Condition coverage from explain trees: rules, macros (across rules), lists (through their
// checks), exceptions and checks, with everything the files define counted, used or not.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { nodesOf } from "@falcokit/condition";
import { conditionParts, loadRules, macroCondition, type LoadResult } from "@falcokit/engine";
import { eventCodesForName, PLUGINEVENT_E } from "@falcokit/fields";
import { Inspector } from "@falcokit/scap";
import {
  Coverage,
  FieldEventSource,
  Ruleset,
  SyscallEventSource,
  explainRule,
  formatCoverage,
  readFieldFixture,
  readSyscallFixture,
  syscallFixtureRecords,
  type CoverageReport,
  type FieldEvent,
} from "../src/index.js";

const REPO = new URL("../../../", import.meta.url);
const SHARED = new URL("../../../../shared/", import.meta.url);
const read = (url: URL) => readFileSync(url, "utf8");

const RULES = `- list: shell_binaries
  items: [bash, sh]
- list: forgotten
  items: [x, y]
- macro: spawned_process
  condition: evt.type = execve
- macro: in_container
  condition: container.id != host
- macro: unused_macro
  condition: proc.name in (forgotten)
- rule: Shell in container
  desc: a shell in a container
  condition: >
    spawned_process
    and (proc.name in (shell_binaries) or proc.pname = sshd)
    and in_container
  output: shell %proc.name
  priority: WARNING
  exceptions:
    - name: trusted_parents
      fields: proc.pname
      comps: in
      values: [systemd]
- rule: Exec on host
  desc: any program on the host
  condition: spawned_process and not in_container
  output: exec %proc.name
  priority: NOTICE
  enabled: false
`;

const EVENTS = `
- evt.type: execve
  proc.name: bash
  proc.pname: node
  container.id: 3f2a1c9e8b7d
- evt.type: execve
  proc.name: bash
  proc.pname: systemd
  container.id: 3f2a1c9e8b7d
- evt.type: open
  proc.name: ls
- evt.type: execve
  proc.name: ls
  proc.pname: sshd
  container.id: host
`;

/** Coverage of the handwritten rules over the handwritten events (every rule on every event). */
function handwritten(events = EVENTS): { load: LoadResult; report: CoverageReport; coverage: Coverage } {
  const load = loadRules([{ name: "shell.yaml", text: RULES }]);
  expect(load.files[0]!.successful).toBe(true);
  const fixture = readFieldFixture(events, load.catalogs);
  expect(fixture.problems).toEqual([]);
  const fields = new FieldEventSource(load.catalogs.get("syscall")!);
  const coverage = new Coverage(load);
  for (const ev of fixture.events) for (const rule of ["Shell in container", "Exec on host"]) coverage.add(explainRule(conditionParts(load, rule)!, fields, ev));
  return { load, report: coverage.report(), coverage };
}

const seen = (e: { sawTrue: boolean; sawFalse: boolean }) => `${e.sawTrue ? "T" : "."}${e.sawFalse ? "F" : "."}`;

describe("coverage, by hand", () => {
  it("every element with the outcomes seen, unused and disabled ones included", () => {
    const { report } = handwritten();
    expect(report.trees).toBe(8);
    expect(report.rules.map((r) => [r.name, seen(r), r.enabled, r.line, r.evaluations])).toEqual([
      ["Shell in container", "TF", true, 11, 4],
      ["Exec on host", "TF", false, 24, 4],
    ]);
    // Macros over both rules; the unused one never evaluated.
    expect(report.macros.map((m) => [m.name, seen(m), m.line, m.evaluations])).toEqual([
      ["spawned_process", "TF", 5, 8],
      ["in_container", "TF", 7, 6],
      ["unused_macro", "..", 9, 0],
    ]);
    // shell_binaries through `proc.name in (bash, sh)`: true (bash), false (ls); `forgotten` only in the unused macro.
    expect(report.lists.map((l) => [l.name, seen(l), l.line])).toEqual([
      ["shell_binaries", "TF", 1],
      ["forgotten", "..", 3],
    ]);
    expect(report.exceptions.map((x) => [x.rule, x.name, seen(x), x.line])).toEqual([["Shell in container", "trusted_parents", "TF", 20]]);
    expect(report.atoms.map((o) => [o.kind, o.owner, o.atoms.map((a) => [a.index, a.label, seen(a), a.line])])).toEqual([
      [
        "rule",
        "Shell in container",
        [
          [0, "proc.name in (bash, sh)", "TF", 15],
          [1, "proc.pname = sshd", "T.", 15],
          [2, "proc.pname in (systemd)", "TF", 20],
        ],
      ],
      ["rule", "Exec on host", []],
      ["macro", "spawned_process", [[0, "evt.type = execve", "TF", 6]]],
      ["macro", "in_container", [[0, "container.id != host", "TF", 8]]],
      ["macro", "unused_macro", [[0, "proc.name in (x, y)", "..", 10]]],
    ]);
    expect(report.totals.rules).toEqual({ total: 2, covered: 2, seen: 2, coveredPercent: 100, seenPercent: 100 });
    expect(report.totals.macros).toEqual({ total: 3, covered: 2, seen: 2, coveredPercent: 66.7, seenPercent: 66.7 });
    expect(report.totals.atoms).toEqual({ total: 6, covered: 4, seen: 5, coveredPercent: 66.7, seenPercent: 83.3 });
    expect(report.totals.all).toEqual({ total: 14, covered: 10, seen: 11, coveredPercent: 71.4, seenPercent: 78.6 });
    expect(report.totals.percent).toBe(71.4);
  });

  it("the text table", () => {
    const { report } = handwritten();
    expect(formatCoverage(report)).toBe(
      [
        "Coverage over 8 rule evaluations  (T: true seen, F: false seen, .: never)",
        "Rules (2 fired, 2 not fired): 2/2 covered (100.0%), 2/2 seen (100.0%)",
        "  TF  Shell in container  shell.yaml:11",
        "  TF  Exec on host        shell.yaml:24  (disabled)",
        "Macros: 2/3 covered (66.7%), 2/3 seen (66.7%)",
        "  TF  spawned_process  shell.yaml:5",
        "  TF  in_container     shell.yaml:7",
        "  ..  unused_macro     shell.yaml:9",
        "Lists: 1/2 covered (50.0%), 1/2 seen (50.0%)",
        "  TF  shell_binaries  shell.yaml:1",
        "  ..  forgotten       shell.yaml:3",
        "Exceptions: 1/1 covered (100.0%), 1/1 seen (100.0%)",
        "  TF  Shell in container / trusted_parents  shell.yaml:20",
        "Atoms: 4/6 covered (66.7%), 5/6 seen (83.3%)",
        "  rule Shell in container",
        "    TF  proc.name in (bash, sh)  shell.yaml:15",
        "    T.  proc.pname = sshd  shell.yaml:15",
        "    TF  proc.pname in (systemd)  shell.yaml:20",
        "  macro spawned_process",
        "    TF  evt.type = execve  shell.yaml:6",
        "  macro in_container",
        "    TF  container.id != host  shell.yaml:8",
        "  macro unused_macro",
        "    ..  proc.name in (x, y)  shell.yaml:10",
        "Totals: rules 100.0%, macros 66.7%, lists 50.0%, exceptions 100.0%, atoms 66.7% covered; all 10/14 covered (71.4%), 11/14 seen (78.6%)",
        "",
      ].join("\n"),
    );
  });

  it("fewer events, fewer outcomes; merging coverages adds them up", () => {
    const [first, ...rest] = EVENTS.split(/\n(?=- )/).filter((s) => s.trim() !== "");
    const one = handwritten(first!);
    expect(one.report.rules.map(seen)).toEqual(["T.", ".F"]);
    expect(one.report.exceptions.map(seen)).toEqual([".F"]);
    const atoms = one.report.atoms.find((o) => o.owner === "Shell in container")!.atoms;
    // The `or` stopped at its first branch: the second was never evaluated.
    expect(atoms.map(seen)).toEqual(["T.", "..", ".F"]);
    const others = handwritten(rest.join("\n"));
    const merged = Coverage.merge(one.coverage, others.coverage).report();
    expect(merged).toEqual(handwritten().report);
  });

  it("a tree of another load is recorded under its own names", () => {
    const { load } = handwritten();
    const other = loadRules([{ name: "o.yaml", text: "- rule: Other\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n" }]);
    const fields = new FieldEventSource(other.catalogs.get("syscall")!);
    const fixture = readFieldFixture(EVENTS, other.catalogs);
    const coverage = new Coverage(load);
    coverage.add(explainRule(conditionParts(other, "Other")!, fields, fixture.events[2]!));
    const report = coverage.report();
    expect(report.rules.map((r) => [r.name, seen(r), r.file])).toEqual([
      ["Shell in container", "..", "shell.yaml"],
      ["Exec on host", "..", "shell.yaml"],
      ["Other", "T.", ""],
    ]);
    expect(report.atoms.at(-1)).toMatchObject({ kind: "rule", owner: "Other", atoms: [{ label: "evt.type = open", sawTrue: true, sawFalse: false }] });
  });
});

describe("coverage of real data", () => {
  it("the ACME rules over the ACME fixture: every fired rule seen true, every part of the files known", () => {
    const load = loadRules(["acme_rules.yaml", "acme_rules.local.yaml"].map((f) => ({ name: `rules/${f}`, text: read(new URL(`rules/${f}`, REPO)) })));
    const fixture = readFieldFixture(read(new URL("fixtures/acme/cluster-activity.events.yaml", REPO)), load.catalogs);
    expect(fixture.problems).toEqual([]);
    const coverage = new Coverage(load);
    const fired = new Set<string>();
    const rulesets = new Map<string, { fields: FieldEventSource; rs: Ruleset<FieldEvent> }>();
    for (const ev of fixture.events) {
      let s = rulesets.get(ev.source);
      if (!s) {
        const fields = new FieldEventSource(load.catalogs.get(ev.source)!);
        rulesets.set(ev.source, (s = { fields, rs: Ruleset.build(load, ev.source, fields) }));
      }
      const codes = ev.source === "syscall" ? eventCodesForName(ev.eventType!) : [PLUGINEVENT_E];
      for (const r of s.rs.runCodes(ev, codes, "all")) fired.add(r.rule.info.name);
      const names = new Set(codes.flatMap((c) => s.rs.candidates(c).map((r) => r.rule.info.name)));
      for (const name of names) coverage.add(explainRule(conditionParts(load, name)!, s.fields, ev));
    }
    const report = coverage.report();
    expect(fired.size).toBeGreaterThan(5);
    expect(report.rules.filter((r) => r.sawTrue).map((r) => r.name).sort()).toEqual([...fired].sort());
    // Everything defined is there, with where it is defined.
    expect(report.rules.map((r) => r.name).sort()).toEqual(load.collector.rules.items.map((r) => r.name).sort());
    expect(report.macros.map((m) => m.name).sort()).toEqual(load.collector.macros.items.map((m) => m.name).sort());
    expect(report.lists.map((l) => l.name).sort()).toEqual(load.collector.lists.items.map((l) => l.name).sort());
    for (const e of [...report.rules, ...report.macros, ...report.lists, ...report.exceptions]) {
      expect(e.file, e.name).toMatch(/^rules\/acme_rules(\.local)?\.yaml$/);
      expect(e.line, e.name).toBeGreaterThan(0);
    }
    // The local file's override disabled one rule; its appended exception is known at its own line.
    expect(report.rules.filter((r) => !r.enabled).map((r) => r.name)).toEqual(["ACME Privileged Binary Written Under Usr Local Bin"]);
    const renderers = report.exceptions.find((x) => x.name === "config_renderers")!;
    expect(renderers.file).toBe("rules/acme_rules.yaml");
    expect(report.exceptions.some((x) => x.sawTrue)).toBe(true);
    // Atoms: one per check of every rule and macro.
    const checks = (load.compiled!.rules ?? []).reduce((n, r) => {
      const p = conditionParts(load, r.info.name)!;
      return n + [p.condition, ...p.exceptions.map((x) => x.condition)].reduce((m, t) => m + nodesOf(t).filter((k) => k.type === "binary_check" || k.type === "unary_check").length, 0);
    }, 0);
    expect(report.atoms.filter((o) => o.kind === "rule").reduce((n, o) => n + o.atoms.length, 0)).toBe(checks);
    const t = report.totals;
    for (const x of [t.rules, t.macros, t.lists, t.exceptions, t.atoms, t.all]) {
      expect(x.covered).toBeLessThanOrEqual(x.seen);
      expect(x.seen).toBeLessThanOrEqual(x.total);
    }
    expect(t.all.total).toBe(t.rules.total + t.macros.total + t.lists.total + t.exceptions.total + t.atoms.total);
    expect(t.atoms.covered).toBeGreaterThan(10);
    // The list appended by the local file is credited when its check is evaluated.
    expect(report.lists.find((l) => l.name === "acme_production_namespaces")).toMatchObject({ sawTrue: true, sawFalse: true });
    const text = formatCoverage(report);
    // Explained like any other (the test explains every rule of the event's types), marked disabled.
    expect(text).toMatch(/\n {2}\.F {2}ACME Privileged Binary Written Under Usr Local Bin +rules\/acme_rules\.yaml:\d+ {2}\(disabled\)\n/);
    expect(text).toMatch(/\nTotals: rules [\d.]+%, .* all \d+\/\d+ covered/);
  });

  it("upstream falco_rules.yaml over the syscall fixtures: each fixture pair covers its rule both ways", () => {
    const load = loadRules([{ name: "falco_rules.yaml", text: read(new URL("corpus/rules/upstream/latest/rules/falco_rules.yaml", SHARED)) }]);
    const fields = new SyscallEventSource(load.catalogs.get("syscall")!);
    const rs = Ruleset.build(load, "syscall", fields);
    const coverage = new Coverage(load);
    const dir = new URL("fixtures/upstream/", REPO);
    const named = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".syscalls.yaml"))) {
      const text = read(new URL(file, dir));
      const rule = /^# Upstream rule "([^"]+)"/m.exec(text)?.[1];
      if (rule) named.add(rule);
      const { fixture, problems } = readSyscallFixture(text);
      expect(problems).toEqual([]);
      const inspector = new Inspector({ showHiddenEnterEvents: false });
      for (const rec of syscallFixtureRecords(fixture)) {
        const ctx = inspector.feed(rec);
        if (!ctx) continue;
        for (const r of rs.candidates(ctx.event.type)) coverage.add(explainRule(conditionParts(load, r.rule.info.name)!, fields, ctx));
      }
    }
    const report = coverage.report();
    expect(named.size).toBe(25);
    for (const name of named) expect(report.rules.find((r) => r.name === name), name).toMatchObject({ sawTrue: true, sawFalse: true });
    // Every rule is listed; the evaluations counted are the trees added.
    expect(report.rules).toHaveLength(load.collector.rules.items.length);
    expect(report.rules.reduce((n, r) => n + r.evaluations, 0)).toBe(report.trees);
    // One atom per check of every rule (condition and exceptions) and of every macro.
    const isCheck = (k: { type: string }) => k.type === "binary_check" || k.type === "unary_check";
    const ruleChecks = load.compiled!.rules.reduce((n, r) => {
      const p = conditionParts(load, r.info.name)!;
      return n + [p.condition, ...p.exceptions.map((x) => x.condition)].reduce((m, t) => m + nodesOf(t).filter(isCheck).length, 0);
    }, 0);
    const macroChecks = load.collector.macros.items.reduce((n, m) => n + nodesOf(macroCondition(load, m.name)!).filter(isCheck).length, 0);
    expect(report.totals.atoms.total).toBe(ruleChecks + macroChecks);
    expect(report.totals.atoms.total).toBeGreaterThan(200);
    // spawned_process is only reached on the execve events of its rules' types: it can never be false there.
    expect(report.macros.find((m) => m.name === "spawned_process")).toMatchObject({ sawTrue: true, sawFalse: false });
    console.log(formatCoverage(report).split("\n").filter((l) => /^(Rules|Macros|Lists|Exceptions|Atoms|Totals)/.test(l)).join("\n"));
    expect(report.macros.find((m) => m.name === "container")).toMatchObject({ sawTrue: true, sawFalse: true });
    expect(report.lists.find((l) => l.name === "shell_binaries")).toMatchObject({ sawTrue: true, sawFalse: true });
  });
});
