/**
 * Condition coverage of a loaded ruleset: which outcomes (true, false) each rule, macro, list,
 * exception and check was seen to take over the explain trees of some events.
 *
 * Everything the loaded files define counts, used or not, enabled or not: an unused macro or
 * list shows as never evaluated, a disabled rule is marked disabled. An element is covered
 * when both outcomes were seen; the report also gives the share seen at least once.
 *
 * - rule: true when it matched (fired), false when it did not;
 * - macro: the value of its condition, wherever it was reached (aggregated across rules);
 * - list: the outcomes of the checks whose values came from it;
 * - exception (per rule): true when it applied (it suppressed the rule), false when not;
 * - atom: a check, identified by its owner (the rule, for its condition and exceptions, or a
 *   macro) and its position in the owner's text (the n-th check, in text order).
 */
import { LineIndex } from "@falcokit/diagnostics";
import { asString, nodesOf, type Expr, type Node } from "@falcokit/condition";
import { conditionParts, macroCondition, ownerOf, type LoadResult } from "@falcokit/engine";
import type { ExplainNode } from "./explain.js";

export interface CoverageEntry {
  name: string;
  file: string;
  /** 1-based line of the definition (0 when unknown). */
  line: number;
  sawTrue: boolean;
  sawFalse: boolean;
  /** How many times it was evaluated. */
  evaluations: number;
}

export interface RuleCoverage extends CoverageEntry {
  source: string;
  enabled: boolean;
  /** False for rules that did not compile (unknown source, errors): they can never be evaluated. */
  compiled: boolean;
}

export interface ExceptionCoverage extends CoverageEntry {
  rule: string;
  /** False for an exception without values (Falco appends nothing for it). */
  hasValues: boolean;
}

export interface AtomCoverage {
  /** The check's text (as in explain trees). */
  label: string;
  /** Position among the owner's checks, in text order (0-based). */
  index: number;
  file: string;
  line: number;
  sawTrue: boolean;
  sawFalse: boolean;
  evaluations: number;
}

export interface OwnerAtoms {
  kind: "rule" | "macro";
  owner: string;
  atoms: AtomCoverage[];
}

export interface CoverageTotal {
  total: number;
  /** Both outcomes seen. */
  covered: number;
  /** At least one outcome seen. */
  seen: number;
  coveredPercent: number;
  seenPercent: number;
}

export interface CoverageReport {
  /** Explain trees added. */
  trees: number;
  rules: RuleCoverage[];
  macros: CoverageEntry[];
  lists: CoverageEntry[];
  exceptions: ExceptionCoverage[];
  atoms: OwnerAtoms[];
  totals: {
    rules: CoverageTotal;
    macros: CoverageTotal;
    lists: CoverageTotal;
    exceptions: CoverageTotal;
    atoms: CoverageTotal;
    /** Every element of every kind together. */
    all: CoverageTotal;
    /** The share of all elements covered (both outcomes seen): `all.coveredPercent`. */
    percent: number;
  };
}

interface Outcomes {
  sawTrue: boolean;
  sawFalse: boolean;
  evaluations: number;
}

type AtomSlot = Omit<AtomCoverage, "sawTrue" | "sawFalse" | "evaluations"> & Outcomes;
type OwnerSlot = { kind: "rule" | "macro"; owner: string; atoms: AtomSlot[] };

const ownerKey = (kind: "rule" | "macro", name: string) => `${kind}\u0000${name}`;
const exceptionKey = (rule: string, name: string) => `${rule}\u0000${name}`;

function record(o: Outcomes, value: boolean): void {
  o.evaluations++;
  if (value) o.sawTrue = true;
  else o.sawFalse = true;
}

/** The checks of a tree in text order, macro references left out (they are owners of their own). */
function checksOf(e: Expr): Expr[] {
  return nodesOf(e).filter((n: Node) => n.type === "binary_check" || n.type === "unary_check") as Expr[];
}

export class Coverage {
  private trees = 0;
  private readonly rules = new Map<string, RuleCoverage>();
  private readonly macros = new Map<string, CoverageEntry>();
  private readonly lists = new Map<string, CoverageEntry>();
  private readonly exceptions = new Map<string, ExceptionCoverage>();
  private readonly owners = new Map<string, OwnerSlot>();

