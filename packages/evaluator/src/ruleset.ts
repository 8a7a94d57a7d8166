/**
 * The runnable ruleset of one source, as Falco's engine builds it: rules below the minimum
 * priority are left out, the others enabled or disabled by their `enabled` key and then by the
 * selection (`falco.yaml` `rules:` entries, tags, names with wildcards), and indexed by event
 * code so an event only meets the rules of its type, in load order.
 */
import type { Expr } from "@falcokit/condition";
import type { CompiledRule, LoadResult, RuleSelectionEntry } from "@falcokit/engine";
import { indexCodes, matchesWildcard } from "@falcokit/engine";
import { CheckMemo, compilePredicate, EvaluatorError, type FieldSource, type Predicate, type PredicateOptions } from "./predicate.js";
import { OperatorError } from "./operators.js";
import { compileOutput, type OutputRenderer } from "./output.js";

export const PRIORITIES = ["Emergency", "Alert", "Critical", "Error", "Warning", "Notice", "Informational", "Debug"] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Falco's priority parsing: case-insensitive, `info` for Informational. */
export function parsePriority(text: string): Priority | undefined {
  const t = text.toLowerCase();
  if (t === "info") return "Informational";
  return PRIORITIES.find((p) => p.toLowerCase() === t);
}

export const priorityRank = (p: string): number => {
  const i = PRIORITIES.indexOf(p as Priority);
  return i < 0 ? PRIORITIES.length : i;
};

/** Which rules run. */
export interface SelectionOptions {
  /** Rules less severe than this are not loaded (falco.yaml `priority`). Default: Debug. */
  minPriority?: Priority;
  /** `falco.yaml` `rules:` entries, applied in order after the rules' own `enabled`. */
  selection?: readonly RuleSelectionEntry[];
}

export interface RunnableRule<Ctx> {
  rule: CompiledRule;
  /** Position in load order. */
  order: number;
  predicate: Predicate<Ctx>;
  output: OutputRenderer<Ctx>;
  enabled: boolean;
  /**
   * The memo id of the check the condition starts with (the first leaf of its leading `and`s):
   * when another rule found it false for this event, this rule cannot match. -1 when none.
   */
  guard: number;
}

/** The first check of a condition's leading conjunction, if it starts with one. */
function leadingCheck(e: Expr): Expr | undefined {
  let n: Expr = e;
  while (n.type === "and") n = n.children[0]!;
  return n.type === "binary_check" || n.type === "unary_check" ? n : undefined;
}

/** A problem building a rule's predicate (a field this source cannot read, for instance). */
export interface RulesetProblem {
  rule: string;
  message: string;
}

export class Ruleset<Ctx> {
  private readonly byCode = new Map<number, RunnableRule<Ctx>[]>();
  /** Buckets of several codes merged in load order, by the codes array (callers reuse theirs). */
  private readonly merged = new WeakMap<readonly number[], RunnableRule<Ctx>[]>();
  readonly rules: RunnableRule<Ctx>[] = [];
  readonly problems: RulesetProblem[] = [];
  private readonly memo = new CheckMemo();

  private constructor(readonly source: string) {}

