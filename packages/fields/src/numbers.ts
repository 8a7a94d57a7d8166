/**
 * libs reads numbers with `sscanf(str, "%<int>%c", ...) == 1`: leading blanks are skipped, a sign
 * is allowed, at least one decimal digit must follow, and nothing may come after the digits.
 * Out-of-range values are not errors: glibc clamps to the conversion's long type, then the value
 * is cut to the destination width. These helpers reproduce that.
 */

/** The integer kinds libs' number parsers produce. */
export type IntKind = "int8" | "int16" | "int32" | "int64" | "uint8" | "uint16" | "uint32" | "uint64";

const SPACE = new Set([" ", "\t", "\n", "\v", "\f", "\r"]);
const LONG_MAX = (1n << 63n) - 1n;
const LONG_MIN = -(1n << 63n);
const ULONG_MAX = (1n << 64n) - 1n;

/** The decimal number `sscanf("%d%c")` accepts in `text`, or undefined when it is not one. */
function scanDecimal(text: string): { negative: boolean; magnitude: bigint } | undefined {
  let i = 0;
  while (i < text.length && SPACE.has(text[i]!)) i++;
  let negative = false;
  if (text[i] === "+" || text[i] === "-") {
    negative = text[i] === "-";
    i++;
  }
  const start = i;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  if (i === start || i !== text.length) return undefined;
  return { negative, magnitude: BigInt(text.slice(start, i)) };
}

/** Two's-complement cut of `v` to `bits`, signed or not. */
function cut(v: bigint, bits: number, signed: boolean): bigint {
  return signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
}

/**
 * Parses `text` as libs' `sinsp_numparser::parse<kind>` does. Returns the value, or undefined
 * where libs throws `<text> is not a valid number`.
 */
export function parseLibsInt(text: string, kind: IntKind): bigint | undefined {
  const d = scanDecimal(text);
  if (!d) return undefined;
  const signed = kind.startsWith("int");
  const bits = Number(kind.replace(/^u?int/, ""));
  if (signed) {
    // strtol clamps to long, then the value is cut to the destination (8/16 bit kinds go through int32)
    let v = d.negative ? -d.magnitude : d.magnitude;
    if (v > LONG_MAX) v = LONG_MAX;
    if (v < LONG_MIN) v = LONG_MIN;
    return cut(cut(v, bits === 64 ? 64 : 32, true), bits, true);
  }
  // strtoul clamps the magnitude to unsigned long, then negates modulo 2^64
  let v = d.magnitude > ULONG_MAX ? ULONG_MAX : d.magnitude;
  if (d.negative) v = (ULONG_MAX + 1n - v) & ULONG_MAX;
  return cut(cut(v, bits === 64 ? 64 : 32, false), bits, false);
}

/** libs' `<text> is not a valid number` message. */
export function notANumber(text: string): string {
  return `${text} is not a valid number`;
}
