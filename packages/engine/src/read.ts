/**
 * Turns the items of one rules file into collector operations, as Falco's reader does:
 * which item defines, appends, replaces or only enables, and with which values.
 */
import { ItemType, type ExceptionEntry, type ListItem, type MacroItem, type RuleException, type RuleItem, type ScalarValue } from "@falcokit/rules-model";
import type { Collector, ExceptionInfo, ExceptionValue, Provenance, RuleUpdate } from "./collector.js";
import { child, rootWhere, type Files, type Where } from "./problems.js";
import { TrackedText } from "./tracked.js";

export interface ReadContext {
  collector: Collector;
  files: Files;
  fileName: string;
  /** Checks an exception against the rule's source (fields exist, operators known). */
  validateException: (source: string | undefined) => (ex: ExceptionInfo) => void;
  /** Whether a source is loaded. */
  hasSource: (source: string) => boolean;
  /** Reports Falco's LOAD_UNKNOWN_SOURCE warning. */
  unknownSource: (source: string, where: Where) => void;
}

type Item = RuleItem | MacroItem | ListItem;

function lineOf(ctx: ReadContext, offset: number): number {
  return ctx.files.lineIndex(ctx.fileName).positionAt(offset).line + 1;
}

/** Where an item is: `rules content` → `<kind> '<name>'` at the item's mark, pointing at its name. */
export function itemWhere(ctx: ReadContext, item: Item): Where {
  const type = item.kind === "rule" ? ItemType.RULE : item.kind === "macro" ? ItemType.MACRO : ItemType.LIST;
  const mark = ctx.files.mark(ctx.fileName, item.node, item.range.start);
  return child(rootWhere(ctx.fileName), type, item.name?.text ?? "", mark, item.name?.range ?? item.range);
}

function valueWhere(ctx: ReadContext, parent: Where, itemType: string, scalar: ScalarValue): Where {
  return child(parent, itemType, "", ctx.files.mark(ctx.fileName, scalar.node, scalar.range.start), scalar.range);
}

function provenance(ctx: ReadContext, keys: string[], offset: number, op: Provenance["op"]): Provenance[] {
  const line = lineOf(ctx, offset);
  return keys.map((key) => ({ key, file: ctx.fileName, line, op }));
}

function entryValue(e: ExceptionEntry): ExceptionValue {
  if (e.kind === "scalar") return { isList: false, item: e.text, items: [] };
  return { isList: true, item: "", items: e.items.map(entryValue) };
}

function fieldsInfo(e: ExceptionEntry | undefined): ExceptionInfo["fields"] {
  if (!e) return { valid: false, isList: false, item: "", items: [] };
  if (e.kind === "scalar") return { valid: true, isList: false, item: e.text, items: [] };
  return { valid: true, isList: true, item: "", items: e.items.map((i) => (i.kind === "scalar" ? i.text : "")) };
}

function exceptionInfos(ctx: ReadContext, parent: Where, exceptions: readonly RuleException[]): ExceptionInfo[] {
  return exceptions.map((ex) => ({
    name: ex.name?.text ?? "",
    fields: fieldsInfo(ex.fields),
    comps: fieldsInfo(ex.comps),
    values: (ex.values?.items ?? []).map(entryValue),
    where: child(parent, ItemType.EXCEPTION, ex.name?.text ?? "", ctx.files.mark(ctx.fileName, ex.node, ex.range.start), ex.name?.range ?? ex.range),
  }));
}

const tagSet = (item: RuleItem) => new Set((item.tags?.items ?? []).map((t) => t.text));

/** Applies one item to the collector; throws LoadError where Falco would stop. */
export function readItem(ctx: ReadContext, item: Item): void {
  const where = itemWhere(ctx, item);
  const name = item.name?.text ?? "";
  const at = item.range.start;
  if (item.kind === "list") {
    const info = {
      name,
      items: (item.items?.items ?? []).map((i) => i.text),
      index: 0,
      visibility: 0,
      where,
      provenance: provenance(ctx, ["items"], at, "define"),
    };
    if (item.append?.value === true || item.override?.ops.get("items") === "append") {
      info.provenance = provenance(ctx, ["items"], at, "append");
      ctx.collector.appendList(info);
    } else ctx.collector.defineList(info);
    return;
  }
  if (item.kind === "macro") {
    const cond = item.condition ? TrackedText.fromScalar(ctx.fileName, item.condition) : TrackedText.empty();
    const condWhere = item.condition ? valueWhere(ctx, where, ItemType.MACRO_CONDITION, item.condition) : where;
    const append = item.append?.value === true || item.override?.ops.get("condition") === "append";
    const info = { name, cond, condWhere, index: 0, visibility: 0, where, provenance: provenance(ctx, ["condition"], at, append ? "append" : "define") };
    if (append) ctx.collector.appendMacro(info);
    else ctx.collector.defineMacro(info);
    return;
  }
  readRule(ctx, item, where);
}

