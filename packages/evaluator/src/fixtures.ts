/**
 * Field-level event fixtures: each event states the values of the fields it carries, for the
 * quickest rule tests. YAML (a list of events, or `events:` with one) or JSON lines:
 *
 *   - evt.type: execve
 *     proc.name: bash
 *     proc.aname[2]: sshd
 *     proc.args: -c id          # values are read by each field's type
 *     fd.types: [ipv4, file]    # list fields take a sequence
 *   - source: k8s_audit          # optional, `syscall` by default
 *     ka.verb: create
 *
 * A field the event does not state cannot be read (every check on it is false), as in Falco
 * for a field with no value. Keys `source`, `time` (ISO 8601 or nanoseconds) and `num` are
 * the event's own; every other key is a field.
 */
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node as YamlNode } from "yaml";
import { parseFilterValue, type FieldCatalog } from "@falcokit/fields";
import type { Accessor, FieldRef, FieldSource } from "./predicate.js";
import type { Extracted, Scalar } from "./value.js";

export interface FieldEvent {
  source: string;
  /** Nanoseconds since the epoch (0 when not given). */
  ts: bigint;
  /** 1-based position in the input unless the fixture says otherwise. */
  num: bigint;
  /** Field values by field text as the catalog prints it (`proc.aname[2]`). */
  values: Map<string, Extracted>;
  /** The event type names stated (`evt.type`), for event-type indexing. */
  eventType?: string;
  /** Line of the event in the fixture (1-based). */
  line: number;
  /** The values in the reading order of the source that last read the event (a cache). */
  slots?: Extracted[];
  slotOwner?: object;
}

export interface FixtureProblem {
  message: string;
  line: number;
  column: number;
}

export interface FixtureRead {
  events: FieldEvent[];
  problems: FixtureProblem[];
}

const OWN_KEYS = new Set(["source", "time", "num"]);

