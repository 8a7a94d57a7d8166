import type { OffsetRange } from "@falcokit/diagnostics";
import type { ScalarValue } from "@falcokit/rules-model";

/**
 * Where a piece of composed text came from: a range of a scalar in a file (mapped character
 * by character), or a whole range of a file that produced synthetic text (an exception, a
 * list substituted for its name) and is pointed at as a whole.
 */
export type Origin =
  | { kind: "scalar"; file: string; scalar: ScalarValue; start: number }
  | { kind: "span"; file: string; range: OffsetRange };

interface Segment {
  start: number;
  end: number;
  origin: Origin;
}

export interface FileRange {
  file: string;
  range: OffsetRange;
}

/**
 * Text built from pieces of rules files (a condition after appends, exceptions and list
 * substitution) that still knows, for every character, where in which file it came from.
 */
export class TrackedText {
  private constructor(
    readonly text: string,
    private readonly segments: readonly Segment[],
  ) {}

  static empty(): TrackedText {
    return new TrackedText("", []);
  }

  /** The decoded text of a scalar. */
  static fromScalar(file: string, scalar: ScalarValue): TrackedText {
    const text = scalar.text;
    return new TrackedText(text, [{ start: 0, end: text.length, origin: { kind: "scalar", file, scalar, start: 0 } }]);
  }

  /** Synthetic text attributed as a whole to a range of a file. */
  static synthetic(text: string, file: string, range: OffsetRange): TrackedText {
    return new TrackedText(text, [{ start: 0, end: text.length, origin: { kind: "span", file, range } }]);
  }

  concat(...parts: (TrackedText | string)[]): TrackedText {
    let text = this.text;
    const segments = [...this.segments];
    for (const p of parts) {
      if (typeof p === "string") {
        // Glue text (a space, a parenthesis) belongs to the segment before it.
        const last = segments[segments.length - 1];
        if (last && last.end === text.length) segments[segments.length - 1] = { ...last, end: last.end + p.length };
        text += p;
        continue;
      }
      const shift = text.length;
      for (const s of p.segments) segments.push({ start: s.start + shift, end: s.end + shift, origin: s.origin });
      text += p.text;
    }
    return new TrackedText(text, segments);
  }

  /** Replaces `[start, end)` with `replacement` (attributed to `origin`, or to what it replaces). */
  replace(start: number, end: number, replacement: string, origin?: Origin): TrackedText {
    const before = this.slice(0, start);
    const after = this.slice(end, this.text.length);
    const at = origin ?? this.originSpan(start, end);
    const middle = at ? new TrackedText(replacement, [{ start: 0, end: replacement.length, origin: at }]) : new TrackedText(replacement, []);
    return before.concat(middle, after);
  }

  slice(start: number, end: number): TrackedText {
    const segments: Segment[] = [];
    for (const s of this.segments) {
      const a = Math.max(s.start, start);
      const b = Math.min(s.end, end);
      if (a >= b) continue;
      const origin = s.origin.kind === "scalar" ? { ...s.origin, start: s.origin.start + (a - s.start) } : s.origin;
      segments.push({ start: a - start, end: b - start, origin });
    }
    return new TrackedText(this.text.slice(start, end), segments);
  }

  /** The file range a range of this text came from (the range of its first character's file). */
  locate(range: OffsetRange): FileRange | undefined {
    const first = this.segmentAt(range.start);
    if (!first) return undefined;
    const start = mapOffset(first, range.start);
    const lastIndex = Math.max(range.start, range.end - 1);
    const last = this.segmentAt(lastIndex);
    let end = start.end;
    if (last && last.origin.file === first.origin.file) {
      const e = mapOffset(last, lastIndex).end;
      if (e >= start.start) end = e;
    }
    if (range.end <= range.start) end = start.start;
    return { file: first.origin.file, range: { start: start.start, end: Math.max(start.start, end) } };
  }

  private originSpan(start: number, end: number): Origin | undefined {
    const loc = this.locate({ start, end });
    return loc ? { kind: "span", file: loc.file, range: loc.range } : undefined;
  }

  private segmentAt(offset: number): Segment | undefined {
    if (this.segments.length === 0) return undefined;
    for (const s of this.segments) if (offset >= s.start && offset < s.end) return s;
    // Past the end: the last segment.
    return offset >= this.text.length ? this.segments[this.segments.length - 1] : undefined;
  }
}

function mapOffset(s: Segment, offset: number): OffsetRange {
  if (s.origin.kind === "span") return s.origin.range;
  const local = Math.min(s.origin.scalar.text.length, s.origin.start + (offset - s.start));
  const at = s.origin.scalar.toFileOffset(local);
  const next = local < s.origin.scalar.text.length ? s.origin.scalar.toFileOffset(local + 1) : at;
  return { start: at, end: Math.max(at + (local < s.origin.scalar.text.length ? 1 : 0), next) };
}
