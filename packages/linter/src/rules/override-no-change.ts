import type { OffsetRange } from "@falcokit/diagnostics";
import type { ExceptionEntry, RuleException, RuleItem, ScalarValue, SequenceValue } from "@falcokit/rules-model";
import type { LintRule } from "../types.js";
import { sameCondition, sameItems } from "./macro-redefined.js";

/** One key's effective value just before an item, and where it was last set. */
interface Value {
  value: unknown;
  file: string;
  range: OffsetRange;
}

type State = Map<string, Value>;

const plain = (e: ExceptionEntry | undefined): unknown => (e === undefined ? null : e.kind === "scalar" ? e.text : e.items.map(plain));

interface Exception {
  name: string;
  fields: unknown;
  comps: unknown;
  values: unknown[];
}

const exceptionsOf = (seq: SequenceValue<RuleException>): Exception[] =>
  seq.items.map((ex) => ({ name: ex.name?.text ?? "", fields: plain(ex.fields), comps: plain(ex.comps), values: (ex.values?.items ?? []).map(plain) }));

/** The rule keys a definition sets, with Falco's defaults for the absent ones. */
const RULE_DEFAULTS: Record<string, unknown> = {
  condition: "",
  output: "",
  desc: "",
  tags: [],
  exceptions: [],
  priority: "Debug",
  enabled: true,
  capture: false,
  capture_duration: 0,
  warn_evttypes: true,
  "skip-if-unknown-filter": false,
};

/** A rule key's value as written, in the form the state keeps. */
function ruleValue(item: RuleItem, key: string): { value: unknown; range: OffsetRange } | undefined {
  const scalar = (s: ScalarValue<unknown> | undefined, v?: unknown) => (s ? { value: v ?? s.value, range: s.range } : undefined);
  switch (key) {
    case "condition":
      return scalar(item.condition, item.condition?.text);
    case "output":
      return scalar(item.output, item.output?.text.trim());
    case "desc":
      return scalar(item.desc, item.desc?.text);
    case "tags":
      return item.tags ? { value: item.tags.items.map((t) => t.text), range: item.tags.range } : undefined;
    case "exceptions":
      return item.exceptions ? { value: exceptionsOf(item.exceptions), range: item.exceptions.range } : undefined;
    case "priority":
      return scalar(item.priority);
    case "enabled":
      return scalar(item.enabled);
    case "capture":
      return scalar(item.capture);
    case "capture_duration":
      return scalar(item.captureDuration);
    case "warn_evttypes":
      return scalar(item.warnEvttypes);
    case "skip-if-unknown-filter":
      return scalar(item.skipIfUnknownFilter);
  }
  return undefined;
}

