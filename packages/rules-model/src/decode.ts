/**
 * Scalar conversions the way yaml-cpp (the YAML library Falco uses) performs them. Falco reads
 * every value as a string and converts it for the key it belongs to; these functions reproduce
 * those conversions on the decoded string.
 */
import type { Scalar } from "yaml";
import type { EngineVersion, PriorityName } from "./types.js";

/** yaml-cpp's null spellings; they only count for plain, untagged scalars. */
export function isNullString(text: string): boolean {
  return text === "" || text === "~" || text === "null" || text === "Null" || text === "NULL";
}

/** Whether yaml-cpp reads this scalar node as a null node. */
export function isYamlCppNull(node: Scalar): boolean {
  return node.type === "PLAIN" && node.tag === undefined && isNullString(scalarText(node));
}

/** The decoded string of a scalar node (failsafe schema: always the source string). */
export function scalarText(node: Scalar): string {
  const source = (node as { source?: unknown }).source;
  if (typeof source === "string") return source;
  return typeof node.value === "string" ? node.value : String(node.value ?? "");
}

const TRUE_NAMES = new Set(["y", "yes", "true", "on"]);
const FALSE_NAMES = new Set(["n", "no", "false", "off"]);

function isLowerAscii(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 97 || c > 122) return false;
  }
  return true;
}

function isUpperAscii(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 65 || c > 90) return false;
  }
  return true;
}

/** lower case, UPPER CASE or Capitalized, as yaml-cpp requires for booleans. */
function isFlexibleCase(text: string): boolean {
  if (text === "" || isLowerAscii(text, 0)) return true;
  return isUpperAscii(text.slice(0, 1), 0) && (isLowerAscii(text, 1) || isUpperAscii(text, 1));
}

/** yaml-cpp's `bool` conversion: y/yes/true/on and n/no/false/off, in flexible case. */
export function decodeBool(text: string): boolean | undefined {
  if (!isFlexibleCase(text)) return undefined;
  const lower = text.toLowerCase();
  if (TRUE_NAMES.has(lower)) return true;
  if (FALSE_NAMES.has(lower)) return false;
  return undefined;
}

const UINT_RE = /^\+?(?:0[xX]([0-9a-fA-F]+)|(0[0-7]*)|([1-9][0-9]*))[ \t\n\v\f\r]*$/;

/**
 * yaml-cpp's unsigned 32-bit conversion: a C++ stream read with base detection (`0x` hex,
 * leading `0` octal), no leading blanks, trailing blanks allowed, no minus sign, no overflow.
 */
export function decodeUint32(text: string): number | undefined {
  const m = UINT_RE.exec(text);
  if (!m) return undefined;
  const value = m[1] !== undefined ? parseInt(m[1], 16) : m[2] !== undefined ? parseInt(m[2], 8) : parseInt(m[3]!, 10);
  return value <= 0xffffffff ? value : undefined;
}

const PRIORITIES: readonly PriorityName[] = [
  "Emergency",
  "Alert",
  "Critical",
  "Error",
  "Warning",
  "Notice",
  "Informational",
  "Debug",
];

/** Falco's priority levels: 0 (Emergency) to 7 (Debug). */
export const PRIORITY_LEVELS: Readonly<Record<PriorityName, number>> = Object.freeze(
  Object.fromEntries(PRIORITIES.map((p, i) => [p, i])) as Record<PriorityName, number>,
);

/** Falco's priority parsing: case-insensitive names, `info` for Informational. */
export function parsePriority(text: string): PriorityName | undefined {
  const lower = text.toLowerCase();
  if (lower === "info") return "Informational";
  for (const p of PRIORITIES) if (p.toLowerCase() === lower) return p;
  return undefined;
}

const SEMVER_RE = /^[ \t\n\v\f\r]*([+-]?\d+)\.[ \t\n\v\f\r]*([+-]?\d+)\.[ \t\n\v\f\r]*([+-]?\d+)/;

function toUint32(digits: string): number {
  // sscanf("%u") wraps negative and oversized numbers modulo 2^32.
  const n = BigInt(digits);
  return Number(BigInt.asUintN(32, n));
}

/** libs' `sinsp_version` parsing: three dot-separated numbers; trailing text is ignored. */
export function parseSemver(text: string): EngineVersion | undefined {
  const m = SEMVER_RE.exec(text);
  if (!m) return undefined;
  return { major: toUint32(m[1]!), minor: toUint32(m[2]!), patch: toUint32(m[3]!) };
}

/** Falco's macro name check (RE2 full match of `[a-zA-Z]+[a-zA-Z0-9_]*`). */
export function isValidMacroName(name: string): boolean {
  return /^[a-zA-Z]+[a-zA-Z0-9_]*$/.test(name);
}

/** Falco's list name check (RE2 full match of `[^()"'[:space:]=,]+`). */
export function isValidListName(name: string): boolean {
  return /^[^()"'\t\n\v\f\r =,]+$/.test(name);
}

/** The pattern Falco prints in its invalid-macro-name warning. */
export const MACRO_NAME_PATTERN = "([a-zA-Z]+[a-zA-Z0-9_]*)";
/** The pattern Falco prints in its invalid-list-name warning. */
export const LIST_NAME_PATTERN = "([^()\"'[:space:]=,]+)";
