import { isValidListName, isValidMacroName } from "@falcokit/rules-model";
import type { LintRule } from "../types.js";

const SNAKE = /^[a-z][a-z0-9_]*$/;

/** The snake_case spelling of a name, when there is an obvious one. */
function snake(name: string): string | undefined {
  const s = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return SNAKE.test(s) ? s : undefined;
}

export const itemNameSnakeCase: LintRule = {
  meta: {
    id: "item-name-snake-case",
    category: "style",
    description: "A macro or list name is written in snake_case (`[a-z][a-z0-9_]*`), as every upstream macro and list is.",
    severity: "info",
    fixable: false,
    recommended: false,
  },
  messages: {
    name: "{kind} name '{name}' is not snake_case",
    nameSuggest: "{kind} name '{name}' is not snake_case: '{fixed}'",
  },
  defaultOptions: {},
  check(ctx) {
    for (const f of ctx.files) {
      for (const item of f.model.items) {
        if (item.kind !== "macro" && item.kind !== "list") continue;
        // Only where the item is defined: an append or override keeps someone else's name.
        if (item.append?.value === true || item.override || !item.name) continue;
        const name = item.name.value;
        if (SNAKE.test(name)) continue;
        // A name Falco rejects is reported by Falco's own warning.
        if (item.kind === "macro" ? !isValidMacroName(name) : !isValidListName(name)) continue;
        const fixed = snake(name);
        ctx.report({ messageId: fixed ? "nameSuggest" : "name", data: { kind: item.kind, name, ...(fixed ? { fixed } : {}) }, file: f.name, range: item.name.range });
      }
    }
  },
};
