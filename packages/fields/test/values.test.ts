import { describe, expect, it } from "vitest";
import { parseFilterValue, parseIPv4, parseIPv6, parseLibsInt, re2PosixSyntaxError, unhex, type FieldType } from "../src/index.js";

/* Constant parsing per field type, as libs' sinsp_filter_value_parser; RE2 POSIX syntax errors. */

const result = (type: FieldType, v: string): string => {
  const r = parseFilterValue(type, v);
  if (!r.ok) return `error: ${r.error}`;
  const x = r.value;
  switch (x.kind) {
    case "int":
      return `${x.value}`;
    case "ip":
      return x.value.join(x.value.length === 4 ? "." : ",");
    case "net":
      return `${x.value.join(x.value.length === 4 ? "." : ",")}/${x.prefix}`;
    case "bytes":
      return `bytes ${x.value.length}`;
    default:
      return String(x.value);
  }
};

describe("parseFilterValue", () => {
  const cases: [FieldType, string, string][] = [
    ["INT64", "12", "12"],
    ["INT64", " -3", "-3"],
    ["INT64", "+7", "7"],
    ["INT64", "0x10", "error: 0x10 is not a valid number"],
    ["INT64", "1.5", "error: 1.5 is not a valid number"],
    ["INT64", "1e+5", "error: 1e+5 is not a valid number"],
    ["INT64", "3 ", "error: 3  is not a valid number"],
    ["INT64", "", "error:  is not a valid number"],
    ["UINT32", "-1", "4294967295"],
    ["UINT64", "-1", "18446744073709551615"],
    ["INT16", "70000", "4464"],
    ["UINT8", "300", "44"],
    ["DOUBLE", "2", "2"],
    ["DOUBLE", "1.0", "error: 1.0 is not a valid number"],
    ["BOOL", "true", "true"],
    ["BOOL", "false", "false"],
    ["BOOL", "1", "error: filter error: unrecognized boolean value 1"],
    ["PORT", "443", "443"],
    ["PORT", "http", "80"],
    ["PORT", "ssh", "22"],
    ["PORT", "", "0"],
    ["PORT", "nosuchservice", "error: unrecognized protocol nosuchservice"],
    ["IPADDR", "127.0.0.1", "127.0.0.1"],
    ["IPADDR", "127.0.0.01", "error: unrecognized IPv4 address 127.0.0.01"],
    ["IPADDR", "1.2.3", "error: unrecognized IPv4 address 1.2.3"],
    ["IPADDR", "::1", "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1"],
    ["IPADDR", "abc", "error: unrecognized IPv6 address abc"],
    ["IPNET", "10.0.0.0/8", "10.0.0.0/8"],
    ["IPNET", "10.0.0.0", "error: unrecognized IP network 10.0.0.0"],
    ["IPNET", "10.0.0/8", "error: unrecognized IP address 10.0.0/8"],
    ["IPNET", "10.0.0.0/33", "error: invalid netmask 33"],
    ["IPNET", "10.0.0.0/x", "error: x is not a valid number"],
    ["IPNET", "2001:db8::/32", "32,1,13,184,0,0,0,0,0,0,0,0,0,0,0,0/32"],
    ["IPNET", "2001:db8::", "error: invalid v6 netmask: 2001:db8::"],
    ["IPNET", "2001:db8::/0", "error: invalid v6 netmask 0"],
    ["IPNET", "zz::/8", "error: unrecognized IPv6 address zz::/8"],
    ["CHARBUF", "hello", "hello"],
    ["CHARBUF", "a".repeat(255), "a".repeat(255)],
    ["CHARBUF", "a".repeat(256), `error: filter parameter too long (used=257, available=256):${"a".repeat(256)}`],
    ["BYTEBUF", "a".repeat(255), "bytes 255"],
    ["BYTEBUF", "a".repeat(256), "error: filter parameter too long (byte buf)"],
    ["SOCKTUPLE", "x", "x"],
    ["SYSCALLID", "1", "error: wrong parameter type 18"],
  ];
  for (const [type, v, want] of cases) it(`${type} ${JSON.stringify(v.length > 20 ? v.slice(0, 20) + "..." : v)}`, () => expect(result(type, v)).toBe(want));

  it("unhex", () => {
    expect(unhex("12ab001fc5")).toEqual(Uint8Array.from([0x12, 0xab, 0x00, 0x1f, 0xc5]));
    expect(unhex("")).toEqual(new Uint8Array(0));
    expect(unhex("123")).toBeUndefined();
    expect(unhex("zz")).toBeUndefined();
  });

  it("numbers and addresses", () => {
    expect(parseLibsInt("99999999999999999999", "int64")).toBe((1n << 63n) - 1n);
    expect(parseLibsInt("-", "int32")).toBeUndefined();
    expect(parseIPv4("255.255.255.255")).toEqual(Uint8Array.from([255, 255, 255, 255]));
    expect(parseIPv4("256.0.0.1")).toBeUndefined();
    expect(parseIPv4("1.2.3.4.5")).toBeUndefined();
    expect(parseIPv6("::ffff:1.2.3.4")?.slice(10)).toEqual(Uint8Array.from([255, 255, 1, 2, 3, 4]));
    expect(parseIPv6("1:2:3:4:5:6:7:8")).toBeDefined();
    expect(parseIPv6("1:2:3:4:5:6:7:8:9")).toBeUndefined();
    expect(parseIPv6("1::2::3")).toBeUndefined();
    expect(parseIPv6(":1::")).toBeUndefined();
    expect(parseIPv6("1:")).toBeUndefined();
    expect(parseIPv6("12345::")).toBeUndefined();
    expect(parseIPv6("::")).toEqual(new Uint8Array(16));
  });
});

