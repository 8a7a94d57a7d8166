/**
 * Loading rules files in order, as Falco does: each file is read into the one collector
 * (definitions, appends, overrides), then everything collected so far is compiled again.
 * Every file gets its own load result.
 */
import type { Diagnostic } from "@falcokit/diagnostics";
import { defaultCatalogs, type FieldCatalog } from "@falcokit/fields";
import { ItemType, parseRulesFile, validateSchema, type RequiredEngineVersionItem, type RequiredPluginVersionsItem, type RulesFile } from "@falcokit/rules-model";
import { Collector, versionString, type EngineVersion, type ExceptionInfo } from "./collector.js";
import { Compiler, type AppendOutput, type CachedRule, type CachedMacro, type CompileOptions, type CompileResult } from "./compiler.js";
import { isModifierOperator } from "./exceptions.js";
import { parseCondition, nodesOf } from "@falcokit/condition";
import { LoadError, child, falcoDiagnostic, rootWhere, Files, type Where } from "./problems.js";
import { readItem, type ReadContext } from "./read.js";
import { NodeOrigins } from "./macros.js";

/** Falco 0.44.1's rules engine version. */
export const FALCO_ENGINE_VERSION: EngineVersion = { major: 0, minor: 62, patch: 0 };

export interface RulesSource {
  /** The name Falco shows for the file (its path). */
  name: string;
  text: string;
}

export interface LoadOptions {
  /** The engine version rules are checked against (`required_engine_version`). */
  engineVersion?: EngineVersion;
  /** Field catalogs by source; a rule whose source has none is skipped with LOAD_UNKNOWN_SOURCE. */
  catalogs?: ReadonlyMap<string, FieldCatalog>;
  /** Stop each file at its first error and skip compiling it, as Falco does. */
  falcoCompat?: boolean;
  /** falco.yaml `append_output` entries. */
  appendOutput?: readonly AppendOutput[];
  /** Plugins to check `required_plugin_versions` against; unchecked when absent. */
  plugins?: readonly { name: string; version: string }[];
  /**
   * Read and resolve only: no JSON Schema check and no compile (`compiled` stays undefined,
   * and compile problems go unreported). For callers that compare collected items, such as
   * checking that a text edit changed only what it meant to.
   */
  collectOnly?: boolean;
}

export interface FileResult {
  name: string;
  successful: boolean;
  /** Load diagnostics in the order Falco reports them (may point into earlier files). */
  diagnostics: Diagnostic[];
  /** JSON Schema findings (never failures). */
  schema: Diagnostic[];
}

export interface LoadResult {
  files: FileResult[];
  /** The parsed files, by name. */
  parsed: ReadonlyMap<string, RulesFile>;
  /** The compile output after the last file. */
  compiled: CompileResult | undefined;
  collector: Collector;
  /** The field catalogs the load used, by source. */
  catalogs: ReadonlyMap<string, FieldCatalog>;
}

const ALLOWED_COMPS = new Set(["=", "==", "!=", "<=", "<", ">=", ">", "exists", "glob", "iglob", "contains", "icontains", "bcontains", "startswith", "bstartswith", "endswith", "regex", "intersects", "in", "pmatch"]);

function normalizeComp(s: string): string {
  return s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
}

/** Falco's checks of an exception against its rule's source (collector `validate_exception_info`). */
function exceptionValidator(catalogs: ReadonlyMap<string, FieldCatalog>) {
  return (source: string | undefined) => (ex: ExceptionInfo) => {
    const fail = (message: string): never => {
      throw new LoadError("LOAD_ERR_VALIDATE", message, ex.where);
    };
    const catalog = source !== undefined ? catalogs.get(source) : undefined;
    const validField = (f: string) => !catalog || isValidLhsField(f, catalog);
    if (ex.fields.isList) {
      if (!ex.comps.valid) ex.comps = { valid: false, isList: true, item: "", items: ex.fields.items.map(() => "=") };
      if (ex.fields.items.length !== ex.comps.items.length) fail("Fields and comps lists must have equal length");
      ex.comps.items = ex.comps.items.map(normalizeComp);
      for (const c of ex.comps.items) if (!ALLOWED_COMPS.has(c) && !isModifierOperator(c)) fail(`'${c}' is not a supported comparison operator`);
      for (const f of ex.fields.items) if (!validField(f)) fail(`'${f}' is not a supported filter field`);
    } else {
      if (!ex.comps.valid) ex.comps = { valid: false, isList: false, item: "in", items: [] };
      if (ex.comps.isList) fail("Fields and comps must both be strings");
      ex.comps.item = normalizeComp(ex.comps.item);
      const c = ex.comps.item;
      if (c !== "in" && c !== "pmatch" && c !== "intersects" && !isModifierOperator(c)) {
        fail("When fields is a single value, comps must be one of (in, pmatch, intersects) or a modifier operator (e.g. startswith oneof)");
      }
      if (!validField(ex.fields.item)) fail(`'${ex.fields.item}' is not a supported filter field`);
    }
  };
}

