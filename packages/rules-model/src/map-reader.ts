/**
 * Reading the keys of one YAML map the way Falco's reader does (`decode_val`, `decode_seq`
 * and friends), reporting Falco's messages and codes but carrying on after an error.
 */
import type { OffsetRange } from "@falcokit/diagnostics";
import { isAlias, isScalar, isSeq, type Document, type Node as YamlNode, type Scalar, type YAMLMap, type YAMLSeq } from "yaml";
import { Ctx, falcoMark, ItemType, ROOT_CTX, Sink, type FalcoLoadCode } from "./context.js";
import { isYamlCppNull, scalarText } from "./decode.js";
import { ScalarRef } from "./scalar.js";
import type { MapEntry, SequenceValue } from "./types.js";

/** What the readers of one file share. */
export interface ReadEnv {
  readonly text: string;
  readonly sink: Sink;
  readonly doc: Document.Parsed;
}

/** `required`: must be present; `optional`: may be absent; `optional-empty`: may also be null or "". */
export type Presence = "required" | "optional" | "optional-empty";

/** Resolves an alias to the node it names (yaml-cpp shares aliased nodes). */
export function resolveNode(env: ReadEnv, node: unknown): YamlNode | null {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) {
    try {
      return (node.resolve(env.doc) as YamlNode | undefined) ?? null;
    } catch {
      return null;
    }
  }
  return node as YamlNode;
}

/** Whether yaml-cpp sees this value as null (absent value, `~`, `null`, empty). */
export function isNullNode(node: YamlNode | null): boolean {
  return node === null || (isScalar(node) && isYamlCppNull(node));
}

export class SequenceRef<T> implements SequenceValue<T> {
  readonly kind = "sequence" as const;
  readonly range: OffsetRange;
  constructor(
    readonly node: YAMLSeq.Parsed,
    readonly items: T[],
    readonly keyRange: OffsetRange | undefined,
  ) {
    this.range = { start: node.range[0], end: node.range[1] };
  }
  get flow(): boolean {
    return this.node.flow === true;
  }
}

interface EntryInfo extends MapEntry {
  /** The key as `item[key]` lookups match it; `undefined` for null and collection keys. */
  readonly lookup: string | undefined;
}

function rangeOf(node: YamlNode | null | undefined): OffsetRange | undefined {
  const r = node?.range;
  return r ? { start: r[0], end: r[1] } : undefined;
}

export class MapReader {
  readonly entries: EntryInfo[] = [];
  private readonly first = new Map<string, EntryInfo>();
  /** Keys whose value already produced an error: not checked again. */
  private readonly errored = new Set<string>();
  valid = true;

  constructor(
    readonly env: ReadEnv,
    readonly map: YAMLMap.Parsed,
    private readonly parent?: MapReader,
  ) {
    const text = env.text;
    for (const pair of map.items) {
      const keyNode = resolveNode(env, pair.key);
      const value = resolveNode(env, pair.value);
      const keyRange = rangeOf(keyNode) ?? { start: map.range[0], end: map.range[0] };
      let key: string;
      let lookup: string | undefined;
      if (keyNode && isScalar(keyNode)) {
        if (isYamlCppNull(keyNode)) key = "null";
        else key = lookup = scalarText(keyNode);
      } else {
        key = text.slice(keyRange.start, keyRange.end);
      }
      const valueRange = rangeOf(value) ?? { start: keyRange.end, end: keyRange.end };
      const entry: EntryInfo = { key, keyRange, valueRange, node: value, keyNode: keyNode ?? (pair.key as YamlNode), lookup };
      this.entries.push(entry);
      if (lookup !== undefined && !this.first.has(lookup)) this.first.set(lookup, entry);
    }
  }

  get text(): string {
    return this.env.text;
  }

  /** A reader of the same map that reports nothing and affects no validity. */
  quiet(): MapReader {
    return new MapReader({ ...this.env, sink: new Sink(undefined) }, this.map);
  }

  get range(): OffsetRange {
    return { start: this.map.range[0], end: this.map.range[1] };
  }

