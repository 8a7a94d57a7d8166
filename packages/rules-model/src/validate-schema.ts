/**
 * Checks the items of a rules file against {@link falcoRulesSchema} with ajv and reports each
 * violation as a `schema/violation` warning on the offending YAML node. Like Falco's own
 * schema check, this never makes a file invalid.
 */
import type { Diagnostic, OffsetRange } from "@falcokit/diagnostics";
import AjvModule, { type ErrorObject, type ValidateFunction } from "ajv";
import { isAlias, isMap, isScalar, isSeq, type Node as YamlNode, type Scalar } from "yaml";
import { isYamlCppNull, scalarText } from "./decode.js";
import { falcoRulesSchema } from "./schema.js";
import type { RulesFile, RulesItem } from "./types.js";

type AjvClass = typeof AjvModule.default;
// ajv is CommonJS: depending on the loader, the class is the module or its `default`.
const Ajv: AjvClass = ((AjvModule as unknown as { default?: AjvClass }).default ?? AjvModule) as AjvClass;

let itemValidator: ValidateFunction | undefined;

/** Compiles the schema once, on first use. */
function validator(): ValidateFunction {
  if (!itemValidator) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false, strictTypes: false });
    ajv.addKeyword("errorMessage");
    ajv.addKeyword("patternErrorMessage");
    ajv.addSchema(falcoRulesSchema);
    const fn = ajv.getSchema(`${falcoRulesSchema.$id as string}#/definitions/item`);
    if (!fn) throw new Error("falco rules schema: item definition not found");
    itemValidator = fn;
  }
  return itemValidator;
}

/** Deeper than this, a value is not converted further (Falco files nest a few levels). */
const MAX_DEPTH = 64;

const CORE_NULL = /^(?:~|null|Null|NULL|)$/;
const CORE_TRUE = /^(?:true|True|TRUE)$/;
const CORE_FALSE = /^(?:false|False|FALSE)$/;
const CORE_INT = /^[-+]?[0-9]+$/;
const CORE_OCT = /^0o[0-7]+$/;
const CORE_HEX = /^0x[0-9a-fA-F]+$/;
const CORE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const CORE_INF = /^[-+]?\.(?:inf|Inf|INF)$/;
const CORE_NAN = /^\.(?:nan|NaN|NAN)$/;

/** A plain scalar typed as the YAML 1.2 core schema (what YAML editors use) types it. */
function coreScalar(node: Scalar): unknown {
  const text = scalarText(node);
  if (node.type !== "PLAIN" || node.tag !== undefined) return isYamlCppNull(node) ? null : text;
  if (CORE_NULL.test(text)) return null;
  if (CORE_TRUE.test(text)) return true;
  if (CORE_FALSE.test(text)) return false;
  if (CORE_INT.test(text)) return Number(text);
  if (CORE_OCT.test(text)) return parseInt(text.slice(2), 8);
  if (CORE_HEX.test(text)) return parseInt(text.slice(2), 16);
  if (CORE_FLOAT.test(text)) return Number(text);
  if (CORE_INF.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
  if (CORE_NAN.test(text)) return NaN;
  return text;
}

interface Resolver {
  resolve(node: unknown): YamlNode | null;
}

function toJson(node: YamlNode | null, r: Resolver, depth: number): unknown {
  if (node === null) return null;
  if (isScalar(node)) return coreScalar(node);
  if (depth >= MAX_DEPTH) return null;
  if (isSeq(node)) return node.items.map((el) => toJson(r.resolve(el), r, depth + 1));
  if (isMap(node)) {
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const pair of node.items) {
      const key = r.resolve(pair.key);
      if (!key || !isScalar(key)) continue;
      const name = isYamlCppNull(key) ? "null" : scalarText(key);
      if (!(name in out)) out[name] = toJson(r.resolve(pair.value), r, depth + 1);
    }
    return out;
  }
  return null;
}

