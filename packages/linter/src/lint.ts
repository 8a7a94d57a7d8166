/**
 * Linting: the engine's load of the files (every Falco load error and warning, as `validate`
 * reports them) plus the registry's lint rules, filtered by the configuration and by inline
 * suppressions, with their fixes.
 */
import type { Diagnostic, Fix, Severity, TextEdit } from "@falcokit/diagnostics";
import { loadRules, type LoadOptions, type LoadResult } from "@falcokit/engine";
import type { RulesFile } from "@falcokit/rules-model";
import { RULES } from "./registry.js";
import type { AnyLintRule, Report } from "./types.js";

export type RuleSetting = Exclude<Severity, "hint"> | "off";

/** The configuration (`.falcokit.yaml` once read by the CLI). */
export interface LintConfig {
  /** `recommended` (the default) or `strict` (every rule). */
  extends?: "recommended" | "strict";
  /** Per rule: a severity or `off`, or `[setting, options]`. Load codes (`LOAD_UNUSED_MACRO`) too. */
  rules?: Record<string, RuleSetting | [RuleSetting, Record<string, unknown>]>;
  /**
   * Files whose macros and lists are a library for other files: unused-macro and unused-list
   * warnings about their items are dropped (upstream's helper macros make `falco -V` warn).
   */
  isLibrary?: (file: string) => boolean;
}

export interface LintOptions {
  config?: LintConfig;
  /** Loading options passed to the engine (engine version, catalogs, plugins). */
  load?: LoadOptions;
  /** The rules to run (default: the registry). */
  rules?: readonly AnyLintRule[];
}

export interface LintResult {
  /** Every finding: Falco load problems (`load/...`), schema findings and lint rules (`lint/<id>`). */
  diagnostics: Diagnostic[];
  load: LoadResult;
  /** Findings dropped by an inline suppression. */
  suppressed: number;
}

const fill = (template: string, data: Record<string, string | number> = {}) => template.replace(/\{(\w+)\}/g, (m, k: string) => (k in data ? String(data[k]) : m));

/** The short id a suppression or a configuration names a finding by. */
export function findingId(code: string): string {
  const slash = code.indexOf("/");
  return slash < 0 ? code : code.slice(slash + 1);
}

