export { lint, applyEdits, applyFixes, fixAll, suppressionsOf, findingId } from "./lint.js";
export type { FixAllResult, LintConfig, LintOptions, LintResult, RuleSetting } from "./lint.js";
export { RULES } from "./registry.js";
export { conditionSites, listItems, ruleItems } from "./items.js";
export type { ConditionSite } from "./items.js";
export type { AnyLintRule, Category, LintRule, Report, RuleContext, RuleMeta } from "./types.js";