/** Whether text is a field (or transformer expression) the source knows, as an exception field. */
function isValidLhsField(text: string, catalog: FieldCatalog): boolean {
  const r = parseCondition(`${text} exists`);
  if (r.errors.length > 0 || !r.ast || r.ast.type !== "unary_check") return false;
  return nodesOf(r.ast.left).every((n) => n.type !== "field" || catalog.lookup(n.name, n.arg)?.ok === true);
}

function parseVersion(v: string): EngineVersion | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(v);
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}

const compareVersions = (a: EngineVersion, b: EngineVersion) => a.major - b.major || a.minor - b.minor || a.patch - b.patch;

/** Loads files in order into one collector, like `falco -V a -V b` or `rules_files`. */
export function loadRules(sources: readonly RulesSource[], options: LoadOptions = {}): LoadResult {
  const engineVersion = options.engineVersion ?? FALCO_ENGINE_VERSION;
  const catalogs = options.catalogs ?? defaultCatalogs();
  const falcoCompat = options.falcoCompat ?? false;
  const collector = new Collector();
  const files = new Files();
  const parsed = new Map<string, RulesFile>();
  const results: FileResult[] = [];
  let compiled: CompileResult | undefined;
  const parseCache = new Map<string, ReturnType<typeof parseCondition>>();
  const outputChecks: NonNullable<CompileOptions["outputChecks"]> = new Map();
  const macroCache = new Map<string, CachedMacro>();
  const origins = new NodeOrigins();
  const ruleCache = new Map<string, CachedRule>();

  for (const source of sources) {
    const file = parseRulesFile(source.text, { fileName: source.name });
    parsed.set(source.name, file);
    files.add(source.name, file);
    const schema = options.collectOnly || file.diagnostics.some((d) => d.code === "load/LOAD_ERR_YAML_PARSE" || d.code === "file/binary") ? [] : validateSchema(file);
    const diagnostics: Diagnostic[] = [];
    let readOk = true;

    const yamlErrors = file.diagnostics.filter((d) => d.code === "load/LOAD_ERR_YAML_PARSE" || d.code === "file/binary");
    if (yamlErrors.length > 0) {
      results.push({ name: source.name, successful: false, diagnostics: yamlErrors, schema });
      continue;
    }
    // Reader diagnostics come in item order; an item with an error is not applied.
    const readerByItem = new Map<number, Diagnostic[]>();
    const fileLevel: Diagnostic[] = [];
    for (const d of file.diagnostics) {
      const item = file.items.find((i) => d.range.start >= i.range.start && d.range.start <= i.range.end);
      if (item) readerByItem.set(item.index, [...(readerByItem.get(item.index) ?? []), d]);
      else fileLevel.push(d);
    }
    diagnostics.push(...fileLevel);
    if (fileLevel.some((d) => d.severity === "error")) readOk = false;

    const ctx: ReadContext = {
      collector,
      files,
      fileName: source.name,
      validateException: exceptionValidator(catalogs),
      hasSource: (s) => catalogs.has(s),
      unknownSource: (s, where) => diagnostics.push(falcoDiagnostic("LOAD_UNKNOWN_SOURCE", `Unknown source ${s}, skipping`, where)),
    };
    for (const item of file.items) {
      if (!readOk && falcoCompat) break;
      const own = readerByItem.get(item.index) ?? [];
      const firstError = own.findIndex((d) => d.severity === "error");
      diagnostics.push(...(falcoCompat && firstError >= 0 ? own.slice(0, firstError + 1) : own));
      if (firstError >= 0 || !item.valid) {
        readOk = false;
        continue;
      }
      try {
        if (item.kind === "required_engine_version") checkEngineVersion(item, engineVersion, files, source.name, collector);
        else if (item.kind === "required_plugin_versions") collectPlugins(item, files, source.name, collector);
        else if (item.kind === "rule" || item.kind === "macro" || item.kind === "list") readItem(ctx, item);
      } catch (e) {
        if (!(e instanceof LoadError)) throw e;
        diagnostics.push(falcoDiagnostic(e.falcoCode, e.message, e.where, e.code));
        readOk = false;
      }
    }

    if ((readOk || !falcoCompat) && !options.collectOnly) {
      compiled = new Compiler(collector, files, { catalogs, falcoCompat, appendOutput: options.appendOutput ?? [], parseCache, ruleCache, outputChecks, macroCache, origins }).run();
      diagnostics.push(...compiled.diagnostics);
    }
    if (options.plugins) diagnostics.push(...checkPlugins(collector, options.plugins));
    results.push({ name: source.name, successful: !diagnostics.some((d) => d.severity === "error"), diagnostics, schema });
  }
  return { files: results, parsed, compiled, collector, catalogs };
}

