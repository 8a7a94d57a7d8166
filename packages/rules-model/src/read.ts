/**
 * `parseRulesFile`: a Falco rules file (a YAML stream whose documents are sequences of maps)
 * read into typed items with exact source ranges and Falco's reader diagnostics.
 */
import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type ParseOptions as YamlParseOptions, type YAMLError, type YAMLMap } from "yaml";
import { ItemType, ROOT_CTX, Sink } from "./context.js";
import { isYamlCppNull } from "./decode.js";
import { readItem } from "./items.js";
import { MapReader, resolveNode, type ReadEnv } from "./map-reader.js";
import type { ParseOptions, RulesDocument, RulesFile, RulesItem } from "./types.js";
import { describeYamlError, nestingBound } from "./yaml-errors.js";

/**
 * Deepest collection nesting we hand to the YAML composer. Rules files nest a handful of
 * levels; the composer recurses, and very deep inputs would exhaust the stack.
 */
export const MAX_NESTING = 200;

const YAML_OPTIONS: YamlParseOptions & { schema: string; resolveKnownTags: boolean } = {
  // Every scalar stays a string; values are decoded per key the way yaml-cpp does.
  schema: "failsafe",
  resolveKnownTags: false,
  keepSourceTokens: true,
  // yaml-cpp accepts duplicate keys (lookups find the first).
  uniqueKeys: false,
  prettyErrors: false,
};

function reportYamlError(sink: Sink, text: string, error: YAMLError): void {
  const report = describeYamlError(text, error);
  sink.load("LOAD_ERR_YAML_PARSE", report.message, report.range, ROOT_CTX.child(ItemType.VALUE_FOR, "", report.offset));
}

function readDocument(env: ReadEnv, docIndex: number, items: RulesItem[]): void {
  const { doc, sink } = env;
  const contents = resolveNode(env, doc.contents);
  if (contents === null) return;
  const range = contents.range ? { start: contents.range[0], end: contents.range[1] } : { start: 0, end: 0 };
  if (isScalar(contents)) {
    if (isYamlCppNull(contents)) return;
    sink.load("LOAD_ERR_YAML_VALIDATE", "Rules content is not yaml", range, ROOT_CTX);
    return;
  }
  if (!isSeq(contents)) {
    sink.load("LOAD_ERR_YAML_VALIDATE", "Rules content is not yaml array of objects", range, ROOT_CTX);
    return;
  }
  for (const raw of contents.items) {
    const element = resolveNode(env, raw);
    if (element === null || (isScalar(element) && isYamlCppNull(element))) continue;
    if (!isMap(element)) {
      const r = element.range ? { start: element.range[0], end: element.range[1] } : range;
      const ctx = ROOT_CTX.child(ItemType.RULES_CONTENT_ITEM, "", r.start);
      sink.load("LOAD_ERR_YAML_VALIDATE", "Unexpected element type. Each element should be a yaml associative array.", r, ctx);
      continue;
    }
    const reader = new MapReader(env, element as YAMLMap.Parsed);
    items.push(readItem(reader, items.length, docIndex, ROOT_CTX));
  }
}

/**
 * Reads a Falco rules file.
 *
 * Every document of the YAML stream must be null or a sequence of maps. Each map becomes an
 * item of the kind named by its first defining key (in Falco's order: `required_engine_version`,
 * `required_plugin_versions`, `list`, `macro`, `rule`), or `unknown`. Scalars are decoded as
 * yaml-cpp decodes them (every value starts as a string; booleans, numbers and priorities are
 * converted per key).
 *
 * Problems come back as diagnostics with Falco 0.44.1's codes, messages and location chains.
 * Unlike Falco, reading does not stop at the first error: items with errors are kept and
 * marked `valid: false`. Never throws.
 */
export function parseRulesFile(text: string, options: ParseOptions = {}): RulesFile {
  const sink = new Sink(options.fileName);
  const items: RulesItem[] = [];
  const documents: RulesDocument[] = [];
  const result = (): RulesFile => ({ fileName: options.fileName, text, items, documents, diagnostics: sink.diagnostics });

  const nul = text.indexOf("\0");
  if (nul >= 0) {
    sink.own("file/binary", "error", "The file holds binary data (a NUL character), not YAML text", { start: nul, end: nul + 1 });
    return result();
  }
  const bound = nestingBound(text);
  if (bound.depth > MAX_NESTING) {
    sink.load(
      "LOAD_ERR_YAML_PARSE",
      `YAML collections nest too deeply (more than ${MAX_NESTING} levels)`,
      { start: bound.offset, end: Math.min(bound.offset + 1, text.length) },
      ROOT_CTX.child(ItemType.VALUE_FOR, "", bound.offset),
    );
    return result();
  }

  let docs: Document.Parsed[];
  try {
    // The `yaml` parser counts a byte order mark as a column, which shifts the first line's
    // indentation; yaml-cpp skips it. Parse with a line break in its place: same offsets.
    const source = text.charCodeAt(0) === 0xfeff ? "\n" + text.slice(1) : text;
    const parsed = parseAllDocuments(source, YAML_OPTIONS);
    // No document at all: the stream may still carry errors (e.g. a bad directive).
    for (const e of (parsed as { errors?: YAMLError[] }).errors ?? []) reportYamlError(sink, text, e);
    docs = Array.isArray(parsed) ? (parsed as Document.Parsed[]) : [];
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    sink.load("LOAD_ERR_YAML_PARSE", `unknown YAML parsing error: ${message}`, { start: 0, end: 0 }, ROOT_CTX);
    return result();
  }
  for (const doc of docs) for (const e of doc.errors) reportYamlError(sink, text, e);
  docs.forEach((doc, index) => {
    documents.push({ index, range: { start: doc.range[0], end: doc.range[2] }, document: doc });
    readDocument({ text, sink, doc }, index, items);
  });
  return result();
}
