/**
 * Falco's compile step, run over everything collected so far after each file: lists, then
 * macros (parsed and expanded), then rules (exceptions appended, lists substituted, parsed,
 * macros expanded, checked against the source's fields, event types derived), then the
 * unused-macro and unused-list warnings.
 */
import { parseCondition, parseOutput, asString, nodesOf, type Expr, type Node } from "@falcokit/condition";
import type { Diagnostic } from "@falcokit/diagnostics";
import type { FieldCatalog } from "@falcokit/fields";
import type { Collector, RuleInfo } from "./collector.js";
import { compileFilter } from "./compile.js";
import { NO_EVTTYPE_MESSAGE, eventTypesOf, noEventTypeWarning, type EventTypeSet } from "./event-types.js";
import { applyExceptions } from "./exceptions.js";
import { compileLists, resolveLists, type CompiledList } from "./lists.js";
import { NodeOrigins, resolveMacros } from "./macros.js";
import { LoadError, falcoDiagnostic, inCondition, type FalcoCode, type Files, type Where } from "./problems.js";
import { TrackedText } from "./tracked.js";

export interface CompiledMacro {
  name: string;
  ast: Expr | null;
  used: boolean;
}

export interface CompiledRule {
  info: RuleInfo;
  /** The condition text Falco parses: exceptions appended, lists substituted. */
  conditionText: string;
  /** The expanded tree. */
  ast: Expr;
  output: string;
  exceptionFields: string[];
  /** The rule's event types (names as Falco lists them: `describeEventNames(eventSet)`). */
  eventSet: EventTypeSet;
  macros: string[];
  lists: string[];
  conditionFields: string[];
  outputFields: string[];
}

/** A falco.yaml `append_output` entry: text appended to the outputs of the rules it matches. */
export interface AppendOutput {
  format: string;
  /** Only rules of this source ("" or absent: any). */
  source?: string;
  /** Only rules carrying all these tags. */
  tags?: readonly string[];
  /** Only the rule of this name ("" or absent: any). */
  rule?: string;
}

/** A rule compiled once, with what it depended on and what it reported. */
export interface CachedRule {
  compiled: Omit<CompiledRule, "info">;
  diagnostics: Diagnostic[];
  /** The macros the rule expanded, with their substituted text at the time. */
  macros: [string, string][];
  /** The macros marked used by the rule. */
  used: string[];
}

/** A macro expanded once, with the texts of the macros it named (null: not visible). */
export interface CachedMacro {
  ast: Expr;
  resolved: string[];
  refs: [string, string | null][];
}

export interface CompileOptions {
  catalogs: ReadonlyMap<string, FieldCatalog>;
  /** Parses shared by the compiles of one load (Falco recompiles everything after each file). */
  parseCache?: Map<string, ReturnType<typeof parseCondition>>;
  /** Rules compiled by earlier compiles of the same load, reused while nothing they use changed. */
  ruleCache?: Map<string, CachedRule>;
  appendOutput?: readonly AppendOutput[];
  /** Macros expanded by earlier compiles of the same load, reused while nothing they use changed. */
  macroCache?: Map<string, CachedMacro>;
  /** Node origins shared by the compiles of one load (cached trees keep theirs). */
  origins?: NodeOrigins;
  /** Output checks shared by the compiles of one load. */
  outputChecks?: Map<FieldCatalog, Map<string, OutputCheck>>;
  /** Stop at the first error, as Falco does. */
  falcoCompat: boolean;
}

export interface CompileResult {
  lists: CompiledList[];
  macros: CompiledMacro[];
  rules: CompiledRule[];
  diagnostics: Diagnostic[];
}

