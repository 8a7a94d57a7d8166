import { SYSCALL_CLASSES } from "./data/syscall-fields.generated.js";
import { SYSCALL_DESCRIPTIONS } from "./descriptions/syscall.js";
import { buildClass } from "./build.js";
import { PLUGINS, pluginClass } from "./plugins.js";
import { FieldNameError, resolveInClass } from "./resolve.js";
import type { FieldCatalog, FieldClass, FieldInfo, FieldMatch } from "./types.js";

/** Options of `createCatalog`. */
export interface CatalogOptions {
  /** Names of the plugins that contributed classes. */
  plugins?: readonly string[];
  /** Async event names accepted as `evt.type` values. */
  asyncEventNames?: readonly string[];
}

/**
 * A catalog over field classes in libs' resolution order. A name is offered to each class in
 * turn; the first class that recognizes a prefix decides: the field exists only if that prefix
 * is the whole name (libs' `new_filter_check_from_fldname` with the exact check).
 */
export function createCatalog(source: string, classes: readonly FieldClass[], options: CatalogOptions = {}): FieldCatalog {
  const fields: FieldInfo[] = classes.flatMap((c) => c.fields);
  const byName = new Map<string, FieldInfo>();
  for (const f of fields) if (!byName.has(f.name)) byName.set(f.name, f);
  const memo = new Map<string, FieldMatch | undefined>();

  function resolve(text: string): FieldMatch | undefined {
    for (const cls of classes) {
      let hit;
      try {
        hit = resolveInClass(cls, text);
      } catch (e) {
        if (!(e instanceof FieldNameError)) throw e;
        return { ok: false, text, error: e.message, ...(e.field ? { field: e.field } : {}) };
      }
      if (!hit) continue;
      if (hit.length !== text.length) return undefined;
      const m: FieldMatch = { ok: true, text, field: hit.field, type: hit.type ?? hit.field.type, isList: hit.field.isList };
      if (hit.argument !== undefined) m.argument = hit.argument;
      if (hit.argumentIndex !== undefined) m.argumentIndex = hit.argumentIndex;
      return m;
    }
    return undefined;
  }

  return {
    source,
    fields,
    classes,
    plugins: options.plugins ?? [],
    asyncEventNames: options.asyncEventNames ?? [],
    lookup(name: string, arg?: string): FieldMatch | undefined {
      const text = arg === undefined ? name : `${name}[${arg}]`;
      if (!memo.has(text)) memo.set(text, resolve(text));
      return memo.get(text);
    },
    get(name: string): FieldInfo | undefined {
      return byName.get(name);
    },
  };
}

let syscallClasses: FieldClass[] | undefined;
/** libs' built-in syscall field classes, in its filter check list order. */
export function syscallFieldClasses(): readonly FieldClass[] {
  syscallClasses ??= SYSCALL_CLASSES.map((c) => buildClass(c, SYSCALL_DESCRIPTIONS));
  return syscallClasses;
}

/** The `evt` class every source has (libs' generic event filter check). */
export function genericEventClass(): FieldClass {
  return syscallFieldClasses()[0]!;
}

/** Whether a plugin extracts fields for `source` (libs' `is_source_compatible`). */
function extractsFor(plugin: string, source: string): boolean {
  const p = PLUGINS[plugin];
  if (!p) throw new Error(`falcokit: unknown plugin ${plugin}`);
  return p.extractSources.length === 0 || p.extractSources.includes(source);
}

/**
 * The catalogs Falco has with these plugins loaded (in load order): `syscall` with libs' fields
 * and those of the plugins extracting from syscall events, and one catalog per source plugin with
 * the generic `evt` fields and those of the plugins extracting from its events.
 */
export function buildCatalogs(plugins: readonly string[]): Map<string, FieldCatalog> {
  const sources = ["syscall", ...plugins.flatMap((p) => (PLUGINS[p]?.eventSource ? [PLUGINS[p]!.eventSource!] : []))];
  const out = new Map<string, FieldCatalog>();
  for (const source of sources) {
    if (out.has(source)) continue;
    const used = plugins.filter((p) => extractsFor(p, source));
    const base = source === "syscall" ? syscallFieldClasses() : [genericEventClass()];
    out.set(
      source,
      createCatalog(source, [...base, ...used.map(pluginClass)], {
        plugins: used,
        asyncEventNames: used.flatMap((p) => PLUGINS[p]!.asyncEvents),
      }),
    );
  }
  return out;
}

/**
 * The plugins of `defaultCatalogs`, in load order: every falcosecurity plugin with rules or
 * fields users write rules against (not the SDK's dummy examples, nor unmerged ones).
 */
export const DEFAULT_PLUGINS: readonly string[] = ["container", "k8smeta", "krsi", "k8saudit", "cloudtrail", "okta", "github", "gcpaudit", "json"];

/**
 * Falco 0.44 with the container, k8smeta and krsi plugins (syscall source) and the k8saudit,
 * cloudtrail, okta, github, gcpaudit and json plugins: sources `syscall`, `k8s_audit`,
 * `aws_cloudtrail`, `okta`, `github` and `gcp_auditlog`.
 */
export function defaultCatalogs(): ReadonlyMap<string, FieldCatalog> {
  // Catalogs are immutable (their lookup memo only caches answers), so one set serves every load.
  defaults ??= buildCatalogs(DEFAULT_PLUGINS);
  return defaults;
}
let defaults: ReadonlyMap<string, FieldCatalog> | undefined;
