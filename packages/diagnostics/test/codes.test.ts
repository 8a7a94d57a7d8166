import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { codes, FALCO_LOAD_CODES } from "../src/index.js";
import { readShared } from "./shared.js";

const docs = readFileSync(new URL("../../../docs/codes.md", import.meta.url), "utf8");

/** GitHub's anchor for a heading. */
function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, "")
    .replace(/ /g, "-");
}

describe("diagnostic code registry", () => {
  it("documents every code under its own heading in docs/codes.md", () => {
    const anchors = new Set([...docs.matchAll(/^#+ `?([^`\n]+)`?$/gm)].map((m) => anchor(m[1]!)));
    for (const info of codes.values()) {
      const target = info.docs.split("#")[1]!;
      expect(anchors, `${info.code} -> ${info.docs}`).toContain(target);
    }
  });

  it("has Falco's load codes and short texts, as Falco's own tables list them", () => {
    const table = JSON.parse(readShared("conformance/rule-loader-cases.json")).load_result_codes as {
      error_codes: [string, string][];
      warning_codes: [string, string][];
    };
    const expected = [...table.error_codes, ...table.warning_codes];
    expect(Object.entries(FALCO_LOAD_CODES).map(([k, v]) => [k, v.short])).toEqual(expected);
    for (const [name] of table.error_codes) expect(codes.get(`load/${name}`)?.severity).toBe("error");
    for (const [name] of table.warning_codes) expect(codes.get(`load/${name}`)?.severity).toBe("warning");
  });
});
