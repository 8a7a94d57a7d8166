import type { Diagnostic } from "@falcokit/diagnostics";
import { FileTexts, falcoFileResult } from "../falco-json.js";
import { EXIT, type Io } from "../io.js";
import { loadFiles, type LoadFlags } from "../load.js";
import { renderDiagnostic } from "../render.js";

export interface ValidateArgs extends LoadFlags {
  files: string[];
  format: "text" | "json";
  strict: boolean;
}

interface Outcome {
  name: string;
  diagnostics: Diagnostic[];
  schema: Diagnostic[];
  unreadable: boolean;
}

const key = (d: Diagnostic) => `${d.file}\u0000${d.range.start}\u0000${d.range.end}\u0000${d.code}\u0000${d.message}`;

/** `falcokit validate`: the files loaded in order, with every load problem. */
export async function runValidate(args: ValidateArgs, io: Io): Promise<number> {
  const { files, result, texts } = loadFiles(args.files, args, io);
  const byName = new Map(result.files.map((r) => [r.name, r]));
  const outcomes: Outcome[] = files.map((f) => {
    if (f.problem) return { name: f.name, diagnostics: [f.problem], schema: [], unreadable: f.unreadable };
    const r = byName.get(f.name)!;
    return { name: f.name, diagnostics: r.diagnostics, schema: r.schema, unreadable: false };
  });
  const fileTexts = new FileTexts(texts);

  if (args.format === "json") {
    const results = outcomes.map((o) => falcoFileResult(o.name, fileTexts, o.diagnostics, o.schema));
    io.stdout(JSON.stringify({ falco_load_results: results }, null, 2) + "\n");
  } else {
    // Falco repeats warnings about earlier files' items in later results; show each once.
    const shown = new Set<string>();
    for (const o of outcomes) {
      const all = [...o.diagnostics, ...o.schema];
      const fresh = all.filter((d) => !shown.has(key(d))).sort((a, b) => (a.file === b.file ? a.range.start - b.range.start : 0));
      for (const d of fresh) {
        shown.add(key(d));
        const file = d.file ?? o.name;
        io.stdout(renderDiagnostic(d, file, fileTexts.index(file), { color: io.color }));
      }
      // The status is Falco's for the whole load result; the counts are of what is new here.
      const status = all.some((d) => d.severity === "error") ? "Invalid" : all.length > 0 ? "Ok, with warnings" : "Ok";
      const errors = fresh.filter((d) => d.severity === "error").length;
      const warnings = fresh.length - errors;
      const counts = errors + warnings > 0 ? ` (${plural(errors, "error")}, ${plural(warnings, "warning")})` : "";
      io.stdout(`${o.name}: ${status}${counts}\n`);
    }
  }

  if (outcomes.some((o) => o.unreadable)) return EXIT.usage;
  const failed = outcomes.some((o) => [...o.diagnostics, ...o.schema].some((d) => d.severity === "error" || (args.strict && d.severity === "warning")));
  return failed ? EXIT.problems : EXIT.ok;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
