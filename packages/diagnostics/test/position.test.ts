import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LineIndex } from "../src/index.js";

describe("LineIndex", () => {
  it("maps offsets to lines and characters with \\n, \\r\\n and lone \\r breaks", () => {
    const text = "ab\ncd\r\nef\rgh";
    const index = new LineIndex(text);
    expect(index.lineCount).toBe(4);
    expect([0, 2, 3, 5, 7, 9, 10, 12].map((o) => index.positionAt(o))).toEqual([
      { line: 0, character: 0 },
      { line: 0, character: 2 },
      { line: 1, character: 0 },
      { line: 1, character: 2 },
      { line: 2, character: 0 },
      { line: 2, character: 2 },
      { line: 3, character: 0 },
      { line: 3, character: 2 },
    ]);
    expect([0, 1, 2, 3].map((l) => index.lineText(l))).toEqual(["ab", "cd", "ef", "gh"]);
  });

  it("round-trips every offset that is not inside a CRLF pair", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", "b", "\n", "\r", " ", "é"), maxLength: 60 }), (text) => {
        const index = new LineIndex(text);
        for (let o = 0; o <= text.length; o++) {
          const insideCrlf = text[o - 1] === "\r" && text[o] === "\n";
          if (insideCrlf) continue;
          expect(index.offsetAt(index.positionAt(o))).toBe(o);
        }
      }),
    );
  });

  it("clamps positions outside the text", () => {
    const index = new LineIndex("abc\ndef");
    expect(index.positionAt(-5)).toEqual({ line: 0, character: 0 });
    expect(index.positionAt(99)).toEqual({ line: 1, character: 3 });
    expect(index.offsetAt({ line: 0, character: 99 })).toBe(3);
    expect(index.offsetAt({ line: 9, character: 0 })).toBe(7);
  });
});
