/**
 * The effective ruleset in the shape of Falco's `falco -L` / `--describe-rule` JSON
 * (`required_engine_version`, `required_plugin_versions`, `rules`, `macros`, `lists`, each
 * with `info` and `details`), plus falcokit's provenance: where each piece came from.
 */
import { asString, nodesOf, parseCondition, type Expr } from "@falcokit/condition";
import type { Collector, Provenance } from "./collector.js";
import { versionString } from "./collector.js";
import type { CompileResult } from "./compiler.js";
import { describeEventNames, eventTypesOf } from "./event-types.js";
import { PLUGINS, type FieldCatalog } from "@falcokit/fields";

export interface RuleDescription {
  info: {
    name: string;
    condition: string;
    priority: string;
    output: string;
    description: string;
    enabled: boolean;
    source: string;
    capture: boolean;
    capture_duration: number;
    tags: string[];
  };
  details: {
    macros: string[];
    lists: string[];
    condition_operators: string[];
    condition_fields: string[];
    output_fields: string[];
    exception_fields: string[];
    exception_names: string[];
    exception_operators: string[];
    events: string[];
    condition_compiled: string;
    output_compiled: string;
    plugins: string[];
  };
  provenance: Provenance[];
}

export interface MacroDescription {
  info: { name: string; condition: string };
  details: { used: boolean; macros: string[]; lists: string[]; condition_operators: string[]; condition_fields: string[]; events: string[]; condition_compiled: string; plugins: string[] };
  provenance: Provenance[];
}

export interface ListDescription {
  info: { name: string; items: string[] };
  details: { used: boolean; lists: string[]; items_compiled: string[]; plugins: string[] };
  provenance: Provenance[];
}

export interface RulesetDescription {
  required_engine_version: string;
  required_plugin_versions: { name: string; version: string; alternatives: { name: string; version: string }[] }[];
  rules: RuleDescription[];
  macros: MacroDescription[];
  lists: ListDescription[];
}

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

/** Macros and lists a condition names, fields and operators it uses (Falco's filter details). */
export function conditionDetails(ast: Expr | undefined, knownMacros: Set<string>, knownLists: Set<string>) {
  const macros = new Set<string>();
  const lists = new Set<string>();
  const operators = new Set<string>();
  const fields = new Set<string>();
  // `evt.type`/`evt.asynctype` values compared against (list names aside).
  const evtnames = new Set<string>();
  if (ast) {
    for (const n of nodesOf(ast)) {
      if (n.type === "identifier" && knownMacros.has(n.name)) macros.add(n.name);
      if (n.type === "list") for (const v of n.values) if (knownLists.has(v)) lists.add(v);
      if (n.type === "binary_check" || n.type === "unary_check") operators.add(n.op);
      if (n.type === "field") fields.add(n.arg !== undefined ? `${n.name}[${n.arg}]` : n.name);
      if (n.type === "binary_check" && n.left.type === "field" && n.left.arg === undefined && (n.left.name === "evt.type" || n.left.name === "evt.asynctype")) {
        if (n.right.type === "value") evtnames.add(n.right.value);
        if (n.right.type === "list") for (const v of n.right.values) if (!knownLists.has(v)) evtnames.add(v);
      }
    }
  }
  return { macros: sorted(macros), lists: sorted(lists), operators: sorted(operators), fields: sorted(fields), evtnames: sorted(evtnames) };
}

const PRIORITY_OUT: Record<string, string> = {
  Emergency: "Emergency",
  Alert: "Alert",
  Critical: "Critical",
  Error: "Error",
  Warning: "Warning",
  Notice: "Notice",
  Informational: "Informational",
  Debug: "Debug",
};

/** A loaded plugin as Falco's used-plugins computation sees it. */
interface LoadedPlugin {
  name: string;
  eventSource?: string;
  extractSources: readonly string[];
  fields: Set<string>;
  asyncEvents: readonly string[];
}

/** The plugins behind a set of catalogs: each catalog's plugins, with their field names. */
function loadedPlugins(catalogs: ReadonlyMap<string, FieldCatalog>): LoadedPlugin[] {
  const out = new Map<string, LoadedPlugin>();
  for (const catalog of catalogs.values()) {
    for (const name of catalog.plugins) {
      let p = out.get(name);
      if (!p) {
        const known = PLUGINS[name];
        p = { name, extractSources: known?.extractSources ?? [], asyncEvents: known?.asyncEvents ?? [], fields: new Set() };
        if (known?.eventSource) p.eventSource = known.eventSource;
        out.set(name, p);
      }
      for (const cls of catalog.classes) if (cls.plugin === name) for (const f of cls.fields) p.fields.add(f.name);
    }
  }
  return [...out.values()];
}

