/**
 * How libs turns a field name written in a filter into a field: each class's
 * `parse_field_name`, reproduced. A class answers with the length of the text it recognizes
 * (-1 for none) or throws; the catalog then accepts the field only if that length covers the
 * whole text.
 */
import { EVENT_PARAMS } from "./data/evt-params.generated.js";
import { EVENT_TABLE } from "./events.js";
import { notANumber, parseLibsInt } from "./numbers.js";
import type { FieldClass, FieldInfo, FieldType } from "./types.js";

/** What a class recognized at the start of a text. */
export interface ClassHit {
  /** How many characters of the text the class consumed. */
  length: number;
  field: FieldInfo;
  type?: FieldType;
  argument?: string;
  argumentIndex?: number | bigint;
}

/** An exception libs throws while parsing a field name (its message is shown as is). */
export class FieldNameError extends Error {
  constructor(
    message: string,
    readonly field?: FieldInfo,
  ) {
    super(message);
  }
}

let params: { name: string; type: FieldType }[] | undefined;
/** libs' `find_longest_matching_evt_param`: the longest parameter name that prefixes `text`. */
function longestParam(text: string): { name: string; type: FieldType } | undefined {
  params ??= EVENT_PARAMS.trim()
    .split("\n")
    .map((l) => {
      const [name, type] = l.split(" ");
      return { name: name!, type: type as FieldType };
    });
  let best: { name: string; type: FieldType } | undefined;
  for (const p of params) {
    if (p.name.length > text.length || (best && p.name.length <= best.name.length)) continue;
    if (text.startsWith(p.name)) best = p;
  }
  return best;
}

const EVENT_NAMES = new Set(EVENT_TABLE.map((e) => e.name));

/** Thrown when a class lacks a field its libs logic special-cases (an imported, partial class). */
class Missing extends Error {}

function fieldOf(cls: FieldClass, name: string): FieldInfo {
  const f = cls.fields.find((x) => x.name === name);
  if (!f) throw new Missing(name);
  return f;
}

/** The base `sinsp_filter_check::parse_field_name`: the longest field name prefixing the text. */
function longestField(cls: FieldClass, text: string): ClassHit | undefined {
  let best: FieldInfo | undefined;
  for (const f of cls.fields) {
    if (best && f.name.length <= best.name.length) continue;
    if (text.startsWith(f.name)) best = f;
  }
  return best && { length: best.name.length, field: best };
}

/** Index of the first `]` at or after `from`, like `std::string::find`. */
const closeBracket = (text: string, from = 0): number => text.indexOf("]", from);

// --- syscall `evt` class ---------------------------------------------------------------------------

function eventArg(cls: FieldClass, text: string, base: "evt.arg" | "evt.rawarg" | "evt.around"): ClassHit {
  const field = fieldOf(cls, base);
  const next = text[base.length];
  if (next === "[") {
    if (base === "evt.rawarg") throw new FieldNameError("evt.arg fields must be expressed explicitly", field);
    const close = closeBracket(text);
    const num = close < 0 ? text.slice(base.length + 1) : text.slice(base.length + 1, close);
    const v = parseLibsInt(num, base === "evt.around" ? "uint64" : "int32");
    if (v === undefined) throw new FieldNameError(notANumber(num), field);
    // without a `]`, libs' length wraps to 0: the name never matches
    return { length: close + 1, field, argument: num, argumentIndex: base === "evt.around" ? v : Number(v) };
  }
  if (next === ".") {
    if (base === "evt.around") throw new FieldNameError("wrong syntax for evt.around", field);
    const rest = text.slice(base.length + 1);
    const p = longestParam(rest);
    if (!p) throw new FieldNameError(`unknown event argument ${rest}`, field);
    return { length: base.length + 1 + p.name.length, field, argument: p.name, ...(base === "evt.rawarg" ? { type: p.type } : {}) };
  }
  throw new FieldNameError(`filter syntax error: ${text}`, field);
}

function eventTypeIs(cls: FieldClass, text: string): ClassHit {
  const field = fieldOf(cls, "evt.type.is");
  if (text[field.name.length] !== ".") throw new FieldNameError(`filter syntax error: ${text}`, field);
  const rest = text.slice(field.name.length + 1);
  const n = parseLibsInt(rest, "uint32");
  if (n !== undefined) return { length: text.length, field, argument: rest, argumentIndex: Number(n) };
  if (EVENT_NAMES.has(rest)) return { length: text.length, field, argument: rest };
  return { length: 0, field };
}

function eventClass(cls: FieldClass, text: string): ClassHit | undefined {
  if (text.startsWith("evt.arg") && !text.startsWith("evt.args")) return eventArg(cls, text, "evt.arg");
  if (text.startsWith("evt.rawarg")) return eventArg(cls, text, "evt.rawarg");
  if (text.startsWith("evt.around")) return eventArg(cls, text, "evt.around");
  if (text.startsWith("evt.latency")) return longestField(cls, text);
  if (text.startsWith("evt.abspath")) {
    const field = fieldOf(cls, "evt.abspath");
    for (const suffix of [".src", ".dst"]) {
      if (text.startsWith("evt.abspath" + suffix)) return { length: 11 + suffix.length, field, argument: suffix.slice(1) };
    }
    return { length: 11, field };
  }
  if (text.startsWith("evt.type.is")) return eventTypeIs(cls, text);
  return longestField(cls, text);
}

// --- `process` class ----------------------------------------------------------------------------------

/** Ancestor/argument fields whose bracket argument is a number; a bad argument drops it silently. */
const THREAD_INDEXED = ["proc.apid", "proc.aname", "proc.aexepath", "proc.aexe", "proc.acmdline", "proc.aargs", "proc.env", "proc.args", "proc.aenv"];

