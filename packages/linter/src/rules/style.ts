/** The style rules (upstream's style guide for rules files). */
import type { AnyLintRule } from "../types.js";
import { ruleWithoutTags } from "./rule-without-tags.js";
import { descSentence } from "./desc-sentence.js";
import { descTooShort } from "./desc-too-short.js";
import { duplicateTags } from "./duplicate-tags.js";
import { inSingleValue } from "./in-single-value.js";
import { itemNameSnakeCase } from "./item-name-snake-case.js";
import { maturityTagFirst } from "./maturity-tag-first.js";
import { mitreTags } from "./mitre-tags.js";
import { outputCapitalized } from "./output-capitalized.js";
import { outputFieldsRule } from "./output-fields.js";
import { priorityCase } from "./priority-case.js";
import { ruleNameTitleCase } from "./rule-name-title-case.js";
import { tagFormat } from "./tag-format.js";
import { warnEvttypesDisabled } from "./warn-evttypes-disabled.js";

export const STYLE: readonly AnyLintRule[] = [ruleWithoutTags, descSentence, maturityTagFirst, mitreTags, ruleNameTitleCase, outputFieldsRule, priorityCase, duplicateTags, itemNameSnakeCase, inSingleValue, tagFormat, outputCapitalized, descTooShort, warnEvttypesDisabled];
