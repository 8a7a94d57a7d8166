/**
 * A strict JSON Schema (draft-07) of Falco rules files, for YAML editors
 * (`# yaml-language-server: $schema=...`) and for {@link validateSchema}.
 *
 * Each item is checked against exactly one kind, chosen the way Falco chooses it: the first of
 * `required_engine_version`, `required_plugin_versions`, `list`, `macro`, `rule` present.
 * Scalars are typed as a YAML 1.2 editor types them (`yes` is a string, `true` a boolean), and
 * the schema accepts what Falco accepts: booleans in yaml-cpp's spellings, list items and tags
 * of any scalar type, priorities in any case.
 *
 * `errorMessage` and `patternErrorMessage` are the message keywords YAML editors
 * (vscode-json-languageservice) show; {@link validateSchema} uses them too.
 *
 * `schema/falco-rules.schema.json` is this object, serialized; a test keeps them equal.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonSchema = { [key: string]: Json };

const DEFS = "#/definitions/";
const ref = (name: string): JsonSchema => ({ $ref: DEFS + name });

const TRUE_WORDS = ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"];
const FALSE_WORDS = ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"];

const PRIORITIES = ["EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFORMATIONAL", "INFO", "DEBUG"];

/** `^(?:[Ee][Mm]...)$`: the names in any case (JSON Schema patterns have no `i` flag). */
function caseInsensitive(words: readonly string[]): string {
  const alt = words.map((w) => [...w].map((c) => `[${c.toUpperCase()}${c.toLowerCase()}]`).join(""));
  return `^(?:${alt.join("|")})$`;
}

const STRING_OPERATORS = ["=", "==", "!=", "contains", "icontains", "bcontains", "startswith", "bstartswith", "endswith", "glob", "iglob", "regex"];
const OTHER_OPERATORS = ["<", "<=", ">", ">=", "in", "intersects", "pmatch", "exists"];
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const OPERATOR_PATTERN =
  `^\\s*(?:(?:${[...STRING_OPERATORS, ...OTHER_OPERATORS].map(escapeRe).join("|")})` +
  `|(?:${STRING_OPERATORS.map(escapeRe).join("|")})\\s+(?:oneof|anyof|allof))\\s*$`;

/** Rule keys an `override` may append to, and those it may replace. */
const RULE_APPEND_KEYS = ["condition", "output", "desc", "tags", "exceptions"];
const RULE_REPLACE_KEYS = [
  "condition",
  "output",
  "desc",
  "priority",
  "tags",
  "exceptions",
  "enabled",
  "warn_evttypes",
  "skip-if-unknown-filter",
  "capture",
  "capture_duration",
];

function overrideSchema(appendable: readonly string[], replaceable: readonly string[]): JsonSchema {
  const properties: { [key: string]: Json } = {};
  for (const key of replaceable) {
    const ops = appendable.includes(key) ? ["append", "replace"] : ["replace"];
    properties[key] = {
      enum: ops,
      errorMessage: ops.length === 2 ? "must be append or replace" : "can only be replace",
    };
  }
  return {
    type: "object",
    description: "How each listed key of this item updates the item of the same name defined earlier.",
    minProperties: 1,
    properties,
    additionalProperties: false,
    errorMessage: `must be a map of ${replaceable.join(", ")} to append or replace`,
  };
}

/** `append: true` (any yaml-cpp spelling). */
const APPEND_TRUE: JsonSchema = {
  required: ["append"],
  properties: { append: { anyOf: [{ const: true }, { enum: TRUE_WORDS }] } },
};

const APPEND_WITH_OVERRIDE: JsonSchema = {
  not: { required: ["append", "override"], properties: APPEND_TRUE.properties! },
  errorMessage:
    "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.",
};

