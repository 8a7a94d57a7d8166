// Cutting captures down to syscall fixtures: the fixture replays to the alerts the capture raises
// on the selected events (same rules, same output text, same times), for real captures of the
// corpus and for the repository's own syscall fixtures taken as captures.
import { readdirSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadRules } from "@falcokit/engine";
import { defaultCatalogs } from "@falcokit/fields";
import { Inspector, isGzip, readScap, type EventContext, type ScapRecord } from "@falcokit/scap";
import { relativeTime, writeSyscallFixture, yamlString, type FixtureWriteOptions, type FixtureWriteResult } from "../src/fixture-writer.js";
import { Ruleset, SyscallEventSource, alertsFor, compilePredicate, readSyscallFixture, syscallFixtureRecords } from "../src/index.js";

const SHARED = new URL("../../../../shared/corpus/", import.meta.url);
const REPO = new URL("../../../", import.meta.url);
const CATALOG = defaultCatalogs().get("syscall")!;

const captures = new Map<string, ScapRecord[]>();
/** The records of a corpus capture (read from the corpus, never copied). */
function capture(path: string): ScapRecord[] {
  let records = captures.get(path);
  if (!records) {
    let bytes: Uint8Array = readFileSync(new URL(`captures/${path}`, SHARED));
    if (isGzip(bytes)) bytes = gunzipSync(bytes);
    records = readScap(bytes).records;
    captures.set(path, records);
  }
  return records;
}

const rulesText = (path: string): string => readFileSync(new URL(`rules/${path}`, SHARED), "utf8");

function loaded(rules: readonly { name: string; text: string }[]) {
  const load = loadRules(rules, {});
  expect(load.files.flatMap((f) => f.diagnostics.filter((d) => d.severity === "error"))).toEqual([]);
  return load;
}

/** A filter as the fixture command compiles it: a condition of the syscall source, no check memo. */
function filterOf(condition: string): (ctx: EventContext) => boolean {
  const load = loaded([{ name: "filter", text: `- rule: filter\n  desc: d\n  condition: ${JSON.stringify(condition)}\n  output: o\n  priority: DEBUG\n` }]);
  return compilePredicate(load.compiled!.rules[0]!.ast, new SyscallEventSource(load.catalogs.get("syscall")!));
}

/** Alerts as `replay` prints them (time, rule, output), for the events `keep` accepts. */
function alertsOf(records: Iterable<ScapRecord>, rules: readonly { name: string; text: string }[], keep: (ctx: EventContext) => boolean = () => true, matching: "first" | "all" = "first"): string[] {
  const load = loaded(rules);
  const ruleset = Ruleset.build(load, "syscall", new SyscallEventSource(load.catalogs.get("syscall")!));
  const inspector = new Inspector();
  const out: string[] = [];
  for (const rec of records) {
    const ctx = inspector.feed(rec);
    if (!ctx || !keep(ctx)) continue;
    for (const a of alertsFor(ruleset, ctx, [ctx.event.type], ctx.event.ts, ctx.num, matching)) out.push(`${a.time} ${a.priority} [${a.rule}] ${a.output}`);
  }
  return out;
}

/** The fixture's records (it must read without a problem). */
function fixtureRecords(text: string): ScapRecord[] {
  const read = readSyscallFixture(text);
  expect(read.problems).toEqual([]);
  return syscallFixtureRecords(read.fixture) as ScapRecord[];
}

async function cut(records: readonly ScapRecord[], options: Partial<FixtureWriteOptions>): Promise<FixtureWriteResult> {
  return writeSyscallFixture(() => records, { pids: [], descendants: true, catalog: CATALOG, ...options });
}

/** Alerts of the capture on the selected events, and of the fixture. */
function both(records: readonly ScapRecord[], result: FixtureWriteResult, rules: readonly { name: string; text: string }[], matching: "first" | "all" = "first") {
  const nums = new Set(result.captureEventNumbers);
  return {
    capture: alertsOf(records, rules, (ctx) => nums.has(ctx.num), matching),
    fixture: alertsOf(fixtureRecords(result.text), rules, () => true, matching),
  };
}

