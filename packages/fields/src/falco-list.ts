import { createCatalog, syscallFieldClasses } from "./catalog.js";
import { PLUGINS, pluginClass } from "./plugins.js";
import { isFieldType, type FieldCatalog, type FieldClass, type FieldInfo, type ResolveStrategy } from "./types.js";

/** Options of `importFalcoList`. */
export interface FalcoListOptions {
  /**
   * `falco --list --format json` leaves out deprecated and table-only fields and hidden classes,
   * which libs still resolves in conditions (e.g. `evt.dir`, `util.cnt`). When true (the
   * default), the fields falcokit knows for a listed class (matched by class name) are added back,
   * marked hidden, and libs' hidden `util` class is restored in catalogs that have libs' classes.
   */
  restoreUnlisted?: boolean;
}

/** A problem with the JSON given to `importFalcoList`. */
export class FalcoListError extends Error {}

interface ListedField {
  name: string;
  type: string;
  desc?: string;
  is_list?: boolean;
  is_deprecated?: boolean;
  argument?: { required?: boolean; type?: string[] } | null;
}

interface ListedClass {
  name: string;
  desc?: string;
  event_sources?: string[];
  fields: ListedField[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function strategyFor(cls: ListedClass): ResolveStrategy {
  if (cls.name.endsWith(" (plugin)")) return "plugin";
  if (cls.name === "evt" && cls.fields.some((f) => f.name === "evt.arg")) return "event";
  if (cls.name === "process") return "thread";
  if (cls.name === "fd") return "fd";
  return "base";
}

function readField(f: unknown, cls: string): ListedField {
  if (!isObject(f) || typeof f.name !== "string" || typeof f.type !== "string") throw new FalcoListError(`field of class ${cls} without a name or type`);
  return f as unknown as ListedField;
}

function readClass(c: unknown): ListedClass {
  if (!isObject(c) || typeof c.name !== "string" || !Array.isArray(c.fields)) throw new FalcoListError("field class without a name or fields");
  const name = c.name;
  return { ...(c as unknown as ListedClass), fields: c.fields.map((f) => readField(f, name)) };
}

function toFieldInfo(f: ListedField, className: string): FieldInfo {
  if (!isFieldType(f.type)) throw new FalcoListError(`field ${f.name} has unknown type ${f.type}`);
  const arg = f.argument ?? undefined;
  const kinds = arg?.type ?? [];
  return {
    name: f.name,
    type: f.type,
    isList: f.is_list === true,
    arg: { required: arg?.required === true, allowed: arg !== undefined && arg.required !== true, index: kinds.includes("INDEX"), key: kinds.includes("KEY") },
    deprecated: f.is_deprecated === true,
    description: f.desc ?? "",
    className,
  };
}

/** The built-in class a listed class stands for, if falcokit knows it. */
function knownClass(listed: ListedClass, strategy: ResolveStrategy): FieldClass | undefined {
  const plugin = /^(.*) \(plugin\)$/.exec(listed.name)?.[1];
  if (plugin !== undefined) return PLUGINS[plugin] ? pluginClass(plugin) : undefined;
  return syscallFieldClasses().find((c) => c.name === listed.name && (c.name !== "evt" || (c.strategy === "event") === (strategy === "event")));
}

/**
 * Builds catalogs from the output of `falco --list --format json`: `{"fieldclasses": [{name,
 * desc, event_sources, fields: [{name, type, desc, is_list, argument}]}]}`. Each class joins the
 * catalog of every source in its `event_sources`, in the order the classes are listed.
 */
export function importFalcoList(json: unknown, options: FalcoListOptions = {}): Map<string, FieldCatalog> {
  const restore = options.restoreUnlisted ?? true;
  if (!isObject(json) || !Array.isArray(json.fieldclasses)) {
    throw new FalcoListError("expected the output of falco --list --format json: an object with a fieldclasses array");
  }
  const perSource = new Map<string, FieldClass[]>();
  for (const raw of json.fieldclasses) {
    const listed = readClass(raw);
    const strategy = strategyFor(listed);
    const fields = listed.fields.map((f) => toFieldInfo(f, listed.name));
    const plugin = strategy === "plugin" ? listed.name.replace(/ \(plugin\)$/, "") : undefined;
    if (restore) {
      const known = knownClass(listed, strategy);
      const have = new Set(fields.map((f) => f.name));
      for (const f of known?.fields ?? []) if (!have.has(f.name)) fields.push({ ...f, hidden: true });
    }
    const cls: FieldClass = { name: listed.name, strategy, fields, ...(plugin ? { plugin } : {}) };
    if (listed.desc) cls.shortDescription = listed.desc;
    for (const source of listed.event_sources ?? []) {
      if (!perSource.has(source)) perSource.set(source, []);
      perSource.get(source)!.push(cls);
    }
  }
  const out = new Map<string, FieldCatalog>();
  for (const [source, classes] of perSource) {
    if (restore && classes.some((c) => c.strategy === "thread") && !classes.some((c) => c.name === "util")) {
      const util = syscallFieldClasses().find((c) => c.name === "util")!;
      // libs lists it between fs.path and fdlist, before any plugin class
      let at = classes.findIndex((c) => c.name === "fdlist");
      if (at < 0) at = classes.findIndex((c) => c.strategy === "plugin");
      classes.splice(at < 0 ? classes.length : at, 0, util);
    }
    const plugins = classes.flatMap((c) => (c.plugin ? [c.plugin] : []));
    out.set(source, createCatalog(source, classes, { plugins, asyncEventNames: plugins.flatMap((p) => PLUGINS[p]?.asyncEvents ?? []) }));
  }
  return out;
}