function threadIndexed(cls: FieldClass, text: string, base: string): ClassHit {
  const field = fieldOf(cls, base);
  const plain: ClassHit = { length: base.length, field };
  if (text[base.length] !== "[") return plain;
  const close = closeBracket(text, base === "proc.env" || base === "proc.aenv" ? base.length : 0);
  if (close < 0) return plain;
  const arg = text.slice(base.length + 1, close);
  if (base === "proc.env" || base === "proc.aenv") {
    if (arg !== "" && /^[0-9]+$/.test(arg)) {
      const v = parseLibsInt(arg, "int32");
      return { length: close + 1, field, argument: arg, argumentIndex: Number(v) };
    }
    return { length: close + 1, field, argument: arg };
  }
  const v = parseLibsInt(arg, "int32");
  if (v === undefined) return plain;
  return { length: close + 1, field, argument: arg, argumentIndex: Number(v) };
}

function threadClass(cls: FieldClass, text: string): ClassHit | undefined {
  if (text.startsWith("arg")) throw new FieldNameError("filter error: proc.arg filter not implemented yet");
  for (const base of THREAD_INDEXED) if (text.startsWith(base)) return threadIndexed(cls, text, base);
  if (text.startsWith("thread.cgroup") && !text.startsWith("thread.cgroups")) {
    const field = fieldOf(cls, "thread.cgroup");
    if (text[field.name.length] !== ".") throw new FieldNameError(`filter syntax error: ${text}`, field);
    let end = field.name.length + 1;
    while (end < text.length && /[A-Za-z_]/.test(text[end]!)) end++;
    return { length: end, field, argument: text.slice(field.name.length + 1, end) };
  }
  return longestField(cls, text);
}

// --- `fd` class ---------------------------------------------------------------------------------------

function fdClass(cls: FieldClass, text: string): ClassHit | undefined {
  if (text.startsWith("fd.types")) {
    const field = fieldOf(cls, "fd.types");
    if (text[8] !== "[") return { length: 8, field };
    const close = closeBracket(text);
    const num = close < 0 ? text.slice(9) : text.slice(9, close);
    const v = parseLibsInt(num, "int64");
    if (v === undefined) throw new FieldNameError(notANumber(num), field);
    // without a `]`, libs' length wraps to 0 and it falls back to the bare name
    if (close < 0) return { length: 8, field };
    return { length: close + 1, field, argument: num, argumentIndex: v };
  }
  return longestField(cls, text);
}

// --- plugin classes -----------------------------------------------------------------------------------

const SPACES = " \t\n\v\f\r";
const trim = (s: string): string => {
  let a = 0;
  let b = s.length;
  while (a < b && SPACES.includes(s[a]!)) a++;
  while (b > a && SPACES.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
};

function pluginClass(cls: FieldClass, text: string): ClassHit | undefined {
  const hit = longestField(cls, text);
  if (!hit) return undefined;
  const field = hit.field;
  const space = text.indexOf(" ");
  const val = trim(space >= 0 ? text.slice(0, space) : text);
  const open = val.indexOf("[");
  if (open < 0) {
    if (field.arg.required) throw new FieldNameError(`filter '${val}': ${field.name} requires an argument but none provided`, field);
    return hit;
  }
  // an argument must follow the whole field name, not a prefix of it
  if (hit.length !== open) return undefined;
  if (open + 1 >= val.length) throw new FieldNameError(`filter '${val}': ${field.name} terminates with incomplete argument brackets`, field);
  const tail = val.slice(open + 1);
  const len = tail.indexOf("]");
  if (len < 0) throw new FieldNameError(`filter '${val}': ${field.name} has unbalanced argument brackets`, field);
  const arg = tail.slice(0, len);
  if (!field.arg.allowed && !field.arg.required) {
    throw new FieldNameError(`filter '${val}': ${field.name} does not allow nor require an argument but one is provided: ${arg}`, field);
  }
  let argumentIndex: bigint | undefined;
  if (field.arg.index) {
    let problem: string | undefined;
    if (arg.length === 0 || (arg.length > 1 && arg[0] === "0")) problem = " has an invalid index argument starting with 0: ";
    if (!/^[0-9]*$/.test(arg)) problem = " has an invalid index argument not composed only by digits: ";
    if (!problem) {
      argumentIndex = BigInt(arg);
      if (argumentIndex >= 1n << 64n) {
        argumentIndex = undefined;
        problem = " has an invalid index argument not representable on 64 bit: ";
      }
    }
    if (problem && !field.arg.key) throw new FieldNameError(`filter ${val} ${field.name}${problem}${arg}`, field);
  }
  return { length: open + len + 2, field, argument: arg, ...(argumentIndex !== undefined ? { argumentIndex } : {}) };
}

/**
 * What class `cls` recognizes at the start of `text`, as its libs `parse_field_name` would:
 * undefined for nothing (-1 in libs), a hit with the consumed length, or a `FieldNameError`.
 */
export function resolveInClass(cls: FieldClass, text: string): ClassHit | undefined {
  try {
    switch (cls.strategy) {
      case "event":
        return eventClass(cls, text);
      case "thread":
        return threadClass(cls, text);
      case "fd":
        return fdClass(cls, text);
      case "plugin":
        return pluginClass(cls, text);
      default:
        return longestField(cls, text);
    }
  } catch (e) {
    // a partial class (e.g. imported without the field libs special-cases): plain matching
    if (e instanceof Missing) return longestField(cls, text);
    throw e;
  }
}
