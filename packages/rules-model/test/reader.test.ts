import { describe, expect, it } from "vitest";
import { parseRulesFile, type ListItem, type MacroItem, type RulesFile, type RuleItem } from "../src/index.js";

interface Seen {
  code: string;
  message: string;
  /** Falco's location chain, `type 'name' > ...` (names shown only when set). */
  at: string;
  /** The source text under the diagnostic's range. */
  src: string;
}

function read(text: string): { file: RulesFile; seen: Seen[] } {
  const file = parseRulesFile(text);
  const seen = file.diagnostics.map((d) => ({
    code: d.falco?.code ?? d.code,
    message: d.message,
    at: (d.falco?.locations ?? []).map((l) => (l.itemName ? `${l.itemType} '${l.itemName}'` : l.itemType)).join(" > "),
    src: text.slice(d.range.start, d.range.end),
  }));
  return { file, seen };
}

const RULE = (extra: string, name = "r"): string =>
  `- rule: ${name}\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n${extra}`;

const WARNING_APPEND = "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.";

describe("document shape", () => {
  it("a scalar document is not yaml", () => {
    expect(read("foo\n").seen).toEqual([{ code: "LOAD_ERR_YAML_VALIDATE", message: "Rules content is not yaml", at: "rules content", src: "foo" }]);
  });

  it("a map document is not an array of objects", () => {
    expect(read("a: b\n").seen).toEqual([
      { code: "LOAD_ERR_YAML_VALIDATE", message: "Rules content is not yaml array of objects", at: "rules content", src: "a: b\n" },
    ]);
  });

  it("non-map elements are errors, null elements are skipped", () => {
    const { file, seen } = read("- foo\n- [a]\n-\n- ~\n- list: l\n  items: []\n");
    const message = "Unexpected element type. Each element should be a yaml associative array.";
    expect(seen).toEqual([
      { code: "LOAD_ERR_YAML_VALIDATE", message, at: "rules content > rules content item", src: "foo" },
      { code: "LOAD_ERR_YAML_VALIDATE", message, at: "rules content > rules content item", src: "[a]" },
    ]);
    expect(file.items.map((i) => i.kind)).toEqual(["list"]);
  });

  it("empty, comment-only, null and empty multi-document files have no items and no diagnostics", () => {
    for (const text of ["", "# only a comment\n", "~\n", "---\n---\n", "\n\n", "--- # c\n...\n"]) {
      const { file, seen } = read(text);
      expect(seen, JSON.stringify(text)).toEqual([]);
      expect(file.items).toEqual([]);
    }
  });

  it("items of every document, with document indexes", () => {
    const { file, seen } = read("- list: a\n  items: []\n---\n- list: b\n  items: []\n---\n---\n- macro: m\n  condition: x\n");
    expect(seen).toEqual([]);
    expect(file.documents).toHaveLength(4);
    expect(file.items.map((i) => [i.kind, i.index, i.docIndex])).toEqual([
      ["list", 0, 0],
      ["list", 1, 1],
      ["macro", 2, 3],
    ]);
  });
});

