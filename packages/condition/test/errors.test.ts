import { describe, expect, it } from "vitest";
import { parseCondition, toLibsJson, nodesOf } from "../src/index.js";

/*
 * Error positions and wording, written by hand from libs' parser (the position is where
 * libs' cursor stands when it gives up; the message is libs' own). Never regenerated.
 */

const TRANSFORMERS = "'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'";
const OPERATORS =
  "'exists', '<=', '<', '>=', '>', '==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex', 'intersects', 'in', 'pmatch'";

const cases: [condition: string, offset: number, message: string][] = [
  ["a andb", 5, "expected blank or '(' after 'and'"],
  ["a orb", 4, "expected blank or '(' after 'or'"],
  ["a and", 5, "expected blank or '(' after 'and'"],
  ["a and ", 6, "expected a '(' token, a field check, or an identifier"],
  ["(a.b = 1", 8, "expected a ')' token"],
  ["a b", 2, "unexpected token after 'a', expecting 'or', 'and'"],
  ["a or(b) and c", 8, "unexpected token after ')', expecting 'or', 'and'"],
  ['proc.name = "x y" z', 18, "unexpected token after 'x y', expecting 'or', 'and'"],
  ["proc.name", 9, `expected a valid check operator: one of ${OPERATORS}`],
  ["proc.name containsvalue", 10, `expected a valid check operator: one of ${OPERATORS}`],
  ["evt.arg [0] = x", 8, `expected a valid check operator: one of ${OPERATORS}`],
  ["evt.arg[] = x", 8, "expected a valid field argument: a quoted string or a bare string"],
  ["evt.arg[ 0] = x", 8, "expected a valid field argument: a quoted string or a bare string"],
  ['evt.arg["x" = x', 11, "expected a ']' token"],
  ["proc.name = 'abc", 12, `expected a string value or a field with a valid transformer: ${TRANSFORMERS}`],
  ["x.y > abc", 6, `expected a number value or a field with a valid transformer: ${TRANSFORMERS}`],
  ["x.y > 1e5", 7, "unexpected token after '1', expecting 'or', 'and'"],
  ["proc.name in /tmp", 13, `expected a list, an identifier, or a field with a valid transformer: ${TRANSFORMERS}`],
  ["x.y in (a,)", 10, "expected a string value"],
  ["x.y in (a b)", 10, "expected a ')' token"],
  ["x.y = val(1)", 10, "expected a field within 'val' transformer"],
  ["x.y = val(a.b c)", 14, "expected a ')' token closing the transformer"],
  ["val(x.y) = 1", 3, "unexpected token after 'val', expecting 'or', 'and'"],
  ["tolower(proc.name = x", 18, "expected a ')' token closing the transformer"],
  ["tolower() = x", 8, "expected field transformer argument: field, transformer, quoted string, number, or transformer list"],
  ['join(",", (a.b, 1, c)) = x', 19, "expected transformer list argument: field, transformer, quoted string, or number"],
  ['join(",", (a.b = x', 15, "expected ')'"],
  ['proc.name = "a\\qb"', 18, "unsupported string escape sequence: \\q"],
  ["proc.name = 'a\\\"b'", 18, "invalid \\\" escape in '-quoted string"],
  ['proc.name = "a\\\'b"', 18, "invalid \\' escape in \"-quoted string"],
  ['proc.name = "a\\\\"', 12, `expected a string value or a field with a valid transformer: ${TRANSFORMERS}`],
  ["x.y in ('\\q', b)", 12, "expected a ')' token"],
  ["not", -1, ""],
  ["x.y in ('\\q')", -1, ""],
  ["   ", 3, "expected a '(' token, a field check, or an identifier"],
  ["", 0, "filter input string is empty"],
];

