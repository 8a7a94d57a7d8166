// fd.cip.name, fd.sip.name, fd.lip.name, fd.rip.name: libs' DNS manager semantics (see
// src/syscall/dns.ts) against the resolver table of a syscall fixture's `dns:` section or of the
// source's options, and upstream's "Contact K8S API Server From Container" on its fixtures.
import { readFileSync } from "node:fs";
import { fixtureAlerts, upstreamSyscallRules } from "./upstream-replay.js";
import { describe, expect, it } from "vitest";
import { parseCondition } from "@falcokit/condition";
import { compileFilter, loadRules } from "@falcokit/engine";
import { defaultCatalogs } from "@falcokit/fields";
import { Inspector, type EventContext } from "@falcokit/scap";
import {
  OperatorError,
  Ruleset,
  SyscallEventSource,
  alertsFor,
  compilePredicate,
  dnsCachedNames,
  dnsTable,
  extractSyscallField,
  readSyscallFixture,
  resolveName,
  syscallFixtureRecords,
  type Alert,
  type SyscallFixtureRecord,
} from "../src/index.js";

const syscall = defaultCatalogs().get("syscall")!;
const REPO = new URL("../../../", import.meta.url);

const HOST = `
hostname: node-1
interfaces: [{name: eth0, addr: 10.0.0.5/24}, {name: eth0, addr: "fd00::5/64"}]
processes:
  - {pid: 100, comm: curl, exe: /usr/bin/curl}
  - {pid: 200, comm: srv, exe: /usr/bin/srv}
`;

const DNS = `
dns:
  api.example.com: [203.0.113.10, "2001:db8::10"]
  v6only.example.com: ["2001:db8::20"]
  node-1.local: [10.0.0.5]
  alias-a.example: 198.51.100.7
  alias-b.example: [198.51.100.7]
  empty.example: []
`;

const EVENTS = `
events:
  - {pid: 100, syscall: connect, fd: 3, tuple: "10.0.0.5:40000->203.0.113.10:443"}
  - {pid: 100, syscall: connect, fd: 4, tuple: "[fd00::5]:40001->[2001:db8::10]:443"}
  - {pid: 100, syscall: connect, fd: 5, tuple: "10.0.0.5:40002->198.51.100.7:80"}
  - {pid: 100, syscall: connect, fd: 6, tuple: "[fd00::5]:40003->[::ffff:203.0.113.10]:443"}
  - {pid: 100, syscall: openat, path: /etc/hosts, flags: [O_RDONLY]}
  - {pid: 200, syscall: accept, tuple: "203.0.113.10:5555->10.0.0.5:9090"}
  - {pid: 100, syscall: write, fd: 3, size: 10, time: +30m}
  - {pid: 100, syscall: write, fd: 3, size: 10, time: +61m}
  - {pid: 100, syscall: clone, child: 101}
`;

/** One replay of a fixture, fed event by event (contexts are live: check before moving on). */
class Replay {
  readonly inspector = new Inspector();
  private readonly records: SyscallFixtureRecord[];
  private at = 0;

  constructor(
    text: string,
    readonly source = new SyscallEventSource(syscall),
  ) {
    const { fixture, problems } = readSyscallFixture(text);
    expect(problems).toEqual([]);
    this.records = syscallFixtureRecords(fixture);
  }

  /** Feeds records up to the next event of type `type` (on fd name `fd`, when given). */
  to(type: string, fd?: string): EventContext {
    while (this.at < this.records.length) {
      const ctx = this.inspector.feed(this.records[this.at++]!);
      if (!ctx) continue;
      if (extractSyscallField(ctx, "evt.type") !== type) continue;
      if (fd !== undefined && extractSyscallField(ctx, "fd.name") !== fd) continue;
      return ctx;
    }
    return expect.fail(`no ${type} event${fd ? ` on ${fd}` : ""} left`);
  }

