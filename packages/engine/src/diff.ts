/**
 * Compares two effective rulesets and classifies every change as falcosecurity/rules' CI
 * does (its `rules-check compare`): removals, fewer events, disabled rules and less urgent
 * priorities are major; additions and raised requirements are minor; more tags, more
 * events, changed output fields, changed exceptions and list items are patch.
 */
import type { RulesetDescription } from "./describe.js";

export type ChangeLevel = "major" | "minor" | "patch";

export interface Change {
  level: ChangeLevel;
  kind: "rule" | "macro" | "list" | "engine" | "plugin";
  name: string;
  message: string;
}

const PRIORITY_RANK: Record<string, number> = {
  emergency: 0,
  alert: 1,
  critical: 2,
  error: 3,
  warning: 4,
  notice: 5,
  informational: 6,
  info: 6,
  debug: 7,
};

const minus = (a: readonly string[], b: readonly string[]) => {
  const set = new Set(b);
  return [...new Set(a)].filter((x) => !set.has(x));
};

function parseVersion(v: string): number[] {
  return v.split(".").map((x) => Number.parseInt(x, 10) || 0);
}

function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

type Requirement = RulesetDescription["required_plugin_versions"][number];
const requirements = (r: Requirement) => [{ name: r.name, version: r.version }, ...r.alternatives];
const findRequirement = (set: readonly Requirement[], plugin: string) => set.find((r) => requirements(r).some((x) => x.name === plugin));
const versionIn = (r: Requirement, plugin: string) => requirements(r).find((x) => x.name === plugin)!.version;

