/**
 * Host names of socket addresses: `fd.cip.name`, `fd.sip.name`, `fd.lip.name`, `fd.rip.name`.
 *
 * ## What libsinsp does
 *
 * Read from libs 0.25.4 (the version falcokit follows; master is the same for all of this):
 * `sinsp_dns_manager` in userspace/libsinsp/dns_manager.{h,cpp}, `sinsp_filter_check_fd` in
 * userspace/libsinsp/sinsp_filtercheck_fd.cpp (`extract_single`, `compare_nocache`,
 * `compare_domain`), the filter caches of userspace/libsinsp/filter.cpp and filter_cache.h, and
 * Falco's rule compiler (userspace/engine/rule_loader_compiler.cpp).
 *
 * The DNS manager is a single cache for the whole process, from a host name to the sets of IPv4
 * and IPv6 addresses that name resolved to, with two questions:
 *
 * - `match(name, family, address, ts)`. A name the cache does not hold is resolved there and then
 *   with the resolver of the machine Falco runs on (`getaddrinfo` for any family: /etc/hosts, DNS
 *   with resolv.conf's search list, a numeric address standing for itself), blocking the event
 *   loop, and the answer is stored even when it is empty (a failed lookup is remembered as "no
 *   address"). Every call stamps the name as used at the event's timestamp and answers whether
 *   the address is one of the name's addresses of the socket's family: an IPv4 socket is looked
 *   up among the IPv4 addresses only, an IPv6 socket among the IPv6 ones (no v4-mapped
 *   translation). Names are C strings (a value stops at its first NUL) and cache keys are spelled
 *   exactly as the rule wrote them, though the resolver itself ignores case.
 * - `name_of(family, address, ts)`. A reverse lookup in the cache only, never a query: the first
 *   cached name, in the order the hash table happens to iterate, whose addresses include this
 *   one; that name is stamped as used. Only names some comparison asked `match` about are in the
 *   cache, so until a condition has compared a field with a name resolving to the address, the
 *   answer is empty.
 * - Expiry and refresh: the first `match` starts a thread that wakes every 10 s of wall-clock
 *   time. It drops the names unused for more than an hour (the last use is an event timestamp,
 *   compared with the wall clock), and resolves again the names whose refresh period is over:
 *   10 s at first, doubled each time the answer comes back unchanged, up to 320 s, and back to
 *   10 s when the addresses change. DNS TTLs play no part. Falco keeps these periods (it never
 *   calls the setters).
 *
 * The fd filtercheck uses it this way:
 *
 * - Extraction (the text an output shows for `%fd.sip.name`, and the first step of every
 *   comparison). Nothing on events that do not create, use or destroy an fd, without the fd's
 *   entry, or on a socket with no client/server role. The address asked about is, for
 *   `fd.cip.name`, the source end of an IPv4/IPv6 socket; for `fd.sip.name`, the destination end,
 *   or the bound address of a listening socket; for `fd.lip.name` / `fd.rip.name`, the local /
 *   remote end of an IPv4/IPv6 socket, local meaning that the source address is on one of the
 *   machine's interfaces (as `fd.lip` / `fd.rip`). The value is `name_of` that address, and an
 *   empty answer means no value.
 * - Comparison (`compare_nocache`). When extraction gives a name, it is compared as any string
 *   field is, with any operator (`=` and `!=` on the text, `in`, `contains`, `startswith`,
 *   `glob`...). Only when extraction gives nothing does `compare_domain` decide:
 *   - false for events without an fd, or when the fd's entry is unknown;
 *   - `exists`: true, whatever the fd is (a file too);
 *   - false unless the fd is an IPv4 or IPv6 socket with a role: a listening socket is false here
 *     although extraction reads it (moot in practice: listening sockets only come from the
 *     initial fd table, without a role, so neither path reads them);
 *   - the address is the one extraction would use;
 *   - `=`: `match` of the first value; `in`: `match` of each value in turn until one holds (each
 *     name tried enters the cache); `!=`: not `match` of the first value. Modifiers (`anyof`...)
 *     are not looked at;
 *   - any other operator throws "filter error: fd.*ip.name filter only supports '=' and '!='
 *     operators" while the event is evaluated (the rule loads fine); Falco stops on it.
 * - Falco compiles each rule's condition with a cache factory of its own, and the extraction of a
 *   field is cached per event and shared by every check of that rule on the same field, a failed
 *   extraction included. So in `fd.sip.name = a and fd.sip.name contains b`, when the first check
 *   resolved `a` through `match`, the second still sees "no value" and goes to `compare_domain`
 *   (which throws for `contains`). Another rule, extracting afresh, would find `a`.
 * - These fields take no transformer and cannot be compared with a right-hand-side field, nor be
 *   one (the fields catalog rejects both when loading).
 *
 * In short: on a machine whose resolver maps the name to the fd's address, `fd.sip.name = name`
 * and `fd.sip.name in (..., name, ...)` hold, and `fd.sip.name != name` holds when it does not
 * map it; the text value is the spelling a rule used, known only after such a comparison and
 * while the name stays cached; once a name is cached for an address, the checks on that address
 * compare that text instead, so another name of the same address no longer matches.
 *
 * ## What falcokit does
 *
 * falcokit never asks a real resolver. The replaying machine's resolver is a `DnsTable`: host
 * names and their addresses, looked up ignoring ASCII case; a name that is not in the table
 * resolves to nothing, and a numeric address (what `inet_aton` or `inet_pton` for IPv6 read) stands
 * for itself, as with `getaddrinfo`. No search list applies: list every spelling rules use. A
 * syscall fixture gives its table in its `dns:` section (its event records carry it); otherwise
 * the table given to `SyscallEventSource` applies (for captures), empty by default.
 *
 * The cache is kept per `Inspector` (one replay), in the order names were first asked about
 * (libs' hash order is unspecified; this choice only matters when several cached names share an
 * address). A name unused for more than an hour of event time is forgotten, as on a live host
 * where event time is the wall clock (libs checks every 10 s; here at every lookup). Reading an
 * old capture, libs compares event times with the present and so forgets names every 10 s of real
 * time; falcokit does not model that. Refreshing changes nothing, the table being fixed. The
 * per-rule extraction cache is modelled (`SyscallEventSource` shares one extraction per
 * compilation, field and event), and an unsupported operator throws an `OperatorError` with
 * libs' message when it is reached.
 */
