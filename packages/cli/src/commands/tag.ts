import { basename, join, resolve } from "node:path";
import type { TextEdit } from "@falcokit/diagnostics";
import { loadRules } from "@falcokit/engine";
import { applyEdits } from "@falcokit/linter";
import {
  PlanError,
  TemplateError,
  checkOverrideFile,
  compareEffective,
  expandTemplate,
  generateOverrideFile,
  planTagEdits,
  priorityOf,
  selectRules,
  styleForEngine,
  styleForFalco,
  unifiedDiff,
  type OverrideStyle,
  type RuleSelector,
  type TagEdit,
  type TagPlan,
} from "@falcokit/transform";
import { parse as parseYaml } from "yaml";
import { matchesGlob } from "../glob.js";
import { EXIT, UsageError, type Io } from "../io.js";
import { engineOptions, loadFiles, refuseUnloaded, type LoadFlags } from "../load.js";

export interface TagArgs extends LoadFlags {
  files: string[];
  // Selection
  rules: string[];
  tags: string[];
  withoutTags: string[];
  sources: string[];
  minPriority?: string;
  maxPriority?: string;
  fileGlobs: string[];
  enabled?: boolean;
  // Operations
  add: string[];
  remove: string[];
  replace: string[];
  values?: string;
  set: string[];
  // Modes
  list: boolean;
  check: boolean;
  diff: boolean;
  write: boolean;
  out?: string;
  overrideFile?: string;
  falcoVersion?: string;
  format: "text" | "json";
}

/** The variables for `${NAME}`: --set first, then the --values file, then the environment. */
function variables(args: TagArgs, io: Io): (name: string) => string | undefined {
  const set = new Map<string, string>();
  for (const kv of args.set) {
    const i = kv.indexOf("=");
    if (i <= 0) throw new UsageError(`--set wants NAME=VALUE, not '${kv}'`);
    set.set(kv.slice(0, i), kv.slice(i + 1));
  }
  let values: Record<string, unknown> = {};
  if (args.values !== undefined) {
    let data: unknown;
    try {
      data = parseYaml(new TextDecoder().decode(io.readFile(resolve(io.cwd, args.values))));
    } catch (e) {
      throw new UsageError(`cannot read --values ${args.values}: ${(e as Error).message}`);
    }
    if (data === null || data === undefined) data = {};
    if (typeof data !== "object" || Array.isArray(data)) throw new UsageError(`--values ${args.values} must be a map of NAME: value`);
    values = data as Record<string, unknown>;
  }
  return (name) => {
    if (set.has(name)) return set.get(name);
    const v = values[name];
    if (v !== undefined && v !== null) {
      if (typeof v === "object") throw new UsageError(`--values ${args.values}: ${name} is not a single value`);
      return String(v);
    }
    return io.env?.[name];
  };
}

function tagEditOf(args: TagArgs, io: Io): TagEdit {
  const lookup = variables(args, io);
  const expand = (t: string, flag: string) => {
    let v: string;
    try {
      v = expandTemplate(t, lookup);
    } catch (e) {
      if (e instanceof TemplateError) throw new UsageError(`${flag}: ${e.message}`);
      throw e;
    }
    if (v.trim() === "") throw new UsageError(`${flag} '${t}' gives an empty tag`);
    return v;
  };
  const replace = new Map<string, string>();
  for (const r of args.replace) {
    const i = r.indexOf("=");
    if (i <= 0 || i === r.length - 1) throw new UsageError(`--replace wants OLD=NEW, not '${r}'`);
    replace.set(expand(r.slice(0, i), "--replace"), expand(r.slice(i + 1), "--replace"));
  }
  return { add: [...new Set(args.add.map((t) => expand(t, "--add")))], remove: args.remove.map((t) => expand(t, "--remove")), replace };
}

function selectorOf(args: TagArgs): RuleSelector {
  const priority = (p: string | undefined, flag: string) => {
    if (p === undefined) return undefined;
    const v = priorityOf(p);
    if (!v) throw new UsageError(`${flag} wants a priority (emergency, alert, critical, error, warning, notice, informational, debug), not '${p}'`);
    return v;
  };
  const s: RuleSelector = { names: args.rules, tags: args.tags, withoutTags: args.withoutTags, sources: args.sources };
  const min = priority(args.minPriority, "--priority-at-least");
  const max = priority(args.maxPriority, "--priority-at-most");
  if (min) s.minPriority = min;
  if (max) s.maxPriority = max;
  if (args.fileGlobs.length > 0) s.file = (f) => args.fileGlobs.some((g) => matchesGlob(g, f));
  if (args.enabled !== undefined) s.enabled = args.enabled;
  return s;
}

const sameTags = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join("\0") === [...b].sort().join("\0");