  /** A condition compiled on its own (as a rule of its own) and evaluated on `ctx`. */
  check(condition: string, ctx: EventContext): boolean {
    const parsed = parseCondition(condition);
    expect(parsed.errors).toEqual([]);
    expect(compileFilter(parsed.ast!, syscall).error).toBeUndefined();
    return compilePredicate(parsed.ast!, this.source)(ctx);
  }

  names(): string[] {
    return dnsCachedNames(this.inspector);
  }
}

const V4_API = "10.0.0.5:40000->203.0.113.10:443";
const V6_API = "fd00::5:40001->2001:db8::10:443";
const V4_ALIAS = "10.0.0.5:40002->198.51.100.7:80";
const V4_MAPPED = "fd00::5:40003->::ffff:203.0.113.10:443";
const ACCEPTED = "203.0.113.10:5555->10.0.0.5:9090";

const withDns = () => new Replay(HOST + DNS + EVENTS);

describe("fd.*ip.name against a fixture's dns table", () => {
  it("the fixture events reach the sockets the tests expect", () => {
    const r = withDns();
    const ctx = r.to("connect", V4_API);
    expect(extractSyscallField(ctx, "fd.sip")).toEqual(Uint8Array.of(203, 0, 113, 10));
    expect(extractSyscallField(r.to("connect", V6_API), "fd.typechar")).toBe("6");
    expect(extractSyscallField(r.to("accept", ACCEPTED), "fd.cip")).toEqual(Uint8Array.of(203, 0, 113, 10));
  });

  it("has no text value before a comparison has resolved a name (no reverse lookup)", () => {
    const r = withDns();
    const ctx = r.to("connect", V4_API);
    for (const f of ["fd.cip.name", "fd.sip.name", "fd.lip.name", "fd.rip.name"]) expect(extractSyscallField(ctx, f)).toBeUndefined();
    expect(r.names()).toEqual([]);
  });

  it("= holds when the name resolves to the address; the name then becomes the text value", () => {
    const r = withDns();
    const ctx = r.to("connect", V4_API);
    expect(r.check("fd.sip.name = api.example.com", ctx)).toBe(true);
    expect(extractSyscallField(ctx, "fd.sip.name")).toBe("api.example.com");
    expect(extractSyscallField(ctx, "fd.rip.name")).toBe("api.example.com");
    // the client end is 10.0.0.5, whose name no comparison asked about yet
    expect(extractSyscallField(ctx, "fd.cip.name")).toBeUndefined();
    expect(r.check("fd.cip.name = node-1.local", ctx)).toBe(true);
    expect(extractSyscallField(ctx, "fd.cip.name")).toBe("node-1.local");
    expect(extractSyscallField(ctx, "fd.lip.name")).toBe("node-1.local");
    expect(r.names()).toEqual(["api.example.com", "node-1.local"]);
  });

  it("= is false for a name not in the table, an empty entry, or another address's name", () => {
    const r = withDns();
    const ctx = r.to("connect", V4_API);
    expect(r.check("fd.sip.name = unknown.example.com", ctx)).toBe(false);
    expect(r.check("fd.sip.name = empty.example", ctx)).toBe(false);
    expect(r.check("fd.sip.name = node-1.local", ctx)).toBe(false);
    expect(extractSyscallField(ctx, "fd.sip.name")).toBeUndefined();
    // failed lookups are cached too, and node-1.local is now the client end's name...
    expect(r.names()).toEqual(["unknown.example.com", "empty.example", "node-1.local"]);
    // ...so this compares the text "node-1.local" without asking the resolver
    expect(r.check("fd.cip.name = api.example.com", ctx)).toBe(false);
    expect(r.names()).toEqual(["unknown.example.com", "empty.example", "node-1.local"]);
    expect(r.check("fd.cip.name = node-1.local", ctx)).toBe(true);
  });

  it("!= holds when the name does not resolve to the address", () => {
    const r = withDns();
    const ctx = r.to("connect", V4_API);
    expect(r.check("fd.sip.name != unknown.example.com", ctx)).toBe(true);
    expect(r.check("fd.sip.name != api.example.com", ctx)).toBe(false);
    expect(r.check("not fd.sip.name = api.example.com", ctx)).toBe(false);
  });

  it("!= compares the text once a name is known for the address", () => {
    const r = withDns();
    const ctx = r.to("connect", V4_API);
    expect(r.check("fd.sip.name = api.example.com", ctx)).toBe(true);
    expect(r.check("fd.sip.name != unknown.example.com", ctx)).toBe(true);
    expect(r.check("fd.sip.name != api.example.com", ctx)).toBe(false);
  });

  it("in holds when any name resolves to the address, asking names in order until one does", () => {
    const r = withDns();
    const ctx = r.to("connect", V4_API);
    expect(r.check("fd.sip.name in (unknown.example.com, node-1.local)", ctx)).toBe(false);
    expect(r.check("fd.sip.name in (unknown.example.com, api.example.com, alias-a.example)", ctx)).toBe(true);
    expect(r.names()).toEqual(["unknown.example.com", "node-1.local", "api.example.com"]);
    // with a name known, in is set membership of the text
    expect(r.check("fd.sip.name in (x.example, api.example.com)", ctx)).toBe(true);
    expect(r.check("fd.sip.name in (x.example, y.example)", ctx)).toBe(false);
  });

  it("matches IPv6 sockets against the IPv6 addresses of a name, IPv4 sockets against IPv4 ones", () => {
    const r = withDns();
    const v4 = r.to("connect", V4_API);
    expect(r.check("fd.sip.name = v6only.example.com", v4)).toBe(false);
    const v6 = r.to("connect", V6_API);
    expect(r.check("fd.sip.name = v6only.example.com", v6)).toBe(false);
    expect(r.check("fd.sip.name = api.example.com", v6)).toBe(true);
    expect(extractSyscallField(v6, "fd.sip.name")).toBe("api.example.com");
    expect(extractSyscallField(v6, "fd.cip.name")).toBeUndefined();
    // a v4-mapped IPv6 address is not the IPv4 address
    const mapped = r.to("connect", V4_MAPPED);
    expect(extractSyscallField(mapped, "fd.sip.name")).toBeUndefined();
    expect(r.check("fd.sip.name = api.example.com", mapped)).toBe(false);
    expect(r.check("fd.sip.name != api.example.com", mapped)).toBe(true);
  });

  it("fd.lip.name and fd.rip.name follow the local end: an accepted connection from a remote client", () => {
    const r = withDns();
    const ctx = r.to("accept", ACCEPTED);
    expect(r.check("fd.rip.name = api.example.com", ctx)).toBe(true);
    expect(r.check("fd.lip.name = api.example.com", ctx)).toBe(false);
    expect(r.check("fd.lip.name = node-1.local", ctx)).toBe(true);
    expect(r.check("fd.cip.name = api.example.com", ctx)).toBe(true);
    expect(r.check("fd.sip.name = node-1.local", ctx)).toBe(true);
    expect(extractSyscallField(ctx, "fd.rip.name")).toBe("api.example.com");
    expect(extractSyscallField(ctx, "fd.lip.name")).toBe("node-1.local");
  });

  it("resolves names ignoring case, but keeps the spelling first asked about as the text", () => {
    const r = withDns();
    const ctx = r.to("connect", V4_API);
    expect(r.check('fd.sip.name = "API.Example.COM"', ctx)).toBe(true);
    expect(extractSyscallField(ctx, "fd.sip.name")).toBe("API.Example.COM");
    // the other spelling now meets the cached text, not the resolver
    expect(r.check("fd.sip.name = api.example.com", ctx)).toBe(false);
  });

  it("a second name of an address stops matching once the first is known", () => {
    const r = withDns();
    const ctx = r.to("connect", V4_ALIAS);
    expect(r.check("fd.sip.name = alias-a.example", ctx)).toBe(true);
    expect(r.check("fd.sip.name = alias-b.example", ctx)).toBe(false);
    expect(extractSyscallField(ctx, "fd.sip.name")).toBe("alias-a.example");
    const fresh = withDns();
    expect(fresh.check("fd.sip.name = alias-b.example", fresh.to("connect", V4_ALIAS))).toBe(true);
  });

  it("a numeric address stands for itself, as with getaddrinfo", () => {
    const r = withDns();
    const ctx = r.to("connect", V4_API);
    expect(r.check('fd.sip.name = "203.0.113.11"', ctx)).toBe(false);
    expect(r.check('fd.sip.name = "203.0.113.10"', ctx)).toBe(true);
    expect(extractSyscallField(ctx, "fd.sip.name")).toBe("203.0.113.10");
    expect(resolveName(new Map(), String(203 * 2 ** 24 + 113 * 256 + 10)).v4).toEqual([Uint8Array.of(203, 0, 113, 10)]);
    expect(resolveName(new Map(), "0xcb.0.113.012").v4).toEqual([Uint8Array.of(203, 0, 113, 10)]);
    expect(resolveName(new Map(), "2001:db8::10").v6).toEqual([Uint8Array.of(0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10)]);
    expect(resolveName(new Map(), "203.0.113.256")).toEqual({ v4: [], v6: [] });
  });

  it("other operators compare the text when a name is known", () => {
    const r = withDns();
    const ctx = r.to("connect", V4_API);
    expect(r.check("fd.sip.name = api.example.com", ctx)).toBe(true);
    expect(r.check("fd.sip.name contains example", ctx)).toBe(true);
    expect(r.check("fd.sip.name contains nothere", ctx)).toBe(false);
    expect(r.check("fd.sip.name startswith api.", ctx)).toBe(true);
    expect(r.check('fd.sip.name glob "*.example.com"', ctx)).toBe(true);
    expect(r.check("fd.sip.name endswith .org", ctx)).toBe(false);
    expect(r.check("fd.sip.name exists", ctx)).toBe(true);
  });

  it("other operators throw libs' error when no name is known for an IP socket", () => {
    const r = withDns();
    const ctx = r.to("connect", V4_API);
    const message = "filter error: fd.*ip.name filter only supports '=' and '!=' operators";
    expect(() => r.check("fd.sip.name contains example", ctx)).toThrow(message);
    expect(() => r.check("fd.cip.name startswith node", ctx)).toThrow(OperatorError);
    expect(() => r.check('fd.rip.name glob "*"', ctx)).toThrow(message);
    expect(() => r.check("fd.sip.name intersects (api.example.com)", ctx)).toThrow(message);
    // the operator is only looked at when the resolver is asked: a file fd is simply false
    const file = r.to("openat", "/etc/hosts");
    expect(r.check("fd.sip.name contains example", file)).toBe(false);
  });

  it("exists holds on any event with an fd, even a file; nothing holds without one", () => {
    const r = withDns();
    const sock = r.to("connect", V4_API);
    expect(r.check("fd.sip.name exists", sock)).toBe(true);
    expect(r.check("fd.cip.name exists", sock)).toBe(true);
    const file = r.to("openat", "/etc/hosts");
    expect(r.check("fd.sip.name exists", file)).toBe(true);
    expect(r.check("fd.sip.name = api.example.com", file)).toBe(false);
    expect(r.check("fd.sip.name != api.example.com", file)).toBe(false);
    expect(extractSyscallField(file, "fd.sip.name")).toBeUndefined();
    const clone = r.to("clone");
    expect(r.check("fd.sip.name exists", clone)).toBe(false);
    expect(r.check("fd.sip.name != api.example.com", clone)).toBe(false);
    expect(r.check("fd.sip.name contains x", clone)).toBe(false);
  });

  it("within one rule, every check of the field sees the extraction of the first one", () => {
    const r = withDns();
    const ctx = r.to("connect", V4_API);
    // the second check still sees "no value" and asks the resolver, which rejects contains
    expect(() => r.check("fd.sip.name = api.example.com and fd.sip.name contains example", ctx)).toThrow("only supports");
    // a rule of its own extracts afresh
    expect(r.check("fd.sip.name contains example", ctx)).toBe(true);

    const a = withDns();
    const alias = a.to("connect", V4_ALIAS);
    expect(a.check("fd.sip.name = alias-a.example and fd.sip.name = alias-b.example", alias)).toBe(true);
    expect(a.check("fd.sip.name = alias-b.example", alias)).toBe(false);
  });

  it("forgets a name unused for more than an hour of event time", () => {
    const r = withDns();
    const ctx = r.to("connect", V4_API);
    expect(r.check("fd.sip.name = api.example.com", ctx)).toBe(true);
    const later = r.to("write", V4_API); // 30 minutes later
    expect(extractSyscallField(later, "fd.sip.name")).toBe("api.example.com");
    const after = r.to("write", V4_API); // 61 minutes after that
    expect(r.names()).toEqual(["api.example.com"]);
    expect(extractSyscallField(after, "fd.sip.name")).toBeUndefined();
    expect(r.names()).toEqual([]);
  });

  it("renders the text value in outputs, <NA> before the name is known", () => {
    const rules = `
- rule: to api
  desc: d
  condition: evt.type = connect and fd.sip.name in (api.example.com, alias-a.example)
  output: "srv=%fd.sip.name cli=%fd.cip.name"
  priority: WARNING
- rule: any connect
  desc: d
  condition: evt.type = connect
  output: "srv=%fd.sip.name"
  priority: NOTICE
`;
    const load = loadRules([{ name: "r.yaml", text: rules }]);
    const ruleset = Ruleset.build(load, "syscall", new SyscallEventSource(load.catalogs.get("syscall")!));
    expect(ruleset.problems).toEqual([]);
    const r = withDns();
    const out: string[] = [];
    for (const tuple of [V4_API, V6_API, V4_ALIAS]) {
      const ctx = r.to("connect", tuple);
      for (const a of alertsFor(ruleset, ctx, [ctx.event.type], ctx.event.ts, ctx.num, "all")) out.push(`${a.rule}: ${a.output}`);
    }
    expect(out).toEqual([
      "to api: srv=api.example.com cli=<NA>",
      "any connect: srv=api.example.com",
      // the IPv6 address of the name cached on the IPv4 connect
      "to api: srv=api.example.com cli=<NA>",
      "any connect: srv=api.example.com",
      "to api: srv=alias-a.example cli=<NA>",
      "any connect: srv=alias-a.example",
    ]);
  });
});

