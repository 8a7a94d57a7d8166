/**
 * The JSON Schema of rule test files (`*.test.yaml`), for editors (the YAML language server
 * completes and checks files that name it) and for the reader's own validation.
 */
const stringOrList = { oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] };
const ruleMatching = { enum: ["first", "all"], description: "Falco's rule_matching: the first matching rule of each event reports it (Falco's default), or all of them." };

const fire = {
  oneOf: [
    { type: "string", description: "A rule that must fire at least once." },
    {
      type: "object",
      additionalProperties: false,
      required: ["rule"],
      properties: {
        rule: { type: "string", description: "The rule's name." },
        count: { type: "integer", minimum: 0, description: "Exactly this many alerts." },
        min: { type: "integer", minimum: 0, description: "At least this many alerts (default 1)." },
        max: { type: "integer", minimum: 0, description: "At most this many alerts." },
        priority: { type: "string", description: "The alerts' priority (any case; info for Informational)." },
        output_contains: { ...stringOrList, description: "Text an alert's output contains (all of them, in one alert)." },
        output_matches: { type: "string", description: "A regular expression (JavaScript) an alert's output matches." },
        fields: {
          type: "object",
          additionalProperties: { type: ["string", "number", "boolean", "null"] },
          description: "Output field values of one alert, by field (`proc.name: bash`); null for <NA>.",
        },
      },
    },
  ],
};

export const testFileSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "https://falcokit.dev/schemas/rules-test.json",
  title: "falcokit rule test file",
  type: "object",
  additionalProperties: false,
  required: ["rules", "tests"],
  properties: {
    name: { type: "string", description: "The suite's name in reports (default: the file's path)." },
    rules: { ...stringOrList, description: "Rules files, directories or globs, relative to this file, loaded in order as Falco's rules_files." },
    config: { type: "string", description: "A falco.yaml whose rules:, priority, rule_matching and append_output apply." },
    options: { ...stringOrList, description: "Configuration overrides, as falco -o KEY=VALUE (e.g. rules[].enable.rule=*)." },
    rule_matching: ruleMatching,
    priority: { type: "string", description: "The minimum priority of the rules that run (falco.yaml priority)." },
    dns: {
      type: "object",
      additionalProperties: { oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] },
      description: "What the replaying machine's resolver answers (name: address or list), for fd.sip.name and the like on captures; a syscall fixture's own dns: section wins.",
    },
    tests: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name", "expect"],
        properties: {
          name: { type: "string", description: "Unique in the file." },
          rules: { ...stringOrList, description: "Extra rules files loaded after the suite's, for this test only." },
          input: { ...stringOrList, description: "Inputs relative to this file: syscall fixtures, field-level event fixtures, .scap captures, k8s audit JSON." },
          events: { type: "array", items: { type: "object" }, description: "Inline field-level events (the format of docs/formats/events.md)." },
          syscalls: { type: "object", description: "An inline syscall-level fixture (the format of docs/formats/syscall-events.md)." },
          options: { ...stringOrList, description: "Configuration overrides for this test, after the suite's." },
          rule_matching: ruleMatching,
          expect: {
            type: "object",
            additionalProperties: false,
            properties: {
              fires: { type: "array", items: fire, description: "Rules that must fire." },
              does_not_fire: { ...stringOrList, description: "Rules that must not fire." },
              nothing: { type: "boolean", description: "No rule may fire." },
              only: { type: "boolean", description: "No rule other than those under fires may fire." },
            },
          },
        },
        anyOf: [{ required: ["input"] }, { required: ["events"] }, { required: ["syscalls"] }],
      },
    },
  },
} as const;
