/**
 * Falco's location chains (`In rules content: ... rule 'x': ... rule condition: ...`) and the
 * sink that turns reader findings into {@link Diagnostic}s.
 */
import { FALCO_LOAD_CODES, type Diagnostic, type FalcoLocation, type OffsetRange } from "@falcokit/diagnostics";
import { isScalar, type Node as YamlNode } from "yaml";

/** Falco's item type names (`rule_loader::context::item_type`), as printed in load results. */
export const ItemType = {
  VALUE_FOR: "value for",
  EXCEPTIONS: "exceptions",
  EXCEPTION: "exception",
  EXCEPTION_VALUES: "exception values",
  EXCEPTION_VALUE: "exception value",
  RULES_CONTENT: "rules content",
  RULES_CONTENT_ITEM: "rules content item",
  REQUIRED_ENGINE_VERSION: "required_engine_version",
  REQUIRED_PLUGIN_VERSIONS: "required plugin versions",
  REQUIRED_PLUGIN_VERSIONS_ENTRY: "required plugin versions entry",
  REQUIRED_PLUGIN_VERSIONS_ALTERNATIVE: "required plugin versions alternative",
  LIST: "list",
  LIST_ITEM: "list item",
  MACRO: "macro",
  MACRO_CONDITION: "macro condition",
  RULE: "rule",
  RULE_CONDITION: "rule condition",
  CONDITION_EXPRESSION: "condition expression",
  RULE_OUTPUT: "rule output",
  RULE_OUTPUT_EXPRESSION: "rule output expression",
  RULE_PRIORITY: "rule priority",
  OVERRIDE: "overrides",
  EXTENSION_ITEM: "extension item",
} as const;

/** One link of a location chain; immutable, shared by the chains built on it. */
export class Ctx {
  constructor(
    readonly parent: Ctx | undefined,
    readonly itemType: string,
    readonly itemName: string,
    readonly offset: number,
  ) {}

  child(itemType: string, itemName: string, offset: number): Ctx {
    return new Ctx(this, itemType, itemName, offset);
  }

  /** The chain from the file down to this location. */
  locations(): FalcoLocation[] {
    const out: FalcoLocation[] = [];
    for (let c: Ctx | undefined = this; c; c = c.parent) {
      out.push({ itemType: c.itemType, itemName: c.itemName, offset: c.offset });
    }
    return out.reverse();
  }
}

/** The root of every chain: the file itself, at offset 0. */
export const ROOT_CTX = new Ctx(undefined, ItemType.RULES_CONTENT, "", 0);

export type FalcoLoadCode = keyof typeof FALCO_LOAD_CODES;

/** Collects diagnostics for one file. */
export class Sink {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly fileName: string | undefined) {}

  /** A diagnostic for one of Falco's load result codes. */
  load(code: FalcoLoadCode, message: string, range: OffsetRange, ctx: Ctx): Diagnostic {
    const d: Diagnostic = {
      code: `load/${code}`,
      severity: FALCO_LOAD_CODES[code]!.severity,
      message,
      range: { start: range.start, end: range.end },
      falco: { code, locations: ctx.locations() },
    };
    if (this.fileName !== undefined) d.file = this.fileName;
    this.diagnostics.push(d);
    return d;
  }

  /** A diagnostic with one of falcokit's own codes. */
  own(code: string, severity: Diagnostic["severity"], message: string, range: OffsetRange): Diagnostic {
    const d: Diagnostic = { code, severity, message, range: { start: range.start, end: range.end } };
    if (this.fileName !== undefined) d.file = this.fileName;
    this.diagnostics.push(d);
    return d;
  }
}

/** The source range of a node (value part, without tag or anchor). */
export function nodeRange(node: YamlNode | null | undefined, fallback: number): OffsetRange {
  const r = node?.range;
  return r ? { start: r[0], end: r[1] } : { start: fallback, end: fallback };
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * The offset yaml-cpp gives a node (its "mark"): where the node starts, tag and anchor
 * included; for an empty value, the next token after it. Like every offset in falcokit it
 * counts UTF-16 units; yaml-cpp counts UTF-8 bytes, which is the same on ASCII text.
 */
export function falcoMark(text: string, node: YamlNode | null | undefined, fallback: number): number {
  const r = node?.range;
  if (!r || !node) return fallback;
  let start = r[0];
  if (isScalar(node) && r[0] === r[1] && node.tag === undefined && node.anchor === undefined) {
    // An empty value: yaml-cpp marks the next token.
    let i = start;
    for (;;) {
      while (i < text.length && isSpace(text.charCodeAt(i))) i++;
      if (text[i] !== "#") break;
      while (i < text.length && text[i] !== "\n") i++;
    }
    return i;
  }
  // Walk back over up to two properties (a tag and an anchor) written before the value.
  let props = (node.tag !== undefined ? 1 : 0) + (node.anchor !== undefined ? 1 : 0);
  while (props > 0) {
    let i = start;
    while (i > 0 && isSpace(text.charCodeAt(i - 1))) i--;
    let j = i;
    while (j > 0 && !isSpace(text.charCodeAt(j - 1))) j--;
    const c = text[j];
    if (j === i || (c !== "!" && c !== "&")) break;
    start = j;
    props--;
  }
  return start;
}