const DEPRECATED_FIELDS = ["evt.dir", "evt.latency", "evt.latency.s", "evt.latency.ns", "evt.latency.human", "evt.wait_latency"];
const LATENCY_DESC = "field is not available due to the drop of enter events.";
const DEPRECATED_DESC: Record<string, string> = {
  "evt.dir":
    "due to the drop of enter events, 'evt.dir = <' always evaluates to true, and 'evt.dir = >' always evaluates to false. The rule expression can be simplified by removing the condition on 'evt.dir'",
};
const CONTAINER_INFO = "%container.info";
const CONTAINER_INFO_WARNING =
  "%container.info is deprecated and no more useful, and will be dropped by Falco 1.0.0. The container plugin will automatically add required fields to the output message.";
const UNKNOWN_MARKERS = ["nonexistent field", "invalid formatting token", "unknown event type", "unknown filter:"];

type OutputCheck = { error?: { message: string; range: { start: number; end: number } }; fields: string[] };

export class Compiler {
  /** Output checks by catalog and output text (pure, so shared across the compiles of a load). */
  private readonly outputChecks: Map<FieldCatalog, Map<string, OutputCheck>>;
  private readonly diagnostics: Diagnostic[] = [];
  private readonly origins: NodeOrigins;
  /** Each macro's condition after list substitution, in this compile. */
  private readonly macroTexts = new Map<string, string>();

  constructor(
    private readonly collector: Collector,
    private readonly files: Files,
    private readonly options: CompileOptions,
  ) {
    this.outputChecks = options.outputChecks ?? new Map();
    this.origins = options.origins ?? new NodeOrigins();
  }

  private report(code: FalcoCode, message: string, where: Where, ownCode?: string): void {
    this.diagnostics.push(falcoDiagnostic(code, message, where, ownCode));
  }

  /** Records an error; in Falco-compatible mode, stops the compile. */
  private error(e: LoadError): void {
    this.report(e.falcoCode, e.message, e.where, e.code);
    if (this.options.falcoCompat) throw new StopCompile();
  }

  run(): CompileResult {
    const lists = compileLists(this.collector);
    const macros: CompiledMacro[] = [];
    const rules: CompiledRule[] = [];
    try {
      this.compileMacros(lists, macros);
      this.compileRules(lists, macros, rules);
    } catch (e) {
      if (!(e instanceof StopCompile)) throw e;
      return { lists, macros, rules, diagnostics: this.diagnostics };
    }
    // Like Falco, no unused-item warnings after an error: a macro used only by a broken rule
    // would look unused.
    if (this.diagnostics.some((d) => d.severity === "error")) return { lists, macros, rules, diagnostics: this.diagnostics };
    for (const m of macros) {
      if (!m.used) this.report("LOAD_UNUSED_MACRO", "Macro not referred to by any other rule/macro", this.collector.macros.get(m.name)!.where);
    }
    for (const l of lists) {
      if (!l.used) this.report("LOAD_UNUSED_LIST", "List not referred to by any other rule/macro", this.collector.lists.get(l.name)!.where);
    }
    return { lists, macros, rules, diagnostics: this.diagnostics };
  }

  /**
   * Parses through the load's cache. Macro expansion rewrites the boolean skeleton of a tree,
   * so a cached tree is handed out as a fresh skeleton over shared checks.
   */
  private cachedParse(text: string): ReturnType<typeof parseCondition> {
    const cache = this.options.parseCache;
    if (!cache) return parseCondition(text);
    let r = cache.get(text);
    if (!r) {
      r = parseCondition(text);
      cache.set(text, r);
    }
    return r.ast ? { ...r, ast: skeleton(r.ast) } : r;
  }

  /** Substitutes lists and parses; a parse error is reported at the condition. */
  private parse(text: TrackedText, lists: CompiledList[], condWhere: Where): { ast: Expr; text: TrackedText } | undefined {
    const resolved = resolveLists(text, lists);
    const r = this.cachedParse(resolved.text);
    const first = r.errors[0];
    if (first || !r.ast) {
      const e = first!;
      this.error(new LoadError("LOAD_ERR_COMPILE_CONDITION", e.message, inCondition(this.files, condWhere, resolved, e.range, e.offset), e.code));
      return undefined;
    }
    this.origins.adopt(r.ast, resolved);
    return { ast: r.ast, text: resolved };
  }