function ruleConditions(): Json[] {
  const definingKeys = ["condition", "output", "desc", "priority"];
  const notUpdate: JsonSchema = { not: { anyOf: [{ required: ["override"] }, APPEND_TRUE] } };
  const conditions: Json[] = [
    APPEND_WITH_OVERRIDE,
    {
      // A full definition needs all four keys.
      if: { ...notUpdate, anyOf: definingKeys.map((k) => ({ required: [k] })) },
      then: { required: definingKeys, errorMessage: "a rule definition needs condition, output, desc and priority" },
    },
    {
      // Without them, and without override or append, the item only switches a rule on or off.
      if: { not: { anyOf: [{ required: ["override"] }, APPEND_TRUE, ...definingKeys.map((k) => ({ required: [k] }))] } },
      then: {
        required: ["enabled"],
        errorMessage: "a rule item without condition, output, desc and priority must set 'enabled' (or use 'override')",
      },
    },
  ];
  for (const key of RULE_REPLACE_KEYS) {
    conditions.push({
      if: { required: ["override"], properties: { override: { required: [key] } } },
      then: { required: [key], errorMessage: `'override' lists '${key}' but the rule does not define '${key}'` },
    });
    conditions.push({
      if: { required: ["override", key] },
      then: {
        properties: {
          override: {
            required: [key],
            errorMessage: `'override' must also list '${key}' (${key}: ${RULE_APPEND_KEYS.includes(key) ? "append|" : ""}replace), since the rule sets it`,
          },
        },
      },
    });
  }
  return conditions;
}

/** Items are tried in Falco's order of defining keys; a map with none of them is unknown. */
function itemChain(): JsonSchema {
  const kinds: [string, string][] = [
    ["required_engine_version", "requiredEngineVersionItem"],
    ["required_plugin_versions", "requiredPluginVersionsItem"],
    ["list", "listItem"],
    ["macro", "macroItem"],
    ["rule", "ruleItem"],
  ];
  let chain: JsonSchema = ref("unknownItem");
  for (const [key, def] of kinds.reverse()) {
    chain = { if: { type: "object", required: [key] }, then: ref(def), else: chain };
  }
  return chain;
}

const nonEmpty = (what: string): JsonSchema => ({
  type: "string",
  minLength: 1,
  errorMessage: `must be ${what}`,
});

