/**
 * Falco's collector: every list, macro and rule definition, append, replace and enable, in
 * load order. A redefinition replaces the whole item but keeps its original position (its
 * `index`, the evaluation order); every operation moves `visibility` to the current id.
 */
import { LoadError, type Where } from "./problems.js";
import type { TrackedText } from "./tracked.js";

/** One value of an exception field or a list of them (`[a, b]` inside a tuple). */
export interface ExceptionValue {
  isList: boolean;
  item: string;
  items: ExceptionValue[];
}

/** An exception as Falco keeps it after reading. */
export interface ExceptionInfo {
  name: string;
  /** `fields`: one field (`isList` false) or several. `valid` false when absent. */
  fields: { valid: boolean; isList: boolean; item: string; items: string[] };
  comps: { valid: boolean; isList: boolean; item: string; items: string[] };
  values: ExceptionValue[];
  where: Where;
}

/** Where each piece of an effective item came from. */
export interface Provenance {
  key: string;
  file: string;
  line: number;
  op: "define" | "append" | "replace" | "enable";
}

export interface ListInfo {
  name: string;
  items: string[];
  index: number;
  visibility: number;
  where: Where;
  provenance: Provenance[];
}

export interface MacroInfo {
  name: string;
  cond: TrackedText;
  condWhere: Where;
  index: number;
  visibility: number;
  where: Where;
  provenance: Provenance[];
}

export type PriorityName = "Emergency" | "Alert" | "Critical" | "Error" | "Warning" | "Notice" | "Informational" | "Debug";

export interface RuleInfo {
  name: string;
  cond: TrackedText;
  condWhere: Where;
  output: string;
  outputText: TrackedText;
  outputWhere: Where;
  desc: string;
  priority: PriorityName;
  source: string;
  enabled: boolean;
  tags: Set<string>;
  exceptions: ExceptionInfo[];
  warnEvttypes: boolean;
  skipIfUnknownFilter: boolean;
  capture: boolean;
  captureDuration: number;
  unknownSource: boolean;
  index: number;
  visibility: number;
  where: Where;
  provenance: Provenance[];
}

/** The values an append or a selective replace brings (each optional). */
export interface RuleUpdate {
  name: string;
  source: string;
  cond?: TrackedText;
  output?: string;
  outputText?: TrackedText;
  desc?: string;
  tags?: Set<string>;
  exceptions?: ExceptionInfo[];
  priority?: PriorityName;
  capture?: boolean;
  captureDuration?: number;
  enabled?: boolean;
  warnEvttypes?: boolean;
  skipIfUnknownFilter?: boolean;
  where: Where;
  line: number;
}

export interface EngineVersion {
  major: number;
  minor: number;
  patch: number;
}

export const versionString = (v: EngineVersion) => `${v.major}.${v.minor}.${v.patch}`;

/** A name-indexed vector that keeps first-definition order, like Falco's indexed_vector. */
export class Indexed<T extends { name: string }> {
  private readonly byName = new Map<string, T>();
  readonly items: T[] = [];

  get(name: string): T | undefined {
    return this.byName.get(name);
  }

  /** Inserts, or replaces in place (keeping the position) when the name exists. */
  set(value: T): void {
    const prev = this.byName.get(value.name);
    if (prev) this.items[this.items.indexOf(prev)] = value;
    else this.items.push(value);
    this.byName.set(value.name, value);
  }

  [Symbol.iterator](): Iterator<T> {
    return this.items[Symbol.iterator]();
  }
}

const fail = (message: string, where: Where): never => {
  throw new LoadError("LOAD_ERR_VALIDATE", message, where);
};

export const ERROR_NO_PREVIOUS_LIST = "List uses 'append' or 'override.items: append' but no list by that name already exists";
export const ERROR_NO_PREVIOUS_MACRO = "Macro uses 'append' or 'override.condition: append' but no macro by that name already exists";
export const ERROR_NO_PREVIOUS_RULE_APPEND = "Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists";
export const ERROR_NO_PREVIOUS_RULE_REPLACE = "An 'override.<key>: replace' to a rule was requested but no rule by that name already exists";

export class Collector {
  private nextId = 0;
  readonly lists = new Indexed<ListInfo>();
  readonly macros = new Indexed<MacroInfo>();
  readonly rules = new Indexed<RuleInfo>();
  requiredEngineVersion: EngineVersion | undefined;
  readonly requiredPlugins: { alternatives: { name: string; version: string }[]; where: Where }[] = [];

  private define<T extends { name: string; index: number; visibility: number }>(infos: Indexed<T>, info: T): void {
    const id = this.nextId++;
    const prev = infos.get(info.name);
    info.index = prev ? prev.index : id;
    info.visibility = id;
    infos.set(info);
  }

  defineList(info: ListInfo): void {
    this.define(this.lists, info);
  }

  appendList(info: ListInfo): void {
    const prev = this.lists.get(info.name) ?? fail(ERROR_NO_PREVIOUS_LIST, info.where);
    prev.items.push(...info.items);
    prev.provenance.push(...info.provenance);
    prev.visibility = this.nextId++;
  }

  defineMacro(info: MacroInfo): void {
    this.define(this.macros, info);
  }