import { parseIPv4, parseIPv6 } from "@falcokit/fields";
import type { Inspector } from "@falcokit/scap";
import { cString } from "../operators.js";

/**
 * The resolver of the machine that replays: host names and their IPv4 (4-byte) and IPv6
 * (16-byte) addresses. Build one with `dnsTable`.
 */
export type DnsTable = ReadonlyMap<string, readonly Uint8Array[]>;

/** A resolver that knows no name (numeric addresses still stand for themselves). */
export const EMPTY_DNS_TABLE: DnsTable = new Map();

/**
 * A `DnsTable` from names and addresses written as text (`10.96.0.1`, `2001:db8::1`) or bytes.
 * Throws for an address that is neither.
 */
export function dnsTable(entries: Readonly<Record<string, readonly (string | Uint8Array)[]>> | Iterable<readonly [string, readonly (string | Uint8Array)[]]>): DnsTable {
  const pairs: Iterable<readonly [string, readonly (string | Uint8Array)[]]> = Symbol.iterator in entries ? (entries as Iterable<readonly [string, readonly (string | Uint8Array)[]]>) : Object.entries(entries);
  const out = new Map<string, Uint8Array[]>();
  for (const [name, addrs] of pairs) {
    const list = out.get(name) ?? [];
    for (const a of addrs) {
      const bytes = typeof a === "string" ? parseAddress(a) : a;
      if (!bytes || (bytes.length !== 4 && bytes.length !== 16)) throw new Error(`dns: '${String(a)}' is not an IPv4 or IPv6 address`);
      list.push(bytes);
    }
    out.set(name, list);
  }
  return out;
}

/** An IPv4 or IPv6 address in the text form inet_pton reads. */
export function parseAddress(text: string): Uint8Array | undefined {
  return text.includes(":") ? parseIPv6(text) : parseIPv4(text);
}

/** Records (events of a syscall fixture) that bring the resolver of the machine they come from. */
export interface DnsCarrier {
  readonly dns?: DnsTable;
}

// --- the resolver -------------------------------------------------------------------------------

interface Resolved {
  readonly v4: ReadonlySet<string>;
  readonly v6: ReadonlySet<string>;
}

const addrKey = (a: Uint8Array): string => a.join(".");

/** Tables indexed by lower-case name, built once per table. */
const indexes = new WeakMap<DnsTable, Map<string, Resolved>>();

function indexOf(table: DnsTable): Map<string, Resolved> {
  let idx = indexes.get(table);
  if (idx) return idx;
  idx = new Map();
  for (const [name, addrs] of table) {
    const key = asciiLowerName(name);
    const prev = idx.get(key);
    const v4 = new Set(prev?.v4);
    const v6 = new Set(prev?.v6);
    for (const a of addrs) (a.length === 16 ? v6 : v4).add(addrKey(a));
    idx.set(key, { v4, v6 });
  }
  indexes.set(table, idx);
  return idx;
}

