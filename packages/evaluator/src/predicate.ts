/**
 * Conditions compiled to predicates: the macro-expanded tree of a rule becomes nested closures
 * over a source's field accessors, with libs' semantics (a field that cannot be read makes its
 * check false whatever the operator, `and`/`or` short-circuit left to right).
 */
import type { BinaryCheckExpr, Expr, FieldExpr, FieldLike, TransformerArg, TransformerExpr, UnaryCheckExpr } from "@falcokit/condition";
import type { FieldCatalog, FieldType } from "@falcokit/fields";
import { compileCheck, compileFieldComparison } from "./operators.js";
import { applyTransformer, concatValues, getoptValues, joinValues, multiValueResultType, transformedType } from "./transformers.js";
import type { Extracted, Scalar } from "./value.js";
import { formatValue } from "./output.js";

/** Reads one field of an event context. */
export type Accessor<Ctx> = (ctx: Ctx) => Extracted;

/** A field as the catalog resolved it, handed to a source to build its accessor. */
export interface FieldRef {
  /** The name as written (`proc.aname`). */
  name: string;
  /** The argument as written in brackets, if any. */
  arg?: string;
  /** libs' reading of the argument (bracket text, or the dotted suffix of `evt.arg.x`). */
  argument?: string;
  argumentIndex?: number | bigint;
  type: FieldType;
  isList: boolean;
  /** `name[arg]` as libs prints it (the key of `output_fields`). */
  text: string;
}

/** What a source provides: an accessor for each field it can read. */
export interface FieldSource<Ctx> {
  readonly catalog: FieldCatalog;
  accessor(field: FieldRef): Accessor<Ctx>;
  /**
   * For the few fields a source compares in its own way rather than through the extracted value
   * (libs' ancestor and socket-endpoint fields): the whole check `field op constants`, or
   * undefined to compare the extracted value as usual. `op` `exists` asks for the unary check.
   * `compilation` is the same object for every check of one `compilePredicate` call (one rule's
   * condition): libs gives each rule's filter its own per-event extraction caches, which the
   * `fd.*ip.name` checks depend on.
   */
  specialCheck?(field: FieldRef, op: string, constants: readonly string[], compilation?: object): Predicate<Ctx> | undefined;
}

/** A compiled value producer: the accessor plus the type of what it yields. */
export interface Typed<Ctx> {
  read: Accessor<Ctx>;
  type: FieldType;
  isList: boolean;
  /** The fields read, for explain traces and output. */
  fields: FieldRef[];
}

export type Predicate<Ctx> = (ctx: Ctx) => boolean;

/** Observes every check evaluated (for explain traces and coverage); absent in plain runs. */
export interface CheckObserver<Ctx> {
  check(node: Expr, ctx: Ctx, result: boolean, values: readonly { field: string; value: Extracted }[]): void;
}

export class EvaluatorError extends Error {}

/** Resolves a written field through the catalog into a typed accessor. */
export function fieldAccessor<Ctx>(source: FieldSource<Ctx>, node: FieldExpr): Typed<Ctx> {
  const m = source.catalog.lookup(node.name, node.arg);
  if (!m || !m.ok) throw new EvaluatorError(`field ${node.name}${node.arg !== undefined ? `[${node.arg}]` : ""} is not known to source ${source.catalog.source}`);
  const ref: FieldRef = { name: node.name, type: m.type, isList: m.isList, text: m.text };
  if (node.arg !== undefined) ref.arg = node.arg;
  if (m.argument !== undefined) ref.argument = m.argument;
  if (m.argumentIndex !== undefined) ref.argumentIndex = m.argumentIndex;
  return { read: source.accessor(ref), type: m.type, isList: m.isList, fields: [ref] };
}

/** A transformer chain (or `val(...)`) over fields, as a typed accessor. */
export function transformerAccessor<Ctx>(source: FieldSource<Ctx>, node: TransformerExpr): Typed<Ctx> {
  const args = node.values.map((v) => argAccessor(source, v));
  const fields = args.flatMap((a) => a.fields);
  const name = node.transformer;
  if (name === "val") return { ...args[0]!, fields };
  if (name === "join" || name === "concat" || name === "getopt") {
    const out = multiValueResultType(name, node.arg !== undefined);
    const reads = args.map((a) => a.read);
    const selector = node.arg;
    const values = (ctx: Ctx): Scalar[][] | undefined => {
      const all: Scalar[][] = [];
      for (const r of reads) {
        const v = r(ctx);
        if (v === undefined) return undefined;
        all.push(Array.isArray(v) ? [...(v as Scalar[])] : [v as Scalar]);
      }
      return all;
    };
    let read: Accessor<Ctx>;
    if (name === "join") {
      read = (ctx) => {
        const v = values(ctx);
        return v === undefined ? undefined : joinValues(v[0]![0]!, v[1]!);
      };
    } else if (name === "concat") {
      read = (ctx) => {
        const v = values(ctx);
        return v === undefined ? undefined : concatValues(v.map((x) => x[0]!));
      };
    } else {
      read = (ctx) => {
        const v = values(ctx);
        return v === undefined ? undefined : getoptValues(v[0]!, v[1]![0]!, selector);
      };
    }
    return { read, type: out.type, isList: out.isList, fields };
  }
  const inner = args[0]!;
  const out = transformedType(name, inner.type, inner.isList);
  if (!out) throw new EvaluatorError(`field type '${inner.type}' is not supported by '${name}' transformer`);
  const read = inner.read;
  const inType = inner.type;
  const inList = inner.isList;
  return { read: (ctx) => applyTransformer(name, inType, inList, read(ctx)), type: out.type, isList: out.isList, fields };
}

