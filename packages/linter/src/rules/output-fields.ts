import { nodesOf, parseOutput } from "@falcokit/condition";
import { ruleItems } from "../items.js";
import type { LintRule } from "../types.js";
import { definesRule } from "./maturity-tag-first.js";

export interface OutputFieldsOptions {
  /** The fields every output should print. */
  fields: string[];
  /** The sources the rule checks (rules of other sources have other fields). */
  sources: string[];
}

/** The field names an output prints (transformer arguments included). */
export function outputFields(text: string): Set<string> {
  const names = new Set<string>();
  for (const t of parseOutput(text).tokens) {
    if (t.type !== "field") continue;
    for (const n of nodesOf(t.expr)) if (n.type === "field") names.add(n.name);
  }
  return names;
}

export const outputFieldsRule: LintRule<OutputFieldsOptions> = {
  meta: {
    id: "output-fields",
    category: "style",
    description: "A rule's output lacks fields reviewers expect in every alert (by default `evt.type`, `user.name` and `proc.cmdline` for syscall rules).",
    severity: "warning",
    fixable: false,
    recommended: false,
  },
  messages: {
    missing: "the output of rule '{rule}' does not print {fields}",
  },
  defaultOptions: { fields: ["evt.type", "user.name", "proc.cmdline"], sources: ["syscall"] },
  check(ctx) {
    for (const { file, item } of ruleItems(ctx)) {
      const output = item.output;
      if (!output || !definesRule(item)) continue;
      const source = item.source?.text || "syscall";
      if (!ctx.options.sources.includes(source)) continue;
      const rule = item.name?.text ?? "";
      const own = outputFields(output.text);
      // A later append or replace may add the field: judge the effective output too.
      const effective = ctx.load.collector.rules.get(rule);
      const later = effective ? outputFields(effective.output) : new Set<string>();
      const missing = ctx.options.fields.filter((f) => !own.has(f) && !later.has(f));
      if (missing.length === 0) continue;
      ctx.report({ messageId: "missing", data: { rule, fields: missing.map((f) => `%${f}`).join(", ") }, file, range: output.range });
    }
  },
};
