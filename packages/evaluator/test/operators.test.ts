import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseCondition, type Expr, type FieldLike } from "@falcokit/condition";
import { defaultCatalogs, parseIPv4, parseIPv6, type FieldType } from "@falcokit/fields";
import {
  compileCheck,
  compileFieldComparison,
  globMatch,
  OperatorError,
  parseOperator,
  PathPrefixSearch,
  PosixRegex,
  StdUnorderedMap,
  stdHashBytes,
} from "../src/operators.js";
import { applyTransformer } from "../src/transformers.js";
import type { Extracted, Scalar } from "../src/value.js";

const syscall = defaultCatalogs().get("syscall")!;

/** The type libs gives a field of the syscall source. */
function typeOf(field: string): { type: FieldType; isList: boolean } {
  const m = syscall.lookup(field);
  if (!m || !m.ok) throw new Error(`no field ${field}`);
  return { type: m.type, isList: m.isList };
}

const ip = (text: string): Uint8Array => (parseIPv4(text) ?? parseIPv6(text))!;
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Evaluates `<field> <op> <value or list>` on a value of that field's type. */
function check(field: string, op: string, values: string[], value: Extracted): boolean {
  const t = typeOf(field);
  return compileCheck(op, t.type, t.isList, values)(value);
}

/** A one-check condition, parsed: `field op values`. */
function parseCheck(condition: string): { field: string; op: string; values: string[] } {
  const r = parseCondition(condition);
  const e = r.ast as Expr;
  if (e.type !== "binary_check" || e.left.type !== "field") throw new Error(`not a simple check: ${condition}`);
  const values = e.right.type === "value" ? [e.right.value] : e.right.type === "list" ? e.right.values : [];
  return { field: e.left.name, op: e.op, values };
}

