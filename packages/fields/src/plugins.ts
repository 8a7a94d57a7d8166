import { PLUGIN_FIELDS } from "./data/plugin-fields.generated.js";
import { PLUGIN_DESCRIPTIONS } from "./descriptions/plugins.js";
import { buildClass } from "./build.js";
import type { FieldClass } from "./types.js";

/** What falcokit knows of a plugin with field extraction. */
export interface PluginInfo {
  name: string;
  /** Sources whose events it extracts fields from; empty means every source. */
  extractSources: readonly string[];
  /** The source it produces events for, if it is a source plugin. */
  eventSource?: string;
  /** Names of the async events it declares (extra `evt.type` values). */
  asyncEvents: readonly string[];
}

/** The plugins whose fields falcokit ships. */
export const PLUGINS: Readonly<Record<string, PluginInfo>> = {
  container: { name: "container", extractSources: ["syscall"], asyncEvents: ["container", "container_removed"] },
  k8smeta: { name: "k8smeta", extractSources: ["syscall"], asyncEvents: ["k8s"] },
  krsi: {
    name: "krsi",
    extractSources: ["syscall"],
    asyncEvents: ["krsi_open", "krsi_connect", "krsi_socket", "krsi_symlinkat", "krsi_linkat", "krsi_unlinkat", "krsi_mkdirat", "krsi_renameat", "krsi"],
  },
  k8saudit: { name: "k8saudit", extractSources: ["k8s_audit"], eventSource: "k8s_audit", asyncEvents: [] },
  cloudtrail: { name: "cloudtrail", extractSources: ["aws_cloudtrail"], eventSource: "aws_cloudtrail", asyncEvents: [] },
  okta: { name: "okta", extractSources: ["okta"], eventSource: "okta", asyncEvents: [] },
  github: { name: "github", extractSources: ["github"], eventSource: "github", asyncEvents: [] },
  gcpaudit: { name: "gcpaudit", extractSources: ["gcp_auditlog"], eventSource: "gcp_auditlog", asyncEvents: [] },
  json: { name: "json", extractSources: [], asyncEvents: [] },
  dummy: { name: "dummy", extractSources: ["dummy"], eventSource: "dummy", asyncEvents: [] },
  dummy_c: { name: "dummy_c", extractSources: ["dummy_c"], eventSource: "dummy_c", asyncEvents: [] },
  dummy_rs: { name: "dummy_rs", extractSources: ["dummy_rs"], eventSource: "dummy_rs", asyncEvents: [] },
  "hashicorp-vault": { name: "hashicorp-vault", extractSources: ["hashicorpvault"], eventSource: "hashicorpvault", asyncEvents: [] },
};

const cache = new Map<string, FieldClass>();

/** The field class a plugin adds (libs names it `<plugin> (plugin)`). */
export function pluginClass(plugin: string): FieldClass {
  let cls = cache.get(plugin);
  if (!cls) {
    const fields = PLUGIN_FIELDS[plugin];
    if (!fields) throw new Error(`falcokit: no fields known for plugin ${plugin}`);
    cls = buildClass({ name: `${plugin} (plugin)`, strategy: "plugin", fields }, PLUGIN_DESCRIPTIONS[plugin] ?? {}, plugin);
    cache.set(plugin, cls);
  }
  return cls;
}
