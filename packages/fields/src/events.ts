/**
 * The libs 0.25.4 event table and the name/code mappings libsinsp uses for `evt.type` and
 * `syscall.type` values and for event-type indexing (`libsinsp::events::*`).
 *
 * Two code spaces exist side by side:
 * - **event codes** (`ppm_event_code`, `PPME_*`): every enter/exit event, old versions, unused
 *   placeholders (named `NA`), meta events (`container`, `asyncevent`, ...), the plugin event;
 * - **ppm_sc codes** (`ppm_sc_code`, `PPM_SC_*`): syscalls and a few tracepoints, by their Linux
 *   names. Syscalls without a dedicated event are carried by the two generic events (`syscall`).
 *
 * Code sets are plain sorted arrays of numbers; `codeUnion`, `codeIntersection` and
 * `codeDifference` combine them.
 */
import { EVENT_ROWS, PPM_EVENT_MAX, PPM_SC_MAX, SC_NAMES } from "./event-table.js";

export { PPM_EVENT_MAX, PPM_SC_MAX };

/** libs' `ppm_event_category` bits. The low bits (below `SYSCALL`) are the syscall category. */
export const EventCategory = {
  UNKNOWN: 0,
  OTHER: 1,
  FILE: 2,
  NET: 3,
  IPC: 4,
  MEMORY: 5,
  PROCESS: 6,
  SLEEP: 7,
  SYSTEM: 8,
  SIGNAL: 9,
  USER: 10,
  TIME: 11,
  PROCESSING: 12,
  IO_READ: 32,
  IO_WRITE: 33,
  IO_OTHER: 34,
  WAIT: 64,
  SCHEDULER: 128,
  INTERNAL: 256,
  SYSCALL: 512,
  TRACEPOINT: 1024,
  PLUGIN: 2048,
  METAEVENT: 4096,
  ITER: 8192,
} as const;

/** libs' `ppm_event_flags` bits. */
export const EventFlag = {
  CREATES_FD: 1,
  DESTROYS_FD: 2,
  USES_FD: 4,
  READS_FROM_FD: 8,
  WRITES_TO_FD: 16,
  MODIFIES_STATE: 32,
  UNUSED: 64,
  WAITS: 128,
  SKIPPARSERESET: 256,
  OLD_VERSION: 512,
  LARGE_PAYLOAD: 2048,
  CONVERTER_MANAGED: 4096,
} as const;

/** One row of the event table. */
export interface EventInfo {
  /** The `ppm_event_code`. Even codes are enter events, odd codes exit events. */
  readonly code: number;
  /** The C enumerator, e.g. `PPME_SYSCALL_OPENAT_2_E`. */
  readonly enumName: string;
  /** The name `evt.type` reports, e.g. `openat` (shared by all versions of an event). */
  readonly name: string;
  readonly direction: "enter" | "exit";
  /** Raw `ppm_event_category` mask (see `EventCategory`). */
  readonly category: number;
  /** Raw `ppm_event_flags` mask (see `EventFlag`). */
  readonly flags: number;
  /** The ppm_sc codes this event stands for (libscap's events-to-syscalls map). */
  readonly scCodes: readonly number[];
}

const SYSCALL_CATEGORY_MASK = EventCategory.SYSCALL - 1;

/** The whole event table, indexed by event code. */
export const EVENT_TABLE: readonly EventInfo[] = EVENT_ROWS.trim()
  .split("\n")
  .map((row, code): EventInfo => {
    const [enumName, name, category, flags, sc] = row.split(" ") as [string, string, string, string, string];
    return Object.freeze({
      code,
      enumName: `PPME_${enumName}`,
      name,
      direction: code % 2 === 0 ? "enter" : "exit",
      category: Number(category),
      flags: Number(flags),
      scCodes: Object.freeze(sc === "-" ? [] : sc.split(",").map(Number)),
    });
  });

