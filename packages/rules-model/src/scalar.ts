import type { OffsetRange } from "@falcokit/diagnostics";
import type { Scalar } from "yaml";
import { scalarText } from "./decode.js";
import { buildScalarMap, fallbackScalarMap, mapOffset, mapRange, type ScalarOffsetMap } from "./scalar-map.js";
import type { ScalarStyle, ScalarValue } from "./types.js";

const STYLES: Readonly<Record<string, ScalarStyle>> = {
  PLAIN: "plain",
  QUOTE_SINGLE: "single-quoted",
  QUOTE_DOUBLE: "double-quoted",
  BLOCK_LITERAL: "literal",
  BLOCK_FOLDED: "folded",
};

/** The style of a parsed scalar node. */
export function scalarStyle(node: Scalar): ScalarStyle {
  return (node.type && STYLES[node.type]) || "plain";
}

/** Offset maps are built on first use and shared by every view of the same node. */
const maps = new WeakMap<Scalar, ScalarOffsetMap>();

/** The offset map of a scalar node of `text` (built lazily, then cached). */
export function scalarOffsetMap(text: string, node: Scalar.Parsed): ScalarOffsetMap {
  let map = maps.get(node);
  if (map) return map;
  const decoded = scalarText(node);
  const [start, end] = node.range;
  const token = node.srcToken as { indent?: number } | undefined;
  try {
    map = buildScalarMap(text, scalarStyle(node), start, end, token?.indent ?? 0);
  } catch {
    map = undefined;
  }
  // The decoders mirror the parser; should they ever disagree, degrade to a clamped map.
  if (!map || map.decoded !== decoded) map = fallbackScalarMap(decoded, start, end);
  maps.set(node, map);
  return map;
}

/** A scalar of a rules file, with its value decoded for its key. */
export class ScalarRef<T = string> implements ScalarValue<T> {
  readonly kind = "scalar" as const;
  readonly range: OffsetRange;

  constructor(
    private readonly file: string,
    readonly node: Scalar.Parsed,
    readonly value: T,
    readonly keyRange: OffsetRange | undefined,
  ) {
    this.range = { start: node.range[0], end: node.range[1] };
  }

  get text(): string {
    return scalarText(this.node);
  }

  get raw(): string {
    return this.file.slice(this.range.start, this.range.end);
  }

  get style(): ScalarStyle {
    return scalarStyle(this.node);
  }

  get tag(): string | undefined {
    return this.node.tag;
  }

  toFileOffset(index: number): number {
    return mapOffset(scalarOffsetMap(this.file, this.node), index);
  }

  toFileRange(range: OffsetRange): OffsetRange {
    return mapRange(scalarOffsetMap(this.file, this.node), range);
  }

  /** Plain data for JSON output and test snapshots. */
  toJSON(): object {
    return { value: this.value, text: this.text, range: this.range, keyRange: this.keyRange, style: this.style };
  }
}