describe("operators from libs' filter_op_* unit tests", () => {
  // filter_op_contains.ut.cpp: an open of "/opt/dir/SUBDIR/file.txt" with flags O_RDWR|O_CREAT
  it("contains and icontains", () => {
    const name = "/opt/dir/SUBDIR/file.txt";
    const cases: [string, Extracted, boolean][] = [
      ["evt.arg.flags contains O_CREAT", "O_RDWR|O_CREAT", true],
      ["evt.arg.flags contains O_TMPFILE", "O_RDWR|O_CREAT", false],
      ["evt.arg.flags icontains O_CREAT", "O_RDWR|O_CREAT", true],
      ["fd.name contains /dir", name, true],
      ["fd.name icontains /subdir", name, true],
      ["fd.name icontains notthis", name, false],
    ];
    for (const [cond, value, expected] of cases) {
      const { field, op, values } = parseCheck(cond);
      expect(check(field, op, values, value), cond).toBe(expected);
    }
  });

  // filter_op_bcontains.ut.cpp: a read of the 5 bytes "hello"
  it("bcontains and bstartswith", () => {
    const buf = bytes("hello");
    const cases: [string, boolean][] = [
      ["evt.buffer bcontains 68656c6c6f", true],
      ["evt.buffer bcontains 656c6C", true],
      ["evt.buffer bcontains 20", false],
      ["evt.buffer bcontains 656c6cAA", false],
      ["evt.buffer bstartswith 68", true],
      ["evt.buffer bstartswith 68656c6c6f", true],
      ["evt.buffer bstartswith 65", false],
      ["evt.buffer bstartswith 656c6C", false],
      ["evt.buffer bstartswith 20", false],
      ["evt.buffer bstartswith 656c6cAA", false],
    ];
    for (const [cond, expected] of cases) {
      const { field, op, values } = parseCheck(cond);
      expect(check(field, op, values, buf), cond).toBe(expected);
    }
    // values that are not hex are rejected
    for (const bad of ["2", "2g"]) expect(() => compileCheck("bcontains", "BYTEBUF", false, [bad])).toThrow(/hex strings only/);
  });

  // filter_op_bytebuf.ut.cpp (libs master; flt_compare_buffer is the same in 0.25.4): the bytes a, NUL, b
  it("byte buffers with a NUL inside", () => {
    const buf = Uint8Array.of(0x61, 0, 0x62);
    expect(compileCheck("bcontains", "BYTEBUF", false, ["610062"])(buf)).toBe(true);
    expect(compileCheck("bcontains", "BYTEBUF", false, ["610162"])(buf)).toBe(false);
    expect(compileCheck("bstartswith", "BYTEBUF", false, ["6100"])(buf)).toBe(true);
    expect(compileCheck("bstartswith", "BYTEBUF", false, ["6101"])(buf)).toBe(false);
    expect(compileCheck("=", "BYTEBUF", false, ["ab"])(buf)).toBe(false);
  });

  // filter_op_numeric_compare.ut.cpp: evt.cpu is 1, the epoll_create result is -22, fd.num is -1
  it("signed and unsigned numeric compares", () => {
    const cases: [string, Scalar, boolean][] = [
      ["evt.cpu < 300", 1n, true],
      ["evt.cpu > 300", 1n, false],
      ["evt.cpu < 2", 1n, true],
      ["evt.cpu > -500", 1n, true],
      ["evt.cpu < 500", 1n, true],
      ["evt.cpu <= 500", 1n, true],
      ["evt.cpu <= 1025", 1n, true],
      ["evt.cpu >= 1025", 1n, false],
      ["evt.rawarg.res > 0", -22n, false],
      ["evt.rawarg.res < 0", -22n, true],
      ["evt.rawarg.res > 4294967295", -22n, false],
      ["evt.rawarg.res < -1", -22n, true],
      ["evt.rawarg.res > -65535", -22n, true],
      ["fd.num >= 0", -1n, false],
      ["fd.num > 0", -1n, false],
      ["fd.num < 0", -1n, true],
      ["fd.num > 4294967295", -1n, false],
      ["fd.num < -1", -1n, false],
      ["fd.num > -65535", -1n, true],
    ];
    for (const [cond, value, expected] of cases) {
      const { field, op, values } = parseCheck(cond);
      expect(check(field, op, values, value), cond).toBe(expected);
    }
  });

  // filter_op_pmatch.ut.cpp: an open of "/opt/dir/subdir/file.txt"
  it("pmatch", () => {
    const name = "/opt/dir/subdir/file.txt";
    const cases: [string, boolean][] = [
      ["fd.name pmatch (/opt/dir)", true],
      ["fd.name pmatch (/opt/dir/subdir)", true],
      ["fd.name pmatch (/opt/dir2)", false],
      ["fd.name pmatch (/opt/dir, /opt/dir2)", true],
      ["fd.name pmatch (/opt/dir3, /opt/dir2)", false],
      ["fd.name pmatch (/opt/*)", true],
      ["fd.name pmatch (/opt/*/subdir)", true],
      ["fd.name pmatch (/opt/di?/subdir)", true],
      ["fd.name pmatch (/opt/dii?/subdir)", false],
      ["fd.name pmatch (/opt/di[r]/subdir)", true],
      ["fd.name pmatch (/opt/di[!r]/subdir)", false],
      ["fd.name pmatch (/opt/di[t]/subdir)", false],
      ["fd.name pmatch (/opt/di/subdir)", false],
      ["fd.name pmatch (/opt/*/subdir2)", false],
      ["fd.name pmatch (/opt/*/*)", true],
      ["fd.name pmatch (/opt/*/*/subsubdir)", false],
    ];
    for (const [cond, expected] of cases) {
      const { field, op, values } = parseCheck(cond);
      expect(check(field, op, values, name), cond).toBe(expected);
    }
  });

  // filter_op_net_compare.ut.cpp: a connect from 172.40.111.222 to 142.251.111.147 (IPv4) and
  // from ::1 to 2001:4860:4860::8888 (IPv6). fd.net, fd.ip combine the two ends of the socket
  // themselves; here each end is checked as the IPADDR/IPNET value it is.
  it("IPv4 addresses and networks", () => {
    const server = ip("142.251.111.147");
    const client = ip("172.40.111.222");
    const cases: [string, Uint8Array, boolean][] = [
      ["fd.sip == 142.251.111.147", server, true],
      ["fd.lip == 142.251.111.147", server, true],
      ["fd.rip == 172.40.111.222", client, true],
      ["fd.cip == 172.40.111.222", client, true],
      ["fd.sip != 142.251.111.147", server, false],
      ["fd.sip != 0:0:0:0:0:0:0:1", server, true],
      ["fd.sip == '0:0:0:0:0:0:0:1'", server, false],
      ["fd.net == 142.0.0.0/4", server, true],
      ["fd.net == 142.251.0.0/8", server, true],
      ["fd.net == 142.251.111.0/16", server, true],
      ["fd.net != 10.0.0.0/8", server, true],
      ["fd.net != 2001:db8:abcd:0012::0/64", server, true],
      ["fd.net == 10.0.0.0/8", server, false],
      ["fd.net == 2001:db8:abcd:0012::0/64", server, false],
      ["fd.sip == anyof (142.251.111.147)", server, true],
      ["fd.sip == anyof (10.0.0.1, 142.251.111.147)", server, true],
      ["fd.sip == anyof (10.0.0.1, 192.168.0.1)", server, false],
      ["fd.sip == allof (142.251.111.147)", server, true],
      ["fd.sip == allof (142.251.111.147, 10.0.0.1)", server, false],
      ["fd.sip == oneof (142.251.111.147)", server, true],
      ["fd.sip == oneof (10.0.0.1, 142.251.111.147)", server, true],
      ["fd.sip == oneof (10.0.0.1, 192.168.0.1)", server, false],
      ["fd.sip != anyof (10.0.0.1)", server, true],
      ["fd.sip != anyof (142.251.111.147)", server, false],
      ["fd.sip != allof (10.0.0.1, 192.168.0.1)", server, true],
    ];
    for (const [cond, value, expected] of cases) {
      const { field, op, values } = parseCheck(cond);
      expect(check(field, op, values, value), cond).toBe(expected);
    }
  });

  it("IPv6 addresses and networks", () => {
    const server = ip("2001:4860:4860::8888");
    const client = ip("::1");
    const cases: [string, Uint8Array, boolean][] = [
      ["fd.sip == 2001:4860:4860::8888", server, true],
      ["fd.lip == 2001:4860:4860::8888", server, true],
      ["fd.rip == ::1", client, true],
      ["fd.cip == ::1", client, true],
      ["fd.sip != 2001:4860:4860::8888", server, false],
      ["fd.sip != 127.0.0.1", server, true],
      ["fd.sip == '127.0.0.1'", server, false],
      ["fd.net == 2001::0/16", server, true],
      ["fd.net == 2001:4860::0/32", server, true],
      ["fd.net == 2001:4860:4860::8888/48", server, true],
      ["fd.net != 10::0/16", server, true],
      ["fd.net != 10.0.0.0/8", server, true],
      ["fd.net == 10.0.0.0/8", server, false],
      ["fd.net == 2001:db8:abcd:0012::0/64", server, false],
    ];
    for (const [cond, value, expected] of cases) {
      const { field, op, values } = parseCheck(cond);
      expect(check(field, op, values, value), cond).toBe(expected);
    }
  });

  it("an IPv4-mapped IPv6 address is an IPv6 address to the operators", () => {
    const mapped = ip("::ffff:10.0.0.1");
    expect(compileCheck("=", "IPADDR", false, ["10.0.0.1"])(mapped)).toBe(false);
    expect(compileCheck("!=", "IPADDR", false, ["10.0.0.1"])(mapped)).toBe(true);
    expect(compileCheck("=", "IPADDR", false, ["::ffff:a00:1"])(mapped)).toBe(true);
    expect(compileCheck("=", "IPNET", false, ["10.0.0.0/8"])(mapped)).toBe(false);
    expect(compileCheck("=", "IPNET", false, ["::ffff:0:0/96"])(mapped)).toBe(true);
    expect(compileCheck("in", "IPNET", false, ["192.168.0.0/16", "::ffff:a00:0/104"])(mapped)).toBe(true);
    // libs reads any IP constant with a '.' as IPv4, so the dotted IPv6 forms are errors
    expect(() => compileCheck("=", "IPADDR", false, ["::ffff:10.0.0.1"])).toThrow("unrecognized IPv4 address ::ffff:10.0.0.1");
  });
});

