// Per-code lookup arrays derived once from the generated event table, for the hot paths.
import { EVENTS, PARAM_TYPES, PPM_EVENT_MAX, EVENT_FLAGS } from "./event-table.js";

/** `ppm_param_type` codes (driver/ppm_events_public.h). */
export const PT = {
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
  DYN: 27,
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
} as const;

export const EF_UNUSED = EVENT_FLAGS.EF_UNUSED;
export const EF_OLD_VERSION = EVENT_FLAGS.EF_OLD_VERSION;
export const EF_LARGE_PAYLOAD = EVENT_FLAGS.EF_LARGE_PAYLOAD;
export const EF_CONVERTER_MANAGED = EVENT_FLAGS.EF_CONVERTER_MANAGED;

/** `ppm_event_flags` per code. */
export const CODE_FLAGS = new Uint32Array(PPM_EVENT_MAX);
/** Number of params of the current layout per code. */
export const CODE_NPARAMS = new Uint16Array(PPM_EVENT_MAX);
/** Width of one entry of the lengths array per code: 4 for EF_LARGE_PAYLOAD, else 2. */
export const CODE_LEN_SIZE = new Uint8Array(PPM_EVENT_MAX);
/** Param type codes per event code. */
export const CODE_PARAM_TYPES: Uint8Array[] = [];

for (const e of EVENTS) {
  CODE_FLAGS[e.code] = e.flags;
  CODE_NPARAMS[e.code] = e.params.length;
  CODE_LEN_SIZE[e.code] = e.flags & EF_LARGE_PAYLOAD ? 4 : 2;
  CODE_PARAM_TYPES[e.code] = Uint8Array.from(e.params, (p) => PARAM_TYPES[p.type].code);
}

/** PPME_NOTIFICATION_E and PPME_INFRASTRUCTURE_EVENT_E: v1 writers wrote their len 3 bytes too long. */
export const PPME_NOTIFICATION_E = EVENTS.findIndex((e) => e.enumName === "PPME_NOTIFICATION_E");
export const PPME_INFRASTRUCTURE_EVENT_E = EVENTS.findIndex((e) => e.enumName === "PPME_INFRASTRUCTURE_EVENT_E");
