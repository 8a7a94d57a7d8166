import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nodesOf, type Expr } from "@falcokit/condition";
import { loadRules } from "@falcokit/engine";
import { CheckMemo, FieldEventSource, compilePredicate, type FieldEvent } from "../src/index.js";

// The generated predicates (one function per condition, checks memoized per event) must agree
// with the plain closure interpreter (used when an observer watches the checks) on any event.
const SHARED = new URL("../../../../shared/", import.meta.url);
const dir = "corpus/rules/upstream/latest/rules/";
const load = loadRules(
  ["falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml"].map((n) => ({ name: n, text: readFileSync(new URL(dir + n, SHARED), "utf8") })),
);
const catalog = load.catalogs.get("syscall")!;
const rules = load.compiled!.rules.filter((r) => r.info.source === "syscall");

/** The fields a condition reads with plain string-typed values, and the constants it compares them with. */
function vocabulary(ast: Expr): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const n of nodesOf(ast)) {
    if (n.type !== "binary_check" || n.left.type !== "field") continue;
    const m = catalog.lookup(n.left.name, n.left.arg);
    if (!m?.ok || m.isList || m.type !== "CHARBUF") continue;
    const values = n.right.type === "value" ? [n.right.value] : n.right.type === "list" ? n.right.values : [];
    out.set(m.text, [...(out.get(m.text) ?? []), ...values, "bash", "/etc/shadow"]);
  }
  return out;
}

describe("generated predicates", () => {
  it("agree with the closure interpreter on random events for every upstream syscall rule", () => {
    expect(rules.length).toBeGreaterThan(50);
    const silent = { check: () => undefined };
    for (const rule of rules) {
      const vocab = vocabulary(rule.ast);
      const keys = [...vocab.keys()];
      if (keys.length === 0) continue;
      const source = new FieldEventSource(catalog);
      const memo = new CheckMemo();
      const generated = compilePredicate<FieldEvent>(rule.ast, source, { memo });
      const interpreted = compilePredicate<FieldEvent>(rule.ast, source, { observer: silent });
      const eventArb = fc.record(Object.fromEntries(keys.map((k) => [k, fc.option(fc.constantFrom(...vocab.get(k)!), { nil: undefined })])));
      fc.assert(
        fc.property(eventArb, (values) => {
          const ev: FieldEvent = { source: "syscall", ts: 0n, num: 1n, line: 1, values: new Map(Object.entries(values).filter(([, v]) => v !== undefined)) };
          memo.epoch++;
          return generated(ev) === interpreted(ev);
        }),
        { numRuns: 40 },
      );
    }
  });
});
