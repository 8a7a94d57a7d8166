/**
 * Event-type indexing: which event types a (macro-expanded) rule condition can match, as libs'
 * `ppm_event_codes` / `ppm_sc_codes` compute it, and what Falco derives from that: the runtime
 * buckets of a rule, the `details.events` names of `falco -L` / `--describe-rule`, and the
 * LOAD_NO_EVTTYPE warning.
 *
 * The algebra: `and` intersects, `or` unites, `not` is pushed down to the leaves (De Morgan).
 * `evt.type`/`syscall.type` (no argument) compared with `=`, `==`, `in` gives the codes of the
 * names, `!=` their complement, `evt.type exists` all codes; every other check is *neutral*: all
 * codes, not complemented under `not`. libs gives up (throws) on `evt.type` under a transformer
 * and on a field (`val(...)`, a transformer) on the right of an `evt.type` comparison.
 */
import type { Expr, FieldLike, CheckValue, TransformerArg, BinaryCheckExpr, UnaryCheckExpr } from "@falcokit/condition";
import type { OffsetRange } from "@falcokit/diagnostics";
import {
  ALL_EVENT_CODES,
  ALL_SC_CODES,
  ASYNCEVENT_E,
  PLUGINEVENT_E,
  codeUnion,
  eventCodesToNames,
  eventNamesToCodes,
  eventNamesToScCodes,
  scCodesToEventNames,
  type EventNameOptions,
} from "@falcokit/fields";

/**
 * Which libs behaviour to reproduce. `"0.25.4"` (Falco 0.44.1) is the default; `"master"` adds
 * the `evt.num` invariants of libs master (`evt.num=0` matches nothing, `evt.num>0` everything)
 * and drops the LOAD_NO_EVTTYPE warning for empty sets (Falco master).
 */
export type LibsVersion = "0.25.4" | "master";

/** Options of `eventTypesOf`. */
export interface EventTypeOptions extends EventNameOptions {
  libs?: LibsVersion;
}

/** The event types of a condition. */
export interface EventTypeSet {
  readonly ok: true;
  readonly source: string;
  readonly libs: LibsVersion;
  /**
   * True when the codes come from the condition: the `syscall` source (and `""`, which Falco's
   * describe code treats the same way). Other sources are plugin sources, whose rules all sit
   * under the plugin event whatever their condition says.
   */
  readonly syscall: boolean;
  /** libs' `ppm_event_codes` of the condition, sorted; `[pluginevent]` for plugin sources. */
  readonly eventCodes: readonly number[];
  /** libs' `ppm_sc_codes` of the condition, sorted; empty for plugin sources. */
  readonly scCodes: readonly number[];
}

/** Why libs could not compute the event types (it throws a `sinsp_exception`). */
export interface EventTypeError {
  readonly ok: false;
  readonly code: "event-types/transformer" | "event-types/rhs-field";
  /** libs' exception text. */
  readonly message: string;
  /** The check libs gave up on. */
  readonly range: OffsetRange;
}

/** The outcome of `eventTypesOf`. */
export type EventTypeResult = EventTypeSet | EventTypeError;

/** libs' exception texts of the event code search. */
export const EVENT_CODE_SEARCH_ERRORS = {
  transformer: "event code search does not support `evt.type` checks with transformers",
  rhsField: "right-hand field comparisons on `evt.type`/`syscall.type` checks are not supported by event code search",
} as const;

/** The LOAD_NO_EVTTYPE message of Falco. */
export const NO_EVTTYPE_MESSAGE = "Rule matches too many evt.type values. This has a significant performance penalty.";

/** LOAD_NO_EVTTYPE fires above this many event codes. */
export const NO_EVTTYPE_THRESHOLD = 100;

/** The operators for which an `evt.type` check restricts the event types. */
const EVTTYPE_OPERATORS = new Set(["=", "==", "!=", "in"]);

class SearchFailure extends Error {
  /** The check being searched when libs threw. */
  range: OffsetRange | undefined;

  constructor(
    readonly kind: EventTypeError["code"],
    message: string,
  ) {
    super(message);
  }
}

/** One code space (event codes or ppm_sc codes), with sets as bit masks. */
class CodeSpace {
  readonly all: bigint;
  private readonly cache = new Map<string, bigint>();

  constructor(
    all: readonly number[],
    private readonly lookup: (names: readonly string[]) => readonly number[],
  ) {
    this.all = CodeSpace.mask(all);
  }

  static mask(codes: readonly number[]): bigint {
    let m = 0n;
    for (const c of codes) m |= 1n << BigInt(c);
    return m;
  }

  static codes(mask: bigint): number[] {
    const out: number[] = [];
    const bits = mask.toString(2);
    for (let i = bits.length - 1, c = 0; i >= 0; i--, c++) if (bits.charCodeAt(i) === 49) out.push(c);
    return out;
  }

  /** The codes of a set of `evt.type` values. */
  ofNames(names: readonly string[]): bigint {
    const key = JSON.stringify(names);
    let m = this.cache.get(key);
    if (m === undefined) {
      m = CodeSpace.mask(this.lookup(names));
      this.cache.set(key, m);
    }
    return m;
  }
}

