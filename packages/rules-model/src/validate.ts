import type { Diagnostic } from "@falcokit/diagnostics";
import { parseRulesFile } from "./read.js";
import { conditionDiagnostics, outputDiagnostics } from "./syntax.js";
import type { ParseOptions, RulesFile } from "./types.js";
import { validateSchema } from "./validate-schema.js";

/**
 * Checks one rules file on its own: what Falco's reader reports (YAML, structure, keys,
 * names, deprecations), the JSON Schema (warnings, as Falco's own schema check), and the
 * syntax of every condition and output. Checks that need other items, other files or a field
 * catalog (undefined macros, appends without a target, unknown fields) are the engine's.
 */
export function validateRules(text: string, options: ParseOptions = {}): { file: RulesFile; diagnostics: Diagnostic[] } {
  const file = parseRulesFile(text, options);
  const diagnostics = [...file.diagnostics, ...validateSchema(file), ...conditionDiagnostics(file), ...outputDiagnostics(file)];
  return { file, diagnostics };
}
