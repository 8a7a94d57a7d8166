// libsinsp's `eval` conformance vectors run end to end: for each libs test function, its events are
// rebuilt on falcokit's Inspector (libs-test-input.ts mirrors the sinsp_with_test_input fixture) and
// every condition of the function is parsed, compiled (the engine's libs-compatible compiler) and
// evaluated through compilePredicate + SyscallEventSource on the event libs evaluated it on.
//
// transformers.test.ts and operators.test.ts check the filter_transformer / cmp_operator_modifiers
// vectors against fixed field values; here the same vectors also go through field extraction.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCondition } from "@falcokit/condition";
import { defaultCatalogs } from "@falcokit/fields";
import type { EventContext } from "@falcokit/scap";
import { compileFilter } from "@falcokit/engine";
import { compilePredicate } from "../src/predicate.js";
import { extractSyscallField } from "../src/syscall/index.js";
import { SyscallEventSource } from "../src/sources.js";
import { DEFAULTS, INIT_PID, INIT_PTID, INIT_TID, LibsTestInput, PPM, inetAddr, ipv6 } from "./libs-test-input.js";

interface Case {
  kind: string;
  condition: string;
  expect_result?: boolean;
  expect_error?: boolean;
  expect_no_error?: boolean;
  extra_args?: string;
  "in_release_0.25.4": boolean;
  test: string;
  source: { path: string; line: number };
}

const file = JSON.parse(readFileSync(new URL("../../../../shared/conformance/filter-parser-cases.json", import.meta.url), "utf8")) as { cases: Case[] };
const syscall = defaultCatalogs().get("syscall")!;
const source = new SyscallEventSource(syscall);

// ---- the events of each libs test function -------------------------------------------------------------------

/**
 * One event a test evaluates conditions on, built when its turn comes (the conditions of an event
 * read live state, so the next event must not be fed before they ran). The first event takes the
 * test's conditions from its first one; a later event takes them from the condition `from` on.
 */
interface Step {
  from?: string;
  event: () => EventContext;
}
type Setup = (t: LibsTestInput) => Step[];

/** A test whose only event is the failed getcwd exit of init (`generate_getcwd_failed_entry_event`). */
const getcwd: Setup = (t) => [
  {
    event: () => {
      t.addDefaultInitThread();
      return t.generateGetcwdFailedEntryEvent();
    },
  },
];

/** The execve of "/myexe" by init of every cmp_operator_modifiers.cpp test. */
const execveMyexe: Setup = (t) => [
  {
    event: () => {
      t.addDefaultInitThread();
      return t.generateExecveEnterAndExitEvent(0n, INIT_TID, INIT_TID, INIT_PID, INIT_PTID, "/myexe", "myexe");
    },
  },
];

/** The open of "/tmp/file_to_run" as fd 3 by init (filter_transformer.ut.cpp). */
const openFileToRun: Setup = (t) => [
  {
    event: () => {
      t.addDefaultInitThread();
      return t.generateOpenXEvent({ fd: 3n, path: "/tmp/file_to_run" });
    },
  },
];

/** socket (fd 4) then a connect of it from `client` to `server` by init (filter_op_net_compare.ut.cpp). */
const connect =
  (client: string, server: string, withEnter: boolean): Setup =>
  (t) => [
    {
      event: () => {
        t.addDefaultInitThread();
        t.generateSocketExitEvent();
        const c = inetAddr(client, DEFAULTS.clientPort);
        const s = inetAddr(server, DEFAULTS.serverPort);
        // the enter event is parsed (it stores the address) but not returned
        if (withEnter) t.addFiltered("PPME_SOCKET_CONNECT_E", INIT_TID, [DEFAULTS.fd, s]);
        return t.connectExit(c as never, s as never);
      },
    },
  ];

/** An open by tid 3, a thread the table does not hold (filter_op_contains.ut.cpp, filter_op_pmatch.ut.cpp). */
const openByUnknownThread =
  (path: string, flags: number): Setup =>
  (t) => [
    {
      event: () => {
        t.addDefaultInitThread();
        return t.generateOpenXEvent({ fd: 1n, path, flags }, 3n);
      },
    },
  ];

