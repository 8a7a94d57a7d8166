/**
 * Writing a string as a YAML scalar that both the `yaml` package (YAML 1.2) and yaml-cpp (the
 * parser Falco uses, which still reads YAML 1.1 booleans) read back as the same string.
 *
 * The rules are deliberately conservative: a value is written plain only when no reader could
 * take it for anything else (an indicator, a comment, a key, a null, a boolean, a number).
 */

/** How a scalar is quoted. */
export type QuoteStyle = "plain" | "single" | "double";

/** Where the scalar goes: inside `[...]`/`{...}` (`flow`) or in block context. */
export type ScalarContext = "flow" | "block";

/** Characters that may not start a plain scalar (YAML indicators, and the backtick yaml-cpp reserves). */
const INDICATORS = new Set("-?:,[]{}#&*!|>'\"%@`");

/**
 * In flow context yaml-cpp ends a plain scalar at any of `,?[]{}` (the `?` even mid-word), and
 * YAML 1.2 at `,[]{}`.
 */
const FLOW_BREAKERS = /[,?[\]{}]/;

const NULL_LIKE = /^(?:~|null)$/i;
/** YAML 1.1 booleans, which yaml-cpp accepts in lower, upper or capitalized case. */
const BOOL_LIKE = /^(?:y|yes|n|no|true|false|on|off)$/i;
/**
 * Anything that starts like a number (an optional sign, then a digit or `.digit`): integers,
 * floats, hex/octal/binary, YAML 1.1 sexagesimals and timestamps. Broader than needed on purpose.
 */
const NUMBER_LIKE = /^[-+]?\.?[0-9]/;
const SPECIAL_FLOAT = /^[-+]?\.(?:inf|nan)$/i;

/** Whether a character can appear unescaped in a YAML scalar on one line (tab excluded). */
function isPrintable(code: number): boolean {
  if (code < 0x20 || code === 0x7f) return false;
  if (code >= 0x80 && code <= 0x9f) return false; // C1 controls, NEL (a line break in YAML 1.1)
  if (code === 0x2028 || code === 0x2029) return false; // line and paragraph separators
  if (code === 0xfeff) return false; // byte order mark
  if (code >= 0xd800 && code <= 0xdfff) return false; // a lone surrogate (pairs are read as one code point)
  if (code === 0xfffe || code === 0xffff) return false;
  return true;
}

function allPrintable(value: string, allowTab: boolean): boolean {
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (code === 0x09 && allowTab) continue;
    if (!isPrintable(code)) return false;
  }
  return true;
}

/** Whether a plain reader would take the string for something other than a string. */
export function looksLikeNonString(value: string): boolean {
  return (
    NULL_LIKE.test(value) ||
    BOOL_LIKE.test(value) ||
    NUMBER_LIKE.test(value) ||
    SPECIAL_FLOAT.test(value) ||
    value === "=" ||
    value === "<<"
  );
}

/** Whether `value` can be written without quotes in `context` and read back unchanged everywhere. */
export function isPlainSafe(value: string, context: ScalarContext): boolean {
  if (value === "") return false;
  if (INDICATORS.has(value[0]!)) return false;
  if (value.startsWith("...")) return false; // a document end marker at the start of a line
  const last = value[value.length - 1]!;
  if (value[0] === " " || last === " " || last === ":") return false;
  if (!allPrintable(value, false)) return false;
  if (value.includes(": ") || value.includes(" #")) return false;
  if (context === "flow" && FLOW_BREAKERS.test(value)) return false;
  return !looksLikeNonString(value);
}

/** Whether `value` can be written single-quoted (single quotes have no escapes and fold line breaks). */
export function canSingleQuote(value: string): boolean {
  return allPrintable(value, true);
}

/** `value` single-quoted; only valid when {@link canSingleQuote} holds. */
export function singleQuoted(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  '"': '\\"',
  "\0": "\\0",
  "\t": "\\t",
  "\n": "\\n",
  "\r": "\\r",
};

function hex(code: number, width: number): string {
  return code.toString(16).toUpperCase().padStart(width, "0");
}

/** `value` double-quoted, with every character that is not printable escaped. */
export function doubleQuoted(value: string): string {
  let out = '"';
  for (const ch of value) {
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) {
      out += short;
      continue;
    }
    const code = ch.codePointAt(0)!;
    if (isPrintable(code)) out += ch;
    else if (code <= 0xff) out += `\\x${hex(code, 2)}`;
    else out += `\\u${hex(code, 4)}`;
  }
  return out + '"';
}

/**
 * `value` written as a YAML scalar for `context`, in the `preferred` style when the value allows
 * it: plain falls back to `fallback` quotes, single quotes fall back to double quotes.
 */
export function formatScalar(value: string, context: ScalarContext, preferred: QuoteStyle, fallback: "single" | "double" = "double"): string {
  let style: QuoteStyle = preferred;
  if (style === "plain" && !isPlainSafe(value, context)) style = fallback;
  if (style === "single" && !canSingleQuote(value)) style = "double";
  switch (style) {
    case "plain":
      return value;
    case "single":
      return singleQuoted(value);
    case "double":
      return doubleQuoted(value);
  }
}
