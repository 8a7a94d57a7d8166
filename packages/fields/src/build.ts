import type { RawField, RawFieldClass } from "./data/raw.js";
import { isFieldType, type FieldClass, type FieldInfo } from "./types.js";

/** Turns one compact field into a `FieldInfo`. */
export function buildField(raw: RawField, className: string, description: string): FieldInfo {
  const [name, type, flags] = raw;
  if (!isFieldType(type)) throw new Error(`falcokit: unknown field type ${type} of ${name}`);
  const w = new Set(flags.split(" ").filter(Boolean));
  const f: FieldInfo = {
    name,
    type,
    isList: w.has("list"),
    arg: { required: w.has("arg-required"), allowed: w.has("arg-allowed"), index: w.has("arg-index"), key: w.has("arg-key") },
    deprecated: w.has("deprecated"),
    description,
    className,
  };
  if (w.has("hidden")) f.hidden = true;
  if (w.has("filter-only")) f.filterOnly = true;
  if (w.has("print-only")) f.printOnly = true;
  if (w.has("no-rhs")) f.noRhs = true;
  if (w.has("no-transformer")) f.noTransformer = true;
  return f;
}

/** Turns a compact class into a `FieldClass`, with descriptions by field name. */
export function buildClass(raw: RawFieldClass, descriptions: Readonly<Record<string, string>>, plugin?: string): FieldClass {
  const cls: FieldClass = {
    name: raw.name,
    strategy: raw.strategy,
    fields: raw.fields.map((f) => buildField(f, raw.name, descriptions[f[0]] ?? "")),
  };
  if (raw.shortDescription) cls.shortDescription = raw.shortDescription;
  if (raw.hidden) cls.hidden = true;
  if (plugin) cls.plugin = plugin;
  return cls;
}
