/**
 * The filter compiler: checks a macro-expanded condition against a source's fields the way
 * libsinsp 0.25.4's `sinsp_filter_compiler` does, with its exact messages. It stops at the first
 * error (fields, field arguments, transformers, operators against field types, constant values,
 * regex syntax) and collects the compiler warnings Falco reports as LOAD_COMPILE_CONDITION.
 */
import type {
  BinaryCheckExpr,
  Expr,
  FieldExpr,
  FieldLike,
  Node,
  TransformerArg,
  TransformerExpr,
  TransformerListExpr,
  UnaryCheckExpr,
} from "@falcokit/condition";
import { isKnownEventName, parseFilterValue, re2PosixSyntaxError, unhex, type FieldCatalog, type FieldType } from "@falcokit/fields";

/** A compile error or warning, with the node it is about. */
export interface CompileProblem {
  /** libs' message, e.g. `filter_check called with nonexistent field proc.nme`. */
  message: string;
  /** The most specific offending node (a field, a value, a transformer, a check...). */
  node: Node;
  /**
   * Where libs itself positions the problem: the enclosing check for errors (its compiler does
   * not track positions below checks), the value or list for value warnings.
   */
  libsNode: Node;
}

/** The outcome of `compileFilter`. */
export interface CompileResult {
  /** The first error, as libs stops at it; absent when the condition compiles. */
  error?: CompileProblem;
  /** Compiler warnings met before the error (all of them when there is none). */
  warnings: CompileProblem[];
}

/** Options of `compileFilter`. */
export interface CompileOptions {
  /**
   * What to do with `identifier` nodes (macro references left in the tree). Falco reports
   * undefined macros before compiling, so by default they are skipped; `"error"` reports them as
   * libs' compiler would (`filter error: unexpected identifier 'm'`).
   */
  identifiers?: "skip" | "error";
  /** Service names accepted for PORT values (getservbyname); Debian netbase's by default. */
  services?: ReadonlyMap<string, number>;
}

// --- checks, as libs models them ---------------------------------------------------------------------

/** The parts of a field's info the compiler looks at. */
interface Info {
  name: string;
  type: FieldType;
  isList: boolean;
  noRhs?: boolean;
  noTransformer?: boolean;
}

/** A compiled extraction: libs' `sinsp_filter_check` as far as compile checks go. */
interface Check {
  /** `get_field_info()`: the untransformed field. */
  info: Info;
  /** `m_transformed_field`: the field as transformers left it. */
  transformed?: Info;
  /** libs' `evt.type` of the syscall `evt` class: values must be event names. */
  eventType?: boolean;
  /** `evt.around`: only `=` is allowed. */
  around?: boolean;
  /** A stand-in check that takes any constant and no right-hand field. */
  opaque?: boolean;
}

/** `get_transformed_field_info()`. */
const fieldOf = (c: Check): Info => c.transformed ?? c.info;

const INTERNAL: Info = { name: "NA", type: "CHARBUF", isList: false };

/** libs' comparison operator: the base operator and an optional modifier. */
interface Comparator {
  op: string;
  mod?: string;
}

/** `cmpop_to_str`: `==` prints as `=`. */
const opText = (c: Comparator): string => (c.op === "==" ? "=" : c.op);
/** `std::to_string(cmpop)`: the enum name. */
const opEnum = (c: Comparator): string => opText(c) === "=" ? "EQ" : c.op.toUpperCase();

class CompileError extends Error {
  constructor(
    message: string,
    readonly node: Node,
  ) {
    super(message);
  }
}

// --- operators against types (flt_is_comparable) ----------------------------------------------------

const NUMERIC = new Set<FieldType>([
  "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64", "ERRNO", "FD", "PID", "SYSCALLID", "SIGTYPE",
  "RELTIME", "ABSTIME", "PORT", "FLAGS8", "FLAGS16", "FLAGS32", "DOUBLE", "MODE", "ENUMFLAGS8", "ENUMFLAGS16", "ENUMFLAGS32",
]);
const IP = new Set<FieldType>(["IPV4ADDR", "IPV4NET", "IPV6ADDR", "IPV6NET", "IPADDR", "IPNET"]);
const STRING = new Set<FieldType>(["CHARBUF", "FSPATH", "FSRELPATH"]);
const LIST_TYPES = new Set<FieldType>(["CHARBUF", "UINT64", "RELTIME", "ABSTIME", "BOOL", "IPADDR", "IPNET"]);
const NET = new Set<FieldType>(["IPNET", "IPV4NET", "IPV6NET"]);

