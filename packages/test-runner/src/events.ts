/**
 * The events of a test input, whatever its kind (syscall fixture, field-level fixture, capture,
 * k8s audit events), each with the ruleset it meets and where it came from, so alerts, explain
 * trees and coverage can name the event (`fixture.yaml:12`, `capture.scap#4031`).
 */
import type { LoadResult, RuleSelectionEntry } from "@falcokit/engine";
import { eventCodesForName, PLUGINEVENT_E, type FieldCatalog } from "@falcokit/fields";
import {
  AuditEventSource,
  FieldEventSource,
  Ruleset,
  SyscallEventSource,
  parseAuditEvents,
  readFieldFixture,
  readSyscallFixture,
  syscallFixtureRecords,
  priorityRank,
  type DnsTable,
  type FieldSource,
  type Priority,
} from "@falcokit/evaluator";
import { Inspector, ScapError, ScapReader, isGzip, isScap, type ScapRecord } from "@falcokit/scap";

export type InputKind = "capture" | "audit" | "fixture" | "syscalls";

/** A syscall-level fixture names syscalls or a process table; a field-level one names fields. */
const SYSCALL_FIXTURE = /^\s*(?:-\s+)?(?:processes|containers|users|groups|interfaces|syscall|event|dns)\s*:/m;

