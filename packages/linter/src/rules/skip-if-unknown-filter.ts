import type { LintRule } from "../types.js";

export const skipIfUnknownFilter: LintRule = {
  meta: {
    id: "skip-if-unknown-filter",
    category: "deprecation",
    description: "`skip-if-unknown-filter: true` on a rule: a rule whose condition or output does not compile on the running Falco is skipped, with only a warning, and detects nothing.",
    severity: "info",
    fixable: false,
    recommended: false,
  },
  messages: {
    skip: "'skip-if-unknown-filter: true': if a field of this rule is unknown to the running Falco, the rule is skipped with only a load warning and detects nothing; confirm it is meant",
  },
  defaultOptions: {},
  check(ctx) {
    for (const f of ctx.files) {
      for (const item of f.model.items) {
        if (item.kind !== "rule" || item.skipIfUnknownFilter?.value !== true) continue;
        const entry = item.entries.find((e) => e.key === "skip-if-unknown-filter");
        if (!entry) continue;
        ctx.report({ messageId: "skip", file: f.name, range: { start: entry.keyRange.start, end: entry.valueRange.end } });
      }
    }
  },
};
