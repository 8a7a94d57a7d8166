import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The read-only material beside the repository (`../shared`). */
export const SHARED = fileURLToPath(new URL("../../../../shared/", import.meta.url));

export const readShared = (path: string): string => readFileSync(SHARED + path, "utf8");

/** Every YAML file under a folder of the shared corpus, sorted. */
export function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}
