import type { Diagnostic } from "@falcokit/diagnostics";
import { PLUGINS, buildCatalogs, importFalcoList } from "@falcokit/fields";
import { loadRules, type AppendOutput, type LoadOptions, type LoadResult, type RulesSource } from "@falcokit/engine";
import { expandFileArgs } from "./files.js";
import { EXIT, UsageError, type Io } from "./io.js";
import { FileTexts } from "./falco-json.js";
import { renderDiagnostic } from "./render.js";
import { readRulesFile } from "./read.js";

/** Options shared by the commands that load rules (`validate`, `rules`, `diff`). */
export interface LoadFlags {
  falcoCompat: boolean;
  engineVersion?: string;
  plugins: string[];
  fields?: string;
  /** falco.yaml `append_output` entries (replay reads them from --config). */
  appendOutput?: AppendOutput[];
}

export interface LoadedFiles {
  /** One entry per file argument, in order. */
  files: { name: string; path: string; text: string; problem?: Diagnostic; unreadable: boolean }[];
  result: LoadResult;
  texts: Map<string, string>;
}

export function engineOptions(flags: LoadFlags, io: Io): LoadOptions {
  const options: LoadOptions = { falcoCompat: flags.falcoCompat };
  if (flags.appendOutput && flags.appendOutput.length > 0) options.appendOutput = flags.appendOutput;
  if (flags.engineVersion !== undefined) {
    const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(flags.engineVersion);
    if (!m) throw new UsageError(`--engine-version wants x.y.z, not '${flags.engineVersion}'`);
    options.engineVersion = { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
  }
  if (flags.plugins.length > 0) {
    // The plugins Falco loads: they decide the sources and fields, and meet requirements.
    options.plugins = flags.plugins.map((p) => {
      const m = /^([^=@]+)[=@](\d+\.\d+\.\d+.*)$/.exec(p);
      if (!m) throw new UsageError(`--plugin wants NAME=VERSION, not '${p}'`);
      if (!PLUGINS[m[1]!]) throw new UsageError(`unknown plugin '${m[1]}' (known: ${Object.keys(PLUGINS).join(", ")}); use --fields for others`);
      return { name: m[1]!, version: m[2]! };
    });
    options.catalogs = buildCatalogs(options.plugins.map((p) => p.name));
  }
  if (flags.fields !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(io.readFile(flags.fields)));
    } catch (e) {
      throw new UsageError(`cannot read --fields ${flags.fields}: ${(e as Error).message}`);
    }
    // The catalogs of the user's own Falco replace the built-in ones.
    options.catalogs = importFalcoList(json);
  }
  return options;
}

/** Reads the file arguments and loads them in order through the engine. */
export function loadFiles(args: readonly string[], flags: LoadFlags, io: Io): LoadedFiles {
  const files: LoadedFiles["files"] = [];
  const sources: RulesSource[] = [];
  const texts = new Map<string, string>();
  for (const f of expandFileArgs(args, io.cwd)) {
    const read = readRulesFile(f, io);
    texts.set(f.display, read.text);
    if (read.kind === "text") {
      files.push({ name: f.display, path: f.path, text: read.text, unreadable: false });
      sources.push({ name: f.display, text: read.text });
    } else {
      files.push({ name: f.display, path: f.path, text: read.text, problem: read.diagnostic, unreadable: read.kind === "unreadable" });
    }
  }
  const result = loadRules(sources, engineOptions(flags, io));
  return { files, result, texts };
}

/**
 * For commands that need rules that load (`rules`, `replay`): prints the errors of files that
 * do not load and returns the exit code, or undefined when everything loaded.
 */
export function refuseUnloaded(loaded: LoadedFiles, io: Io, command: string, what: string): number | undefined {
  const { files, result, texts } = loaded;
  const problems = [...files.flatMap((f) => (f.problem ? [f.problem] : [])), ...result.files.flatMap((r) => r.diagnostics.filter((d) => d.severity === "error"))];
  if (problems.length === 0 && result.compiled) return undefined;
  const fileTexts = new FileTexts(texts);
  for (const d of problems) io.stderr(renderDiagnostic(d, d.file ?? "", fileTexts.index(d.file ?? ""), { color: false }));
  io.stderr(`falcokit ${command}: ${what} do not load; fix the errors above (falcokit validate shows every problem)\n`);
  return files.some((f) => f.unreadable) ? EXIT.usage : EXIT.problems;
}
