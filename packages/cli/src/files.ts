import { readdirSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { globSync } from "tinyglobby";

export interface FileArg {
  /** The path as the user should see it (relative to the working directory when inside it). */
  display: string;
  /** The path to read. */
  path: string;
}

const RULES_FILE = /\.ya?ml$/;

/** How a path is shown: as typed when it was absolute, else relative to the working directory. */
function display(cwd: string, path: string, typedAbsolute: boolean): string {
  return typedAbsolute ? path : relative(cwd, path) || path;
}

/**
 * Expands command-line arguments to files, in order, the way Falco reads `rules_files`: a
 * file stands for itself; a directory for its `*.yaml`/`*.yml` files (not recursive, sorted
 * by the bytes of the path); a glob for its matches, sorted. A path that does not exist is
 * kept, so that reading it reports the problem.
 */
export function expandFileArgs(args: readonly string[], cwd: string): FileArg[] {
  const out: FileArg[] = [];
  const seen = new Set<string>();
  let typedAbsolute = false;
  const add = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    out.push({ path, display: display(cwd, path, typedAbsolute) });
  };
  for (const arg of args) {
    typedAbsolute = isAbsolute(arg);
    const abs = resolve(cwd, arg);
    let isDir = false;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      isDir = false;
    }
    if (isDir) {
      const names = readdirSync(abs)
        .filter((n) => RULES_FILE.test(n))
        .map((n) => join(abs, n))
        .filter((p) => statSync(p).isFile())
        .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      names.forEach(add);
    } else if (/[*?[{]/.test(arg) && !safeExists(abs)) {
      const matches = globSync(arg, { cwd, absolute: true, onlyFiles: true, expandDirectories: false }).sort();
      if (matches.length === 0) add(abs);
      else matches.forEach(add);
    } else {
      add(abs);
    }
  }
  return out;
}

function safeExists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}