function argAccessor<Ctx>(source: FieldSource<Ctx>, node: TransformerArg): Typed<Ctx> {
  switch (node.type) {
    case "field":
      return fieldAccessor(source, node);
    case "field_transformer":
      return transformerAccessor(source, node);
    case "value": {
      const v = node.value;
      return { read: () => v, type: "CHARBUF", isList: false, fields: [] };
    }
    case "transformer_list": {
      const items = node.children.map((c) => argAccessor(source, c));
      return {
        read: (ctx) => {
          const out: Scalar[] = [];
          for (const it of items) {
            const v = it.read(ctx);
            if (v === undefined) return undefined;
            // libs turns each item into text (rawval_to_string) before the transformer sees it.
            if (Array.isArray(v)) for (const x of v as Scalar[]) out.push(typeof x === "string" ? x : formatValue(it.type, x));
            else out.push(typeof v === "string" ? v : formatValue(it.type, v));
          }
          return out;
        },
        type: "CHARBUF",
        isList: true,
        fields: items.flatMap((i) => i.fields),
      };
    }
    default:
      throw new EvaluatorError("incomplete expression");
  }
}

export function leftAccessor<Ctx>(source: FieldSource<Ctx>, node: FieldLike): Typed<Ctx> {
  return node.type === "field" ? fieldAccessor(source, node) : transformerAccessor(source, node);
}

/**
 * Results of checks within one event, shared by the predicates of a ruleset. Macro expansion
 * shares check objects among the rules that use a macro (`spawned_process`, `container`...),
 * so a check is evaluated once per event however many rules contain it. `epoch` identifies the
 * event: the ruleset moves it on before each event.
 */
export class CheckMemo {
  epoch = 1;
  private readonly ids = new Map<object, number>();
  readonly stamps: number[] = [];
  readonly results: boolean[] = [];

  /** Whether `id` was evaluated false for the current event. */
  knownFalse(id: number): boolean {
    return this.stamps[id] === this.epoch && !this.results[id];
  }

  id(node: object): number {
    let id = this.ids.get(node);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(node, id);
      this.stamps.push(0);
      this.results.push(false);
    }
    return id;
  }
}

/** Options of `compilePredicate`. */
export interface PredicateOptions<Ctx> {
  /** Called for every check evaluated; slows evaluation, so only for explain and coverage. */
  observer?: CheckObserver<Ctx>;
  /** Check results shared within an event (see `CheckMemo`); not used with an observer. */
  memo?: CheckMemo;
}

/** Compiles a macro-expanded condition into a predicate over a source's events. */
export function compilePredicate<Ctx>(ast: Expr, source: FieldSource<Ctx>, options: PredicateOptions<Ctx> = {}): Predicate<Ctx> {
  const observer = options.observer;
  const memo = observer ? undefined : options.memo;
  const compilation = {};
  const build = (e: Expr): Predicate<Ctx> => {
    switch (e.type) {
      case "and": {
        const parts = e.children.map(build);
        if (parts.length === 2) {
          const [a, b] = parts as [Predicate<Ctx>, Predicate<Ctx>];
          return (ctx) => a(ctx) && b(ctx);
        }
        return (ctx) => {
          for (let i = 0; i < parts.length; i++) if (!parts[i]!(ctx)) return false;
          return true;
        };
      }
      case "or": {
        const parts = e.children.map(build);
        if (parts.length === 2) {
          const [a, b] = parts as [Predicate<Ctx>, Predicate<Ctx>];
          return (ctx) => a(ctx) || b(ctx);
        }
        return (ctx) => {
          for (let i = 0; i < parts.length; i++) if (parts[i]!(ctx)) return true;
          return false;
        };
      }
      case "not": {
        const inner = build(e.child);
        return (ctx) => !inner(ctx);
      }
      case "unary_check":
        return observed(e, unary(source, e, compilation));
      case "binary_check":
        return observed(e, binary(source, e, compilation));
      case "identifier":
        throw new EvaluatorError(`undefined macro '${e.name}'`);
      default:
        throw new EvaluatorError("the condition has syntax errors");
    }
  };
  const observed = (e: UnaryCheckExpr | BinaryCheckExpr, c: CompiledCheck<Ctx>): Predicate<Ctx> => {
    if (memo) {
      const id = memo.id(e);
      const test = c.test;
      const { stamps, results } = memo;
      return (ctx) => {
        if (stamps[id] === memo.epoch) return results[id]!;
        const r = test(ctx);
        stamps[id] = memo.epoch;
        results[id] = r;
        return r;
      };
    }
    if (!observer) return c.test;
    return (ctx) => {
      const result = c.test(ctx);
      observer.check(e, ctx, result, c.reads(ctx));
      return result;
    };
  };
  if (!observer) {
    const raw = (e: Expr): Predicate<Ctx> => {
      if (e.type === "unary_check") return unary(source, e, compilation).test;
      if (e.type === "binary_check") return binary(source, e, compilation).test;
      return build(e);
    };
    const generated = generate(ast, raw, memo);
    if (generated) return generated;
  }
  return build(ast);
}