/** Runs the engine and the lint rules over files loaded in order. */
export function lint(sources: readonly { name: string; text: string }[], options: LintOptions = {}): LintResult {
  const config = options.config ?? {};
  const load = loadRules(sources, options.load ?? {});
  const diagnostics: Diagnostic[] = [];
  for (const f of load.files) for (const d of [...f.diagnostics, ...f.schema]) diagnostics.push({ ...d, file: d.file ?? f.name });

  const files = sources.flatMap((s) => {
    const model = load.parsed.get(s.name);
    return model ? [{ name: s.name, text: s.text, model }] : [];
  });
  const strict = config.extends === "strict";
  for (const rule of options.rules ?? RULES) {
    const setting = config.rules?.[rule.meta.id];
    const level = Array.isArray(setting) ? setting[0] : setting;
    if (level === "off") continue;
    if (level === undefined && !strict && !rule.meta.recommended) continue;
    const severity = level ?? rule.meta.severity;
    const ruleOptions = { ...rule.defaultOptions, ...(Array.isArray(setting) ? setting[1] : {}) };
    rule.check({
      options: ruleOptions,
      files,
      load,
      report: (r: Report) => {
        const template = rule.messages[r.messageId];
        if (template === undefined) throw new Error(`lint rule ${rule.meta.id} has no message '${r.messageId}'`);
        const d: Diagnostic = { code: `lint/${rule.meta.id}`, severity, message: fill(template, r.data), range: r.range, file: r.file };
        if (r.fix) d.fix = r.fix;
        if (r.related) d.related = r.related.map((x) => ({ message: x.message, range: x.range, file: x.file }));
        diagnostics.push(d);
      },
    });
  }

  // Severity overrides and `off` for Falco's own codes, library files, then inline suppressions.
  const kept: Diagnostic[] = [];
  const seen = new Set<string>();
  let suppressed = 0;
  const suppressions = new Map(files.map((f) => [f.name, suppressionsOf(f.text)]));
  for (const d of diagnostics) {
    const id = findingId(d.code);
    if (!d.code.startsWith("lint/")) {
      const setting = config.rules?.[id];
      const level = Array.isArray(setting) ? setting[0] : setting;
      if (level === "off") continue;
      if (level !== undefined && d.severity !== "error") d.severity = level;
      if ((id === "LOAD_UNUSED_MACRO" || id === "LOAD_UNUSED_LIST") && d.file !== undefined && config.isLibrary?.(d.file)) continue;
    }
    // Falco compiles again after each file and repeats its warnings; one is enough here.
    const key = `${d.code}\u0000${d.file}\u0000${d.range.start}\u0000${d.range.end}\u0000${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const s = d.file !== undefined ? suppressions.get(d.file) : undefined;
    if (s && s.covers(id, d.range.start)) {
      suppressed++;
      continue;
    }
    kept.push(d);
  }
  return { diagnostics: kept, load, suppressed };
}

const DIRECTIVE = /#\s*falcokit-disable(-next-line|-file)?\s+([A-Za-z0-9_/,\s-]+?)(?:\s+--\s+.*)?$/;

/**
 * Inline suppressions of a file: `# falcokit-disable-next-line ID[, ID] -- reason` silences the
 * next line that is not blank or a comment (the whole item when that line starts one, `- rule:`);
 * `# falcokit-disable-file ID` the whole file.
 */
export function suppressionsOf(text: string): { covers(id: string, offset: number): boolean } {
  const whole = new Set<string>();
  const byLine = new Map<number, Set<string>>();
  const lines = text.split("\n");
  const starts: number[] = [];
  let at = 0;
  for (const l of lines) {
    starts.push(at);
    at += l.length + 1;
  }
  lines.forEach((line, i) => {
    const m = DIRECTIVE.exec(line);
    if (!m) return;
    const ids = m[2]!.split(/[\s,]+/).filter(Boolean).map(findingId);
    if (m[1] === "-file") {
      for (const id of ids) whole.add(id);
      return;
    }
    let j = i + 1;
    while (j < lines.length && /^\s*(#.*)?$/.test(lines[j]!)) j++;
    // Before an item (`- rule: ...`), the directive covers the whole item.
    let last = j;
    const item = /^(\s*)-\s/.exec(lines[j] ?? "");
    if (item) {
      const indent = item[1]!.length;
      last = j + 1;
      while (last < lines.length && !new RegExp(`^\\s{0,${indent}}-\\s|^\\S`).test(lines[last]!)) last++;
      last--;
    }
    for (let k = j; k <= last; k++) {
      const set = byLine.get(k) ?? new Set<string>();
      for (const id of ids) set.add(id);
      byLine.set(k, set);
    }
  });
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return {
    covers: (id, offset) => whole.has(id) || whole.has("all") || (byLine.get(lineOf(offset))?.has(id) ?? false) || (byLine.get(lineOf(offset))?.has("all") ?? false),
  };
}

/**
 * Applies text edits to a text: sorted by position, an edit that overlaps one already taken is
 * skipped (it is applied by a later pass, as ESLint does). Returns the new text and the count.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): { text: string; applied: number } {
  const sorted = [...edits].sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  let out = "";
  let pos = 0;
  let applied = 0;
  for (const e of sorted) {
    if (e.range.start < pos) continue;
    out += text.slice(pos, e.range.start) + e.newText;
    pos = e.range.end;
    applied++;
  }
  return { text: out + text.slice(pos), applied };
}

/**
 * Applies whole fixes to a text: a fix is taken with all its edits or not at all, in order of
 * position; one that overlaps a fix already taken waits for the next pass. Returns the new
 * text and the edits taken (sorted, in the coordinates of the text given).
 */
export function applyFixes(text: string, fixes: readonly Fix[]): { text: string; edits: TextEdit[] } {
  const ordered = fixes
    .map((f) => [...f.edits].sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end))
    .filter((edits) => edits.length > 0)
    .sort((a, b) => a[0]!.range.start - b[0]!.range.start);
  const taken: TextEdit[] = [];
  const overlaps = (e: TextEdit) =>
    taken.some((t) => e.range.start < t.range.end && t.range.start < e.range.end) ||
    // Two insertions at one point, or an insertion at the edge of a replacement, would make the order matter.
    taken.some((t) => (e.range.start === e.range.end || t.range.start === t.range.end) && (e.range.start === t.range.start || e.range.start === t.range.end || e.range.end === t.range.start));
  for (const edits of ordered) {
    const inner = edits.some((e, i) => i > 0 && e.range.start < edits[i - 1]!.range.end);
    if (inner || edits.some(overlaps)) continue;
    taken.push(...edits);
  }
  taken.sort((a, b) => a.range.start - b.range.start);
  let out = "";
  let pos = 0;
  for (const e of taken) {
    out += text.slice(pos, e.range.start) + e.newText;
    pos = e.range.end;
  }
  return { text: out + text.slice(pos), edits: taken };
}

export interface FixAllResult {
  /** The lint result of the final texts. */
  result: LintResult;
  /** The final text of every source, changed or not. */
  texts: Map<string, string>;
  /** Per pass, per file, the edits applied (in the coordinates of that pass's input text). */
  passes: Map<string, TextEdit[]>[];
}

/**
 * Lints, applies every fix, and lints again, while fixes apply (at most `maxPasses` times).
 * Fixes that overlap wait for a later pass, as in ESLint.
 */
export function fixAll(sources: readonly { name: string; text: string }[], options: LintOptions = {}, maxPasses = 10): FixAllResult {
  const texts = new Map(sources.map((s) => [s.name, s.text]));
  let result = lint(sources, options);
  const passes: Map<string, TextEdit[]>[] = [];
  for (let pass = 0; pass < maxPasses; pass++) {
    const byFile = new Map<string, Fix[]>();
    for (const d of result.diagnostics) if (d.fix && d.file !== undefined && texts.has(d.file)) byFile.set(d.file, [...(byFile.get(d.file) ?? []), d.fix]);
    const applied = new Map<string, TextEdit[]>();
    for (const [file, fixes] of byFile) {
      const r = applyFixes(texts.get(file)!, fixes);
      if (r.edits.length === 0 || r.text === texts.get(file)) continue;
      texts.set(file, r.text);
      applied.set(file, r.edits);
    }
    if (applied.size === 0) break;
    passes.push(applied);
    result = lint(
      sources.map((s) => ({ name: s.name, text: texts.get(s.name)! })),
      options,
    );
  }
  return { result, texts, passes };
}

export type { RulesFile };