// prefix_search.ut.cpp, as matches
describe("path prefix search (libs' prefix_search unit tests)", () => {
  const tree = (paths: string[]): PathPrefixSearch => {
    const t = new PathPrefixSearch();
    for (const p of paths) t.addSearchPath(p);
    return t;
  };

  it("basic", () => {
    const t = tree(["/var/run", "/var/run/dmesg", "/etc/", "/lib", "/usr/lib", "/usr/local"]);
    expect(t.match("/var/run/docker")).toBe(true);
    expect(t.match("/boot")).toBe(false);
    expect(t.match("/var/lib/messages")).toBe(false);
    expect(t.match("/var")).toBe(false);
    expect(t.match("/var/run")).toBe(true);
    expect(t.match("/usr")).toBe(false);
  });

  it("glob", () => {
    const t = tree(["/opt/*/subdir", "/opt2/*", "/opt3/*/subdir2/*"]);
    expect(t.match("/opt")).toBe(false);
    expect(t.match("/opt/dir/subdir")).toBe(true);
    expect(t.match("/opt/dir/subdir/file.txt")).toBe(true);
    expect(t.match("/opt3/dir/subdir2")).toBe(false);
    expect(t.match("/opt3/dir/subdir2/file.txt")).toBe(true);
  });

  it("shorter search paths replace longer ones", () => {
    const t = tree(["/var/log/messages", "/etc/", "/lib", "/usr/local/lib64", "/usr/local/new"]);
    expect(t.match("/usr/local/lib64/x")).toBe(true);
    expect(t.match("/usr/local")).toBe(false);
    t.addSearchPath("/usr/local");
    expect(t.match("/usr/local")).toBe(true);
    expect(t.match("/usr/local/other")).toBe(true);
    t.addSearchPath("/usr/local/lib64");
    expect(t.match("/usr/local")).toBe(true);
    t.addSearchPath("/usr");
    expect(t.match("/usr")).toBe(true);
    t.addSearchPath("/var");
    expect(t.match("/var/log")).toBe(true);
    t.addSearchPath("/");
    expect(t.match("/anything/at/all")).toBe(true);
  });

  it("root", () => {
    const t = tree(["/"]);
    for (const p of ["/", "/one", "/one/two", "/one/two/three"]) expect(t.match(p)).toBe(true);
  });

  // Answers of libs 0.25.4's prefix_search.h built with g++/libstdc++ 12: glob components are
  // tried in hash order and each glob that matches moves on to the next path component.
  it("glob components in libstdc++ order, as libs", () => {
    const a = tree(["/a*/x", "/ab*/y"]);
    expect([a.match("/abc/y"), a.match("/abc/x"), a.match("/ab/y"), a.match("/a/x")]).toEqual([true, false, true, true]);
    const b = tree(["/tmp/[ab]*/q", "/tmp/a*/r"]);
    expect([b.match("/tmp/aa/r"), b.match("/tmp/aa/q"), b.match("/tmp/b/q")]).toEqual([true, false, true]);
    const c = tree(["/*/x", "/*/y", "/?/z"]);
    expect([c.match("/a/z"), c.match("/a/y"), c.match("/a/x"), c.match("/ab/z")]).toEqual([true, false, false, false]);
  });
});

