// Rules taken apart into condition, exceptions and macros: the parts must put back together
// into exactly the tree the compiler built, over every rule of the corpus.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nodesOf, type Expr, type Node } from "@falcokit/condition";
import { buildCatalogs, DEFAULT_PLUGINS } from "@falcokit/fields";
import { conditionParts, expandedTree, loadRules, macroCondition, ownerOf, type ConditionParts, type LoadResult } from "../src/index.js";
import { SHARED } from "./shared.js";

const RULES = join(SHARED, "corpus/rules");
const load = (paths: string[], plugins?: string[]) =>
  loadRules(
    paths.map((p) => ({ name: p, text: readFileSync(join(RULES, p), "utf8") })),
    plugins ? { catalogs: buildCatalogs([...DEFAULT_PLUGINS, ...plugins]) } : {},
  );

function yamlFiles(dir: string): string[] {
  return readdirSync(join(RULES, dir))
    .sort()
    .flatMap((n) => {
      const rel = `${dir}/${n}`;
      return statSync(join(RULES, rel)).isDirectory() ? yamlFiles(rel) : /\.ya?ml$/.test(n) ? [rel] : [];
    });
}

const UPSTREAM = ["falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml"].map((f) => `upstream/latest/rules/${f}`);
/** As in corpus.test.ts: files that extend another one, and plugins some files need. */
const BEFORE: Record<string, string[]> = { "plugins/k8saudit-gke/k8s_audit_rules_gke.yaml": ["plugins/k8saudit/k8s_audit_rules.yaml"] };
const PLUGINS: Record<string, string[]> = {
  "plugins/dummy/dummy_rules.yaml": ["dummy"],
  "plugins/dummy_c/dummy_c_rules.yaml": ["dummy_c"],
  "plugins/dummy_rs/dummy_rs_rules.yaml": ["dummy_rs"],
  "plugins/hashicorp-vault/hashicorp-vault_rules.yaml": ["hashicorp-vault"],
};

const isCheck = (n: Node) => n.type === "binary_check" || n.type === "unary_check";

/** The test's own expansion (independent of `expandedTree`): macro references replaced, new nodes. */
function expand(e: Expr, macros: ReadonlyMap<string, Expr>): Expr {
  switch (e.type) {
    case "and":
    case "or":
      return { ...e, children: e.children.map((c) => expand(c, macros)) };
    case "not":
      return { ...e, child: expand(e.child, macros) };
    case "identifier":
      return macros.has(e.name) ? expand(macros.get(e.name)!, macros) : e;
    default:
      return e;
  }
}

/** A tree without ranges, for comparisons where the joining `and`/`not` ranges are not known. */
function shape(n: unknown): unknown {
  if (Array.isArray(n)) return n.map(shape);
  if (n && typeof n === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(n)) if (!/range$|Range$|Ranges$/.test(k)) out[k] = shape(v);
    return out;
  }
  return n;
}

/** `(cond) and not (E1) and not (E2)` from the parts, with the test's own expansion. */
function reassembled(parts: ConditionParts): unknown {
  const cond = expand(parts.condition, parts.macros);
  if (parts.exceptions.length === 0) return shape(cond);
  return shape({ type: "and", children: [cond, ...parts.exceptions.map((x) => ({ type: "not", child: expand(x.condition, parts.macros) }))] });
}

interface Sweep {
  rules: number;
  exceptions: number;
  macros: number;
  withLists: number;
}

