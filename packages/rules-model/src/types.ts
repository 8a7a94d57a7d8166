import type { Diagnostic, OffsetRange } from "@falcokit/diagnostics";
import type { Document, Node as YamlNode, Scalar, YAMLMap, YAMLSeq } from "yaml";

/** How a scalar is written in the YAML source. */
export type ScalarStyle = "plain" | "single-quoted" | "double-quoted" | "literal" | "folded";

/**
 * A YAML scalar with its decoded value and its exact place in the file.
 *
 * `text` is the scalar's string as yaml-cpp (and so Falco) sees it; `value` is that string
 * decoded for the key it belongs to (a string, a boolean, a number...). Offsets into `text`
 * map back to file offsets with {@link ScalarValue.toFileOffset}.
 */
export interface ScalarValue<T = string> {
  readonly kind: "scalar";
  /** The value decoded for its key (yaml-cpp rules). */
  readonly value: T;
  /** The decoded string of the scalar (after unescaping and line folding). */
  readonly text: string;
  /** The source text of the scalar, quotes and block header included, tag and anchor excluded. */
  readonly raw: string;
  /** The source range of the scalar (`raw`). */
  readonly range: OffsetRange;
  /** The range of the key this scalar is the value of, when it is a map value. */
  readonly keyRange: OffsetRange | undefined;
  readonly style: ScalarStyle;
  /** The explicit tag written on the scalar, if any (yaml-cpp ignores unknown tags, so do we). */
  readonly tag: string | undefined;
  /** The `yaml` node. */
  readonly node: Scalar.Parsed;
  /**
   * Maps an offset into `text` (0..text.length inclusive) to a file offset. A character that
   * came from one source character maps to it; one produced by an escape maps to the escape's
   * backslash; a space or line feed produced by line folding maps to the line break that
   * produced it. `text.length` maps to the end of the scalar's content.
   */
  toFileOffset(index: number): number;
  /** Maps a range of `text` to the file range covering the source of those characters. */
  toFileRange(range: OffsetRange): OffsetRange;
}

/** A YAML sequence value with its elements. */
export interface SequenceValue<T> {
  readonly kind: "sequence";
  readonly items: readonly T[];
  /** The source range of the whole sequence. */
  readonly range: OffsetRange;
  readonly keyRange: OffsetRange | undefined;
  /** `true` for `[a, b]`, `false` for block (`- a`) sequences. */
  readonly flow: boolean;
  readonly node: YAMLSeq.Parsed;
}

/** One `key: value` pair of a map, known key or not. */
export interface MapEntry {
  /** The key as yaml-cpp converts it to a string (a null key reads as `null`). */
  readonly key: string;
  readonly keyRange: OffsetRange;
  /** The value's range; zero-length where the value is empty (`key:`). */
  readonly valueRange: OffsetRange;
  /** The value node; `null` only when the pair has no `:` at all (a YAML error). */
  readonly node: YamlNode | null;
  readonly keyNode: YamlNode;
}

/** The kinds of top-level items, in the order Falco checks for their defining key. */
export type ItemKind = "required_engine_version" | "required_plugin_versions" | "list" | "macro" | "rule" | "unknown";

/** What every top-level item has. */
export interface ItemBase<K extends ItemKind = ItemKind> {
  readonly kind: K;
  /** Index of the item among the items of the file (all documents). */
  readonly index: number;
  /** Index of the YAML document the item is in. */
  readonly docIndex: number;
  /** The range of the whole map. */
  readonly range: OffsetRange;
  /** Every key of the map, in source order, known or not. Duplicates are kept. */
  readonly entries: readonly MapEntry[];
  readonly node: YAMLMap.Parsed;
  /** `false` when the reader reported an error for this item. */
  valid: boolean;
}

/** Falco priority names, as Falco prints them. */
export type PriorityName = "Emergency" | "Alert" | "Critical" | "Error" | "Warning" | "Notice" | "Informational" | "Debug";

export type OverrideOp = "append" | "replace";

/** One `key: append|replace` line under `override:`. */
export interface OverrideEntry {
  readonly key: string;
  readonly keyRange: OffsetRange;
  /** The operation as written (`undefined` when it is not a scalar). */
  readonly value: ScalarValue | undefined;
  /** The operation, when it is `append` or `replace`. */
  readonly op: OverrideOp | undefined;
}

