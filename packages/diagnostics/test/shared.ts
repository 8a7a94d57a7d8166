import { readFileSync } from "node:fs";

export function readShared(path: string): string {
  return readFileSync(new URL(`../../../../shared/${path}`, import.meta.url), "utf8");
}