  /** Knows every rule, macro, list and exception of the loaded files, and every check of the rules and macros that compile. */
  constructor(private readonly load: LoadResult) {
    const lineOf = lineFinder(load);
    const compiled = new Set((load.compiled?.rules ?? []).map((r) => r.info.name));
    for (const r of load.collector.rules) {
      this.rules.set(r.name, { name: r.name, file: r.where.file, line: lineOf(r.where.file, r.where.range.start), source: r.source, enabled: r.enabled, compiled: compiled.has(r.name), ...none() });
      for (const x of r.exceptions) {
        const key = exceptionKey(r.name, x.name);
        if (this.exceptions.has(key)) continue;
        this.exceptions.set(key, { rule: r.name, name: x.name, file: x.where.file, line: lineOf(x.where.file, x.where.range.start), hasValues: x.values.length > 0, ...none() });
      }
    }
    for (const m of load.collector.macros) this.macros.set(m.name, { name: m.name, file: m.where.file, line: lineOf(m.where.file, m.where.range.start), ...none() });
    for (const l of load.collector.lists) this.lists.set(l.name, { name: l.name, file: l.where.file, line: lineOf(l.where.file, l.where.range.start), ...none() });

    const atomsOf = (kind: "rule" | "macro", name: string, trees: Expr[], locate: (n: Expr) => { file: string; range: { start: number } } | undefined) => {
      const atoms: AtomSlot[] = [];
      for (const t of trees) {
        for (const n of checksOf(t)) {
          const at = locate(n);
          atoms.push({ label: asString(n), index: atoms.length, file: at?.file ?? "", line: at ? lineOf(at.file, at.range.start) : 0, ...none() });
        }
      }
      this.owners.set(ownerKey(kind, name), { kind, owner: name, atoms });
    };
    for (const r of load.compiled?.rules ?? []) {
      const parts = conditionParts(load, r.info.name);
      if (parts) atomsOf("rule", parts.rule, [parts.condition, ...parts.exceptions.map((x) => x.condition)], parts.locate);
    }
    for (const m of load.collector.macros) {
      const cond = macroCondition(load, m.name);
      if (cond) atomsOf("macro", m.name, [cond], (n) => ownerOf(n)?.text.locate(n.range));
    }
  }

  /** Records the outcomes of every node an explain tree reached. */
  add(tree: ExplainNode): void {
    this.trees++;
    const visit = (n: ExplainNode, kind: "rule" | "macro", owner: string, counter: { n: number }, rule: string): void => {
      switch (n.kind) {
        case "rule": {
          const r = this.rules.get(n.label) ?? this.newRule(n.label);
          if (n.value !== undefined) record(r, n.value);
          const own = { n: 0 };
          for (const k of n.children) visit(k, "rule", n.label, own, n.label);
          return;
        }
        case "macro": {
          if (n.value !== undefined) record(this.macros.get(n.label) ?? this.newEntry(this.macros, n.label), n.value);
          const own = { n: 0 };
          for (const k of n.children) visit(k, "macro", n.label, own, rule);
          return;
        }
        case "exception": {
          const key = exceptionKey(rule, n.label);
          let x = this.exceptions.get(key);
          if (!x) this.exceptions.set(key, (x = { rule, name: n.label, file: "", line: 0, hasValues: true, ...none() }));
          if (n.value !== undefined) record(x, n.value);
          break;
        }
        case "check": {
          const index = counter.n++;
          const atom = this.atom(kind, owner, index, n);
          if (n.value !== undefined) {
            record(atom, n.value);
            for (const l of n.lists ?? []) record(this.lists.get(l) ?? this.newEntry(this.lists, l), n.value);
          }
          return;
        }
      }
      for (const k of n.children) visit(k, kind, owner, counter, rule);
    };
    visit(tree, "rule", tree.label, { n: 0 }, tree.label);
  }

  private newRule(name: string): RuleCoverage {
    const r: RuleCoverage = { name, file: "", line: 0, source: "", enabled: true, compiled: true, ...none() };
    this.rules.set(name, r);
    return r;
  }

