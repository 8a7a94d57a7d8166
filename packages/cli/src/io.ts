import { closeSync, createReadStream, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Everything the CLI touches outside itself. The real one uses the process; tests pass one
 * that captures output, so golden scenarios run in-process.
 */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads a file's bytes; throws a Node error (with `code`) when it cannot. */
  readFile(path: string): Uint8Array;
  readStdin(): Promise<string>;
  cwd: string;
  /** Whether stdout is a terminal (colors). */
  color: boolean;
  /** The first bytes of a file (to tell its kind without reading it whole). */
  readHead?(path: string, bytes: number): Uint8Array;
  /** A file's bytes in chunks, for inputs too large to hold in memory. */
  readStream?(path: string): AsyncIterable<Uint8Array>;
  /** Whether stderr is a terminal (progress display). */
  progress?: boolean;
  /** Environment variables (for `${NAME}` in tag values). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Writes several files all or nothing (each through a temporary file and a rename). */
  writeFiles?(files: readonly { path: string; text: string }[]): void;
}

/**
 * Writes files atomically as a group: every new text goes to a temporary file beside its
 * target first; only when all are written are they renamed over the targets. A failure before
 * the renames leaves every target as it was; a failure during them puts back the originals.
 */
export function writeFilesAtomically(
  files: readonly { path: string; text: string }[],
  fs: { writeFileSync: typeof writeFileSync; renameSync: typeof renameSync; rmSync: typeof rmSync; readFileSync: typeof readFileSync; mkdirSync?: typeof mkdirSync } = { writeFileSync, renameSync, rmSync, readFileSync, mkdirSync },
): void {
  const temps: string[] = [];
  try {
    for (const [i, f] of files.entries()) {
      // A new target's directory (`tag --out DIR`) is created first.
      fs.mkdirSync?.(dirname(f.path), { recursive: true });
      const tmp = `${f.path}.falcokit-${process.pid}-${i}.tmp`;
      fs.writeFileSync(tmp, f.text);
      temps.push(tmp);
    }
  } catch (e) {
    for (const t of temps) fs.rmSync(t, { force: true });
    throw e;
  }
  // What each target held before (undefined: it did not exist), to put back on a failure.
  const originals = files.map((f) => {
    try {
      return fs.readFileSync(f.path);
    } catch (e) {
      if ((e as { code?: string }).code === "ENOENT") return undefined;
      for (const t of temps) fs.rmSync(t, { force: true });
      throw e;
    }
  });
  let renamed = 0;
  try {
    for (const [i, f] of files.entries()) {
      fs.renameSync(temps[i]!, f.path);
      renamed++;
    }
  } catch (e) {
    for (let i = 0; i < renamed; i++) {
      const original = originals[i];
      if (original === undefined) fs.rmSync(files[i]!.path, { force: true });
      else fs.writeFileSync(files[i]!.path, original);
    }
    for (let i = renamed; i < temps.length; i++) fs.rmSync(temps[i]!, { force: true });
    throw e;
  }
}

export function processIo(): Io {
  // A reader that stops early (`falcokit ... | head`) closes the pipe: stop quietly, as Unix tools do.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(0);
      throw e;
    });
  }
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    readFile: (p) => readFileSync(p),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
    cwd: process.cwd(),
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    readHead: (p, n) => {
      const fd = openSync(p, "r");
      try {
        const buf = new Uint8Array(n);
        return buf.subarray(0, readSync(fd, buf, 0, n, 0));
      } finally {
        closeSync(fd);
      }
    },
    readStream: (p) => createReadStream(p, { highWaterMark: 1 << 20 }),
    progress: Boolean(process.stderr.isTTY),
    writeFiles: (files) => writeFilesAtomically(files),
    env: process.env,
  };
}

/** Exit codes, as in the CLI contract. */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

export class UsageError extends Error {}
