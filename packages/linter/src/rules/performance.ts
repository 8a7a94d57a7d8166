/** The performance rules (conditions Falco evaluates more often or more slowly than needed). */
import type { AnyLintRule } from "../types.js";

export const PERFORMANCE: readonly AnyLintRule[] = [];
