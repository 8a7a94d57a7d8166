/** The performance rules (conditions Falco evaluates more often or more slowly than needed). */
import type { AnyLintRule } from "../types.js";
import { negatedEventType } from "./negated-event-type.js";
import { orChainToIn } from "./or-chain-to-in.js";
import { regexToSimpleOp } from "./regex-to-simple-op.js";

export const PERFORMANCE: readonly AnyLintRule[] = [orChainToIn, regexToSimpleOp, negatedEventType];
