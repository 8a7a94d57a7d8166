import { FALCO_LOAD_CODES, LineIndex, type Diagnostic, type FalcoLocation } from "@falcokit/diagnostics";

/**
 * Falco's `-V --json` shape for load results (`falco_load_results`), with falcokit's own
 * additions under a `falcokit` key: our diagnostic code, severity and the exact range.
 */

export interface FalcoPosition {
  name: string;
  line: number;
  column: number;
  offset: number;
}

export interface FalcoEntry {
  context: { locations: { item_type: string; item_name: string; position: FalcoPosition }[]; snippet: string };
  code: string;
  codedesc: string;
  message: string;
  falcokit: {
    code: string;
    severity: string;
    /** The file the range is in (a problem found while loading one file may be in an earlier one). */
    file: string;
    range: { start: { line: number; column: number; offset: number }; end: { line: number; column: number; offset: number } };
  };
}

export interface FalcoFileResult {
  name: string;
  successful: boolean;
  schema_valid: boolean;
  schema_warnings: string[];
  errors: FalcoEntry[];
  warnings: FalcoEntry[];
}

const SNIPPET_WIDTH = 160;

/** Falco's snippet: the line holding `pos` (capped to 80 characters each way) and a caret line. */
export function falcoSnippet(content: string, position: number): string {
  if (content.length === 0) return "<No context available>\n";
  let pos = position;
  while (pos > 0 && (pos >= content.length || content[pos] === "\n")) pos--;
  const half = SNIPPET_WIDTH / 2;
  let from = pos;
  while (from > 0 && content[from] !== "\n" && pos - from < half) from--;
  let to = pos;
  while (to < content.length - 1 && content[to] !== "\n" && to - pos < half) to++;
  if (from < content.length && content[from] === "\n") from++;
  if (to < content.length && content[to] === "\n") to--;
  let ret = content.slice(from, to + 1);
  if (ret.length === 0) return "<No context available>\n";
  if (pos - from >= half) ret = "..." + ret.slice(3);
  if (to - pos >= half) ret = ret.slice(0, -3) + "...";
  ret += "\n";
  if (pos - from <= ret.length - 1) ret += " ".repeat(pos - from) + "^\n";
  return ret;
}

/** The Falco load code for a falcokit diagnostic that carries none of its own. */
function fallbackCode(d: Diagnostic): string {
  if (d.code.startsWith("load/")) return d.code.slice(5);
  if (d.code.startsWith("parse/")) return "LOAD_ERR_COMPILE_CONDITION";
  if (d.code.startsWith("output/")) return "LOAD_ERR_COMPILE_OUTPUT";
  if (d.code === "file/unreadable") return "LOAD_ERR_FILE_READ";
  return d.severity === "error" ? "LOAD_ERR_YAML_PARSE" : "LOAD_UNKNOWN_ITEM";
}

/** Texts of the loaded files by name, with their line indexes (built on demand). */
export class FileTexts {
  private readonly indexes = new Map<string, LineIndex>();
  constructor(private readonly texts: ReadonlyMap<string, string>) {}

  index(name: string): LineIndex {
    let i = this.indexes.get(name);
    if (!i) {
      i = new LineIndex(this.texts.get(name) ?? "");
      this.indexes.set(name, i);
    }
    return i;
  }
}

export function falcoEntry(d: Diagnostic, resultName: string, texts: FileTexts): FalcoEntry {
  const code = d.falco?.code ?? fallbackCode(d);
  const info = FALCO_LOAD_CODES[code];
  const isError = d.severity === "error";
  const file = d.file ?? resultName;
  const index = texts.index(file);
  const locations: FalcoLocation[] = d.falco?.locations.length
    ? d.falco.locations
    : [{ itemType: "rules content", itemName: "", offset: 0 }];
  const jsonLocations = locations.map((l) => {
    const p = index.positionAt(l.offset);
    return {
      item_type: l.itemType,
      item_name: l.itemName,
      position: l.position ?? { name: file, line: p.line, column: p.character, offset: l.offset },
    };
  });
  const last = locations[locations.length - 1]!;
  const lastPosition = jsonLocations[jsonLocations.length - 1]!.position;
  const snippet = falcoSnippet(last.snippetText ?? index.text, lastPosition.offset);
  const start = index.positionAt(d.range.start);
  const end = index.positionAt(d.range.end);
  return {
    context: { locations: jsonLocations, snippet },
    code,
    codedesc: info ? (isError ? info.short : info.codedesc) : "",
    message: d.message,
    falcokit: {
      code: d.code,
      severity: d.severity,
      file,
      range: {
        start: { line: start.line + 1, column: start.character + 1, offset: d.range.start },
        end: { line: end.line + 1, column: end.character + 1, offset: d.range.end },
      },
    },
  };
}

export function falcoFileResult(name: string, texts: FileTexts, diagnostics: readonly Diagnostic[], schema: readonly Diagnostic[]): FalcoFileResult {
  return {
    name,
    successful: !diagnostics.some((d) => d.severity === "error"),
    schema_valid: schema.length === 0,
    schema_warnings: schema.map((d) => d.message),
    errors: diagnostics.filter((d) => d.severity === "error").map((d) => falcoEntry(d, name, texts)),
    warnings: diagnostics.filter((d) => d.severity !== "error").map((d) => falcoEntry(d, name, texts)),
  };
}