/** Checks every compiled rule of a load; returns counts so callers can require real coverage. */
function checkAll(r: LoadResult): Sweep {
  const sweep: Sweep = { rules: 0, exceptions: 0, macros: 0, withLists: 0 };
  for (const compiled of r.compiled!.rules) {
    const name = compiled.info.name;
    const parts = conditionParts(r, name);
    expect(parts, name).toBeDefined();
    expect(parts!.rule).toBe(name);
    expect(parts!.source).toBe(compiled.info.source);
    // Ranges included: the parts are the compiler's own trees, node for node.
    expect(expandedTree(parts!), name).toEqual(compiled.ast);
    expect(reassembled(parts!), name).toEqual(shape(compiled.ast));
    // Macros stay references in the parts; the compiled tree has none.
    const refs = [parts!.condition, ...parts!.exceptions.map((x) => x.condition), ...parts!.macros.values()].flatMap((t) => nodesOf(t).filter((n) => n.type === "identifier"));
    for (const ref of refs) expect(parts!.macros.has((ref as { name: string }).name), `${name}: ${(ref as { name: string }).name}`).toBe(true);
    // The compiler lists the macros the rule names itself; the parts hold those and the ones they reach.
    const direct = new Set([parts!.condition, ...parts!.exceptions.map((x) => x.condition)].flatMap((t) => nodesOf(t).flatMap((n) => (n.type === "identifier" ? [n.name] : []))));
    expect([...direct].sort(), name).toEqual([...compiled.macros].sort());
    // The text parsed is the compiler's.
    expect(ownerOf(parts!.condition)!.text.text, name).toBe(compiled.conditionText);
    // Every list the rule names is credited to some check of its condition or exceptions.
    const credited = new Set([parts!.condition, ...parts!.exceptions.map((x) => x.condition)].flatMap((t) => nodesOf(t).filter(isCheck).flatMap((n) => [...parts!.listsOf(n as Expr)])));
    for (const l of compiled.lists) expect(credited.has(l), `${name}: list ${l}`).toBe(true);
    // Exceptions with values, in order, each located at its definition.
    const withValues = compiled.info.exceptions.filter((x) => x.values.length > 0);
    expect(parts!.exceptions.map((x) => x.name), name).toEqual(withValues.map((x) => x.name));
    for (const [i, x] of parts!.exceptions.entries()) {
      const at = parts!.locate(x.condition);
      expect(at, `${name}: ${x.name}`).toEqual({ file: withValues[i]!.where.file, range: withValues[i]!.where.range });
    }
    sweep.rules++;
    sweep.exceptions += parts!.exceptions.length;
    sweep.macros += parts!.macros.size;
    if (credited.size > 0) sweep.withLists++;
  }
  return sweep;
}

