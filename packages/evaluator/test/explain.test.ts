// Explain trees: a rule evaluated as Falco evaluates it, every macro, exception and check kept.
// The root's value must be the ruleset's own verdict for every (rule, event) pair of real data.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { conditionParts, loadRules, type ConditionParts, type LoadResult } from "@falcokit/engine";
import { eventCodesForName, PLUGINEVENT_E } from "@falcokit/fields";
import { Inspector, type EventContext } from "@falcokit/scap";
import {
  FieldEventSource,
  Ruleset,
  SyscallEventSource,
  explainRule,
  formatExplain,
  readFieldFixture,
  readSyscallFixture,
  syscallFixtureRecords,
  type ExplainNode,
  type FieldEvent,
  type FieldSource,
} from "../src/index.js";

const REPO = new URL("../../../", import.meta.url);
const SHARED = new URL("../../../../shared/", import.meta.url);
const read = (url: URL) => readFileSync(url, "utf8");

/** The events a syscall fixture hands to filters, as `falcokit replay` gets them (contexts are live: use each at once). */
function* syscallEvents(text: string): Generator<EventContext> {
  const { fixture, problems } = readSyscallFixture(text);
  expect(problems).toEqual([]);
  const inspector = new Inspector({ showHiddenEnterEvents: false });
  for (const rec of syscallFixtureRecords(fixture)) {
    const ctx = inspector.feed(rec);
    if (ctx) yield ctx;
  }
}

/** A ruleset with every rule enabled (explain does not look at `enabled`: compare all rules). */
function allEnabled<Ctx>(load: LoadResult, source: string, fields: FieldSource<Ctx>): Ruleset<Ctx> {
  const rs = Ruleset.build(load, source, fields);
  expect(rs.problems).toEqual([]);
  for (const r of rs.rules) r.enabled = true;
  return rs;
}

interface Tally {
  pairs: number;
  matched: number;
  ms: number;
  mismatches: string[];
}

/** Compares explainRule's root with the ruleset's verdict for every candidate rule of an event. */
function compare<Ctx>(load: LoadResult, rs: Ruleset<Ctx>, fields: FieldSource<Ctx>, ctx: Ctx, codes: readonly number[], label: string, tally: Tally, trees?: ExplainNode[]): void {
  const matched = new Set(rs.runCodes(ctx, codes, "all").map((r) => r.rule.info.name));
  const seen = new Set<string>();
  for (const code of codes) {
    for (const r of rs.candidates(code)) {
      const name = r.rule.info.name;
      if (seen.has(name)) continue;
      seen.add(name);
      const parts = conditionParts(load, name)!;
      const t0 = performance.now();
      const tree = explainRule(parts, fields, ctx);
      tally.ms += performance.now() - t0;
      tally.pairs++;
      if (tree.value) tally.matched++;
      if (tree.value !== matched.has(name)) tally.mismatches.push(`${label}: ${name}: explain ${tree.value}, ruleset ${matched.has(name)}`);
      trees?.push(tree);
    }
  }
}

/** Every node's value follows from its children's, left to right (the tree is internally consistent). */
function consistent(n: ExplainNode): boolean {
  const kids = n.children.map((k) => k.value);
  const fold = (stopAt: boolean): boolean | undefined => {
    for (const v of kids) {
      if (v === undefined) return undefined;
      if (v === stopAt) return stopAt;
    }
    return !stopAt;
  };
  let want: boolean | undefined;
  switch (n.kind) {
    case "check":
      return n.children.length === 0 && (n.value === undefined) === (n.reads === undefined);
    case "and":
      want = fold(false);
      break;
    case "or":
      want = fold(true);
      break;
    case "not":
      want = kids[0] === undefined ? undefined : !kids[0];
      break;
    case "macro":
    case "exception":
      want = kids[0];
      break;
    case "rule":
      want = kids[0] !== true ? kids[0] : kids.slice(1).some((v) => v === undefined) ? undefined : !kids.slice(1).some((v) => v);
      break;
  }
  return want === n.value && n.children.every(consistent);
}