/** The `override:` map of an item. */
export interface OverrideValue {
  readonly kind: "override";
  readonly range: OffsetRange;
  readonly keyRange: OffsetRange;
  readonly entries: readonly OverrideEntry[];
  /** Key to operation, for entries whose operation is `append` or `replace` (first wins). */
  readonly ops: ReadonlyMap<string, OverrideOp>;
  readonly node: YamlNode | null;
}

/** An element of an exception's `fields`, `comps` or `values`: a scalar or a (nested) list. */
export type ExceptionEntry = ScalarValue | SequenceValue<ExceptionEntry>;

/** One entry of a rule's `exceptions:`. */
export interface RuleException {
  readonly kind: "exception";
  readonly range: OffsetRange;
  readonly entries: readonly MapEntry[];
  readonly node: YAMLMap.Parsed;
  name?: ScalarValue;
  /** A single field (string) or a list of fields. */
  fields?: ExceptionEntry;
  /** A single operator (string) or a list of operators. */
  comps?: ExceptionEntry;
  /** The values: scalars (single-field form) or tuples (lists). */
  values?: SequenceValue<ExceptionEntry>;
  valid: boolean;
}

export interface RuleItem extends ItemBase<"rule"> {
  name?: ScalarValue;
  condition?: ScalarValue;
  output?: ScalarValue;
  desc?: ScalarValue;
  priority?: ScalarValue<PriorityName>;
  source?: ScalarValue;
  enabled?: ScalarValue<boolean>;
  tags?: SequenceValue<ScalarValue>;
  exceptions?: SequenceValue<RuleException>;
  append?: ScalarValue<boolean>;
  override?: OverrideValue;
  /** `warn_evttypes` */
  warnEvttypes?: ScalarValue<boolean>;
  /** `skip-if-unknown-filter` */
  skipIfUnknownFilter?: ScalarValue<boolean>;
  capture?: ScalarValue<boolean>;
  /** `capture_duration`, in milliseconds (uint32). */
  captureDuration?: ScalarValue<number>;
}

export interface MacroItem extends ItemBase<"macro"> {
  name?: ScalarValue;
  condition?: ScalarValue;
  append?: ScalarValue<boolean>;
  override?: OverrideValue;
}

export interface ListItem extends ItemBase<"list"> {
  name?: ScalarValue;
  /** The list items, always strings as written (`- 123` is `"123"`). */
  items?: SequenceValue<ScalarValue>;
  append?: ScalarValue<boolean>;
  override?: OverrideValue;
}

/** A semantic version as Falco reads `required_engine_version`. */
export interface EngineVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

export interface RequiredEngineVersionItem extends ItemBase<"required_engine_version"> {
  /** The version; an integer N is read as `0.N.0`. */
  version?: ScalarValue<EngineVersion>;
}

export interface PluginAlternative {
  readonly range: OffsetRange;
  readonly node: YamlNode;
  name?: ScalarValue;
  version?: ScalarValue;
}

export interface PluginRequirement {
  readonly range: OffsetRange;
  readonly node: YamlNode;
  name?: ScalarValue;
  version?: ScalarValue;
  alternatives?: SequenceValue<PluginAlternative>;
}

export interface RequiredPluginVersionsItem extends ItemBase<"required_plugin_versions"> {
  plugins?: SequenceValue<PluginRequirement>;
}

/** A map with none of Falco's defining keys (Falco ignores it with a warning). */
export type UnknownItem = ItemBase<"unknown">;

export type RulesItem = RuleItem | MacroItem | ListItem | RequiredEngineVersionItem | RequiredPluginVersionsItem | UnknownItem;

/** One YAML document of the file. */
export interface RulesDocument {
  readonly index: number;
  readonly range: OffsetRange;
  readonly document: Document.Parsed;
}

/** A rules file read into typed items, with every problem the reader found. */
export interface RulesFile {
  readonly fileName: string | undefined;
  readonly text: string;
  readonly items: readonly RulesItem[];
  readonly documents: readonly RulesDocument[];
  /** Reader diagnostics, in reading order. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface ParseOptions {
  /** Set as `file` on every diagnostic. */
  fileName?: string;
}
