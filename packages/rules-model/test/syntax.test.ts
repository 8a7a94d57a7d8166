import { describe, expect, it } from "vitest";
import { conditionDiagnostics, outputDiagnostics, parseRulesFile, validateRules } from "../src/index.js";
import { intentionallyInvalid, readText, RULES, yamlFiles } from "./helpers.js";

/** The source text a diagnostic points at. */
const at = (text: string, d: { range: { start: number; end: number } }) => text.slice(d.range.start, d.range.end);

describe("condition syntax in rules files", () => {
  it("points into a folded block scalar at the right line and column", () => {
    const text = ["- rule: r", "  desc: d", "  output: o", "  priority: INFO", "  condition: >", "    evt.type = open", "    and proc.name in (a, b", "    and fd.name exists", ""].join("\n");
    const [d] = conditionDiagnostics(parseRulesFile(text));
    expect(d).toMatchObject({ code: "parse/syntax-error", message: "expected a ')' token" });
    // libs stops at `and` on the last line: the list is missing its `)`.
    expect(at(text, d!)).toBe("and");
    expect(text.slice(0, d!.range.start).split("\n").length).toBe(8);
    const expr = d!.falco!.locations.at(-1)!;
    expect(d!.falco!.locations.map((l) => [l.itemType, l.itemName])).toEqual([
      ["rules content", ""],
      ["rule", "r"],
      ["rule condition", ""],
      ["condition expression", ""],
    ]);
    // The folded scalar is one line; libs stops at index 39 (line 1, column 40). Falco adds
    // that to the YAML mark of `>` (0-based line 4, column 13).
    expect(expr.position).toEqual({ name: '"evt.type = open a..."', line: 1 + 4, column: 40 + 13, offset: text.indexOf(">") + 39 });
  });

  it("maps escapes in double-quoted conditions back to the file", () => {
    const text = '- macro: m\n  condition: "proc.name = \\"a\\\\qb\\" and x"\n';
    const [d] = conditionDiagnostics(parseRulesFile(text));
    expect(d).toMatchObject({ code: "parse/bad-escape", message: "unsupported string escape sequence: \\q" });
    expect(at(text, d!)).toBe('\\"a\\\\qb\\"');
  });

  it("parses a rule with exceptions the way Falco does, wrapped in parentheses", () => {
    const text = ["- rule: r", "  desc: d", "  output: o", "  priority: INFO", "  condition: a b", "  exceptions:", "    - name: e", "      fields: proc.name", "      values: [x]", ""].join("\n");
    const [d] = conditionDiagnostics(parseRulesFile(text));
    expect(d!.message).toBe("expected a ')' token");
    expect(at(text, d!)).toBe("b");
  });

  it("checks appended conditions as the tail of the earlier one", () => {
    const ok = parseRulesFile("- macro: m\n  condition: or proc.name = cat\n  override:\n    condition: append\n");
    expect(conditionDiagnostics(ok)).toEqual([]);
    const bad = parseRulesFile("- macro: m\n  condition: proc.name = cat\n  append: true\n");
    expect(conditionDiagnostics(bad)[0]!.message).toMatch(/must start with 'and' or 'or'/);
  });

  it("reports output syntax errors at the % token", () => {
    const text = '- rule: r\n  desc: d\n  condition: a\n  priority: INFO\n  output: "  cmd=%proc.cmdline 100%"\n';
    const [d] = outputDiagnostics(parseRulesFile(text));
    expect(d).toMatchObject({ code: "output/syntax-error", message: "invalid formatting syntax: formatting cannot end with a %" });
    expect(at(text, d!)).toBe("%");
    expect(d!.falco!.locations.map((l) => l.itemType)).toEqual(["rules content", "rule", "rule output"]);
  });
});

describe("the corpus", () => {
  it("has no condition or output syntax errors outside the intentionally invalid files", () => {
    // Not marked in the MANIFEST, but a failure case by name and content: an append of a
    // complete condition (not an `and`/`or` fragment) to a macro no earlier file defines.
    const invalid = new Set([...intentionallyInvalid(), "falco-tests/removed-earlier/macro_append_failure.yaml"]);
    let conditions = 0;
    for (const rel of yamlFiles(RULES)) {
      const { file, diagnostics } = validateRules(readText(RULES + rel), { fileName: rel });
      conditions += file.items.filter((i) => (i.kind === "rule" || i.kind === "macro") && i.condition).length;
      const syntax = diagnostics.filter((d) => d.code.startsWith("parse/") || d.code.startsWith("output/"));
      if (invalid.has(rel)) continue;
      expect(syntax.map((d) => `${rel}: ${d.message}`)).toEqual([]);
    }
    expect(conditions).toBeGreaterThan(5000);
  });

  it("reports the syntax errors of the files that exist to have them", () => {
    const broken = ["falco-tests/rules/invalid_rule_output.yaml", "falco-tests/testing-repo/invalid_rule_output.yaml", "falco-tests/removed-earlier/macro_append_failure.yaml"];
    for (const rel of broken) {
      const { diagnostics } = validateRules(readText(`${RULES}${rel}`));
      expect(diagnostics.some((d) => d.severity === "error"), rel).toBe(true);
    }
  });
});