describe("explainRule on real data gives the ruleset's verdict", () => {
  it("upstream falco_rules.yaml over every syscall fixture, every rule of the event's types", () => {
    const load = loadRules([{ name: "falco_rules.yaml", text: read(new URL("corpus/rules/upstream/latest/rules/falco_rules.yaml", SHARED)) }]);
    expect(load.files.every((f) => f.successful)).toBe(true);
    const fields = new SyscallEventSource(load.catalogs.get("syscall")!);
    const rs = allEnabled(load, "syscall", fields);
    const dir = new URL("fixtures/upstream/", REPO);
    const files = readdirSync(dir).filter((f) => f.endsWith(".syscalls.yaml"));
    expect(files.length).toBeGreaterThanOrEqual(50);
    const tally: Tally = { pairs: 0, matched: 0, ms: 0, mismatches: [] };
    const firedBy = new Map<string, Set<string>>();
    let inconsistent = 0;
    for (const file of files) {
      let n = 0;
      for (const ctx of syscallEvents(read(new URL(file, dir)))) {
        const trees: ExplainNode[] = [];
        compare(load, rs, fields, ctx, [ctx.event.type], `${file} #${++n}`, tally, trees);
        for (const t of trees) {
          if (!consistent(t)) inconsistent++;
          if (t.value) firedBy.set(file, (firedBy.get(file) ?? new Set()).add(t.label));
        }
      }
    }
    expect(tally.mismatches).toEqual([]);
    expect(inconsistent).toBe(0);
    expect(tally.pairs).toBeGreaterThan(900);
    // Every firing fixture fires its rule; no near miss does.
    let named = 0;
    for (const file of files) {
      const rule = /^# Upstream rule "([^"]+)"/m.exec(read(new URL(file, dir)))?.[1];
      if (rule === undefined) continue;
      named++;
      expect(firedBy.get(file)?.has(rule) ?? false, file).toBe(!file.includes("near-miss"));
    }
    expect(named).toBeGreaterThanOrEqual(50);
    expect(firedBy.get("shell-reads-shadow.syscalls.yaml")).toContain("Read sensitive file untrusted");
    console.log(`explain, upstream syscall fixtures: ${tally.pairs} rule-event pairs (${tally.matched} matches) in ${tally.ms.toFixed(0)} ms, ${Math.round(tally.pairs / (tally.ms / 1000))} pairs/s (first explain of each rule compiles it)`);

    // Once compiled, explaining is one evaluation plus the tree: time a second pass.
    const again: Tally = { pairs: 0, matched: 0, ms: 0, mismatches: [] };
    for (const file of files) for (const ctx of syscallEvents(read(new URL(file, dir)))) compare(load, rs, fields, ctx, [ctx.event.type], file, again);
    expect(again.mismatches).toEqual([]);
    console.log(`explain, second pass (compiled): ${again.pairs} pairs in ${again.ms.toFixed(0)} ms, ${Math.round(again.pairs / (again.ms / 1000))} pairs/s`);
  });

  it("the ACME rules with their local tuning over the ACME field-level fixture", () => {
    const load = loadRules(["acme_rules.yaml", "acme_rules.local.yaml"].map((f) => ({ name: `rules/${f}`, text: read(new URL(`rules/${f}`, REPO)) })));
    expect(load.files.every((f) => f.successful)).toBe(true);
    const fixture = readFieldFixture(read(new URL("fixtures/acme/cluster-activity.events.yaml", REPO)), load.catalogs);
    expect(fixture.problems).toEqual([]);
    const sources = new Map<string, { fields: FieldEventSource; rs: Ruleset<FieldEvent> }>();
    const tally: Tally = { pairs: 0, matched: 0, ms: 0, mismatches: [] };
    const trees: ExplainNode[] = [];
    for (const ev of fixture.events) {
      let s = sources.get(ev.source);
      if (!s) {
        const fields = new FieldEventSource(load.catalogs.get(ev.source)!);
        sources.set(ev.source, (s = { fields, rs: allEnabled(load, ev.source, fields) }));
      }
      const codes = ev.source === "syscall" ? eventCodesForName(ev.eventType!) : [PLUGINEVENT_E];
      compare(load, s.rs, s.fields, ev, codes, `line ${ev.line}`, tally, trees);
    }
    expect(tally.mismatches).toEqual([]);
    expect(tally.pairs).toBeGreaterThan(fixture.events.length);
    expect(tally.matched).toBeGreaterThan(5);
    expect(trees.every(consistent)).toBe(true);
    // Exceptions are evaluated, and some apply: the tuning is what the fixture's benign twins exercise.
    const exceptionValues = trees.flatMap((t) => t.children.filter((k) => k.kind === "exception").map((k) => k.value));
    expect(exceptionValues).toContain(true);
    expect(exceptionValues).toContain(false);
  });
});

const RULES = `- list: shell_binaries
  items: [bash, sh]
- macro: spawned_process
  condition: evt.type = execve
- macro: in_container
  condition: container.id != host
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
      values: [systemd, "my daemon"]
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
`;