describe("keys and values", () => {
  it("a missing required key points at the item", () => {
    const { file, seen } = read("- rule: r\n  desc: d\n  condition: c\n  priority: INFO\n");
    expect(seen).toEqual([{ code: "LOAD_ERR_YAML_VALIDATE", message: "Item has no mapping for key 'output'", at: "rules content > rule 'r'", src: "rule: r" }]);
    expect(file.items[0]!.valid).toBe(false);
  });

  it("an empty name", () => {
    expect(read("- macro:\n  condition: c\n").seen).toEqual([
      { code: "LOAD_ERR_YAML_VALIDATE", message: "Mapping for key 'macro' is empty", at: "rules content > macro", src: "macro" },
    ]);
  });

  it("empty strings, non-scalars and undecodable scalars", () => {
    expect(read("- macro: m\n  condition: ''\n").seen).toEqual([
      { code: "LOAD_ERR_YAML_VALIDATE", message: "Value must be non-empty", at: "rules content > macro 'm' > value for 'condition'", src: "''" },
    ]);
    expect(read("- macro: m\n  condition: [a]\n").seen).toEqual([
      { code: "LOAD_ERR_YAML_VALIDATE", message: "Value is not a scalar value", at: "rules content > macro 'm' > value for 'condition'", src: "[a]" },
    ]);
    expect(read(RULE("  enabled: maybe\n")).seen).toEqual([
      { code: "LOAD_ERR_YAML_VALIDATE", message: "Can't decode YAML scalar value", at: "rules content > rule 'r' > value for 'enabled'", src: "maybe" },
    ]);
  });

  it("list items: a sequence of scalars, kept as written", () => {
    const { file, seen } = read("- list: l\n  items: [123, 0x1F, true, 'x', =, 1.50]\n");
    expect(seen).toEqual([]);
    expect((file.items[0] as ListItem).items!.items.map((s) => s.value)).toEqual(["123", "0x1F", "true", "x", "=", "1.50"]);
  });

  it("list items that are not scalars (a null is not a scalar for yaml-cpp)", () => {
    const { file, seen } = read("- list: l\n  items: [a, [b], ~]\n- list: m\n  items: a\n");
    expect(seen).toEqual([
      { code: "LOAD_ERR_YAML_VALIDATE", message: "sequence value is not scalar", at: "rules content > list 'l' > value for 'items' > list item", src: "[b]" },
      { code: "LOAD_ERR_YAML_VALIDATE", message: "sequence value is not scalar", at: "rules content > list 'l' > value for 'items' > list item", src: "~" },
      { code: "LOAD_ERR_YAML_VALIDATE", message: "Value is not a sequence", at: "rules content > list 'm' > value for 'items'", src: "a" },
    ]);
    expect((file.items[0] as ListItem).items!.items.map((s) => s.value)).toEqual(["a"]);
  });

  it("booleans in yaml-cpp's spellings", () => {
    const yes = ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"];
    const no = ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"];
    for (const [words, value] of [
      [yes, true],
      [no, false],
    ] as const) {
      for (const w of words) {
        const { file, seen } = read(RULE(`  enabled: ${w}\n  warn_evttypes: "${w}"\n`));
        expect(seen, w).toEqual([]);
        expect((file.items[0] as RuleItem).enabled!.value, w).toBe(value);
        expect((file.items[0] as RuleItem).warnEvttypes!.value, w).toBe(value);
      }
    }
    for (const w of ["yEs", "tRUE", "1", "0", "enabled"]) {
      expect(read(RULE(`  enabled: ${w}\n`)).seen.map((s) => s.message), w).toEqual(["Can't decode YAML scalar value"]);
    }
  });

  it("capture_duration is an unsigned 32-bit integer read like a C++ stream", () => {
    const value = (v: string): number | undefined => (read(RULE(`  capture_duration: ${v}\n`)).file.items[0] as RuleItem).captureDuration?.value;
    expect(value("5000")).toBe(5000);
    expect(value("0x10")).toBe(16);
    expect(value("010")).toBe(8);
    expect(value("4294967295")).toBe(4294967295);
    for (const bad of ["-1", "4294967296", "1.5", "08", "ten"]) {
      expect(read(RULE(`  capture_duration: ${bad}\n`)).seen.map((s) => s.message), bad).toEqual(["Can't decode YAML scalar value"]);
    }
  });

  it("priorities in any case; anything else is invalid", () => {
    for (const [p, name] of [
      ["informational", "Informational"],
      ["Info", "Informational"],
      ["WARNING", "Warning"],
      ["eMeRgEnCy", "Emergency"],
      ["debug", "Debug"],
    ]) {
      const { file, seen } = read(`- rule: r\n  desc: d\n  condition: c\n  output: o\n  priority: ${p}\n`);
      expect(seen).toEqual([]);
      expect((file.items[0] as RuleItem).priority!.value).toBe(name);
    }
    expect(read("- rule: r\n  desc: d\n  condition: c\n  output: o\n  priority: warn\n").seen).toEqual([
      { code: "LOAD_ERR_YAML_VALIDATE", message: "Invalid priority", at: "rules content > rule 'r' > rule priority", src: "warn" },
    ]);
  });

  it("a null source is fine for an update but not for a definition", () => {
    expect(read("- rule: r\n  condition: and x\n  source:\n  override:\n    condition: append\n").seen).toEqual([]);
    expect(read(RULE("  source:\n")).seen.map((s) => s.message)).toEqual(["Mapping for key 'source' is empty"]);
  });

  it("unknown keys, unknown items, and the order in which kinds are chosen", () => {
    const { file, seen } = read(RULE("  prioriy: x\n") + "- foo: bar\n- rule: q\n  macro: m\n  condition: c\n");
    expect(seen).toEqual([
      { code: "LOAD_UNKNOWN_KEY", message: "Unknown key 'prioriy'. The key will be ignored.", at: "rules content > rule 'r'", src: "prioriy" },
      { code: "LOAD_UNKNOWN_ITEM", message: "Unknown top level item", at: "rules content > rules content item", src: "foo: bar" },
      { code: "LOAD_UNKNOWN_KEY", message: "Unknown key 'rule'. The key will be ignored.", at: "rules content > macro 'm'", src: "rule" },
    ]);
    expect(file.items.map((i) => i.kind)).toEqual(["rule", "unknown", "macro"]);
    expect(file.items.every((i) => i.valid)).toBe(true);
  });

  it("invalid macro and list names are warnings", () => {
    expect(read("- macro: my-macro\n  condition: a\n- list: 'my list'\n  items: []\n").seen).toEqual([
      {
        code: "LOAD_INVALID_MACRO_NAME",
        message: "Macro has an invalid name. Macro names should match a regular expression: ([a-zA-Z]+[a-zA-Z0-9_]*)",
        at: "rules content > macro 'my-macro'",
        src: "my-macro",
      },
      {
        code: "LOAD_INVALID_LIST_NAME",
        message: "List has an invalid name. List names should match a regular expression: ([^()\"'[:space:]=,]+)",
        at: "rules content > list 'my list'",
        src: "'my list'",
      },
    ]);
  });

  it("deprecated append and standalone enabled", () => {
    const { file, seen } = read("- macro: m\n  condition: a\n  append: true\n- rule: r\n  enabled: false\n- rule: q\n  tags: [a]\n");
    expect(seen).toEqual([
      { code: "LOAD_DEPRECATED_ITEM", message: WARNING_APPEND, at: "rules content > macro 'm'", src: "append: true" },
      {
        code: "LOAD_DEPRECATED_ITEM",
        message:
          "The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' entry under the 'override' key (i.e. 'enabled: replace').",
        at: "rules content > rule 'r'",
        src: "enabled: false",
      },
      { code: "LOAD_ERR_YAML_VALIDATE", message: "Item has no mapping for key 'enabled'", at: "rules content > rule 'q'", src: "rule: q" },
    ]);
    expect((file.items[0] as MacroItem).append!.value).toBe(true);
    expect((file.items[1] as RuleItem).enabled!.value).toBe(false);
  });

  it("duplicate keys: lookups find the first, as in yaml-cpp", () => {
    const { file, seen } = read("- macro: m\n  condition: first\n  condition: second\n");
    expect(seen).toEqual([]);
    expect((file.items[0] as MacroItem).condition!.value).toBe("first");
    expect(file.items[0]!.entries.map((e) => e.key)).toEqual(["macro", "condition", "condition"]);
  });

  it("reading goes on after errors; each item knows whether it is valid", () => {
    const { file, seen } = read("- macro: m\n- list: l\n  items: [a]\n- rule: r\n  desc: d\n");
    expect(seen.map((s) => s.message)).toEqual([
      "Item has no mapping for key 'condition'",
      "Item has no mapping for key 'condition'",
      "Item has no mapping for key 'output'",
      "Item has no mapping for key 'priority'",
    ]);
    expect(file.items.map((i) => i.valid)).toEqual([false, true, false]);
  });

  it("location offsets are yaml-cpp marks (the start of each node)", () => {
    const text = RULE("  enabled: maybe\n");
    const d = parseRulesFile(text).diagnostics[0]!;
    expect(d.falco!.locations).toEqual([
      { itemType: "rules content", itemName: "", offset: 0 },
      { itemType: "rule", itemName: "r", offset: 2 },
      { itemType: "value for", itemName: "enabled", offset: text.indexOf("maybe") },
    ]);
  });
});