describe("condition parts", () => {
  it("upstream stable, incubating and sandbox loaded together: every rule's parts give back its compiled tree", () => {
    const r = load(UPSTREAM);
    const sweep = checkAll(r);
    expect(sweep.rules).toBe(r.compiled!.rules.length);
    expect(sweep.rules).toBeGreaterThan(80);
    expect(sweep.withLists).toBeGreaterThan(25);
  });

  it("the ACME rules with their local tuning (exceptions appended by an override)", () => {
    const repo = new URL("../../../rules/", import.meta.url);
    const r = loadRules(["acme_rules.yaml", "acme_rules.local.yaml"].map((f) => ({ name: f, text: readFileSync(new URL(f, repo), "utf8") })));
    expect(r.files.every((f) => f.successful)).toBe(true);
    const sweep = checkAll(r);
    expect(sweep.rules).toBe(r.compiled!.rules.length);
    expect(sweep.exceptions).toBe(2);
    const etc = conditionParts(r, "ACME Write Below Etc")!;
    expect(etc.exceptions.map((x) => x.name)).toContain("config_renderers");
  });

  for (const file of yamlFiles("plugins")) {
    it(`${file}: every rule's parts give back its compiled tree`, () => {
      const r = load([...(BEFORE[file] ?? []), file], PLUGINS[file]);
      const sweep = checkAll(r);
      expect(sweep.rules).toBeGreaterThan(0);
    });
  }

  it("the falco-tests rules files that compile: appends, overrides, exceptions with list references", () => {
    let rules = 0;
    let exceptions = 0;
    for (const file of yamlFiles("falco-tests")) {
      const r = load([file]);
      if (!r.files.every((f) => f.successful) || !r.compiled) continue;
      const sweep = checkAll(r);
      rules += sweep.rules;
      exceptions += sweep.exceptions;
    }
    expect(rules).toBeGreaterThan(50);
    expect(exceptions).toBeGreaterThan(20);
  });

  it("checks are located in their file, and lists are credited to the checks they fill", () => {
    const r = load(UPSTREAM);
    const texts = new Map(UPSTREAM.map((f) => [f, readFileSync(join(RULES, f), "utf8")]));
    const squash = (s: string) => s.replace(/\s+/g, " ").trim();
    let compared = 0;
    for (const compiled of r.compiled!.rules) {
      const parts = conditionParts(r, compiled.info.name)!;
      for (const tree of [parts.condition, ...parts.macros.values()]) {
        for (const n of nodesOf(tree).filter(isCheck)) {
          if (parts.listsOf(n as Expr).length > 0) continue;
          const at = parts.locate(n as Expr)!;
          expect(at).toBeDefined();
          const owner = ownerOf(n)!;
          const own = owner.text.text.slice(n.range.start, n.range.end);
          // Plain and folded scalars: the file holds the same text, line breaks aside.
          if (/["'\\]/.test(own)) continue;
          expect(squash(texts.get(at.file)!.slice(at.range.start, at.range.end))).toBe(squash(own));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(500);

    // Spot checks with known upstream content.
    const shell = conditionParts(r, "Terminal shell in container")!;
    const shellCheck = nodesOf(shell.macros.get("shell_procs")!).find(isCheck)!;
    expect(shell.listsOf(shellCheck as Expr)).toEqual(["shell_binaries"]);
    const unknown = nodesOf(shell.condition).filter(isCheck);
    for (const n of unknown) expect(shell.listsOf(n as Expr)).not.toContain("shell_binaries");
    // A macro used by many rules is one tree, shared by their parts.
    const other = conditionParts(r, "Run shell untrusted")!;
    expect(other.macros.get("spawned_process")).toBe(shell.macros.get("spawned_process"));
    expect(conditionParts(r, "Terminal shell in container")).toBe(shell);
  });

  it("nested lists, lists in exceptions, empty lists, and the load left untouched", () => {
    const text = `
- list: inner
  items: [b, c]
- list: outer
  items: [a, later]
- list: later
  items: [z]
- list: nothing
  items: []
- macro: m
  condition: proc.name in (outer)
- macro: unused_macro
  condition: fd.name in (inner)
- rule: r
  desc: d
  condition: evt.type = open and m and proc.pname in (nothing, inner) and not fd.name = x
  output: o
  priority: INFO
  exceptions:
    - name: e1
      fields: proc.name
      values: [inner]
    - name: e0
      fields: proc.name
    - name: e2
      fields: [proc.name, fd.name]
      comps: [=, in]
      values: [[x, outer]]
`;
    const r = loadRules([{ name: "t.yaml", text }]);
    expect(r.files[0]!.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const usedBefore = r.compiled!.lists.map((l) => [l.name, l.used]);
    const parts = conditionParts(r, "r")!;
    expect(expandedTree(parts)).toEqual(r.compiled!.rules[0]!.ast);
    expect(parts.exceptions.map((x) => x.name)).toEqual(["e1", "e2"]);
    const checks = (e: Expr) => nodesOf(e).filter(isCheck) as Expr[];
    // `outer` names `later`, defined after it: substituted after `outer`, inside its items.
    const mCheck = checks(parts.macros.get("m")!)[0]!;
    expect(parts.listsOf(mCheck)).toEqual(["outer", "later"]);
    const [evt, pname, fd] = checks(parts.condition);
    expect(parts.listsOf(evt!)).toEqual([]);
    expect(parts.listsOf(pname!)).toEqual(["inner", "nothing"]);
    expect(parts.listsOf(fd!)).toEqual([]);
    expect(parts.listsOf(checks(parts.exceptions[0]!.condition)[0]!)).toEqual(["inner"]);
    const [e2name, e2fd] = checks(parts.exceptions[1]!.condition);
    expect(parts.listsOf(e2name!)).toEqual([]);
    expect(parts.listsOf(e2fd!)).toEqual(["outer", "later"]);
    // Located: the macro check in the macro's condition, the exception at its definition.
    const at = parts.locate(mCheck)!;
    expect(text.slice(at.range.start, at.range.end)).toBe("proc.name in (outer)");
    const pat = parts.locate(pname!)!;
    expect(text.slice(pat.range.start, pat.range.end)).toBe("proc.pname in (nothing, inner)");
    const eat = parts.locate(parts.exceptions[0]!.condition)!;
    expect(text.slice(eat.range.start, eat.range.end)).toBe("e1");
    // An unused macro is still available, parsed the same way.
    const unused = macroCondition(r, "unused_macro")!;
    expect(parts.listsOf(checks(unused)[0]!)).toEqual(["inner"]);
    expect(macroCondition(r, "no_such_macro")).toBeUndefined();
    expect(conditionParts(r, "no such rule")).toBeUndefined();
    // Nothing of the load changed.
    expect(r.compiled!.lists.map((l) => [l.name, l.used])).toEqual(usedBefore);
  });
});