describe("libstdc++ unordered_map model", () => {
  // std::hash<std::string> values printed by a g++ 12 (x86_64) program
  it("hashes strings as std::hash<std::string>", () => {
    const enc = new TextEncoder();
    expect(stdHashBytes(enc.encode(""))).toBe(6142509188972423790n);
    expect(stdHashBytes(enc.encode("a"))).toBe(4993892634952068459n);
    expect(stdHashBytes(enc.encode("*"))).toBe(6637313742931709005n);
    expect(stdHashBytes(enc.encode("opt/dir/subdir"))).toBe(2337371039523982723n);
  });

  it("grows through libstdc++'s bucket counts", () => {
    const m = new StdUnorderedMap<number>();
    const seen = new Set<number>([m.bucketCount]);
    for (let i = 0; i < 3000; i++) {
      m.set(String(i), i);
      seen.add(m.bucketCount);
    }
    expect([...seen]).toEqual([1, 13, 29, 59, 127, 257, 541, 1109, 2357, 5087]);
  });
});

describe("glob and iglob (glibc fnmatch in the C locale)", () => {
  // [pattern, text, iglob, answer of glibc 2.36's fnmatch(pattern, text, iglob ? FNM_CASEFOLD : 0) == 0]
  const GLIBC: [string, string, boolean, boolean][] = [
    ["*", "/etc/passwd", false, true],
    ["/etc/*", "/etc/ssh/sshd_config", false, true],
    ["?", "é", false, false],
    ["??", "é", false, true],
    ["[a", "[a", false, true],
    ["[a", "a", false, false],
    ["[!a]b", "bb", false, true],
    ["[^a]b", "ab", false, false],
    ["[]a]", "]", false, true],
    ["[a-]", "-", false, true],
    ["[a-c]", "b", false, true],
    ["[c-a]", "b", false, false],
    ["\\*", "*", false, true],
    ["\\*", "a", false, false],
    ["a\\", "a", false, false],
    ["a\\", "a\\", false, false],
    ["[[:alpha:]]", "x", false, true],
    ["[[:alpha:]]", "1", false, false],
    ["[[:foo:]]", "f", false, false],
    ["[[:digit:][:upper:]]", "Q", false, true],
    ["[[.a.]]", "a", false, true],
    ["[[.ab.]]", "a", false, false],
    ["[[=a=]]", "a", false, true],
    ["[[=a=]]", "A", true, false],
    ["[A-Z]", "q", true, true],
    ["[a-z]", "Q", true, true],
    ["*.TXT", "file.txt", true, true],
    ["*.TXT", "file.txt", false, false],
    ["[[:upper:]]", "a", true, false],
    ["[[:lower:]]", "A", true, false],
    ["*a*b*c", "xaybzc", false, true],
    ["*a*b*c", "xaybz", false, false],
    ["a*", "a", false, true],
    ["*?*", "", false, false],
    ["", "", false, true],
    ["[\\]]", "]", false, true],
    ["[\\", "[\\", false, false],
    ["[a-\\z]", "q", false, true],
    ["[é]", "é", false, false],
    ["[é]", "éx", false, false],
    ["*[", "a[", false, true],
    ["*[b", "a[b", false, true],
    ["[!]]", "a", false, true],
    ["[*]", "*", false, true],
    ["/usr/*/bin", "/usr/local/share/bin", false, true],
    [".*", "/.x", false, false],
    ["[.]x", ".x", false, true],
  ];

  it("agrees with glibc on tricky patterns", () => {
    for (const [p, s, ci, expected] of GLIBC) expect(globMatch(p, s, ci), `${p} ~ ${s}${ci ? " (casefold)" : ""}`).toBe(expected);
  });

  it("glob operators use the value's C string", () => {
    expect(compileCheck("glob", "CHARBUF", false, ["/tmp/*"])("/tmp/x\0/etc")).toBe(true);
    expect(compileCheck("glob", "CHARBUF", false, ["*etc"])("/tmp/x\0/etc")).toBe(false);
    expect(compileCheck("iglob", "CHARBUF", false, ["*.SH"])("/tmp/run.sh")).toBe(true);
  });
});