const OPS_NUMERIC = new Set(["=", "!=", "<", "<=", ">", ">=", "in", "intersects"]);
const OPS_BOOL = new Set(["=", "!=", "in", "intersects"]);
const OPS_STRING = new Set(["=", "!=", "<", "<=", ">", ">=", "contains", "in", "icontains", "startswith", "glob", "pmatch", "endswith", "intersects", "iglob", "regex"]);
const OPS_BUFFER = new Set(["=", "!=", "contains", "in", "startswith", "endswith", "intersects", "bcontains", "bstartswith"]);
const OPS_IP = new Set(["=", "!=", "in", "intersects"]);
const OPS_LIST = new Set(["in", "intersects"]);

/** libs' `flt_is_comparable`: the error text, or undefined when the operator fits the type. */
function comparableError(cmp: Comparator, type: FieldType, isList: boolean): string | undefined {
  const op = opText(cmp);
  if (op === "exists") return undefined;
  if (isList) {
    if (!LIST_TYPES.has(type)) return `list filters are not supported for type '${type}'`;
    return OPS_LIST.has(op) ? undefined : `'${op}' operator not supported list filters`;
  }
  if (NUMERIC.has(type)) return OPS_NUMERIC.has(op) ? undefined : `'${op}' operator not supported for numeric filters`;
  if (type === "BOOL") return OPS_BOOL.has(op) ? undefined : `'${op}' operator not supported for numeric filters`;
  if (IP.has(type)) {
    if (!OPS_IP.has(op)) {
      return cmp.mod ? `'${op}' with modifier not supported for ip address and network filters` : `'${op}' operator not supported for ip address and network filters`;
    }
    return undefined;
  }
  if (STRING.has(type)) return OPS_STRING.has(op) ? undefined : `'${op}' operator not supported for string filters`;
  if (type === "BYTEBUF") return OPS_BUFFER.has(op) ? undefined : `'${op}' operator not supported for buffer filters`;
  return `'${op}' operator not supported for type '${type}'`;
}

// --- transformers -----------------------------------------------------------------------------------------

const SINGLE_TRANSFORMERS = new Set(["toupper", "tolower", "b64", "basename", "len"]);

/** `transform_type` of a single-value transformer: applies it to `f`, or returns false. */
function transformType(name: string, f: Info): boolean {
  switch (name) {
    case "toupper":
    case "tolower":
    case "basename":
      return STRING.has(f.type);
    case "b64":
      return f.type === "CHARBUF" || f.type === "BYTEBUF";
    case "len":
      if (f.isList) {
        f.type = "UINT64";
        f.isList = false;
        return true;
      }
      if (STRING.has(f.type) || f.type === "BYTEBUF") {
        f.type = "UINT64";
        return true;
      }
      return false;
    default:
      return false;
  }
}

function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

// --- warnings ---------------------------------------------------------------------------------------------

/** Transformer names, `val` included, as libs' `supported_field_transformers(true)` lists them. */
const TRANSFORMER_NAMES = ["val", "tolower", "toupper", "b64", "basename", "len", "join", "concat", "getopt"];
const REGEX_SPECIAL = ".+*?^$()[]{}|\\";
const REGEX_OCCURRENCE = "+*?";

/** libs' heuristic: a regex with no special character inside could be a simpler operator. */
function regexCouldBeSimpler(v: string): boolean {
  const len = v.length;
  for (let i = 0; i < len; i++) {
    if ((i === 0 && v[i] === "^") || (i === len - 1 && v[i] === "$")) continue;
    if (((i === 0 && len > 1) || i === len - 2) && v[i] === "." && REGEX_OCCURRENCE.includes(v[i + 1]!)) {
      i++;
      continue;
    }
    if (v[i] === "\0" || REGEX_SPECIAL.includes(v[i]!)) return false;
  }
  return true;
}

