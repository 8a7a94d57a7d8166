import type { RulesItem } from "@falcokit/rules-model";
import type { LintRule } from "../types.js";

/** The keys whose values `append: true` appends, per kind (Falco's legacy append). */
function appendedKeys(item: RulesItem): string[] {
  if (item.kind === "list") return item.items ? ["items"] : [];
  if (item.kind === "macro") return item.condition ? ["condition"] : [];
  // On a rule, legacy append only appends the condition and the exceptions (other keys are ignored).
  if (item.kind === "rule") return [...(item.condition ? ["condition"] : []), ...(item.exceptions ? ["exceptions"] : [])];
  return [];
}

export const appendTrue: LintRule = {
  meta: {
    id: "append-true",
    category: "deprecation",
    description: "`append: true` on a list, macro or rule: deprecated since Falco 0.37 in favour of `override: {<key>: append}`.",
    severity: "warning",
    fixable: true,
    recommended: true,
  },
  messages: {
    deprecated: "'append: true' is deprecated since Falco 0.37: use 'override:' with '{keys}: append'",
    ignored: "'append: true' on a rule appends only condition and exceptions: {keys} of this item are ignored",
  },
  defaultOptions: {},
  check(ctx) {
    for (const f of ctx.files) {
      for (const item of f.model.items) {
        if (item.kind !== "list" && item.kind !== "macro" && item.kind !== "rule") continue;
        if (item.append?.value !== true) continue;
        const entry = item.entries.find((e) => e.key === "append");
        if (!entry) continue;
        const keys = appendedKeys(item);
        const range = { start: entry.keyRange.start, end: entry.valueRange.end };
        const lineStart = f.text.lastIndexOf("\n", range.start - 1) + 1;
        const prefix = f.text.slice(lineStart, range.start);
        // Rewritten in place for block maps written one key a line (`key: value`, maybe after `- `).
        const block = !item.override && keys.length > 0 && /^[ ]*(- +)?$/.test(prefix) && !f.text.slice(range.end, f.text.indexOf("\n", range.end) < 0 ? f.text.length : f.text.indexOf("\n", range.end)).includes(",");
        const indent = " ".repeat(prefix.length + 2);
        const newText = ["override:", ...keys.map((k) => `${indent}${k}: append`)].join("\n");
        ctx.report({
          messageId: "deprecated",
          data: { keys: keys.join(", ") || (item.kind === "list" ? "items" : "condition") },
          file: f.name,
          range,
          ...(block ? { fix: { title: "Rewrite as override", edits: [{ range, newText }] } } : {}),
        });
        if (item.kind === "rule") {
          const ignored = (["output", "desc", "tags", "priority"] as const).filter((k) => item[k] !== undefined);
          if (ignored.length > 0) ctx.report({ messageId: "ignored", data: { keys: ignored.join(", ") }, file: f.name, range });
        }
      }
    }
  },
};