  /** The first entry with this key, as yaml-cpp's `item[key]` finds it. */
  get(key: string): MapEntry | undefined {
    return this.first.get(key);
  }

  has(key: string): boolean {
    return this.first.has(key);
  }

  /** yaml-cpp's mark for a node of this file. */
  mark(node: YamlNode | null | undefined, fallback = this.map.range[0]): number {
    return falcoMark(this.env.text, node, fallback);
  }

  /** The range of the first entry, `key: value`, used for item-level problems. */
  headRange(): OffsetRange {
    const e = this.entries[0];
    if (!e) return { start: this.map.range[0], end: this.map.range[0] };
    return { start: e.keyRange.start, end: Math.max(e.keyRange.end, e.valueRange.end) };
  }

  /** `key: value` of an entry. */
  static entryRange(e: MapEntry): OffsetRange {
    return { start: e.keyRange.start, end: Math.max(e.keyRange.end, e.valueRange.end) };
  }

  /** The value's range, or the key's when the value is empty. */
  static valueOrKeyRange(e: MapEntry): OffsetRange {
    return e.valueRange.end > e.valueRange.start ? e.valueRange : e.keyRange;
  }

  private invalidate(): void {
    for (let r: MapReader | undefined = this; r; r = r.parent) r.valid = false;
  }

  /** Reports an error (the item, and the items it is part of, become invalid). */
  error(message: string, range: OffsetRange, ctx: Ctx, code: FalcoLoadCode = "LOAD_ERR_YAML_VALIDATE", key?: string): void {
    this.invalidate();
    if (key !== undefined) this.errored.add(key);
    this.env.sink.load(code, message, range, ctx);
  }

  warn(code: FalcoLoadCode, message: string, range: OffsetRange, ctx: Ctx): void {
    this.env.sink.load(code, message, range, ctx);
  }

  /** Whether a key already produced an error (Falco would have stopped there). */
  hasError(key: string): boolean {
    return this.errored.has(key);
  }

  /**
   * The checks Falco's `decode_val` makes before converting: presence, null, scalar, empty.
   * Returns the scalar to convert, or `undefined` (absent, allowed empty, or reported).
   */
  scalarFor(key: string, presence: Presence, ctx: Ctx): { node: Scalar.Parsed; entry: MapEntry; valctx: Ctx } | undefined {
    if (this.errored.has(key)) return undefined;
    const entry = this.get(key);
    if (!entry) {
      if (presence === "required") this.error(`Item has no mapping for key '${key}'`, this.headRange(), ctx, undefined, key);
      return undefined;
    }
    const v = entry.node;
    if (isNullNode(v)) {
      if (presence !== "optional-empty") this.error(`Mapping for key '${key}' is empty`, entry.keyRange, ctx, undefined, key);
      return undefined;
    }
    const valctx = ctx.child(ItemType.VALUE_FOR, key, this.mark(v));
    if (!isScalar(v)) {
      this.error("Value is not a scalar value", entry.valueRange, valctx, undefined, key);
      return undefined;
    }
    if (scalarText(v) === "") {
      if (presence !== "optional-empty") this.error("Value must be non-empty", entry.valueRange, valctx, undefined, key);
      return undefined;
    }
    return { node: v as Scalar.Parsed, entry, valctx };
  }

  /** `decode_val<std::string>`. */
  string(key: string, presence: Presence, ctx: Ctx): ScalarRef | undefined {
    const s = this.scalarFor(key, presence, ctx);
    return s && new ScalarRef(this.env.text, s.node, scalarText(s.node), s.entry.keyRange);
  }

  /** `decode_val<T>` for a converted type: "Can't decode YAML scalar value" when it fails. */
  converted<T>(key: string, presence: Presence, ctx: Ctx, convert: (text: string) => T | undefined): ScalarRef<T> | undefined {
    const s = this.scalarFor(key, presence, ctx);
    if (!s) return undefined;
    const value = convert(scalarText(s.node));
    if (value === undefined) {
      this.error("Can't decode YAML scalar value", s.entry.valueRange, s.valctx, undefined, key);
      return undefined;
    }
    return new ScalarRef(this.env.text, s.node, value, s.entry.keyRange);
  }

