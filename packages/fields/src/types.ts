import type { ResolveStrategy } from "./data/raw.js";

export type { ResolveStrategy } from "./data/raw.js";

/**
 * libs' parameter and field types (`ppm_param_type`), named as `param_type_to_string` prints
 * them (the `PT_` prefix dropped; `PT_DYN` prints as `DYNAMIC`).
 */
export type FieldType =
  | "NONE"
  | "INT8"
  | "INT16"
  | "INT32"
  | "INT64"
  | "UINT8"
  | "UINT16"
  | "UINT32"
  | "UINT64"
  | "CHARBUF"
  | "BYTEBUF"
  | "ERRNO"
  | "SOCKADDR"
  | "SOCKTUPLE"
  | "FD"
  | "PID"
  | "FDLIST"
  | "FSPATH"
  | "SYSCALLID"
  | "SIGTYPE"
  | "RELTIME"
  | "ABSTIME"
  | "PORT"
  | "L4PROTO"
  | "SOCKFAMILY"
  | "BOOL"
  | "IPV4ADDR"
  | "DYNAMIC"
  | "FLAGS8"
  | "FLAGS16"
  | "FLAGS32"
  | "UID"
  | "GID"
  | "DOUBLE"
  | "SIGSET"
  | "CHARBUFARRAY"
  | "CHARBUF_PAIR_ARRAY"
  | "IPV4NET"
  | "IPV6ADDR"
  | "IPV6NET"
  | "IPADDR"
  | "IPNET"
  | "MODE"
  | "FSRELPATH"
  | "ENUMFLAGS8"
  | "ENUMFLAGS16"
  | "ENUMFLAGS32"
  | "FD32"
  | "PID32";

/** The numeric `ppm_param_type` code of each type (libs prints it in a few error messages). */
export const FIELD_TYPE_CODES: Readonly<Record<FieldType, number>> = {
  NONE: 0,
  INT8: 1,
  INT16: 2,
  INT32: 3,
  INT64: 4,
  UINT8: 5,
  UINT16: 6,
  UINT32: 7,
  UINT64: 8,
  CHARBUF: 9,
  BYTEBUF: 10,
  ERRNO: 11,
  SOCKADDR: 12,
  SOCKTUPLE: 13,
  FD: 14,
  PID: 15,
  FDLIST: 16,
  FSPATH: 17,
  SYSCALLID: 18,
  SIGTYPE: 19,
  RELTIME: 20,
  ABSTIME: 21,
  PORT: 22,
  L4PROTO: 23,
  SOCKFAMILY: 24,
  BOOL: 25,
  IPV4ADDR: 26,
  DYNAMIC: 27,
  FLAGS8: 28,
  FLAGS16: 29,
  FLAGS32: 30,
  UID: 31,
  GID: 32,
  DOUBLE: 33,
  SIGSET: 34,
  CHARBUFARRAY: 35,
  CHARBUF_PAIR_ARRAY: 36,
  IPV4NET: 37,
  IPV6ADDR: 38,
  IPV6NET: 39,
  IPADDR: 40,
  IPNET: 41,
  MODE: 42,
  FSRELPATH: 43,
  ENUMFLAGS8: 44,
  ENUMFLAGS16: 45,
  ENUMFLAGS32: 46,
  FD32: 47,
  PID32: 48,
};

/** Whether a string names a field type. */
export function isFieldType(t: string): t is FieldType {
  return Object.prototype.hasOwnProperty.call(FIELD_TYPE_CODES, t);
}

/** What a field accepts as argument (libs' `EPF_ARG_*` flags). */
export interface FieldArgInfo {
  /** An argument must be given (EPF_ARG_REQUIRED). */
  required: boolean;
  /** An argument may be given (EPF_ARG_ALLOWED). Fields with a required argument may leave it unset. */
  allowed: boolean;
  /** The argument may be a number (EPF_ARG_INDEX). */
  index: boolean;
  /** The argument may be a string (EPF_ARG_KEY). */
  key: boolean;
}