// --- the compiler ---------------------------------------------------------------------------------------

/** What checking one check gave: its warnings, and its error if it has one. */
interface CheckOutcome {
  warnings: CompileProblem[];
  error?: CompileError;
}

/**
 * Outcomes of checks already compiled against a catalog. A check's outcome depends only on the
 * check and the catalog, and macro expansion shares one check object among every rule that
 * uses the macro, so each is compiled once.
 */
const outcomes = new WeakMap<FieldCatalog, WeakMap<Node, CheckOutcome>>();

class Compiler {
  readonly warnings: CompileProblem[] = [];
  private check: Node | undefined;
  private readonly memo: WeakMap<Node, CheckOutcome> | undefined;

  constructor(
    private readonly catalog: FieldCatalog,
    private readonly options: CompileOptions,
  ) {
    if (options.services === undefined) {
      let memo = outcomes.get(catalog);
      if (!memo) outcomes.set(catalog, (memo = new WeakMap()));
      this.memo = memo;
    }
  }

  /** Compiles one check through the memo, replaying a known outcome. */
  private memoized(e: UnaryCheckExpr | BinaryCheckExpr, run: () => void): void {
    const memo = this.memo;
    if (!memo) return run();
    let outcome = memo.get(e);
    if (!outcome) {
      const before = this.warnings.length;
      let error: CompileError | undefined;
      try {
        run();
      } catch (err) {
        if (!(err instanceof CompileError)) throw err;
        error = err;
      }
      outcome = { warnings: this.warnings.slice(before) };
      if (error) outcome.error = error;
      memo.set(e, outcome);
      if (error) throw error;
      return;
    }
    this.warnings.push(...outcome.warnings);
    if (outcome.error) {
      this.check = e;
      throw outcome.error;
    }
  }

  fail(message: string, node: Node): never {
    throw new CompileError(message, node);
  }

  libsNode(node: Node): Node {
    return this.check ?? node;
  }

  visit(e: Expr): void {
    switch (e.type) {
      case "and":
      case "or":
        for (const c of e.children) this.visit(c);
        return;
      case "not":
        this.visit(e.child);
        return;
      case "identifier":
        if (this.options.identifiers === "error") {
          this.check = e;
          this.fail(`filter error: unexpected identifier '${e.name}'`, e);
        }
        return;
      case "unary_check":
        this.memoized(e, () => this.unary(e));
        return;
      case "binary_check":
        this.memoized(e, () => this.binary(e));
        return;
      default:
        // error nodes: the parser reports those
        return;
    }
  }

  private comparator(op: string): Comparator {
    const sp = op.indexOf(" ");
    return sp < 0 ? { op } : { op: op.slice(0, sp), mod: op.slice(sp + 1) };
  }

  private operatorFits(chk: Check, cmp: Comparator, node: Node): void {
    const f = fieldOf(chk);
    const err = comparableError(cmp, f.type, f.isList);
    if (err) this.fail(`filter error: ${err}`, node);
  }

  private unary(e: UnaryCheckExpr): void {
    this.check = e;
    if (e.left.type === "error") return;
    const chk = this.extract(e.left);
    this.operatorFits(chk, this.comparator(e.op), e);
    this.check = undefined;
  }

  private binary(e: BinaryCheckExpr): void {
    this.check = e;
    if (e.left.type === "error" || e.right.type === "error") return;
    const chk = this.extract(e.left);
    const cmp = this.comparator(e.op);
    this.operatorFits(chk, cmp, e);
    const right = e.right;
    if (right.type === "field_transformer") {
      this.rightField(chk, cmp, this.extract(right), right);
    } else {
      const values = right.type === "value" ? [right.value] : right.values;
      for (const v of values) {
        this.valueWarnings(cmp, v, right);
        this.addValue(chk, cmp, v, right);
      }
    }
    this.check = undefined;
  }

  // --- extraction (sinsp_extractor_compiler) ---

