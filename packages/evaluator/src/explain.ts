/**
 * Why a rule matched an event or not: the rule evaluated as Falco evaluates it (its condition,
 * then `and not` each exception, `and`/`or` short-circuiting left to right), keeping the whole
 * tree: every macro and exception as a node of its own, every check with its outcome, the
 * field values it read and the lists its values came from. Checks never reached are kept too,
 * with no value.
 *
 * The rule's tree is rebuilt from its parts (`conditionParts`) and compiled once per (parts,
 * source) by `compilePredicate` with an observer, as one filter, as Falco compiles a rule: the
 * outcome is the ruleset's. Explaining an event then costs one evaluation plus the tree.
 */
import { asString, nodesOf, type BinaryCheckExpr, type Expr, type FieldExpr, type IdentifierExpr, type UnaryCheckExpr } from "@falcokit/condition";
import type { ConditionParts } from "@falcokit/engine";
import type { FieldType } from "@falcokit/fields";
import { compilePredicate, fieldAccessor, type Accessor, type CheckObserver, type FieldSource, type Predicate } from "./predicate.js";
import { formatValue } from "./output.js";

export interface ExplainNode {
  kind: "rule" | "and" | "or" | "not" | "macro" | "exception" | "check";
  /** The check's source text (e.g. `proc.name in (bash, sh)`), the macro's or exception's name, the rule's name. */
  label: string;
  /** true/false when evaluated; undefined when short-circuit evaluation (as Falco does: left to right) never reached it. */
  value: boolean | undefined;
  children: ExplainNode[];
  /** For checks: the field values read (as Falco would print them), and the lists the check's values came from. */
  reads?: { field: string; value: string }[];
  lists?: string[];
  location?: { file: string; range: { start: number; end: number } };
}

type Location = NonNullable<ExplainNode["location"]>;

/** A field a check reads, as Falco prints it in outputs. */
interface ReadField<Ctx> {
  text: string;
  type: FieldType;
  read: Accessor<Ctx>;
}

/** The rule's tree as compiled: what each explain node is made from. */
type Plan<Ctx> =
  | { kind: "rule"; label: string; location: Location | undefined; condition: Plan<Ctx>; exceptions: Plan<Ctx>[] }
  | { kind: "and" | "or"; location: Location | undefined; children: Plan<Ctx>[] }
  | { kind: "not"; location: Location | undefined; child: Plan<Ctx> }
  | { kind: "macro" | "exception"; label: string; location: Location | undefined; child: Plan<Ctx> }
  | { kind: "check"; index: number; label: string; location: Location | undefined; lists: readonly string[]; fields: ReadField<Ctx>[] };

interface Compiled<Ctx> {
  plan: Plan<Ctx>;
  predicate: Predicate<Ctx>;
  /** Per check (by index): the epoch of the last evaluation that reached it, and its outcome. */
  stamps: Int32Array;
  results: Uint8Array;
  epoch: number;
}

/** Compiled rules by parts, then by source (the parts are memoized per load, so this lasts as long as the load). */
const cache = new WeakMap<ConditionParts, WeakMap<object, Compiled<unknown> | Error>>();