/** ppm_sc names by code; `""` for a code that libs leaves unnamed. */
const SC_NAME_BY_CODE: readonly string[] = SC_NAMES.trim()
  .split(/\s+/)
  .map((n) => (n === "-" ? "" : n));

if (EVENT_TABLE.length !== PPM_EVENT_MAX || SC_NAME_BY_CODE.length !== PPM_SC_MAX) {
  throw new Error("falcokit: the generated event table is inconsistent");
}

function codeOf(enumName: string): number {
  const e = EVENT_TABLE.find((x) => x.enumName === enumName);
  if (!e) throw new Error(`falcokit: ${enumName} missing from the event table`);
  return e.code;
}

/** `PPME_GENERIC_E`: the enter event of every syscall without a dedicated event. */
export const GENERIC_E = codeOf("PPME_GENERIC_E");
/** `PPME_GENERIC_X`. */
export const GENERIC_X = codeOf("PPME_GENERIC_X");
/** `PPME_PLUGINEVENT_E`: the event of every plugin event source. */
export const PLUGINEVENT_E = codeOf("PPME_PLUGINEVENT_E");
/** `PPME_ASYNCEVENT_E`: the meta event carrying asynchronous events (plugins, container engine). */
export const ASYNCEVENT_E = codeOf("PPME_ASYNCEVENT_E");
/** `PPM_SC_UNKNOWN`. */
export const SC_UNKNOWN = 0;

const isCode = (code: number): boolean => Number.isInteger(code) && code >= 0 && code < PPM_EVENT_MAX;

/** The table row of an event code, or undefined outside `0 .. PPM_EVENT_MAX - 1`. */
export function eventInfo(code: number): EventInfo | undefined {
  return isCode(code) ? EVENT_TABLE[code] : undefined;
}

/** The name of an event code (`evt.type`); throws a RangeError for a code outside the table. */
export function eventName(code: number): string {
  const e = eventInfo(code);
  if (!e) throw new RangeError(`not an event code: ${code}`);
  return e.name;
}

const flagged = (code: number, flag: number): boolean => ((eventInfo(code)?.flags ?? 0) & flag) !== 0;
const categorized = (code: number, cat: number): boolean => ((eventInfo(code)?.category ?? 0) & cat) !== 0;

/** True for the two generic events (`syscall`). */
export const isGenericEvent = (code: number): boolean => code === GENERIC_E || code === GENERIC_X;
/** True for placeholder events (`EF_UNUSED`, named `NA`). */
export const isUnusedEvent = (code: number): boolean => flagged(code, EventFlag.UNUSED);
/** True for superseded event versions (`EF_OLD_VERSION`). */
export const isOldVersionEvent = (code: number): boolean => flagged(code, EventFlag.OLD_VERSION);
/** True for events flagged `EF_SKIPPARSERESET`. */
export const isSkipParseResetEvent = (code: number): boolean => flagged(code, EventFlag.SKIPPARSERESET);
/** True for syscall events (`EC_SYSCALL`). */
export const isSyscallEvent = (code: number): boolean => categorized(code, EventCategory.SYSCALL);
/** True for tracepoint events (`EC_TRACEPOINT`). */
export const isTracepointEvent = (code: number): boolean => categorized(code, EventCategory.TRACEPOINT);
/** True for meta events (`EC_METAEVENT`), e.g. `container`, `asyncevent`. */
export const isMetaEvent = (code: number): boolean => categorized(code, EventCategory.METAEVENT);
/** True for the plugin event (`EC_PLUGIN`). */
export const isPluginEvent = (code: number): boolean => categorized(code, EventCategory.PLUGIN);
/** True for BPF iterator events (`EC_ITER`). */
export const isIterEvent = (code: number): boolean => categorized(code, EventCategory.ITER);
/** True when the category is exactly `EC_UNKNOWN` (the unused exit halves). */
export const isUnknownEvent = (code: number): boolean => isCode(code) && EVENT_TABLE[code]!.category === EventCategory.UNKNOWN;
/** The syscall category of an event (`category & (EC_SYSCALL - 1)`), what `evt.category` starts from. */
export const syscallCategory = (code: number): number => (eventInfo(code)?.category ?? 0) & SYSCALL_CATEGORY_MASK;

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Every event code: libs' `all_event_set()` (what a condition without evt.type checks matches). */
export const ALL_EVENT_CODES: readonly number[] = Object.freeze(range(PPM_EVENT_MAX));

