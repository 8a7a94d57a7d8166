import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { SHARED } from "./shared.js";

export function corpusFiles(dir = join(SHARED, "corpus/rules")): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...corpusFiles(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

export interface CorpusText {
  file: string;
  item: string;
  condition?: string;
  output?: string;
  append: boolean;
}

/** Conditions and outputs of every macro and rule in the corpus, read with a plain YAML parse. */
export function corpusTexts(): CorpusText[] {
  const out: CorpusText[] = [];
  for (const file of corpusFiles()) {
    for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
      let js: unknown;
      try {
        js = doc.toJS();
      } catch {
        continue;
      }
      if (!Array.isArray(js)) continue;
      for (const item of js) {
        if (item === null || typeof item !== "object") continue;
        const o = item as Record<string, unknown>;
        const name = String(o.rule ?? o.macro ?? o.list ?? "");
        const append = o.append === true || (typeof o.override === "object" && o.override !== null && (o.override as Record<string, unknown>).condition === "append");
        out.push({
          file,
          item: name,
          append,
          ...(typeof o.condition === "string" ? { condition: o.condition } : {}),
          ...(typeof o.output === "string" ? { output: o.output } : {}),
        });
      }
    }
  }
  return out;
}