  private compileMacros(lists: CompiledList[], out: CompiledMacro[]): void {
    const texts = new Map<string, TrackedText>();
    for (const m of this.collector.macros) {
      const parsed = this.parse(m.cond, lists, m.condWhere);
      out.push({ name: m.name, ast: parsed?.ast ?? null, used: false });
      if (parsed) texts.set(m.name, parsed.text);
      this.macroTexts.set(m.name, parsed?.text.text ?? "");
    }
    const byName = new Map(out.map((m) => [m.name, m]));
    const cache = this.options.macroCache;
    for (const m of out) {
      if (!m.ast) continue;
      const info = this.collector.macros.get(m.name)!;
      const text = texts.get(m.name)!;
      const visible = new VisibleMacros(byName, this.collector, info.visibility);
      // A macro expanded by an earlier compile of the load, from the same text, over macros
      // that still have the texts they had then, expands the same way.
      const key = `${m.name}\u0000${info.visibility}\u0000${text.text}`;
      const cached = cache?.get(key);
      if (cached && cached.refs.every(([name, t]) => (visible.has(name) ? this.macroTexts.get(name)! : null) === t)) {
        m.ast = cached.ast;
        for (const name of cached.resolved) byName.get(name)!.used = true;
        continue;
      }
      const r = resolveMacros(m.ast, visible, this.origins, text);
      m.ast = r.ast;
      for (const name of r.resolved) byName.get(name)!.used = true;
      if (!this.macroErrors(r, info.where, text) && cache) {
        const refs = new Set([...r.resolved, ...r.unknown.map((u) => u.name)]);
        cache.set(key, { ast: r.ast, resolved: r.resolved, refs: [...refs].map((name) => [name, visible.has(name) ? this.macroTexts.get(name)! : null]) });
      }
    }
  }

  private macroErrors(r: ReturnType<typeof resolveMacros>, parent: Where, text: TrackedText): boolean {
    const problem = r.errors[0] ?? (r.unknown[0] ? { message: `Undefined macro '${r.unknown[0].name}' used in filter.`, node: r.unknown[0].node } : undefined);
    if (!problem) return false;
    const origin = this.origins.get(problem.node, text);
    this.error(new LoadError("LOAD_ERR_VALIDATE", problem.message, inCondition(this.files, parent, origin, problem.node.range)));
    return true;
  }

  private compileRules(lists: CompiledList[], macros: CompiledMacro[], out: CompiledRule[]): void {
    const all = new Map<string, Expr | null>(macros.map((m) => [m.name, m.ast]));
    const byName = new Map(macros.map((m) => [m.name, m]));
    for (const r of this.collector.rules) {
      if (r.unknownSource) continue;
      const catalog = this.options.catalogs.get(r.source);
      if (!catalog) continue;
      const compiled = this.compileRule(r, lists, byName, all, catalog);
      if (compiled) out.push(compiled);
    }
  }