function itemRoot(files: Files, file: string, itemType: string, node: RequiredEngineVersionItem["node"], range: { start: number; end: number }): Where {
  return child(rootWhere(file), itemType, "", files.mark(file, node, range.start), range);
}

function checkEngineVersion(item: RequiredEngineVersionItem, engine: EngineVersion, files: Files, file: string, collector: Collector): void {
  const required = item.version?.value;
  if (!required) return;
  const where = itemRoot(files, file, ItemType.REQUIRED_ENGINE_VERSION, item.node, item.version?.range ?? item.range);
  if (required.major !== engine.major || compareVersions(engine, required) < 0) {
    throw new LoadError("LOAD_ERR_VALIDATE", `Rules require engine version ${versionString(required)}, but engine version is ${versionString(engine)}`, where);
  }
  if (!collector.requiredEngineVersion || compareVersions(collector.requiredEngineVersion, required) < 0) collector.requiredEngineVersion = required;
}

function collectPlugins(item: RequiredPluginVersionsItem, files: Files, file: string, collector: Collector): void {
  const base = itemRoot(files, file, ItemType.REQUIRED_PLUGIN_VERSIONS, item.node, item.range);
  for (const p of item.plugins?.items ?? []) {
    const where = child(base, ItemType.REQUIRED_PLUGIN_VERSIONS_ENTRY, p.name?.text ?? "", files.mark(file, p.node, p.range.start), p.range);
    const alternatives = [{ name: p.name?.text ?? "", version: p.version?.text ?? "" }, ...(p.alternatives?.items ?? []).map((a) => ({ name: a.name?.text ?? "", version: a.version?.text ?? "" }))];
    const seen = new Set<string>();
    for (const a of alternatives) {
      if (!parseVersion(a.version)) throw new LoadError("LOAD_ERR_VALIDATE", `Invalid required version '${a.version}' for plugin '${a.name}'`, where);
      if (seen.has(a.name)) throw new LoadError("LOAD_ERR_VALIDATE", `Defined multiple alternative version requirements for plugin '${a.name}'`, where);
      seen.add(a.name);
    }
    collector.requiredPlugins.push({ alternatives, where });
  }
}

/** The app-level check Falco makes after loading: each requirement met by one alternative. */
function checkPlugins(collector: Collector, plugins: readonly { name: string; version: string }[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const req of collector.requiredPlugins) {
    const ok = req.alternatives.some((a) => {
      const loaded = plugins.find((p) => p.name === a.name);
      const want = parseVersion(a.version);
      const have = loaded ? parseVersion(loaded.version) : undefined;
      return want && have && have.major === want.major && compareVersions(have, want) >= 0;
    });
    if (!ok) {
      const list = req.alternatives.map((a) => `${a.name} (>= ${a.version})`).join(", ");
      out.push(falcoDiagnostic("LOAD_ERR_VALIDATE", `Plugin requirement not satisfied, must load one of: ${list}`, req.where));
    }
  }
  return out;
}