describe("regex (RE2, POSIX syntax, whole value)", () => {
  // [pattern, text, answer of RE2 2022-06-01: RE2(pattern, RE2::POSIX), Match(text, ANCHOR_BOTH)]
  const RE2: [string, string, boolean][] = [
    ["a.*", "abc", true],
    ["^abc$", "abc", true],
    ["b", "abc", false],
    ["a\nb", "a\nb", true],
    ["a$\n^b", "a\nb", true],
    ["^b$", "a\nb", false],
    ["a.b", "a\nb", false],
    ["a[^x]b", "a\nb", true],
    ["a**", "aaa", true],
    ["a*?", "aa", true],
    ["(a|b)+", "abba", true],
    ["[[:word:]]+", "a_1", true],
    ["é.", "éa", true],
    ["...", "éab", true],
    ["[[:^alpha:]]", "1", true],
    ["\\x41", "A", true],
    ["a{2,3}", "aaaa", false],
    ["", "", true],
    ["(|a)b", "b", true],
    ["[a-c]*", "abcd", false],
    ["x*", "", true],
    ["^$", "", true],
    ["$^", "", true],
    ["a|b$", "a", true],
  ];

  it("agrees with RE2", () => {
    for (const [p, t, expected] of RE2) expect(new PosixRegex(p).fullMatch(t), `${JSON.stringify(p)} ~ ${JSON.stringify(t)}`).toBe(expected);
  });

  // filter_compiler.ut.cpp (regex): evt.source is "syscall"
  it("libs' regex checks", () => {
    const cases: [string, boolean][] = [
      ["evt.source regex '^[s]{1}ysca[l]{2}$'", true],
      ["evt.source regex 'yscal.*'", false],
      ["evt.source regex '.*yscal'", false],
      ["evt.source regex 'syscal.*'", true],
      ["evt.source regex '^unknown$'", false],
    ];
    for (const [cond, expected] of cases) {
      const { field, op, values } = parseCheck(cond);
      expect(check(field, op, values, "syscall"), cond).toBe(expected);
    }
    expect(compileCheck("regex", "CHARBUF", false, ["^[A-Z]+$"])(applyTransformer("toupper", "CHARBUF", false, "syscall"))).toBe(true);
  });

  it("matches the whole buffer, NULs inside included", () => {
    expect(compileCheck("regex", "CHARBUF", false, ["a.*"])("ab\0c")).toBe(true);
    expect(compileCheck("regex", "CHARBUF", false, ["ab"])("ab\0c")).toBe(false);
    expect(compileCheck("regex", "CHARBUF", false, ["ab"])("ab\0")).toBe(true);
  });
});

// ---- the comparison-operator-modifier vectors of the conformance file --------------------------------------

interface Case {
  kind: string;
  condition: string;
  expect_result?: boolean;
  "in_release_0.25.4": boolean;
  source: { path: string };
}
const cases: Case[] = (
  JSON.parse(readFileSync(new URL("../../../../shared/conformance/filter-parser-cases.json", import.meta.url), "utf8")) as { cases: Case[] }
).cases;

/** Evaluates a condition over fixed field values (no event model: only the listed fields). */
function evaluate(e: Expr, fields: Record<string, Scalar | Scalar[]>): boolean {
  switch (e.type) {
    case "and":
      return e.children.every((c) => evaluate(c, fields));
    case "or":
      return e.children.some((c) => evaluate(c, fields));
    case "not":
      return !evaluate(e.child, fields);
    case "binary_check": {
      const left = leftValue(e.left as FieldLike, fields);
      const values = e.right.type === "value" ? [e.right.value] : e.right.type === "list" ? e.right.values : undefined;
      if (!values) throw new Error("unsupported right side");
      return compileCheck(e.op, left.type, left.isList, values)(left.value);
    }
    default:
      throw new Error(`unsupported node ${e.type}`);
  }
}

function leftValue(node: FieldLike, fields: Record<string, Scalar | Scalar[]>): { value: Extracted; type: FieldType; isList: boolean } {
  if (node.type === "field") {
    if (!(node.name in fields)) throw new Error(`no value for ${node.name}`);
    return { value: fields[node.name], ...typeOf(node.name) };
  }
  const arg = node.values[0];
  if (node.values.length !== 1 || !arg || (arg.type !== "field" && arg.type !== "field_transformer")) throw new Error("unsupported transformer");
  const inner = leftValue(arg, fields);
  return { value: applyTransformer(node.transformer, inner.type, inner.isList, inner.value), type: inner.type, isList: inner.isList };
}

describe("operator modifiers (conformance vectors of cmp_operator_modifiers.cpp)", () => {
  const modifierCases = cases.filter((c) => c.kind === "eval" && c.source.path.endsWith("cmp_operator_modifiers.cpp") && c["in_release_0.25.4"]);

  it("evaluates every released vector like libs", () => {
    // the test's event is an execve of "/myexe": proc.name is "myexe"
    let passed = 0;
    for (const c of modifierCases) {
      const r = parseCondition(c.condition);
      expect(r.errors ?? [], c.condition).toEqual([]);
      const got = evaluate(r.ast as Expr, { "proc.name": "myexe" });
      expect(got, c.condition).toBe(c.expect_result);
      passed++;
    }
    console.log(`cmp_operator_modifiers vectors: ${passed}/${modifierCases.length} passed`);
    expect(modifierCases.length).toBeGreaterThanOrEqual(90);
  });
});

// ---- properties ----------------------------------------------------------------------------------------------

const text = fc.string({ unit: fc.constantFrom("a", "b", "A", "B", "/", ".", "*", "é", "Z", "\u{1F600}", "\uFF00", " "), maxLength: 8 });
const nulFreeText = text;
/** IPv6 constants libs can read (a '.' makes libs read the value as IPv4). */
const ipV6 = fc.ipV6().filter((s) => !s.includes("."));