/** Every named ppm_sc code but `unknown`: libs' `all_sc_set()`. */
export const ALL_SC_CODES: readonly number[] = Object.freeze(range(PPM_SC_MAX).filter((c) => c !== SC_UNKNOWN && SC_NAME_BY_CODE[c] !== ""));

/** The name of a ppm_sc code (lower case, e.g. `openat`, `sched_process_exit`); `""` when unnamed. */
export function scName(sc: number): string {
  return Number.isInteger(sc) && sc >= 0 && sc < PPM_SC_MAX ? SC_NAME_BY_CODE[sc]! : "";
}

/** The ppm_sc code of a name, as `scap_ppm_sc_from_name` (undefined where libs says `PPM_SC_UNKNOWN`). */
export function scCodeForName(name: string): number | undefined {
  if (name === "") return undefined;
  const i = SC_NAME_BY_CODE.indexOf(name);
  return i > SC_UNKNOWN ? i : undefined;
}

/** Every ppm_sc name in code order (unnamed codes left out). */
export const SC_NAME_LIST: readonly string[] = Object.freeze(SC_NAME_BY_CODE.filter((n) => n !== ""));

// --- code sets ---------------------------------------------------------------------------------

/** A set of codes from any iterable, as a sorted array without duplicates. */
export function codeSet(codes: Iterable<number>): number[] {
  return [...new Set(codes)].sort((a, b) => a - b);
}

/** `a ∪ b` of two sorted code sets. */
export function codeUnion(a: readonly number[], b: readonly number[]): number[] {
  return codeSet([...a, ...b]);
}

/** `a ∩ b` of two sorted code sets. */
export function codeIntersection(a: readonly number[], b: readonly number[]): number[] {
  const inB = new Set(b);
  return a.filter((c) => inB.has(c));
}

/** `a \ b` of two sorted code sets. */
export function codeDifference(a: readonly number[], b: readonly number[]): number[] {
  const inB = new Set(b);
  return a.filter((c) => !inB.has(c));
}

// --- names and codes -------------------------------------------------------------------------

/** Options of the name lookups. */
export interface EventNameOptions {
  /**
   * Names of the asynchronous events declared by loaded plugins (`get_async_events`). libsinsp
   * accepts them as `evt.type` values and maps them to `asyncevent`. None by default.
   */
  asyncEventNames?: Iterable<string>;
}

const asyncNames = (options?: EventNameOptions): ReadonlySet<string> => new Set(options?.asyncEventNames ?? []);

const NAMED_EVENTS = new Set(EVENT_TABLE.map((e) => e.name));
const SC_NAME_SET = new Set(SC_NAME_BY_CODE);

/**
 * Whether libsinsp accepts `evt.type = <name>` without `unknown event type <name>`: the name of
 * any event code (`NA` and the generic `syscall` included), of any ppm_sc code (`unknown`, and
 * the empty string, which names an unused ppm_sc slot, included), or of a plugin async event.
 * Case-sensitive. `syscall.type` values are not validated by libs at all.
 */
export function isKnownEventName(name: string, options?: EventNameOptions): boolean {
  return NAMED_EVENTS.has(name) || SC_NAME_SET.has(name) || asyncNames(options).has(name);
}

/**
 * libs' `names_to_event_set`: the event codes matched by `evt.type` values.
 * - A name matches every event code from 2 on that carries it (all versions, enter and exit).
 *   The generic events 0/1 are never matched by their name `syscall`.
 * - A plugin async event name adds `asyncevent`.
 * - If any name is left unmatched and some left-over name is a ppm_sc name (e.g. `syncfs`, but
 *   also `pread64` or `unknown`), both generic events are added.
 */
