import type { Severity } from "./diagnostic.js";

export interface CodeInfo {
  code: string;
  /** Default severity. */
  severity: Severity;
  /** One line saying what the code means. */
  title: string;
  /** For Falco load codes: the text Falco prints in `codedesc`. */
  falcoCodedesc?: string;
  /** The page under `docs/` that explains the code. */
  docs: string;
}

/**
 * Falco's load result codes (Falco 0.44.1). Titles are Falco's short texts. Falco's JSON
 * output puts the short text in `codedesc` for errors and the long description for warnings,
 * so the long descriptions are kept verbatim for output compatibility.
 */
export const FALCO_LOAD_CODES: Readonly<Record<string, { severity: Severity; short: string; codedesc: string }>> = {
  LOAD_ERR_FILE_READ: { severity: "error", short: "File read error", codedesc: "File read error" },
  LOAD_ERR_YAML_PARSE: { severity: "error", short: "YAML parse error", codedesc: "YAML parse error" },
  LOAD_ERR_YAML_VALIDATE: {
    severity: "error",
    short: "Error validating internal structure of YAML file",
    codedesc: "Error validating internal structure of YAML file",
  },
  LOAD_ERR_COMPILE_CONDITION: { severity: "error", short: "Error compiling condition", codedesc: "Error compiling condition" },
  LOAD_ERR_COMPILE_OUTPUT: { severity: "error", short: "Error compiling output", codedesc: "Error compiling output" },
  LOAD_ERR_VALIDATE: {
    severity: "error",
    short: "Error validating rule/macro/list/exception objects",
    codedesc: "Error validating rule/macro/list/exception objects",
  },
  LOAD_ERR_EXTENSION: { severity: "error", short: "Error in extension item", codedesc: "Error in extension item" },
  LOAD_UNKNOWN_SOURCE: {
    severity: "warning",
    short: "Unknown event source",
    codedesc:
      "A rule has a unknown event source. This can occur when reading rules content without having a corresponding plugin loaded, etc. The rule will be silently ignored.",
  },
  LOAD_UNSAFE_NA_CHECK: {
    severity: "warning",
    short: "Unsafe <NA> comparison in condition",
    codedesc:
      "Comparing a field value with <NA> is unsafe and can lead to unpredictable behavior of the rule condition. If you need to check for the existence of a field, consider using the 'exists' operator instead.",
  },
  LOAD_NO_EVTTYPE: {
    severity: "warning",
    short: "Condition has no event-type restriction",
    codedesc:
      "A rule condition matches too many evt.type values. This has a significant performance penalty. Make the condition more specific by adding an evt.type field or further restricting the number of evt.type values in the condition.",
  },
  LOAD_UNKNOWN_FILTER: {
    severity: "warning",
    short: "Unknown field or event-type in condition or output",
    codedesc:
      "A rule condition or output refers to a field or evt.type that does not exist. This is normally an error, but if a rule has a skip-if-unknown-filter property, the error is downgraded to a warning.",
  },
  LOAD_UNUSED_MACRO: {
    severity: "warning",
    short: "Unused macro",
    codedesc: "A macro is defined in the rules content but is not used by any other macro or rule.",
  },
  LOAD_UNUSED_LIST: {
    severity: "warning",
    short: "Unused list",
    codedesc: "A list is defined in the rules content but is not used by any other list, macro, or rule.",
  },
  LOAD_UNKNOWN_ITEM: {
    severity: "warning",
    short: "Unknown rules file item",
    codedesc: "An unknown top-level object is in the rules content. It will be ignored.",
  },
  LOAD_DEPRECATED_ITEM: {
    severity: "warning",
    short: "Used deprecated item",
    codedesc: "A deprecated item is employed by lists, macros, or rules.",
  },
  LOAD_WARNING_EXTENSION: { severity: "warning", short: "Warning in extension item", codedesc: "An extension item has a warning" },
  LOAD_APPEND_NO_VALUES: {
    severity: "warning",
    short: "Overriding/appending with no values",
    codedesc: "A rule exception is overriding/appending with no values",
  },
  LOAD_EXCEPTION_NAME_NOT_UNIQUE: {
    severity: "warning",
    short: "Multiple exceptions defined with the same name",
    codedesc: "A rule is defining multiple exceptions with the same name",
  },
  LOAD_INVALID_MACRO_NAME: { severity: "warning", short: "Invalid macro name", codedesc: "A macro is defined with an invalid name" },
  LOAD_INVALID_LIST_NAME: { severity: "warning", short: "Invalid list name", codedesc: "A list is defined with an invalid name" },
  LOAD_COMPILE_CONDITION: {
    severity: "warning",
    short: "Warning in rule condition",
    codedesc: "A rule condition or output have been parsed with a warning",
  },
  LOAD_UNKNOWN_KEY: {
    severity: "warning",
    short: "Unknown key in item definition",
    codedesc:
      "An item in the rules content contains an unrecognized key. The key will be ignored. This may indicate a typo or a property placed on the wrong item type.",
  },
};

const ownCodes: CodeInfo[] = [
  { code: "parse/syntax-error", severity: "error", title: "The condition does not follow the condition grammar", docs: "docs/codes.md#parsesyntax-error" },
  { code: "parse/bad-escape", severity: "error", title: "A quoted string holds an escape sequence libs rejects", docs: "docs/codes.md#parsebad-escape" },
  { code: "parse/empty", severity: "error", title: "The condition is empty", docs: "docs/codes.md#parseempty" },
  { code: "parse/too-deep", severity: "error", title: "The condition nests deeper than falcokit parses", docs: "docs/codes.md#parsetoo-deep" },
  { code: "event-types/transformer", severity: "error", title: "evt.type is checked through a transformer, which Falco's event-type search cannot handle", docs: "docs/codes.md#event-typestransformer" },
  { code: "event-types/rhs-field", severity: "error", title: "evt.type is compared with a field, which Falco's event-type search cannot handle", docs: "docs/codes.md#event-typesrhs-field" },
  { code: "output/syntax-error", severity: "error", title: "An output string has a malformed %field token", docs: "docs/codes.md#outputsyntax-error" },
  { code: "schema/violation", severity: "warning", title: "An item does not match the rules-file JSON Schema", docs: "docs/codes.md#schemaviolation" },
  { code: "file/unreadable", severity: "error", title: "A file could not be read", docs: "docs/codes.md#fileunreadable" },
  { code: "file/binary", severity: "error", title: "A file holds binary data, not text", docs: "docs/codes.md#filebinary" },
];

const registry = new Map<string, CodeInfo>();
for (const c of ownCodes) registry.set(c.code, c);
for (const [name, c] of Object.entries(FALCO_LOAD_CODES)) {
  registry.set(`load/${name}`, {
    code: `load/${name}`,
    severity: c.severity,
    title: c.short,
    falcoCodedesc: c.codedesc,
    docs: `docs/codes.md#load${name.toLowerCase()}`,
  });
}

/** Every diagnostic code falcokit can emit, with its metadata. */
export const codes: ReadonlyMap<string, CodeInfo> = registry;

export function codeInfo(code: string): CodeInfo | undefined {
  return registry.get(code);
}
