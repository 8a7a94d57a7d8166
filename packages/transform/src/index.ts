/**
 * @falcokit/transform: format-preserving changes to Falco rules files. Pure: takes texts and
 * load results, returns text edits and generated files; the CLI does the I/O.
 */
export { selectRules, priorityOf, type RuleSelector, type SelectedRule } from "./select.js";
export { expandTemplate, TemplateError } from "./vars.js";
export { editRuleTags, applyTagEdit, type TagEdit } from "./edit-tags.js";
export { planTagEdits, tagSources, PlanError, type TagPlan, type RuleTagChange, type ItemRef } from "./plan.js";
export { generateOverrideFile, checkOverrideFile, compareEffective, styleForFalco, styleForEngine, OVERRIDE_SINCE, type OverrideStyle, type OverrideFile, type EffectiveMismatch } from "./override.js";
export { unifiedDiff } from "./unified-diff.js";
export { yamlScalar, yamlFlowList } from "./yaml-text.js";