  private compileRule(r: RuleInfo, lists: CompiledList[], macros: ReadonlyMap<string, CompiledMacro>, all: Map<string, Expr | null>, catalog: FieldCatalog): CompiledRule | undefined {
    const exceptionFields = new Set<string>();
    let condition = r.cond;
    try {
      if (r.exceptions.length > 0) condition = applyExceptions(condition, r.exceptions, exceptionFields);
    } catch (e) {
      if (e instanceof LoadError) return void this.error(e);
      throw e;
    }
    // The output, with falco.yaml's append_output entries that match the rule.
    let output = r.output;
    for (const extra of this.options.appendOutput ?? []) {
      if (extra.source && extra.source !== r.source) continue;
      if (!(extra.tags ?? []).every((t) => r.tags.has(t))) continue;
      if (extra.rule && extra.rule !== r.name) continue;
      output = `${output} ${extra.format}`;
    }
    if (output.includes(CONTAINER_INFO)) {
      this.report("LOAD_DEPRECATED_ITEM", CONTAINER_INFO_WARNING, r.where);
      output = output.replaceAll(CONTAINER_INFO, "");
    }
    const outputCheck = this.checkOutput(output, catalog);
    let outputFailed = false;
    if (outputCheck.error) {
      const where = this.outputWhere(r, outputCheck.error.range);
      if (UNKNOWN_MARKERS.some((m) => outputCheck.error!.message.includes(m)) && r.skipIfUnknownFilter) {
        this.report("LOAD_UNKNOWN_FILTER", outputCheck.error.message, where);
        return undefined;
      }
      this.error(new LoadError("LOAD_ERR_COMPILE_OUTPUT", outputCheck.error.message, where, "output/syntax-error"));
      // Falco stops here; falcokit still checks the condition to report its problems too.
      outputFailed = true;
    }
    for (const f of DEPRECATED_FIELDS) {
      if (output.includes(f)) this.report("LOAD_DEPRECATED_ITEM", `usage of deprecated field '${f}' has been detected in the rule output`, r.outputWhere);
    }
    // The condition. A rule whose text, output and macros are those of an earlier compile of
    // the same load compiles the same way: reuse it, repeating its warnings as Falco does.
    const substituted = resolveLists(condition, lists);
    const key = [r.source, r.skipIfUnknownFilter, r.warnEvttypes, output, substituted.text].join("\u0000");
    const cached = outputFailed ? undefined : this.options.ruleCache?.get(key);
    if (cached && cached.macros.every(([name, text]) => this.macroTexts.get(name) === text)) {
      for (const name of cached.used) {
        const m = macros.get(name);
        if (m) m.used = true;
      }
      for (const l of listsUsedBy(condition.text, lists)) l.used = true;
      this.diagnostics.push(...cached.diagnostics);
      return { ...cached.compiled, info: r };
    }
    const reported = this.diagnostics.length;
    const parsed = this.parse(condition, lists, r.condWhere);
    if (!parsed) return undefined;
    const resolution = resolveMacros(parsed.ast, all, this.origins, parsed.text);
    for (const name of resolution.resolved) {
      const m = macros.get(name);
      if (m) m.used = true;
    }
    if (this.macroErrors(resolution, r.where, parsed.text)) return undefined;
    const ast = resolution.ast;
    if (containsError(ast)) return undefined;
    this.conditionWarnings(ast, r, parsed.text);
    const compiled = compileFilter(ast, catalog);
    if (compiled.error) {
      const origin = this.origins.get(compiled.error.node, parsed.text);
      const where = inCondition(this.files, r.condWhere, origin, compiled.error.node.range);
      if (UNKNOWN_MARKERS.some((m) => compiled.error!.message.includes(m)) && r.skipIfUnknownFilter) {
        this.report("LOAD_UNKNOWN_FILTER", compiled.error.message, where);
        return undefined;
      }
      this.error(new LoadError("LOAD_ERR_COMPILE_CONDITION", compiled.error.message, where));
      return undefined;
    }
    for (const w of compiled.warnings) {
      const origin = this.origins.get(w.node, parsed.text);
      this.report("LOAD_COMPILE_CONDITION", w.message, inCondition(this.files, r.condWhere, origin, w.node.range));
    }
    // Async event names of the loaded plugins (krsi_open...) are event types too: libs maps them to `asyncevent`.
    const events = eventTypesOf(ast, r.source, catalog.asyncEventNames.length > 0 ? { asyncEventNames: catalog.asyncEventNames } : {});
    if (!events.ok) {
      // libs throws here and Falco does not catch it; falcokit reports it at the check.
      const origin = this.origins.get(ast, parsed.text);
      this.error(new LoadError("LOAD_ERR_COMPILE_CONDITION", events.message, inCondition(this.files, r.condWhere, origin, events.range), events.code));
      return undefined;
    }
    if (r.source === "syscall" && r.warnEvttypes && noEventTypeWarning(events)) {
      this.report("LOAD_NO_EVTTYPE", NO_EVTTYPE_MESSAGE, r.where);
    }
    if (outputFailed) return undefined;
    const fields = nodesOf(ast).flatMap((n) => (n.type === "field" ? [n.name + (n.arg !== undefined ? `[${n.arg}]` : "")] : []));
    const compiledRule: CompiledRule = {
      info: r,
      conditionText: parsed.text.text,
      ast,
      output,
      exceptionFields: [...exceptionFields],
      eventSet: events,
      macros: [...new Set(resolution.resolved)],
      lists: r.cond.text.length > 0 ? listsUsedBy(condition.text, lists).map((l) => l.name) : [],
      conditionFields: [...new Set(fields)],
      outputFields: outputCheck.fields,
    };
    const used = [...new Set(resolution.resolved)];
    this.options.ruleCache?.set(key, {
      compiled: { ...compiledRule },
      diagnostics: this.diagnostics.slice(reported),
      macros: used.map((name) => [name, this.macroTexts.get(name) ?? ""]),
      used,
    });
    return compiledRule;
  }