function readRule(ctx: ReadContext, item: RuleItem, where: Where): void {
  const name = item.name?.text ?? "";
  const source = item.source?.text ?? "";
  const ops = item.override?.ops ?? new Map<string, "append" | "replace">();
  const line = lineOf(ctx, item.range.start);
  const validate = (src: string | undefined) => ctx.validateException(src);
  const update = (op: "append" | "replace"): RuleUpdate => {
    const u: RuleUpdate = { name, source: "", where, line };
    const has = (key: string) => ops.get(key) === op;
    if (has("condition") && item.condition) {
      u.source = source;
      u.cond = TrackedText.fromScalar(ctx.fileName, item.condition);
    }
    if (has("exceptions") && item.exceptions) u.exceptions = exceptionInfos(ctx, where, item.exceptions.items);
    if (has("output") && item.output) {
      u.output = item.output.text;
      u.outputText = TrackedText.fromScalar(ctx.fileName, item.output);
    }
    if (has("desc") && item.desc) u.desc = item.desc.text;
    if (has("tags") && item.tags) u.tags = tagSet(item);
    if (op === "replace") {
      if (has("priority") && item.priority) u.priority = item.priority.value;
      if (has("capture") && item.capture) u.capture = item.capture.value;
      if (has("capture_duration") && item.captureDuration) u.captureDuration = item.captureDuration.value;
      if (has("enabled") && item.enabled) u.enabled = item.enabled.value;
      if (has("warn_evttypes") && item.warnEvttypes) u.warnEvttypes = item.warnEvttypes.value;
      if (has("skip-if-unknown-filter") && item.skipIfUnknownFilter) u.skipIfUnknownFilter = item.skipIfUnknownFilter.value;
    }
    return u;
  };
  const sourceOf = (ruleName: string) => {
    const prev = ctx.collector.rules.get(ruleName);
    return prev && !prev.unknownSource ? prev.source : undefined;
  };

  if (ops.size > 0) {
    if ([...ops.values()].includes("append")) ctx.collector.appendRule(update("append"), validate(sourceOf(name)));
    if ([...ops.values()].includes("replace")) ctx.collector.replaceRule(update("replace"));
    return;
  }
  if (item.append?.value === true) {
    const u: RuleUpdate = { name, source, where, line };
    if (item.condition) u.cond = TrackedText.fromScalar(ctx.fileName, item.condition);
    if (item.exceptions) u.exceptions = exceptionInfos(ctx, where, item.exceptions.items);
    ctx.collector.appendRule(u, validate(sourceOf(name)));
    return;
  }
  if (!item.condition && !item.output && !item.desc && !item.priority) {
    ctx.collector.enableRule(name, item.enabled?.value ?? true, where, line);
    return;
  }
  const ruleSource = source === "" && !item.source ? "syscall" : source;
  const known = ctx.hasSource(ruleSource);
  if (!known) ctx.unknownSource(ruleSource, where);
  const outputText = item.output ? TrackedText.fromScalar(ctx.fileName, item.output) : TrackedText.empty();
  const trimmedStart = outputText.text.length - outputText.text.trimStart().length;
  const output = outputText.text.trim();
  const info = {
    name,
    cond: item.condition ? TrackedText.fromScalar(ctx.fileName, item.condition) : TrackedText.empty(),
    condWhere: item.condition ? valueWhere(ctx, where, ItemType.RULE_CONDITION, item.condition) : where,
    output,
    outputText: outputText.slice(trimmedStart, trimmedStart + output.length),
    outputWhere: item.output ? valueWhere(ctx, where, ItemType.RULE_OUTPUT, item.output) : where,
    desc: item.desc?.text ?? "",
    priority: item.priority?.value ?? "Debug",
    source: ruleSource,
    enabled: item.enabled?.value ?? true,
    tags: tagSet(item),
    exceptions: item.exceptions ? exceptionInfos(ctx, where, item.exceptions.items) : [],
    warnEvttypes: item.warnEvttypes?.value ?? true,
    skipIfUnknownFilter: item.skipIfUnknownFilter?.value ?? false,
    capture: item.capture?.value ?? false,
    captureDuration: item.captureDuration?.value ?? 0,
    unknownSource: !known,
    index: 0,
    visibility: 0,
    where,
    provenance: provenance(ctx, ["condition", "output", "desc", "priority", "source", "enabled", "tags", "exceptions"], item.range.start, "define"),
  };
  ctx.collector.defineRule(info, validate(known ? ruleSource : undefined));
}