describe("properties", () => {
  it("`in` is an `or` of `=` (strings, integers, addresses)", () => {
    fc.assert(
      fc.property(nulFreeText, fc.array(nulFreeText, { maxLength: 5 }), (v, set) => {
        const inSet = compileCheck("in", "CHARBUF", false, set)(v);
        expect(inSet).toBe(set.some((c) => compileCheck("=", "CHARBUF", false, [c])(v)));
        expect(compileCheck("intersects", "CHARBUF", false, set)(v)).toBe(inSet);
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }), fc.array(fc.bigInt({ min: -(1n << 64n), max: 1n << 64n }), { maxLength: 5 }), (v, set) => {
        for (const type of ["UINT64", "INT64", "UINT16", "INT8", "PORT"] as const) {
          const consts = set.map(String);
          const ok = (() => {
            try {
              return compileCheck("in", type, false, consts);
            } catch (e) {
              if (e instanceof OperatorError) return undefined;
              throw e;
            }
          })();
          if (!ok) continue;
          expect(ok(v)).toBe(consts.some((c) => compileCheck("=", type, false, [c])(v)));
        }
      }),
    );
    fc.assert(
      fc.property(fc.ipV4(), fc.array(fc.oneof(fc.ipV4(), ipV6), { maxLength: 4 }), (v, set) => {
        const value = ip(v);
        expect(compileCheck("in", "IPADDR", false, set)(value)).toBe(set.some((c) => compileCheck("=", "IPADDR", false, [c])(value)));
      }),
    );
  });

  it("`icontains` is `contains` on ASCII-lower-cased text", () => {
    const lower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
    fc.assert(
      fc.property(text, text, (v, c) => {
        expect(compileCheck("icontains", "CHARBUF", false, [c])(v)).toBe(compileCheck("contains", "CHARBUF", false, [lower(c)])(lower(v)));
      }),
    );
  });

  it("`!=` is `not =` on readable values; unreadable values fail both", () => {
    const typed: [FieldType, fc.Arbitrary<Scalar>, fc.Arbitrary<string>][] = [
      ["CHARBUF", text, nulFreeText],
      ["UINT32", fc.bigInt({ min: 0n, max: 1n << 40n }), fc.bigInt({ min: -5n, max: 1n << 33n }).map(String)],
      ["INT16", fc.bigInt({ min: -(1n << 20n), max: 1n << 20n }), fc.integer({ min: -40000, max: 40000 }).map(String)],
      ["DOUBLE", fc.double(), fc.integer().map(String)],
      ["BOOL", fc.boolean(), fc.constantFrom("true", "false")],
      ["BYTEBUF", fc.uint8Array({ maxLength: 4 }), fc.string({ maxLength: 3 })],
      ["IPADDR", fc.oneof(fc.ipV4(), fc.ipV6()).map(ip), fc.oneof(fc.ipV4(), ipV6)],
      ["IPNET", fc.oneof(fc.ipV4(), fc.ipV6()).map(ip), fc.constantFrom("10.0.0.0/8", "0.0.0.0/0", "::/1", "2001::/16")],
    ];
    for (const [type, value, constant] of typed) {
      fc.assert(
        fc.property(value, constant, (v, c) => {
          const eq = compileCheck("=", type, false, [c]);
          const ne = compileCheck("!=", type, false, [c]);
          expect(ne(v)).toBe(!eq(v));
          expect(eq(undefined)).toBe(false);
          expect(ne(undefined)).toBe(false);
        }),
      );
    }
  });

  it("string order is the order of the UTF-8 bytes (strcmp)", () => {
    // U+FF00 is EF BC 80 in UTF-8, below the F0 9F 98 80 of U+1F600 (UTF-16 says otherwise)
    expect(compileCheck("<", "CHARBUF", false, ["\u{1F600}"])("\uFF00")).toBe(true);
    expect(compileCheck(">", "CHARBUF", false, ["\uFF00"])("a\u{1F600}")).toBe(false);
    fc.assert(
      fc.property(text, text, (a, b) => {
        const byBytes = Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
        expect(compileCheck("<", "CHARBUF", false, [b])(a)).toBe(byBytes < 0);
        expect(compileCheck("<=", "CHARBUF", false, [b])(a)).toBe(byBytes <= 0);
        expect(compileCheck(">", "CHARBUF", false, [b])(a)).toBe(byBytes > 0);
        expect(compileCheck(">=", "CHARBUF", false, [b])(a)).toBe(byBytes >= 0);
      }),
      { numRuns: 1000 },
    );
  });

  it("integers are read at the field's width, as libs' flt_cast", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }), fc.bigInt({ min: 0n, max: 65535n }), (v, c) => {
        expect(compileCheck("=", "UINT16", false, [String(c)])(v)).toBe(BigInt.asUintN(16, v) === c);
        expect(compileCheck("<", "UINT16", false, [String(c)])(v)).toBe(BigInt.asUintN(16, v) < c);
        expect(compileCheck(">", "INT8", false, ["0"])(v)).toBe(BigInt.asIntN(8, v) > 0n);
      }),
    );
  });

  it("modifiers: anyof is an or, allof an and, oneof exactly one", () => {
    const ops = ["=", "!=", "contains", "startswith", "endswith", "glob", "icontains"];
    fc.assert(
      fc.property(fc.constantFrom(...ops), nulFreeText, fc.array(nulFreeText, { minLength: 1, maxLength: 4 }), (op, v, set) => {
        const each = set.map((c) => compileCheck(op, "CHARBUF", false, [c])(v));
        const n = each.filter(Boolean).length;
        expect(compileCheck(`${op} anyof`, "CHARBUF", false, set)(v)).toBe(n > 0);
        expect(compileCheck(`${op} allof`, "CHARBUF", false, set)(v)).toBe(n === set.length);
        expect(compileCheck(`${op} oneof`, "CHARBUF", false, set)(v)).toBe(n === 1);
      }),
    );
  });

  it("list fields: `in` needs every item, `intersects` one", () => {
    fc.assert(
      fc.property(fc.array(nulFreeText, { maxLength: 4 }), fc.array(nulFreeText, { maxLength: 4 }), (items, set) => {
        const member = (x: string) => set.includes(x);
        expect(compileCheck("in", "CHARBUF", true, set)(items)).toBe(items.every(member));
        expect(compileCheck("intersects", "CHARBUF", true, set)(items)).toBe(items.some(member));
      }),
    );
  });

  it("a glob without wildcards is `=`, `*x` is `endswith`", () => {
    const plain = fc.string({ unit: fc.constantFrom("a", "b", "/", ".", "é"), maxLength: 6 });
    fc.assert(
      fc.property(plain, plain, (v, c) => {
        expect(compileCheck("glob", "CHARBUF", false, [c])(v)).toBe(v === c);
        expect(compileCheck("glob", "CHARBUF", false, [`*${c}`])(v)).toBe(v.endsWith(c));
        expect(compileCheck("glob", "CHARBUF", false, [`${c}*`])(v)).toBe(v.startsWith(c));
      }),
    );
  });
});

