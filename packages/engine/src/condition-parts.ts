/**
 * A compiled rule taken apart again: its own condition, each exception, and every macro it
 * reaches, each as the tree Falco parses (lists substituted) but with macros left as
 * references, so that tools can evaluate, explain and measure coverage part by part.
 *
 * The texts are built with the compiler's own pieces (`applyExceptions`, the lists'
 * `resolveList` in `resolveLists`' order, `TrackedText`): the rule's condition and exceptions
 * are parsed from exactly the text Falco compiles (`(cond) and not (EXC1) and not (EXC2)`,
 * lists substituted) and split again at the exceptions, so the parts are the compiled rule's
 * tree, piece by piece. Along the way, every list substitution is tracked, so each node knows
 * which lists its text came from.
 *
 * Pure: nothing of the load is changed (the lists' `used` marks included). Results are
 * memoized per load; the trees are shared (between rules, for macros), so never mutate them:
 * `expandedTree` builds the expanded tree without touching them.
 */
import { nodesOf, parseCondition, type AndExpr, type Expr, type Node, type NotExpr } from "@falcokit/condition";
import type { LoadResult } from "./engine.js";
import type { RuleInfo } from "./collector.js";
import { applyExceptions } from "./exceptions.js";
import { listReplacements, resolveLists, type CompiledList } from "./lists.js";
import type { FileRange, TrackedText } from "./tracked.js";

export interface ConditionParts {
  rule: string;
  source: string;
  /** The rule's own condition (appends included), lists substituted, macros NOT expanded. */
  condition: Expr;
  /** Each exception of the rule as its own condition (what Falco appends as `and not (...)`), lists substituted. */
  exceptions: { name: string; condition: Expr }[];
  /** Every macro the condition reaches (transitively), by name: its condition, lists substituted, macros not expanded. */
  macros: ReadonlyMap<string, Expr>;
  /** For a check node (of any tree above): the names of the lists its values came from (so coverage can credit lists). */
  listsOf(node: Expr): readonly string[];
  /** For any node: the file and file range of its source text when known (via TrackedText locate), for editors and reports. */
  locate(node: Expr): { file: string; range: { start: number; end: number } } | undefined;
}

/** Where a node's text lives: the composed text it was parsed from, and which lists filled which ranges of it. */
export interface NodeOwner {
  /** `rule` for a rule's condition and exceptions (one text), `macro` for a macro's condition. */
  kind: "rule" | "macro";
  name: string;
  text: TrackedText;
  regions: readonly ListRegion[];
}

/** A range of a composed text that a list's items replaced (grown when a later list filled part of it). */
interface ListRegion {
  start: number;
  end: number;
  list: string;
  /** Position of the list in definition order (lists are reported in that order). */
  order: number;
}

interface Substituted {
  text: TrackedText;
  regions: ListRegion[];
  /** `anchors`, moved along with the substitutions. */
  anchors: number[];
}

interface ParsedMacro {
  ast: Expr;
  owner: NodeOwner;
}

/** What is computed once per load. */
interface LoadState {
  /** A copy of the compiled lists, so substitution never marks the load's own lists used. */
  lists: CompiledList[];
  byName: Map<string, number>;
  multiWord: number[];
  macros: Map<string, ParsedMacro | null>;
  parts: Map<string, ConditionParts | null>;
}

const states = new WeakMap<LoadResult, LoadState>();
/** The text each node was parsed from (nodes of every tree this module builds). */
const owners = new WeakMap<Node, NodeOwner>();
/** The `and` and `not` nodes of the compiled text that join the condition and the exceptions. */
const joints = new WeakMap<ConditionParts, { and: AndExpr | undefined; nots: NotExpr[] }>();

const WORD_SPLIT = /[ \t\n\r(),=]+/;
const HAS_DELIM = /[ \t\n\r(),=]/;

function stateOf(load: LoadResult): LoadState | undefined {
  const compiled = load.compiled;
  if (!compiled) return undefined;
  let s = states.get(load);
  if (!s) {
    const lists = compiled.lists.map((l) => ({ ...l, items: [...l.items] }));
    const byName = new Map<string, number>();
    const multiWord: number[] = [];
    lists.forEach((l, i) => {
      if (l.name === "") return;
      if (HAS_DELIM.test(l.name)) multiWord.push(i);
      else if (!byName.has(l.name)) byName.set(l.name, i);
    });
    s = { lists, byName, multiWord, macros: new Map(), parts: new Map() };
    states.set(load, s);
  }
  return s;
}