describe("override", () => {
  const at = (extra: string) => read(`- rule: r\n${extra}`).seen;

  it("keys that cannot take the operation", () => {
    expect(at("  priority: WARNING\n  override:\n    priority: append\n")).toEqual([
      {
        code: "LOAD_ERR_YAML_VALIDATE",
        message: "Key 'priority' cannot be appended to, use 'replace' instead",
        at: "rules content > rule 'r' > overrides > overrides 'priority'",
        src: "priority",
      },
    ]);
    expect(at("  source: s\n  override:\n    source: replace\n").map((s) => s.message)).toEqual(["Key 'source' cannot be replaced"]);
  });

  it("invalid operations, with the trailing space of Falco's message", () => {
    expect(at("  condition: c\n  override:\n    condition: appendd\n")).toEqual([
      {
        code: "LOAD_ERR_YAML_VALIDATE",
        message: "Invalid override operation for key 'condition': 'appendd'. Allowed values are: append replace ",
        at: "rules content > rule 'r' > overrides > value for 'condition'",
        src: "appendd",
      },
    ]);
    expect(at("  enabled: true\n  override:\n    enabled:\n").map((s) => s.message)).toEqual([
      "Invalid override operation for key 'enabled': 'null'. Allowed values are: replace ",
    ]);
    expect(read("- list: l\n  items: [a]\n  override:\n    items: add\n").seen.map((s) => s.message)).toEqual([
      "Invalid override operation for key 'items': 'add'. Allowed values are: append replace ",
    ]);
  });

  it("append: true together with override", () => {
    expect(at("  condition: c\n  append: true\n  override:\n    condition: append\n")).toEqual([
      { code: "LOAD_DEPRECATED_ITEM", message: WARNING_APPEND, at: "rules content > rule 'r'", src: "append: true" },
      {
        code: "LOAD_ERR_YAML_VALIDATE",
        message:
          "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.",
        at: "rules content > rule 'r'",
        src: "override",
      },
    ]);
  });

  it("listed keys must be defined, defined keys must be listed", () => {
    expect(at("  condition: c\n  override:\n    condition: append\n    desc: append\n").map((s) => s.message)).toEqual([
      "An append override for 'desc' was specified but 'desc' is not defined",
    ]);
    expect(at("  override:\n    enabled: replace\n").map((s) => s.message)).toEqual([
      "An replace override for 'enabled' was specified but 'enabled' is not defined",
    ]);
    expect(at("  condition: c\n  output: o\n  source: s\n  override:\n    condition: append\n")).toEqual([
      {
        code: "LOAD_ERR_YAML_VALIDATE",
        message: "Unexpected key 'output': no corresponding entry under 'override' is defined.",
        at: "rules content > rule 'r' > overrides 'output'",
        src: "output",
      },
    ]);
  });

  it("shapes yaml-cpp cannot convert", () => {
    const seq = at("  condition: c\n  override: [condition]\n");
    expect(seq).toEqual([
      {
        code: "LOAD_ERR_VALIDATE",
        message: "invalid node; this may result from using a map iterator as a sequence iterator, or vice-versa",
        at: "rules content",
        src: "[condition]",
      },
    ]);
    expect(at("  condition: c\n  override:\n    condition: [append]\n")).toEqual([
      { code: "LOAD_ERR_VALIDATE", message: "yaml-cpp: error at line 4, column 16: bad conversion", at: "rules content", src: "[append]" },
    ]);
  });

  it("a valid selective update", () => {
    const text = "- rule: r\n  condition: and x\n  enabled: false\n  override:\n    condition: append\n    enabled: replace\n";
    const { file, seen } = read(text);
    expect(seen).toEqual([]);
    const rule = file.items[0] as RuleItem;
    expect([...rule.override!.ops]).toEqual([
      ["condition", "append"],
      ["enabled", "replace"],
    ]);
    expect(rule.override!.entries.map((e) => [e.key, e.op, e.value?.range])).toEqual([
      ["condition", "append", { start: text.indexOf("append"), end: text.indexOf("append") + 6 }],
      ["enabled", "replace", { start: text.indexOf("replace"), end: text.indexOf("replace") + 7 }],
    ]);
    expect(rule.condition!.value).toBe("and x");
    expect(rule.enabled!.value).toBe(false);
  });
});

