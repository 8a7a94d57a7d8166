/**
 * Top-level items (`rule`, `macro`, `list`, `required_engine_version`,
 * `required_plugin_versions`) read the way Falco 0.44.1's reader reads them: same order of
 * checks, same messages and codes, same location chains. Unlike Falco, reading goes on after
 * an error, so one pass reports every problem the reader can see.
 */
import { isMap, isScalar, isSeq, type YAMLMap, type YAMLSeq } from "yaml";
import { type Ctx, ItemType, ROOT_CTX } from "./context.js";
import {
  decodeBool,
  decodeUint32,
  isValidListName,
  isValidMacroName,
  isYamlCppNull,
  LIST_NAME_PATTERN,
  MACRO_NAME_PATTERN,
  parsePriority,
  parseSemver,
  scalarText,
} from "./decode.js";
import { readExceptions } from "./exceptions.js";
import { badConversion, MapReader, resolveNode, SequenceRef } from "./map-reader.js";
import { ScalarRef } from "./scalar.js";
import type {
  EngineVersion,
  ItemBase,
  ItemKind,
  ListItem,
  MacroItem,
  OverrideEntry,
  OverrideOp,
  OverrideValue,
  PluginAlternative,
  PluginRequirement,
  RequiredEngineVersionItem,
  RequiredPluginVersionsItem,
  RuleItem,
  RulesItem,
  UnknownItem,
} from "./types.js";

/** Falco's warning for `append: true`. */
export const WARNING_APPEND =
  "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.";
/** Falco's warning for a rule item holding only `enabled`. */
export const WARNING_ENABLED =
  "The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' entry under the 'override' key (i.e. 'enabled: replace').";
/** Falco's error for `append: true` together with `override`. */
export const ERROR_OVERRIDE_APPEND =
  "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.";

/** The defining keys, in the order Falco tests them. */
export const ITEM_KINDS: readonly Exclude<ItemKind, "unknown">[] = [
  "required_engine_version",
  "required_plugin_versions",
  "list",
  "macro",
  "rule",
];

/** The keys Falco knows for each kind (anything else gets LOAD_UNKNOWN_KEY). */
export const KNOWN_KEYS: Readonly<Record<Exclude<ItemKind, "unknown">, ReadonlySet<string>>> = {
  required_engine_version: new Set(["required_engine_version"]),
  required_plugin_versions: new Set(["required_plugin_versions"]),
  list: new Set(["list", "items", "append", "override"]),
  macro: new Set(["macro", "condition", "append", "override"]),
  rule: new Set([
    "rule",
    "condition",
    "output",
    "desc",
    "priority",
    "source",
    "enabled",
    "capture",
    "capture_duration",
    "warn_evttypes",
    "skip-if-unknown-filter",
    "tags",
    "exceptions",
    "override",
    "append",
  ]),
};

/** Rule keys that `override` may append to, in the order Falco applies them. */
export const RULE_APPENDABLE: readonly string[] = ["condition", "exceptions", "output", "desc", "tags"];
/** Rule keys that `override` may replace, in the order Falco applies them. */
export const RULE_REPLACEABLE: readonly string[] = [
  "condition",
  "exceptions",
  "output",
  "desc",
  "tags",
  "priority",
  "capture",
  "capture_duration",
  "enabled",
  "warn_evttypes",
  "skip-if-unknown-filter",
];

const INVALID_NODE =
  "invalid node; this may result from using a map iterator as a sequence iterator, or vice-versa";

interface Overrides {
  value: OverrideValue;
  append: Set<string>;
  replace: Set<string>;
  /** Every key listed under `override`, whatever its operation. */
  listed: Set<string>;
  /** The override could not be read at all (yaml-cpp would have thrown). */
  broken: boolean;
}