/**
 * Substitutes the lists as `resolveLists` does (same lists, same order, the engine's
 * `resolveList` for each), recording the ranges each list's items took and moving `anchors`.
 * When the tracking ever disagrees with the engine's text, the regions are dropped (the text
 * stays the engine's).
 */
function substitute(state: LoadState, cond: TrackedText, anchors: number[]): Substituted {
  const { lists, byName, multiWord } = state;
  const pending = new Set<number>(multiWord);
  const addWords = (text: string, after: number): void => {
    for (const w of text.split(WORD_SPLIT)) {
      const i = byName.get(w);
      if (i !== undefined && i > after) pending.add(i);
    }
  };
  let text = cond;
  let regions: ListRegion[] = [];
  let marks = [...anchors];
  addWords(text.text, -1);
  while (pending.size > 0) {
    let current = Infinity;
    for (const i of pending) if (i < current) current = i;
    pending.delete(current);
    const l = lists[current]!;
    // The engine's own scan: the same replacements `resolveList` makes, applied here step by step.
    const { steps } = listReplacements(text.text, l);
    if (steps.length === 0) continue;
    for (const step of steps) {
      const delta = step.text.length - (step.end - step.start);
      const newEnd = step.start + step.text.length;
      regions = regions.map((g) => {
        if (g.end <= step.start) return g;
        if (g.start >= step.end) return { ...g, start: g.start + delta, end: g.end + delta };
        // A later list filled part of an earlier list's items: the earlier region covers it all.
        return { ...g, start: Math.min(g.start, step.start), end: Math.max(g.end + delta, newEnd) };
      });
      regions.push({ start: step.start, end: newEnd, list: l.name, order: current });
      marks = marks.map((m) => (m >= step.end ? m + delta : m > step.start ? step.start : m));
      text = text.replace(step.start, step.end, step.text);
    }
    for (const item of l.items) addWords(item, current);
  }
  // Should the order of substitutions here ever differ from the engine's, credit no list rather than a wrong one.
  const tracked = text.text === resolveLists(cond, lists).text;
  return { text, regions: tracked ? regions : [], anchors: marks };
}

function adopt(root: Node, owner: NodeOwner): void {
  for (const n of nodesOf(root)) owners.set(n, owner);
}

/** A macro's condition, lists substituted, parsed (null when it does not parse). Memoized per load. */
function macroOf(load: LoadResult, state: LoadState, name: string): ParsedMacro | null {
  if (state.macros.has(name)) return state.macros.get(name)!;
  const info = load.collector.macros.get(name);
  let parsed: ParsedMacro | null = null;
  if (info) {
    const sub = substitute(state, info.cond, []);
    const r = parseCondition(sub.text.text);
    if (r.ast && r.errors.length === 0) {
      const owner: NodeOwner = { kind: "macro", name, text: sub.text, regions: sub.regions };
      adopt(r.ast, owner);
      parsed = { ast: r.ast, owner };
    }
  }
  state.macros.set(name, parsed);
  return parsed;
}

/**
 * A macro's own condition as Falco parses it (lists substituted, macros not expanded), whether
 * or not any rule uses it; undefined for an unknown macro or one that does not parse.
 */
export function macroCondition(load: LoadResult, name: string): Expr | undefined {
  const state = stateOf(load);
  return state ? (macroOf(load, state, name)?.ast ?? undefined) : undefined;
}

/** The text a node (of any tree built here) was parsed from: which rule or macro, and its composed text. */
export function ownerOf(node: Node): NodeOwner | undefined {
  return owners.get(node);
}

/** The lists whose items fill part of `node`'s text, in definition order. */
function listsOf(node: Node): readonly string[] {
  const owner = owners.get(node);
  if (!owner || owner.regions.length === 0) return [];
  const { start, end } = node.range;
  const hit = owner.regions.filter((g) => g.start < end && start < g.end).sort((a, b) => a.order - b.order);
  return [...new Set(hit.map((g) => g.list))];
}

function locate(node: Node): FileRange | undefined {
  const owner = owners.get(node);
  return owner ? owner.text.locate(node.range) : undefined;
}

/** The macro names a tree refers to. */
function references(root: Expr): string[] {
  const out: string[] = [];
  for (const n of nodesOf(root)) if (n.type === "identifier") out.push(n.name);
  return out;
}

/**
 * The parts of a compiled rule; undefined when the load has no compiled rule of that name
 * (unknown, of a source without fields, or failing to compile).
 */
