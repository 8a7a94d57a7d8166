import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseCondition, type Expr, type TransformerArg } from "@falcokit/condition";
import { defaultCatalogs, FIELD_TYPE_CODES, type FieldType } from "@falcokit/fields";
import { compileCheck, cString } from "../src/operators.js";
import {
  applyMultiValueTransformer,
  applyTransformer,
  applyTransformers,
  base64Decode,
  getoptValues,
  joinValues,
  multiValueResultType,
  transformedType,
  type MultiValueTransformer,
} from "../src/transformers.js";
import type { Extracted, Scalar } from "../src/value.js";

const ALL_TYPES = Object.keys(FIELD_TYPE_CODES) as FieldType[];
const STRINGS: FieldType[] = ["CHARBUF", "FSPATH", "FSRELPATH"];

// ---- ports of libs' filter_transformer.ut.cpp ------------------------------------------------------------------
// libs' expected values are NUL-terminated buffers whose length counts the NUL: "HELLO" of length 6
// is the string "HELLO\0" here.

describe("single-value transformers (libs' unit tests)", () => {
  it("accept only the types libs accepts", () => {
    const supported: Record<string, { single: FieldType[]; list: FieldType[] }> = {
      toupper: { single: STRINGS, list: STRINGS },
      tolower: { single: STRINGS, list: STRINGS },
      basename: { single: STRINGS, list: STRINGS },
      b64: { single: ["CHARBUF", "BYTEBUF"], list: ["CHARBUF", "BYTEBUF"] },
      len: { single: [...STRINGS, "BYTEBUF"], list: ALL_TYPES },
    };
    for (const [name, s] of Object.entries(supported)) {
      for (const t of ALL_TYPES) {
        expect(transformedType(name, t, false) !== undefined, `${name} ${t}`).toBe(s.single.includes(t));
        expect(transformedType(name, t, true) !== undefined, `${name} list ${t}`).toBe(s.list.includes(t));
        if (!s.single.includes(t)) expect(() => applyTransformer(name, t, false, "x")).toThrow();
      }
    }
    expect(transformedType("len", "CHARBUF", false)).toEqual({ type: "UINT64", isList: false });
    expect(transformedType("len", "IPADDR", true)).toEqual({ type: "UINT64", isList: false });
    expect(transformedType("toupper", "FSPATH", true)).toEqual({ type: "FSPATH", isList: true });
  });

  it("toupper", () => {
    expect(applyTransformer("toupper", "CHARBUF", false, "hello")).toBe("HELLO\0");
    expect(applyTransformer("toupper", "CHARBUF", false, "WORLD")).toBe("WORLD\0");
    expect(applyTransformer("toupper", "CHARBUF", false, "eXcItED")).toBe("EXCITED\0");
    expect(applyTransformer("toupper", "CHARBUF", false, "")).toBe("\0");
    expect(applyTransformer("toupper", "CHARBUF", true, ["hello", "wOrLd", "ONE_1234"])).toEqual(["HELLO\0", "WORLD\0", "ONE_1234\0"]);
  });

  it("tolower", () => {
    expect(applyTransformer("tolower", "CHARBUF", false, "HELLO")).toBe("hello\0");
    expect(applyTransformer("tolower", "CHARBUF", false, "world")).toBe("world\0");
    expect(applyTransformer("tolower", "CHARBUF", false, "NoT eXcItED")).toBe("not excited\0");
    expect(applyTransformer("tolower", "CHARBUF", false, "")).toBe("\0");
    expect(applyTransformer("tolower", "CHARBUF", true, ["HELLO", "wOrLd", "one_1234"])).toEqual(["hello\0", "world\0", "one_1234\0"]);
  });

  it("b64", () => {
    expect(applyTransformer("b64", "CHARBUF", false, "aGVsbG8=")).toBe("hello\0");
    expect(applyTransformer("b64", "CHARBUF", false, "d29ybGQgIQ==")).toBe("world !\0");
    expect(applyTransformer("b64", "CHARBUF", false, "")).toBe("\0");
    // a value that does not decode: the extraction fails
    expect(applyTransformer("b64", "CHARBUF", false, "not base64!")).toBeUndefined();
    expect(applyTransformer("b64", "CHARBUF", true, ["aGk=", "!"])).toBeUndefined();
    // buffers: the decoded bytes, then the NUL libs adds
    expect(applyTransformer("b64", "BYTEBUF", false, new TextEncoder().encode("aGk="))).toEqual(Uint8Array.of(0x68, 0x69, 0));
    expect(applyTransformer("b64", "BYTEBUF", false, new TextEncoder().encode("AA=="))).toEqual(Uint8Array.of(0));
  });

  it("basename", () => {
    expect(applyTransformer("basename", "CHARBUF", false, "/home/ubuntu/hello.txt")).toBe("hello.txt\0");
    expect(applyTransformer("basename", "FSPATH", false, "/usr/local/bin/cat")).toBe("cat\0");
    expect(applyTransformer("basename", "FSPATH", false, "/")).toBe("\0");
    expect(applyTransformer("basename", "CHARBUF", false, "/hello/")).toBe("\0");
    expect(applyTransformer("basename", "CHARBUF", false, "hello")).toBe("hello\0");
    expect(applyTransformer("basename", "CHARBUF", false, "")).toBe("\0");
  });

  it("len", () => {
    expect(applyTransformer("len", "CHARBUF", false, "/home/ubuntu/hello.txt")).toBe(22n);
    expect(applyTransformer("len", "FSPATH", false, "/")).toBe(1n);
    expect(applyTransformer("len", "FSPATH", true, ["/hello"])).toBe(1n);
    expect(applyTransformer("len", "CHARBUF", true, [])).toBe(0n);
    expect(applyTransformer("len", "UINT64", true, [1n, 2n, 3n, 4n, 5n])).toBe(5n);
    // bytes up to the first NUL for strings (strnlen), every byte for buffers
    expect(applyTransformer("len", "CHARBUF", false, "é\0xyz")).toBe(2n);
    expect(applyTransformer("len", "BYTEBUF", false, Uint8Array.of(1, 2, 3, 4, 5, 6))).toBe(6n);
    expect(applyTransformer("len", "BYTEBUF", false, Uint8Array.of(0, 0))).toBe(2n);
    expect(applyTransformer("len", "CHARBUF", false, undefined)).toBeUndefined();
  });

  it("chains innermost first, tracking the type", () => {
    const r = applyTransformers(["tolower", "toupper", "len"], "CHARBUF", false, "syscall");
    expect(r).toEqual({ value: 7n, type: "UINT64", isList: false });
    expect(applyTransformers(["toupper", "tolower"], "CHARBUF", false, "GETCWD").value).toBe("getcwd\0");
  });
});