/** `falcokit tag`: select rules, change their tags in place, as an override file, or check them. */
export async function runTag(args: TagArgs, io: Io): Promise<number> {
  const modes = [args.list && "--list", args.check && "--check", args.diff && "--diff", args.write && "--write", args.out !== undefined && "--out", args.overrideFile !== undefined && "--override-file"].filter(Boolean);
  if (modes.length === 0) throw new UsageError("say what to do: --list, --check, --diff, --write, --out DIR or --override-file FILE");
  if (modes.length > 1) throw new UsageError(`choose one of ${modes.join(", ")}`);
  const hasOps = args.add.length + args.remove.length + args.replace.length > 0;
  if (!hasOps && !args.list) throw new UsageError("nothing to change: give --add, --remove or --replace");
  if (args.falcoVersion !== undefined && !styleForFalco(args.falcoVersion)) throw new UsageError(`--falco-version wants X.Y.Z, not '${args.falcoVersion}'`);
  const edit = tagEditOf(args, io);

  const loaded = loadFiles(args.files, args, io);
  const refused = refuseUnloaded(loaded, io, "tag", "the rules files");
  if (refused !== undefined) return refused;
  const load = loaded.result;
  const selected = selectRules(load, selectorOf(args));
  let plan: TagPlan;
  try {
    plan = planTagEdits(load, selected, edit);
  } catch (e) {
    if (e instanceof PlanError) {
      io.stderr(`falcokit tag: ${e.message}\n`);
      return EXIT.problems;
    }
    throw e;
  }
  const changed = plan.rules.filter((r) => !sameTags(r.before, r.after));

  if (args.list) {
    if (args.format === "json") io.stdout(JSON.stringify(plan.rules.map((r, i) => ({ name: r.name, file: selected[i]!.file, line: selected[i]!.line, priority: selected[i]!.info.priority, source: selected[i]!.info.source || "syscall", enabled: selected[i]!.info.enabled, tags: r.before, ...(hasOps ? { after: r.after } : {}) })), null, 2) + "\n");
    else {
      for (const [i, r] of plan.rules.entries()) {
        const s = selected[i]!;
        const delta = hasOps ? [...r.after.filter((t) => !r.before.includes(t)).map((t) => `+${t}`), ...r.before.filter((t) => !r.after.includes(t)).map((t) => `-${t}`)] : [];
        io.stdout(`${s.file}:${s.line}: ${r.name} [${s.info.priority}${s.info.enabled ? "" : ", disabled"}] tags: ${r.before.join(", ") || "(none)"}${delta.length > 0 ? `  ${delta.join(" ")}` : ""}\n`);
      }
      io.stdout(`${plan.rules.length} rule${plan.rules.length === 1 ? "" : "s"} selected${hasOps ? `, ${changed.length} would change` : ""}\n`);
    }
    return EXIT.ok;
  }

  if (args.check) {
    if (args.format === "json") io.stdout(JSON.stringify({ checked: plan.rules.length, failing: changed.map((r) => ({ name: r.name, missing: r.after.filter((t) => !r.before.includes(t)), unwanted: r.before.filter((t) => !r.after.includes(t)) })) }, null, 2) + "\n");
    else {
      for (const r of changed) {
        const s = selected[plan.rules.indexOf(r)]!;
        const missing = r.after.filter((t) => !r.before.includes(t));
        const unwanted = r.before.filter((t) => !r.after.includes(t));
        const what = [missing.length > 0 ? `lacks ${missing.join(", ")}` : "", unwanted.length > 0 ? `still has ${unwanted.join(", ")}` : ""].filter(Boolean).join(" and ");
        io.stdout(`${s.file}:${s.line}: rule '${r.name}' ${what}\n`);
      }
      io.stdout(changed.length === 0 ? `${plan.rules.length} rule${plan.rules.length === 1 ? "" : "s"} checked: all carry the expected tags\n` : `${changed.length} of ${plan.rules.length} rule${plan.rules.length === 1 ? "" : "s"} ${changed.length === 1 ? "does" : "do"} not carry the expected tags\n`);
    }
    return changed.length === 0 ? EXIT.ok : EXIT.problems;
  }

  if (selected.length === 0) {
    io.stderr("falcokit tag: no rule matches the selection; nothing written\n");
    return EXIT.problems;
  }

  if (args.overrideFile !== undefined) return writeOverride(args, io, loaded, plan, changed.length);

  // In place: apply the edits, and check by loading the result that every rule has exactly the
  // tags it should and nothing else changed, before writing anything.
  const texts = new Map(loaded.files.map((f) => [f.name, f.text]));
  for (const [file, edits] of plan.edits) texts.set(file, applyOrdered(texts.get(file)!, edits));
  const expected = new Map(plan.rules.map((r) => [r.name, r.after]));
  // Tags do not take part in compiling, so reading and resolving the edited files is enough.
  const reloaded = loadRules(loaded.files.map((f) => ({ name: f.name, text: texts.get(f.name)! })), { ...engineOptions(args, io), collectOnly: true });
  const reloadErrors = reloaded.files.flatMap((f) => f.diagnostics.filter((d) => d.severity === "error"));
  const mismatches = compareEffective(load, reloaded, expected);
  if (reloadErrors.length > 0 || mismatches.length > 0) {
    for (const d of reloadErrors) io.stderr(`falcokit tag: the edited ${d.file} would not load: ${d.message}\n`);
    for (const m of mismatches) io.stderr(`falcokit tag: after the edits rule '${m.rule}' would have ${m.what} '${m.actual}', not '${m.expected}'\n`);
    io.stderr("falcokit tag: nothing written (this is a falcokit bug: please report it with the files)\n");
    return EXIT.problems;
  }

  if (args.diff) {
    for (const f of loaded.files) {
      const edits = plan.edits.get(f.name);
      if (edits) io.stdout(unifiedDiff(`a/${f.name}`, `b/${f.name}`, f.text, edits));
    }
    return EXIT.ok;
  }

  if (!io.writeFiles) throw new UsageError("tag cannot write files here");
  let writes: { path: string; text: string; name: string }[];
  if (args.out !== undefined) {
    const dir = resolve(io.cwd, args.out);
    const names = new Map<string, string>();
    for (const f of loaded.files) {
      const b = basename(f.path);
      if (names.has(b)) throw new UsageError(`--out: ${names.get(b)} and ${f.name} have the same file name; write them in place or in separate runs`);
      names.set(b, f.name);
    }
    writes = loaded.files.map((f) => ({ path: join(dir, basename(f.path)), text: texts.get(f.name)!, name: f.name }));
  } else {
    writes = loaded.files.filter((f) => texts.get(f.name) !== f.text).map((f) => ({ path: f.path, text: texts.get(f.name)!, name: f.name }));
  }
  try {
    io.writeFiles(writes.map(({ path, text }) => ({ path, text })));
  } catch (e) {
    io.stderr(`falcokit tag: could not write (${(e as Error).message}); every file is as it was\n`);
    return EXIT.problems;
  }
  const editedFiles = [...plan.edits.keys()].length;
  io.stderr(`falcokit tag: ${changed.length} of ${plan.rules.length} selected rules changed, in ${editedFiles} file${editedFiles === 1 ? "" : "s"}${args.out !== undefined ? `; wrote ${writes.length} files to ${args.out}` : ""}\n`);
  return EXIT.ok;
}

