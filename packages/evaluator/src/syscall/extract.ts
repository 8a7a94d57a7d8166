/**
 * Field extraction for the syscall source: every field of libs' syscall field classes and of the
 * container plugin, read from the state of an `EventContext` of `@falcokit/scap`'s Inspector.
 */
import type { EventContext } from "@falcokit/scap";
import type { Extracted, Scalar } from "../value.js";
import { extractEvtField, NOT_MINE as EVT } from "./evt-fields.js";
import { extractFdField, extractFdlistField, fdEndpointValues, NOT_MINE as FD } from "./fd-fields.js";
import type { SyscallExtractOptions } from "./options.js";
import { extractContainerField, extractFsPathField, extractUserGroupField, NOT_MINE as OTHER } from "./other-fields.js";
import { ancestorCompareValues, extractThreadField, NOT_MINE as THREAD } from "./thread-fields.js";

export type { SyscallExtractOptions } from "./options.js";

/**
 * The value of a field for an event, as libs extracts it. `name` is the field's catalog name
 * (`evt.arg`, `proc.aname`, `fd.types`...), `arg` its argument as written (`fd`, `0`, `2`,
 * `cpu`...). `undefined` when libs extracts nothing. Throws for a name no syscall class defines.
 *
 * The context refers to live state: extract before feeding the next event to the inspector.
 */
export function extractSyscallField(ctx: EventContext, name: string, arg?: string, options: SyscallExtractOptions = {}): Extracted {
  if (arg === undefined) [name, arg] = splitDotted(name);
  if (name === "util.cnt") return 1n;
  let v: Extracted | symbol = extractEvtField(ctx, name, arg, options);
  if (v !== EVT) return v as Extracted;
  v = extractThreadField(ctx, name, arg);
  if (v !== THREAD) return v as Extracted;
  v = extractFdField(ctx, name, arg);
  if (v !== FD) return v as Extracted;
  v = extractFdlistField(ctx, name);
  if (v !== FD) return v as Extracted;
  v = extractUserGroupField(ctx, name);
  if (v !== OTHER) return v as Extracted;
  v = extractFsPathField(ctx, name);
  if (v !== OTHER) return v as Extracted;
  v = extractContainerField(ctx, name, arg);
  if (v !== OTHER) return v as Extracted;
  // the other plugins of the syscall catalog extract nothing from a replayed capture: k8smeta needs
  // its collector, krsi its own events, json/jevt plugin events
  if (/^(k8smeta|krsi|json|jevt)\./.test(name)) return undefined;
  throw new Error(`falcokit: ${name} is no field of the syscall source`);
}

const DOTTED = ["evt.arg.", "evt.rawarg.", "evt.type.is.", "evt.abspath.", "thread.cgroup.", "container.label.", "k8s.pod.label."];

/** `evt.arg.fd` written as one name: the field and its argument. */
function splitDotted(name: string): [string, string | undefined] {
  for (const p of DOTTED) if (name.startsWith(p) && name.length > p.length) return [p.slice(0, -1), name.slice(p.length)];
  return [name, undefined];
}

/**
 * The fields libs compares in its own way instead of comparing the extracted value:
 * - the unindexed ancestor fields (`proc.aname`, `proc.aexe`, `proc.aexepath`, `proc.acmdline`,
 *   `proc.apid`, and `proc.aenv` without a variable name): the comparison holds when it holds for
 *   any parent of the process (from the parent up, the process itself excluded), whatever the
 *   operator (`!=` included);
 * - `fd.ip`, `fd.port`, `fd.proto` (a port) and `fd.net`: both ends of a socket (one address for a
 *   server socket); `=`, `in` and the order operators hold when they hold for either end, `!=` when it
 *   holds for both; `exists` holds for any event with an fd.
 * Returns undefined for every other field (compare `extractSyscallField`'s value).
 */
export interface SyscallCompareValues {
  readonly values: readonly Scalar[];
  /** `!=` must hold for every value (fd endpoints) rather than for any. */
  readonly neAll: boolean;
  /** What `exists` answers. */
  readonly exists: boolean;
}

export function syscallCompareValues(ctx: EventContext, name: string, arg?: string): SyscallCompareValues | undefined {
  if (arg === undefined) [name, arg] = splitDotted(name);
  const a = ancestorCompareValues(ctx, name, arg);
  if (a) return { values: a, neAll: false, exists: ctx.thread !== undefined };
  const f = fdEndpointValues(ctx, name);
  if (f) return { values: f.values, neAll: true, exists: f.exists };
  return undefined;
}

/*
 * Where shared/spec/scap-format.md §7-8 and libs 0.25.4 / the container plugin disagree, this
 * follows libs:
 * - fd.sip / fd.snet test the role first for every fd type: a server socket from the fd list (no
 *   role) has no fd.sip; only fd.sport gives a server socket's port without a role.
 * - evt.category: EC_IPC is "IPC" (upper case); the I/O categories narrowed by the fd give "ipc".
 * - §4 renderings: PT_UINT32 params are printed through %d (values >= 2^31 print negative),
 *   PT_UINT64 as int64; PF_HEX is upper-case without 0x; PF_OCT has a leading 0; PT_UID/PT_GID use
 *   %d; an fd of a thread-less event renders as its number only; ENUMFLAGS print every name equal
 *   to the value (`AF_LOCAL|AF_UNIX`).
 * - proc.apid without an index extracts the process's own pid, but compares against the parents'.
 * - proc.ppid.duration falls through to proc.fdopencount when the parent has no clone time.
 * - proc.aenv compares every parent's whole environment whenever no variable name is given.
 * - container.mounts is joined with "," (not spaces); container.mount[...] without a match gives
 *   nothing (not "none").
 * - user.shell of root without a user-list entry is "<NA>" (libs adds root as "root", "/root").
 */
