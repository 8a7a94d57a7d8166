import { repeatedEntries, ruleItems } from "../items.js";
import type { LintRule } from "../types.js";
import type { ExceptionEntry } from "@falcokit/rules-model";

/** An entry's decoded value: a scalar's string, a tuple's decoded items (nested lists too). */
function decoded(e: ExceptionEntry): unknown {
  return e.kind === "scalar" ? e.text : e.items.map(decoded);
}

/** The entry as it reads in a message: `bash`, `[bash, sshd]`. */
function shown(e: ExceptionEntry): string {
  return e.kind === "scalar" ? e.text : `[${e.items.map(shown).join(", ")}]`;
}

export const exceptionDuplicateValues: LintRule = {
  meta: {
    id: "exception-duplicate-values",
    category: "correctness",
    description: "An exception whose `values` list the same value or tuple twice; the second excludes nothing more.",
    severity: "warning",
    fixable: true,
    recommended: true,
  },
  messages: {
    duplicate: "{value} is already in the values of exception '{exception}'",
  },
  defaultOptions: {},
  check(ctx) {
    for (const { file, item } of ruleItems(ctx)) {
      const text = ctx.files.find((f) => f.name === file)!.text;
      for (const ex of item.exceptions?.items ?? []) {
        if (!ex.values) continue;
        const exception = ex.name?.text ?? "";
        // A scalar and a one-item tuple differ for Falco (the first is a single-field value).
        const key = (e: ExceptionEntry) => JSON.stringify([e.kind, decoded(e)]);
        for (const { entry, first, removal } of repeatedEntries<ExceptionEntry>(ex.values, text, key)) {
          const value = shown(entry);
          ctx.report({
            messageId: "duplicate",
            data: { value, exception },
            file,
            range: entry.range,
            fix: { title: `Remove the second ${value}`, edits: [{ range: removal, newText: "" }] },
            related: [{ message: "first here", file, range: first.range }],
          });
        }
      }
    }
  },
};
