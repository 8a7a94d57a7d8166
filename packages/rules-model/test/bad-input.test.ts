import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_NESTING, parseRulesFile, validateSchema, type RulesFile } from "../src/index.js";
import { readText, RULES } from "./helpers.js";

/** Every diagnostic has a sane range inside the text. */
function assertRanges(file: RulesFile): void {
  for (const d of file.diagnostics) {
    expect(d.range.start, d.message).toBeGreaterThanOrEqual(0);
    expect(d.range.end, d.message).toBeGreaterThanOrEqual(d.range.start);
    expect(d.range.end, d.message).toBeLessThanOrEqual(file.text.length);
  }
}

function safeParse(text: string): RulesFile {
  let file: RulesFile | undefined;
  expect(() => {
    file = parseRulesFile(text);
    validateSchema(file);
  }).not.toThrow();
  assertRanges(file!);
  return file!;
}

describe("bad input: a diagnostic with a range, never a throw, never a hang", () => {
  it("binary data with NUL bytes", () => {
    const bytes = Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join("");
    const file = safeParse("- rule: x\n" + bytes);
    expect(file.diagnostics.map((d) => d.code)).toEqual(["file/binary"]);
    expect(file.diagnostics[0]!.range.start).toBe(file.text.indexOf("\0"));
  });

  it("binary-looking data without NUL bytes", () => {
    const junk = Array.from({ length: 4096 }, (_, i) => String.fromCharCode(1 + ((i * 104729) % 0xfffe))).join("");
    const file = safeParse(junk);
    expect(file.diagnostics.length).toBeGreaterThan(0);
  });

  it("a 10 MB rules file", () => {
    const unit = readText(`${RULES}upstream/latest/rules/falco_rules.yaml`);
    const copies = Math.ceil((10 * 1024 * 1024) / unit.length);
    const text = Array(copies).fill(unit).join("\n---\n");
    expect(text.length).toBeGreaterThan(10 * 1024 * 1024);
    const t0 = performance.now();
    const file = parseRulesFile(text);
    const elapsed = performance.now() - t0;
    expect(file.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(file.items.length).toBe(copies * parseRulesFile(unit).items.length);
    expect(elapsed).toBeLessThan(30_000);
  });

  it("10 MB on one line", () => {
    const file = safeParse("- rule: " + "x".repeat(10 * 1024 * 1024));
    expect(file.items).toHaveLength(1);
  });

  it("deeply nested YAML is refused before the parser recurses", () => {
    for (const text of ["[".repeat(100_000), "[".repeat(5_000) + "]".repeat(5_000), "- ".repeat(20_000) + "x", Array.from({ length: 3000 }, (_, i) => " ".repeat(i) + "- a:").join("\n")]) {
      const file = safeParse(text);
      expect(file.diagnostics.map((d) => d.message)).toEqual([`YAML collections nest too deeply (more than ${MAX_NESTING} levels)`]);
      expect(file.diagnostics[0]!.falco?.code).toBe("LOAD_ERR_YAML_PARSE");
    }
    // Nesting within the limit is read normally.
    const ok = safeParse(`- list: l\n  items: ${"[".repeat(50)}a${"]".repeat(50)}\n`);
    expect(ok.diagnostics.map((d) => d.message)).toContain("sequence value is not scalar");
  });

  it("an unterminated quoted scalar", () => {
    const text = '- rule: r\n  desc: "never closed\n  output: o\n';
    const file = safeParse(text);
    const d = file.diagnostics.find((x) => x.falco?.code === "LOAD_ERR_YAML_PARSE");
    expect(d?.message).toBe('Missing closing "quote');
    expect(d!.range.start).toBeGreaterThan(text.indexOf('"'));
  });

  it("a syntax error gets yaml-cpp's message and position where they are known", () => {
    const file = safeParse("this : is : not : yaml");
    expect(file.diagnostics[0]!.message).toBe("yaml-cpp: error at line 1, column 11: illegal map value");
    expect(file.diagnostics[0]!.range).toEqual({ start: 10, end: 11 });
  });

  it("a map or a scalar at the top level", () => {
    const map = safeParse("rule: x\ncondition: y\n");
    expect(map.diagnostics.map((d) => [d.message, d.range])).toEqual([["Rules content is not yaml array of objects", { start: 0, end: 21 }]]);
    const scalar = safeParse("just some text\n");
    expect(scalar.diagnostics.map((d) => [d.message, d.range])).toEqual([["Rules content is not yaml", { start: 0, end: 14 }]]);
  });

  it("random text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (text) => {
        safeParse(text);
      }),
      { numRuns: 300 },
    );
  });

  it("random YAML-ish text", () => {
    const token = fc.constantFrom("- ", "rule: ", "macro: ", "list: ", "items: ", "override:", "exceptions:", "  ", "\n", "\r\n", "\t", "[", "]", "{", "}", ", ", ": ", "'", '"', "\\", "|", ">-", "&a ", "*a", "!= ", "? ", "# c", "---", "...", "~", "x", "append", "name: ", "values: ");
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), (tokens) => {
        safeParse(tokens.join(""));
      }),
      { numRuns: 1000 },
    );
  });

  it("aliases and anchors (yaml-cpp resolves them)", () => {
    const file = safeParse("- list: a\n  items: &it [x, y]\n- list: b\n  items: *it\n- list: c\n  items: *missing\n");
    expect(file.items.map((i) => (i.kind === "list" ? i.items?.items.map((s) => s.value) : undefined))).toEqual([["x", "y"], ["x", "y"], undefined]);
  });
});
