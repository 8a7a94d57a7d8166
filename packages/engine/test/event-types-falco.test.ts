import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { parseCondition, type Expr } from "@falcokit/condition";
import { ALL_EVENT_CODES, ALL_SC_CODES, ASYNCEVENT_E, eventNamesToCodes, eventNamesToScCodes } from "@falcokit/fields";
import {
  NO_EVTTYPE_MESSAGE,
  describeEventNames,
  eventTypesOf,
  indexCodes,
  noEventTypeWarning,
  rulesetEventNames,
  type EventTypeOptions,
  type EventTypeSet,
} from "../src/event-types.js";
import { parse, types } from "./trees.js";

/*
 * What Falco makes of event-type sets: LOAD_NO_EVTTYPE, the runtime buckets, `details.events`,
 * and the interesting sets of a ruleset. Vectors from ../shared/conformance/rule-loader-cases.json.
 */

const SHARED = fileURLToPath(new URL("../../../../shared/", import.meta.url));
const readShared = (p: string) => readFileSync(SHARED + p, "utf8");

interface LoaderCase {
  id?: string;
  name?: string;
  kind?: string;
  filters?: string[];
  expect?: { event_names: string[]; syscall_names: string[] };
  steps?: { load: { content: string }; expect: { warnings_contain?: string[]; warnings_do_not_contain?: string[] } }[];
  spec?: { validate_warnings?: { item_name: string; code: string; message: string }[] };
  rules_file_contents?: Record<string, string>;
}
const loader = JSON.parse(readShared("conformance/rule-loader-cases.json")) as { groups: Record<string, { cases: LoaderCase[] }> };
const unitCases = loader.groups["falco_unit_tests"]!.cases;
const legacyCases = loader.groups["falco_legacy_regression_validation"]!.cases;


/** Rules of a rules file with macros substituted textually (enough for these small files). */
function rulesOf(content: string): { name: string; condition: string; warn: boolean }[] {
  const items = (parseYaml(content, { logLevel: "error" }) ?? []) as Record<string, unknown>[];
  const macros = new Map<string, string>();
  for (const i of items) if (typeof i["macro"] === "string") macros.set(i["macro"], String(i["condition"]));
  const expand = (cond: string, depth = 0): string =>
    depth > 20 ? cond : cond.replace(/\b[A-Za-z_][A-Za-z0-9_]*\b/g, (w) => (macros.has(w) ? `(${expand(macros.get(w)!, depth + 1)})` : w));
  return items
    .filter((i) => typeof i["rule"] === "string")
    .map((i) => ({ name: String(i["rule"]), condition: expand(String(i["condition"])), warn: i["warn_evttypes"] !== false }));
}

function warnedRules(content: string, options?: EventTypeOptions): string[] {
  return rulesOf(content)
    .filter((r) => r.warn && noEventTypeWarning(types(r.condition, options)))
    .map((r) => r.name);
}

