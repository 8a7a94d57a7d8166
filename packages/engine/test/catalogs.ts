import { buildCatalogs } from "@falcokit/fields";

/** The catalogs of Falco's engine unit tests: one `syscall` source with libsinsp's own fields, no plugins. */
export const conformanceCatalogs = () => buildCatalogs([]);
