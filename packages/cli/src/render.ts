import type { Diagnostic, LineIndex, Severity } from "@falcokit/diagnostics";

const colors = {
  error: "\x1b[31m",
  warning: "\x1b[33m",
  info: "\x1b[36m",
  hint: "\x1b[2m",
  dim: "\x1b[2m",
  bold: "\x1b[1m",
  reset: "\x1b[0m",
} as const;

export interface RenderOptions {
  color: boolean;
}

/** Longest source line shown whole; longer ones are cut to a window around the caret. */
const MAX_LINE = 160;

function paint(on: boolean, style: keyof typeof colors, text: string): string {
  return on ? `${colors[style]}${text}${colors.reset}` : text;
}

/** Expands tabs for display so that the caret lines up (a tab counts as one column in positions). */
function visible(line: string): string {
  return line.replace(/\t/g, " ");
}

/**
 * One diagnostic as text: `file:line:col: severity: message [code]`, then the source line with
 * a caret under the range (one line; a range spanning lines is marked to the line's end).
 */
export function renderDiagnostic(d: Diagnostic, file: string, index: LineIndex, options: RenderOptions): string {
  const start = index.positionAt(d.range.start);
  const end = index.positionAt(Math.max(d.range.end, d.range.start));
  const severity: Severity = d.severity;
  let out = `${paint(options.color, "bold", `${file}:${start.line + 1}:${start.character + 1}`)}: ${paint(options.color, severity, severity)}: ${d.message} ${paint(options.color, "dim", `[${d.code}]`)}\n`;
  if (index.text.length === 0) return out;
  let lineText = index.lineText(start.line);
  let column = start.character;
  const endChar = end.line === start.line ? end.character : lineText.length;
  let width = Math.max(1, endChar - start.character);
  if (lineText.length > MAX_LINE) {
    // Show a window of the line around the start of the range.
    const from = Math.max(0, column - MAX_LINE / 2);
    const to = Math.min(lineText.length, from + MAX_LINE);
    lineText = (from > 0 ? "…" : "") + lineText.slice(from, to) + (to < lineText.length ? "…" : "");
    column = column - from + (from > 0 ? 1 : 0);
    width = Math.min(width, to - start.character);
  }
  const gutter = String(start.line + 1);
  out += `${paint(options.color, "dim", `${gutter} |`)} ${visible(lineText)}\n`;
  out += `${paint(options.color, "dim", `${" ".repeat(gutter.length)} |`)} ${" ".repeat(column)}${paint(options.color, severity, "^".repeat(Math.max(1, width)))}\n`;
  return out;
}