  /** Reports what Falco's filter warning resolver finds in a rule's condition. */
  private conditionWarnings(ast: Expr, r: RuleInfo, text: TrackedText): void {
    const where = inCondition(this.files, r.condWhere, text, { start: 0, end: 0 });
    const found = filterWarnings(ast);
    if (found.unsafeNa) this.report("LOAD_UNSAFE_NA_CHECK", "", where);
    for (const f of found.deprecatedFields) this.report("LOAD_DEPRECATED_ITEM", DEPRECATED_DESC[f] ?? LATENCY_DESC, where);
  }

  /**
   * Checks an output as libs' formatter does: each `%` token is the longest field (or
   * transformer) that compiles for the source.
   */
  private checkOutput(output: string, catalog: FieldCatalog): OutputCheck {
    let known = this.outputChecks.get(catalog);
    if (!known) this.outputChecks.set(catalog, (known = new Map()));
    let r = known.get(output);
    if (!r) known.set(output, (r = this.checkOutputOnce(output, catalog)));
    return r;
  }

  private checkOutputOnce(output: string, catalog: FieldCatalog): OutputCheck {
    const r = parseOutput(output);
    if (r.errors[0]) return { error: { message: r.errors[0].message, range: r.errors[0].range }, fields: [] };
    const fields: string[] = [];
    for (const t of r.tokens) {
      if (t.type !== "field") continue;
      if (t.expr.type === "field_transformer") {
        const check = compileFilter({ type: "unary_check", left: t.expr, op: "exists", opRange: t.range, range: t.range }, catalog);
        if (check.error) return { error: { message: "unknown filter: unexpected token after '", range: t.range }, fields };
        fields.push(asString(t.expr));
        continue;
      }
      // The longest prefix of the field that compiles, as libs shortens the token.
      const f = t.expr;
      let ok = compiles({ ...f }, catalog);
      let name = f.name;
      let withArg = f.arg !== undefined;
      if (!ok && withArg) {
        withArg = false;
        ok = compiles({ type: "field", name, nameRange: f.nameRange, range: f.range }, catalog);
      }
      while (!ok && name.includes(".")) {
        name = name.slice(0, -1);
        if (!/^[A-Za-z]+[A-Za-z0-9_]*(?:\.[A-Za-z]+[A-Za-z0-9_]*)+$/.test(name)) continue;
        ok = compiles({ type: "field", name, nameRange: f.nameRange, range: f.range }, catalog);
      }
      if (!ok) return { error: { message: "unknown filter: unexpected token after '", range: t.range }, fields };
      fields.push(name + (withArg ? `[${f.arg}]` : ""));
    }
    return { fields };
  }