const SETUPS: Record<string, Setup> = {
  // filter_compiler.ut.cpp
  filter_simple_evaluation: getcwd,
  filter_val_transformer: getcwd,
  filter_transformers_combination: getcwd,
  filter_cache_disabled: getcwd,
  filter_cache_enabled: getcwd,
  filter_cache_corner_cases: getcwd,
  filter_regex_operator_evaluation: getcwd,
  filter_str_op_modifier_compilation: getcwd,
  filter_str_op_modifier_evaluation: getcwd,
  filter_cache_unary_check_plugin_ptr_instability: getcwd,
  filter_cache_pointer_instability: (t) => [
    {
      event: () => {
        t.addDefaultInitThread();
        // tid 2 is no thread of the table: the exit of an unknown thread
        const ctx = t.generateProcExitEvent(2n, INIT_TID);
        if (!ctx) throw new Error("procexit not returned");
        return ctx;
      },
    },
  ],

  // filter_op_contains.ut.cpp / filter_op_pmatch.ut.cpp
  contains_icontains: openByUnknownThread("/opt/dir/SUBDIR/file.txt", PPM.O_RDWR | PPM.O_CREAT),
  pmatch: openByUnknownThread("/opt/dir/subdir/file.txt", 0),

  // filter_op_numeric_compare.ut.cpp
  signed_int_compare: (t) => [
    {
      event: () => {
        t.addDefaultInitThread();
        return t.addReturned("PPME_SYSCALL_EPOLL_CREATE_X", INIT_TID, [-22n, 0]);
      },
    },
    { from: "fd.num >= 0", event: () => t.generateOpenXEvent({ fd: -1n, path: "/tmp/the_file", flags: PPM.O_NONE, mode: 0o666, dev: 123, ino: 456n }) },
  ],

  // filter_op_net_compare.ut.cpp
  net_ipv4_compare: connect(DEFAULTS.ipv4Client, DEFAULTS.ipv4Server, false),
  net_modifier_ip_compare: connect(DEFAULTS.ipv4Client, DEFAULTS.ipv4Server, false),
  net_ipv6_compare: connect(DEFAULTS.ipv6Client, DEFAULTS.ipv6Server, true),

  // filter_transformer.ut.cpp
  basename_transformer: openFileToRun,
  len_transformer: (t) => [
    ...openFileToRun(t),
    { from: "len(fd.types) = 2", event: () => t.generateSocketExitEvent() },
    { from: "len(evt.arg.data) == 6", event: () => t.addReturned("PPME_SYSCALL_READ_X", INIT_TID, [0n, Uint8Array.of(1, 2, 3, 4, 5, 6), 0n, 0]) },
  ],
  multivalue_transformer_join: openFileToRun,
  multivalue_transformer_concat: openFileToRun,
  multivalue_transformer_with_outer_transformer: openFileToRun,
  multivalue_transformer_getopt: openFileToRun,

  // filterchecks/cmp_operator_modifiers.cpp
  FILTERCHECK_MOD_eq: execveMyexe,
  FILTERCHECK_MOD_ne: execveMyexe,
  FILTERCHECK_MOD_contains: execveMyexe,
  FILTERCHECK_MOD_icontains: execveMyexe,
  FILTERCHECK_MOD_startswith: execveMyexe,
  FILTERCHECK_MOD_endswith: execveMyexe,
  FILTERCHECK_MOD_glob: execveMyexe,
  FILTERCHECK_MOD_iglob: execveMyexe,
  FILTERCHECK_MOD_regex: execveMyexe,
  FILTERCHECK_MOD_transformer_lhs: execveMyexe,
  FILTERCHECK_MOD_compound: execveMyexe,
  FILTERCHECK_MOD_empty_rhs: execveMyexe,

  // filterchecks/proc.cpp: DEFAULT_TREE, then p6_t1 executes /good-exe
  PROC_FILTER_aname: (t) => [
    {
      event: () => {
        const { p6_t1 } = t.defaultTree();
        return t.generateExecveEnterAndExitEvent(0n, p6_t1.tid, p6_t1.tid, p6_t1.pid, p6_t1.ptid, "/good-exe", "good-exe", "/good-exe");
      },
    },
  ],

  // filterchecks/evt.cpp: a read of "gigi" on fd 0. libs evaluates the condition a second time after
  // set_buffer_format(PF_BASE64), which must not change filters (falcokit has no buffer format).
  EVT_FILTER_data_buffer_str: (t) => [
    {
      event: () => {
        t.addDefaultInitThread();
        t.add("PPME_SYSCALL_READ_E", INIT_TID, [0n, 4]);
        return t.addReturned("PPME_SYSCALL_READ_X", INIT_TID, [0n, new TextEncoder().encode("gigi"), 0n, 4]);
      },
    },
  ],
};

