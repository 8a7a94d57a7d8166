/** The deprecation rules (syntax and fields Falco still reads but is moving away from). */
import type { AnyLintRule } from "../types.js";

export const DEPRECATION: readonly AnyLintRule[] = [];
