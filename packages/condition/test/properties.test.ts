import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Expr, FieldExpr, TransformerArg, TransformerExpr } from "../src/index.js";
import { parseCondition, printCondition, toLibsJson, FIELD_TRANSFORMERS } from "../src/index.js";
import { corpusTexts } from "./corpus.js";

const r0 = { start: 0, end: 0 };

// Characters that matter to the grammar, mixed with arbitrary ones.
const grammarChar = fc.constantFrom(..."()[],=!<>\"'\\ \t\n\r\b\f\v.%_-/*abcdefnortxyz0123456789");
const conditionLike = fc.oneof(
  fc.string({ unit: grammarChar, maxLength: 60 }),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.array(fc.constantFrom("a", "b.c", "and", "or", "not", "(", ")", "=", "in", "exists", "(x, y)", "'q'", '"\\"', "tolower(", "val(", "oneof", " ", "[0]", ","), { maxLength: 14 }).map((xs) => xs.join(" ")),
);

describe("parseCondition never throws", () => {
  it("on arbitrary text", () => {
    fc.assert(
      fc.property(conditionLike, (text) => {
        const r = parseCondition(text);
        expect(r.ast !== undefined || r.errors.length > 0).toBe(true);
        for (const e of r.errors) {
          expect(e.offset).toBeGreaterThanOrEqual(0);
          expect(e.offset).toBeLessThanOrEqual(text.length);
          expect(e.range.end).toBeGreaterThanOrEqual(e.range.start);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Random well-formed trees

const ident = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,6}$/);
const fieldName = fc.tuple(ident, fc.array(ident, { minLength: 1, maxLength: 2 })).map(([a, rest]) => [a, ...rest].join("."));
const anyString = fc.string({ maxLength: 12 });
const number = fc.oneof(fc.stringMatching(/^[+-]?[0-9]{1,4}(\.[0-9]{0,2})?$/), fc.stringMatching(/^0x[0-9a-f]{1,4}$/));

const field: fc.Arbitrary<FieldExpr> = fc.record({ name: fieldName, arg: fc.option(anyString, { nil: undefined }) }).map(({ name, arg }) => ({
  type: "field",
  name,
  ...(arg !== undefined ? { arg } : {}),
  nameRange: r0,
  range: r0,
}));

const value = (s: fc.Arbitrary<string>, quoted = false) => s.map((v) => ({ type: "value" as const, value: v, quoted, range: r0 }));

const { transformer } = fc.letrec<{ transformer: TransformerExpr; arg: TransformerArg }>((tie) => ({
  transformer: fc
    .record({
      name: fc.constantFrom(...FIELD_TRANSFORMERS),
      values: fc.array(tie("arg"), { minLength: 1, maxLength: 3 }),
      arg: fc.option(anyString, { nil: undefined }),
    })
    .map(({ name, values, arg }) => ({ type: "field_transformer", transformer: name, values, ...(arg !== undefined ? { arg } : {}), nameRange: r0, range: r0 })),
  arg: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    field,
    value(number),
    value(anyString, true),
    tie("transformer"),
    fc
      .array(fc.oneof(field, value(number), value(anyString, true)), { maxLength: 3 })
      .map((children) => ({ type: "transformer_list" as const, children, range: r0 })),
  ),
}));

const lhs = fc.oneof(field, transformer);
const val = field.map((f) => ({ type: "field_transformer" as const, transformer: "val", values: [f], nameRange: r0, range: r0 }));
const list = fc.array(anyString, { maxLength: 4 }).map((values) => ({ type: "list" as const, values, valueRanges: values.map(() => r0), range: r0 }));
const strOp = fc.constantFrom("=", "==", "!=", "glob", "iglob", "contains", "icontains", "bcontains", "startswith", "bstartswith", "endswith", "regex");

const check: fc.Arbitrary<Expr> = fc.oneof(
  lhs.map((left) => ({ type: "unary_check" as const, left, op: "exists" as const, opRange: r0, range: r0 })),
  fc.tuple(lhs, fc.constantFrom("<", "<=", ">", ">="), fc.oneof(value(number), val, transformer)).map(([left, op, right]) => ({ type: "binary_check" as const, left, op, opRange: r0, right, range: r0 })),
  fc.tuple(lhs, strOp, fc.oneof(value(anyString), val, transformer)).map(([left, op, right]) => ({ type: "binary_check" as const, left, op, opRange: r0, right, range: r0 })),
  fc
    .tuple(lhs, strOp, fc.constantFrom("oneof", "anyof", "allof"), fc.oneof(list, value(ident)))
    .map(([left, op, mod, right]) => ({ type: "binary_check" as const, left, op: `${op} ${mod}`, opRange: r0, right, range: r0 })),
  fc.tuple(lhs, fc.constantFrom("in", "intersects", "pmatch"), fc.oneof(list, value(ident), val, transformer)).map(([left, op, right]) => ({ type: "binary_check" as const, left, op, opRange: r0, right, range: r0 })),
  ident.map((name) => ({ type: "identifier" as const, name, range: r0 })),
);

const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    check,
    tie("expr").map((child) => ({ type: "not" as const, child, range: r0 })),
    fc.tuple(fc.constantFrom("and" as const, "or" as const), fc.array(tie("expr"), { minLength: 2, maxLength: 4 })).map(([type, children]) => ({ type, children, range: r0 })),
  ),
}));

describe("parse(print(ast)) equals ast", () => {
  it("for random trees", () => {
    fc.assert(
      fc.property(expr, (ast) => {
        const text = printCondition(ast);
        const r = parseCondition(text);
        expect(r.errors, text).toEqual([]);
        expect(toLibsJson(r.ast!)).toEqual(toLibsJson(ast));
      }),
      { numRuns: 2000 },
    );
  });

  it("for every condition in the corpus (each of which parses)", () => {
    let n = 0;
    for (const t of corpusTexts()) {
      if (t.condition === undefined || t.append) continue;
      const first = parseCondition(t.condition);
      // Every standalone condition in the corpus parses (append fragments are not conditions).
      expect(first.errors, `${t.file} ${t.item}`).toEqual([]);
      const printed = printCondition(first.ast!);
      const again = parseCondition(printed);
      expect(again.errors, `${t.file} ${t.item}: ${printed}`).toEqual([]);
      expect(toLibsJson(again.ast!)).toEqual(toLibsJson(first.ast!));
      n++;
    }
    expect(n).toBeGreaterThan(5000);
  });
});