  /**
   * `decode_seq` (lists' `items`, rules' `tags`): a sequence of scalars. Elements that are not
   * scalars are reported and left out.
   */
  scalarSeq(key: string, required: boolean, ctx: Ctx): SequenceRef<ScalarRef> | undefined {
    if (this.errored.has(key)) return undefined;
    const entry = this.get(key);
    if (!entry) {
      if (required) this.error(`Item has no mapping for key '${key}'`, this.headRange(), ctx, undefined, key);
      return undefined;
    }
    const v = entry.node;
    const valctx = ctx.child(ItemType.VALUE_FOR, key, this.mark(v));
    if (!v || !isSeq(v)) {
      this.error("Value is not a sequence", MapReader.valueOrKeyRange(entry), valctx, undefined, key);
      return undefined;
    }
    const items: ScalarRef[] = [];
    for (const raw of v.items) {
      const el = resolveNode(this.env, raw);
      if (!el || !isScalar(el) || isYamlCppNull(el)) {
        const r = rangeOf(el) ?? rangeOf(raw as YamlNode) ?? entry.valueRange;
        this.error("sequence value is not scalar", r, valctx.child(ItemType.LIST_ITEM, "", this.mark(el, r.start)));
        continue;
      }
      items.push(new ScalarRef(this.env.text, el as Scalar.Parsed, scalarText(el), undefined));
    }
    return new SequenceRef(v as YAMLSeq.Parsed, items, entry.keyRange);
  }

  /** Lenient variants: decode when possible, report nothing (for keys Falco ignores). */
  peekString(key: string): ScalarRef | undefined {
    const e = this.get(key);
    const v = e?.node ?? null;
    if (!e || !v || !isScalar(v) || isYamlCppNull(v)) return undefined;
    return new ScalarRef(this.env.text, v as Scalar.Parsed, scalarText(v), e.keyRange);
  }

  peekConverted<T>(key: string, convert: (text: string) => T | undefined): ScalarRef<T> | undefined {
    const s = this.peekString(key);
    if (!s) return undefined;
    const value = convert(s.text);
    return value === undefined ? undefined : new ScalarRef(this.env.text, s.node, value, s.keyRange);
  }

  peekScalarSeq(key: string): SequenceRef<ScalarRef> | undefined {
    const e = this.get(key);
    const v = e?.node ?? null;
    if (!e || !v || !isSeq(v)) return undefined;
    const items: ScalarRef[] = [];
    for (const raw of v.items) {
      const el = resolveNode(this.env, raw);
      if (el && isScalar(el) && !isYamlCppNull(el)) items.push(new ScalarRef(this.env.text, el as Scalar.Parsed, scalarText(el), undefined));
    }
    return new SequenceRef(v as YAMLSeq.Parsed, items, e.keyRange);
  }

  /**
   * Falco's unknown-key warnings (0.44+). A key that is a collection cannot be converted to a
   * string: yaml-cpp throws, which Falco reports as a validation error.
   */
  warnUnknownKeys(expected: ReadonlySet<string>, ctx: Ctx): void {
    for (const e of this.entries) {
      if (e.keyNode && !isScalar(e.keyNode)) {
        const offset = this.mark(e.keyNode, e.keyRange.start);
        // yaml-cpp's exception reaches Falco's generic handler, which only knows the file.
        this.error(badConversion(this.env.text, offset), e.keyRange, ROOT_CTX, "LOAD_ERR_VALIDATE");
        continue;
      }
      if (!expected.has(e.key)) {
        this.warn("LOAD_UNKNOWN_KEY", `Unknown key '${e.key}'. The key will be ignored.`, e.keyRange, ctx);
      }
    }
  }
}

/** yaml-cpp's message for a failed string conversion, with its 1-based position. */
export function badConversion(text: string, offset: number): string {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return `yaml-cpp: error at line ${line + 1}, column ${offset - lineStart + 1}: bad conversion`;
}
