export type { Position, Range, OffsetRange } from "./position.js";
export { LineIndex, comparePositions } from "./position.js";
export type { Severity, Diagnostic, RelatedInformation, TextEdit, Fix, FalcoLocation } from "./diagnostic.js";
export { sortDiagnostics, hasErrors } from "./diagnostic.js";
export type { CodeInfo } from "./codes.js";
export { codes, codeInfo, FALCO_LOAD_CODES } from "./codes.js";