// ---- base64 as libs decodes it ---------------------------------------------------------------------------------

describe("base64 (libs' Base64::decodeWithoutPadding)", () => {
  // [input, output of libs 0.25.4's base64.h as hex, "E" for a failed decode]
  const LIBS: [string, string][] = [
    ["aGVsbG8=", "68656c6c6f"],
    ["aGVsbG8", "68656c6c6f"],
    ["aGVsbG8==", "68656c6c6f"],
    ["=", "E"],
    ["==", "E"],
    ["a", "E"],
    ["aA", "68"],
    ["aA==", "68"],
    ["aB==", "E"],
    ["aGk", "6869"],
    ["aGk=", "6869"],
    ["aGl=", "E"],
    ["YQ", "61"],
    ["YR", "E"],
    ["a=b=", "E"],
    ["aGVs bG8=", "E"],
    ["aGVsbG8===", "E"],
    ["++//", "fbefff"],
  ];
  it("agrees with libs", () => {
    for (const [input, expected] of LIBS) {
      const out = base64Decode(new TextEncoder().encode(input));
      expect(out === undefined ? "E" : Buffer.from(out).toString("hex"), input).toBe(expected);
    }
  });

  it("decodes what Node encodes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
        const padded = Buffer.from(b).toString("base64");
        expect(base64Decode(new TextEncoder().encode(padded))).toEqual(new Uint8Array(b));
        expect(base64Decode(new TextEncoder().encode(padded.replace(/=+$/, "")))).toEqual(new Uint8Array(b));
      }),
    );
  });
});

// ---- multi-value transformers --------------------------------------------------------------------------------

