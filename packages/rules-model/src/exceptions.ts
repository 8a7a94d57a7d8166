/**
 * A rule's `exceptions:` as Falco's reader reads it. Only the checks the reader makes are
 * reported here; the operator, field and length checks belong to the engine (they depend on
 * the source's fields and, for appends, on the rule being appended to).
 */
import { isMap, isScalar, isSeq, type Node as YamlNode, type Scalar, type YAMLMap, type YAMLSeq } from "yaml";
import { type Ctx, ItemType } from "./context.js";
import { isYamlCppNull, scalarText } from "./decode.js";
import { isNullNode, MapReader, resolveNode, SequenceRef } from "./map-reader.js";
import { ScalarRef } from "./scalar.js";
import type { ExceptionEntry, RuleException } from "./types.js";

/** Deeper lists than this inside one exception are not read (Falco has no limit; YAML files never come close). */
const MAX_ENTRY_DEPTH = 64;

/**
 * Falco's `decode_exception_info_entry`: a non-empty scalar, or a list of entries. Anything
 * else (null, a map) is silently an empty entry. Inside a list, such elements still count,
 * so a null element is kept as an empty scalar.
 */
function readEntry(r: MapReader, node: YamlNode | null, key: string, ctx: Ctx, inList: boolean, depth: number): ExceptionEntry | undefined {
  const valctx = ctx.child(ItemType.VALUE_FOR, key, r.mark(node));
  if (node && isScalar(node)) {
    const scalar = node as Scalar.Parsed;
    if (isYamlCppNull(scalar)) return inList ? new ScalarRef(r.text, scalar, "", undefined) : undefined;
    const text = scalarText(scalar);
    if (text === "") r.error("Value must be non-empty", { start: scalar.range[0], end: scalar.range[1] }, valctx);
    return new ScalarRef(r.text, scalar, text, undefined);
  }
  if (node && isSeq(node)) {
    const items: ExceptionEntry[] = [];
    if (depth < MAX_ENTRY_DEPTH) {
      for (const raw of node.items) {
        const el = resolveNode(r.env, raw);
        const lctx = valctx.child(ItemType.EXCEPTION, "", r.mark(el));
        const entry = readEntry(r, el, "", lctx, true, depth + 1);
        if (entry) items.push(entry);
      }
    }
    return new SequenceRef(node as YAMLSeq.Parsed, items, undefined);
  }
  return undefined;
}

/** `fields` or `comps` of one exception. */
function readInfo(er: MapReader, key: string, ctx: Ctx, optional: boolean): ExceptionEntry | undefined {
  const entry = er.get(key);
  if (!entry) {
    if (!optional) er.error(`Item has no mapping for key '${key}'`, er.headRange(), ctx);
    return undefined;
  }
  const value = readEntry(er, entry.node, key, ctx, false, 0);
  if (value && value.kind === "scalar") return new ScalarRef(er.text, value.node, value.value, entry.keyRange);
  if (value && value.kind === "sequence") return new SequenceRef(value.node, value.items as ExceptionEntry[], entry.keyRange);
  return value;
}

/**
 * Reads `exceptions:` of a rule. `append` is true when the exceptions are appended (legacy
 * `append: true` or `override: {exceptions: append}`): then `fields` may be omitted, and
 * a missing `values` is a warning.
 */
export function readExceptions(r: MapReader, ruleCtx: Ctx, append: boolean): SequenceRef<RuleException> | undefined {
  const entry = r.get("exceptions");
  if (!entry || isNullNode(entry.node) || r.hasError("exceptions")) return undefined;
  const exs = entry.node!;
  const exesCtx = ruleCtx.child(ItemType.EXCEPTIONS, "", r.mark(exs));
  if (!isSeq(exs)) {
    r.error("Rule exceptions must be a sequence", entry.valueRange, exesCtx, undefined, "exceptions");
    return undefined;
  }
  const out: RuleException[] = [];
  const names: string[] = [];
  for (const raw of exs.items) {
    const ex = resolveNode(r.env, raw);
    const tmp = exesCtx.child(ItemType.EXCEPTION, "", r.mark(ex));
    if (!ex || !isMap(ex)) {
      const range = ex?.range ? { start: ex.range[0], end: ex.range[1] } : entry.valueRange;
      r.error("Rule exception must be a mapping", range, tmp);
      continue;
    }
    const er = new MapReader(r.env, ex as YAMLMap.Parsed, r);
    const name = er.string("name", "required", tmp);
    const exCtx = ruleCtx.child(ItemType.EXCEPTION, name?.text ?? "", r.mark(ex));
    if (name) {
      if (names.includes(name.text)) {
        er.warn("LOAD_EXCEPTION_NAME_NOT_UNIQUE", `Multiple definitions of exception '${name.text}' in the same rule`, name.range, exCtx);
      }
      names.push(name.text);
    }
    const exception: RuleException = {
      kind: "exception",
      range: er.range,
      entries: er.entries,
      node: ex as YAMLMap.Parsed,
      valid: true,
    };
    if (name) exception.name = name;
    const fields = readInfo(er, "fields", exCtx, append);
    if (fields) exception.fields = fields;
    const comps = readInfo(er, "comps", exCtx, true);
    if (comps) exception.comps = comps;
    const valuesEntry = er.get("values");
    if (valuesEntry) {
      const vals = valuesEntry.node;
      const valsCtx = exCtx.child(ItemType.EXCEPTION_VALUES, "", r.mark(vals, valuesEntry.keyRange.end));
      if (!vals || !isSeq(vals)) {
        er.error("Rule exception values must be a sequence", MapReader.valueOrKeyRange(valuesEntry), valsCtx);
      } else {
        const items: ExceptionEntry[] = [];
        for (const rawVal of vals.items) {
          const val = resolveNode(r.env, rawVal);
          const vctx = valsCtx.child(ItemType.EXCEPTION_VALUE, "", r.mark(val));
          const v = readEntry(er, val, "", vctx, true, 0);
          if (v) items.push(v);
        }
        exception.values = new SequenceRef(vals as YAMLSeq.Parsed, items, valuesEntry.keyRange);
      }
    } else if (append) {
      er.warn("LOAD_APPEND_NO_VALUES", "Overriding/appending exception with no values", name?.range ?? er.headRange(), exCtx);
    }
    exception.valid = er.valid;
    out.push(exception);
  }
  return new SequenceRef(exs as YAMLSeq.Parsed, out, entry.keyRange);
}