/**
 * What libs' walk over the operands of a check leaves behind: whether the last node seen was a
 * bare `evt.type`/`syscall.type` field, whether it was a field or transformer, and whether the
 * last leaf seen was a value (libs then treats a neutral check as complementable).
 */
interface OperandState {
  evtTypeField: boolean;
  fieldOrTransformer: boolean;
  sawValue: boolean;
}

const isEvtTypeField = (name: string, arg: string | undefined): boolean => (name === "evt.type" || name === "syscall.type") && arg === undefined;

function walkOperand(node: FieldLike | CheckValue | TransformerArg, st: OperandState): void {
  switch (node.type) {
    case "field":
      st.sawValue = false;
      st.fieldOrTransformer = true;
      st.evtTypeField = isEvtTypeField(node.name, node.arg);
      return;
    case "value":
    case "list":
      st.sawValue = true;
      st.evtTypeField = false;
      return;
    case "field_transformer":
      for (const v of node.values) {
        walkOperand(v, st);
        if (st.evtTypeField) throw new SearchFailure("event-types/transformer", EVENT_CODE_SEARCH_ERRORS.transformer);
      }
      st.fieldOrTransformer = true;
      return;
    case "transformer_list":
      for (const c of node.children) walkOperand(c, st);
      return;
    case "error":
      return;
  }
}

type Invariant = "none" | "all" | "indeterminate";

/** `sscanf("%lu%c")` as libs master's `tryparseu64` uses it; only "is it 0 / at most 1" matters. */
function parseU64(text: string): bigint | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/.exec(text);
  if (!m) return undefined;
  const magnitude = BigInt(m[2]!);
  const max = (1n << 64n) - 1n;
  if (magnitude > max) return max;
  return m[1] === "-" && magnitude !== 0n ? (1n << 64n) - magnitude : magnitude;
}

/** libs master: `evt.num` starts at 1, so some `evt.num` checks are statically decided. */
function evtNumInvariant(e: BinaryCheckExpr): Invariant {
  if (e.left.type !== "field" || e.left.name !== "evt.num" || e.left.arg !== undefined) return "indeterminate";
  if (e.op === "in") {
    if (e.right.type !== "list") return "indeterminate";
    return e.right.values.every((v) => parseU64(v) === 0n) ? "none" : "indeterminate";
  }
  if (e.right.type !== "value") return "indeterminate";
  const n = parseU64(e.right.value);
  if (n === undefined) return "indeterminate";
  switch (e.op) {
    case "=":
    case "==":
      return n === 0n ? "none" : "indeterminate";
    case "!=":
    case ">":
      return n === 0n ? "all" : "indeterminate";
    case "<":
      return n <= 1n ? "none" : "indeterminate";
    case "<=":
      return n === 0n ? "none" : "indeterminate";
    case ">=":
      return n <= 1n ? "all" : "indeterminate";
    default:
      return "indeterminate";
  }
}

class Search {
  constructor(
    private readonly space: CodeSpace,
    private readonly libs: LibsVersion,
  ) {}

  private complement(codes: bigint): bigint {
    return this.space.all & ~codes;
  }

  /** The codes `e` can match; `negated` when an odd number of `not`s stand above it. */
  codes(e: Expr, negated: boolean): bigint {
    switch (e.type) {
      case "and":
      case "or": {
        const unite = (e.type === "or") !== negated;
        let acc = unite ? 0n : this.space.all;
        for (const c of e.children) {
          const sub = this.codes(c, negated);
          acc = unite ? acc | sub : acc & sub;
        }
        return acc;
      }
      case "not":
        return this.codes(e.child, !negated);
      case "unary_check":
      case "binary_check":
        try {
          return e.type === "unary_check" ? this.unary(e, negated) : this.binary(e, negated);
        } catch (err) {
          if (err instanceof SearchFailure) err.range ??= e.range;
          throw err;
        }
      case "identifier":
      case "error":
        return this.space.all;
    }
  }

  private unary(e: UnaryCheckExpr, negated: boolean): bigint {
    const st: OperandState = { evtTypeField: false, fieldOrTransformer: true, sawValue: false };
    walkOperand(e.left, st);
    // `evt.type exists` is all codes, and complementable: `not evt.type exists` is none.
    return st.evtTypeField && e.op === "exists" && negated ? 0n : this.space.all;
  }