/** Builds the evaluation tree (fresh and/or/not nodes, one fresh copy of each check per place) and its plan. */
function compile<Ctx>(parts: ConditionParts, source: FieldSource<Ctx>): Compiled<Ctx> {
  const indexOf = new Map<object, number>();
  const fieldsCache = new Map<string, ReadField<Ctx>>();
  let count = 0;

  const fieldsOf = (check: Expr): ReadField<Ctx>[] => {
    const out: ReadField<Ctx>[] = [];
    const seen = new Set<string>();
    for (const n of nodesOf(check)) {
      if (n.type !== "field") continue;
      const m = source.catalog.lookup(n.name, n.arg);
      if (!m?.ok || seen.has(m.text)) continue;
      seen.add(m.text);
      let f = fieldsCache.get(m.text);
      if (!f) {
        const typed = fieldAccessor(source, n as FieldExpr);
        f = { text: m.text, type: typed.type, read: typed.read };
        fieldsCache.set(m.text, f);
      }
      out.push(f);
    }
    return out;
  };

  const walk = (e: Expr, path: readonly string[]): { expr: Expr; plan: Plan<Ctx> } => {
    const location = parts.locate(e);
    switch (e.type) {
      case "and":
      case "or": {
        const kids = e.children.map((c) => walk(c, path));
        return { expr: { ...e, children: kids.map((k) => k.expr) }, plan: { kind: e.type, location, children: kids.map((k) => k.plan) } };
      }
      case "not": {
        const kid = walk(e.child, path);
        return { expr: { ...e, child: kid.expr }, plan: { kind: "not", location, child: kid.plan } };
      }
      case "identifier": {
        const macro = parts.macros.get(e.name);
        if (!macro || path.includes(e.name)) return { expr: e, plan: { kind: "check", index: -1, label: e.name, location, lists: [], fields: [] } };
        const kid = walk(macro, [...path, e.name]);
        return { expr: kid.expr, plan: { kind: "macro", label: (e as IdentifierExpr).name, location, child: kid.plan } };
      }
      case "unary_check":
      case "binary_check": {
        const copy: UnaryCheckExpr | BinaryCheckExpr = { ...e };
        const index = count++;
        indexOf.set(copy, index);
        return { expr: copy, plan: { kind: "check", index, label: asString(e), location, lists: parts.listsOf(e), fields: fieldsOf(e) } };
      }
      default:
        // An error node: compilePredicate reports it.
        return { expr: e, plan: { kind: "check", index: -1, label: "<error>", location, lists: [], fields: [] } };
    }
  };

  const cond = walk(parts.condition, []);
  const excs = parts.exceptions.map((x) => ({ name: x.name, location: parts.locate(x.condition), ...walk(x.condition, []) }));
  const whole: Expr =
    excs.length === 0
      ? cond.expr
      : { type: "and", range: parts.condition.range, children: [cond.expr, ...excs.map((x): Expr => ({ type: "not", range: x.expr.range, child: x.expr }))] };
  const plan: Plan<Ctx> = {
    kind: "rule",
    label: parts.rule,
    location: parts.locate(parts.condition),
    condition: cond.plan,
    exceptions: excs.map((x) => ({ kind: "exception", label: x.name, location: x.location, child: x.plan })),
  };

  const compiled: Compiled<Ctx> = { plan, predicate: () => false, stamps: new Int32Array(count), results: new Uint8Array(count), epoch: 0 };
  const observer: CheckObserver<Ctx> = {
    check(node, _ctx, result) {
      const i = indexOf.get(node);
      if (i === undefined) return;
      compiled.stamps[i] = compiled.epoch;
      compiled.results[i] = result ? 1 : 0;
    },
  };
  compiled.predicate = compilePredicate(whole, source, { observer });
  return compiled;
}

function compiledFor<Ctx>(parts: ConditionParts, source: FieldSource<Ctx>): Compiled<Ctx> {
  let bySource = cache.get(parts);
  if (!bySource) cache.set(parts, (bySource = new WeakMap()));
  let c = bySource.get(source);
  if (!c) {
    try {
      c = compile(parts, source) as Compiled<unknown>;
    } catch (e) {
      c = e instanceof Error ? e : new Error(String(e));
    }
    bySource.set(source, c);
  }
  if (c instanceof Error) throw c;
  return c as Compiled<Ctx>;
}

/** Evaluates the rule on one event as Falco does (rule condition AND NOT each exception), keeping the whole tree. root.value === whether the rule matches. */
export function explainRule<Ctx>(parts: ConditionParts, source: FieldSource<Ctx>, ctx: Ctx): ExplainNode {
  const c = compiledFor(parts, source);
  // Epochs tell this evaluation's observations from earlier ones (wrapping is harmless: 2^31 events apart).
  c.epoch = (c.epoch + 1) | 0 || 1;
  const matched = c.predicate(ctx);
  const root = materialize(c.plan, c, ctx);
  if (root.value !== matched) throw new Error(`explain: the tree of rule '${parts.rule}' gives ${root.value} where its filter gives ${matched}`);
  return root;
}