describe("libs' edge cases", () => {
  it("strings: `=` and `contains` see C strings, `in` the whole buffer", () => {
    const v = "abc\0def";
    expect(compileCheck("=", "CHARBUF", false, ["abc"])(v)).toBe(true);
    expect(compileCheck("contains", "CHARBUF", false, ["def"])(v)).toBe(false);
    expect(compileCheck("endswith", "CHARBUF", false, ["abc"])(v)).toBe(true);
    expect(compileCheck("in", "CHARBUF", false, ["abc"])(v)).toBe(false);
    // trailing NULs are dropped for `in` (a transformed value keeps one)
    expect(compileCheck("in", "CHARBUF", false, ["abc"])("abc\0")).toBe(true);
    // ...but not for the items of a list field: a transformed list never matches
    expect(compileCheck("intersects", "CHARBUF", true, ["abc"])(["abc\0"])).toBe(false);
    expect(compileCheck("in", "CHARBUF", true, ["abc"])([])).toBe(true);
  });

  it("empty needles", () => {
    expect(compileCheck("contains", "CHARBUF", false, [""])("x")).toBe(true);
    expect(compileCheck("startswith", "CHARBUF", false, [""])("")).toBe(true);
    expect(compileCheck("bcontains", "BYTEBUF", false, [""])(new Uint8Array(0))).toBe(true);
  });

  it("doubles: integers only, -0 is not 0 for `in`", () => {
    expect(compileCheck("=", "DOUBLE", false, ["0"])(-0)).toBe(true);
    expect(compileCheck("in", "DOUBLE", false, ["0"])(-0)).toBe(false);
    expect(compileCheck("<", "DOUBLE", false, ["1"])(0.5)).toBe(true);
    expect(compileCheck("!=", "DOUBLE", false, ["1"])(Number.NaN)).toBe(true);
    expect(() => compileCheck("=", "DOUBLE", false, ["1.5"])).toThrow("1.5 is not a valid number");
  });

  it("BOOL compares as uint32", () => {
    expect(compileCheck("=", "BOOL", false, ["true"])(true)).toBe(true);
    expect(compileCheck("in", "BOOL", true, ["true"])([true, true])).toBe(true);
    expect(compileCheck("intersects", "BOOL", true, ["false"])([true])).toBe(false);
  });

  it("networks with `in` are CIDR containment; `== anyof` on a network field compares bytes", () => {
    const v = ip("10.1.2.3");
    expect(compileCheck("in", "IPNET", false, ["192.168.0.0/16", "10.0.0.0/8"])(v)).toBe(true);
    expect(compileCheck("in", "IPNET", true, ["10.0.0.0/8"])([v, ip("10.9.9.9")])).toBe(true);
    expect(compileCheck("in", "IPNET", true, ["10.0.0.0/8"])([v, ip("11.0.0.1")])).toBe(false);
    expect(compileCheck("= anyof", "IPNET", false, ["10.0.0.0/8"])(v)).toBe(false);
    expect(compileCheck("= oneof", "IPNET", false, ["10.0.0.0/8"])(v)).toBe(true);
  });

  it("a value without a length never matches `in` (libs' fd.ip)", () => {
    const v = ip("10.1.2.3");
    expect(compileCheck("in", "IPV4ADDR", false, ["10.1.2.3"])(v)).toBe(true);
    expect(compileCheck("in", "IPV4ADDR", false, ["10.1.2.3"], { unsizedValue: true })(v)).toBe(false);
    expect(compileCheck("=", "IPV4ADDR", false, ["10.1.2.3"], { unsizedValue: true })(v)).toBe(true);
  });

  it("operators libs does not have, and constants it rejects", () => {
    expect(() => parseOperator("~=")).toThrow("unrecognized filter comparison operator '~='");
    expect(() => parseOperator("= someof")).toThrow("unrecognized filter comparison modifier 'someof'");
    expect(parseOperator("== anyof")).toEqual({ op: "=", mod: "anyof" });
    expect(() => compileCheck("=", "UINT64", false, ["0x10"])).toThrow("0x10 is not a valid number");
    expect(() => compileCheck("=", "IPV4ADDR", false, ["1.2.3"])).toThrow("unrecognized IPv4 address 1.2.3");
    expect(() => compileCheck("contains", "UINT64", false, ["1"])).toThrow("'contains' operator not supported for numeric filters");
    // an IPADDR field takes addresses only; a CIDR is read as a (bad) IPv4 address
    expect(() => compileCheck("=", "IPADDR", false, ["10.0.0.0/8"])).toThrow("unrecognized IPv4 address 10.0.0.0/8");
    expect(() => compileCheck("bcontains", "CHARBUF", false, ["41"])).toThrow("'bcontains' operator not supported for string filters");
  });

  it("an empty modifier list is false", () => {
    for (const op of ["= oneof", "= anyof", "= allof", "!= oneof", "!= anyof", "!= allof"]) expect(compileCheck(op, "CHARBUF", false, [])("x")).toBe(false);
  });
});