describe("the resolver table", () => {
  it("resolves nothing without a dns section or a table", () => {
    const r = new Replay(HOST + EVENTS);
    const ctx = r.to("connect", V4_API);
    expect(r.check("fd.sip.name = api.example.com", ctx)).toBe(false);
    expect(r.check("fd.sip.name != api.example.com", ctx)).toBe(true);
    expect(extractSyscallField(ctx, "fd.sip.name")).toBeUndefined();
  });

  it("takes the source's table for events that bring none (captures)", () => {
    const source = new SyscallEventSource(syscall, { dns: dnsTable({ "api.example.com": ["203.0.113.10"], "db.example.com": ["2001:db8::10"] }) });
    const r = new Replay(HOST + EVENTS, source);
    expect(r.check("fd.sip.name = api.example.com", r.to("connect", V4_API))).toBe(true);
    expect(r.check("fd.sip.name = db.example.com", r.to("connect", V6_API))).toBe(true);
  });

  it("prefers the fixture's table to the source's", () => {
    const source = new SyscallEventSource(syscall, { dns: dnsTable({ "api.example.com": ["192.0.2.1"], "other.example": ["203.0.113.10"] }) });
    const r = new Replay(HOST + DNS + EVENTS, source);
    const ctx = r.to("connect", V4_API);
    expect(r.check("fd.sip.name = other.example", ctx)).toBe(false);
    expect(r.check("fd.sip.name = api.example.com", ctx)).toBe(true);
  });

  it("dnsTable reads text addresses and rejects others", () => {
    const t = dnsTable([["a.example", ["10.0.0.1", "::1"]]]);
    expect(t.get("a.example")).toEqual([Uint8Array.of(10, 0, 0, 1), Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)]);
    expect(() => dnsTable({ "a.example": ["10.0.0.300"] })).toThrow("'10.0.0.300' is not an IPv4 or IPv6 address");
  });

  it("reports the problems of a dns section", () => {
    const problems = (text: string) => readSyscallFixture(text).problems.map((p) => `${p.line}:${p.column}: ${p.message}`);
    expect(problems("dns:\n  a.example: [10.0.0.1, nope]\n")).toEqual(["2:25: dns: a.example: 'nope' is not an IPv4 or IPv6 address"]);
    expect(problems("dns:\n  a.example: 10.0.0.1\n  A.Example: [10.0.0.2]\n")).toEqual(["3:3: dns: 'A.Example' is listed twice (as 'a.example'; names ignore case)"]);
    expect(problems('dns:\n  "10.0.0.1": [10.0.0.1]\n')).toEqual(["2:3: dns: '10.0.0.1' is an address, which resolves to itself; give host names"]);
    expect(problems("dns: [a.example]\n")).toEqual(["1:6: dns must be a map from host names to addresses"]);
    expect(problems("dns:\n  a.example:\n")).toEqual(["2:13: dns: a.example: give an address or a list of addresses"]);
    expect(problems("dns:\n  a.example: []\n  b.example: 10.0.0.1\n")).toEqual([]);
  });

  it("puts the table on every event record of the fixture, and on none without the section", () => {
    const recs = (text: string) => syscallFixtureRecords(readSyscallFixture(text).fixture).filter((r) => r.kind === "event");
    const withTable = recs(HOST + DNS + EVENTS);
    expect(withTable.length).toBeGreaterThan(5);
    expect(withTable.every((r) => "dns" in r && r.dns?.get("api.example.com")?.length === 2)).toBe(true);
    expect(recs(HOST + EVENTS).some((r) => "dns" in r)).toBe(false);
  });
});

