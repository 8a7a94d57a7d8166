/**
 * Falco's rule-name utilities: wildcard matching for rule selection (`falco.yaml` `rules:`
 * entries) and the sanitized rule names used as metric labels.
 */

/** `*` matches any (possibly empty) run of characters; the whole text must match. */
export function matchesWildcard(pattern: string, text: string): boolean {
  const parts = pattern.split("*");
  if (parts.length === 1) return pattern === text;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!text.startsWith(first) || text.length < first.length + last.length) return false;
  let pos = first.length;
  for (const part of parts.slice(1, -1)) {
    if (part === "") continue;
    const at = text.indexOf(part, pos);
    if (at < 0) return false;
    pos = at + part.length;
  }
  return text.length - last.length >= pos && text.endsWith(last);
}

/** Runs of characters other than letters, digits, `_` and `:` become one `_`; trailing `_` go. */
export function sanitizeRuleName(name: string): string {
  return name.replace(/[^A-Za-z0-9_:]+/g, "_").replace(/_+/g, "_").replace(/_+$/, "");
}

export type MatchType = "exact" | "substring" | "wildcard";

/**
 * Which rules are enabled in each ruleset, changed by name (exact, substring or wildcard) or
 * by tag, as Falco's rulesets are by `falco.yaml` `rules:` selection and the engine API.
 */
export class RuleSelection {
  private readonly enabled = new Map<number, Set<string>>();

  constructor(private readonly rules: readonly { name: string; tags?: readonly string[] }[]) {}

  private set(ruleset: number): Set<string> {
    let s = this.enabled.get(ruleset);
    if (!s) this.enabled.set(ruleset, (s = new Set()));
    return s;
  }

  private byName(match: MatchType, pattern: string): string[] {
    const test = match === "exact" ? (n: string) => n === pattern : match === "substring" ? (n: string) => n.includes(pattern) : (n: string) => matchesWildcard(pattern, n);
    return this.rules.filter((r) => test(r.name)).map((r) => r.name);
  }

  private byTags(tags: readonly string[]): string[] {
    return this.rules.filter((r) => (r.tags ?? []).some((t) => tags.includes(t))).map((r) => r.name);
  }

  enable(match: MatchType, pattern: string, ruleset = 0): void {
    for (const n of this.byName(match, pattern)) this.set(ruleset).add(n);
  }

  disable(match: MatchType, pattern: string, ruleset = 0): void {
    for (const n of this.byName(match, pattern)) this.set(ruleset).delete(n);
  }

  enableTags(tags: readonly string[], ruleset = 0): void {
    for (const n of this.byTags(tags)) this.set(ruleset).add(n);
  }

  disableTags(tags: readonly string[], ruleset = 0): void {
    for (const n of this.byTags(tags)) this.set(ruleset).delete(n);
  }

  enabledCount(ruleset = 0): number {
    return this.enabled.get(ruleset)?.size ?? 0;
  }
}