describe("re2PosixSyntaxError", () => {
  const cases: [string, string | undefined][] = [
    ["/home/.*/dev", undefined],
    ["^syscall$", undefined],
    ["a**", undefined],
    ["a{2}{3}", undefined],
    ["[[:alpha:]_-]+", undefined],
    ["[^]a]", undefined],
    ["a{,5}", undefined],
    ["\\.\\-\\_", undefined],
    ["\\x41\\x{263a}\\101", undefined],
    ["(abc", "missing ): (abc"],
    ["abc)", "unexpected ): abc)"],
    ["*a", "no argument for repetition operator: *"],
    ["a|*", "no argument for repetition operator: *"],
    ["(*)", "no argument for repetition operator: *"],
    ["(?i)abc", "no argument for repetition operator: ?"],
    ["(?:abc)", "no argument for repetition operator: ?"],
    ["{2}", "no argument for repetition operator: {2}"],
    ["a{1001}", "invalid repetition size: {1001}"],
    ["a{3,2}", "invalid repetition size: {3,2}"],
    ["((a{10}){10}){11}", "invalid repetition size: {11}"],
    ["\\d+", "invalid escape sequence: \\d"],
    ["\\bword\\b", "invalid escape sequence: \\b"],
    ["\\pL", "invalid escape sequence: \\p"],
    ["\\Qa.b\\E", "invalid escape sequence: \\Q"],
    ["\\1", "invalid escape sequence: \\1"],
    ["\\8", "invalid escape sequence: \\8"],
    ["\\xZ1", "invalid escape sequence: \\xZ1"],
    ["\\x{zz}", "invalid escape sequence: \\x{z"],
    ["abc\\", "trailing \\"],
    ["[abc", "missing ]: [abc"],
    ["[]", "missing ]: []"],
    ["x[z-a]", "invalid character class range: z-a"],
    ["[a-b-c]", "invalid character class range: -c"],
    ["[[:foo:]]", "invalid character class range: [:foo:]"],
    ["[\\d]", "invalid escape sequence: \\d"],
    ["[a-", "invalid UTF-8"],
  ];
  for (const [re, want] of cases) it(JSON.stringify(re), () => expect(re2PosixSyntaxError(re)).toBe(want));
});