describe("exceptions", () => {
  const ex = (body: string, extra = ""): ReturnType<typeof read> => read(RULE(`  exceptions:\n${body}${extra}`));

  it("shape errors", () => {
    expect(read(RULE("  exceptions: foo\n")).seen).toEqual([
      { code: "LOAD_ERR_YAML_VALIDATE", message: "Rule exceptions must be a sequence", at: "rules content > rule 'r' > exceptions", src: "foo" },
    ]);
    expect(ex("    - foo\n").seen).toEqual([
      { code: "LOAD_ERR_YAML_VALIDATE", message: "Rule exception must be a mapping", at: "rules content > rule 'r' > exceptions > exception", src: "foo" },
    ]);
    expect(ex("    - fields: [a]\n").seen).toEqual([
      { code: "LOAD_ERR_YAML_VALIDATE", message: "Item has no mapping for key 'name'", at: "rules content > rule 'r' > exceptions > exception", src: "fields: [a]" },
    ]);
    expect(ex("    - name: e\n      values: []\n").seen).toEqual([
      { code: "LOAD_ERR_YAML_VALIDATE", message: "Item has no mapping for key 'fields'", at: "rules content > rule 'r' > exception 'e'", src: "name: e" },
    ]);
    expect(ex("    - name: e\n      fields: f\n      values: x\n").seen).toEqual([
      { code: "LOAD_ERR_YAML_VALIDATE", message: "Rule exception values must be a sequence", at: "rules content > rule 'r' > exception 'e' > exception values", src: "x" },
    ]);
  });

  it("empty values, at any depth", () => {
    expect(ex("    - name: e\n      fields: [a, b]\n      values: [['', [x, \"\"]]]\n").seen).toEqual([
      {
        code: "LOAD_ERR_YAML_VALIDATE",
        message: "Value must be non-empty",
        at: "rules content > rule 'r' > exception 'e' > exception values > exception value > value for > exception > value for",
        src: "''",
      },
      {
        code: "LOAD_ERR_YAML_VALIDATE",
        message: "Value must be non-empty",
        at: "rules content > rule 'r' > exception 'e' > exception values > exception value > value for > exception > value for > exception > value for",
        src: '""',
      },
    ]);
  });

  it("duplicate names warn", () => {
    expect(ex("    - name: e\n      fields: f\n    - name: e\n      fields: g\n").seen).toEqual([
      {
        code: "LOAD_EXCEPTION_NAME_NOT_UNIQUE",
        message: "Multiple definitions of exception 'e' in the same rule",
        at: "rules content > rule 'r' > exception 'e'",
        src: "e",
      },
    ]);
  });

  it("appends may omit fields; a missing values warns", () => {
    const { seen } = read("- rule: r\n  exceptions:\n    - name: e\n  override:\n    exceptions: append\n");
    expect(seen).toEqual([
      { code: "LOAD_APPEND_NO_VALUES", message: "Overriding/appending exception with no values", at: "rules content > rule 'r' > exception 'e'", src: "e" },
    ]);
  });

  it("the typed shape: fields, comps, nested values", () => {
    const { file, seen } = ex(
      "    - name: tuple\n      fields: [proc.name, fd.name]\n      comps: [=, in]\n      values:\n        - [cat, [/a, /b]]\n        - [dog, my_list]\n    - name: single\n      fields: proc.name\n      comps: in\n      values: [a, 1]\n",
    );
    expect(seen).toEqual([]);
    const [tuple, single] = (file.items[0] as RuleItem).exceptions!.items;
    const plain = (e: unknown): unknown =>
      e && typeof e === "object" && "kind" in e && e.kind === "sequence" ? (e as unknown as { items: unknown[] }).items.map(plain) : (e as { value: unknown }).value;
    expect(plain(tuple!.fields)).toEqual(["proc.name", "fd.name"]);
    expect(plain(tuple!.comps)).toEqual(["=", "in"]);
    expect(plain(tuple!.values)).toEqual([
      ["cat", ["/a", "/b"]],
      ["dog", "my_list"],
    ]);
    expect(plain(single!.fields)).toBe("proc.name");
    expect(plain(single!.values)).toEqual(["a", "1"]);
  });
});