describe("LOAD_NO_EVTTYPE", () => {
  it("has Falco's message", () => {
    expect(NO_EVTTYPE_MESSAGE).toBe("Rule matches too many evt.type values. This has a significant performance penalty.");
  });

  it("fires above 100 codes", () => {
    expect(noEventTypeWarning(types("proc.name = cat"))).toBe(true);
    expect(noEventTypeWarning(types("evt.type != open"))).toBe(true);
    expect(noEventTypeWarning(types("not evt.type in (open, close)"))).toBe(true);
    expect(noEventTypeWarning(types("evt.type in (open, close)"))).toBe(false);
  });

  it("reads the async event names of loaded plugins as `asyncevent` (the krsi example rules load without the warning)", async () => {
    const { loadRules } = await import("../src/engine.js");
    const text = readShared("corpus/rules/plugins/krsi/example_rules.yaml");
    const load = loadRules([{ name: "krsi.yaml", text }]);
    const warned = load.files.flatMap((f) => f.diagnostics).filter((d) => d.code === "load/LOAD_NO_EVTTYPE");
    expect(warned).toEqual([]);
    const rules = load.compiled!.rules;
    expect(rules.length).toBeGreaterThanOrEqual(8);
    for (const r of rules) expect(r.eventSet.eventCodes).toEqual([ASYNCEVENT_E]);
    // Without the plugin the names match nothing, and Falco 0.44.1 warns.
    expect(noEventTypeWarning(types("evt.type = krsi_open"))).toBe(true);
    expect(noEventTypeWarning(types("evt.type = krsi_open", { asyncEventNames: ["krsi_open"] }))).toBe(false);
  });

  it("counts event codes, not names", () => {
    // the generic syscalls all share the two generic events
    expect(noEventTypeWarning(types("evt.type in (syncfs, fanotify_init, setns)"))).toBe(false);
    // 'NA' alone is 35 codes
    expect(types("evt.type = NA").eventCodes).toHaveLength(35);
    expect(noEventTypeWarning(types("evt.type = NA"))).toBe(false);
  });

  it("fires on an empty set in Falco 0.44.1, not on master", () => {
    for (const c of ["evt.type = open and evt.type = close", "evt.type = foo", "evt.type in ()", "not evt.type exists", "evt.type = syscall", 'not concat(proc.name, "x") = y']) {
      expect(types(c).eventCodes, c).toEqual([]);
      expect(noEventTypeWarning(types(c)), c).toBe(true);
      expect(noEventTypeWarning(types(c, { libs: "master" })), c).toBe(false);
    }
  });

  it("sees evt.num=0 as neutral in 0.44.1 and as unsatisfiable on master", () => {
    expect(noEventTypeWarning(types("evt.num = 0"))).toBe(true);
    expect(noEventTypeWarning(types("evt.num = 0", { libs: "master" }))).toBe(false);
    expect(types("evt.type = open and not (evt.num = 0)").eventCodes).toEqual(eventNamesToCodes(["open"]));
  });

  it("never fires for plugin sources", () => {
    const set = types("ka.verb = create", {}, "k8s_audit");
    expect(noEventTypeWarning(set)).toBe(false);
  });

  describe("Falco master unit tests (run with libs: master)", () => {
    const names = [
      "no_evttype_warning_for_narrow_condition",
      "evttype_warning_for_broad_condition",
      "evttype_warning_disabled_by_warn_evttypes",
      "no_evttype_warning_for_unsatisfiable_condition",
      "no_evttype_warning_for_evt_type_contradiction",
      "no_evttype_warning_for_never_true_macro",
    ];
    for (const name of names) {
      const c = unitCases.find((x) => x.name === name)!;
      it(name, () => {
        for (const step of c.steps!) {
          const warned = warnedRules(step.load.content, { libs: "master" }).length > 0;
          if (step.expect.warnings_contain?.some((w) => NO_EVTTYPE_MESSAGE.includes(w))) expect(warned).toBe(true);
          if (step.expect.warnings_do_not_contain?.some((w) => NO_EVTTYPE_MESSAGE.includes(w))) expect(warned).toBe(false);
        }
      });
    }

    it("no_evttype_warning_for_never_true_macro differs in 0.44.1: the placeholder-only rule warns", () => {
      const c = unitCases.find((x) => x.name === "no_evttype_warning_for_never_true_macro")!;
      expect(warnedRules(c.steps![0]!.load.content)).toEqual(["placeholder_only_rule"]);
    });
  });

  describe("legacy warnings test (falco_rules_warnings.yaml)", () => {
    const legacy = legacyCases.find((c) => c.name === "test_warnings")!;
    const expected = legacy.spec!.validate_warnings!.filter((w) => w.code === "LOAD_NO_EVTTYPE").map((w) => w.item_name);

    it("warns on exactly the listed rules", () => {
      expect(legacy.spec!.validate_warnings!.every((w) => w.message === NO_EVTTYPE_MESSAGE)).toBe(true);
      const content = Object.values(legacy.rules_file_contents!)[0]!;
      expect(warnedRules(content)).toEqual(expected);
    });

    it("agrees with the testing repo's copy", () => {
      const content = readShared("corpus/rules/falco-tests/testing-repo/falco_rules_warnings.yaml");
      expect(warnedRules(content)).toEqual(expected);
    });
  });
});