export function conditionParts(load: LoadResult, ruleName: string): ConditionParts | undefined {
  const state = stateOf(load);
  if (!state) return undefined;
  if (state.parts.has(ruleName)) return state.parts.get(ruleName) ?? undefined;
  const compiled = load.compiled!.rules.find((r) => r.info.name === ruleName);
  const parts = compiled ? build(load, state, compiled.info) : null;
  state.parts.set(ruleName, parts);
  return parts ?? undefined;
}

function build(load: LoadResult, state: LoadState, info: RuleInfo): ConditionParts | null {
  // The text the compiler builds: `(cond) and not (EXC1) ...` when the rule has exceptions.
  let text = info.cond;
  const pieces: { name: string; start: number; end: number }[] = [];
  if (info.exceptions.length > 0) {
    text = applyExceptions(info.cond, info.exceptions, new Set());
    // Where each exception's ` and not (...)` lies: what it adds after `(cond)`.
    let at = info.cond.text.length + 2;
    for (const ex of info.exceptions) {
      const added = applyExceptions(info.cond, [ex], new Set()).text.length - (info.cond.text.length + 2);
      if (added > 0) pieces.push({ name: ex.name, start: at, end: at + added });
      at += added;
    }
  }
  const anchors = pieces.flatMap((p) => [p.start, p.end]);
  const sub = substitute(state, text, anchors);
  const r = parseCondition(sub.text.text);
  if (!r.ast || r.errors.length > 0) return null;
  const owner: NodeOwner = { kind: "rule", name: info.name, text: sub.text, regions: sub.regions };
  adopt(r.ast, owner);

  // Split the tree at the exceptions: the root `and` ends with one `not` per exception with values.
  let condition: Expr = r.ast;
  let exceptions: { name: string; condition: Expr }[] = [];
  let joint: { and: AndExpr | undefined; nots: NotExpr[] } = { and: undefined, nots: [] };
  if (pieces.length > 0) {
    const root = r.ast;
    const k = pieces.length;
    const nots = root.type === "and" && root.children.length === k + 1 ? root.children.slice(1) : [];
    const fits =
      nots.length === k &&
      nots.every((n, j) => n.type === "not" && n.range.start >= sub.anchors[2 * j]! && n.range.end <= sub.anchors[2 * j + 1]!) &&
      root.type === "and" &&
      root.children[0]!.range.end <= sub.anchors[0]!;
    if (fits) {
      condition = (root as AndExpr).children[0]!;
      exceptions = (nots as NotExpr[]).map((n, j) => ({ name: pieces[j]!.name, condition: n.child }));
      joint = { and: root as AndExpr, nots: nots as NotExpr[] };
    }
    // Otherwise (a condition whose parentheses do not balance on their own, which the
    // surrounding `(...)` happens to fix) the whole text stays the condition.
  }

  // Every macro reached, transitively.
  const macros = new Map<string, Expr>();
  const queue = [condition, ...exceptions.map((e) => e.condition)].flatMap(references);
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (macros.has(name)) continue;
    const m = macroOf(load, state, name);
    if (!m) continue;
    macros.set(name, m.ast);
    queue.push(...references(m.ast));
  }

  const parts: ConditionParts = {
    rule: info.name,
    source: info.source,
    condition,
    exceptions,
    macros,
    listsOf,
    locate,
  };
  joints.set(parts, joint);
  return parts;
}

/**
 * The rule's whole tree from its parts, as the compiler builds it: the condition with every
 * macro reference replaced by the macro's (expanded) tree, and ` and not (...)` per exception.
 * New and/or/not nodes (the parts are left as they are); checks are shared with the parts.
 */
export function expandedTree(parts: ConditionParts): Expr {
  const expand = (e: Expr, path: string[]): Expr => {
    switch (e.type) {
      case "and":
      case "or":
        return { ...e, children: e.children.map((c) => expand(c, path)) };
      case "not":
        return { ...e, child: expand(e.child, path) };
      case "identifier": {
        const m = parts.macros.get(e.name);
        if (!m || path.includes(e.name)) return e;
        return expand(m, [...path, e.name]);
      }
      default:
        return e;
    }
  };
  const condition = expand(parts.condition, []);
  const joint = joints.get(parts);
  if (!joint?.and || parts.exceptions.length === 0) return condition;
  return {
    ...joint.and,
    children: [condition, ...joint.nots.map((n, j) => ({ ...n, child: expand(parts.exceptions[j]!.condition, []) }))],
  };
}
