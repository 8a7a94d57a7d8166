/** The correctness rules (conditions that cannot do what they say). */
import type { AnyLintRule } from "../types.js";
import { alwaysTrueCheck } from "./always-true-check.js";
import { compsInScalar } from "./comps-in-scalar.js";
import { contradictoryEventTypes } from "./contradictory-event-types.js";
import { duplicateListItems } from "./duplicate-list-items.js";
import { exceptionArity } from "./exception-arity.js";
import { exceptionDuplicateValues } from "./exception-duplicate-values.js";
import { exceptionExcludesAll } from "./exception-excludes-all.js";
import { ipNameOperator } from "./ip-name-operator.js";
import { listNameUsedBeforeDefinition } from "./list-name-used-before-definition.js";
import { macroRedefined } from "./macro-redefined.js";
import { overrideNoChange } from "./override-no-change.js";
import { procNameTooLong } from "./proc-name-too-long.js";
import { ruleNamesDifferByCase } from "./rule-names-differ-by-case.js";
import { shadowedRule } from "./shadowed-rule.js";
import { unknownListName } from "./unknown-list-name.js";

export const CORRECTNESS: readonly AnyLintRule[] = [procNameTooLong, duplicateListItems, contradictoryEventTypes, exceptionArity, compsInScalar, shadowedRule, macroRedefined, overrideNoChange, exceptionExcludesAll, alwaysTrueCheck, exceptionDuplicateValues, listNameUsedBeforeDefinition, unknownListName, ruleNamesDifferByCase, ipNameOperator];
