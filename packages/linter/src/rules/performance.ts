/** The performance rules (conditions Falco evaluates more often or more slowly than needed). */
import type { AnyLintRule } from "../types.js";
import { expensiveCheckFirst } from "./expensive-check-first.js";
import { icontainsWithoutLetters } from "./icontains-without-letters.js";
import { negatedEventType } from "./negated-event-type.js";
import { orChainToIn } from "./or-chain-to-in.js";
import { regexToSimpleOp } from "./regex-to-simple-op.js";
import { startswithChainToAnyof } from "./startswith-chain-to-anyof.js";

export const PERFORMANCE: readonly AnyLintRule[] = [orChainToIn, regexToSimpleOp, negatedEventType, startswithChainToAnyof, expensiveCheckFirst, icontainsWithoutLetters];
