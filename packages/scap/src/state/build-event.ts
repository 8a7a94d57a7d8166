/**
 * A small builder of synthetic events in the current layout of their code, from plain values:
 * for tests and for syscall-level event fixtures.
 */
import type { ParamType, ParamValue, ScapEvent, SockAddr, SockTuple } from "../event.js";
import { codeOf, EVENTS } from "../event-table.js";

/** A parameter value: a decoded `ParamValue`, or a plain value converted by the parameter's type. */
export type ParamInput =
  | ParamValue
  | number
  | bigint
  | string
  | boolean
  | Uint8Array
  | readonly string[]
  | SockAddr
  | SockTuple
  | null
  | undefined;

export interface EventSpec {
  /** The event code or its enum name (`PPME_SYSCALL_OPEN_X`). */
  type: number | string;
  tid: bigint | number;
  /** ns since the epoch; default 0. */
  ts?: bigint | number;
  cpu?: number;
  /** EVF dump flags (1 = STATE_ONLY). */
  flags?: number;
  /** By position; missing trailing params are empty. */
  params?: readonly ParamInput[];
  /** By name (merged over `params`). */
  named?: Readonly<Record<string, ParamInput>>;
}

const enc = new TextEncoder();
const PARAM_KINDS = new Set(["empty", "int", "double", "bool", "string", "bytes", "sockaddr", "socktuple", "fdlist", "strings", "pairs", "ip", "net", "dyn"]);

function isParamValue(v: unknown): v is ParamValue {
  return typeof v === "object" && v !== null && !(v instanceof Uint8Array) && !Array.isArray(v) && typeof (v as { kind?: unknown }).kind === "string" && PARAM_KINDS.has((v as { kind: string }).kind);
}

/** Strings as one buffer of NUL-terminated strings (argv, env, cgroups as the driver sends them). */
export function nulJoin(parts: readonly string[]): Uint8Array {
  const chunks = parts.map((p) => enc.encode(p));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length + 1, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length + 1;
  }
  return out;
}

/** Converts a plain value to the `ParamValue` of a parameter of type `type`. */
export function toParamValue(type: ParamType, v: ParamInput): ParamValue {
  if (v === null || v === undefined) return { kind: "empty" };
  if (isParamValue(v)) return v;
  switch (type) {
    case "PT_CHARBUF":
    case "PT_FSPATH":
    case "PT_FSRELPATH":
      if (typeof v === "string") return { kind: "string", value: v, bytes: enc.encode(v) };
      break;
    case "PT_BYTEBUF":
      if (typeof v === "string") return { kind: "bytes", value: enc.encode(v) };
      if (v instanceof Uint8Array) return { kind: "bytes", value: v };
      if (Array.isArray(v)) return { kind: "bytes", value: nulJoin(v as readonly string[]) };
      break;
    case "PT_SOCKADDR":
      if (typeof v === "object" && "family" in (v as object)) return { kind: "sockaddr", value: v as SockAddr };
      break;
    case "PT_SOCKTUPLE":
      if (typeof v === "object" && "family" in (v as object)) return { kind: "socktuple", value: v as SockTuple };
      break;
    case "PT_DOUBLE":
      if (typeof v === "number") return { kind: "double", value: v };
      break;
    case "PT_BOOL":
      if (typeof v === "boolean") return { kind: "bool", value: v };
      break;
    case "PT_IPV4ADDR":
    case "PT_IPV6ADDR":
    case "PT_IPADDR":
      if (v instanceof Uint8Array) return { kind: "ip", value: v };
      break;
    case "PT_CHARBUFARRAY":
      if (Array.isArray(v)) return { kind: "strings", value: [...(v as readonly string[])] };
      break;
    default:
      break;
  }
  if (typeof v === "number") return { kind: "int", value: BigInt(v) };
  if (typeof v === "bigint") return { kind: "int", value: v };
  if (typeof v === "boolean") return { kind: "int", value: v ? 1n : 0n };
  if (typeof v === "string") return { kind: "string", value: v, bytes: enc.encode(v) };
  if (v instanceof Uint8Array) return { kind: "bytes", value: v };
  throw new Error(`cannot convert ${JSON.stringify(v)} to a ${type} parameter`);
}

let nextOffset = 0;

/** Builds a `ScapEvent` in the current layout of its code. */
export function buildEvent(spec: EventSpec): ScapEvent {
  const type = typeof spec.type === "number" ? spec.type : codeOf(spec.type.startsWith("PPME_") ? spec.type : `PPME_${spec.type}`);
  const info = EVENTS[type];
  if (!info) throw new Error(`unknown event code ${type}`);
  const values: ParamValue[] = info.params.map((p, i) => {
    const byName = spec.named && Object.prototype.hasOwnProperty.call(spec.named, p.name) ? spec.named[p.name] : undefined;
    const v = byName !== undefined ? byName : spec.params?.[i];
    return toParamValue(p.type, v);
  });
  const offset = nextOffset++;
  return {
    ts: BigInt(spec.ts ?? 0),
    tid: BigInt(spec.tid),
    cpu: spec.cpu ?? 0,
    type,
    flags: spec.flags ?? 0,
    nparams: values.length,
    offset,
    raw: (i: number) => (i < values.length ? (values[i]!.kind === "empty" ? new Uint8Array(0) : undefined) : undefined),
    param: (i: number) => values[i] ?? { kind: "empty" },
  };
}
