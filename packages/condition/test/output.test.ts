import { describe, expect, it } from "vitest";
import { parseOutput, toLibsJson } from "../src/index.js";
import { corpusTexts } from "./corpus.js";

describe("parseOutput", () => {
  it("splits text and field references", () => {
    const text = "Shell spawned (user=%user.name %10proc.aname[2] cmd=%proc.cmdline %tolower(fd.name) %proc.namex)";
    const r = parseOutput(text);
    expect(r.errors).toEqual([]);
    const fields = r.tokens.flatMap((t) => (t.type === "field" ? [[text.slice(t.range.start, t.range.end), t.width ?? null, toLibsJson(t.expr)]] : []));
    expect(fields).toEqual([
      ["%user.name", null, { type: "field", name: "user.name" }],
      ["%10proc.aname[2]", 10, { type: "field", name: "proc.aname", arg: "2" }],
      ["%proc.cmdline", null, { type: "field", name: "proc.cmdline" }],
      ["%tolower(fd.name)", null, { type: "field_transformer", transformer: "tolower", values: [{ type: "field", name: "fd.name" }] }],
      // Without a field catalog the longest field name is taken; the engine refines it.
      ["%proc.namex", null, { type: "field", name: "proc.namex" }],
    ]);
  });

  it("falls back to the bare field name when its argument is broken, as libs' prefix search does", () => {
    const r = parseOutput("x=%proc.aname[2 rest");
    expect(r.errors).toEqual([]);
    expect(r.tokens.map((t) => t.type)).toEqual(["text", "field", "text"]);
    expect(r.tokens[2]).toMatchObject({ type: "text", text: "[2 rest" });
  });

  it.each([
    ["cmd=%", 4, "invalid formatting syntax: formatting cannot end with a %"],
    ["cmd=%12", 4, "invalid formatting syntax: formatting cannot end with a number"],
    ["cmd=%not_a_real_field x", 4, "unknown filter: unexpected token after '"],
    ["cmd=%tolower(proc.name x", 4, "unknown filter: unexpected token after '"],
    ["100% sure", 3, "unknown filter: unexpected token after '"],
  ])("reports libs' error for %j", (text, offset, message) => {
    expect(parseOutput(text).errors[0]).toMatchObject({ offset, message });
  });

  it("reads every output in the corpus and covers its text exactly", () => {
    let n = 0;
    for (const t of corpusTexts()) {
      if (t.output === undefined) continue;
      const r = parseOutput(t.output);
      const invalidOnPurpose = t.file.endsWith("invalid_rule_output.yaml");
      expect(r.errors.length > 0, `${t.file} ${t.item}`).toBe(invalidOnPurpose);
      if (invalidOnPurpose) continue;
      expect(r.tokens.map((x) => t.output!.slice(x.range.start, x.range.end)).join("")).toBe(t.output);
      n++;
    }
    expect(n).toBeGreaterThan(1500);
  });
});