  private newEntry(map: Map<string, CoverageEntry>, name: string): CoverageEntry {
    const e: CoverageEntry = { name, file: "", line: 0, ...none() };
    map.set(name, e);
    return e;
  }

  /** The atom at `index` of its owner; a tree from other rules (another load) gets atoms of its own. */
  private atom(kind: "rule" | "macro", owner: string, index: number, n: ExplainNode): AtomSlot {
    const key = ownerKey(kind, owner);
    let slot = this.owners.get(key);
    if (!slot) this.owners.set(key, (slot = { kind, owner, atoms: [] }));
    const known = slot.atoms[index];
    if (known && known.label === n.label) return known;
    let extra = slot.atoms.find((a) => a.index === index && a.label === n.label);
    if (!extra) {
      extra = { label: n.label, index, file: n.location?.file ?? "", line: 0, ...none() };
      slot.atoms.push(extra);
    }
    return extra;
  }

  /** Per rule, macro, list, exception and atom: what was seen; totals and percentages. */
  report(): CoverageReport {
    const copy = <T extends object>(xs: Iterable<T>): T[] => [...xs].map((x) => ({ ...x }));
    const rules = copy(this.rules.values());
    const macros = copy(this.macros.values());
    const lists = copy(this.lists.values());
    const exceptions = copy(this.exceptions.values());
    const atoms: OwnerAtoms[] = [...this.owners.values()].map((o) => ({ kind: o.kind, owner: o.owner, atoms: copy(o.atoms) }));
    const flat = atoms.flatMap((o) => o.atoms);
    const rTotal = total(rules);
    const mTotal = total(macros);
    const lTotal = total(lists);
    const xTotal = total(exceptions);
    const aTotal = total(flat);
    const all = withPercents([rTotal, mTotal, lTotal, xTotal, aTotal].reduce((s, t) => ({ total: s.total + t.total, covered: s.covered + t.covered, seen: s.seen + t.seen }), { total: 0, covered: 0, seen: 0 }));
    return {
      trees: this.trees,
      rules,
      macros,
      lists,
      exceptions,
      atoms,
      totals: { rules: rTotal, macros: mTotal, lists: lTotal, exceptions: xTotal, atoms: aTotal, all, percent: all.coveredPercent },
    };
  }

  /** A coverage holding everything seen by all of these (of the first one's load, plus what the others know). */
  static merge(...coverages: Coverage[]): Coverage {
    if (coverages.length === 0) throw new Error("Coverage.merge needs at least one coverage");
    const out = new Coverage(coverages[0]!.load);
    for (const c of coverages) {
      out.trees += c.trees;
      mergeMap(out.rules, c.rules);
      mergeMap(out.macros, c.macros);
      mergeMap(out.lists, c.lists);
      mergeMap(out.exceptions, c.exceptions);
      for (const [key, slot] of c.owners) {
        let mine = out.owners.get(key);
        if (!mine) out.owners.set(key, (mine = { kind: slot.kind, owner: slot.owner, atoms: [] }));
        for (const a of slot.atoms) {
          let m = mine.atoms.find((x) => x.index === a.index && x.label === a.label);
          if (!m) mine.atoms.push((m = { ...a, ...none() }));
          combine(m, a);
        }
      }
    }
    return out;
  }
}

function none(): Outcomes {
  return { sawTrue: false, sawFalse: false, evaluations: 0 };
}

function combine(into: Outcomes, from: Outcomes): void {
  into.sawTrue ||= from.sawTrue;
  into.sawFalse ||= from.sawFalse;
  into.evaluations += from.evaluations;
}

function mergeMap<T extends Outcomes>(into: Map<string, T>, from: Map<string, T>): void {
  for (const [key, e] of from) {
    const mine = into.get(key);
    if (mine) combine(mine, e);
    else into.set(key, { ...e });
  }
}

function total(xs: readonly Outcomes[]): CoverageTotal {
  let covered = 0;
  let seen = 0;
  for (const x of xs) {
    if (x.sawTrue && x.sawFalse) covered++;
    if (x.sawTrue || x.sawFalse) seen++;
  }
  return withPercents({ total: xs.length, covered, seen });
}

const percent = (n: number, of: number) => (of === 0 ? 100 : Math.round((n / of) * 1000) / 10);