/** Conditions that cannot run here, by reason. */
function notRebuildable(c: Case): string | undefined {
  // filter_cache_corner_cases and filter_cache_unary_check_plugin_ptr_instability register libs'
  // test plugin (get_plugin_api_sample_syscall_extract) for its sample.* fields
  if (/\bsample\.\w/.test(c.condition)) return "needs libs' sample syscall-extract test plugin (sample.* fields)";
  return undefined;
}

// ---- known differences ---------------------------------------------------------------------------------------

/** Vectors where falcokit knowingly differs from libs: `test` and condition, with the reason. */
const KNOWN_DIFFERENCES: { test: string; condition: string; reason: string }[] = [];

// ---- evaluation --------------------------------------------------------------------------------------------

type Outcome = { kind: "result"; value: boolean } | { kind: "error"; stage: string; message: string };

function evaluate(condition: string, ctx: EventContext): Outcome {
  const parsed = parseCondition(condition);
  if (parsed.errors.length > 0 || !parsed.ast) return { kind: "error", stage: "parse", message: parsed.errors[0]?.message ?? "no tree" };
  const compiled = compileFilter(parsed.ast, syscall);
  if (compiled.error) return { kind: "error", stage: "compile", message: compiled.error.message };
  try {
    const predicate = compilePredicate(parsed.ast, source);
    return { kind: "result", value: predicate(ctx) };
  } catch (e) {
    return { kind: "error", stage: "evaluate", message: e instanceof Error ? e.message : String(e) };
  }
}

function expected(c: Case): string {
  if (c.expect_error) return "an error";
  if (c.expect_no_error) return "no error";
  return String(c.expect_result);
}

function matches(c: Case, o: Outcome): boolean {
  if (c.expect_error) return o.kind === "error";
  if (o.kind === "error") return false;
  if (c.expect_no_error) return true;
  return o.value === c.expect_result;
}

const show = (o: Outcome): string => (o.kind === "error" ? `${o.stage} error: ${o.message}` : String(o.value));

describe("libsinsp eval vectors on rebuilt libs test events", () => {
  const evalCases = file.cases.filter((c) => c.kind === "eval");
  const released = evalCases.filter((c) => c["in_release_0.25.4"]);

  const byTest = new Map<string, Case[]>();
  for (const c of released) {
    const name = c.test.replace(/^sinsp_with_test_input\./, "");
    let list = byTest.get(name);
    if (!list) byTest.set(name, (list = []));
    list.push(c);
  }

  it("evaluates every released vector whose event can be rebuilt like libs", () => {
    let passed = 0;
    let knownDifferent = 0;
    const failures: string[] = [];
    const skipped = new Map<string, string[]>();
    const skip = (reason: string, c: Case) => {
      let l = skipped.get(reason);
      if (!l) skipped.set(reason, (l = []));
      l.push(`${c.test} (${c.source.path.split("/").pop()}:${c.source.line}): ${c.condition}`);
    };
    const perFile = new Map<string, { run: number; passed: number }>();
    const usedKnown = new Set<(typeof KNOWN_DIFFERENCES)[number]>();

    for (const [name, cases] of byTest) {
      const setup = SETUPS[name];
      if (!setup) {
        for (const c of cases) skip(`no rebuilt setup for libs test ${name}`, c);
        continue;
      }
      const t = new LibsTestInput();
      const steps = setup(t);
      let next = 0;
      let ctx: EventContext | undefined;
      for (const c of cases) {
        // the next event comes with its first condition (the first event with the first condition)
        while (next < steps.length && (next === 0 || c.condition === steps[next]!.from)) ctx = steps[next++]!.event();
        const reason = notRebuildable(c);
        if (reason) {
          skip(reason, c);
          continue;
        }
        const stats = perFile.get(c.source.path) ?? { run: 0, passed: 0 };
        perFile.set(c.source.path, stats);
        stats.run++;
        const outcome = evaluate(c.condition, ctx!);
        if (matches(c, outcome)) {
          passed++;
          stats.passed++;
          continue;
        }
        const known = KNOWN_DIFFERENCES.find((k) => k.test === name && k.condition === c.condition);
        if (known) {
          knownDifferent++;
          usedKnown.add(known);
          continue;
        }
        failures.push(`${name} (${c.source.path.split("/").pop()}:${c.source.line}): ${c.condition}: expected ${expected(c)}, got ${show(outcome)}`);
      }
      if (next < steps.length) throw new Error(`${name}: the event starting at ${JSON.stringify(steps[next]!.from)} took no condition`);
    }

    const notRebuilt = [...skipped.values()].reduce((n, l) => n + l.length, 0);
    const lines = [
      `libs eval vectors: ${evalCases.length} in the file, ${released.length} released (0.25.4), ${evalCases.length - released.length} HEAD-only not run`,
      `  rebuilt and passed: ${passed}`,
      `  failed: ${failures.length}`,
      `  known differences: ${knownDifferent}`,
      `  not rebuildable: ${notRebuilt}`,
      ...[...skipped].flatMap(([reason, l]) => [`    ${reason}: ${l.length}`, ...l.map((x) => `      ${x}`)]),
      `  by file (passed/run):`,
      ...[...perFile].map(([p, s]) => `    ${p.replace("userspace/libsinsp/test/", "")}: ${s.passed}/${s.run}`),
      ...failures.map((f) => `  FAIL ${f}`),
    ];
    console.log(lines.join("\n"));

    expect(failures).toEqual([]);
    expect(passed + knownDifferent + notRebuilt).toBe(released.length);
    // every recorded difference is still observed
    expect(KNOWN_DIFFERENCES.filter((k) => !usedKnown.has(k))).toEqual([]);
    expect(passed).toBeGreaterThanOrEqual(400);
  });
});