describe("right-hand-side fields", () => {
  // filter_compiler.ut.cpp: evt.source = val(evt.source), evt.args = val(evt.args), ...
  it("compares with the other field's value", () => {
    expect(compileFieldComparison("=", "CHARBUF", false)("syscall", "syscall")).toBe(true);
    expect(compileFieldComparison("!=", "CHARBUF", false)("syscall", "syscall")).toBe(false);
    expect(compileFieldComparison("=", "ERRNO", false)(0n, 0n)).toBe(true);
    expect(compileFieldComparison("<", "UINT64", false)(1n, 2n)).toBe(true);
    expect(compileFieldComparison("contains", "CHARBUF", false)("/tmp/x", "tmp")).toBe(true);
    // a transformed right value keeps its NUL: `=` sees C strings, `in` the raw value
    const upper = applyTransformer("toupper", "CHARBUF", false, "init");
    expect(compileFieldComparison("=", "CHARBUF", false)("INIT", upper)).toBe(true);
    expect(compileFieldComparison("in", "CHARBUF", false)("INIT", upper)).toBe(false);
    expect(compileFieldComparison("in", "CHARBUF", false)("INIT", "INIT")).toBe(true);
  });

  it("addresses of different families differ", () => {
    expect(compileFieldComparison("=", "IPADDR", false)(ip("10.0.0.1"), ip("::a00:1"))).toBe(false);
    expect(compileFieldComparison("!=", "IPADDR", false)(ip("10.0.0.1"), ip("::a00:1"))).toBe(true);
    expect(compileFieldComparison("=", "IPADDR", false)(ip("::1"), ip("::1"))).toBe(true);
  });

  it("is false when either side cannot be read", () => {
    const f = compileFieldComparison("!=", "CHARBUF", false);
    expect(f(undefined, "a")).toBe(false);
    expect(f("a", undefined)).toBe(false);
  });

  it("list against list", () => {
    const f = compileFieldComparison("intersects", "CHARBUF", true);
    expect(f(["a", "b"], ["b", "c"])).toBe(true);
    expect(f(["a"], ["c"])).toBe(false);
    expect(compileFieldComparison("in", "CHARBUF", true)(["a", "b"], ["b", "a", "c"])).toBe(true);
  });

  it("rejects pmatch and regex", () => {
    expect(() => compileFieldComparison("pmatch", "CHARBUF", false)).toThrow("operator 'PMATCH' doesn't support right-hand side fields");
    expect(() => compileFieldComparison("regex", "CHARBUF", false)).toThrow("operator 'REGEX' doesn't support right-hand side fields");
  });
});

describe("speed", () => {
  it("runs simple checks at well over 1M per second", () => {
    const eq = compileCheck("=", "CHARBUF", false, ["bash"]);
    const lt = compileCheck("<", "INT64", false, ["1000"]);
    const inSet = compileCheck("in", "CHARBUF", false, ["sh", "bash", "zsh", "dash", "ksh"]);
    const sw = compileCheck("startswith", "CHARBUF", false, ["/etc/"]);
    const names = ["bash", "sh", "python3", "node"];
    const n = 1_000_000;
    let hits = 0;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const name = names[i & 3]!;
      if (eq(name)) hits++;
      if (lt(BigInt(i & 2047))) hits++;
      if (inSet(name)) hits++;
      if (sw(i & 1 ? "/etc/passwd" : "/tmp/x")) hits++;
    }
    const ms = performance.now() - t0;
    const perSecond = (4 * n) / (ms / 1000);
    console.log(`simple checks: ${(perSecond / 1e6).toFixed(1)}M/s (${hits} hits)`);
    expect(perSecond).toBeGreaterThan(1e6);
  });
});