function decodePointer(path: string): string[] {
  if (path === "") return [];
  return path
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

interface Located {
  node: YamlNode | null;
  keyRange: OffsetRange | undefined;
}

function locate(root: YamlNode, segments: readonly string[], r: Resolver): Located {
  let node: YamlNode | null = root;
  let keyRange: OffsetRange | undefined;
  for (const seg of segments) {
    if (node && isMap(node)) {
      const pair: { key: unknown; value: unknown } | undefined = node.items.find((p: { key: unknown }) => {
        const k = r.resolve(p.key);
        return k !== null && isScalar(k) && (isYamlCppNull(k) ? "null" : scalarText(k)) === seg;
      });
      const k = pair ? r.resolve(pair.key) : null;
      keyRange = k?.range ? { start: k.range[0], end: k.range[1] } : keyRange;
      node = pair ? r.resolve(pair.value) : null;
    } else if (node && isSeq(node)) {
      node = r.resolve(node.items[Number(seg)]);
      keyRange = undefined;
    } else {
      break;
    }
  }
  return { node, keyRange };
}

function rangeOf(node: YamlNode | null): OffsetRange | undefined {
  return node?.range ? { start: node.range[0], end: node.range[1] } : undefined;
}

/** `exceptions[0].values` */
function pathText(segments: readonly string[]): string {
  let out = "";
  for (const seg of segments) out += /^[0-9]+$/.test(seg) ? `[${seg}]` : out === "" ? seg : `.${seg}`;
  return out;
}

function itemLabel(item: RulesItem): string {
  if (item.kind === "unknown") return "item";
  if (item.kind === "required_engine_version" || item.kind === "required_plugin_versions") return item.kind;
  const name = item.name?.text;
  return name !== undefined ? `${item.kind} '${name}'` : item.kind;
}

/** The message keyword of the schema an error was raised in. */
function schemaMessage(e: ErrorObject): string | undefined {
  const parent = e.parentSchema as { errorMessage?: unknown; patternErrorMessage?: unknown } | undefined;
  if (e.keyword === "pattern" && typeof parent?.patternErrorMessage === "string") return parent.patternErrorMessage;
  return typeof parent?.errorMessage === "string" ? parent.errorMessage : undefined;
}

/** Drops errors that only explain another one (`if`, and the branches of a failed `anyOf`). */
function relevantErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const anyOfPaths = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf").map((e) => e.instancePath);
  return errors.filter((e) => {
    if (e.keyword === "if") return false;
    if (e.keyword === "anyOf" || e.keyword === "oneOf") {
      // Keep only the outermost failed alternative.
      return !anyOfPaths.some((p) => e.instancePath.startsWith(p + "/"));
    }
    return !anyOfPaths.some((p) => e.instancePath === p || e.instancePath.startsWith(p + "/"));
  });
}

function describe(e: ErrorObject, item: RulesItem, r: Resolver, value: unknown): { message: string; range: OffsetRange } {
  const segments = decodePointer(e.instancePath);
  const at = locate(item.node, segments, r);
  const label = itemLabel(item);
  const path = pathText(segments);
  const valueRange = rangeOf(at.node);
  const nodeRange = (): OffsetRange => {
    if (at.node === null || (valueRange && valueRange.end === valueRange.start)) return at.keyRange ?? valueRange ?? item.range;
    return valueRange ?? at.keyRange ?? item.range;
  };
  const custom = schemaMessage(e);
  switch (e.keyword) {
    case "additionalProperties": {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const keyAt = locate(item.node, [...segments, key], r);
      const where = path ? `${path}: ` : "";
      const what = segments[segments.length - 1] === "override" ? `'${key}' cannot be overridden` : `'${key}' is not an allowed key`;
      return { message: `${label}: ${where}${what}`, range: keyAt.keyRange ?? nodeRange() };
    }
    case "required": {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      const where = path ? `${path}: ` : "";
      let range = at.keyRange ?? nodeRange();
      if (segments.length === 0 || (at.node && isMap(at.node))) {
        // Point at the map's first key rather than at the whole map.
        const first = at.node && isMap(at.node) ? r.resolve(at.node.items[0]?.key) : null;
        range = rangeOf(first) ?? range;
      }
      return { message: custom ? `${label}: ${custom}` : `${label}: ${where}missing required key '${missing}'`, range };
    }
    default: {
      if (segments.length === 0) return { message: `${label}: ${custom ?? e.message ?? "is invalid"}`, range: rangeOf(item.node.items[0]?.key as YamlNode) ?? item.range };
      const what = value === null ? "is empty" : (custom ?? e.message ?? "is invalid");
      return { message: `${label}: '${path}' ${what}`, range: nodeRange() };
    }
  }
}

function valueAt(json: unknown, segments: readonly string[]): unknown {
  let v = json;
  for (const s of segments) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[s];
  }
  return v;
}

/**
 * Validates every item of `file` against the Falco rules JSON Schema. Returns `schema/violation`
 * warnings with human-readable messages (e.g. `rule 'X': 'prioriy' is not an allowed key`) and
 * ranges on the offending key or value. Scalars are typed the way a YAML 1.2 editor types them.
 */
export function validateSchema(file: RulesFile): Diagnostic[] {
  const validate = validator();
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const item of file.items) {
    const doc = file.documents[item.docIndex]?.document;
    const r: Resolver = {
      resolve(node: unknown): YamlNode | null {
        if (node === null || node === undefined) return null;
        if (isAlias(node)) {
          try {
            return (doc ? (node.resolve(doc) as YamlNode | undefined) : undefined) ?? null;
          } catch {
            return null;
          }
        }
        return node as YamlNode;
      },
    };
    const json = toJson(item.node, r, 0);
    if (validate(json)) continue;
    for (const e of relevantErrors(validate.errors ?? [])) {
      const { message, range } = describe(e, item, r, valueAt(json, decodePointer(e.instancePath)));
      const key = `${range.start}:${range.end}:${message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const d: Diagnostic = { code: "schema/violation", severity: "warning", message, range };
      if (file.fileName !== undefined) d.file = file.fileName;
      out.push(d);
    }
  }
  return out;
}
