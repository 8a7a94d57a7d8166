import { nodesOf, parseOutput, type Node } from "@falcokit/condition";
import type { OffsetRange } from "@falcokit/diagnostics";
import type { FieldCatalog } from "@falcokit/fields";
import { conditionSites } from "../items.js";
import type { LintRule } from "../types.js";

/** Falco's own list of deprecated fields (it warns about them in rules). */
const FALCO_DEPRECATED = new Set(["evt.dir", "evt.latency", "evt.latency.s", "evt.latency.ns", "evt.latency.human", "evt.wait_latency"]);

function isDeprecated(catalog: FieldCatalog | undefined, name: string, arg: string | undefined): boolean {
  if (FALCO_DEPRECATED.has(name)) return true;
  const m = catalog?.lookup(name, arg);
  return m?.ok === true && m.field.deprecated;
}

export const deprecatedField: LintRule = {
  meta: {
    id: "deprecated-field",
    category: "deprecation",
    description: "A condition, output or exception uses a field the field catalog or Falco marks deprecated (`evt.latency`, `evt.wait_latency`, ...).",
    severity: "warning",
    fixable: false,
    recommended: true,
  },
  messages: {
    deprecated: "field '{field}' is deprecated: it is no longer filled since libs dropped enter events",
  },
  defaultOptions: {},
  check(ctx) {
    const syscall = ctx.load.catalogs.get("syscall");
    const catalogOf = (source: string | undefined) => ctx.load.catalogs.get(source || "syscall") ?? syscall;
    const report = (file: string, name: string, range: OffsetRange) => ctx.report({ messageId: "deprecated", data: { field: name }, file, range });
    const fieldsOf = (root: Node) => nodesOf(root).filter((n) => n.type === "field");
    // Conditions: `evt.dir` in a condition is evt-dir-check's.
    for (const site of conditionSites(ctx)) {
      const catalog = catalogOf(site.item.kind === "rule" ? site.item.source?.text : undefined);
      for (const n of fieldsOf(site.ast)) {
        if (n.type !== "field" || n.name === "evt.dir") continue;
        if (isDeprecated(catalog, n.name, n.arg)) report(site.file, n.name, site.rangeOf(n.nameRange));
      }
    }
    for (const f of ctx.files) {
      for (const item of f.model.items) {
        if (item.kind !== "rule") continue;
        const catalog = catalogOf(item.source?.text);
        if (item.output) {
          const out = item.output;
          for (const t of parseOutput(out.text).tokens) {
            if (t.type !== "field") continue;
            for (const n of fieldsOf(t.expr)) if (n.type === "field" && isDeprecated(catalog, n.name, n.arg)) report(f.name, n.name, out.toFileRange(n.nameRange));
          }
        }
        for (const ex of item.exceptions?.items ?? []) {
          const fields = ex.fields;
          const scalars = !fields ? [] : fields.kind === "scalar" ? [fields] : fields.items.filter((e) => e.kind === "scalar");
          for (const s of scalars) {
            const m = /^([A-Za-z0-9_.]+)(?:\[(.*)\])?$/.exec(s.text.trim());
            if (m && isDeprecated(catalog, m[1]!, m[2])) report(f.name, m[1]!, s.range);
          }
        }
      }
    }
  },
};
