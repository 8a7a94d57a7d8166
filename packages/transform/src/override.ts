/**
 * Override files: the tag changes of a plan as items in a file loaded after the rules, so the
 * upstream files stay untouched (`falcoctl` keeps updating them). Falco 0.37 and later take
 * `override: {tags: append|replace}`; older Falco cannot add tags to a rule except by
 * redefining it whole, which freezes the rest of the rule as it is now.
 */
import { loadRules, type ExceptionInfo, type ExceptionValue, type LoadOptions, type LoadResult, type RuleInfo } from "@falcokit/engine";
import type { TagPlan } from "./plan.js";
import { doubleQuoted } from "./yaml-scalar.js";
import { yamlFlowList, yamlScalar } from "./yaml-text.js";

export type OverrideStyle = "override" | "redefine";

/** Falco 0.37 (engine 0.31.0) introduced `override`. */
export const OVERRIDE_SINCE = { falco: "0.37.0", engine: { major: 0, minor: 31, patch: 0 } } as const;

const cmp = (a: readonly number[], b: readonly number[]) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;

/** The style for a Falco version `x.y.z`. */
export function styleForFalco(version: string): OverrideStyle | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) return undefined;
  return cmp([+m[1]!, +m[2]!, +m[3]!], [0, 37, 0]) >= 0 ? "override" : "redefine";
}

/** The style for the engine version a ruleset requires (none: `override`, today's Falco). */
export function styleForEngine(v: { major: number; minor: number; patch: number } | undefined): OverrideStyle {
  if (!v) return "override";
  const e = OVERRIDE_SINCE.engine;
  return cmp([v.major, v.minor, v.patch], [e.major, e.minor, e.patch]) >= 0 ? "override" : "redefine";
}

export interface OverrideFile {
  text: string;
  /** Rules the file changes. */
  rules: number;
}

/** Writes the plan's changes as an override file. */
export function generateOverrideFile(plan: TagPlan, load: LoadResult, style: OverrideStyle, header: readonly string[] = []): OverrideFile {
  const lines: string[] = header.map((h) => (h === "" ? "#" : `# ${h}`));
  if (lines.length > 0) lines.push("");
  let rules = 0;
  for (const change of plan.rules) {
    const same = change.before.length === change.after.length && change.before.every((t, i) => t === change.after[i]);
    if (same && style === "override") continue;
    if (same) continue;
    rules++;
    if (style === "override") {
      const added = change.after.filter((t) => !change.before.includes(t));
      const onlyAdds = change.before.every((t) => change.after.includes(t));
      lines.push(`- rule: ${yamlScalar(change.name, false)}`);
      lines.push(`  tags: ${yamlFlowList(onlyAdds ? added : change.after)}`);
      lines.push("  override:");
      lines.push(`    tags: ${onlyAdds ? "append" : "replace"}`);
    } else {
      const info = load.collector.rules.get(change.name);
      if (!info) continue;
      lines.push(...redefinition(info, change.after));
    }
    lines.push("");
  }
  return { text: lines.join("\n").replace(/\n+$/, "") + "\n", rules };
}

/** A whole rule item that redefines `info` as it is, with `tags`. */
function redefinition(info: RuleInfo, tags: readonly string[]): string[] {
  const q = (s: string) => doubleQuoted(s);
  const out = [`- rule: ${yamlScalar(info.name, false)}`, `  desc: ${q(info.desc)}`, `  condition: ${q(info.cond.text)}`, `  output: ${q(info.output)}`, `  priority: ${info.priority.toUpperCase()}`];
  if (info.source !== "" && info.source !== "syscall") out.push(`  source: ${yamlScalar(info.source, false)}`);
  out.push(`  tags: ${yamlFlowList(tags)}`);
  if (!info.enabled) out.push("  enabled: false");
  if (!info.warnEvttypes) out.push("  warn_evttypes: false");
  if (info.skipIfUnknownFilter) out.push("  skip-if-unknown-filter: true");
  if (info.exceptions.length > 0) {
    out.push("  exceptions:");
    for (const ex of info.exceptions) out.push(...exception(ex));
  }
  return out;
}

function exception(ex: ExceptionInfo): string[] {
  const q = (s: string) => doubleQuoted(s);
  const out = [`    - name: ${q(ex.name)}`];
  if (ex.fields.valid) out.push(`      fields: ${ex.fields.isList ? `[${ex.fields.items.map(q).join(", ")}]` : q(ex.fields.item)}`);
  if (ex.comps.valid) out.push(`      comps: ${ex.comps.isList ? `[${ex.comps.items.map(q).join(", ")}]` : q(ex.comps.item)}`);
  const value = (v: ExceptionValue): string => (v.isList ? `[${v.items.map(value).join(", ")}]` : q(v.item));
  if (ex.values.length > 0) out.push(`      values: [${ex.values.map(value).join(", ")}]`);
  return out;
}

export interface EffectiveMismatch {
  rule: string;
  what: string;
  expected: string;
  actual: string;
}

/**
 * Compares two loads rule by rule: the same rules, each with the tags `expectedTags` gives (or
 * its old tags), and otherwise the same condition, output, description, priority, source,
 * enabled state and exceptions.
 */
export function compareEffective(before: LoadResult, after: LoadResult, expectedTags: ReadonlyMap<string, readonly string[]>): EffectiveMismatch[] {
  const out: EffectiveMismatch[] = [];
  const names = (l: LoadResult) => l.collector.rules.items.map((r) => r.name);
  const a = names(before);
  const b = names(after);
  if (a.join("\0") !== b.join("\0")) out.push({ rule: "*", what: "rules", expected: a.join(", "), actual: b.join(", ") });
  for (const info of before.collector.rules.items) {
    const now = after.collector.rules.get(info.name);
    if (!now) continue;
    const want = [...(expectedTags.get(info.name) ?? [...info.tags])].sort();
    const got = [...now.tags].sort();
    if (want.join("\0") !== got.join("\0")) out.push({ rule: info.name, what: "tags", expected: want.join(", "), actual: got.join(", ") });
    const facts = (r: RuleInfo) => ({
      condition: r.cond.text,
      output: r.output,
      desc: r.desc,
      priority: r.priority,
      source: r.source === "" ? "syscall" : r.source,
      enabled: String(r.enabled),
      exceptions: JSON.stringify(r.exceptions.map((e) => [e.name, e.fields.isList ? e.fields.items : e.fields.item, e.comps.isList ? e.comps.items : e.comps.item, e.values])),
    });
    const x = facts(info);
    const y = facts(now);
    for (const k of Object.keys(x) as (keyof typeof x)[]) if (x[k] !== y[k]) out.push({ rule: info.name, what: k, expected: x[k], actual: y[k] });
  }
  return out;
}

/** Loads `sources` plus the override file after them, and compares with `base`. */
export function checkOverrideFile(
  sources: readonly { name: string; text: string }[],
  base: LoadResult,
  override: { name: string; text: string },
  expectedTags: ReadonlyMap<string, readonly string[]>,
  options: LoadOptions = {},
): { load: LoadResult; mismatches: EffectiveMismatch[] } {
  const load = loadRules([...sources, override], options);
  return { load, mismatches: compareEffective(base, load, expectedTags) };
}
