import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCondition, type Expr } from "@falcokit/condition";
import { compileCheck, type Predicate } from "../src/operators.js";
import type { Extracted } from "../src/value.js";

/**
 * The `mock_eval` vectors of the conformance file: conditions libs' filter_compiler tests compile
 * against mock fields and run. Their fields, as the tests define them (see each case's note):
 * - `c.true` always matches: here it extracts the very value it is compared with;
 * - `c.false` and `c.buffer` never match: here they cannot be read (every check is then false);
 * - `c.singlequote` / `c.doublequote` match when the value is `hello 'quoted'` / `hello "quoted"`:
 *   here they extract that text.
 * Checks go through `compileCheck` with libs' operators; and/or/not are walked here.
 */

interface Case {
  kind: string;
  condition: string;
  expect_result?: boolean;
  note?: string;
  "in_release_0.25.4": boolean;
}

const file = JSON.parse(readFileSync(new URL("../../../../shared/conformance/filter-parser-cases.json", import.meta.url), "utf8")) as { cases: Case[] };
const mockCases = file.cases.filter((c) => c.kind === "mock_eval");

/** What a mock field extracts for a check whose constants are `values`. */
function mockField(name: string, values: readonly string[]): Extracted {
  switch (name) {
    case "c.true":
      return values[0];
    case "c.false":
    case "c.buffer":
      return undefined;
    case "c.singlequote":
      return "hello 'quoted'";
    case "c.doublequote":
      return 'hello "quoted"';
    default:
      throw new Error(`not a mock field: ${name}`);
  }
}

/** Compiles a condition over the mock fields into a boolean function, as libs' compiler does. */
function compile(e: Expr): () => boolean {
  switch (e.type) {
    case "and": {
      const kids = e.children.map(compile);
      return () => kids.every((k) => k());
    }
    case "or": {
      const kids = e.children.map(compile);
      return () => kids.some((k) => k());
    }
    case "not": {
      const kid = compile(e.child);
      return () => !kid();
    }
    case "binary_check": {
      if (e.left.type !== "field") throw new Error("mock checks have a plain field on the left");
      const values = e.right.type === "value" ? [e.right.value] : e.right.type === "list" ? e.right.values : undefined;
      if (!values) throw new Error("mock checks compare with constants");
      const type = e.left.name === "c.buffer" ? "BYTEBUF" : "CHARBUF";
      const check: Predicate = compileCheck(e.op, type, false, values);
      const value = mockField(e.left.name, values);
      return () => check(value);
    }
    default:
      throw new Error(`unexpected node ${e.type}`);
  }
}

describe("mock_eval conformance vectors", () => {
  it("has the 40 boolean-logic vectors", () => {
    expect(mockCases.length).toBe(40);
  });

  it("evaluates every released vector as libs", () => {
    const released = mockCases.filter((c) => c["in_release_0.25.4"]);
    const failures: string[] = [];
    for (const c of released) {
      const parsed = parseCondition(c.condition);
      if (parsed.errors?.length) {
        failures.push(`${c.condition}: parse error ${parsed.errors[0]!.message}`);
        continue;
      }
      const got = compile(parsed.ast as Expr)();
      if (got !== c.expect_result) failures.push(`${c.condition}: expected ${String(c.expect_result)}, got ${String(got)}`);
    }
    console.log(`mock_eval: ${released.length - failures.length}/${released.length} released vectors passed (${mockCases.length} in the file)`);
    expect(failures).toEqual([]);
  });
});