/** Reads a field-level fixture (YAML or JSON lines) against the catalogs of its sources. */
export function readFieldFixture(text: string, catalogs: ReadonlyMap<string, FieldCatalog>): FixtureRead {
  const lines = new LineCounter();
  const problems: FixtureProblem[] = [];
  const at = (offset: number) => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  const roots: YamlNode[] = [];
  for (const doc of Array.isArray(docs) ? docs : []) {
    for (const e of doc.errors) problems.push({ message: e.message.split("\n")[0]!, ...at(e.pos[0]) });
    if (doc.errors.length > 0) continue;
    const c = doc.contents;
    if (!c) continue;
    if (isSeq(c)) roots.push(...(c.items as YamlNode[]));
    else if (isMap(c) && c.has("events") && isSeq(c.get("events", true))) roots.push(...((c.get("events", true) as unknown as { items: YamlNode[] }).items));
    else if (isMap(c)) roots.push(c);
    else problems.push({ message: "a fixture is a list of events (maps of field names to values)", ...at(c.range?.[0] ?? 0) });
  }
  if (problems.length > 0) return { events: [], problems };
  const events: FieldEvent[] = [];
  roots.forEach((node, i) => {
    const where = at(node.range?.[0] ?? 0);
    if (!isMap(node)) {
      problems.push({ message: "an event is a map of field names to values", ...where });
      return;
    }
    const get = (key: string) => {
      const v = node.get(key, true);
      return isScalar(v) ? v : undefined;
    };
    const source = String(get("source")?.value ?? "syscall");
    const catalog = catalogs.get(source);
    if (!catalog) {
      problems.push({ message: `unknown source '${source}' (known: ${[...catalogs.keys()].join(", ")})`, ...where });
      return;
    }
    const ev: FieldEvent = { source, ts: 0n, num: BigInt(i + 1), values: new Map(), line: where.line };
    const time = get("time");
    if (time) {
      const ts = parseTime(String(time.value));
      if (ts === undefined) problems.push({ message: `time '${String(time.value)}' is neither ISO 8601 nor nanoseconds since the epoch`, ...at(time.range?.[0] ?? 0) });
      else ev.ts = ts;
    }
    const num = get("num");
    if (num && /^\d+$/.test(String(num.value))) ev.num = BigInt(String(num.value));
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode;
      const key = isScalar(keyNode) ? String(keyNode.value) : "";
      if (OWN_KEYS.has(key)) continue;
      const keyAt = at(keyNode?.range?.[0] ?? 0);
      const m = /^([^[\]]+)(?:\[(.*)\])?$/s.exec(key);
      const match = m ? catalog.lookup(m[1]!, m[2]) : undefined;
      if (!m || !match || !match.ok) {
        problems.push({ message: match && !match.ok ? match.error : `'${key}' is not a field of source ${source}`, ...keyAt });
        continue;
      }
      const value = pair.value as YamlNode | null;
      const read = (n: YamlNode | null): Scalar | undefined => {
        const raw = n && isScalar(n) ? (n.value === null ? "" : typeof n.value === "string" ? n.value : String(n.source ?? n.value)) : undefined;
        if (raw === undefined) {
          problems.push({ message: `${key}: a value must be a scalar${match.isList ? " or a sequence of scalars" : ""}`, ...at(n?.range?.[0] ?? keyNode.range?.[0] ?? 0) });
          return undefined;
        }
        // A network field (fd.net, fd.snet...) holds an address; the rules compare it with networks.
        const type = match.type === "IPNET" || match.type === "IPV4NET" || match.type === "IPV6NET" ? "IPADDR" : match.type;
        const parsed = parseFilterValue(type, raw);
        if (!parsed.ok) {
          problems.push({ message: `${key}: ${parsed.error}`, ...at(n!.range?.[0] ?? 0) });
          return undefined;
        }
        const fv = parsed.value;
        return fv.kind === "net" ? { net: fv.value, prefix: fv.prefix } : fv.value;
      };
      let extracted: Extracted;
      if (isSeq(value)) {
        if (!match.isList) {
          problems.push({ message: `${key} is not a list field; give one value`, ...at(value.range?.[0] ?? 0) });
          continue;
        }
        const items = value.items.map((n) => read(n as YamlNode));
        if (items.some((x) => x === undefined)) continue;
        extracted = items as Scalar[];
      } else {
        const one = read(value);
        if (one === undefined) continue;
        extracted = match.isList ? [one] : one;
      }
      ev.values.set(match.text, extracted);
      if (match.field.name === "evt.type" && typeof extracted === "string") ev.eventType = extracted;
    }
    if (source === "syscall" && ev.eventType === undefined && !problems.some((p) => p.line >= where.line && p.line <= (node.range ? at(node.range[2]).line : where.line))) {
      problems.push({ message: "a syscall event needs evt.type: Falco only tries a rule on the event types it names", ...where });
      return;
    }
    events.push(ev);
  });
  return { events, problems };
}

/** ISO 8601 (with optional nanosecond fraction) or an integer of nanoseconds. */
export function parseTime(text: string): bigint | undefined {
  if (/^\d+$/.test(text)) return BigInt(text);
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? "").padEnd(9, "0") || "0");
}

/**
 * Reads field-level events: each field is what the event states, or unreadable. Every field
 * the rules read gets a slot; an event's values are laid out in slots once, so a check reads
 * an array element instead of looking its field up by name.
 */
export class FieldEventSource implements FieldSource<FieldEvent> {
  private readonly keys: string[] = [];
  private readonly slots = new Map<string, number>();

  constructor(readonly catalog: FieldCatalog) {}

  private slotOf(key: string): number {
    let i = this.slots.get(key);
    if (i === undefined) {
      i = this.keys.length;
      this.keys.push(key);
      this.slots.set(key, i);
    }
    return i;
  }

  private fill(ev: FieldEvent): Extracted[] {
    const out = this.keys.map((k) => ev.values.get(k));
    this.keys.forEach((k, i) => {
      if (out[i] !== undefined) return;
      if (k === "evt.source") out[i] = ev.source;
      else if (k === "evt.num") out[i] = ev.num;
    });
    ev.slots = out;
    ev.slotOwner = this;
    return out;
  }

  accessor(field: FieldRef): Accessor<FieldEvent> {
    const slot = this.slotOf(field.text);
    return (ev) => {
      let s = ev.slots;
      if (ev.slotOwner !== this || s === undefined || slot >= s.length) s = this.fill(ev);
      return s[slot];
    };
  }
}