/** Falco's `decode_overrides`. */
function readOverrides(r: MapReader, ctx: Ctx, appendable: readonly string[], replaceable: readonly string[]): Overrides | undefined {
  const entry = r.get("override");
  if (!entry) return undefined;
  const overridectx = ctx.child(ItemType.OVERRIDE, "", r.mark(r.map));
  const entries: OverrideEntry[] = [];
  const ops = new Map<string, OverrideOp>();
  const result: Overrides = {
    value: { kind: "override", range: entry.valueRange, keyRange: entry.keyRange, entries, ops, node: entry.node },
    append: new Set(),
    replace: new Set(),
    listed: new Set(),
    broken: false,
  };
  const val = entry.node;
  if (val && isSeq(val) && val.items.length > 0) {
    // yaml-cpp cannot read a sequence as key/value pairs; Falco's generic handler reports it.
    r.error(INVALID_NODE, entry.valueRange, ROOT_CTX, "LOAD_ERR_VALIDATE");
    result.broken = true;
    return result;
  }
  if (!val || !isMap(val)) return result;
  for (const pair of val.items) {
    const keyNode = resolveNode(r.env, pair.key);
    const opNode = resolveNode(r.env, pair.value);
    const keyRange = keyNode?.range ? { start: keyNode.range[0], end: keyNode.range[1] } : entry.valueRange;
    if (!keyNode || !isScalar(keyNode)) {
      r.error(badConversion(r.text, r.mark(keyNode, keyRange.start)), keyRange, ROOT_CTX, "LOAD_ERR_VALIDATE");
      continue;
    }
    const key = isYamlCppNull(keyNode) ? "null" : scalarText(keyNode);
    result.listed.add(key);
    let opText: string;
    let opValue: ScalarRef | undefined;
    if (opNode === null || (isScalar(opNode) && isYamlCppNull(opNode))) {
      opText = "null";
    } else if (isScalar(opNode)) {
      opText = scalarText(opNode);
      opValue = new ScalarRef(r.text, opNode as ScalarRef["node"], opText, keyRange);
    } else {
      const at = r.mark(opNode, keyRange.end);
      r.error(badConversion(r.text, at), { start: opNode.range![0], end: opNode.range![1] }, ROOT_CTX, "LOAD_ERR_VALIDATE");
      entries.push({ key, keyRange, value: undefined, op: undefined });
      continue;
    }
    const canAppend = appendable.includes(key);
    const canReplace = replaceable.includes(key);
    const keyctx = overridectx.child(ItemType.OVERRIDE, key, r.mark(keyNode));
    let op: OverrideOp | undefined;
    if (opText === "append") {
      op = "append";
      if (!canAppend) r.error(`Key '${key}' cannot be appended to, use 'replace' instead`, keyRange, keyctx);
      else result.append.add(key);
    } else if (opText === "replace") {
      op = "replace";
      if (!canReplace) r.error(`Key '${key}' cannot be replaced`, keyRange, keyctx);
      else result.replace.add(key);
    } else {
      const opctx = overridectx.child(ItemType.VALUE_FOR, key, r.mark(opNode, keyRange.end));
      const allowed = (canAppend ? "append " : "") + (canReplace ? "replace " : "");
      const range = opNode?.range && opNode.range[1] > opNode.range[0] ? { start: opNode.range[0], end: opNode.range[1] } : keyRange;
      r.error(`Invalid override operation for key '${key}': '${opText}'. Allowed values are: ${allowed}`, range, opctx);
    }
    if (op && ((op === "append" && canAppend) || (op === "replace" && canReplace)) && !ops.has(key)) ops.set(key, op);
    entries.push({ key, keyRange, value: opValue, op });
  }
  return result;
}

/** `append:` of any kind, with its deprecation warning. */
function readAppend(r: MapReader, ctx: Ctx): ScalarRef<boolean> | undefined {
  const append = r.converted("append", "optional", ctx, decodeBool);
  if (append?.value) r.warn("LOAD_DEPRECATED_ITEM", WARNING_APPEND, MapReader.entryRange(r.get("append")!), ctx);
  return append;
}

function checkOverrideAppend(r: MapReader, append: ScalarRef<boolean> | undefined, ov: Overrides | undefined, ctx: Ctx): void {
  if (append?.value && ov && (ov.append.size > 0 || ov.replace.size > 0)) {
    r.error(ERROR_OVERRIDE_APPEND, ov.value.keyRange, ctx);
  }
}

function base<K extends ItemKind>(kind: K, r: MapReader, index: number, docIndex: number): ItemBase<K> {
  return { kind, index, docIndex, range: r.range, entries: r.entries, node: r.map, valid: true };
}

function readEngineVersion(r: MapReader, item: RequiredEngineVersionItem, parent: Ctx): void {
  const ctx = parent.child(ItemType.REQUIRED_ENGINE_VERSION, "", r.mark(r.map));
  const s = r.scalarFor("required_engine_version", "required", ctx);
  if (s) {
    const text = scalarText(s.node);
    const minor = decodeUint32(text);
    let version: EngineVersion | undefined = minor !== undefined ? { major: 0, minor, patch: 0 } : parseSemver(text);
    if (!version) {
      r.error(`Unable to parse engine version '${text}' as a semver string. Expected "x.y.z" semver format.`, s.entry.valueRange, ctx);
    } else {
      item.version = new ScalarRef(r.text, s.node, version, s.entry.keyRange);
    }
  }
  r.warnUnknownKeys(KNOWN_KEYS.required_engine_version, ctx);
}

