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
