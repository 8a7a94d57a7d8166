import { ruleItems } from "../items.js";
import type { LintRule } from "../types.js";

export const exceptionArity: LintRule = {
  meta: {
    id: "exception-arity",
    category: "correctness",
    description: "An exception value tuple whose number of entries differs from the number of the exception's `fields`.",
    severity: "error",
    fixable: false,
    recommended: true,
  },
  messages: {
    arity: "this tuple has {count} values but exception '{exception}' has {fields} fields ({names})",
    scalar: "'{value}' is a single value but exception '{exception}' has {fields} fields ({names}): write a tuple [{names}]",
  },
  defaultOptions: {},
  check(ctx) {
    for (const { file, item } of ruleItems(ctx)) {
      for (const ex of item.exceptions?.items ?? []) {
        const fields = ex.fields;
        // The single-field form takes scalar values; its problems are Falco's own errors.
        if (!fields || fields.kind !== "sequence" || !ex.values) continue;
        const names = fields.items.map((f) => (f.kind === "scalar" ? f.text : "?")).join(", ");
        const exception = ex.name?.text ?? "";
        for (const v of ex.values.items) {
          if (v.kind === "scalar") {
            ctx.report({ messageId: "scalar", data: { value: v.text, exception, fields: fields.items.length, names }, file, range: v.range });
          } else if (v.items.length !== fields.items.length) {
            ctx.report({ messageId: "arity", data: { count: v.items.length, exception, fields: fields.items.length, names }, file, range: v.range });
          }
        }
      }
    }
  },
};
