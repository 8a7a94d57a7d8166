/**
 * The event record as the reader hands it out: one syscall (or meta) event, already converted
 * to the current layout of its event code, with its parameters decoded lazily.
 *
 * This file is the contract between the reader (which produces events) and the thread/fd state
 * machine and the field extractors (which consume them). Change it only with both in view.
 */

/** libs' `ppm_param_type` names, as in the shared event table. */
export type ParamType =
  | "PT_NONE"
  | "PT_INT8"
  | "PT_INT16"
  | "PT_INT32"
  | "PT_INT64"
  | "PT_UINT8"
  | "PT_UINT16"
  | "PT_UINT32"
  | "PT_UINT64"
  | "PT_CHARBUF"
  | "PT_BYTEBUF"
  | "PT_ERRNO"
  | "PT_SOCKADDR"
  | "PT_SOCKTUPLE"
  | "PT_FD"
  | "PT_PID"
  | "PT_FDLIST"
  | "PT_FSPATH"
  | "PT_SYSCALLID"
  | "PT_SIGTYPE"
  | "PT_RELTIME"
  | "PT_ABSTIME"
  | "PT_PORT"
  | "PT_L4PROTO"
  | "PT_SOCKFAMILY"
  | "PT_BOOL"
  | "PT_IPV4ADDR"
  | "PT_DYN"
  | "PT_FLAGS8"
  | "PT_FLAGS16"
  | "PT_FLAGS32"
  | "PT_UID"
  | "PT_GID"
  | "PT_DOUBLE"
  | "PT_SIGSET"
  | "PT_CHARBUFARRAY"
  | "PT_CHARBUF_PAIR_ARRAY"
  | "PT_IPV4NET"
  | "PT_IPV6ADDR"
  | "PT_IPV6NET"
  | "PT_IPADDR"
  | "PT_IPNET"
  | "PT_MODE"
  | "PT_FSRELPATH"
  | "PT_ENUMFLAGS8"
  | "PT_ENUMFLAGS16"
  | "PT_ENUMFLAGS32"
  /** 32-bit fd and pid (libs >= 0.20, used by the iterator events); decoded as `int`. */
  | "PT_FD32"
  | "PT_PID32";

/** A socket address (`PT_SOCKADDR`), by family. */
export type SockAddr =
  | { family: "inet"; addr: Uint8Array /* 4 bytes */; port: number }
  | { family: "inet6"; addr: Uint8Array /* 16 bytes */; port: number }
  | { family: "unix"; path: string }
  | { family: "other"; code: number; bytes: Uint8Array };

/** A connection tuple (`PT_SOCKTUPLE`): source and destination, or a unix socket pair. */
export type SockTuple =
  | { family: "inet" | "inet6"; sip: Uint8Array; sport: number; dip: Uint8Array; dport: number }
  | { family: "unix"; source: bigint; dest: bigint; path: string }
  | { family: "other"; code: number; bytes: Uint8Array };

/**
 * A decoded parameter. Integer types of 64 bits (and every signed/unsigned integer, errno, fd,
 * pid, times, flags, uid/gid, mode, syscall ids) are `bigint` so no value loses precision;
 * `empty` is a zero-length parameter (libs' "empty param": a missing value).
 */
export type ParamValue =
  | { kind: "empty" }
  | { kind: "int"; value: bigint }
  | { kind: "double"; value: number }
  | { kind: "bool"; value: boolean }
  /** CHARBUF, FSPATH, FSRELPATH: the bytes up to the NUL, decoded as UTF-8 (and the bytes). */
  | { kind: "string"; value: string; bytes: Uint8Array }
  | { kind: "bytes"; value: Uint8Array }
  | { kind: "sockaddr"; value: SockAddr }
  | { kind: "socktuple"; value: SockTuple }
  | { kind: "fdlist"; value: { fd: bigint; flags: number }[] }
  /** CHARBUFARRAY (argv, env...). */
  | { kind: "strings"; value: string[] }
  /** CHARBUF_PAIR_ARRAY. */
  | { kind: "pairs"; value: [string, string][] }
  /** IPV4ADDR, IPV6ADDR, IPADDR: 4 or 16 bytes. */
  | { kind: "ip"; value: Uint8Array }
  | { kind: "net"; value: Uint8Array; prefix: number }
  /** PT_DYN: the index of the chosen layout and the value decoded with it. */
  | { kind: "dyn"; index: number; value: ParamValue };

/** One event, in the current layout of its code (old layouts converted as libscap does). */
export interface ScapEvent {
  /** Nanoseconds since the epoch. */
  readonly ts: bigint;
  /** The thread that produced it. */
  readonly tid: bigint;
  readonly cpu: number;
  /** `ppm_event_code`; even codes are enter events, odd codes exit events. */
  readonly type: number;
  /** EVF block flags (0 for blocks without flags). */
  readonly flags: number;
  /** Number of parameters in the current layout of `type`. */
  readonly nparams: number;
  /**
   * Number of parameters the record actually holds (libsinsp's `get_num_params()`), when fewer
   * than `nparams`: an event the converter does not manage keeps the params its writer emitted
   * (an old `setsockopt<` has none). The missing trailing ones read as empty, but libs neither
   * lists them (`evt.args`, `evt.arg[N]`, by name) nor finds a return value without any.
   * Undefined means all `nparams`.
   */
  readonly present?: number;
  /** Byte offset of the event's block in the (decompressed) stream, for diagnostics. */
  readonly offset: number;
  /** The raw bytes of parameter `i`, or undefined past the end; zero-length for empty params. */
  raw(i: number): Uint8Array | undefined;
  /** Parameter `i` decoded by its type in the event table. */
  param(i: number): ParamValue;
}