/** The explain tree of one evaluation: values from the observed checks, combined as the evaluation went. */
function materialize<Ctx>(p: Plan<Ctx>, c: Compiled<Ctx>, ctx: Ctx): ExplainNode {
  switch (p.kind) {
    case "check": {
      const reached = p.index >= 0 && c.stamps[p.index] === c.epoch;
      const node: ExplainNode = { kind: "check", label: p.label, value: reached ? c.results[p.index] === 1 : undefined, children: [], lists: [...p.lists] };
      if (reached) node.reads = p.fields.map((f) => ({ field: f.text, value: formatValue(f.type, f.read(ctx)) }));
      if (p.location) node.location = p.location;
      return node;
    }
    case "and":
    case "or": {
      const children = p.children.map((k) => materialize(k, c, ctx));
      return withLocation({ kind: p.kind, label: p.kind, value: p.kind === "and" ? conjunction(children) : disjunction(children), children }, p.location);
    }
    case "not": {
      const child = materialize(p.child, c, ctx);
      return withLocation({ kind: "not", label: "not", value: child.value === undefined ? undefined : !child.value, children: [child] }, p.location);
    }
    case "macro":
    case "exception": {
      const child = materialize(p.child, c, ctx);
      return withLocation({ kind: p.kind, label: p.label, value: child.value, children: [child] }, p.location);
    }
    case "rule": {
      const condition = materialize(p.condition, c, ctx);
      const exceptions = p.exceptions.map((x) => materialize(x, c, ctx));
      // `(cond) and not E1 and not E2`: matched when the condition holds and no exception does.
      let value: boolean | undefined = condition.value;
      if (value === true) {
        for (const x of exceptions) {
          if (x.value === undefined) {
            value = undefined;
            break;
          }
          if (x.value) {
            value = false;
            break;
          }
        }
      }
      return withLocation({ kind: "rule", label: p.label, value, children: [condition, ...exceptions] }, p.location);
    }
  }
}

function withLocation(node: ExplainNode, location: Location | undefined): ExplainNode {
  if (location) node.location = location;
  return node;
}

/** Left to right: false at the first false child, true when all are true, unknown when not reached. */
function conjunction(children: ExplainNode[]): boolean | undefined {
  for (const k of children) {
    if (k.value === undefined) return undefined;
    if (!k.value) return false;
  }
  return true;
}

function disjunction(children: ExplainNode[]): boolean | undefined {
  for (const k of children) {
    if (k.value === undefined) return undefined;
    if (k.value) return true;
  }
  return false;
}

export interface FormatExplainOptions {
  /** Levels below the root to show (the root is level 0); deeper nodes are summarized on their parent's line. */
  maxDepth?: number;
  /** Labels longer than this are cut with `...` (default 120; 0: never). */
  maxLabel?: number;
}

const MARK = (v: boolean | undefined) => (v === undefined ? "[-]" : v ? "[T]" : "[F]");

/**
 * A readable text tree: one line per node, indented two spaces per level, marked `[T]` (true),
 * `[F]` (false) or `[-]` (not evaluated). Macros and exceptions show their name after their
 * kind; checks show their text, then the values read and the lists they use:
 *
 *     [F] rule Shell in container
 *       [T] and
 *         [T] macro spawned_process
 *           [T] evt.type = execve | evt.type=execve
 *         [F] proc.name in (bash, sh) | proc.name=ls | lists: shell_binaries
 *       [-] exception known_shells
 */
export function formatExplain(node: ExplainNode, options: FormatExplainOptions = {}): string {
  const maxDepth = options.maxDepth ?? Infinity;
  const maxLabel = options.maxLabel ?? 120;
  const lines: string[] = [];
  const cut = (s: string) => (maxLabel > 0 && s.length > maxLabel ? `${s.slice(0, Math.max(0, maxLabel - 3))}...` : s);
  const count = (n: ExplainNode): number => n.children.reduce((s, k) => s + 1 + count(k), 0);
  const visit = (n: ExplainNode, depth: number): void => {
    let line = `${"  ".repeat(depth)}${MARK(n.value)} `;
    switch (n.kind) {
      case "rule":
      case "macro":
      case "exception":
        line += `${n.kind} ${n.label}`;
        break;
      case "check":
        line += cut(n.label);
        for (const r of n.reads ?? []) line += ` | ${r.field}=${r.value}`;
        if (n.lists && n.lists.length > 0) line += ` | ${n.lists.length === 1 ? "list" : "lists"}: ${n.lists.join(", ")}`;
        break;
      default:
        line += n.kind;
    }
    if (depth >= maxDepth && n.children.length > 0) {
      const hidden = count(n);
      lines.push(`${line} ... (${hidden} ${hidden === 1 ? "node" : "nodes"} hidden)`);
      return;
    }
    lines.push(line);
    for (const k of n.children) visit(k, depth + 1);
  };
  visit(node, 0);
  return lines.join("\n") + "\n";
}
