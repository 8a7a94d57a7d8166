import type { OffsetRange } from "./position.js";

export type Severity = "error" | "warning" | "info" | "hint";

/** Replace the text in `range` (offsets into the original text) with `newText`. */
export interface TextEdit {
  range: OffsetRange;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface RelatedInformation {
  message: string;
  range: OffsetRange;
  /** The file the related range belongs to, when it is not the diagnostic's own file. */
  file?: string;
}

/**
 * One step of Falco's location chain (`In rule 'x': (file:line:col)`), kept so that the
 * JSON output can reproduce `falco -V --json` exactly. `offset` is a file offset.
 */
export interface FalcoLocation {
  itemType: string;
  itemName: string;
  offset: number;
  /**
   * Falco's own position when it is not simply `offset` in the file: for a condition
   * expression Falco names the position after the condition text and adds the parser's
   * 1-based line and column to the YAML mark's 0-based ones.
   */
  position?: { name: string; line: number; column: number; offset: number };
  /** The text Falco cuts its snippet from when it is not the file (a condition expression). */
  snippetText?: string;
}

/**
 * The one diagnostic shape used everywhere in falcokit. `range` holds offsets into the text
 * of `file` (or into the text given to the API that produced it, when `file` is absent).
 */
export interface Diagnostic {
  /** A stable code such as `parse/unexpected-token` or `load/LOAD_ERR_COMPILE_CONDITION`. */
  code: string;
  severity: Severity;
  message: string;
  range: OffsetRange;
  file?: string;
  related?: RelatedInformation[];
  fix?: Fix;
  /** Falco's location chain, for diagnostics that correspond to a Falco load result. */
  falco?: { code: string; locations: FalcoLocation[] };
}

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** Sorts by file, then start offset, then severity; stable for equal keys. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.file ?? "").localeCompare(b.file ?? "") ||
      a.range.start - b.range.start ||
      severityRank[a.severity] - severityRank[b.severity],
  );
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}
