/**
 * @falcokit/rules-model: Falco rules files as typed items with exact source ranges, offset
 * maps from decoded scalars back to the file, Falco's reader diagnostics, and a JSON Schema.
 */
export { parseRulesFile, MAX_NESTING } from "./read.js";
export { validateSchema } from "./validate-schema.js";
export { validateRules } from "./validate.js";
export { conditionDiagnostics, outputDiagnostics } from "./syntax.js";
export { falcoRulesSchema, type JsonSchema } from "./schema.js";
export {
  decodeBool,
  decodeUint32,
  isNullString,
  isValidListName,
  isValidMacroName,
  parsePriority,
  parseSemver,
  PRIORITY_LEVELS,
} from "./decode.js";
export { ITEM_KINDS, KNOWN_KEYS, RULE_APPENDABLE, RULE_REPLACEABLE, WARNING_APPEND, WARNING_ENABLED, ERROR_OVERRIDE_APPEND } from "./items.js";
export { buildScalarMap, type ScalarOffsetMap } from "./scalar-map.js";
export { scalarOffsetMap } from "./scalar.js";
export { ItemType, Ctx, ROOT_CTX, falcoMark } from "./context.js";
export type * from "./types.js";
