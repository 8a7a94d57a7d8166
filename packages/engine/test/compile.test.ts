import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parseCondition } from "@falcokit/condition";
import { buildCatalogs, type FieldCatalog, type FieldMatch } from "@falcokit/fields";
import { compileFilter } from "../src/compile.js";

/*
 * libsinsp's compiler test vectors (kind `compile` of ../shared/conformance/filter-parser-cases.json):
 * whether a condition compiles, how many warnings it raises, and some exact messages. Every case
 * of libs 0.25.4 must pass; cases only on libs master are run and counted, not required.
 */

interface CompileCase {
  kind: string;
  condition: string;
  expect_compile: boolean;
  expected_warnings?: number;
  error_message?: string;
  factory: string;
  "in_release_0.25.4": boolean;
  test: string;
}

const SHARED = fileURLToPath(new URL("../../../../shared/", import.meta.url));
const cases = (JSON.parse(readFileSync(SHARED + "conformance/filter-parser-cases.json", "utf8")).cases as CompileCase[]).filter((c) => c.kind === "compile");

/** libs' test inspector: the built-in syscall fields, no plugin. */
const real = buildCatalogs([]).get("syscall")!;

/**
 * libs' `mock_compiler_filter_factory`: `c.true`, `c.false`, `c.doublequote`, `c.singlequote`
 * (CHARBUF) and `c.buffer` (BYTEBUF) are stand-in checks that take any value, then every real field.
 */
function withMocks(base: FieldCatalog): FieldCatalog {
  const mocks = new Map([
    ["c.true", "CHARBUF"],
    ["c.false", "CHARBUF"],
    ["c.doublequote", "CHARBUF"],
    ["c.singlequote", "CHARBUF"],
    ["c.buffer", "BYTEBUF"],
  ] as const);
  return {
    ...base,
    lookup(name: string, arg?: string): FieldMatch | undefined {
      const text = arg === undefined ? name : `${name}[${arg}]`;
      const type = mocks.get(text as never);
      if (type) {
        const field = { name: text, type, isList: false, arg: { required: false, allowed: false, index: false, key: false }, deprecated: false, description: "mock", className: "mock" };
        return { ok: true, text, field, type, isList: false, opaque: true };
      }
      return base.lookup(name, arg);
    },
  };
}
const mock = withMocks(real);

const tally = { released: { pass: 0, total: 0 }, master: { pass: 0, total: 0, failed: [] as string[] } };

function outcome(c: CompileCase) {
  const parsed = parseCondition(c.condition, c["in_release_0.25.4"] ? {} : { hexEscapes: true });
  if (parsed.errors.length > 0 || !parsed.ast) return { compiles: false, warnings: 0, message: parsed.errors[0]?.message };
  const r = compileFilter(parsed.ast, c.factory.startsWith("mock") ? mock : real);
  return { compiles: r.error === undefined, warnings: r.warnings.length, message: r.error?.message };
}

function check(c: CompileCase): void {
  const o = outcome(c);
  expect(o.compiles, `${c.condition}: ${o.message}`).toBe(c.expect_compile);
  if (c.expected_warnings !== undefined) expect(o.warnings, c.condition).toBe(c.expected_warnings);
  if (c.error_message) expect(o.message).toBe(c.error_message);
}

describe("libs compile vectors (0.25.4)", () => {
  for (const c of cases.filter((x) => x["in_release_0.25.4"])) {
    it(`${c.test}: ${JSON.stringify(c.condition)}`, () => {
      tally.released.total++;
      check(c);
      tally.released.pass++;
    });
  }
});

describe("libs compile vectors (master only, not required)", () => {
  for (const c of cases.filter((x) => !x["in_release_0.25.4"])) {
    it(`${c.test}: ${JSON.stringify(c.condition)}`, () => {
      tally.master.total++;
      try {
        check(c);
        tally.master.pass++;
      } catch {
        tally.master.failed.push(c.condition);
      }
    });
  }
});

afterAll(() => {
  console.log(
    `compile vectors: released ${tally.released.pass}/${tally.released.total}, master-only ${tally.master.pass}/${tally.master.total}` +
      (tally.master.failed.length ? `; master-only differences: ${tally.master.failed.map((f) => JSON.stringify(f)).join(", ")}` : ""),
  );
});
