/**
 * Alerts as Falco emits them, and the replay loop that produces them from events of any
 * source: each event meets the ruleset of its source, under the rules of its event type.
 */
import type { RunnableRule, Ruleset } from "./ruleset.js";

/** One alert, with the keys of Falco's JSON output (plus the event number). */
export interface Alert {
  /** ISO 8601 with nanoseconds, UTC (`2024-05-01T10:00:00.123456789Z`). */
  time: string;
  rule: string;
  priority: string;
  source: string;
  tags: string[];
  output: string;
  output_fields: Record<string, string | number | boolean | null>;
  /** libsinsp's `evt.num` of the event that raised it. */
  evt_num: number | string;
}

/** Nanoseconds since the epoch as ISO 8601 with all nine fraction digits. */
export function isoTime(ts: bigint): string {
  const ms = ts / 1_000_000n;
  const base = new Date(Number(ms)).toISOString().slice(0, 19);
  const frac = (((ts % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n).toString().padStart(9, "0");
  return `${base}.${frac}Z`;
}

/** Falco's text line time: `HH:MM:SS.nnnnnnnnn` (UTC). */
export function clockTime(ts: bigint): string {
  return isoTime(ts).slice(11, 29);
}

/** Falco's text line for an alert: `<time>: <Priority> <output>`. */
export function alertLine(a: Alert): string {
  return `${a.time.slice(11, 29)}: ${a.priority} ${a.output}`;
}

export function makeAlert<Ctx>(r: RunnableRule<Ctx>, ctx: Ctx, ts: bigint, num: bigint): Alert {
  const rendered = r.output(ctx);
  const info = r.rule.info;
  return {
    time: isoTime(ts),
    rule: info.name,
    priority: info.priority,
    source: info.source,
    tags: [...info.tags].sort(),
    output: rendered.output,
    output_fields: rendered.fields,
    evt_num: num <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(num) : num.toString(),
  };
}

/** Counts per rule and per priority, as Falco's end-of-run summary prints them. */
export class AlertSummary {
  events = 0;
  readonly byRule = new Map<string, number>();
  readonly byPriority = new Map<string, number>();

  add(a: Alert): void {
    this.events++;
    this.byRule.set(a.rule, (this.byRule.get(a.rule) ?? 0) + 1);
    this.byPriority.set(a.priority, (this.byPriority.get(a.priority) ?? 0) + 1);
  }

  /** Falco's wording: `Events detected`, counts by severity, then by rule name. */
  text(): string {
    const lines = [`Events detected: ${this.events}`, "Rule counts by severity:"];
    for (const [p, n] of this.byPriority) lines.push(`   ${p.toUpperCase()}: ${n}`);
    lines.push("Triggered rules by rule name:");
    for (const [r, n] of this.byRule) lines.push(`   ${r}: ${n}`);
    return lines.join("\n") + "\n";
  }
}

/** Runs one event through its source's ruleset and returns its alerts. */
export function alertsFor<Ctx>(ruleset: Ruleset<Ctx>, ctx: Ctx, codes: readonly number[], ts: bigint, num: bigint, matching: "first" | "all"): Alert[] {
  const matched = ruleset.runCodes(ctx, codes, matching);
  return matched.map((r) => makeAlert(r, ctx, ts, num));
}
