/**
 * The shape of a lint rule: metadata, message templates, and a `check` that reads the loaded
 * files and reports problems with exact ranges (and, where the fix is certain, text edits).
 */
import type { Diagnostic, Fix, OffsetRange, Severity } from "@falcokit/diagnostics";
import type { LoadResult } from "@falcokit/engine";
import type { RulesFile } from "@falcokit/rules-model";

export type Category = "correctness" | "performance" | "style" | "deprecation";

export interface RuleMeta {
  /** The rule's id: its file name under `src/rules/`, its docs page `docs/rules/<id>.md`. */
  id: string;
  category: Category;
  /** One sentence: what the rule finds. */
  description: string;
  /** Severity when the configuration says nothing. */
  severity: Exclude<Severity, "hint">;
  /** Whether the rule offers fixes that `--fix` applies. */
  fixable: boolean;
  /** In the `recommended` set (every rule is in `strict`). */
  recommended: boolean;
}

/** One problem a rule found. */
export interface Report {
  /** Key of the rule's `messages`; `data` fills its `{placeholders}`. */
  messageId: string;
  data?: Record<string, string | number>;
  file: string;
  range: OffsetRange;
  fix?: Fix;
  /** Other places worth showing (an earlier definition, the rule that shadows this one). */
  related?: { message: string; file: string; range: OffsetRange }[];
}

/** What a rule sees. */
export interface RuleContext<Options> {
  options: Options;
  /** The files as loaded, in load order, with their models. */
  files: readonly { name: string; text: string; model: RulesFile }[];
  /** The engine's load of all files together (effective ruleset, compiled rules, catalogs). */
  load: LoadResult;
  report(r: Report): void;
}

export interface LintRule<Options = Record<string, never>> {
  meta: RuleMeta;
  messages: Record<string, string>;
  defaultOptions: Options;
  check(context: RuleContext<Options>): void;
}

// Rules of any option type, as the registry holds them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyLintRule = LintRule<any>;

/** A lint diagnostic: code `lint/<id>`. */
export type LintDiagnostic = Diagnostic;