describe("required_engine_version and required_plugin_versions", () => {
  it("engine versions", () => {
    const version = (v: string): unknown => (parseRulesFile(`- required_engine_version: ${v}\n`).items[0] as { version?: { value: unknown } }).version?.value;
    expect(version("9")).toEqual({ major: 0, minor: 9, patch: 0 });
    expect(version("0.10.0")).toEqual({ major: 0, minor: 10, patch: 0 });
    expect(version("'0.31.0-rc1'")).toEqual({ major: 0, minor: 31, patch: 0 });
    expect(read("- required_engine_version: 0.26\n").seen).toEqual([
      {
        code: "LOAD_ERR_YAML_VALIDATE",
        message: "Unable to parse engine version '0.26' as a semver string. Expected \"x.y.z\" semver format.",
        at: "rules content > required_engine_version",
        src: "0.26",
      },
    ]);
    expect(read("- required_engine_version:\n  foo: 1\n").seen.map((s) => [s.code, s.message])).toEqual([
      ["LOAD_ERR_YAML_VALIDATE", "Mapping for key 'required_engine_version' is empty"],
      ["LOAD_UNKNOWN_KEY", "Unknown key 'foo'. The key will be ignored."],
    ]);
  });

  it("plugin requirements", () => {
    const { file, seen } = read(
      "- required_plugin_versions:\n    - name: k8saudit\n      version: 0.7.0\n      alternatives:\n        - name: k8saudit-eks\n          version: 0.4.0\n",
    );
    expect(seen).toEqual([]);
    const item = file.items[0]!;
    expect(item.kind).toBe("required_plugin_versions");
    if (item.kind !== "required_plugin_versions") return;
    const p = item.plugins!.items[0]!;
    expect([p.name!.value, p.version!.value]).toEqual(["k8saudit", "0.7.0"]);
    expect(p.alternatives!.items.map((a) => [a.name!.value, a.version!.value])).toEqual([["k8saudit-eks", "0.4.0"]]);
  });

  it("plugin requirement errors", () => {
    expect(read("- required_plugin_versions: x\n").seen).toEqual([
      { code: "LOAD_ERR_YAML_VALIDATE", message: "Value of required_plugin_versions must be a sequence", at: "rules content > required plugin versions", src: "x" },
    ]);
    expect(read("- required_plugin_versions:\n    - x\n    - name: p\n    - version: 1.0.0\n    - name: q\n      version: 1.0.0\n      alternatives: [y, {name: z}]\n").seen).toEqual([
      { code: "LOAD_ERR_YAML_VALIDATE", message: "Plugin version must be a mapping", at: "rules content > required plugin versions > required plugin versions entry", src: "x" },
      {
        code: "LOAD_ERR_YAML_VALIDATE",
        message: "Item has no mapping for key 'version'",
        at: "rules content > required plugin versions > required plugin versions entry 'p'",
        src: "name: p",
      },
      {
        code: "LOAD_ERR_YAML_VALIDATE",
        message: "Item has no mapping for key 'name'",
        at: "rules content > required plugin versions > required plugin versions entry",
        src: "version: 1.0.0",
      },
      {
        code: "LOAD_ERR_YAML_VALIDATE",
        message: "Plugin version alternative must be a mapping",
        at: "rules content > required plugin versions > required plugin versions entry 'q' > required plugin versions alternative",
        src: "y",
      },
      {
        code: "LOAD_ERR_YAML_VALIDATE",
        message: "Item has no mapping for key 'version'",
        at: "rules content > required plugin versions > required plugin versions entry 'q' > required plugin versions alternative 'z'",
        src: "name: z",
      },
    ]);
  });
});