/** The schema of a Falco rules file. */
export const falcoRulesSchema: JsonSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "https://falcokit.dev/schemas/falco-rules.schema.json",
  title: "Falco rules file",
  description:
    "A Falco rules file (Falco 0.44): a list of rule, macro, list, required_engine_version and required_plugin_versions items.",
  type: "array",
  items: ref("item"),
  definitions: {
    item: itemChain(),
    unknownItem: {
      type: "null",
      errorMessage: "an item needs one of the keys rule, macro, list, required_engine_version, required_plugin_versions",
    },
    boolean: {
      title: "a boolean",
      anyOf: [{ type: "boolean" }, { type: "string", enum: [...TRUE_WORDS, ...FALSE_WORDS] }],
      errorMessage: "must be a boolean (true/false, yes/no, on/off)",
    },
    uint32: {
      anyOf: [
        { type: "integer", minimum: 0, maximum: 4294967295 },
        { type: "string", pattern: "^\\+?(?:0[xX][0-9a-fA-F]+|[0-9]+)\\s*$" },
      ],
      errorMessage: "must be an unsigned 32-bit integer",
    },
    scalar: {
      type: ["string", "number", "boolean"],
      errorMessage: "must be a single value (not a list, a map or empty)",
    },
    name: nonEmpty("a non-empty name"),
    text: nonEmpty("a non-empty string"),
    priority: {
      type: "string",
      description: "The rule's priority: EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFORMATIONAL (or INFO), DEBUG, in any case.",
      anyOf: [{ enum: PRIORITIES }, { pattern: caseInsensitive(PRIORITIES) }],
      errorMessage: `must be one of ${PRIORITIES.join(", ")} (in any case)`,
    },
    operator: {
      type: "string",
      pattern: OPERATOR_PATTERN,
      patternErrorMessage: "must be a comparison operator (=, !=, in, pmatch, startswith, ...; or a string operator with oneof/anyof/allof)",
      errorMessage: "must be a comparison operator",
    },
    requiredEngineVersionItem: {
      type: "object",
      description: "The minimum Falco engine version these rules need.",
      properties: {
        required_engine_version: {
          anyOf: [
            { type: "integer", minimum: 0, maximum: 4294967295 },
            { type: "string", pattern: "^\\s*[+-]?[0-9]+\\.\\s*[+-]?[0-9]+\\.\\s*[+-]?[0-9]+" },
          ],
          errorMessage: 'must be an engine version: an integer N (meaning 0.N.0) or "x.y.z"',
        },
      },
      required: ["required_engine_version"],
      additionalProperties: false,
    },
    requiredPluginVersionsItem: {
      type: "object",
      description: "The plugins (and their minimum versions) these rules need.",
      properties: {
        required_plugin_versions: { type: "array", items: ref("pluginRequirement"), errorMessage: "must be a list of plugin requirements" },
      },
      required: ["required_plugin_versions"],
      additionalProperties: false,
    },
    pluginVersion: {
      type: "string",
      pattern: "^\\s*[+-]?[0-9]+\\.\\s*[+-]?[0-9]+\\.\\s*[+-]?[0-9]+",
      patternErrorMessage: 'must be a version "x.y.z"',
      errorMessage: 'must be a version "x.y.z"',
    },
    pluginRequirement: {
      type: "object",
      properties: {
        name: ref("name"),
        version: ref("pluginVersion"),
        alternatives: {
          type: "array",
          items: {
            type: "object",
            properties: { name: ref("name"), version: ref("pluginVersion") },
            required: ["name", "version"],
            additionalProperties: false,
          },
          errorMessage: "must be a list of {name, version} alternatives",
        },
      },
      required: ["name", "version"],
      additionalProperties: false,
    },
    listItem: {
      type: "object",
      description: "A named list of values, used in conditions and exceptions.",
      properties: {
        list: {
          type: "string",
          minLength: 1,
          pattern: "^[^()\"'\\t\\n\\v\\f\\r =,]+$",
          patternErrorMessage: "must not contain blanks or any of ( ) \" ' = , (Falco warns about such list names)",
          errorMessage: "must be a non-empty name",
        },
        items: { type: "array", items: ref("scalar"), errorMessage: "must be a list of values" },
        append: ref("boolean"),
        override: overrideSchema(["items"], ["items"]),
      },
      required: ["list", "items"],
      additionalProperties: false,
      allOf: [APPEND_WITH_OVERRIDE],
    },
    macroItem: {
      type: "object",
      description: "A named condition fragment.",
      properties: {
        macro: {
          type: "string",
          minLength: 1,
          pattern: "^[a-zA-Z]+[a-zA-Z0-9_]*$",
          patternErrorMessage: "must match [a-zA-Z]+[a-zA-Z0-9_]* (Falco warns about other macro names)",
          errorMessage: "must be a non-empty name",
        },
        condition: ref("text"),
        append: ref("boolean"),
        override: overrideSchema(["condition"], ["condition"]),
      },
      required: ["macro", "condition"],
      additionalProperties: false,
      allOf: [APPEND_WITH_OVERRIDE],
    },
    ruleItem: {
      type: "object",
      description: "A rule: a definition, an update of an earlier rule (override/append), or an enable switch.",
      properties: {
        rule: ref("name"),
        condition: ref("text"),
        output: ref("text"),
        desc: ref("text"),
        priority: ref("priority"),
        source: { type: "string", errorMessage: "must be an event source name" },
        enabled: ref("boolean"),
        tags: { type: "array", items: ref("scalar"), errorMessage: "must be a list of tags" },
        exceptions: { type: "array", items: ref("exception"), errorMessage: "must be a list of exceptions" },
        append: ref("boolean"),
        override: overrideSchema(RULE_APPEND_KEYS, RULE_REPLACE_KEYS),
        warn_evttypes: ref("boolean"),
        "skip-if-unknown-filter": ref("boolean"),
        capture: ref("boolean"),
        capture_duration: ref("uint32"),
      },
      required: ["rule"],
      additionalProperties: false,
      allOf: ruleConditions(),
    },
    exception: {
      type: "object",
      description: "Value combinations for which the rule does not fire.",
      properties: {
        name: ref("name"),
        fields: {
          anyOf: [ref("name"), { type: "array", items: ref("name") }],
          errorMessage: "must be a field name or a list of field names",
        },
        comps: {
          anyOf: [ref("operator"), { type: "array", items: ref("operator") }],
          errorMessage: "must be an operator or a list of operators",
        },
        values: {
          type: "array",
          items: {
            anyOf: [ref("scalar"), { type: "array", items: { anyOf: [ref("scalar"), { type: "array", items: ref("scalar") }] } }],
            errorMessage: "must be a value, or a tuple of values and lists",
          },
          errorMessage: "must be a list of values or tuples",
        },
      },
      required: ["name"],
      additionalProperties: false,
    },
  },
};
