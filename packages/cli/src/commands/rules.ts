import { describeRuleset } from "@falcokit/engine";
import { EXIT, type Io } from "../io.js";
import { loadFiles, refuseUnloaded, type LoadFlags } from "../load.js";

export interface RulesArgs extends LoadFlags {
  files: string[];
  format: "text" | "json";
}

/** `falcokit rules`: the effective ruleset after every override, like `falco -L`. */
export async function runRules(args: RulesArgs, io: Io): Promise<number> {
  const loaded = loadFiles(args.files, args, io);
  const refused = refuseUnloaded(loaded, io, "rules", "the files");
  if (refused !== undefined) return refused;
  const result = loaded.result;
  const ruleset = describeRuleset(result.collector, result.compiled!, result.catalogs);
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