describe("YAML quirks real files rely on", () => {
  it("a bare = in a flow sequence", () => {
    const { file, seen } = read(RULE("  exceptions:\n    - name: e\n      fields: [a, b]\n      comps: [=, in]\n      values: [[x, [y]]]\n"));
    expect(seen).toEqual([]);
    const comps = (file.items[0] as RuleItem).exceptions!.items[0]!.comps!;
    expect(comps.kind === "sequence" && comps.items.map((c) => (c.kind === "scalar" ? c.value : null))).toEqual(["=", "in"]);
  });

  it("a plain scalar starting with != reads as an ignored tag plus the rest", () => {
    const text = "- rule: r\n  desc: != after evt.type\n  condition: evt.type=open\n  output: o\n  priority: INFO\n";
    const { file, seen } = read(text);
    expect(seen).toEqual([]);
    const desc = (file.items[0] as RuleItem).desc!;
    expect(desc.value).toBe("after evt.type");
    expect(desc.tag).toBe("!=");
    expect(text.slice(desc.range.start, desc.range.end)).toBe("after evt.type");
  });

  it("CRLF line endings", () => {
    const text = "- rule: r\r\n  desc: d\r\n  condition: >\r\n    a and\r\n    b\r\n  output: o\r\n  priority: INFO\r\n";
    const { file, seen } = read(text);
    expect(seen).toEqual([]);
    const rule = file.items[0] as RuleItem;
    expect(rule.condition!.value).toBe("a and b\n");
    expect(text.slice(rule.output!.range.start, rule.output!.range.end)).toBe("o");
  });

  it("tabs after a colon and inside block scalars", () => {
    const { file, seen } = read("- rule: r\n  desc:\td\n  condition: >\n    a\n    \tb\n  output: o\t\n  priority: INFO\n");
    expect(seen).toEqual([]);
    const rule = file.items[0] as RuleItem;
    expect([rule.desc!.value, rule.condition!.value, rule.output!.value]).toEqual(["d", "a\n\tb\n", "o"]);
  });

  it("a byte order mark", () => {
    const { file, seen } = read("\uFEFF- list: a\n  items: [x]\n");
    expect(seen).toEqual([]);
    expect((file.items[0] as ListItem).name!.range).toEqual({ start: 9, end: 10 });
  });

  it("a document of only comments between documents", () => {
    const { file, seen } = read("- list: a\n  items: []\n---\n# nothing here\n---\n- list: b\n  items: []\n");
    expect(seen).toEqual([]);
    expect(file.items.map((i) => (i as ListItem).name!.value)).toEqual(["a", "b"]);
  });
});
