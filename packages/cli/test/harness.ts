import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../src/main.js";
import { writeFilesAtomically, type Io } from "../src/io.js";

export const REPO = fileURLToPath(new URL("../../../", import.meta.url));
export const SHARED = fileURLToPath(new URL("../../../../shared/", import.meta.url));

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output. */
export async function run(argv: string[], options: { cwd: string; stdin?: string; env?: Record<string, string>; writeFiles?: Io["writeFiles"] }): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readFile: (p) => readFileSync(p),
    readStdin: async () => options.stdin ?? "",
    cwd: options.cwd,
    color: false,
    writeFiles: options.writeFiles ?? ((files) => writeFilesAtomically(files)),
    env: options.env ?? {},
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** Splits a command line the way a POSIX shell would for simple quoting ('…', "…", \\). */
export function shellSplit(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let has = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      cur += line.slice(i + 1, end);
      i = end;
      has = true;
    } else if (c === '"') {
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === "\\" && i + 1 < line.length) i++;
        cur += line[i];
        i++;
      }
      has = true;
    } else if (c === "\\" && i + 1 < line.length) {
      cur += line[++i];
      has = true;
    } else if (c === " " || c === "\t") {
      if (has) out.push(cur);
      cur = "";
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}

export interface Scenario {
  name: string;
  title: string;
  documents: { name: string; content: Buffer }[];
  command: string;
  stdin?: string;
  exitCode: number;
  stdout?: string;
  stderr?: string;
}

/**
 * Reads a `.scenario` file: sections `====test====`, `====document:NAME====` (optionally
 * `:base64` or `:repeat=N`), `====command====` (`falcokit` arguments; `{shared}` is the
 * shared material), `====stdin====`, `====exit-code====`, `====stdout====`, `====stderr====`.
 * `{{repeat N TEXT}}` anywhere stands for TEXT repeated N times.
 */
export function readScenario(path: string): Scenario {
  // `{{repeat N TEXT}}` stands for TEXT repeated N times (for very large or deep inputs).
  const text = readFileSync(path, "utf8").replace(/\{\{repeat (\d+) (.*?)\}\}/g, (_m, n: string, t: string) => t.repeat(Number(n)));
  const parts = text.split(/^====(.+?)====\n/m);
  const s: Scenario = { name: path.split("/").pop()!, title: "", documents: [], command: "", exitCode: 0 };
  for (let i = 1; i < parts.length; i += 2) {
    const header = parts[i]!;
    const body = parts[i + 1] ?? "";
    const [kind, ...rest] = header.split(":");
    if (kind === "test") s.title = body.trim();
    else if (kind === "command") s.command = body.trim();
    else if (kind === "stdin") s.stdin = body;
    else if (kind === "exit-code") s.exitCode = Number(body.trim());
    else if (kind === "stdout") s.stdout = body;
    else if (kind === "stderr") s.stderr = body;
    else if (kind === "document") {
      const [name, mode] = rest as [string, string | undefined];
      let content = Buffer.from(body, "utf8");
      if (mode === "base64") content = Buffer.from(body.trim(), "base64");
      else if (mode?.startsWith("repeat=")) content = Buffer.from(body.repeat(Number(mode.slice(7))), "utf8");
      s.documents.push({ name, content });
    } else throw new Error(`${path}: unknown section ${header}`);
  }
  return s;
}

export async function runScenario(s: Scenario): Promise<RunResult & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), "falcokit-scenario-"));
  try {
    for (const d of s.documents) {
      mkdirSync(dirname(join(dir, d.name)), { recursive: true });
      writeFileSync(join(dir, d.name), d.content);
    }
    const argv = shellSplit(s.command.replaceAll("{shared}", SHARED.replace(/\/$/, "")));
    if (argv[0] === "falcokit") argv.shift();
    const r = await run(argv, { cwd: dir, ...(s.stdin !== undefined ? { stdin: s.stdin } : {}) });
    return { ...r, dir };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