/** One field of a source. */
export interface FieldInfo {
  name: string;
  type: FieldType;
  /** Extracts a list of values (EPF_IS_LIST). */
  isList: boolean;
  arg: FieldArgInfo;
  /** EPF_DEPRECATED. */
  deprecated: boolean;
  /** Never listed by `falco --list` (EPF_TABLE_ONLY, print-only fields, hidden classes). */
  hidden?: boolean;
  /** Cannot be printed in an output (EPF_FILTER_ONLY). */
  filterOnly?: boolean;
  /** Only meant to be printed (EPF_PRINT_ONLY); libs still resolves it in filters. */
  printOnly?: boolean;
  /** Cannot be compared with a right-hand field, nor be one (EPF_NO_RHS). */
  noRhs?: boolean;
  /** Takes no field transformer (EPF_NO_TRANSFORMER). */
  noTransformer?: boolean;
  /** A short description, falcokit's own words. */
  description: string;
  /** The field class (libs' `filter_check_info` name, `<plugin> (plugin)` for plugins). */
  className: string;
}

/** A field class: the unit libs resolves names in, in order. */
export interface FieldClass {
  name: string;
  shortDescription?: string;
  /** How libs matches a written name against this class's fields. */
  strategy: ResolveStrategy;
  /** The plugin that defines the class, for plugin classes. */
  plugin?: string;
  /** Never listed (libs' FL_HIDDEN). */
  hidden?: boolean;
  fields: readonly FieldInfo[];
}

/** A field name written in a condition or output, resolved the way libs resolves it. */
export interface ResolvedField {
  ok: true;
  /** The text libs resolved: the name, plus `[arg]` when an argument was written in brackets. */
  text: string;
  field: FieldInfo;
  /** The field's type as libs sees it (for `evt.rawarg.<p>`, the type of parameter `<p>`). */
  type: FieldType;
  isList: boolean;
  /**
   * The argument as libs understood it: the bracket text, or the dotted suffix of
   * `evt.arg.<p>`/`evt.rawarg.<p>` (the parameter name), `thread.cgroup.<c>` and `evt.type.is.<t>`.
   */
  argument?: string;
  /** The argument read as a number, when libs reads it as one. */
  argumentIndex?: number | bigint;
  /**
   * A stand-in check that takes any constant value unparsed and rejects right-hand fields (libs'
   * test doubles, such as the mock filterchecks of libs' compiler tests). Never set for real fields.
   */
  opaque?: boolean;
}

/** A name libs recognized but rejected with an error of its own while parsing it. */
export interface RejectedField {
  ok: false;
  text: string;
  /** libs' exception text, e.g. `unknown event argument foo`. */
  error: string;
  /** The field libs was parsing when it gave up, when there was one. */
  field?: FieldInfo;
}

/**
 * The answer of a lookup. `undefined` from `lookup` means libs finds no such field
 * (`filter_check called with nonexistent field <text>`).
 */
export type FieldMatch = ResolvedField | RejectedField;

/** The fields of one event source. */
export interface FieldCatalog {
  source: string;
  /** Every field, in resolution order. */
  readonly fields: readonly FieldInfo[];
  /** The classes, in resolution order (libs tries them in this order, the first claim wins). */
  readonly classes: readonly FieldClass[];
  /** Names of the plugins whose fields are in the catalog. */
  readonly plugins: readonly string[];
  /** Async event names of the plugins: extra accepted `evt.type` values. */
  readonly asyncEventNames: readonly string[];
  /**
   * Resolves a name as written in a filter: `fd.name`, `evt.arg.fd`, or a name with its bracket
   * argument, either as `lookup("proc.aname", "2")` or `lookup("proc.aname[2]")`.
   */
  lookup(name: string, arg?: string): FieldMatch | undefined;
  /** The field with exactly this name, without libs' prefix matching. */
  get(name: string): FieldInfo | undefined;
}