describe("the rebuilt libs test events", () => {
  // facts the libs tests assert (or state in comments) about their own events
  const get = (ctx: EventContext, field: string, arg?: string) => extractSyscallField(ctx, field, arg);

  it("signed_int_compare: evt.cpu is 1, the epoll result -22, the failed open has fd -1", () => {
    const [epoll, open] = SETUPS.signed_int_compare!(new LibsTestInput());
    const e = epoll!.event();
    expect(get(e, "evt.cpu")).toBe(1n);
    expect(get(e, "evt.rawarg", "res")).toBe(-22n);
    expect(get(open!.event(), "fd.num")).toBe(-1n);
  });

  it("net_*_compare: the connected socket's name", () => {
    const v4 = SETUPS.net_ipv4_compare!(new LibsTestInput())[0]!.event();
    expect(get(v4, "fd.name")).toBe("172.40.111.222:54321->142.251.111.147:443");
    expect(get(v4, "fd.type")).toBe("ipv4");
    const v6 = SETUPS.net_ipv6_compare!(new LibsTestInput())[0]!.event();
    // the socket was made AF_INET: libs' sockinfo_to_str reads the IPv6 l4proto, never set (fd.name
    // is "<unknown>" there); the addresses are the tuple's
    expect(get(v6, "fd.type")).toBe("ipv6");
    expect([get(v6, "fd.sip"), get(v6, "fd.cip"), get(v6, "fd.sport")]).toEqual([ipv6(DEFAULTS.ipv6Server), ipv6(DEFAULTS.ipv6Client), 443n]);
  });

  it("PROC_FILTER_aname: the ancestors of the exec'd /good-exe", () => {
    const ctx = SETUPS.PROC_FILTER_aname!(new LibsTestInput())[0]!.event();
    expect(get(ctx, "proc.name")).toBe("good-exe");
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => get(ctx, "proc.aname", String(i)))).toEqual(["good-exe", "bash", "bash", "bash", "bash", "init", undefined]);
  });

  it("the transformer tests' open and the execve of the modifier tests", () => {
    const open = SETUPS.len_transformer!(new LibsTestInput())[0]!.event();
    expect([get(open, "fd.name"), get(open, "fd.directory"), get(open, "evt.num"), get(open, "fd.types")]).toEqual(["/tmp/file_to_run", "/tmp", 1n, ["file"]]);
    const exec = SETUPS.FILTERCHECK_MOD_eq!(new LibsTestInput())[0]!.event();
    expect([get(exec, "proc.name"), get(exec, "proc.exe"), get(exec, "proc.pid")]).toEqual(["myexe", "/myexe", 1n]);
  });

  it("contains_icontains: the open of a thread the table did not hold", () => {
    const ctx = SETUPS.contains_icontains!(new LibsTestInput())[0]!.event();
    expect(get(ctx, "fd.name")).toBe("/opt/dir/SUBDIR/file.txt");
    // libs renders the flags in the order of its file_flags table
    expect(get(ctx, "evt.arg", "flags")).toBe("O_CREAT|O_RDWR");
    expect(get(ctx, "thread.tid")).toBe(3n);
  });
});