  private extract(node: FieldLike | TransformerArg): Check {
    switch (node.type) {
      case "field":
        return this.field(node);
      case "field_transformer":
        return this.transformer(node);
      case "transformer_list":
        return this.list(node);
      case "value":
        return { info: INTERNAL };
      default:
        return this.fail("filter error: incomplete expression", node);
    }
  }

  private field(node: FieldExpr): Check {
    const text = node.arg === undefined ? node.name : `${node.name}[${node.arg}]`;
    const m = this.catalog.lookup(node.name, node.arg);
    if (!m) this.fail(`filter_check called with nonexistent field ${text}`, node);
    if (!m.ok) this.fail(m.error, node);
    const f = m.field;
    const info: Info = { name: m.opaque ? "" : f.name, type: m.type, isList: m.isList };
    if (f.noRhs) info.noRhs = true;
    if (f.noTransformer) info.noTransformer = true;
    const chk: Check = { info };
    if (m.opaque) chk.opaque = true;
    else if (f.className === "evt" && f.name === "evt.type") chk.eventType = true;
    else if (f.className === "evt" && f.name === "evt.around") chk.around = true;
    return chk;
  }

  private list(node: TransformerListExpr): Check {
    for (const c of node.children) this.extract(c);
    return { info: { name: "NA", type: "CHARBUF", isList: true } };
  }

  private transformer(node: TransformerExpr): Check {
    const args = node.values.map((v) => this.extract(v));
    const name = node.transformer;
    if (name === "val") {
      if (node.arg !== undefined) this.fail("filter error: transformer 'val' does not support field arguments", node);
      return args[0]!;
    }
    if (args.length === 1) {
      if (node.arg !== undefined) this.fail(`filter error: transformer '${name}' does not support field arguments`, node);
      const chk = args[0]!;
      this.addTransformer(chk, name, node);
      return chk;
    }
    return this.multivalue(name, args, node);
  }

  private addTransformer(chk: Check, name: string, node: TransformerExpr): void {
    if (!SINGLE_TRANSFORMERS.has(name)) this.fail(`unknown field transfomer '${name}'`, node);
    const orig = chk.info;
    if (orig.noTransformer) this.fail(`field '${orig.name}' does not support transformers`, node);
    const cur: Info = { ...(chk.transformed ?? orig) };
    const before = { ...cur };
    if (!transformType(name, cur)) {
      this.fail(
        `can't add field transformer: type '${before.type}' is not supported by '${name}' transformer applied on ${before.isList ? "list " : ""}field '${orig.name}'`,
        node,
      );
    }
    chk.transformed = cur;
  }

  /** `sinsp_filter_multivalue_transformer::create_transformer`. */
  private multivalue(name: string, args: Check[], node: TransformerExpr): Check {
    const types = args.map((a) => a.info);
    const fail = (msg: string): never => this.fail(msg, node);
    switch (name) {
      case "join":
        if (types.length !== 2) fail("join() requires exactly 2 arguments: separator and list");
        if (types[0]!.isList) fail("join() first argument (separator) must be a single value, not a list");
        if (!types[1]!.isList) fail("join() second argument must be a list");
        if (node.arg !== undefined) fail("transformer 'join' does not support field arguments");
        return { info: INTERNAL };
      case "concat":
        if (types.length < 2) fail("concat() requires at least 2 arguments");
        if (types.some((t) => t.type !== "CHARBUF" || t.isList)) fail("concat() arguments must be strings");
        if (node.arg !== undefined) fail("transformer 'concat' does not support field arguments");
        return { info: INTERNAL };
      case "getopt":
        if (types.length !== 2) fail("getopt() requires exactly 2 arguments: args list and optstring");
        if (!types[0]!.isList) fail("getopt() first argument must be a list");
        if (types[1]!.isList) fail("getopt() second argument (optstring) must be a single value");
        if (types[0]!.type !== "CHARBUF" || types[1]!.type !== "CHARBUF") fail("getopt() arguments must be strings");
        if (node.arg === undefined) return { info: INTERNAL, transformed: { name: "INTERNAL", type: "CHARBUF", isList: true } };
        if (utf8Length(node.arg) !== 1) fail("getopt() field argument must be a single option character");
        return { info: INTERNAL };
      default:
        // libs throws a std::runtime_error here, not a sinsp_exception
        return fail("unknown multivalue transformer");
    }
  }

