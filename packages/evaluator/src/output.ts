/**
 * Output strings rendered as Falco renders an alert: literal text, and each `%field` (or
 * `%transformer(...)`) replaced by the field's value, `<NA>` when it cannot be read. A token
 * takes the longest field name that the source knows (`%proc.namex` is `proc.name` then `x`).
 */
import { parseOutput, type FieldExpr, type FieldLike } from "@falcokit/condition";
import type { FieldType } from "@falcokit/fields";
import { fieldAccessor, leftAccessor, type FieldSource, type Typed } from "./predicate.js";
import type { Extracted, NetValue, Scalar } from "./value.js";
import { cString } from "./operators.js";

export interface RenderedOutput {
  /** The message, as Falco's `output` key. */
  output: string;
  /** Each field read, by its text, as Falco's JSON `output_fields` (null when unreadable). */
  fields: Record<string, string | number | boolean | null>;
}

export type OutputRenderer<Ctx> = (ctx: Ctx) => RenderedOutput;

type Piece<Ctx> = { text: string } | { width?: number; value: Typed<Ctx>; key?: string; raw: readonly Typed<Ctx>[] };

const FIELD_NAME = /^[A-Za-z]+[A-Za-z0-9_]*(?:\.[A-Za-z]+[A-Za-z0-9_]*)+$/;

/** The longest prefix of a written field that the source can read, and the text left over. */
function longestField<Ctx>(expr: FieldExpr, source: FieldSource<Ctx>): { typed: Typed<Ctx>; rest: string } | undefined {
  const tryField = (f: FieldExpr): Typed<Ctx> | undefined => {
    const m = source.catalog.lookup(f.name, f.arg);
    if (!m?.ok || m.field.filterOnly) return undefined;
    try {
      return fieldAccessor(source, f);
    } catch {
      return undefined;
    }
  };
  const whole = tryField(expr);
  if (whole) return { typed: whole, rest: "" };
  const argText = expr.arg !== undefined ? `[${expr.arg}]` : "";
  let name = expr.name;
  if (expr.arg !== undefined) {
    const bare = tryField({ ...expr, arg: undefined } as FieldExpr);
    if (bare) return { typed: bare, rest: argText };
  }
  let rest = "";
  while (name.includes(".")) {
    rest = name.slice(-1) + rest;
    name = name.slice(0, -1);
    if (!FIELD_NAME.test(name)) continue;
    const t = tryField({ ...expr, name, arg: undefined } as FieldExpr);
    if (t) return { typed: t, rest: rest + argText };
  }
  return undefined;
}

/** Compiles an output string (already checked by the engine) into a renderer. */
export function compileOutput<Ctx>(output: string, source: FieldSource<Ctx>): OutputRenderer<Ctx> {
  const parsed = parseOutput(output);
  if (parsed.errors[0]) throw new Error(`output: ${parsed.errors[0].message}`);
  const pieces: Piece<Ctx>[] = [];
  for (const t of parsed.tokens) {
    if (t.type === "text") {
      pieces.push({ text: t.text });
      continue;
    }
    if (t.expr.type === "field") {
      const found = longestField(t.expr, source);
      if (!found) throw new Error(`output: unknown field ${t.expr.name}`);
      const key = found.typed.fields[0]!.text;
      pieces.push({ ...(t.width !== undefined ? { width: t.width } : {}), value: found.typed, key, raw: [found.typed] });
      if (found.rest) pieces.push({ text: found.rest });
      continue;
    }
    // A transformer: its value is printed, its inner fields go to output_fields untransformed.
    const typed = leftAccessor(source, t.expr as FieldLike);
    const inner = typed.fields.map((f) => fieldAccessor(source, { type: "field", name: f.name, ...(f.arg !== undefined ? { arg: f.arg } : {}), nameRange: t.range, range: t.range }));
    pieces.push({ ...(t.width !== undefined ? { width: t.width } : {}), value: typed, raw: inner });
  }
  return (ctx) => {
    let out = "";
    const fields: RenderedOutput["fields"] = {};
    for (const p of pieces) {
      if ("text" in p) {
        out += p.text;
        continue;
      }
      const v = p.value.read(ctx);
      let s = v === undefined ? "<NA>" : formatValue(p.value.type, v);
      if (p.width !== undefined) s = s.length > p.width ? s.slice(0, p.width) : s.padEnd(p.width, " ");
      out += s;
      for (const r of p.raw) {
        const key = r.fields[0]?.text;
        if (key === undefined) continue;
        const rv = r === p.value ? v : r.read(ctx);
        fields[key] = jsonValue(r.type, rv);
      }
    }
    return { output: out, fields };
  };
}

/** A value as text, as libs prints it in outputs. */
export function formatValue(type: FieldType, v: Extracted): string {
  if (v === undefined) return "<NA>";
  if (Array.isArray(v)) return `(${(v as readonly Scalar[]).map((x) => formatScalar(type, x)).join(",")})`;
  return formatScalar(type, v as Scalar);
}

function formatScalar(type: FieldType, v: Scalar): string {
  // Values are printed as C strings: a transformer's terminating NUL (and anything after) is not shown.
  if (typeof v === "string") return cString(v);
  if (typeof v === "bigint" || typeof v === "number") return String(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v instanceof Uint8Array) {
    if (type === "BYTEBUF") return printableBytes(v);
    return formatIp(v);
  }
  const net = v as NetValue;
  return `${formatIp(net.net)}/${net.prefix}`;
}

function jsonValue(type: FieldType, v: Extracted): string | number | boolean | null {
  if (v === undefined) return null;
  if (!Array.isArray(v)) {
    if (typeof v === "bigint") return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : String(v);
    if (typeof v === "string") return cString(v);
    if (typeof v === "boolean" || typeof v === "number") return v;
  }
  return formatValue(type, v);
}

function printableBytes(b: Uint8Array): string {
  let s = "";
  for (const c of b) s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : ".";
  return s;
}

/** IPv4 dotted quad, IPv6 in the shortest form (the longest run of zero groups as `::`). */
export function formatIp(b: Uint8Array): string {
  if (b.length === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  if (b.length !== 16) return printableBytes(b);
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i]! << 8) | b[i + 1]!);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number) => g.toString(16);
  if (bestStart < 0) return groups.map(hex).join(":");
  return `${groups.slice(0, bestStart).map(hex).join(":")}::${groups.slice(bestStart + bestLen).map(hex).join(":")}`;
}
