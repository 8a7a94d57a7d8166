import { readdirSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Diagnostic } from "@falcokit/diagnostics";

/** `/work/shared` (read-only project data), found from this file: test -> package -> packages -> repo -> parent. */
export const SHARED = fileURLToPath(new URL("../../../../shared/", import.meta.url));
export const CORPUS = `${SHARED}corpus/`;
export const RULES = `${CORPUS}rules/`;

/** Every `.yaml`/`.yml` file under `dir`, as paths relative to `dir`, sorted. */
export function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(dir + rel).sort()) {
      const path = rel + name;
      if (statSync(dir + path).isDirectory()) walk(path + "/");
      else if (/\.ya?ml$/.test(name)) out.push(path);
    }
  };
  walk("");
  return out;
}

export function readText(path: string): string {
  return readFileSync(path, "utf8");
}

/** Corpus paths (relative to `corpus/rules/`) that MANIFEST.md marks INTENTIONALLY INVALID. */
export function intentionallyInvalid(): Set<string> {
  const set = new Set<string>();
  for (const line of readText(`${RULES}MANIFEST.md`).split("\n")) {
    const m = /^\| `([^`]+)` .*INTENTIONALLY INVALID/.exec(line);
    if (m) set.add(m[1]!);
  }
  return set;
}

export const errorsOf = (ds: readonly Diagnostic[]): Diagnostic[] => ds.filter((d) => d.severity === "error");

/** `code: message` lines, for readable assertion failures. */
export const summary = (ds: readonly Diagnostic[]): string[] => ds.map((d) => `${d.falco?.code ?? d.code}: ${d.message}`);