  /**
   * Builds the ruleset of `source` from a successful load. `fields` reads the source's events;
   * rules whose predicate cannot be built are reported in `problems` and left out.
   */
  static build<Ctx>(load: LoadResult, source: string, fields: FieldSource<Ctx>, options: SelectionOptions & PredicateOptions<Ctx> = {}): Ruleset<Ctx> {
    const set = new Ruleset<Ctx>(source);
    const min = priorityRank(options.minPriority ?? "Debug");
    const compiled = load.compiled?.rules ?? [];
    compiled.forEach((rule, order) => {
      if (rule.info.source !== source) return;
      if (priorityRank(rule.info.priority) > min) return;
      let predicate: Predicate<Ctx>;
      let output: OutputRenderer<Ctx>;
      try {
        predicate = compilePredicate(rule.ast, fields, { ...options, memo: set.memo });
        output = compileOutput(rule.output, fields);
      } catch (e) {
        set.problems.push({ rule: rule.info.name, message: e instanceof Error ? e.message : String(e) });
        return;
      }
      const lead = leadingCheck(rule.ast);
      const runnable: RunnableRule<Ctx> = { rule, order, predicate, output, enabled: rule.info.enabled, guard: lead ? set.memo.id(lead) : -1 };
      set.rules.push(runnable);
      for (const code of indexCodes(rule.eventSet)) {
        let bucket = set.byCode.get(code);
        if (!bucket) set.byCode.set(code, (bucket = []));
        bucket.push(runnable);
      }
    });
    for (const entry of options.selection ?? []) set.apply(entry);
    return set;
  }

  /** Applies one selection entry: by name (wildcards) and/or by tag. */
  apply(entry: RuleSelectionEntry): void {
    const enable = entry.op === "enable";
    for (const r of this.rules) {
      if (entry.rule !== undefined && matchesWildcard(entry.rule, r.rule.info.name)) r.enabled = enable;
      if (entry.tag !== undefined && r.rule.info.tags.has(entry.tag)) r.enabled = enable;
    }
  }

  /** The enabled rules an event of this code meets, in load order. */
  candidates(code: number): readonly RunnableRule<Ctx>[] {
    return this.byCode.get(code) ?? [];
  }

  /**
   * The rules that match an event, in load order: the first one only (Falco's default
   * `rule_matching: first`) or all of them.
   */
  run(ctx: Ctx, code: number, matching: "first" | "all" = "first"): RunnableRule<Ctx>[] {
    const bucket = this.byCode.get(code);
    this.memo.epoch++;
    return bucket ? matchIn(bucket, ctx, matching, this.memo) : [];
  }

  /** Like `run` over several codes (a field-level event of a type with several codes). */
  runCodes(ctx: Ctx, codes: readonly number[], matching: "first" | "all" = "first"): RunnableRule<Ctx>[] {
    if (codes.length === 1) return this.run(ctx, codes[0]!, matching);
    let bucket = this.merged.get(codes);
    if (!bucket) {
      const seen = new Set<RunnableRule<Ctx>>();
      bucket = [];
      for (const c of codes) for (const r of this.byCode.get(c) ?? []) if (!seen.has(r)) (seen.add(r), bucket.push(r));
      bucket.sort((a, b) => a.order - b.order);
      this.merged.set(codes, bucket);
    }
    this.memo.epoch++;
    return matchIn(bucket, ctx, matching, this.memo);
  }
}

/** The enabled rules of a bucket that match, in order; only the first with `first`. */
function matchIn<Ctx>(bucket: readonly RunnableRule<Ctx>[], ctx: Ctx, matching: "first" | "all", memo: CheckMemo): RunnableRule<Ctx>[] {
  const out: RunnableRule<Ctx>[] = [];
  let i = 0;
  try {
    for (; i < bucket.length; i++) {
      const r = bucket[i]!;
      if (!r.enabled) continue;
      if (r.guard >= 0 && memo.knownFalse(r.guard)) continue;
      if (r.predicate(ctx)) {
        out.push(r);
        if (matching === "first") break;
      }
    }
  } catch (e) {
    if (e instanceof OperatorError || e instanceof EvaluatorError) throw new RuleRuntimeError(bucket[i]!.rule.info.name, e);
    throw e;
  }
  return out;
}

/**
 * A rule whose evaluation fails on an event, as libs throws for some checks at run time (an
 * `fd.sip.name` compared with `contains`, for instance): Falco stops there.
 */
export class RuleRuntimeError extends Error {
  constructor(
    readonly rule: string,
    readonly reason: Error,
  ) {
    super(`rule '${rule}': ${reason.message}`);
    this.name = "RuleRuntimeError";
  }
}