  appendMacro(info: MacroInfo): void {
    const prev = this.macros.get(info.name) ?? fail(ERROR_NO_PREVIOUS_MACRO, info.where);
    prev.cond = prev.cond.concat(" ", info.cond);
    prev.provenance.push(...info.provenance);
    prev.visibility = this.nextId++;
  }

  private findPrevRule(name: string, source: string, where: Where): RuleInfo | undefined {
    const prev = this.rules.get(name);
    if (prev && prev.source !== "" && source !== "" && prev.source !== source) fail("Rule has been re-defined with a different source", where);
    return prev;
  }

  defineRule(info: RuleInfo, validate: (ex: ExceptionInfo) => void): void {
    this.findPrevRule(info.name, info.source, info.where);
    for (const ex of info.exceptions) {
      if (!ex.fields.valid) fail("Rule exception item must have fields property with a list of fields", ex.where);
      validate(ex);
    }
    this.define(this.rules, info);
  }

  appendRule(u: RuleUpdate, validate: (ex: ExceptionInfo) => void): RuleInfo {
    const prev = this.findPrevRule(u.name, u.source, u.where) ?? fail(ERROR_NO_PREVIOUS_RULE_APPEND, u.where);
    if (!hasAnyValue(u)) fail("Appended rule must have exceptions or condition property", u.where);
    const note = (key: string) => prev.provenance.push({ key, file: u.where.file, line: u.line, op: "append" });
    if (u.cond !== undefined && u.cond.text !== "") {
      prev.cond = prev.cond.concat(" ", u.cond);
      note("condition");
    }
    if (u.output !== undefined && u.output !== "") {
      prev.output += " " + u.output;
      if (u.outputText) prev.outputText = prev.outputText.concat(" ", u.outputText);
      note("output");
    }
    if (u.desc !== undefined && u.desc !== "") {
      prev.desc += " " + u.desc;
      note("desc");
    }
    if (u.tags !== undefined) {
      for (const t of u.tags) prev.tags.add(t);
      note("tags");
    }
    if (u.exceptions !== undefined) {
      for (const ex of u.exceptions) {
        const existing = prev.exceptions.find((e) => e.name === ex.name);
        if (!existing) {
          if (!ex.fields.valid) fail("Rule exception must have fields property with a list of fields", ex.where);
          if (ex.values.length === 0) fail("Rule exception must have values property with a list of values", ex.where);
          validate(ex);
          prev.exceptions.push(ex);
        } else {
          if (ex.fields.valid) fail("Can not append exception fields to existing exception, only values", ex.where);
          if (ex.comps.valid) fail("Can not append exception comps to existing exception, only values", ex.where);
          existing.values.push(...ex.values);
        }
      }
      note("exceptions");
    }
    prev.visibility = this.nextId++;
    return prev;
  }

  replaceRule(u: RuleUpdate): RuleInfo {
    const prev = this.findPrevRule(u.name, u.source, u.where) ?? fail(ERROR_NO_PREVIOUS_RULE_REPLACE, u.where);
    if (!hasAnyValue(u)) fail("The rule must have at least one field that can be replaced", u.where);
    const note = (key: string) => prev.provenance.push({ key, file: u.where.file, line: u.line, op: "replace" });
    if (u.cond !== undefined) {
      prev.cond = u.cond;
      prev.condWhere = u.where;
      note("condition");
    }
    if (u.output !== undefined) {
      prev.output = u.output;
      if (u.outputText) prev.outputText = u.outputText;
      note("output");
    }
    if (u.desc !== undefined) (prev.desc = u.desc), note("desc");
    if (u.tags !== undefined) (prev.tags = new Set(u.tags)), note("tags");
    if (u.exceptions !== undefined) (prev.exceptions = u.exceptions), note("exceptions");
    if (u.priority !== undefined) (prev.priority = u.priority), note("priority");
    if (u.capture !== undefined) (prev.capture = u.capture), note("capture");
    if (u.captureDuration !== undefined) (prev.captureDuration = u.captureDuration), note("capture_duration");
    if (u.enabled !== undefined) (prev.enabled = u.enabled), note("enabled");
    if (u.warnEvttypes !== undefined) (prev.warnEvttypes = u.warnEvttypes), note("warn_evttypes");
    if (u.skipIfUnknownFilter !== undefined) (prev.skipIfUnknownFilter = u.skipIfUnknownFilter), note("skip-if-unknown-filter");
    prev.visibility = this.nextId++;
    return prev;
  }

  enableRule(name: string, enabled: boolean, where: Where, line: number): void {
    const prev = this.rules.get(name) ?? fail("Rule has 'enabled' key but no rule by that name already exists", where);
    prev.enabled = enabled;
    prev.provenance.push({ key: "enabled", file: where.file, line, op: "enable" });
  }
}

function hasAnyValue(u: RuleUpdate): boolean {
  return (
    u.cond !== undefined ||
    u.output !== undefined ||
    u.desc !== undefined ||
    u.tags !== undefined ||
    u.exceptions !== undefined ||
    u.priority !== undefined ||
    u.capture !== undefined ||
    u.captureDuration !== undefined ||
    u.enabled !== undefined ||
    u.warnEvttypes !== undefined ||
    u.skipIfUnknownFilter !== undefined
  );
}
