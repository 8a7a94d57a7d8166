/**
 * Falco's own expectations (../shared/conformance/rule-loader-cases.json) for the errors and
 * warnings its reader raises. Cases whose expected problem comes from later stages (the
 * collector, the compiler) are not the reader's and are counted as skipped.
 */
import type { Diagnostic } from "@falcokit/diagnostics";
import { describe, expect, it } from "vitest";
import { parseRulesFile } from "../src/index.js";
import { CORPUS, readText, SHARED } from "./helpers.js";

interface Expected {
  code: string;
  message?: string;
  message_contains?: string;
  item_type?: string;
  item_name?: string;
}

interface LegacyCase {
  name: string;
  spec: { validate_errors?: Expected[]; validate_rules_file?: string | string[] };
  rules_file_corpus_paths?: Record<string, string>;
}

interface TestingCase {
  name: string;
  options: { option: string; rules?: { corpus_path: string }[] }[];
  assertions: { subject: { what?: string; kind?: string; filter?: Expected } | null; op: string }[];
}

interface UnitCase {
  name: string;
  kind: string;
  "in_release_falco_0.44.1"?: boolean;
  steps: { load?: { content: string }; expect?: { success?: boolean; errors_contain?: string[]; warnings_contain?: string[] } }[];
}

const cases = JSON.parse(readText(`${SHARED}conformance/rule-loader-cases.json`)) as {
  groups: {
    falco_legacy_regression_validation: { cases: LegacyCase[] };
    testing_repo_validation: { cases: TestingCase[] };
    falco_unit_tests: { cases: UnitCase[] };
  };
};

/** Codes only the reader raises. */
const READER_CODES = new Set(["LOAD_ERR_YAML_PARSE", "LOAD_ERR_YAML_VALIDATE"]);

/** Messages (or message prefixes) the reader raises, whatever their code. */
const READER_MESSAGES = [
  "Item has no mapping for key",
  "Mapping for key",
  "Value is not a scalar value",
  "Value must be non-empty",
  "Can't decode YAML",
  "Value is not a sequence",
  "sequence value is not scalar",
  "Invalid priority",
  "Unknown key '",
  "Unknown top level item",
  "'append' key is deprecated",
  "The standalone 'enabled' key usage is deprecated",
  "Macro has an invalid name",
  "List has an invalid name",
  "cannot be appended to, use 'replace' instead",
  "cannot be replaced",
  "Invalid override operation",
  "Keys 'override' and 'append: true' cannot be used together",
  "' was specified but '",
  "Unexpected key '",
  "Rule exceptions must be a sequence",
  "Rule exception must be a mapping",
  "Rule exception values must be a sequence",
  "Overriding/appending exception with no values",
  "Multiple definitions of exception",
  "Unable to parse engine version",
  "Rules content is not yaml",
  "Unexpected element type",
  "required_plugin_versions must be a sequence",
  "Plugin version",
  "yaml-cpp:",
];
const isReaderMessage = (m: string): boolean => READER_MESSAGES.some((r) => m.includes(r));

/**
 * The python tests predate Falco 0.44.1 in one place: a non-numeric `required_engine_version`
 * is now read as a version string (the Go port of the tests expects the newer message).
 */
const LEGACY_UPDATES: Record<string, Partial<Expected>> = {
  invalid_engine_version_not_number: {
    message: "Unable to parse engine version 'not-a-number' as a semver string. Expected \"x.y.z\" semver format.",
  },
};

function matches(d: Diagnostic, e: Expected): boolean {
  if (d.falco?.code !== e.code) return false;
  if (e.message !== undefined && d.message !== e.message) return false;
  if (e.message_contains !== undefined && !d.message.includes(e.message_contains)) return false;
  if (e.item_type === undefined) return true;
  // Like Falco's test harnesses: any location of the chain may carry the item.
  return (d.falco.locations ?? []).some(
    (l) => l.itemType === e.item_type && (e.item_name === undefined || l.itemName === e.item_name),
  );
}

function diagnosticsOf(corpusPaths: string[]): Diagnostic[] {
  return corpusPaths.flatMap((p) => parseRulesFile(readText(CORPUS + p), { fileName: p }).diagnostics);
}

describe("conformance: falco_legacy_regression_validation", () => {
  const group = cases.groups.falco_legacy_regression_validation.cases;
  const mine = group.flatMap((c) =>
    (c.spec.validate_errors ?? []).filter((e) => READER_CODES.has(e.code)).map((e) => ({ c, e: { ...e, ...LEGACY_UPDATES[c.name] } })),
  );

  it("covers the reader's cases", () => {
    expect(mine.length).toBe(14);
  });

  for (const { c, e } of mine) {
    it(`${c.name}: ${e.code} ${e.message ?? e.message_contains}`, () => {
      const names = ([] as string[]).concat(c.spec.validate_rules_file ?? []);
      const paths = names.map((n) => c.rules_file_corpus_paths?.[n] ?? "");
      expect(paths.every((p) => p !== "")).toBe(true);
      const ds = diagnosticsOf(paths);
      expect(ds.some((d) => matches(d, e)), JSON.stringify(ds.map((d) => [d.falco?.code, d.message, d.falco?.locations]), null, 1)).toBe(true);
    });
  }
});

describe("conformance: testing_repo_validation", () => {
  const group = cases.groups.testing_repo_validation.cases;
  const mine = group.flatMap((c) =>
    c.assertions
      .filter((a) => a.subject?.what === "rule_validation" && a.subject.kind === "errors" && a.op === "exists" && READER_CODES.has(a.subject.filter?.code ?? ""))
      .map((a) => ({ c, e: a.subject!.filter! })),
  );

  it("covers the reader's cases", () => {
    expect(mine.length).toBe(14);
  });

  for (const { c, e } of mine) {
    it(`${c.name}: ${e.code} ${e.message ?? ""}`, () => {
      const paths = c.options.filter((o) => o.option === "WithRulesValidation").flatMap((o) => (o.rules ?? []).map((r) => r.corpus_path));
      const ds = diagnosticsOf(paths);
      expect(ds.some((d) => matches(d, e)), JSON.stringify(ds.map((d) => [d.falco?.code, d.message]))).toBe(true);
    });
  }
});

describe("conformance: falco_unit_tests (load_rules steps)", () => {
  const group = cases.groups.falco_unit_tests.cases.filter((c) => c.kind === "load_rules" && c["in_release_falco_0.44.1"] !== false);
  const steps = group.flatMap((c) => c.steps.map((s, i) => ({ c, s, i }))).filter(({ s }) => s.load?.content !== undefined && s.expect);

  it("has the load steps", () => {
    expect(steps.length).toBeGreaterThan(100);
  });

  for (const { c, s, i } of steps) {
    const expect_ = s.expect!;
    const errors = (expect_.errors_contain ?? []).filter(isReaderMessage);
    const warnings = (expect_.warnings_contain ?? []).filter(isReaderMessage);
    it(`${c.name}#${i}`, () => {
      const ds = parseRulesFile(s.load!.content).diagnostics;
      const errs = ds.filter((d) => d.severity === "error");
      // A file Falco loads has no reader errors.
      if (expect_.success === true) expect(errs.map((d) => d.message)).toEqual([]);
      for (const m of errors) expect(errs.some((d) => d.message.includes(m)), `error containing ${m}`).toBe(true);
      for (const m of warnings) expect(ds.some((d) => d.severity === "warning" && d.message.includes(m)), `warning containing ${m}`).toBe(true);
    });
  }
});