/** Whether the environment lets code be generated (a browser page's CSP may forbid it). */
let canGenerate: boolean | undefined;

/**
 * The boolean skeleton of a condition as one generated function that calls each check's closure
 * from its own call site: the engine then sees one target per call and inlines, where nested
 * and/or closures would share megamorphic call sites. With a memo, each check's result is kept
 * for the event (see `CheckMemo`). Undefined when code cannot be generated here.
 */
function generate<Ctx>(ast: Expr, check: (e: Expr) => Predicate<Ctx>, memo: CheckMemo | undefined): Predicate<Ctx> | undefined {
  if (canGenerate === false) return undefined;
  const checks: Predicate<Ctx>[] = [];
  const emit = (e: Expr): string => {
    switch (e.type) {
      case "and":
        return `(${e.children.map(emit).join(" && ")})`;
      case "or":
        return `(${e.children.map(emit).join(" || ")})`;
      case "not":
        return `!${emit(e.child)}`;
      default: {
        checks.push(check(e));
        const c = `c${checks.length - 1}`;
        if (!memo || (e.type !== "unary_check" && e.type !== "binary_check")) return `${c}(x)`;
        const id = memo.id(e);
        return `(S[${id}] === m.epoch ? R[${id}] : (R[${id}] = ${c}(x), S[${id}] = m.epoch, R[${id}]))`;
      }
    }
  };
  const body = emit(ast);
  const names = checks.map((_, i) => `c${i}`);
  try {
    const factory = new Function("m", "S", "R", ...names, `"use strict"; return function condition(x) { return ${body}; };`) as (m: CheckMemo | undefined, S: number[] | undefined, R: boolean[] | undefined, ...c: Predicate<Ctx>[]) => Predicate<Ctx>;
    canGenerate = true;
    return factory(memo, memo?.stamps, memo?.results, ...checks);
  } catch (e) {
    if (e instanceof EvalError || (e instanceof Error && /Content Security Policy|unsafe-eval/i.test(e.message))) {
      canGenerate = false;
      return undefined;
    }
    throw e;
  }
}

interface CompiledCheck<Ctx> {
  test: Predicate<Ctx>;
  /** The values the check read (evaluated again; for observers only). */
  reads(ctx: Ctx): { field: string; value: Extracted }[];
}

function readsOf<Ctx>(...typed: Typed<Ctx>[]): (ctx: Ctx) => { field: string; value: Extracted }[] {
  return (ctx) => typed.flatMap((t) => (t.fields.length === 1 && t.fields[0]!.text ? [{ field: t.fields[0]!.text, value: t.read(ctx) }] : t.fields.map((f) => ({ field: f.text, value: undefined as Extracted }))));
}

function unary<Ctx>(source: FieldSource<Ctx>, e: UnaryCheckExpr, compilation: object): CompiledCheck<Ctx> {
  if (e.left.type === "error") throw new EvaluatorError("the condition has syntax errors");
  const left = leftAccessor(source, e.left);
  const special = e.left.type === "field" && source.specialCheck ? source.specialCheck(left.fields[0]!, "exists", [], compilation) : undefined;
  if (special) return { test: special, reads: readsOf(left) };
  const read = left.read;
  return { test: (ctx) => read(ctx) !== undefined, reads: readsOf(left) };
}

function binary<Ctx>(source: FieldSource<Ctx>, e: BinaryCheckExpr, compilation: object): CompiledCheck<Ctx> {
  if (e.left.type === "error" || e.right.type === "error") throw new EvaluatorError("the condition has syntax errors");
  const left = leftAccessor(source, e.left);
  const read = left.read;
  const right = e.right;
  if (right.type === "field_transformer") {
    const rhs = transformerAccessor(source, right);
    const cmp = compileFieldComparison(e.op, left.type, left.isList);
    const readRight = rhs.read;
    return {
      test: (ctx) => {
        const l = read(ctx);
        if (l === undefined) return false;
        const r = readRight(ctx);
        if (r === undefined) return false;
        return cmp(l, r);
      },
      reads: readsOf(left, rhs),
    };
  }
  const constants = right.type === "value" ? [right.value] : right.values;
  const special = e.left.type === "field" && source.specialCheck ? source.specialCheck(left.fields[0]!, e.op, constants, compilation) : undefined;
  if (special) return { test: special, reads: readsOf(left) };
  const test = compileCheck(e.op, left.type, left.isList, constants);
  return {
    test: (ctx) => {
      const v = read(ctx);
      return v !== undefined && test(v);
    },
    reads: readsOf(left),
  };
}
