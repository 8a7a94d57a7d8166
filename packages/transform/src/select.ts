/**
 * Which rules a transform applies to: the effective rules of a load (after every append,
 * override and redefinition), chosen by name, tag, source, priority, defining file and
 * enabled state. Criteria of different kinds must all hold; values of one kind are
 * alternatives (`--tag a --tag b`: either tag).
 */
import { matchesWildcard, type LoadResult, type RuleInfo } from "@falcokit/engine";
import { PRIORITY_LEVELS, parsePriority, type PriorityName } from "@falcokit/rules-model";

export interface RuleSelector {
  /** Rule names, with `*` wildcards as in falco.yaml's `rules:` selection. */
  names?: readonly string[];
  /** The rule carries one of these tags. */
  tags?: readonly string[];
  /** The rule carries none of these tags. */
  withoutTags?: readonly string[];
  /** The rule's source is one of these (`syscall` also matches rules that name none). */
  sources?: readonly string[];
  /** At least this severe (`Warning` selects Warning, Error, Critical, Alert and Emergency). */
  minPriority?: PriorityName;
  /** At most this severe. */
  maxPriority?: PriorityName;
  /** The file the rule is first defined in passes this test (the CLI matches globs). */
  file?: (file: string) => boolean;
  /** The rule's enabled state after loading (the files' `enabled` keys). */
  enabled?: boolean;
}

export interface SelectedRule {
  name: string;
  info: RuleInfo;
  /** The file and 1-based line of the definition the rule's body comes from. */
  file: string;
  line: number;
}

/** Reads a priority name as Falco does (any case, `info` for Informational). */
export function priorityOf(text: string): PriorityName | undefined {
  return parsePriority(text);
}

/** The effective rules of `load` that `selector` picks, in load order. */
export function selectRules(load: LoadResult, selector: RuleSelector): SelectedRule[] {
  const out: SelectedRule[] = [];
  const any = <T>(values: readonly T[] | undefined, test: (v: T) => boolean) => values === undefined || values.length === 0 || values.some(test);
  for (const info of load.collector.rules.items) {
    const source = info.source === "" ? "syscall" : info.source;
    const define = info.provenance.find((p) => p.op === "define") ?? info.provenance[0];
    const file = define?.file ?? info.where.file;
    if (!any(selector.names, (p) => matchesWildcard(p, info.name))) continue;
    if (!any(selector.tags, (t) => info.tags.has(t))) continue;
    if (selector.withoutTags?.some((t) => info.tags.has(t))) continue;
    if (!any(selector.sources, (s) => s === source)) continue;
    // PRIORITY_LEVELS counts from Emergency (0) down to Debug (7).
    if (selector.minPriority !== undefined && PRIORITY_LEVELS[info.priority] > PRIORITY_LEVELS[selector.minPriority]) continue;
    if (selector.maxPriority !== undefined && PRIORITY_LEVELS[info.priority] < PRIORITY_LEVELS[selector.maxPriority]) continue;
    if (selector.file && !selector.file(file)) continue;
    if (selector.enabled !== undefined && info.enabled !== selector.enabled) continue;
    out.push({ name: info.name, info, file, line: define?.line ?? 0 });
  }
  return out;
}
