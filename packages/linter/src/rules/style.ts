/** The style rules (upstream's style guide for rules files). */
import type { AnyLintRule } from "../types.js";
import { descSentence } from "./desc-sentence.js";
import { maturityTagFirst } from "./maturity-tag-first.js";
import { mitreTags } from "./mitre-tags.js";
import { outputFieldsRule } from "./output-fields.js";
import { priorityCase } from "./priority-case.js";
import { ruleNameTitleCase } from "./rule-name-title-case.js";

export const STYLE: readonly AnyLintRule[] = [descSentence, maturityTagFirst, mitreTags, ruleNameTitleCase, outputFieldsRule, priorityCase];