describe("join, concat, getopt", () => {
  it("result types", () => {
    expect(multiValueResultType("join", false)).toEqual({ type: "CHARBUF", isList: false });
    expect(multiValueResultType("concat", false)).toEqual({ type: "CHARBUF", isList: false });
    expect(multiValueResultType("getopt", false)).toEqual({ type: "CHARBUF", isList: true });
    expect(multiValueResultType("getopt", true)).toEqual({ type: "CHARBUF", isList: false });
  });

  it("join reads items as C strings and keeps every byte of the separator", () => {
    expect(joinValues("-", ["a", "b\0c", "d"])).toBe("a-b-d");
    expect(joinValues(applyTransformer("toupper", "CHARBUF", false, ",") as string, ["a", "b"])).toBe("a,\0b");
    expect(joinValues(",", [])).toBe("");
    // a real UINT64 list field is read from memory (1 is the bytes 01 00 ...)
    expect(joinValues(",", [1n, 0x4142n])).toBe("\u0001,BA");
  });

  it("fail when an argument cannot be extracted", () => {
    expect(applyMultiValueTransformer("join", [undefined, ["a"]])).toBeUndefined();
    expect(applyMultiValueTransformer("join", ["-", undefined])).toBeUndefined();
    expect(applyMultiValueTransformer("concat", ["a", undefined])).toBeUndefined();
    expect(applyMultiValueTransformer("getopt", [["-n"], undefined])).toBeUndefined();
    expect(applyMultiValueTransformer("getopt", [["-n"], "n"], "t")).toBeUndefined();
  });

  it("getopt follows getopt(3)'s scanning", () => {
    expect(getoptValues(["-nt", "hello", "x"], "nt:")).toEqual(["n", "t", "hello"]);
    expect(getoptValues(["-t"], "t:")).toEqual([""]);
    expect(getoptValues(["-x", "--long", "-n", "--", "-t"], "nt")).toEqual(["?", "n"]);
    expect(getoptValues(["-t", "v1", "-t", "v2"], "t:", "t")).toBe("v2");
    expect(getoptValues(["-n"], "n", "n")).toBe("n");
  });
});

// ---- the transformer vectors of the conformance file -------------------------------------------------------------

interface Case {
  kind: string;
  condition: string;
  expect_result?: boolean;
  expect_error?: unknown;
  "in_release_0.25.4": boolean;
  source: { path: string; line: number };
}

const file = JSON.parse(readFileSync(new URL("../../../../shared/conformance/filter-parser-cases.json", import.meta.url), "utf8")) as { cases: Case[] };
const syscall = defaultCatalogs().get("syscall")!;

/**
 * Field values of the events of libs' filter_transformer tests that these conditions read: the
 * open of "/tmp/file_to_run" (fd.name, fd.directory), the first event of the capture (evt.num 1).
 */
const EVENT_FIELDS: Record<string, Scalar> = { "fd.name": "/tmp/file_to_run", "fd.directory": "/tmp", "evt.num": 1n };

class NoModel extends Error {}

interface Evaluated {
  value: Extracted;
  type: FieldType;
  isList: boolean;
}

const SINGLE = new Set(["toupper", "tolower", "b64", "basename", "len"]);

function evalArg(node: TransformerArg): Evaluated {
  switch (node.type) {
    case "field": {
      if (!(node.name in EVENT_FIELDS)) throw new NoModel(node.name);
      const m = syscall.lookup(node.name);
      if (!m || !m.ok) throw new Error(`no field ${node.name}`);
      return { value: EVENT_FIELDS[node.name], type: m.type, isList: m.isList };
    }
    case "value":
      return { value: node.value, type: "CHARBUF", isList: false };
    case "transformer_list": {
      // libs' list_check: numeric fields are rendered as text (rawval_to_string; evt.num prints as decimal)
      const items: Scalar[] = [];
      for (const c of node.children) {
        const v = evalArg(c);
        if (v.value === undefined) return { value: undefined, type: "CHARBUF", isList: true };
        const vals = Array.isArray(v.value) ? v.value : [v.value as Scalar];
        for (const x of vals) items.push(typeof x === "bigint" ? x.toString() : x);
      }
      return { value: items, type: "CHARBUF", isList: true };
    }
    case "field_transformer": {
      const args = node.values.map(evalArg);
      if (SINGLE.has(node.transformer)) {
        const a = args[0]!;
        const t = transformedType(node.transformer, a.type, a.isList)!;
        return { value: applyTransformer(node.transformer, a.type, a.isList, a.value), ...t };
      }
      const name = node.transformer as MultiValueTransformer;
      const value = applyMultiValueTransformer(
        name,
        args.map((a) => a.value),
        node.arg,
      );
      return { value, ...multiValueResultType(name, node.arg !== undefined) };
    }
    default:
      throw new Error(`unexpected ${node.type}`);
  }
}