function readPluginVersions(r: MapReader, item: RequiredPluginVersionsItem, parent: Ctx): void {
  const entry = r.get("required_plugin_versions")!;
  const val = entry.node;
  const ctx = parent.child(ItemType.REQUIRED_PLUGIN_VERSIONS, "", r.mark(val, entry.keyRange.end));
  if (!val || !isSeq(val)) {
    r.error("Value of required_plugin_versions must be a sequence", MapReader.valueOrKeyRange(entry), ctx);
  } else {
    const plugins: PluginRequirement[] = [];
    for (const raw of val.items) {
      const plugin = resolveNode(r.env, raw);
      const tmp = ctx.child(ItemType.REQUIRED_PLUGIN_VERSIONS_ENTRY, "", r.mark(plugin));
      if (!plugin || !isMap(plugin)) {
        const range = plugin?.range ? { start: plugin.range[0], end: plugin.range[1] } : entry.valueRange;
        r.error("Plugin version must be a mapping", range, tmp);
        continue;
      }
      const pr = new MapReader(r.env, plugin as YAMLMap.Parsed, r);
      const req: PluginRequirement = { range: pr.range, node: plugin };
      const name = pr.string("name", "required", tmp);
      if (name) req.name = name;
      const pctx = ctx.child(ItemType.REQUIRED_PLUGIN_VERSIONS_ENTRY, name?.text ?? "", r.mark(plugin));
      const version = pr.string("version", "required", pctx);
      if (version) req.version = version;
      const altEntry = pr.get("alternatives");
      if (altEntry) {
        const alts = altEntry.node;
        if (!alts || !isSeq(alts)) {
          pr.error("Value of plugin version alternatives must be a sequence", MapReader.valueOrKeyRange(altEntry), pctx);
        } else {
          const list: PluginAlternative[] = [];
          for (const rawAlt of alts.items) {
            const alt = resolveNode(r.env, rawAlt);
            const atmp = pctx.child(ItemType.REQUIRED_PLUGIN_VERSIONS_ALTERNATIVE, "", r.mark(alt));
            if (!alt || !isMap(alt)) {
              const range = alt?.range ? { start: alt.range[0], end: alt.range[1] } : altEntry.valueRange;
              pr.error("Plugin version alternative must be a mapping", range, atmp);
              continue;
            }
            const ar = new MapReader(r.env, alt as YAMLMap.Parsed, pr);
            const a: PluginAlternative = { range: ar.range, node: alt };
            const aname = ar.string("name", "required", atmp);
            if (aname) a.name = aname;
            const actx = pctx.child(ItemType.REQUIRED_PLUGIN_VERSIONS_ALTERNATIVE, aname?.text ?? "", r.mark(alt));
            const aversion = ar.string("version", "required", actx);
            if (aversion) a.version = aversion;
            list.push(a);
          }
          req.alternatives = new SequenceRef(alts as YAMLSeq.Parsed, list, altEntry.keyRange);
        }
      }
      plugins.push(req);
    }
    item.plugins = new SequenceRef(val as YAMLSeq.Parsed, plugins, entry.keyRange);
  }
  const rpvCtx = parent.child(ItemType.REQUIRED_PLUGIN_VERSIONS, "", r.mark(r.map));
  r.warnUnknownKeys(KNOWN_KEYS.required_plugin_versions, rpvCtx);
}

function readList(r: MapReader, item: ListItem, parent: Ctx): void {
  const tmp = parent.child(ItemType.LIST, "", r.mark(r.map));
  const name = r.string("list", "required", tmp);
  if (name) item.name = name;
  const ctx = parent.child(ItemType.LIST, name?.text ?? "", r.mark(r.map));
  if (name && !isValidListName(name.text)) {
    r.warn(
      "LOAD_INVALID_LIST_NAME",
      `List has an invalid name. List names should match a regular expression: ${LIST_NAME_PATTERN}`,
      name.range,
      ctx,
    );
  }
  const items = r.scalarSeq("items", true, ctx);
  if (items) item.items = items;
  const append = readAppend(r, ctx);
  if (append) item.append = append;
  const ov = readOverrides(r, ctx, ["items"], ["items"]);
  if (ov) item.override = ov.value;
  checkOverrideAppend(r, append, ov, ctx);
  r.warnUnknownKeys(KNOWN_KEYS.list, ctx);
}

