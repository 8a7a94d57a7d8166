export { extractSyscallField, syscallCompareValues } from "./extract.js";
export type { SyscallExtractOptions, SyscallCompareValues } from "./extract.js";
export { renderParam, renderParamValue, errnoName, bytesToDots, formatG } from "./render.js";
export type { Rendered, RenderOptions } from "./render.js";
export { eventTypeName } from "./evt-fields.js";
export { capsToString } from "./thread-fields.js";
