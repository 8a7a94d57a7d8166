import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const SHARED = fileURLToPath(new URL("../../../../shared/", import.meta.url));
export const readShared = (path: string) => readFileSync(SHARED + path, "utf8");
