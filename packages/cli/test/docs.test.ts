import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, run, shellSplit } from "./harness.js";

/*
 * Every ```console block in README.md and docs/ is run: each `$ falcokit …` line is a command
 * (run from the repository root), the lines after it are its exact output (stdout, then
 * stderr), and an optional `[exit N]` line gives the exit code (0 when absent). `< FILE`
 * feeds a file to standard input.
 */

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? markdownFiles(p) : name.endsWith(".md") ? [p] : [];
  });
}

interface Example {
  file: string;
  line: number;
  command: string;
  output: string;
  exit: number;
}

function examples(file: string): Example[] {
  const lines = readFileSync(file, "utf8").split("\n");
  const out: Example[] = [];
  let inBlock = false;
  let current: Example | undefined;
  const flush = () => {
    if (current) out.push(current);
    current = undefined;
  };
  lines.forEach((line, i) => {
    if (!inBlock && line.trim() === "```console") {
      inBlock = true;
      return;
    }
    if (inBlock && line.trim() === "```") {
      flush();
      inBlock = false;
      return;
    }
    if (!inBlock) return;
    if (line.startsWith("$ ")) {
      flush();
      current = { file, line: i + 1, command: line.slice(2), output: "", exit: 0 };
      return;
    }
    if (!current) return;
    const exit = /^\[exit (\d+)\]$/.exec(line);
    if (exit) current.exit = Number(exit[1]);
    else current.output += line + "\n";
  });
  return out;
}

const files = [join(REPO, "README.md"), ...markdownFiles(join(REPO, "docs"))];
const all = files.flatMap(examples);

describe("documentation examples", () => {
  it("has examples for every command", () => {
    const commands = new Set(all.map((e) => shellSplit(e.command)[1]));
    for (const c of ["parse", "validate"]) expect(commands).toContain(c);
  });

  for (const e of all) {
    it(`${relative(REPO, e.file)}:${e.line}: ${e.command}`, async () => {
      const argv = shellSplit(e.command);
      expect(argv[0]).toBe("falcokit");
      // `< FILE` feeds the file to standard input.
      const redirect = argv.indexOf("<");
      const stdin = redirect >= 0 ? readFileSync(join(REPO, argv[redirect + 1]!), "utf8") : undefined;
      const args = redirect >= 0 ? argv.slice(1, redirect) : argv.slice(1);
      const r = await run(args, { cwd: REPO, ...(stdin !== undefined ? { stdin } : {}) });
      expect(r.stdout + r.stderr).toBe(e.output);
      expect(r.code).toBe(e.exit);
    });
  }
});