describe("runtime buckets and details.events", () => {
  it("indexes every rule under asyncevent too", () => {
    expect(indexCodes(types("evt.type = open"))).toEqual([...eventNamesToCodes(["open"]), ASYNCEVENT_E].sort((a, b) => a - b));
    expect(indexCodes(types("ka.verb = create", {}, "k8s_audit"))).toEqual([322, ASYNCEVENT_E]);
  });

  it("names a syscall rule's events", () => {
    expect(describeEventNames(types("evt.type = openat"))).toEqual(["asyncevent", "openat"]);
    expect(describeEventNames(types("evt.type in (open, accept)"))).toEqual(["accept", "accept4", "asyncevent", "open"]);
    expect(describeEventNames(types("evt.type = syncfs"))).toEqual(["asyncevent", "syncfs"]);
    expect(describeEventNames(types("evt.type = container"))).toEqual(["asyncevent", "container"]);
    expect(describeEventNames(types("evt.type = procexit"))).toEqual(["asyncevent", "procexit"]);
    // pread64 is a syscall name but not an event name: only the generic events, which are not named
    expect(describeEventNames(types("evt.type = pread64"))).toEqual(["asyncevent"]);
    expect(describeEventNames(types("evt.type = open and evt.type = close"))).toEqual(["asyncevent"]);
  });

  it("names every event and every generic syscall for an unrestricted rule", () => {
    const names = describeEventNames(types("proc.name = cat"));
    for (const n of ["NA", "open", "container", "asyncevent", "pluginevent", "syncfs", "drop", "task"]) expect(names).toContain(n);
    expect(names).not.toContain("syscall");
  });

  it("names a plugin rule's events", () => {
    expect(describeEventNames(types("ka.verb = create", {}, "k8s_audit"))).toEqual(["asyncevent", "pluginevent"]);
  });

  it("reproduces Falco's interesting sets (engine_codes_syscalls_set)", () => {
    const c = unitCases.find((x) => x.kind === "event_types")!;
    const got = rulesetEventNames(c.filters!.map((f) => types(f)));
    expect(got.events).toEqual([...c.expect!.event_names].sort());
    expect(got.syscalls).toEqual([...c.expect!.syscall_names].sort());
  });
});

describe("set algebra, against a code-by-code reading", () => {
  // Pointwise reading of libs' semantics: push `not` to the leaves, a neutral literal is true
  // whatever its polarity, `evt.type` literals test the code's membership.
  type Leaf = { kind: "in"; names: string[]; neq: boolean } | { kind: "exists" } | { kind: "neutral"; text: string };
  type Tree = { kind: "leaf"; leaf: Leaf } | { kind: "not"; child: Tree } | { kind: "and" | "or"; children: Tree[] };

  const names = ["open", "openat", "close", "execve", "syncfs", "container", "foo", "NA", "pread64"];
  const leaf: fc.Arbitrary<Leaf> = fc.oneof(
    fc.record({ kind: fc.constant("in" as const), names: fc.subarray(names, { minLength: 0, maxLength: 3 }), neq: fc.boolean() }),
    fc.constant({ kind: "exists" as const }),
    fc.constantFrom(...["proc.name = cat", "fd.type = file", "evt.type contains open", "evt.type[1] = open"].map((text) => ({ kind: "neutral" as const, text }))),
  );
  const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
    tree: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf.map((l): Tree => ({ kind: "leaf", leaf: l })),
      tie("tree").map((child): Tree => ({ kind: "not", child })),
      fc.record({ kind: fc.constantFrom("and" as const, "or" as const), children: fc.array(tie("tree"), { minLength: 2, maxLength: 3 }) }),
    ),
  }));

  const text = (t: Tree): string => {
    switch (t.kind) {
      case "leaf": {
        const l = t.leaf;
        if (l.kind === "exists") return "evt.type exists";
        if (l.kind === "neutral") return l.text;
        if (l.neq) return l.names.length ? `evt.type != ${l.names[0]}` : "evt.type != foo";
        return `evt.type in (${l.names.join(", ")})`;
      }
      case "not":
        return `not (${text(t.child)})`;
      default:
        return t.children.map((c) => `(${text(c)})`).join(` ${t.kind} `);
    }
  };

  const holds = (t: Tree, member: (names: string[]) => boolean, negated: boolean): boolean => {
    switch (t.kind) {
      case "leaf": {
        const l = t.leaf;
        if (l.kind === "neutral") return true;
        if (l.kind === "exists") return !negated;
        const listed = l.neq ? [l.names[0] ?? "foo"] : l.names;
        return member(listed) !== (negated !== l.neq);
      }
      case "not":
        return holds(t.child, member, !negated);
      default: {
        const all = (t.kind === "and") !== negated;
        return all ? t.children.every((c) => holds(c, member, negated)) : t.children.some((c) => holds(c, member, negated));
      }
    }
  };

  it("computes, for both code spaces, the codes on which the condition can hold", () => {
    fc.assert(
      fc.property(tree, (t) => {
        const set = types(text(t));
        const events = ALL_EVENT_CODES.filter((c) => holds(t, (n) => eventNamesToCodes(n).includes(c), false));
        const scs = ALL_SC_CODES.filter((c) => holds(t, (n) => eventNamesToScCodes(n).includes(c), false));
        expect(set.eventCodes).toEqual(events);
        expect(set.scCodes).toEqual(scs);
      }),
      { numRuns: 300 },
    );
  });
});