/** Every classified change from `before` to `after`, major first, then minor, then patch. */
export function diffRulesets(before: RulesetDescription, after: RulesetDescription): Change[] {
  const out: Change[] = [];
  const add = (level: ChangeLevel, kind: Change["kind"], name: string, message: string) => out.push({ level, kind, name, message });

  // Major.
  for (const lpr of before.required_plugin_versions) {
    const removed = requirements(lpr).filter((lr) => !findRequirement(after.required_plugin_versions, lr.name) && lpr.alternatives.length > 0);
    if (removed.length < requirements(lpr).length) {
      for (const lr of removed) add("major", "plugin", lr.name, `Version dependency alternative to plugin \`${lr.name}\` has removed`);
    }
  }
  const names = (xs: { info: { name: string } }[]) => xs.map((x) => x.info.name);
  for (const n of minus(names(before.rules), names(after.rules))) add("major", "rule", n, `Rule \`${n}\` has been removed`);
  for (const n of minus(names(before.macros), names(after.macros))) add("major", "macro", n, `Macro \`${n}\` has been removed`);
  for (const n of minus(names(before.lists), names(after.lists))) add("major", "list", n, `List \`${n}\` has been removed`);
  const pairs = before.rules.flatMap((l) => after.rules.filter((r) => r.info.name === l.info.name).map((r) => [l, r] as const));
  for (const [l, r] of pairs) {
    const n = l.info.name;
    if (l.info.source !== r.info.source) add("major", "rule", n, `Rule \`${n}\` has different source (before='${l.info.source}', after='${r.info.source}')`);
    if (l.info.enabled && !r.info.enabled) add("major", "rule", n, `Rule \`${n}\` has been disabled at default`);
    if (minus(l.details.events, r.details.events).length > 0) add("major", "rule", n, `Rule \`${n}\` matches less events than before`);
    if (minus(l.info.tags, r.info.tags).length > 0) add("major", "rule", n, `Rule \`${n}\` has less tags than before`);
    if (rank(l.info.priority) < rank(r.info.priority)) add("major", "rule", n, `Rule \`${n}\` has a less urgent priority than before`);
  }
  for (const l of before.macros) {
    const r = after.macros.find((m) => m.info.name === l.info.name);
    if (r && (minus(l.details.events, r.details.events).length > 0 || minus(r.details.events, l.details.events).length > 0)) {
      add("major", "macro", l.info.name, `Macro \`${l.info.name}\` matches different events than before`);
    }
  }

  // Minor.
  if (compareVersions(before.required_engine_version, after.required_engine_version) < 0) {
    add("minor", "engine", "", `Required engine version was incremented from ${before.required_engine_version} to ${after.required_engine_version}`);
  }
  for (const rpr of after.required_plugin_versions) {
    if (!requirements(rpr).some((x) => findRequirement(before.required_plugin_versions, x.name))) {
      add("minor", "plugin", rpr.name, `Version dependency to plugin \`${rpr.name}\` has added`);
    }
  }
  for (const lpr of before.required_plugin_versions) {
    for (const lr of requirements(lpr)) {
      const rr = findRequirement(after.required_plugin_versions, lr.name);
      if (rr && compareVersions(lr.version, versionIn(rr, lr.name)) < 0) add("minor", "plugin", lr.name, `Version dependency to plugin \`${lr.name}\` has been incremented`);
    }
  }
  for (const n of minus(names(after.rules), names(before.rules))) add("minor", "rule", n, `Rule \`${n}\` has been added`);
  for (const n of minus(names(after.macros), names(before.macros))) add("minor", "macro", n, `Macro \`${n}\` has been added`);
  for (const n of minus(names(after.lists), names(before.lists))) add("minor", "list", n, `List \`${n}\` has been added`);

  // Patch.
  if (compareVersions(before.required_engine_version, after.required_engine_version) > 0) {
    add("patch", "engine", "", `Required engine version was decremented from ${before.required_engine_version} to ${after.required_engine_version}`);
  }
  for (const lpr of before.required_plugin_versions) {
    const removed: string[] = [];
    for (const lr of requirements(lpr)) {
      const rr = findRequirement(after.required_plugin_versions, lr.name);
      if (!rr) removed.push(lr.name);
      else if (compareVersions(lr.version, versionIn(rr, lr.name)) > 0) add("patch", "plugin", lr.name, `Version dependency to plugin \`${lr.name}\` has been decremented`);
    }
    if (removed.length === requirements(lpr).length) for (const p of removed) add("patch", "plugin", p, `Version dependency to plugin \`${p}\` has removed`);
  }
  for (const rpr of after.required_plugin_versions) {
    const lrl = requirements(rpr).map((x) => findRequirement(before.required_plugin_versions, x.name)).find(Boolean);
    if (lrl) for (const x of requirements(rpr)) if (!requirements(lrl).some((y) => y.name === x.name)) add("patch", "plugin", x.name, `Version dependency alternative to plugin \`${x.name}\` has added`);
  }
  for (const [l, r] of pairs) {
    const n = l.info.name;
    if (!l.info.enabled && r.info.enabled) add("patch", "rule", n, `Rule \`${n}\` has been enabled at default`);
    if (minus(r.details.events, l.details.events).length > 0) add("patch", "rule", n, `Rule \`${n}\` matches more events than before`);
    if (l.details.output_fields.length !== r.details.output_fields.length) add("patch", "rule", n, `Rule \`${n}\` changed its output fields`);
    if (minus(r.info.tags, l.info.tags).length > 0) add("patch", "rule", n, `Rule \`${n}\` has more tags than before`);
    if (rank(r.info.priority) < rank(l.info.priority)) add("patch", "rule", n, `Rule \`${n}\` has a more urgent priority than before`);
    const le = l.details.exception_names;
    const re = r.details.exception_names;
    if (minus(le, re).length > 0 || minus(re, le).length > 0) add("patch", "rule", n, `Rule '${n}' has some exceptions added or removed`);
  }
  for (const l of before.lists) {
    const r = after.lists.find((x) => x.info.name === l.info.name);
    if (r && (minus(l.info.items, r.info.items).length > 0 || minus(r.info.items, l.info.items).length > 0)) {
      add("patch", "list", l.info.name, `List \`${l.info.name}\` has some item added or removed`);
    }
  }
  return out;
}

function rank(priority: string): number {
  return PRIORITY_RANK[priority.toLowerCase()] ?? 7;
}

/** The change list as a Markdown pull-request comment, in the CI script's layout. */
export function formatChanges(changes: readonly Change[]): string {
  if (changes.length === 0) return "No changes detected\n";
  let out = "";
  for (const level of ["major", "minor", "patch"] as const) {
    const xs = changes.filter((c) => c.level === level);
    if (xs.length === 0) continue;
    out += `**${level[0]!.toUpperCase()}${level.slice(1)}** changes:\n${xs.map((c) => `* ${c.message}`).join("\n")}\n\n`;
  }
  return out;
}

/** The semantic version bump the changes call for. */
export function requiredBump(changes: readonly Change[]): ChangeLevel | "none" {
  for (const level of ["major", "minor", "patch"] as const) if (changes.some((c) => c.level === level)) return level;
  return "none";
}