function applyOrdered(text: string, edits: readonly TextEdit[]): string {
  const r = applyEdits(text, edits);
  if (r.applied !== edits.length) throw new Error("overlapping tag edits");
  return r.text;
}

function writeOverride(args: TagArgs, io: Io, loaded: ReturnType<typeof loadFiles>, plan: TagPlan, changed: number): number {
  const load = loaded.result;
  const style: OverrideStyle = args.falcoVersion !== undefined ? styleForFalco(args.falcoVersion)! : styleForEngine(load.collector.requiredEngineVersion);
  const header = [
    `Generated by falcokit tag from ${loaded.files.map((f) => f.name).join(", ")}.`,
    `Load it after those files (e.g. in rules.d/ or Helm customRules).`,
    style === "override"
      ? "Each item adds tags with override (Falco 0.37 and later)."
      : "Falco before 0.37 has no override: each item redefines its rule whole, as it is now, with the new tags. Regenerate this file after every update of the rules it redefines.",
  ];
  const file = generateOverrideFile(plan, load, style, header);
  const outPath = resolve(io.cwd, args.overrideFile!);
  const expected = new Map(plan.rules.map((r) => [r.name, r.after]));
  const check = checkOverrideFile(
    loaded.files.map((f) => ({ name: f.name, text: f.text })),
    load,
    { name: args.overrideFile === "-" ? "(override file)" : args.overrideFile!, text: file.text },
    expected,
    { ...engineOptions(args, io), collectOnly: style === "override" },
  );
  const errors = check.load.files.flatMap((f) => f.diagnostics.filter((d) => d.severity === "error"));
  if (errors.length > 0 || check.mismatches.length > 0) {
    for (const d of errors) io.stderr(`falcokit tag: the override file would not load: ${d.file}: ${d.message}\n`);
    for (const m of check.mismatches) io.stderr(`falcokit tag: with the override file rule '${m.rule}' would have ${m.what} '${m.actual}', not '${m.expected}'\n`);
    io.stderr("falcokit tag: nothing written (this is a falcokit bug: please report it with the files)\n");
    return EXIT.problems;
  }
  const summary = `${file.rules} rule${file.rules === 1 ? "" : "s"} (${style === "override" ? "override: tags" : "whole redefinitions, for Falco before 0.37"}); ${plan.rules.length - changed} selected rules already had the tags`;
  if (args.overrideFile === "-") {
    io.stdout(file.text);
    io.stderr(`falcokit tag: ${summary}\n`);
    return EXIT.ok;
  }
  if (!io.writeFiles) throw new UsageError("tag cannot write files here");
  try {
    io.writeFiles([{ path: outPath, text: file.text }]);
  } catch (e) {
    io.stderr(`falcokit tag: could not write ${args.overrideFile} (${(e as Error).message})\n`);
    return EXIT.problems;
  }
  io.stderr(`falcokit tag: wrote ${args.overrideFile}: ${summary}\n`);
  return EXIT.ok;
}
