import { describeRuleset, diffRulesets, formatChanges, requiredBump } from "@falcokit/engine";
import { FileTexts } from "../falco-json.js";
import { EXIT, UsageError, type Io } from "../io.js";
import { loadFiles, type LoadFlags } from "../load.js";
import { renderDiagnostic } from "../render.js";

export interface DiffArgs extends LoadFlags {
  files: string[];
  format: "text" | "json";
}

/** `falcokit diff BASE... -- HEAD...`: classified changes between two effective rulesets. */
export async function runDiff(args: DiffArgs, io: Io): Promise<number> {
  const sep = args.files.indexOf("--");
  if (sep <= 0 || sep === args.files.length - 1) throw new UsageError("diff needs BASE files, then --, then HEAD files");
  const sides = [args.files.slice(0, sep), args.files.slice(sep + 1)].map((files) => {
    const loaded = loadFiles(files, args, io);
    const errors = [...loaded.files.flatMap((f) => (f.problem ? [f.problem] : [])), ...loaded.result.files.flatMap((r) => r.diagnostics.filter((d) => d.severity === "error"))];
    return { loaded, errors };
  });
  const broken = sides.flatMap((s) => s.errors.map((d) => ({ d, texts: new FileTexts(s.loaded.texts) })));
  if (broken.length > 0) {
    for (const { d, texts } of broken) io.stderr(renderDiagnostic(d, d.file ?? "", texts.index(d.file ?? ""), { color: false }));
    io.stderr("falcokit diff: both sides must load without errors\n");
    return sides.some((s) => s.loaded.files.some((f) => f.unreadable)) ? EXIT.usage : EXIT.problems;
  }
  const [before, after] = sides.map((s) => describeRuleset(s.loaded.result.collector, s.loaded.result.compiled!, s.loaded.result.catalogs));
  const changes = diffRulesets(before!, after!);
  if (args.format === "json") io.stdout(JSON.stringify({ bump: requiredBump(changes), changes }, null, 2) + "\n");
  else io.stdout(formatChanges(changes));
  return EXIT.ok;
}