function evaluate(e: Expr): boolean {
  if (e.type !== "binary_check") throw new Error(`unexpected ${e.type}`);
  const left = evalArg(e.left as TransformerArg);
  const values = e.right.type === "value" ? [e.right.value] : e.right.type === "list" ? e.right.values : undefined;
  if (!values) throw new Error("constants expected on the right");
  return compileCheck(e.op, left.type, left.isList, values)(left.value);
}

describe("transformer conformance vectors (filter_transformer.ut.cpp)", () => {
  const vectors = file.cases.filter(
    (c) => c.kind === "eval" && c.source.path.endsWith("filter_transformer.ut.cpp") && c["in_release_0.25.4"] && typeof c.expect_result === "boolean",
  );

  it("evaluates every vector that needs no more than fd.name, fd.directory and evt.num", () => {
    let run = 0;
    let skipped = 0;
    const failures: string[] = [];
    for (const c of vectors) {
      const parsed = parseCondition(c.condition);
      expect(parsed.errors, c.condition).toEqual([]);
      let got: boolean;
      try {
        got = evaluate(parsed.ast as Expr);
      } catch (err) {
        if (err instanceof NoModel) {
          skipped++;
          continue;
        }
        throw err;
      }
      run++;
      if (got !== c.expect_result) failures.push(`${c.condition}: expected ${String(c.expect_result)}`);
    }
    console.log(`filter_transformer vectors: ${run - failures.length}/${run} passed (${skipped} need an event model)`);
    expect(failures).toEqual([]);
    expect(run).toBeGreaterThanOrEqual(120);
  });
});

// ---- properties ------------------------------------------------------------------------------------------------

const word = fc.string({ unit: fc.constantFrom("a", "B", "/", ".", "é", "Z", "1", "_"), maxLength: 10 });

describe("properties", () => {
  it("toupper/tolower change ASCII letters only and keep the length", () => {
    fc.assert(
      fc.property(word, (s) => {
        const up = cString(applyTransformer("toupper", "CHARBUF", false, s) as string);
        const low = cString(applyTransformer("tolower", "CHARBUF", false, s) as string);
        expect(up.length).toBe(s.length);
        expect(up).toBe(s.replace(/[a-z]/g, (c) => c.toUpperCase()));
        expect(low).toBe(s.replace(/[A-Z]/g, (c) => c.toLowerCase()));
        expect(cString(applyTransformer("toupper", "CHARBUF", false, low) as string)).toBe(up);
      }),
    );
  });

  it("basename is what follows the last slash; len counts UTF-8 bytes", () => {
    fc.assert(
      fc.property(word, (s) => {
        const b = cString(applyTransformer("basename", "FSPATH", false, s) as string);
        expect(b.includes("/")).toBe(false);
        expect(s.endsWith(b)).toBe(true);
        expect(applyTransformer("len", "CHARBUF", false, s)).toBe(BigInt(Buffer.byteLength(s)));
      }),
    );
  });

  it("join of NUL-free items splits back; concat is join with an empty separator", () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), (items) => {
        expect(joinValues("|", items).split("|")).toEqual(items.join("|").split("|"));
        expect(applyMultiValueTransformer("concat", items)).toBe(joinValues("", items));
      }),
    );
  });

  it("getopt with a selector gives the last value the list gives for that option", () => {
    const opt = fc.constantFrom("-a", "-b", "-ab", "-c", "x", "--", "--long", "-cval");
    fc.assert(
      fc.property(fc.array(opt, { maxLength: 6 }), (args) => {
        const list = getoptValues(args, "abc:") as string[];
        for (const sel of ["a", "b"]) {
          const one = getoptValues(args, "abc:", sel);
          expect(one === undefined).toBe(!list.includes(sel));
          if (one !== undefined) expect(one).toBe(sel);
        }
        // `c` takes an argument: the list holds "c" then its value, or "" when it is missing
        let lastC: string | undefined;
        for (let i = 0; i < list.length; i++) {
          if (list[i] === "c") lastC = list[++i];
          else if (list[i] === "") lastC = "";
        }
        expect(getoptValues(args, "abc:", "c")).toBe(lastC);
      }),
    );
  });
});
