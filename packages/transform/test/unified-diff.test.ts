import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { TextEdit } from "@falcokit/diagnostics";
import { unifiedDiff } from "../src/unified-diff.js";

const tmp = mkdtempSync(join(tmpdir(), "falcokit-udiff-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const apply = (text: string, edits: readonly TextEdit[]) => {
  let out = "";
  let pos = 0;
  for (const e of edits) (out += text.slice(pos, e.range.start) + e.newText), (pos = e.range.end);
  return out + text.slice(pos);
};

/** Applies the diff with GNU patch and returns the patched text. */
function patchWith(text: string, diff: string): string {
  const file = join(tmp, "f.txt");
  writeFileSync(file, text);
  writeFileSync(join(tmp, "f.diff"), diff);
  execFileSync("patch", ["--silent", "--forward", "--batch", file, join(tmp, "f.diff")]);
  return readFileSync(file, "utf8");
}

describe("unifiedDiff", () => {
  it("prints hunks that GNU patch applies to give the edited text", () => {
    const text = Array.from({ length: 30 }, (_, i) => `line ${i + 1}\n`).join("");
    const at = (line: number) => text.indexOf(`line ${line}\n`);
    const edits: TextEdit[] = [
      { range: { start: at(2) + 5, end: at(2) + 6 }, newText: "two" },
      { range: { start: at(4), end: at(4) }, newText: "inserted\n" },
      { range: { start: at(20), end: at(22) }, newText: "" },
    ];
    const diff = unifiedDiff("a/f.txt", "b/f.txt", text, edits);
    expect(diff).toMatch(/^--- a\/f.txt\n\+\+\+ b\/f.txt\n@@ -1,7 \+1,8 @@\n/);
    expect(diff.match(/^@@/gm)!.length).toBe(2);
    expect(patchWith(text, diff)).toBe(apply(text, edits));
    expect(unifiedDiff("a", "b", text, [])).toBe("");
  });

  it("agrees with GNU patch on random texts and edits (no final newline, CRLF, empty lines)", () => {
    const line = fc.oneof(fc.constantFrom("", "a", "tags: [x]", "  - y"), fc.string({ maxLength: 8 }).map((s) => s.replace(/[\r\n]/g, "")));
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 25 }),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(), fc.nat(6), fc.constantFrom("", "X", "new\n", "\nmore", "a\nb\n")), { maxLength: 5 }),
        (lines, crlf, finalNewline, raw) => {
          const eol = crlf ? "\r\n" : "\n";
          const text = lines.join(eol) + (finalNewline ? eol : "");
          // Sorted, non-overlapping edits that do not split a CRLF pair.
          const edits: TextEdit[] = [];
          let min = 0;
          for (const [s, len, newText] of [...raw].sort((a, b) => a[0] - b[0])) {
            let start = Math.max(min, s % (text.length + 1));
            if (start > 0 && text[start - 1] === "\r" && text[start] === "\n") start++;
            if (start > text.length) break;
            let end = Math.min(text.length, start + len);
            if (end > 0 && text[end - 1] === "\r" && text[end] === "\n") end++;
            edits.push({ range: { start, end }, newText: crlf ? newText.replace(/\n/g, "\r\n") : newText });
            min = end + 1;
          }
          const after = apply(text, edits);
          if (after === text) return;
          const diff = unifiedDiff("a/f.txt", "b/f.txt", text, edits);
          expect(patchWith(text, diff)).toBe(after);
        },
      ),
      { numRuns: 150 },
    );
  });
});