const compatible = (sources: readonly string[], source: string) => sources.length === 0 || sources.includes(source);

/**
 * The plugins a rule uses, as Falco computes them: the plugin sourcing the rule's events, the
 * plugins extracting a field the condition or output reads, and the plugins declaring an async
 * event the condition compares `evt.type` with.
 */
function usedPlugins(plugins: readonly LoadedPlugin[], source: string, evtnames: readonly string[], fields: readonly string[]): string[] {
  const names = new Set(fields.map((f) => (f.includes("[") ? f.slice(0, f.indexOf("[")) : f)));
  const used = new Set<string>();
  for (const p of plugins) {
    if (p.eventSource === source) used.add(p.name);
    else if (compatible(p.extractSources, source) && [...p.fields].some((f) => names.has(f))) used.add(p.name);
    else if (compatible(p.extractSources, source) && p.asyncEvents.some((e) => evtnames.includes(e))) used.add(p.name);
  }
  return sorted(used);
}

/**
 * Describes the compiled ruleset as `falco -L --format json` would, with provenance. With the
 * load's catalogs, each rule's `details.plugins` lists the plugins it uses.
 */
export function describeRuleset(collector: Collector, compiled: CompileResult, catalogs?: ReadonlyMap<string, FieldCatalog>): RulesetDescription {
  const plugins = catalogs ? loadedPlugins(catalogs) : [];
  const knownMacros = new Set(collector.macros.items.map((m) => m.name));
  const knownLists = new Set(collector.lists.items.map((l) => l.name));
  const rules: RuleDescription[] = compiled.rules.map((r) => {
    const info = r.info;
    const raw = conditionDetails(parseCondition(info.cond.text).ast, knownMacros, knownLists);
    const comp = conditionDetails(r.ast, knownMacros, knownLists);
    const exceptionOperators = info.exceptions.flatMap((e) => (e.comps.isList ? e.comps.items : [e.comps.item]));
    return {
      info: {
        name: info.name,
        condition: info.cond.text,
        priority: PRIORITY_OUT[info.priority] ?? info.priority,
        output: info.output,
        description: info.desc,
        enabled: info.enabled,
        source: info.source,
        capture: info.capture,
        capture_duration: info.captureDuration,
        tags: sorted(info.tags),
      },
      details: {
        macros: raw.macros,
        lists: raw.lists,
        condition_operators: comp.operators,
        condition_fields: comp.fields,
        output_fields: r.outputFields,
        exception_fields: sorted(r.exceptionFields),
        exception_names: sorted(info.exceptions.map((e) => e.name)),
        exception_operators: sorted(exceptionOperators),
        events: describeEventNames(r.eventSet),
        condition_compiled: asString(r.ast),
        output_compiled: r.output,
        plugins: usedPlugins(plugins, info.source, comp.evtnames, [...comp.fields, ...r.outputFields]),
      },
      provenance: info.provenance,
    };
  });
  const macros: MacroDescription[] = compiled.macros.map((m) => {
    const info = collector.macros.get(m.name)!;
    const raw = conditionDetails(parseCondition(info.cond.text).ast, knownMacros, knownLists);
    const comp = conditionDetails(m.ast ?? undefined, knownMacros, knownLists);
    const events = m.ast ? eventTypesOf(m.ast, "") : undefined;
    return {
      info: { name: m.name, condition: info.cond.text },
      details: {
        used: m.used,
        macros: raw.macros,
        lists: raw.lists,
        condition_operators: comp.operators,
        condition_fields: comp.fields,
        events: events?.ok ? describeEventNames(events) : [],
        condition_compiled: m.ast ? asString(m.ast) : "",
        plugins: [],
      },
      provenance: info.provenance,
    };
  });
  const lists: ListDescription[] = compiled.lists.map((l) => {
    const info = collector.lists.get(l.name)!;
    const refs = info.items.filter((i) => !l.items.includes(i));
    return {
      info: { name: l.name, items: info.items.filter((i) => l.items.includes(i)) },
      details: { used: l.used, lists: sorted(refs), items_compiled: l.items, plugins: [] },
      provenance: info.provenance,
    };
  });
  return {
    required_engine_version: collector.requiredEngineVersion ? versionString(collector.requiredEngineVersion) : "0.0.0",
    required_plugin_versions: collector.requiredPlugins.map((p) => ({
      name: p.alternatives[0]!.name,
      version: p.alternatives[0]!.version,
      alternatives: p.alternatives.slice(1),
    })),
    rules,
    macros,
    lists,
  };
}
