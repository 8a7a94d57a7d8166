/** The style rules (upstream's style guide for rules files). */
import type { AnyLintRule } from "../types.js";
import { descSentence } from "./desc-sentence.js";
import { duplicateTags } from "./duplicate-tags.js";
import { inSingleValue } from "./in-single-value.js";
import { itemNameSnakeCase } from "./item-name-snake-case.js";
import { maturityTagFirst } from "./maturity-tag-first.js";
import { mitreTags } from "./mitre-tags.js";
import { outputFieldsRule } from "./output-fields.js";
import { priorityCase } from "./priority-case.js";
import { ruleNameTitleCase } from "./rule-name-title-case.js";
import { tagFormat } from "./tag-format.js";

export const STYLE: readonly AnyLintRule[] = [descSentence, maturityTagFirst, mitreTags, ruleNameTitleCase, outputFieldsRule, priorityCase, duplicateTags, itemNameSnakeCase, inSingleValue, tagFormat];
