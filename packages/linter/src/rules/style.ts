/** The style rules (upstream's style guide for rules files). */
import type { AnyLintRule } from "../types.js";
import { descSentence } from "./desc-sentence.js";

export const STYLE: readonly AnyLintRule[] = [descSentence];