function same(key: string, a: unknown, b: unknown): boolean {
  if (key === "condition") return sameCondition(a as string, b as string);
  // Tags are a set; list items keep their order (and repeats) in what Falco compiles.
  if (key === "tags") return sameItems(a as string[], b as string[]);
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Whether appending `v` to `key` adds nothing. */
function emptyAppend(v: unknown): boolean {
  return Array.isArray(v) ? v.length === 0 : typeof v === "string" && v.trim() === "";
}

function append(key: string, prev: unknown, v: unknown): unknown {
  if (emptyAppend(v)) return prev;
  if (key === "condition" || key === "output" || key === "desc") return `${prev as string} ${v as string}`;
  if (key === "tags") return [...new Set([...(prev as string[]), ...(v as string[])])];
  if (key === "items") return [...(prev as string[]), ...(v as string[])];
  if (key === "exceptions") {
    const out = (prev as Exception[]).map((e) => ({ ...e, values: [...e.values] }));
    for (const ex of v as Exception[]) {
      const existing = out.find((e) => e.name === ex.name);
      if (existing) existing.values.push(...ex.values);
      else out.push(ex);
    }
    return out;
  }
  return v;
}

const WHAT: Record<string, string> = { condition: "an empty condition", output: "an empty output", desc: "an empty desc", tags: "no tags", exceptions: "no exceptions", items: "no items" };

export const overrideNoChange: LintRule = {
  meta: {
    id: "override-no-change",
    category: "correctness",
    description: "An `override:` (or `append: true`) that changes nothing: it appends nothing, or replaces a value with the one already there.",
    severity: "warning",
    fixable: false,
    recommended: true,
  },
  messages: {
    appendEmpty: "{how} on {kind} '{name}' appends {what}: it changes nothing",
    replaceSame: "{how} on {kind} '{name}' replaces {key} with the value it already has: it changes nothing",
  },
  defaultOptions: {},
  check(ctx) {
    const states = new Map<string, State>();
    for (const f of ctx.files) {
      for (const item of f.model.items) {
        if (item.kind !== "rule" && item.kind !== "macro" && item.kind !== "list") continue;
        const name = item.name?.value;
        if (name === undefined || !item.valid) continue;
        const id = `${item.kind}\u0000${name}`;
        const prev = states.get(id);
        const legacy = item.append?.value === true;
        // Each key the item changes: its operation and its value.
        const changes: { key: string; op: "append" | "replace" | "define"; v: { value: unknown; range: OffsetRange } | undefined; how: string }[] = [];
        const viaOverride = (key: string, op: string) => `'override: ${key}: ${op}'`;
        if (item.kind === "list" || item.kind === "macro") {
          const key = item.kind === "list" ? "items" : "condition";
          const v = item.kind === "list" ? (item.items ? { value: item.items.items.map((i) => i.text), range: item.items.range } : undefined) : item.condition ? { value: item.condition.text, range: item.condition.range } : undefined;
          const op = item.override?.ops.get(key);
          if (legacy || op === "append") changes.push({ key, op: "append", v, how: legacy ? "'append: true'" : viaOverride(key, "append") });
          else if (op === "replace") changes.push({ key, op: "replace", v, how: viaOverride(key, "replace") });
          else changes.push({ key, op: "define", v: v ?? { value: key === "items" ? [] : "", range: item.name!.range }, how: "" });
        } else {
          const ops = item.override?.ops ?? new Map<string, "append" | "replace">();
          if (ops.size > 0) {
            for (const [key, op] of ops) changes.push({ key, op, v: ruleValue(item, key), how: viaOverride(key, op) });
          } else if (legacy) {
            for (const key of ["condition", "exceptions"]) changes.push({ key, op: "append", v: ruleValue(item, key), how: "'append: true'" });
          } else if (!item.condition && !item.output && !item.desc && !item.priority) {
            // The standalone `enabled:` (deprecated, reported elsewhere) still changes the state.
            changes.push({ key: "enabled", op: "replace", v: { value: item.enabled?.value ?? true, range: item.enabled?.range ?? item.name!.range }, how: "" });
          } else {
            for (const key of Object.keys(RULE_DEFAULTS)) changes.push({ key, op: "define", v: ruleValue(item, key) ?? { value: RULE_DEFAULTS[key], range: item.name!.range }, how: "" });
          }
        }

        if (changes[0]?.op === "define") {
          states.set(id, new Map(changes.map((c) => [c.key, { value: c.v!.value, file: f.name, range: c.v!.range }])));
          continue;
        }
        if (!prev) continue; // Falco's own error: nothing to append to or replace.
        for (const c of changes) {
          if (!c.v) continue;
          const before = prev.get(c.key);
          if (!before) continue;
          const report = { kind: item.kind, name, how: c.how, key: c.key };
          if (c.op === "append") {
            if (emptyAppend(c.v.value)) {
              if (c.how) ctx.report({ messageId: "appendEmpty", data: { ...report, what: WHAT[c.key] ?? "nothing" }, file: f.name, range: c.v.range });
              continue;
            }
            prev.set(c.key, { value: append(c.key, before.value, c.v.value), file: f.name, range: c.v.range });
          } else {
            if (same(c.key, before.value, c.v.value)) {
              if (c.how) ctx.report({ messageId: "replaceSame", data: report, file: f.name, range: c.v.range, related: [{ message: `the ${c.key} it already has`, file: before.file, range: before.range }] });
              continue;
            }
            prev.set(c.key, { value: c.v.value, file: f.name, range: c.v.range });
          }
        }
      }
    }
  },
};
