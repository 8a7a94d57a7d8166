import { FALCO_LOAD_CODES, LineIndex, type Diagnostic, type FalcoLocation, type OffsetRange } from "@falcokit/diagnostics";
import { libsPosition } from "@falcokit/condition";
import { ItemType, falcoMark, type RulesFile } from "@falcokit/rules-model";
import type { Node as YamlNode } from "yaml";
import type { TrackedText } from "./tracked.js";

export type FalcoCode = keyof typeof FALCO_LOAD_CODES;

/**
 * A place in Falco's terms: the file and exact range the problem is about, and Falco's
 * location chain (`In rules content … rule 'x' … rule condition …`).
 */
export interface Where {
  file: string;
  range: OffsetRange;
  locations: FalcoLocation[];
}

/** A Falco load error: stops the load of the current file in Falco. */
export class LoadError extends Error {
  constructor(
    readonly falcoCode: FalcoCode,
    message: string,
    readonly where: Where,
    /** falcokit's own code, when more precise than Falco's. */
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The loaded files, by name, for positions. */
export class Files {
  private readonly files = new Map<string, { file: RulesFile; index: LineIndex | undefined }>();

  add(name: string, file: RulesFile): void {
    this.files.set(name, { file, index: undefined });
  }

  get(name: string): RulesFile | undefined {
    return this.files.get(name)?.file;
  }

  lineIndex(name: string): LineIndex {
    const entry = this.files.get(name)!;
    entry.index ??= new LineIndex(entry.file.text);
    return entry.index;
  }

  /** yaml-cpp's mark of a node (where Falco says an item or value starts). */
  mark(name: string, node: YamlNode | null | undefined, fallback: number): number {
    return falcoMark(this.get(name)!.text, node, fallback);
  }
}

/** Extends a location chain by one step. */
export function child(parent: Where, itemType: string, itemName: string, offset: number, range?: OffsetRange): Where {
  return {
    file: parent.file,
    range: range ?? parent.range,
    locations: [...parent.locations, { itemType, itemName, offset }],
  };
}

/** The root of every chain. */
export function rootWhere(file: string): Where {
  return { file, range: { start: 0, end: 0 }, locations: [{ itemType: ItemType.RULES_CONTENT, itemName: "", offset: 0 }] };
}

/** Falco's label for a condition: its first 17 characters, quoted. */
function conditionLabel(condition: string): string {
  const short = condition.length > 20 ? `${condition.slice(0, 17)}..."` : `${condition}"`;
  return `"${short}`.replace(/[\r\n]/g, " ");
}

/**
 * A position inside a composed condition, as Falco reports it: a `condition expression`
 * location under `parent` whose numbers are the parent's YAML mark plus the parser's
 * 1-based line and column; and, for us, the exact file range the characters came from.
 */
export function inCondition(files: Files, parent: Where, condition: TrackedText, range: OffsetRange, libsOffset = range.start): Where {
  const last = parent.locations[parent.locations.length - 1]!;
  const markPos = files.lineIndex(parent.file).positionAt(last.offset);
  const p = libsPosition(condition.text, libsOffset);
  const located = condition.locate(clampToText(condition.text, range));
  const loc: FalcoLocation = {
    itemType: ItemType.CONDITION_EXPRESSION,
    itemName: "",
    offset: located?.range.start ?? last.offset,
    position: { name: conditionLabel(condition.text), line: p.line + markPos.line, column: p.col + markPos.character, offset: p.idx + last.offset },
    snippetText: condition.text,
  };
  return { file: located?.file ?? parent.file, range: located?.range ?? parent.range, locations: [...parent.locations, loc] };
}

/** Errors at the very end point at the last non-blank character, not past a trailing newline. */
function clampToText(text: string, range: OffsetRange): OffsetRange {
  const end = text.trimEnd().length;
  const start = Math.min(range.start, end);
  return { start, end: Math.max(start, Math.min(range.end, end)) };
}

/** A diagnostic for one of Falco's load results. */
export function falcoDiagnostic(code: FalcoCode, message: string, where: Where, ownCode?: string): Diagnostic {
  return {
    code: ownCode ?? `load/${code}`,
    severity: FALCO_LOAD_CODES[code]!.severity,
    message,
    range: where.range,
    file: where.file,
    falco: { code, locations: where.locations },
  };
}
