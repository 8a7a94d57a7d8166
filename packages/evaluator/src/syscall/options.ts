import type { Inspector } from "@falcokit/scap";

/** Options of the syscall field extraction. */
export interface SyscallExtractOptions {
  /**
   * The local time zone's offset from UTC in seconds: libs renders `evt.time`, `evt.datetime` and
   * ABSTIME params in local time (`gmt2local`). Default 0 (UTC), for deterministic output.
   */
  utcOffsetSeconds?: number;
}

const states = new WeakMap<Inspector, Map<string, Map<string, unknown>>>();

/**
 * State some libs filterchecks keep between events (`evt.deltatime`, `thread.exectime`,
 * `thread.cpu`...). libs keeps it per check instance; here per inspector and field name.
 */
export function fieldState(insp: Inspector, field: string): Map<string, unknown> {
  let m = states.get(insp);
  if (!m) states.set(insp, (m = new Map()));
  let s = m.get(field);
  if (!s) m.set(field, (s = new Map()));
  return s;
}