function readMacro(r: MapReader, item: MacroItem, parent: Ctx): void {
  const tmp = parent.child(ItemType.MACRO, "", r.mark(r.map));
  const name = r.string("macro", "required", tmp);
  if (name) item.name = name;
  const ctx = parent.child(ItemType.MACRO, name?.text ?? "", r.mark(r.map));
  if (name && !isValidMacroName(name.text)) {
    r.warn(
      "LOAD_INVALID_MACRO_NAME",
      `Macro has an invalid name. Macro names should match a regular expression: ${MACRO_NAME_PATTERN}`,
      name.range,
      ctx,
    );
  }
  const condition = r.string("condition", "required", ctx);
  if (condition) item.condition = condition;
  const append = readAppend(r, ctx);
  if (append) item.append = append;
  const ov = readOverrides(r, ctx, ["condition"], ["condition"]);
  if (ov) item.override = ov.value;
  checkOverrideAppend(r, append, ov, ctx);
  r.warnUnknownKeys(KNOWN_KEYS.macro, ctx);
}

/** Decodes one rule key with Falco's checks and stores it on the item. */
function readRuleKey(r: MapReader, item: RuleItem, key: string, ctx: Ctx, appendExceptions: boolean): void {
  switch (key) {
    case "condition":
    case "output":
    case "desc": {
      const v = r.string(key, "required", ctx);
      if (v) item[key] = v;
      return;
    }
    case "priority": {
      const s = r.scalarFor("priority", "required", ctx);
      if (!s) return;
      const prictx = ctx.child(ItemType.RULE_PRIORITY, "", r.mark(s.node));
      const p = parsePriority(scalarText(s.node));
      if (p === undefined) r.error("Invalid priority", s.entry.valueRange, prictx, undefined, "priority");
      else item.priority = new ScalarRef(r.text, s.node, p, s.entry.keyRange);
      return;
    }
    case "tags": {
      const v = r.scalarSeq("tags", false, ctx);
      if (v) item.tags = v;
      return;
    }
    case "exceptions": {
      const v = readExceptions(r, ctx, appendExceptions);
      if (v) item.exceptions = v;
      return;
    }
    case "capture_duration": {
      const v = r.converted(key, "required", ctx, decodeUint32);
      if (v) item.captureDuration = v;
      return;
    }
    case "capture":
    case "enabled":
    case "warn_evttypes":
    case "skip-if-unknown-filter": {
      const v = r.converted(key, "required", ctx, decodeBool);
      if (v) item[BOOL_FIELDS[key]!] = v;
      return;
    }
  }
}

const BOOL_FIELDS: Readonly<Record<string, "capture" | "enabled" | "warnEvttypes" | "skipIfUnknownFilter">> = {
  capture: "capture",
  enabled: "enabled",
  warn_evttypes: "warnEvttypes",
  "skip-if-unknown-filter": "skipIfUnknownFilter",
};