describe("upstream Contact K8S API Server From Container", () => {
  const { ruleset } = upstreamSyscallRules();
  const alerts = (text: string): Alert[] => fixtureAlerts(ruleset, text);
  const fixture = (name: string) => readFileSync(new URL(`fixtures/upstream/${name}`, REPO), "utf8");
  const firing = fixture("contact-k8s-api-server-from-container.syscalls.yaml");
  const nearMiss = fixture("contact-k8s-api-server-from-container.near-miss.syscalls.yaml");

  it("fires once, on the connect to the API server's cluster IP", () => {
    const a = alerts(firing);
    expect(a.map((x) => x.rule)).toEqual(["Contact K8S API Server From Container"]);
    expect(a[0]!.output).toContain("connection=10.42.1.17:52866->10.96.0.1:443");
  });

  it("does not fire without the dns section: the name then resolves to nothing", () => {
    const noDns = firing.replace(/^dns:\n(?: {2}.*\n)+/m, "");
    expect(noDns).not.toContain("kubernetes.default.svc.cluster.local: [");
    expect(alerts(noDns)).toEqual([]);
  });

  it("does not fire for Prometheus, on the k8s_containers list, but would for another image", () => {
    expect(alerts(nearMiss)).toEqual([]);
    const other = nearMiss.replace("image: quay.io/prometheus/prometheus:v2.53.1", "image: registry.example.com/mon/prometheus:v2.53.1");
    expect(alerts(other).map((x) => x.rule)).toEqual(["Contact K8S API Server From Container"]);
  });
});
