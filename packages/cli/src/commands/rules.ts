import { describeRuleset } from "@falcokit/engine";
import { FileTexts } from "../falco-json.js";
import { EXIT, type Io } from "../io.js";
import { loadFiles, type LoadFlags } from "../load.js";
import { renderDiagnostic } from "../render.js";

export interface RulesArgs extends LoadFlags {
  files: string[];
  format: "text" | "json";
}

/** `falcokit rules`: the effective ruleset after every override, like `falco -L`. */
export async function runRules(args: RulesArgs, io: Io): Promise<number> {
  const { files, result, texts } = loadFiles(args.files, args, io);
  const problems = [...files.flatMap((f) => (f.problem ? [f.problem] : [])), ...result.files.flatMap((r) => r.diagnostics.filter((d) => d.severity === "error"))];
  if (problems.length > 0 || !result.compiled) {
    const fileTexts = new FileTexts(texts);
    for (const d of problems) io.stderr(renderDiagnostic(d, d.file ?? "", fileTexts.index(d.file ?? ""), { color: false }));
    io.stderr("falcokit rules: the files do not load; fix the errors above (falcokit validate shows every problem)\n");
    return files.some((f) => f.unreadable) ? EXIT.usage : EXIT.problems;
  }
  const ruleset = describeRuleset(result.collector, result.compiled, result.catalogs);
  if (args.format === "json") {
    io.stdout(JSON.stringify(ruleset, null, 2) + "\n");
    return EXIT.ok;
  }
  for (const r of ruleset.rules) {
    const flags = [r.info.enabled ? "" : "disabled", r.info.source !== "syscall" ? `source ${r.info.source}` : ""].filter(Boolean).join(", ");
    io.stdout(`${r.info.name} [${r.info.priority}]${flags ? ` (${flags})` : ""}\n`);
    io.stdout(`  condition: ${r.details.condition_compiled}\n`);
    io.stdout(`  output: ${r.details.output_compiled}\n`);
    if (r.info.tags.length) io.stdout(`  tags: ${r.info.tags.join(", ")}\n`);
    const events = r.details.events.filter((e) => e !== "asyncevent");
    io.stdout(`  events: ${events.length > 20 ? `${events.length} event types` : events.join(", ")}\n`);
    const from = [...new Set(r.provenance.map((p) => `${p.file}:${p.line}`))];
    io.stdout(`  from: ${from.join(", ")}\n`);
  }
  io.stdout(`${ruleset.rules.length} rules, ${ruleset.macros.length} macros, ${ruleset.lists.length} lists\n`);
  return EXIT.ok;
}