  private outputWhere(r: RuleInfo, range: { start: number; end: number }): Where {
    const located = r.outputText.locate(range);
    return located ? { ...r.outputWhere, file: located.file, range: located.range } : r.outputWhere;
  }
}

/** Whether a field can be displayed in an output (it exists, and is not filter-only). */
/**
 * Falco's filter warning resolver: a `ka.*`/`jevt.*` field compared with the `<NA>` literal
 * by an equality or list operator (LOAD_UNSAFE_NA_CHECK), and deprecated fields used
 * (LOAD_DEPRECATED_ITEM), in Falco's order.
 */
export function filterWarnings(ast: Expr): { unsafeNa: boolean; deprecatedFields: string[] } {
  let unsafeNa = false;
  const deprecated = new Set<string>();
  for (const n of nodesOf(ast)) {
    if (n.type === "field" && DEPRECATED_FIELDS.includes(n.name)) deprecated.add(n.name);
    if (n.type === "binary_check" && n.left.type === "field" && /^(ka|jevt)\./.test(n.left.name) && ["==", "=", "!=", "in", "intersects", "pmatch"].includes(n.op)) {
      if ((n.right.type === "value" && n.right.value === "<NA>") || (n.right.type === "list" && n.right.values.includes("<NA>"))) unsafeNa = true;
    }
  }
  return { unsafeNa, deprecatedFields: DEPRECATED_FIELDS.filter((f) => deprecated.has(f)) };
}

/** A copy of the and/or/not structure of a tree, sharing its checks. */
function skeleton(e: Expr): Expr {
  switch (e.type) {
    case "and":
    case "or":
      return { ...e, children: e.children.map(skeleton) };
    case "not":
      return { ...e, child: skeleton(e.child) };
    default:
      return e;
  }
}

function compiles(field: Node & { type: "field" }, catalog: FieldCatalog): boolean {
  const match = catalog.lookup(field.name, field.arg);
  if (match?.ok && match.field.filterOnly) return false;
  return !compileFilter({ type: "unary_check", left: field, op: "exists", opRange: field.range, range: field.range }, catalog).error;
}

function containsError(ast: Expr): boolean {
  return nodesOf(ast).some((n) => n.type === "error" || n.type === "identifier");
}

const WORD_SPLIT = /[ \t\n\r(),=]+/;
const HAS_DELIM = /[ \t\n\r(),=]/;

/** The lists whose name stands as a whole word in `text`, in list order. */
function listsUsedBy(text: string, lists: readonly CompiledList[]): CompiledList[] {
  const words = new Set(text.split(WORD_SPLIT));
  return lists.filter((l) => l.name !== "" && (HAS_DELIM.test(l.name) ? usesList(text, l.name) : words.has(l.name)));
}

/** The macros a macro can refer to: those defined before its last definition or change. */
class VisibleMacros implements Pick<ReadonlyMap<string, Expr | null>, "has" | "get"> {
  constructor(
    private readonly macros: ReadonlyMap<string, CompiledMacro>,
    private readonly collector: Collector,
    private readonly visibility: number,
  ) {}
  has(name: string): boolean {
    const info = this.collector.macros.get(name);
    return info !== undefined && info.index < this.visibility && this.macros.has(name);
  }
  get(name: string): Expr | null | undefined {
    return this.has(name) ? this.macros.get(name)!.ast : undefined;
  }
}

function usesList(text: string, name: string): boolean {
  let i = text.indexOf(name);
  const delims = " \t\n\r(),=";
  while (i !== -1) {
    const end = i + name.length;
    if ((i === 0 || delims.includes(text[i - 1]!)) && (end >= text.length || delims.includes(text[end]!))) return true;
    i = text.indexOf(name, i + 1);
  }
  return false;
}

class StopCompile extends Error {}