export function eventNamesToCodes(names: Iterable<string>, options?: EventNameOptions): number[] {
  const wanted = new Set(names);
  const left = new Set(wanted);
  const out = new Set<number>();
  for (const e of EVENT_TABLE) {
    if (e.code >= 2 && wanted.has(e.name)) {
      out.add(e.code);
      left.delete(e.name);
    }
  }
  for (const n of asyncNames(options)) {
    if (wanted.has(n)) {
      out.add(ASYNCEVENT_E);
      left.delete(n);
    }
  }
  if (left.size > 0 && SC_NAME_BY_CODE.some((n) => left.has(n))) {
    out.add(GENERIC_E);
    out.add(GENERIC_X);
  }
  return codeSet(out);
}

/** The event codes of one `evt.type` value (see `eventNamesToCodes`). */
export function eventCodesForName(name: string, options?: EventNameOptions): readonly number[] {
  return eventNamesToCodes([name], options);
}

/** libs' `event_set_to_sc_set`: every ppm_sc code the events stand for. */
export function eventCodesToScCodes(codes: Iterable<number>): number[] {
  const out = new Set<number>();
  for (const c of codes) for (const sc of eventInfo(c)?.scCodes ?? []) out.add(sc);
  return codeSet(out);
}

/** libs' `sc_set_to_event_set`: every event code standing for one of the ppm_sc codes. */
export function scCodesToEventCodes(scCodes: Iterable<number>): number[] {
  const wanted = new Set(scCodes);
  return EVENT_TABLE.filter((e) => e.scCodes.some((sc) => wanted.has(sc))).map((e) => e.code);
}

/**
 * libs' `event_names_to_sc_set`: the ppm_sc codes matched by `evt.type` values. Names are mapped
 * to events and the events to syscalls, except that generic events contribute only the
 * syscalls whose names were given.
 */
export function eventNamesToScCodes(names: Iterable<string>, options?: EventNameOptions): number[] {
  const wanted = new Set(names);
  const events = eventNamesToCodes(wanted, options);
  const specific = events.filter((c) => !isGenericEvent(c));
  const out = new Set(eventCodesToScCodes(specific));
  if (specific.length !== events.length) {
    for (const sc of eventCodesToScCodes([GENERIC_E, GENERIC_X])) if (wanted.has(scName(sc))) out.add(sc);
  }
  return codeSet(out);
}

/** libs' `sc_set_to_sc_names`, sorted: the names of the (named) ppm_sc codes. */
export function scCodesToNames(scCodes: Iterable<number>): string[] {
  return [...new Set([...scCodes].map(scName).filter((n) => n !== ""))].sort();
}

/**
 * libs' `event_set_to_names`, sorted. A generic event contributes nothing, or, with
 * `resolveGeneric` (libs' default), the names of all generic syscalls.
 */
export function eventCodesToNames(codes: Iterable<number>, resolveGeneric = true): string[] {
  const out = new Set<string>();
  for (const c of codes) {
    if (isGenericEvent(c)) {
      if (resolveGeneric) for (const n of scCodesToNames(eventCodesToScCodes([GENERIC_E, GENERIC_X]))) if (n !== "unknown") out.add(n);
    } else {
      const e = eventInfo(c);
      if (e) out.add(e.name);
    }
  }
  return [...out].sort();
}

/**
 * libs' `sc_set_to_event_names`, sorted: the names of the non-generic events of the syscalls,
 * plus the names of the syscalls no such event stands for (generic syscalls, for instance).
 */
export function scCodesToEventNames(scCodes: Iterable<number>): string[] {
  const scs = codeSet(scCodes);
  const events = scCodesToEventCodes(scs).filter((c) => !isGenericEvent(c));
  const covered = eventCodesToScCodes(events);
  return [...new Set([...eventCodesToNames(events), ...scCodesToNames(codeDifference(scs, covered))])].sort();
}
