export type { ParamType, SockAddr, SockTuple, ParamValue, ScapEvent } from "./event.js";
export * from "./event-table.js";
export { ScapError } from "./errors.js";
export { ScapReader, readScap, readScapStream, isGzip, isScap } from "./reader.js";
export type { ScapReaderOptions, ScapReaderStats, ScapCapture } from "./reader.js";
export type { ConverterOptions } from "./converter.js";
export { ScapEventView, EMPTY_PARAM } from "./event-view.js";
export { blockTypeName } from "./blocks.js";
export { SCAP_FD_TYPES } from "./records.js";
export type {
  ScapRecord,
  EventRecord,
  MetadataRecord,
  SectionHeaderRecord,
  MachineInfoRecord,
  InterfaceListRecord,
  InterfaceAddress,
  UserListRecord,
  UserEntry,
  GroupEntry,
  ThreadRecord,
  FdRecord,
} from "./records.js";
export * from "./state/index.js";
