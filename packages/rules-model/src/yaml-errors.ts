/**
 * YAML syntax errors as Falco reports them. Falco's messages come from yaml-cpp; where the
 * `yaml` package's error corresponds to a known yaml-cpp error at a known position, the
 * message is yaml-cpp's (`yaml-cpp: error at line L, column C: <what>`). Other errors keep
 * the `yaml` package's message.
 */
import type { OffsetRange } from "@falcokit/diagnostics";
import type { YAMLError } from "yaml";

export interface YamlErrorReport {
  message: string;
  range: OffsetRange;
  /** Where yaml-cpp would put its mark. */
  offset: number;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart };
}

function yamlCpp(text: string, offset: number, what: string): YamlErrorReport {
  const { line, column } = lineColumn(text, offset);
  return {
    message: `yaml-cpp: error at line ${line + 1}, column ${column + 1}: ${what}`,
    range: { start: offset, end: Math.min(offset + 1, text.length) },
    offset,
  };
}

/** The next `:` at or after `from` that is a map value indicator (followed by a blank or the end of a line). */
function nextValueIndicator(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] !== ":") continue;
    const next = text[i + 1];
    if (next === undefined || next === " " || next === "\t" || next === "\n" || next === "\r") return i;
  }
  return -1;
}

/** Describes one `yaml` parse error for a Falco-style diagnostic. */
export function describeYamlError(text: string, error: YAMLError): YamlErrorReport {
  const start = Math.min(Math.max(0, error.pos[0]), text.length);
  const end = Math.min(Math.max(start, error.pos[1]), text.length);
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  if (text[lineStart] === "\t" && (error.code === "UNEXPECTED_TOKEN" || error.code === "TAB_AS_INDENT")) {
    return yamlCpp(text, lineStart, "illegal tab when looking for indentation");
  }
  switch (error.code) {
    case "BLOCK_AS_IMPLICIT_KEY":
      if (error.message.startsWith("Nested mappings")) {
        const colon = nextValueIndicator(text, start);
        if (colon >= 0) return yamlCpp(text, colon, "illegal map value");
      }
      break;
    case "BAD_SCALAR_START":
      if (error.message.includes("reserved character")) return yamlCpp(text, start, "unknown token");
      break;
    case "BAD_INDENT":
      if (error.message.startsWith("All sequence items must start at the same column")) {
        return yamlCpp(text, start, "end of sequence not found");
      }
      break;
    case "UNEXPECTED_TOKEN":
      if (error.message === "Unexpected scalar at node end") return yamlCpp(text, start, "unexpected scalar");
      break;
  }
  return { message: error.message, range: { start, end }, offset: start };
}

/**
 * An upper bound on how deeply collections nest in `text`, from a quick scan: flow brackets
 * plus indentation levels plus compact `- ` entries. Used to refuse inputs that would drive the
 * YAML composer (which recurses) into stack exhaustion. Returns the bound and where it peaked.
 */
export function nestingBound(text: string): { depth: number; offset: number } {
  let flow = 0;
  let maxFlow = 0;
  let maxFlowAt = 0;
  let maxBlock = 0;
  let maxBlockAt = 0;
  const indents: number[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    // One line.
    const lineStart = i;
    let indent = 0;
    while (i < n && text.charCodeAt(i) === 32) {
      indent++;
      i++;
    }
    let c = text.charCodeAt(i);
    if (i < n && c !== 10 && c !== 13 && c !== 35 /* # */) {
      while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
      indents.push(indent);
      let compact = 0;
      while (i < n && (text[i] === "-" || text[i] === "?") && (text[i + 1] === " " || text[i + 1] === "\t")) {
        compact++;
        i += 2;
        while (i < n && (text[i] === " " || text[i] === "\t")) i++;
      }
      const depth = indents.length + compact + 1;
      if (depth > maxBlock) {
        maxBlock = depth;
        maxBlockAt = lineStart + indent;
      }
    }
    // Rest of the line: count flow brackets outside comments.
    let prevBlank = true;
    while (i < n && (c = text.charCodeAt(i)) !== 10) {
      if (c === 35 && prevBlank) {
        while (i < n && text.charCodeAt(i) !== 10) i++;
        break;
      }
      if (c === 91 || c === 123) {
        if (++flow > maxFlow) {
          maxFlow = flow;
          maxFlowAt = i;
        }
      } else if ((c === 93 || c === 125) && flow > 0) {
        flow--;
      }
      prevBlank = c === 32 || c === 9;
      i++;
    }
    i++;
  }
  return { depth: maxBlock + maxFlow, offset: maxFlow > maxBlock ? maxFlowAt : maxBlockAt };
}
