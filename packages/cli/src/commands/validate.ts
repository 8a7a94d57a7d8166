import { LineIndex, sortDiagnostics, type Diagnostic } from "@falcokit/diagnostics";
import { validateRules } from "@falcokit/rules-model";
import { expandFileArgs } from "../files.js";
import { falcoFileResult } from "../falco-json.js";
import { EXIT, type Io } from "../io.js";
import { renderDiagnostic } from "../render.js";
import { readRulesFile } from "../read.js";

export interface ValidateArgs {
  files: string[];
  format: "text" | "json";
  strict: boolean;
}

interface FileOutcome {
  name: string;
  text: string;
  diagnostics: Diagnostic[];
  unreadable: boolean;
}

/** `falcokit validate`: every file in order, with Falco's load diagnostics. */
export async function runValidate(args: ValidateArgs, io: Io): Promise<number> {
  const outcomes: FileOutcome[] = [];
  for (const f of expandFileArgs(args.files, io.cwd)) {
    const read = readRulesFile(f, io);
    if (read.kind !== "text") {
      outcomes.push({ name: f.display, text: read.text, diagnostics: [read.diagnostic], unreadable: read.kind === "unreadable" });
      continue;
    }
    const { diagnostics } = validateRules(read.text, { fileName: f.display });
    outcomes.push({ name: f.display, text: read.text, diagnostics: sortDiagnostics(diagnostics), unreadable: false });
  }

  if (args.format === "json") {
    const results = outcomes.map((o) => falcoFileResult(o.name, o.text, o.diagnostics));
    io.stdout(JSON.stringify({ falco_load_results: results }, null, 2) + "\n");
  } else {
    for (const o of outcomes) {
      const index = new LineIndex(o.text);
      for (const d of o.diagnostics) io.stdout(renderDiagnostic(d, o.name, index, { color: io.color }));
      const errors = o.diagnostics.filter((d) => d.severity === "error").length;
      const warnings = o.diagnostics.length - errors;
      const status = errors > 0 ? "Invalid" : warnings > 0 ? "Ok, with warnings" : "Ok";
      const counts = errors + warnings > 0 ? ` (${plural(errors, "error")}, ${plural(warnings, "warning")})` : "";
      io.stdout(`${o.name}: ${status}${counts}\n`);
    }
  }

  if (outcomes.some((o) => o.unreadable)) return EXIT.usage;
  const failed = outcomes.some((o) => o.diagnostics.some((d) => d.severity === "error" || (args.strict && d.severity === "warning")));
  return failed ? EXIT.problems : EXIT.ok;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
