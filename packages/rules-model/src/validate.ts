import type { Diagnostic } from "@falcokit/diagnostics";
import { parseRulesFile } from "./read.js";
import { conditionDiagnostics, outputDiagnostics } from "./syntax.js";
import type { ParseOptions, RulesFile } from "./types.js";
import { validateSchema } from "./validate-schema.js";

/**
 * Checks one rules file on its own: what Falco's reader reports (YAML, structure, keys,
 * names, deprecations), the JSON Schema (warnings, as Falco's own schema check), and the
 * syntax of every condition and output. A file with YAML syntax errors reports only those. Checks that need other items, other files or a field
 * catalog (undefined macros, appends without a target, unknown fields) are the engine's.
 */
export function validateRules(text: string, options: ParseOptions = {}): { file: RulesFile; diagnostics: Diagnostic[] } {
  const file = parseRulesFile(text, options);
  // Text that is not YAML (or not text) stops Falco before it reads any item, and what the
  // reader finds past a YAML error is mostly its consequences: report the YAML errors alone.
  const unreadable = file.diagnostics.filter((d) => d.code === "load/LOAD_ERR_YAML_PARSE" || d.code === "file/binary");
  if (unreadable.length > 0) return { file, diagnostics: unreadable };
  const diagnostics = [...file.diagnostics, ...validateSchema(file), ...conditionDiagnostics(file), ...outputDiagnostics(file)];
  return { file, diagnostics };
}