  private binary(e: BinaryCheckExpr, negated: boolean): bigint {
    if (this.libs === "master") {
      const inv = evtNumInvariant(e);
      if (inv !== "indeterminate") return (inv === "all") !== negated ? this.space.all : 0n;
    }
    if (!EVTTYPE_OPERATORS.has(e.op)) return this.space.all;
    const st: OperandState = { evtTypeField: false, fieldOrTransformer: true, sawValue: false };
    walkOperand(e.left, st);
    if (!st.evtTypeField) {
      // Neutral, except that libs complements it when the left side ended on a value.
      return negated && st.sawValue ? 0n : this.space.all;
    }
    st.fieldOrTransformer = false;
    walkOperand(e.right, st);
    if (st.fieldOrTransformer) throw new SearchFailure("event-types/rhs-field", EVENT_CODE_SEARCH_ERRORS.rhsField);
    const right = e.right;
    if (right.type !== "value" && right.type !== "list") return this.space.all;
    const named = this.space.ofNames(right.type === "value" ? [right.value] : right.values);
    return negated !== (e.op === "!=") ? this.complement(named) : named;
  }
}

const spaces = (options: EventNameOptions): [CodeSpace, CodeSpace] => [
  new CodeSpace(ALL_EVENT_CODES, (n) => eventNamesToCodes(n, options)),
  new CodeSpace(ALL_SC_CODES, (n) => eventNamesToScCodes(n, options)),
];
let sharedSpaces: [CodeSpace, CodeSpace] | undefined;
/** The spaces without plugin async events, shared by all calls (their name caches too). */
const defaultSpaces = (): [CodeSpace, CodeSpace] => (sharedSpaces ??= spaces({}));

/** Spaces with plugin async event names, cached per names array (catalogs keep theirs). */
const asyncSpaces = new WeakMap<object, [CodeSpace, CodeSpace]>();
function spacesFor(options: EventNameOptions): [CodeSpace, CodeSpace] {
  const names = options.asyncEventNames;
  if (names === undefined) return defaultSpaces();
  if (typeof names !== "object" || names === null) return spaces(options);
  let s = asyncSpaces.get(names);
  if (!s) asyncSpaces.set(names, (s = spaces(options)));
  return s;
}

const isSyscallSource = (source: string): boolean => source === "syscall" || source === "";

/**
 * The event types of a macro-expanded condition for a rule of `source`, as libs 0.25.4 and
 * Falco 0.44.1 compute them; or libs' failure, which Falco does not catch (it ends the load).
 * Only syscall-source conditions are inspected: plugin-source rules never fail here.
 */
export function eventTypesOf(ast: Expr, source: string, options: EventTypeOptions = {}): EventTypeResult {
  const libs = options.libs ?? "0.25.4";
  if (!isSyscallSource(source)) {
    return { ok: true, source, libs, syscall: false, eventCodes: [PLUGINEVENT_E], scCodes: [] };
  }
  const [events, syscalls] = spacesFor(options);
  try {
    const eventCodes = CodeSpace.codes(new Search(events, libs).codes(ast, false));
    const scCodes = CodeSpace.codes(new Search(syscalls, libs).codes(ast, false));
    return { ok: true, source, libs, syscall: true, eventCodes, scCodes };
  } catch (err) {
    if (!(err instanceof SearchFailure)) throw err;
    return { ok: false, code: err.kind, message: err.message, range: err.range ?? ast.range };
  }
}

/** The event codes a rule is indexed under at runtime: its event codes plus `asyncevent`. */
export function indexCodes(set: EventTypeSet): readonly number[] {
  return codeUnion(set.eventCodes, [ASYNCEVENT_E]);
}

/**
 * The names Falco prints as `details.events` in `falco -L` / `--describe-rule` JSON: for syscall
 * rules, the event names of the rule's ppm_sc codes together with the names of its event codes
 * plus `asyncevent` (generic events left out); for plugin rules `asyncevent` and `pluginevent`.
 * Falco prints them in hash-set order; falcokit sorts them.
 */
export function describeEventNames(set: EventTypeSet): string[] {
  if (!set.syscall) return eventCodesToNames([PLUGINEVENT_E, ASYNCEVENT_E]);
  const names = new Set([...scCodesToEventNames(set.scCodes), ...eventCodesToNames(indexCodes(set), false)]);
  return [...names].sort();
}

/**
 * Whether Falco warns LOAD_NO_EVTTYPE (`NO_EVTTYPE_MESSAGE`) for a rule with these event types
 * and `warn_evttypes: true`: syscall source only, more than 100 event codes, or (Falco 0.44.1)
 * none at all.
 */
export function noEventTypeWarning(set: EventTypeSet): boolean {
  if (set.source !== "syscall") return false;
  const n = set.eventCodes.length;
  return n > NO_EVTTYPE_THRESHOLD || (n === 0 && set.libs === "0.25.4");
}

/**
 * What a whole ruleset asks of the event source (Falco's interesting sets): the names of the
 * union of the rules' index codes (generic events resolved to their syscalls, as
 * `event_set_to_names` does by default), and the event names of the union of their ppm_sc codes.
 */
export function rulesetEventNames(sets: Iterable<EventTypeSet>): { events: string[]; syscalls: string[] } {
  let codes: readonly number[] = [];
  let scs: readonly number[] = [];
  for (const s of sets) {
    codes = codeUnion(codes, indexCodes(s));
    scs = codeUnion(scs, s.scCodes);
  }
  return { events: eventCodesToNames(codes), syscalls: scCodesToEventNames(scs) };
}