describe("first error: libs' position and wording", () => {
  for (const [condition, offset, message] of cases) {
    it(JSON.stringify(condition), () => {
      const r = parseCondition(condition);
      if (offset < 0) {
        expect(r.errors).toEqual([]);
        return;
      }
      expect(r.errors[0]).toMatchObject({ offset, message });
    });
  }

  it("reads an empty list for a first list item with a bad escape, as libs 0.25.4 does", () => {
    const r = parseCondition("x.y in ('\\q')");
    expect(toLibsJson(r.ast!)).toEqual({ type: "binary_check", left: { type: "field", name: "x.y" }, op: "in", right: { type: "list", values: [] } });
  });

  it("reads `not` alone as a macro name", () => {
    expect(toLibsJson(parseCondition("a and not").ast!)).toEqual({
      type: "and",
      children: [
        { type: "identifier", name: "a" },
        { type: "identifier", name: "not" },
      ],
    });
  });

  it("accepts \\xHH escapes only when asked (libs master)", () => {
    expect(parseCondition('x.y = "\\x41"').errors[0]?.message).toBe("unsupported string escape sequence: \\x");
    const r = parseCondition('x.y = "\\x41"', { hexEscapes: true });
    expect(r.errors).toEqual([]);
    expect(toLibsJson(r.ast!)).toMatchObject({ right: { type: "value", value: "A" } });
  });
});

describe("error recovery", () => {
  it("keeps the rest of the tree around a missing parenthesis", () => {
    const r = parseCondition("proc.name = x and (fd.name = y");
    expect(r.errors).toHaveLength(1);
    expect(toLibsJson(r.ast!)).toEqual({
      type: "and",
      children: [
        { type: "binary_check", left: { type: "field", name: "proc.name" }, op: "=", right: { type: "value", value: "x" } },
        { type: "binary_check", left: { type: "field", name: "fd.name" }, op: "=", right: { type: "value", value: "y" } },
      ],
    });
  });

  it("keeps later checks after a missing operator", () => {
    const r = parseCondition("proc.name and fd.name = x");
    expect(r.errors[0]!.offset).toBe(10);
    const fields = nodesOf(r.ast!).flatMap((n) => (n.type === "field" ? [n.name] : []));
    expect(fields).toEqual(["proc.name", "fd.name"]);
    expect(nodesOf(r.ast!).some((n) => n.type === "error")).toBe(true);
  });

  it("marks a dangling operator with an error node", () => {
    const r = parseCondition("a and (b or");
    expect(r.errors[0]).toMatchObject({ offset: 11, message: "expected blank or '(' after 'or'" });
    expect(toLibsJson(r.ast!)).toEqual({
      type: "and",
      children: [{ type: "identifier", name: "a" }, { type: "or", children: [{ type: "identifier", name: "b" }, { type: "error" }] }],
    });
  });
});

describe("nesting", () => {
  it("reports 10,000 nested parentheses as too deep instead of overflowing", () => {
    const r = parseCondition("(".repeat(10_000) + "a" + ")".repeat(10_000));
    expect(r.ast).toBeUndefined();
    expect(r.errors).toEqual([
      { code: "parse/too-deep", message: "condition nests deeper than 200 levels of parentheses and transformers", offset: 200, range: { start: 200, end: 201 } },
    ]);
  });

  it("parses nesting up to the limit", () => {
    const r = parseCondition("(".repeat(200) + "a" + ")".repeat(200));
    expect(r.errors).toEqual([]);
    expect(r.ast).toMatchObject({ type: "identifier", name: "a", range: { start: 200, end: 201 } });
  });

  it("turns a stack overflow into a diagnostic when the limit is lifted", () => {
    const r = parseCondition("(".repeat(5_000) + "a" + ")".repeat(5_000), { maxNesting: Infinity });
    expect(r.errors[0]).toMatchObject({ code: "parse/too-deep", message: "condition nests too deeply to parse" });
  });
});

describe("ranges", () => {
  it("covers each node's source text", () => {
    const text = 'not (proc.name in (a, "b c") and tolower(fd.name)[x] glob "/tmp/*") or m';
    const r = parseCondition(text);
    expect(r.errors).toEqual([]);
    const slices = nodesOf(r.ast!).map((n) => `${n.type}:${text.slice(n.range.start, n.range.end)}`);
    expect(slices).toEqual([
      `or:${text}`,
      'not:not (proc.name in (a, "b c") and tolower(fd.name)[x] glob "/tmp/*")',
      'and:proc.name in (a, "b c") and tolower(fd.name)[x] glob "/tmp/*"',
      'binary_check:proc.name in (a, "b c")',
      "field:proc.name",
      'list:(a, "b c")',
      'binary_check:tolower(fd.name)[x] glob "/tmp/*"',
      "field_transformer:tolower(fd.name)[x]",
      "field:fd.name",
      'value:"/tmp/*"',
      "identifier:m",
    ]);
  });
});