/** Tells an input's kind from its name and first bytes, as `falcokit replay` does. */
export function inputKind(path: string, bytes: Uint8Array, text: () => string): InputKind {
  if (isGzip(bytes) || isScap(bytes)) return "capture";
  if (/\.ya?ml$/i.test(path)) return SYSCALL_FIXTURE.test(text()) ? "syscalls" : "fixture";
  const t = text();
  if (/"apiVersion"\s*:\s*"audit\.k8s\.io\//.test(t) || /"auditID"\s*:/.test(t) || /^\s*\{\s*"kind"\s*:/.test(t)) return "audit";
  return "fixture";
}

/** One event, as the rules meet it. */
export interface TestEvent {
  /** Where it is: `file:line` for fixtures, `file#N` (the event number) for captures. */
  where: string;
  source: string;
  ruleset: Ruleset<unknown>;
  fields: FieldSource<unknown>;
  ctx: unknown;
  codes: readonly number[];
  ts: bigint;
  num: bigint;
  /** The event type's name, when known (for reports). */
  type?: string;
}

export interface InputProblem {
  where: string;
  message: string;
}

/** The rulesets of one load, built on demand per source and kind of field source. */
export class Rulesets {
  private readonly sets = new Map<string, { ruleset: Ruleset<unknown>; fields: FieldSource<unknown> } | undefined>();
  readonly problems: { rule: string; message: string }[] = [];

  constructor(
    readonly load: LoadResult,
    private readonly options: { minPriority?: Priority; selection?: readonly RuleSelectionEntry[]; dns?: DnsTable },
  ) {}

  /** The runnable rule of that name in a ruleset built so far; "below-priority" when the minimum priority left it out. */
  find(rule: string): { enabled: boolean } | "below-priority" | undefined {
    for (const e of this.sets.values()) {
      const r = e?.ruleset.rules.find((x) => x.rule.info.name === rule);
      if (r) return r;
    }
    const compiled = this.load.compiled?.rules.find((r) => r.info.name === rule);
    if (compiled && this.options.minPriority && priorityRank(compiled.info.priority) > priorityRank(this.options.minPriority)) return "below-priority";
    return undefined;
  }

  /** The resolver table syscall sources use. */
  get dns(): DnsTable | undefined {
    return this.options.dns;
  }

  get(kind: string, source: string, make: (c: FieldCatalog) => FieldSource<unknown>): { ruleset: Ruleset<unknown>; fields: FieldSource<unknown> } | undefined {
    const key = `${kind}\0${source}`;
    if (this.sets.has(key)) return this.sets.get(key);
    const catalog = this.load.catalogs.get(source);
    let entry: { ruleset: Ruleset<unknown>; fields: FieldSource<unknown> } | undefined;
    if (catalog) {
      const fields = make(catalog);
      const ruleset = Ruleset.build(this.load, source, fields, this.options);
      for (const p of ruleset.problems) if (!this.problems.some((q) => q.rule === p.rule)) this.problems.push(p);
      entry = { ruleset, fields };
    }
    this.sets.set(key, entry);
    return entry;
  }
}

/**
 * Calls `visit` for every event of an input, in order. Returns the input's problems (a broken
 * fixture, a truncated capture); the events before a capture problem are visited.
 */
export function forEachEvent(name: string, kind: InputKind, bytes: Uint8Array, text: string, sets: Rulesets, visit: (e: TestEvent) => void): InputProblem[] {
  const problems: InputProblem[] = [];
  if (kind === "capture" || kind === "syscalls") {
    const entry = sets.get("syscall", "syscall", (c) => new SyscallEventSource(c, sets.dns ? { dns: sets.dns } : {}) as FieldSource<unknown>);
    if (!entry) return [{ where: name, message: "syscall events need the syscall source" }];
    const inspector = new Inspector();
    const feed = (rec: ScapRecord, where: (num: bigint) => string) => {
      const ctx = inspector.feed(rec);
      if (!ctx) return;
      visit({ where: where(ctx.num), source: "syscall", ruleset: entry.ruleset, fields: entry.fields, ctx, codes: [ctx.event.type], ts: ctx.event.ts, num: ctx.num, type: ctx.info.name });
    };
    if (kind === "syscalls") {
      const read = readSyscallFixture(text);
      for (const p of read.problems) problems.push({ where: `${name}:${p.line}:${p.column}`, message: p.message });
      if (read.problems.length > 0) return problems;
      for (const rec of syscallFixtureRecords(read.fixture)) feed(rec as ScapRecord, () => `${name}:${(rec as { line?: number }).line ?? 0}`);
      return problems;
    }
    const reader = new ScapReader();
    try {
      reader.push(bytes);
      reader.end();
      for (let rec = reader.next(); rec !== undefined; rec = reader.next()) feed(rec, (num) => `${name}#${num}`);
    } catch (e) {
      if (e instanceof ScapError) problems.push({ where: name, message: e.message });
      else throw e;
    }
    return problems;
  }
  if (kind === "audit") {
    let parsed = parseAuditEvents(text);
    if (parsed.errors.length > 0) {
      const whole = parseAuditEvents(text, { mode: "webhook" });
      if (whole.errors.length === 0 && whole.events.length > 0) parsed = whole;
    }
    for (const e of parsed.errors) problems.push({ where: `${name}:${e.line}:${e.column}`, message: e.message });
    const entry = sets.get("audit", "k8s_audit", (c) => new AuditEventSource(c) as FieldSource<unknown>);
    if (!entry) return [...problems, { where: name, message: "audit events need the k8s_audit source (the k8saudit plugin)" }];
    parsed.events.forEach((ev, i) => visit({ where: `${name}#${i + 1}`, source: "k8s_audit", ruleset: entry.ruleset, fields: entry.fields, ctx: ev, codes: [PLUGINEVENT_E], ts: ev.ts, num: ev.num }));
    return problems;
  }
  const fixture = readFieldFixture(text, sets.load.catalogs);
  for (const p of fixture.problems) problems.push({ where: `${name}:${p.line}:${p.column}`, message: p.message });
  if (fixture.problems.length > 0) return problems;
  for (const ev of fixture.events) {
    const entry = sets.get("fields", ev.source, (c) => new FieldEventSource(c) as FieldSource<unknown>);
    if (!entry) {
      problems.push({ where: `${name}:${ev.line}`, message: `no loaded plugin provides the source '${ev.source}'` });
      continue;
    }
    let codes: readonly number[];
    if (ev.source !== "syscall") codes = [PLUGINEVENT_E];
    else if (ev.eventType === undefined) {
      problems.push({ where: `${name}:${ev.line}:1`, message: "a syscall event needs evt.type: Falco only tries a rule on the event types it names" });
      continue;
    } else codes = eventCodesForName(ev.eventType);
    const e: TestEvent = { where: `${name}:${ev.line}`, source: ev.source, ruleset: entry.ruleset, fields: entry.fields, ctx: ev, codes, ts: ev.ts, num: ev.num };
    if (ev.eventType !== undefined) e.type = ev.eventType;
    visit(e);
  }
  return problems;
}
