/** Every lint rule, one file each under `rules/`, grouped by category (the meta-test keeps registry, tests and docs in step). */
import { CORRECTNESS } from "./rules/correctness.js";
import { DEPRECATION } from "./rules/deprecation.js";
import { PERFORMANCE } from "./rules/performance.js";
import { STYLE } from "./rules/style.js";
import type { AnyLintRule } from "./types.js";

export const RULES: readonly AnyLintRule[] = [...CORRECTNESS, ...PERFORMANCE, ...STYLE, ...DEPRECATION];