function readRule(r: MapReader, item: RuleItem, parent: Ctx): void {
  const tmp = parent.child(ItemType.RULE, "", r.mark(r.map));
  const name = r.string("rule", "required", tmp);
  if (name) item.name = name;
  const ctx = parent.child(ItemType.RULE, name?.text ?? "", r.mark(r.map));

  const source = r.string("source", "optional-empty", ctx);
  const append = readAppend(r, ctx);
  if (append) item.append = append;
  const ov = readOverrides(r, ctx, RULE_APPENDABLE, RULE_REPLACEABLE);
  if (ov) item.override = ov.value;
  checkOverrideAppend(r, append, ov, ctx);

  if (ov?.broken) {
    // Nothing more can be said about this item.
  } else if (ov && ov.value.entries.length > 0) {
    // Selective update: every overridable key present must be listed, and vice versa.
    const expected = new Set<string>();
    for (const key of [...RULE_APPENDABLE, ...RULE_REPLACEABLE]) if (r.has(key)) expected.add(key);
    for (const [op, keys, appendExceptions] of [
      ["append", RULE_APPENDABLE, true],
      ["replace", RULE_REPLACEABLE, false],
    ] as const) {
      const wanted = op === "append" ? ov.append : ov.replace;
      if (wanted.size === 0) continue;
      for (const key of keys) {
        if (!wanted.has(key)) continue;
        if (!expected.has(key)) {
          const listed = ov.value.entries.find((e) => e.key === key);
          r.error(`An ${op} override for '${key}' was specified but '${key}' is not defined`, listed?.keyRange ?? ov.value.keyRange, ctx);
          continue;
        }
        expected.delete(key);
        readRuleKey(r, item, key, ctx, appendExceptions);
      }
    }
    for (const key of [...expected].sort()) {
      if (ov.listed.has(key)) continue; // already reported as a bad override entry
      const entry = r.get(key)!;
      const keyctx = ctx.child(ItemType.OVERRIDE, key, r.mark(entry.node, entry.keyRange.end));
      r.error(`Unexpected key '${key}': no corresponding entry under 'override' is defined.`, entry.keyRange, keyctx);
    }
  } else if (append?.value) {
    // Legacy append: only the condition and the exceptions are read.
    if (r.has("condition")) readRuleKey(r, item, "condition", ctx, true);
    if (r.has("exceptions")) readRuleKey(r, item, "exceptions", ctx, true);
  } else if (!r.has("condition") && !r.has("output") && !r.has("desc") && !r.has("priority")) {
    // A rule item with only `enabled`: it switches an earlier rule on or off.
    const enabled = r.converted("enabled", "required", ctx, decodeBool);
    if (enabled) {
      item.enabled = enabled;
      r.warn("LOAD_DEPRECATED_ITEM", WARNING_ENABLED, MapReader.entryRange(r.get("enabled")!), ctx);
    }
  } else {
    for (const key of ["condition", "output", "desc", "priority"]) readRuleKey(r, item, key, ctx, false);
    const strictSource = r.string("source", "optional", ctx);
    if (strictSource) item.source = strictSource;
    for (const key of ["enabled", "capture", "capture_duration", "warn_evttypes", "skip-if-unknown-filter"]) {
      if (r.has(key)) readRuleKey(r, item, key, ctx, false);
    }
    readRuleKey(r, item, "tags", ctx, false);
    readRuleKey(r, item, "exceptions", ctx, false);
  }
  if (!item.source && source) item.source = source;
  r.warnUnknownKeys(KNOWN_KEYS.rule, ctx);
  fillRule(r.quiet(), item, ctx);
}

/** Fills the accessors Falco did not read on this item's path, reporting nothing. */
function fillRule(q: MapReader, item: RuleItem, ctx: Ctx): void {
  item.condition ??= q.peekString("condition");
  item.output ??= q.peekString("output");
  item.desc ??= q.peekString("desc");
  item.priority ??= q.peekConverted("priority", parsePriority);
  item.source ??= q.peekString("source");
  item.enabled ??= q.peekConverted("enabled", decodeBool);
  item.capture ??= q.peekConverted("capture", decodeBool);
  item.captureDuration ??= q.peekConverted("capture_duration", decodeUint32);
  item.warnEvttypes ??= q.peekConverted("warn_evttypes", decodeBool);
  item.skipIfUnknownFilter ??= q.peekConverted("skip-if-unknown-filter", decodeBool);
  item.tags ??= q.peekScalarSeq("tags");
  item.exceptions ??= readExceptions(q, ctx, false);
  for (const key of Object.keys(item) as (keyof RuleItem)[]) if (item[key] === undefined) delete item[key];
}

/** Reads one non-null element of a document's top-level sequence. */
export function readItem(r: MapReader, index: number, docIndex: number, parent: Ctx): RulesItem {
  const kind = ITEM_KINDS.find((k) => r.has(k)) ?? "unknown";
  switch (kind) {
    case "required_engine_version": {
      const item: RequiredEngineVersionItem = base(kind, r, index, docIndex);
      readEngineVersion(r, item, parent);
      return finish(r, item);
    }
    case "required_plugin_versions": {
      const item: RequiredPluginVersionsItem = base(kind, r, index, docIndex);
      readPluginVersions(r, item, parent);
      return finish(r, item);
    }
    case "list": {
      const item: ListItem = base(kind, r, index, docIndex);
      readList(r, item, parent);
      const q = r.quiet();
      item.items ??= q.peekScalarSeq("items");
      if (!item.items) delete item.items;
      return finish(r, item);
    }
    case "macro": {
      const item: MacroItem = base(kind, r, index, docIndex);
      readMacro(r, item, parent);
      return finish(r, item);
    }
    case "rule": {
      const item: RuleItem = base(kind, r, index, docIndex);
      readRule(r, item, parent);
      return finish(r, item);
    }
    case "unknown": {
      const item: UnknownItem = base(kind, r, index, docIndex);
      const ctx = parent.child(ItemType.RULES_CONTENT_ITEM, "", r.mark(r.map));
      r.warn("LOAD_UNKNOWN_ITEM", "Unknown top level item", r.headRange(), ctx);
      return item;
    }
  }
}

function finish<T extends RulesItem>(r: MapReader, item: T): T {
  item.valid = r.valid;
  return item;
}
