/** The correctness rules (conditions that cannot do what they say). */
import type { AnyLintRule } from "../types.js";
import { duplicateListItems } from "./duplicate-list-items.js";
import { procNameTooLong } from "./proc-name-too-long.js";

export const CORRECTNESS: readonly AnyLintRule[] = [procNameTooLong, duplicateListItems];