/** The lines of the events section. */
const eventLines = (text: string): string[] => {
  const lines = text.split("\n");
  return lines.slice(lines.indexOf("events:") + 1).filter((l) => l.startsWith("  - {"));
};

describe("cutting cat_write.scap to the cat process", () => {
  const rules = [{ name: "single_rule.yaml", text: rulesText("falco-tests/rules/single_rule.yaml") }];

  it("by pid: the fixture raises the capture's open_from_cat alerts, same times and output", async () => {
    const records = capture("falco/cat_write.scap");
    const result = await cut(records, { pids: [20072n] });
    const { capture: expected, fixture } = both(records, result, rules);
    expect(expected).toEqual([
      "2016-08-04T16:17:57.881785348Z Warning [open_from_cat] An open was seen (command=cat /dev/null)",
      "2016-08-04T16:17:57.881799840Z Warning [open_from_cat] An open was seen (command=cat /dev/null)",
      "2016-08-04T16:17:57.882008208Z Warning [open_from_cat] An open was seen (command=cat /dev/null)",
      "2016-08-04T16:17:57.882054739Z Warning [open_from_cat] An open was seen (command=cat /dev/null)",
    ]);
    expect(fixture).toEqual(expected);
    // all the capture's alerts are cat's
    expect(alertsOf(records, rules)).toEqual(expected);
    expect(result.selected).toBe(47);
    expect(result.dropped).toEqual([]);
  });

  it("by filter (proc.name=cat): the same events, so the same fixture", async () => {
    const records = capture("falco/cat_write.scap");
    const byPid = await cut(records, { pids: [20072n] });
    const byFilter = await cut(records, { filter: filterOf("proc.name=cat") });
    expect(byFilter.text).toBe(byPid.text);
    const { capture: expected, fixture } = both(records, byFilter, rules);
    expect(fixture).toEqual(expected);
    expect(expected).toHaveLength(4);
  });

  it("writes the state cat needs: its ancestors (bash, emacs, bash, sshd...), users, interfaces", async () => {
    const result = await cut(capture("falco/cat_write.scap"), { pids: [20072n] });
    const { fixture } = readSyscallFixture(result.text);
    expect(fixture.hostname).toBe("ubuntu");
    expect(fixture.threads.map((t) => [t.record.pid, t.record.comm])).toEqual([
      [1n, "systemd"],
      [634n, "sshd"],
      [936n, "sshd"],
      [1019n, "sshd"],
      [1020n, "bash"],
      [1077n, "emacs"],
      [11310n, "bash"],
    ]);
    expect(fixture.users.map((u) => u.name)).toEqual(["root", "mstemm"]);
    expect(fixture.interfaces.map((i) => i.name)).toEqual(["lo", "enp0s3", "docker0", "lo", "enp0s3"]);
    // cat's own events: its execve first (the capture starts there), its procexit last
    const events = eventLines(result.text);
    expect(events[0]).toMatch(/^ {2}- \{pid: 20072, event: SYSCALL_EXECVE_19_X, params: \{res: 0, exe: cat, args: \[\/dev\/null\], /);
    expect(events).toContain("  - {pid: 20072, syscall: open, path: /dev/null, flags: O_RDONLY, dev: null, ino: null, time: +9.045us}");
    expect(events.at(-1)).toMatch(/^ {2}- \{pid: 20072, syscall: procexit, /);
  });

  it("reports what the format cannot write, on the line it concerns, and the fields that read differently", async () => {
    const result = await cut(capture("falco/cat_write.scap"), { pids: [20072n] });
    const lines = result.text.split("\n");
    const binary = result.gaps.find((g) => g.message.includes("data: 80 bytes that are not UTF-8 text"));
    expect(binary?.line).toBeDefined();
    expect(lines[binary!.line! - 1]).toMatch(/^ {2}- \{pid: 20072, syscall: read, fd: 3, size: 832.*# data: 80 bytes that are not UTF-8 text, left out$/);
    const procexit = result.gaps.find((g) => g.message.includes("carries only 1 of its 5 parameters"));
    expect(lines[procexit!.line! - 1]).toMatch(/syscall: procexit/);
    const fields = result.fieldDifferences.map((d) => d.field);
    expect(fields).toEqual(["evt.num", "evt.args", "evt.info", "evt.buffer"]);
    const num = result.fieldDifferences[0]!;
    expect(num.example).toMatchObject({ capture: "131", fixture: "1" });
    expect(lines[num.example.line - 1]).toMatch(/SYSCALL_EXECVE_19_X/);
    // and the header says so
    expect(result.text).toContain(`#   evt.num on 43 events, first at line ${num.example.line}: 131 in the capture, 1 here\n`);
    expect(result.text).toContain("# 2 events have values the format cannot write (see the comments after them).");
  });

  it("is deterministic and carries the caller's header", async () => {
    const records = capture("falco/cat_write.scap");
    const header = ["A syscall fixture cut from cat_write.scap by:", "  falcokit fixture --from cat_write.scap --pid 20072"];
    const a = await cut(records, { pids: [20072n], header });
    const b = await cut(records, { pids: [20072n], header });
    expect(a.text).toBe(b.text);
    expect(a.text.startsWith("# A syscall fixture cut from cat_write.scap by:\n#   falcokit fixture --from cat_write.scap --pid 20072\n#\n# 47 selected events.\n")).toBe(true);
  });

  it("follows descendants forked during the capture, unless asked not to", async () => {
    const records = capture("falco/cat_write.scap");
    // bash 11310 only has its procinfo in the capture; cat, its child, appears with its execve
    const withChildren = await cut(records, { pids: [11310n] });
    expect(eventLines(withChildren.text).some((l) => l.includes("pid: 20072"))).toBe(true);
    const alone = await cut(records, { pids: [11310n], descendants: false });
    expect(alone.selected).toBeGreaterThan(0);
    expect(eventLines(alone.text)).toHaveLength(alone.selected);
    expect(eventLines(alone.text).every((l) => l.startsWith("  - {pid: 11310, syscall: procinfo"))).toBe(true);
  });

  it("keeps at most maxEvents selected events", async () => {
    const result = await cut(capture("falco/cat_write.scap"), { pids: [20072n], maxEvents: 5 });
    expect(result.selected).toBe(5);
    expect(eventLines(result.text)).toHaveLength(5);
  });

  it("selects nothing when nothing matches", async () => {
    const result = await cut(capture("falco/cat_write.scap"), { pids: [424242n] });
    expect(result).toMatchObject({ text: "", selected: 0, captureEventNumbers: [] });
  });
});

interface Pair {
  capture: string;
  rules: string[];
  pids?: bigint[];
  filter?: string;
  matching?: "first" | "all";
  /** Alerts the capture raises on the selection. */
  alerts: number;
}

// Captures of the corpus with the rules files that raise alerts on them (captures/MANIFEST.md,
// rules/MANIFEST.md), cut by the processes or the events that raise them.
const PAIRS: Pair[] = [
  { capture: "falco/cat_write.scap", rules: ["falco-tests/rules/syscalls.yaml"], pids: [20072n], alerts: 1 },
  { capture: "falco/cat_write.scap", rules: ["falco-tests/rules/single_rule.yaml"], filter: "evt.type=open", alerts: 4 },
  { capture: "falco/syscall.scap", rules: ["falco-tests/rules/syscalls.yaml"], filter: "evt.type in (open, madvise)", alerts: 4 },
  { capture: "falco/syscall.scap", rules: ["falco-tests/rules/syscalls.yaml"], filter: "evt.type=madvise", alerts: 2 },
  { capture: "libs/curl_google.scap", rules: ["falco-tests/rules/syscalls.yaml"], pids: [17497n], alerts: 1 },
  { capture: "libs/curl_google_comments.scap", rules: ["falco-tests/rules/syscalls.yaml"], filter: "evt.type=madvise", alerts: 1 },
  { capture: "falco/connect_localhost.scap", rules: ["falco-tests/rules/detect_connect_using_in.yaml"], filter: "evt.type=connect", alerts: 1 },
  { capture: "falco/open-multiple-files.scap", rules: ["falco-tests/rules/tagged_rules.yaml"], pids: [16569n], alerts: 13 },
  { capture: "falco/open-multiple-files.scap", rules: ["falco-tests/rules/tagged_rules.yaml"], filter: "evt.type=open", matching: "all", alerts: 13 },
  { capture: "falco/psp/privileged.scap", rules: ["upstream/falco-rules-1.0.1/rules/falco_rules.yaml"], filter: "container.privileged=true", alerts: 1 },
  { capture: "falco/psp/privileged.scap", rules: ["upstream/falco-0.26.2/rules/falco_rules.yaml"], filter: "evt.type=container", alerts: 1 },
  {
    capture: "libs/test_ipv6_client.scap",
    rules: ["upstream/latest/rules/falco_rules.yaml", "upstream/latest/rules/falco-incubating_rules.yaml", "upstream/latest/rules/falco-sandbox_rules.yaml"],
    pids: [19747n],
    matching: "all",
    alerts: 1,
  },
];

describe("corpus captures: the fixture raises the alerts the capture raises on the selected events", () => {
  for (const p of PAIRS) {
    const selection = p.pids ? `pid ${p.pids.join(",")}` : `filter ${p.filter}`;
    it(`${p.capture} / ${p.rules.map((r) => r.split("/").pop()).join(" + ")} / ${selection}${p.matching === "all" ? " / all" : ""}`, async () => {
      const records = capture(p.capture);
      const rules = p.rules.map((name) => ({ name, text: rulesText(name) }));
      const result = await cut(records, { ...(p.pids ? { pids: p.pids } : {}), ...(p.filter ? { filter: filterOf(p.filter) } : {}) });
      const { capture: expected, fixture } = both(records, result, rules, p.matching);
      expect(expected).toHaveLength(p.alerts);
      expect(fixture).toEqual(expected);
      expect(result.dropped).toEqual([]);
    });
  }
});

// An output that prints what the state machine computes for an event: processes and their
// ancestors, users, fds and sockets, containers.
const ECHO = `
- rule: echo
  desc: d
  condition: evt.num > 0
  output: >-
    %evt.type %evt.dir res=%evt.res | proc=%proc.name exe=%proc.exe exepath=%proc.exepath cmd=%proc.cmdline
    pid=%proc.pid ppid=%proc.ppid pname=%proc.pname aname2=%proc.aname[2] aname3=%proc.aname[3] pcmd=%proc.pcmdline
    cwd=%proc.cwd tty=%proc.tty sid=%proc.sid vpgid=%proc.vpgid env=%proc.env user=%user.name uid=%user.uid
    home=%user.homedir loginuid=%user.loginuid group=%group.name | fd=%fd.num name=%fd.name type=%fd.type
    dir=%fd.directory l4=%fd.l4proto cip=%fd.cip sip=%fd.sip cport=%fd.cport sport=%fd.sport lip=%fd.lip rip=%fd.rip
    server=%fd.is_server connected=%fd.connected | cid=%container.id cname=%container.name image=%container.image
    tag=%container.image.tag priv=%container.privileged ctype=%container.type | stdin=%proc.stdin.name
    stdout=%proc.stdout.type nthreads=%proc.nthreads caps=%thread.cap_effective duration=%proc.duration
  priority: DEBUG
`;

describe("what the state machine computes reads the same in the fixture", () => {
  const rules = [{ name: "echo.yaml", text: ECHO }];
  const cases: [string, Partial<FixtureWriteOptions>][] = [
    ["falco/psp/run_as_user_0_container.scap", { filter: filterOf("container.id != host") }],
    ["falco/psp/run_as_user_0_container.scap", { filter: filterOf("proc.name=ls") }],
    ["libs/curl_google.scap", { filter: filterOf("fd.type=ipv6") }],
    ["libs/single_ipv6_conn.scap", { filter: filterOf("fd.l4proto=tcp") }],
    ["libs/sample.scap", { pids: [722n] }],
    ["falco/cat_write.scap", { filter: filterOf("evt.type=open") }],
  ];
  for (const [path, options] of cases) {
    it(`${path} / ${options.pids ? `pid ${options.pids.join(",")}` : "filter"}`, async () => {
      const records = capture(path);
      const result = await cut(records, options);
      const { capture: expected, fixture } = both(records, result, rules);
      expect(expected.length).toBeGreaterThan(0);
      expect(fixture).toEqual(expected);
    });
  }

  it("a thread born during the capture comes with its fork (proc.duration), as state_only events", async () => {
    const records = capture("falco/psp/run_as_user_0_container.scap");
    // ls (pid 32052) is forked by bash during the capture, then runs /bin/ls; its opens are selected
    const result = await cut(records, { filter: filterOf("proc.name=ls and evt.type=open") });
    const events = eventLines(result.text);
    expect(events[0]).toMatch(/^ {2}- \{pid: 32052, event: SYSCALL_CLONE_20_X, params: \{res: 0, .*state_only: true\}$/);
    expect(events.find((l) => l.includes("EXECVE"))).toMatch(/state_only: true/);
    // everything but the selected opens (and the enter events they were parsed with) is state_only
    for (const l of events) if (!/syscall: open, path|event: SYSCALL_OPEN_E/.test(l)) expect(l).toContain("state_only: true");
    const { capture: expected, fixture } = both(records, result, rules);
    expect(expected.some((a) => /duration=\d+/.test(a))).toBe(true);
    expect(fixture).toEqual(expected);
  });

  it("leaves out fds opened and closed again by state_only events", async () => {
    const records = capture("libs/curl_google.scap");
    const result = await cut(records, { filter: filterOf("fd.type=ipv6") });
    // curl opens and closes dozens of libraries before its first IPv6 socket: none of that is needed
    expect(result.stateOnly).toBeLessThan(20);
    expect(result.text).not.toContain("libcurl");
  });
});

describe("the repository's syscall fixtures, taken as captures", () => {
  const dir = new URL("fixtures/upstream/", REPO);
  const files = readdirSync(dir).filter((f) => f.endsWith(".syscalls.yaml"));
  const rules = ["falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml"].map((f) => ({ name: f, text: rulesText(`upstream/latest/rules/${f}`) }));
  rules.push({ name: "echo.yaml", text: ECHO });
  for (const file of files) {
    const text = readFileSync(new URL(file, dir), "utf8");
    // a capture carries no resolver: the dns: section of a fixture has nothing to come from
    if (text.includes("\ndns:")) continue;
    it(file, async () => {
      const records = fixtureRecords(text);
      const pids = new Set<bigint>();
      const inspector = new Inspector();
      for (const r of records) {
        const ctx = inspector.feed(r);
        if (ctx?.thread && ctx.thread.pid > 0n) pids.add(ctx.thread.pid);
      }
      const result = await cut(records, { pids: [...pids] });
      const { capture: expected, fixture } = both(records, result, rules, "all");
      expect(fixture).toEqual(expected);
      expect(result.dropped).toEqual([]);
    });
  }
});

describe("writing values", () => {
  it("a string reads back as itself from the fixture", () => {
    const punctuated = fc.string({ unit: fc.constantFrom(..."019.:->/+=_@%~ ,#[]{}'\"!&*?|xe"), maxLength: 12 });
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "grapheme", maxLength: 30 }), punctuated), (s) => {
        fc.pre(s !== "");
        const { fixture, problems } = readSyscallFixture(`processes:\n  - {pid: 7, comm: ${yamlString(s)}, args: [${yamlString(s)}]}\n`);
        expect(problems).toEqual([]);
        expect(fixture.threads[0]!.record.comm).toBe(s);
        expect(fixture.threads[0]!.record.args).toEqual([s]);
      }),
    );
  });

  it("plain where YAML allows it, quoted otherwise", () => {
    expect(yamlString("/dev/null")).toBe("/dev/null");
    expect(yamlString("10.0.0.1:80->10.0.0.2:443")).toBe("10.0.0.1:80->10.0.0.2:443");
    expect(yamlString("-D")).toBe('"-D"');
    expect(yamlString("31")).toBe('"31"');
    expect(yamlString("true")).toBe('"true"');
    expect(yamlString("a b")).toBe('"a b"');
    expect(yamlString("[::1]:80")).toBe('"[::1]:80"');
  });

  it("times after the previous event are exact to the nanosecond", () => {
    expect(relativeTime(500n)).toBe("+500ns");
    expect(relativeTime(14_292n)).toBe("+14.292us");
    expect(relativeTime(2_000_000n)).toBe("+2ms");
    expect(relativeTime(1_500_000_001n)).toBe("+1.500000001s");
    expect(relativeTime(0n)).toBe("+0ns");
  });
});
