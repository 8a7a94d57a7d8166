import { closeSync, createReadStream, openSync, readFileSync, readSync } from "node:fs";

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
}

export function processIo(): Io {
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
  };
}

/** Exit codes, as in the CLI contract. */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

export class UsageError extends Error {}
