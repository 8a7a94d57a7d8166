import { ruleItems } from "../items.js";
import type { LintRule } from "../types.js";
import type { RuleItem } from "@falcokit/rules-model";

const MATURITY = new Set(["maturity_stable", "maturity_incubating", "maturity_sandbox", "maturity_deprecated"]);

/** A rule item that defines a rule (not an append, an override or a bare `enabled:` toggle). */
export function definesRule(item: RuleItem): boolean {
  if (item.append?.value === true || item.override) return false;
  return !!(item.condition || item.output || item.desc || item.priority);
}

export const maturityTagFirst: LintRule = {
  meta: {
    id: "maturity-tag-first",
    category: "style",
    description: "A rule definition's first tag is its maturity tag (`maturity_stable`, `maturity_incubating`, `maturity_sandbox` or `maturity_deprecated`), and it has exactly one.",
    severity: "warning",
    fixable: false,
    recommended: false,
  },
  messages: {
    missing: "rule '{rule}' has no maturity tag: its first tag should be one of maturity_stable, maturity_incubating, maturity_sandbox, maturity_deprecated",
    notFirst: "'{tag}' should be the rule's first tag",
    several: "'{tag}' is a second maturity tag (the rule already has '{first}')",
    unknown: "'{tag}' is not a maturity level: use maturity_stable, maturity_incubating, maturity_sandbox or maturity_deprecated",
  },
  defaultOptions: {},
  check(ctx) {
    for (const { file, item } of ruleItems(ctx)) {
      if (!definesRule(item)) continue;
      const rule = item.name?.value ?? "";
      const tags = item.tags?.items ?? [];
      const maturity = tags.filter((t) => t.text.startsWith("maturity_"));
      if (maturity.length === 0) {
        const at = item.tags?.range ?? item.name?.range ?? item.range;
        ctx.report({ messageId: "missing", data: { rule }, file, range: at });
        continue;
      }
      for (const t of maturity) if (!MATURITY.has(t.text)) ctx.report({ messageId: "unknown", data: { tag: t.text }, file, range: t.range });
      const first = maturity[0]!;
      if (tags[0] !== first) ctx.report({ messageId: "notFirst", data: { tag: first.text }, file, range: first.range });
      for (const t of maturity.slice(1)) ctx.report({ messageId: "several", data: { tag: t.text, first: first.text }, file, range: t.range, related: [{ message: "first maturity tag", file, range: first.range }] });
    }
  },
};