describe("explain trees, by hand", () => {
  const load = loadRules([{ name: "shell.yaml", text: RULES }]);
  const parts = conditionParts(load, "Shell in container")!;
  const fixture = readFieldFixture(EVENTS, load.catalogs);
  const events = fixture.events;

  it("the rules and events load", () => {
    expect(load.files[0]!.successful).toBe(true);
    expect(fixture.problems).toEqual([]);
    expect(events).toHaveLength(4);
  });

  it("a match: macros, a list, an `or` cut short, the exception evaluated and not applying", () => {
    const fields = new FieldEventSource(load.catalogs.get("syscall")!);
    const tree = explainRule(parts, fields, events[0]!);
    expect(tree.value).toBe(true);
    expect(formatExplain(tree)).toBe(
      [
        "[T] rule Shell in container",
        "  [T] and",
        "    [T] macro spawned_process",
        "      [T] evt.type = execve | evt.type=execve",
        "    [T] or",
        "      [T] proc.name in (bash, sh) | proc.name=bash | list: shell_binaries",
        "      [-] proc.pname = sshd",
        "    [T] macro in_container",
        "      [T] container.id != host | container.id=3f2a1c9e8b7d",
        '  [F] exception trusted_parents',
        '    [F] proc.pname in (systemd, "my daemon") | proc.pname=node',
        "",
      ].join("\n"),
    );
    // Locations point into the rules file: the check as written (list name and all), the
    // macro reference, the macro's own check, the exception's name.
    const at = (n: ExplainNode) => RULES.slice(n.location!.range.start, n.location!.range.end);
    const and = tree.children[0]!;
    expect(at(and.children[1]!.children[0]!)).toBe("proc.name in (shell_binaries)");
    expect(at(and.children[0]!)).toBe("spawned_process");
    expect(at(and.children[0]!.children[0]!)).toBe("evt.type = execve");
    expect(at(tree.children[1]!)).toBe("trusted_parents");
    expect(tree.children[1]!.children[0]!.lists).toEqual([]);
  });

  it("the exception applies; the condition fails at once; the `or`'s second branch decides", () => {
    const fields = new FieldEventSource(load.catalogs.get("syscall")!);
    expect(formatExplain(explainRule(parts, fields, events[1]!), { maxDepth: 1 })).toBe(
      ["[F] rule Shell in container", "  [T] and ... (7 nodes hidden)", "  [T] exception trusted_parents ... (1 node hidden)", ""].join("\n"),
    );
    expect(formatExplain(explainRule(parts, fields, events[2]!))).toBe(
      [
        "[F] rule Shell in container",
        "  [F] and",
        "    [F] macro spawned_process",
        "      [F] evt.type = execve | evt.type=open",
        "    [-] or",
        "      [-] proc.name in (bash, sh) | list: shell_binaries",
        "      [-] proc.pname = sshd",
        "    [-] macro in_container",
        "      [-] container.id != host",
        "  [-] exception trusted_parents",
        '    [-] proc.pname in (systemd, "my daemon")',
        "",
      ].join("\n"),
    );
    // No container.id: the check is false, and the value read shows as Falco prints a missing one.
    expect(formatExplain(explainRule(parts, fields, events[3]!), { maxDepth: 3 })).toBe(
      [
        "[F] rule Shell in container",
        "  [F] and",
        "    [T] macro spawned_process",
        "      [T] evt.type = execve | evt.type=execve",
        "    [T] or",
        "      [F] proc.name in (bash, sh) | proc.name=ls | list: shell_binaries",
        "      [T] proc.pname = sshd | proc.pname=sshd",
        "    [F] macro in_container",
        "      [F] container.id != host | container.id=<NA>",
        "  [-] exception trusted_parents",
        '    [-] proc.pname in (systemd, "my daemon")',
        "",
      ].join("\n"),
    );
  });

  it("compiles the rule once per (parts, source): later events build no accessors", () => {
    const inner = new FieldEventSource(load.catalogs.get("syscall")!);
    let built = 0;
    const counting: FieldSource<FieldEvent> = {
      catalog: inner.catalog,
      accessor: (f) => {
        built++;
        return inner.accessor(f);
      },
    };
    const first = explainRule(parts, counting, events[0]!).value;
    const after = built;
    expect(after).toBeGreaterThan(0);
    const rest = events.slice(1).map((e) => explainRule(parts, counting, e).value);
    expect([first, ...rest]).toEqual([true, false, false, false]);
    expect(built).toBe(after);
    // Another source compiles its own.
    const other = new FieldEventSource(load.catalogs.get("syscall")!);
    expect(explainRule(parts, other, events[0]!).value).toBe(true);
  });

  it("long labels are cut in the text, never in the tree", () => {
    const fields = new FieldEventSource(load.catalogs.get("syscall")!);
    const tree = explainRule(parts, fields, events[0]!);
    const text = formatExplain(tree, { maxLabel: 12 });
    expect(text).toContain("[T] proc.name... | proc.name=bash | list: shell_binaries\n");
    expect(tree.children[0]!.children[1]!.children[0]!.label).toBe("proc.name in (bash, sh)");
  });

  it("a rule that cannot be compiled for the source throws, as the ruleset reports it", () => {
    const other = loadRules([{ name: "x.yaml", text: "- rule: x\n  desc: d\n  condition: evt.type = open and proc.name = x\n  output: o\n  priority: INFO\n" }]);
    const p: ConditionParts = conditionParts(other, "x")!;
    const auditFields = new FieldEventSource(load.catalogs.get("k8s_audit")!);
    expect(() => explainRule(p, auditFields as unknown as FieldSource<FieldEvent>, events[0]!)).toThrow(/not known to source/);
  });
});
