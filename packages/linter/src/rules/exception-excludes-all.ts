import type { ExceptionEntry, ScalarValue } from "@falcokit/rules-model";
import { ruleItems } from "../items.js";
import type { LintRule } from "../types.js";

/**
 * Comps and the values with which they hold for every string (checked against libs 0.25.4's
 * operators: `startswith ""`, `glob *`, `pmatch /`... are true whatever the field's value).
 */
const ALWAYS: Record<string, readonly string[]> = {
  startswith: [""],
  endswith: [""],
  contains: [""],
  icontains: [""],
  glob: ["*"],
  iglob: ["*"],
  pmatch: ["/"],
};

const scalarText = (e: ExceptionEntry | undefined): string | undefined => (e?.kind === "scalar" ? e.text.trim() : undefined);

export const exceptionExcludesAll: LintRule = {
  meta: {
    id: "exception-excludes-all",
    category: "correctness",
    description: "An exception value that matches every value of its field (`startswith \"\"`, `glob *`, `pmatch /`...): the exception excludes every event.",
    severity: "warning",
    fixable: false,
    recommended: true,
  },
  messages: {
    all: "'{field} {comp} {value}' holds for every value of {field}: this exception value does not restrict the exception, which then excludes every event of the rule{rest}",
  },
  defaultOptions: {},
  check(ctx) {
    for (const { file, item } of ruleItems(ctx)) {
      for (const ex of item.exceptions?.items ?? []) {
        const { fields, comps, values } = ex;
        if (!fields || !values) continue;
        const report = (v: ScalarValue, field: string, comp: string, others: number) => {
          const value = v.text === "" ? '""' : v.text;
          ctx.report({ messageId: "all", data: { field, comp, value, rest: others > 0 ? " that matches the tuple's other fields" : "" }, file, range: v.range });
        };
        if (fields.kind === "scalar") {
          // Single-field form: `field comp (v1, v2...)`: one such value makes the whole list hold.
          const comp = scalarText(comps) ?? "in";
          if (comp !== "pmatch") continue;
          for (const v of values.items) if (v.kind === "scalar" && ALWAYS[comp]!.includes(v.text)) report(v, fields.text.trim(), comp, 0);
          continue;
        }
        for (const tuple of values.items) {
          if (tuple.kind !== "sequence" || tuple.items.length !== fields.items.length) continue;
          tuple.items.forEach((v, k) => {
            const field = scalarText(fields.items[k]);
            // Without comps every comp is `=`.
            const comp = comps ? (comps.kind === "sequence" ? scalarText(comps.items[k]) : undefined) : "=";
            if (v.kind !== "scalar" || field === undefined || comp === undefined) return;
            if (ALWAYS[comp]?.includes(v.text)) report(v, field, comp, fields.items.length - 1);
          });
        }
      }
    }
  },
};
