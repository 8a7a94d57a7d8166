/**
 * @falcokit/fields: the fields of Falco's event sources as libs 0.25.4 and the plugins define
 * them, name resolution exactly as libs does it, constant-value parsing per field type, the
 * RE2 (POSIX) syntax check of `regex` values, and the importer of `falco --list --format json`.
 */
export * from "./types.js";
export { createCatalog, buildCatalogs, defaultCatalogs, syscallFieldClasses, genericEventClass, DEFAULT_PLUGINS } from "./catalog.js";
export type { CatalogOptions } from "./catalog.js";
export { PLUGINS, pluginClass } from "./plugins.js";
export type { PluginInfo } from "./plugins.js";
export { importFalcoList, FalcoListError } from "./falco-list.js";
export type { FalcoListOptions } from "./falco-list.js";
export { parseFilterValue, unhex, defaultServiceNames } from "./values.js";
export type { FilterValue, ParsedFilterValue, FilterValueOptions } from "./values.js";
export { parseLibsInt, notANumber } from "./numbers.js";
export type { IntKind } from "./numbers.js";
export { parseIPv4, parseIPv6 } from "./inet.js";
export { re2PosixSyntaxError } from "./re2.js";
export * from "./events.js";