  // --- right-hand side ---

  private rightField(chk: Check, cmp: Comparator, rhs: Check, node: Node): void {
    if (chk.opaque) this.fail("unexpected right-hand side filter comparison", node);
    if (cmp.op === "pmatch" || cmp.op === "regex") this.fail(`operator '${opEnum(cmp)}' doesn't support right-hand side fields`, node);
    const l = fieldOf(chk);
    const r = fieldOf(rhs);
    if (NET.has(l.type)) this.fail("field type 'IPNET' doesn't support right-hand side fields", node);
    if (l.noRhs) this.fail(`field '${l.name}' doesn't support right-hand side fields`, node);
    if (r.noRhs) this.fail(`field '${r.name}' can't be used as a right-hand side field`, node);
    if (l.type !== r.type || l.isList !== r.isList) {
      this.fail(
        `field '${l.name}' has type '${l.type}${l.isList ? " (list)" : ""}' while the right-hand side field '${r.name}' has incompatible type '${r.type}${r.isList ? " (list)" : ""}'`,
        node,
      );
    }
  }

  /** `check_value_and_add_warnings`. */
  private valueWarnings(cmp: Comparator, v: string, node: Node): void {
    const warn = (message: string) => this.warnings.push({ message, node, libsNode: node });
    const nospaces = v.replace(/[ \t\n\v\f\r]/g, "");
    if (cmp.op === "regex" && regexCouldBeSimpler(v)) {
      warn(`regex check with '${v}' may be optimized with simpler operators such as '=', 'contains', 'startswith', 'endswith'`);
    }
    if (nospaces !== "" && this.catalog.lookup(nospaces)?.ok === true) warn(`'${v}' may be a valid field misused as a const string value`);
    for (const t of TRANSFORMER_NAMES) {
      if (nospaces.length >= t.length + 2 && nospaces.startsWith(t) && nospaces[t.length] === "(" && nospaces.endsWith(")")) {
        warn(`'${v}' may be a valid field transformer misused as a const string value`);
      }
    }
  }

  /** `add_filtercheck_value` and `add_filter_value`. */
  private addValue(chk: Check, cmp: Comparator, v: string, node: Node): void {
    let input: string | Uint8Array = v;
    if (cmp.op === "bcontains" || cmp.op === "bstartswith") {
      const bytes = unhex(v);
      if (!bytes) this.fail("filter error: bcontains and bstartswith operator support hex strings only", node);
      input = bytes;
    }
    if (chk.opaque) return;
    const parsed = parseFilterValue(fieldOf(chk).type, input, this.options.services ? { services: this.options.services } : {});
    if (!parsed.ok) this.fail(parsed.error, node);
    if (chk.eventType && parsed.value.kind === "string" && !isKnownEventName(parsed.value.value, { asyncEventNames: this.catalog.asyncEventNames })) {
      this.fail(`unknown event type ${parsed.value.value}`, node);
    }
    if (chk.around && opText(cmp) !== "=") this.fail("evt.around supports only '=' comparison operator", node);
    if (cmp.op === "regex" && parsed.value.kind === "string") {
      const err = re2PosixSyntaxError(parsed.value.value);
      if (err !== undefined) this.fail(`invalid regex pattern: ${err}`, node);
    }
  }
}

/**
 * Compiles a macro-expanded condition against a source's fields as libs does: the first error
 * with libs' message and the offending node, and the warnings met up to there.
 */
export function compileFilter(ast: Expr, catalog: FieldCatalog, options: CompileOptions = {}): CompileResult {
  const c = new Compiler(catalog, options);
  try {
    c.visit(ast);
    return { warnings: c.warnings };
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    return { error: { message: e.message, node: e.node, libsNode: c.libsNode(e.node) }, warnings: c.warnings };
  }
}
