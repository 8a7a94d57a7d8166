import type { Diagnostic } from "@falcokit/diagnostics";
import type { FileArg } from "./files.js";
import type { Io } from "./io.js";

export type ReadResult =
  | { kind: "text"; text: string }
  | { kind: "unreadable" | "binary"; text: string; diagnostic: Diagnostic };

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Reads a rules file as UTF-8 text. A file that cannot be read, or that holds binary data
 * (a NUL byte or invalid UTF-8), gives a diagnostic instead of text.
 */
export function readRulesFile(file: FileArg, io: Io): ReadResult {
  let bytes: Uint8Array;
  try {
    bytes = io.readFile(file.path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : code === "EACCES" ? "permission denied" : (e as Error).message;
    return {
      kind: "unreadable",
      text: "",
      diagnostic: {
        code: "file/unreadable",
        severity: "error",
        message: `Could not open file ${file.display} for reading (${why})`,
        range: { start: 0, end: 0 },
        file: file.display,
        falco: { code: "LOAD_ERR_FILE_READ", locations: [] },
      },
    };
  }
  const nul = bytes.indexOf(0);
  let text: string | undefined;
  let badAt = nul;
  if (nul < 0) {
    try {
      text = decoder.decode(bytes);
    } catch {
      badAt = firstInvalidUtf8(bytes);
    }
  }
  if (text !== undefined) return { kind: "text", text };
  // Show what precedes the bad byte so the position means something.
  const shown = new TextDecoder("utf-8").decode(bytes.subarray(0, badAt));
  return {
    kind: "binary",
    text: shown,
    diagnostic: {
      code: "file/binary",
      severity: "error",
      message: nul >= 0 && badAt === nul ? `File holds binary data (a NUL byte at byte ${badAt}), not YAML text` : `File is not UTF-8 text (invalid byte at byte ${badAt})`,
      range: { start: shown.length, end: shown.length },
      file: file.display,
      falco: { code: "LOAD_ERR_YAML_PARSE", locations: [{ itemType: "rules content", itemName: "", offset: shown.length }] },
    },
  };
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  // The longest valid prefix, by bisection on whole-prefix validity.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}