function withPercents(t: { total: number; covered: number; seen: number }): CoverageTotal {
  return { ...t, coveredPercent: percent(t.covered, t.total), seenPercent: percent(t.seen, t.total) };
}

/** 1-based lines of offsets in the loaded files. */
function lineFinder(load: LoadResult): (file: string, offset: number) => number {
  const indexes = new Map<string, LineIndex>();
  return (file, offset) => {
    let index = indexes.get(file);
    if (!index) {
      const text = load.parsed.get(file)?.text;
      if (text === undefined) return 0;
      indexes.set(file, (index = new LineIndex(text)));
    }
    return index.positionAt(offset).line + 1;
  };
}

/** `T` when true was seen, `F` when false was: `TF` both, `.` for an outcome never seen. */
const outcomes = (o: Outcomes) => `${o.sawTrue ? "T" : "."}${o.sawFalse ? "F" : "."}`;
const where = (e: { file: string; line: number }) => (e.file ? `${e.file}:${e.line}` : "");
const ratio = (t: CoverageTotal) => `${t.covered}/${t.total} covered (${t.coveredPercent.toFixed(1)}%), ${t.seen}/${t.total} seen (${t.seenPercent.toFixed(1)}%)`;

/**
 * A compact text table: a section per kind (rules with fired / not fired, macros, lists,
 * exceptions, atoms per owner), one line per element with its outcomes (`TF` both seen, `T.`
 * only true, `.F` only false, `..` never evaluated), name and definition; then the totals.
 */
export function formatCoverage(report: CoverageReport): string {
  const out: string[] = [];
  const section = (title: string, t: CoverageTotal, rows: { o: Outcomes; name: string; at: string; note?: string }[]) => {
    out.push(`${title}: ${ratio(t)}`);
    const width = Math.min(60, rows.reduce((w, r) => Math.max(w, r.name.length), 0));
    for (const r of rows) out.push(`  ${outcomes(r.o)}  ${r.name.padEnd(width)}  ${r.at}${r.note ? `  (${r.note})` : ""}`.trimEnd());
  };
  const rules = report.rules;
  const fired = rules.filter((r) => r.sawTrue).length;
  const notFired = rules.filter((r) => r.sawFalse).length;
  out.push(`Coverage over ${report.trees} rule evaluation${report.trees === 1 ? "" : "s"}  (T: true seen, F: false seen, .: never)`);
  section(
    `Rules (${fired} fired, ${notFired} not fired)`,
    report.totals.rules,
    rules.map((r) => {
      const notes = [!r.enabled ? "disabled" : "", !r.compiled ? "not compiled" : ""].filter(Boolean).join(", ");
      return { o: r, name: r.name, at: where(r), ...(notes ? { note: notes } : {}) };
    }),
  );
  section("Macros", report.totals.macros, report.macros.map((m) => ({ o: m, name: m.name, at: where(m) })));
  section("Lists", report.totals.lists, report.lists.map((l) => ({ o: l, name: l.name, at: where(l) })));
  section(
    "Exceptions",
    report.totals.exceptions,
    report.exceptions.map((x) => ({ o: x, name: `${x.rule} / ${x.name}`, at: where(x), ...(x.hasValues ? {} : { note: "no values" }) })),
  );
  out.push(`Atoms: ${ratio(report.totals.atoms)}`);
  for (const o of report.atoms) {
    if (o.atoms.length === 0) continue;
    out.push(`  ${o.kind} ${o.owner}`);
    for (const a of o.atoms) out.push(`    ${outcomes(a)}  ${a.label.length > 100 ? `${a.label.slice(0, 97)}...` : a.label}${a.file ? `  ${where(a)}` : ""}`);
  }
  const t = report.totals;
  out.push(
    `Totals: rules ${t.rules.coveredPercent.toFixed(1)}%, macros ${t.macros.coveredPercent.toFixed(1)}%, lists ${t.lists.coveredPercent.toFixed(1)}%, ` +
      `exceptions ${t.exceptions.coveredPercent.toFixed(1)}%, atoms ${t.atoms.coveredPercent.toFixed(1)}% covered; all ${ratio(t.all)}`,
  );
  return out.join("\n") + "\n";
}
