import { LineIndex, sortDiagnostics, type Diagnostic } from "@falcokit/diagnostics";
import { fixAll, lint, RULES, type LintConfig, type LintResult, type RuleSetting } from "@falcokit/linter";
import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import { parse as parseYaml } from "yaml";
import { expandFileArgs } from "../files.js";
import { matchesGlob } from "../glob.js";
import { EXIT, UsageError, type Io } from "../io.js";
import { readRulesFile } from "../read.js";
import { renderDiagnostic } from "../render.js";
import { VERSION } from "../version.js";

export type LintFormat = "stylish" | "json" | "sarif" | "github" | "junit";

export interface LintArgs {
  files: string[];
  format: LintFormat;
  /** `.falcokit.yaml` to read (default: the one in the working directory, if any). */
  config?: string;
  maxWarnings?: number;
  fix: boolean;
  fixDryRun: boolean;
}

interface ConfigFile {
  extends?: "recommended" | "strict";
  rules?: Record<string, RuleSetting | [RuleSetting, Record<string, unknown>]>;
  ignore?: string[];
  library?: string[];
}

/** Reads `.falcokit.yaml`: extends, per-rule settings, files to ignore, library files. */
function readConfig(io: Io, path: string | undefined): { config: ConfigFile; file?: string } {
  const file = path ?? `${io.cwd}/.falcokit.yaml`;
  let text: string;
  try {
    text = new TextDecoder().decode(io.readFile(file));
  } catch (e) {
    if (path === undefined && (e as { code?: string }).code === "ENOENT") return { config: {} };
    throw new UsageError(`cannot read ${path}: ${(e as Error).message}`);
  }
  let data: unknown;
  try {
    data = parseYaml(text) ?? {};
  } catch (e) {
    throw new UsageError(`${file}: not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw new UsageError(`${file}: the configuration is a map (extends, rules, ignore, library)`);
  const c = data as ConfigFile;
  if (c.extends !== undefined && c.extends !== "recommended" && c.extends !== "strict") throw new UsageError(`${file}: extends is recommended or strict, not '${String(c.extends)}'`);
  const known = new Set(RULES.map((r) => r.meta.id));
  for (const [id, setting] of Object.entries(c.rules ?? {})) {
    const level = Array.isArray(setting) ? setting[0] : setting;
    if (!["error", "warning", "info", "off"].includes(String(level))) throw new UsageError(`${file}: rules.${id}: error, warning, info or off, not '${String(level)}'`);
    if (!known.has(id) && !/^LOAD_[A-Z_]+$/.test(id)) throw new UsageError(`${file}: rules.${id}: no such lint rule or Falco code`);
  }
  return { config: c, file };
}

/** `falcokit lint`: Falco's load problems plus the lint rules, in the formats CI systems read. */
export async function runLint(args: LintArgs, io: Io): Promise<number> {
  const { config } = readConfig(io, args.config);
  const ignore = config.ignore ?? [];
  const library = config.library ?? [];
  const inputs = expandFileArgs(args.files, io.cwd).filter((f) => !ignore.some((g) => matchesGlob(g, f.display)));
  const sources: { name: string; text: string }[] = [];
  const readProblems: Diagnostic[] = [];
  let unreadable = false;
  for (const f of inputs) {
    const r = readRulesFile(f, io);
    if (r.kind === "text") sources.push({ name: f.display, text: r.text });
    else {
      readProblems.push(r.diagnostic);
      if (r.kind === "unreadable") unreadable = true;
    }
  }
  const lintConfig: LintConfig = { ...(config.extends ? { extends: config.extends } : {}), ...(config.rules ? { rules: config.rules } : {}), isLibrary: (file) => library.some((g) => matchesGlob(g, file)) };
  let result: LintResult;
  let texts = new Map(sources.map((s) => [s.name, s.text]));
  if (args.fix || args.fixDryRun) {
    // Apply every fix of every file, relint, and repeat while fixes apply (overlapping ones wait).
    const fixed = fixAll(sources, { config: lintConfig });
    result = fixed.result;
    texts = fixed.texts;
  } else {
    result = lint(sources, { config: lintConfig });
  }

  if (args.fix || args.fixDryRun) {
    const changed = sources.filter((s) => texts.get(s.name) !== s.text);
    if (args.fixDryRun) {
      for (const s of changed) io.stdout(`would fix ${s.name}\n`);
    } else if (changed.length > 0) {
      if (!io.writeFiles) throw new UsageError("--fix cannot write files here");
      // All files are written, or none: a failure midway restores what was written.
      io.writeFiles(changed.map((s) => ({ path: inputs.find((f) => f.display === s.name)!.path, text: texts.get(s.name)! })));
      for (const s of changed) io.stderr(`fixed ${s.name}\n`);
    }
  }

  const diagnostics = sortDiagnostics([...readProblems, ...result.diagnostics]);
  io.stdout(formatDiagnostics(args.format, diagnostics, texts));
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.filter((d) => d.severity === "warning").length;
  if (unreadable) return EXIT.usage;
  if (errors > 0) return EXIT.problems;
  if (args.maxWarnings !== undefined && warnings > args.maxWarnings) {
    io.stderr(`falcokit lint: ${warnings} warnings, more than --max-warnings ${args.maxWarnings}\n`);
    return EXIT.problems;
  }
  return EXIT.ok;
}

const lineIndexes = new WeakMap<Map<string, string>, Map<string, LineIndex>>();
function position(texts: Map<string, string>, d: { file?: string; range: { start: number; end: number } }) {
  let byFile = lineIndexes.get(texts);
  if (!byFile) lineIndexes.set(texts, (byFile = new Map()));
  const file = d.file ?? "";
  let index = byFile.get(file);
  if (!index) byFile.set(file, (index = new LineIndex(texts.get(file) ?? "")));
  return index.range(d.range);
}

/** The findings in one of the output formats. */
export function formatDiagnostics(format: LintFormat, diagnostics: readonly Diagnostic[], texts: Map<string, string>): string {
  switch (format) {
    case "json":
      return (
        JSON.stringify(
          diagnostics.map((d) => {
            const r = position(texts, d);
            return { file: d.file, code: d.code, severity: d.severity, message: d.message, line: r.start.line + 1, column: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1, range: d.range, ...(d.fix ? { fix: d.fix } : {}) };
          }),
          null,
          2,
        ) + "\n"
      );
    case "github":
      // GitHub workflow commands: one annotation per finding, shown on the pull request's diff.
      return diagnostics
        .map((d) => {
          const r = position(texts, d);
          const level = d.severity === "error" ? "error" : d.severity === "warning" ? "warning" : "notice";
          const esc = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
          const prop = (s: string) => esc(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
          return `::${level} file=${prop(d.file ?? "")},line=${r.start.line + 1},col=${r.start.character + 1},endLine=${r.end.line + 1},endColumn=${r.end.character + 1},title=${prop(d.code)}::${esc(d.message)}\n`;
        })
        .join("");
    case "sarif":
      return JSON.stringify(sarif(diagnostics, texts), null, 2) + "\n";
    case "junit":
      return junit(diagnostics, texts);
    default: {
      if (diagnostics.length === 0) return "";
      let out = "";
      for (const d of diagnostics) out += renderDiagnostic(d, d.file ?? "", new LineIndex(texts.get(d.file ?? "") ?? ""), { color: false });
      const e = diagnostics.filter((d) => d.severity === "error").length;
      const w = diagnostics.filter((d) => d.severity === "warning").length;
      const fixable = diagnostics.filter((d) => d.fix).length;
      out += `\n${e + w} problem${e + w === 1 ? "" : "s"} (${e} error${e === 1 ? "" : "s"}, ${w} warning${w === 1 ? "" : "s"})${fixable > 0 ? `, ${fixable} fixable with --fix` : ""}\n`;
      return out;
    }
  }
}

/** A SARIF artifact location: a relative path against `%SRCROOT%`, or a `file:` URI. */
function sarifArtifact(file: string): { uri: string; uriBaseId?: string } {
  const slashed = file.replace(/\\/g, "/");
  if (isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return { uri: encodeURI(slashed.replace(/^\.\//, "")).replace(/[?#]/g, encodeURIComponent), uriBaseId: "%SRCROOT%" };
}

/** SARIF 2.1.0, as GitHub code scanning reads it. Columns count UTF-16 code units, as JavaScript strings do. */
function sarif(diagnostics: readonly Diagnostic[], texts: Map<string, string>) {
  const ruleIds = [...new Set(diagnostics.map((d) => d.code))].sort();
  const meta = new Map(RULES.map((r) => [`lint/${r.meta.id}`, r.meta]));
  const level = (s: string) => (s === "error" ? "error" : s === "warning" ? "warning" : "note");
  const region = (file: string, range: { start: number; end: number }) => {
    const r = position(texts, { file, range });
    return { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1, charOffset: range.start, charLength: range.end - range.start };
  };
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "falcokit",
            version: VERSION,
            informationUri: "https://github.com/falcokit/falcokit",
            rules: ruleIds.map((id) => {
              const m = meta.get(id);
              return {
                id,
                shortDescription: { text: m?.description ?? `Falco load result ${id.replace(/^load\//, "")}` },
                ...(m
                  ? {
                      helpUri: `https://github.com/falcokit/falcokit/blob/main/docs/rules/${m.id}.md`,
                      defaultConfiguration: { level: level(m.severity) },
                      properties: { category: m.category, fixable: m.fixable },
                    }
                  : {}),
              };
            }),
          },
        },
        columnKind: "utf16CodeUnits",
        originalUriBaseIds: { "%SRCROOT%": { description: { text: "The directory falcokit ran in." } } },
        results: diagnostics.map((d) => {
          const file = d.file ?? "";
          return {
            ruleId: d.code,
            ruleIndex: ruleIds.indexOf(d.code),
            level: level(d.severity),
            message: { text: d.message },
            locations: [{ physicalLocation: { artifactLocation: sarifArtifact(file), region: region(file, d.range) } }],
            ...(d.related?.length
              ? {
                  relatedLocations: d.related.map((rel, i) => ({
                    id: i + 1,
                    message: { text: rel.message },
                    physicalLocation: { artifactLocation: sarifArtifact(rel.file ?? file), region: region(rel.file ?? file, rel.range) },
                  })),
                }
              : {}),
            ...(d.fix
              ? {
                  fixes: [
                    {
                      description: { text: d.fix.title },
                      artifactChanges: [
                        {
                          artifactLocation: sarifArtifact(file),
                          replacements: d.fix.edits.map((e) => ({
                            deletedRegion: { charOffset: e.range.start, charLength: e.range.end - e.range.start },
                            insertedContent: { text: e.newText },
                          })),
                        },
                      ],
                    },
                  ],
                }
              : {}),
          };
        }),
      },
    ],
  };
}

/** JUnit XML: one test suite per file, one failing test case per finding. */
function junit(diagnostics: readonly Diagnostic[], texts: Map<string, string>): string {
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const files = [...texts.keys()];
  let out = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="falcokit lint" tests="${Math.max(1, diagnostics.length)}" failures="${diagnostics.length}">\n`;
  for (const file of files) {
    const ds = diagnostics.filter((d) => d.file === file);
    out += `  <testsuite name="${esc(file)}" tests="${Math.max(1, ds.length)}" failures="${ds.length}">\n`;
    if (ds.length === 0) out += `    <testcase classname="${esc(file)}" name="lint"/>\n`;
    for (const d of ds) {
      const r = position(texts, d);
      out += `    <testcase classname="${esc(file)}" name="${esc(`${d.code} at ${r.start.line + 1}:${r.start.character + 1}`)}">\n      <failure type="${esc(d.severity)}" message="${esc(d.message)}">${esc(`${file}:${r.start.line + 1}:${r.start.character + 1}: ${d.message} [${d.code}]`)}</failure>\n    </testcase>\n`;
    }
    out += "  </testsuite>\n";
  }
  return out + "</testsuites>\n";
}