const asciiLowerName = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

const NOTHING: Resolved = { v4: new Set(), v6: new Set() };

/** `getaddrinfo(name)` on the replaying machine: a numeric address, else the table. */
export function resolveName(table: DnsTable, name: string): { v4: Uint8Array[]; v6: Uint8Array[] } {
  const r = resolve(table, name);
  const back = (k: string) => Uint8Array.from(k.split(".").map(Number));
  return { v4: [...r.v4].map(back), v6: [...r.v6].map(back) };
}

function resolve(table: DnsTable, name: string): Resolved {
  if (name === "") return NOTHING;
  const v4 = inetAton(name);
  if (v4) return { v4: new Set([addrKey(v4)]), v6: new Set() };
  const v6 = name.includes(":") ? parseIPv6(name) : undefined;
  if (v6) return { v4: new Set(), v6: new Set([addrKey(v6)]) };
  return indexOf(table).get(asciiLowerName(name)) ?? NOTHING;
}

/**
 * glibc's `inet_aton` (what getaddrinfo tries first for IPv4): one to four parts, each decimal,
 * octal (leading 0) or hex (0x); the last part fills the remaining bytes.
 */
function inetAton(s: string): Uint8Array | undefined {
  const parts = s.split(".");
  if (parts.length > 4) return undefined;
  const vals: number[] = [];
  for (const p of parts) {
    let v: number;
    if (/^0[xX][0-9a-fA-F]*$/.test(p)) v = p.length > 2 ? parseInt(p.slice(2), 16) : 0;
    else if (/^0[0-7]*$/.test(p)) v = parseInt(p, 8);
    else if (/^[1-9][0-9]*$/.test(p)) v = Number(p);
    else return undefined;
    if (!Number.isFinite(v) || v > 0xffffffff) return undefined;
    vals.push(v);
  }
  const last = vals[vals.length - 1]!;
  const head = vals.slice(0, -1);
  if (head.some((x) => x > 0xff) || last >= 2 ** (8 * (5 - vals.length))) return undefined;
  const out = new Uint8Array(4);
  head.forEach((x, i) => (out[i] = x));
  for (let i = 3, v = last; i >= head.length; i--, v = Math.floor(v / 256)) out[i] = v % 256;
  return out;
}

// --- the DNS manager's cache --------------------------------------------------------------------

interface CacheEntry extends Resolved {
  lastUsed: bigint;
}

/** libs' `m_erase_timeout`: a name unused for this long is forgotten. */
const ERASE_AFTER_NS = 3600n * 1_000_000_000n;

const caches = new WeakMap<Inspector, Map<string, CacheEntry>>();

function cacheOf(insp: Inspector): Map<string, CacheEntry> {
  let c = caches.get(insp);
  if (!c) caches.set(insp, (c = new Map()));
  return c;
}

function expire(cache: Map<string, CacheEntry>, ts: bigint): void {
  for (const [name, e] of cache) if (ts > e.lastUsed && ts - e.lastUsed > ERASE_AFTER_NS) cache.delete(name);
}

/** `sinsp_dns_manager::match`: resolves and caches `name` if needed; whether it maps to `addr`. */
export function dnsMatch(insp: Inspector, table: DnsTable, name: string, addr: Uint8Array, ts: bigint): boolean {
  const cache = cacheOf(insp);
  expire(cache, ts);
  const key = cString(name);
  let e = cache.get(key);
  if (!e) cache.set(key, (e = { ...resolve(table, key), lastUsed: ts }));
  e.lastUsed = ts;
  return (addr.length === 16 ? e.v6 : e.v4).has(addrKey(addr));
}

/** `sinsp_dns_manager::name_of`: the first cached name of `addr`, or undefined. */
export function dnsNameOf(insp: Inspector, addr: Uint8Array, ts: bigint): string | undefined {
  const cache = cacheOf(insp);
  if (cache.size === 0) return undefined;
  expire(cache, ts);
  const k = addrKey(addr);
  for (const [name, e] of cache) {
    if ((addr.length === 16 ? e.v6 : e.v4).has(k)) {
      e.lastUsed = ts;
      return name === "" ? undefined : name;
    }
  }
  return undefined;
}

/** The names the DNS manager of a replay holds, in lookup order (for tests and explanations). */
export function dnsCachedNames(insp: Inspector): string[] {
  return [...cacheOf(insp).keys()];
}
