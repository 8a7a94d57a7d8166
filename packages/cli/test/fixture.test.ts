// `falcokit fixture`: options, diagnostics, atomic output, and the property that matters: the
// fixture replays (with `falcokit replay`) to the alerts the capture raises on the selection.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { writeSyscallFixture } from "../../evaluator/src/fixture-writer.js";
import { fixtureOptions, runFixtureCommand, type FixtureWriter } from "../src/commands/fixture.js";
import { EXIT, UsageError, writeFilesAtomically, type Io } from "../src/io.js";
import { REPO, SHARED, run, shellSplit, type RunResult } from "./harness.js";

const RULES = `${SHARED}corpus/rules/`;
const CAPTURES = `${SHARED}corpus/captures/`;
const CAT = `${CAPTURES}falco/cat_write.scap`;
const SINGLE_RULE = `${RULES}falco-tests/rules/single_rule.yaml`;
const tmp = mkdtempSync(join(tmpdir(), "falcokit-fixture-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs `falcokit fixture ARGS` in-process as main.ts will (parseArgs with the command's options). */
async function fixture(argv: string[], options: { cwd?: string; writeFiles?: Io["writeFiles"] } = {}): Promise<RunResult & { writes: { path: string; text: string }[] }> {
  let stdout = "";
  let stderr = "";
  const writes: { path: string; text: string }[] = [];
  const io: Io = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readFile: (p) => readFileSync(p),
    readStdin: async () => "",
    cwd: options.cwd ?? REPO,
    color: false,
    writeFiles:
      options.writeFiles ??
      ((files) => {
        writes.push(...files);
        writeFilesAtomically(files);
      }),
    env: {},
  };
  let code: number;
  try {
    const { tokens } = parseArgs({ args: argv, options: fixtureOptions, allowPositionals: true, strict: true, tokens: true });
    const { values } = parseArgs({ args: argv, options: fixtureOptions, allowPositionals: true, strict: true });
    const positionals = tokens.flatMap((t) => (t.kind === "positional" ? [t.value] : t.kind === "option-terminator" ? ["--"] : []));
    code = await runFixtureCommand(positionals, values as Record<string, unknown>, io, writeSyscallFixture as FixtureWriter);
  } catch (e) {
    if (!(e instanceof UsageError) && !(e instanceof Error && "code" in e && String((e as { code: unknown }).code).startsWith("ERR_PARSE_ARGS"))) throw e;
    stderr += `falcokit fixture: ${(e as Error).message}\n`;
    code = EXIT.usage;
  }
  return { code, stdout, stderr, writes };
}

/** The comment lines a fixture starts with. */
const header = (text: string): string[] => {
  const lines = text.split("\n");
  return lines.slice(0, lines.findIndex((l) => !l.startsWith("#")));
};
/** The fixture without its header (the command line in it names the input). */
const body = (text: string): string => text.split("\n").filter((l, i, all) => i >= all.findIndex((x) => !x.startsWith("#"))).join("\n");

describe("falcokit fixture on cat_write.scap", () => {
  it("--pid 20072 --out FILE: written atomically; `replay` of the fixture prints the capture's alerts", async () => {
    const out = join(tmp, "cat.syscalls.yaml");
    const r = await fixture(["--from", CAT, "--pid", "20072", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.writes.map((w) => w.path)).toEqual([out]);
    expect(r.stderr.split("\n")[0]).toBe(`falcokit fixture: 47 selected events written to ${out}`);
    expect(r.stderr).toMatch(new RegExp(`falcokit fixture: ${out}:\\d+: read< of tid 20072: data: 80 bytes that are not UTF-8 text, left out\\n`));
    expect(r.stderr).toMatch(/falcokit fixture: \S+:\d+: evt\.num reads differently on 43 events \(capture: 131, fixture: 1\)\n/);

    const fromCapture = await run(["replay", "--no-summary", "--rules", SINGLE_RULE, CAT], { cwd: REPO });
    const fromFixture = await run(["replay", "--no-summary", "--rules", SINGLE_RULE, out], { cwd: REPO });
    expect(fromFixture.code).toBe(0);
    expect(fromFixture.stderr).toBe("");
    expect(fromCapture.stdout).toBe(
      [
        "16:17:57.881785348: Warning An open was seen (command=cat /dev/null)",
        "16:17:57.881799840: Warning An open was seen (command=cat /dev/null)",
        "16:17:57.882008208: Warning An open was seen (command=cat /dev/null)",
        "16:17:57.882054739: Warning An open was seen (command=cat /dev/null)",
        "",
      ].join("\n"),
    );
    expect(fromFixture.stdout).toBe(fromCapture.stdout);
    // the JSON alerts too (rule, output, fields, time), all but the event numbers
    const json = async (input: string) =>
      (await run(["replay", "--format", "json", "--rules", SINGLE_RULE, input], { cwd: REPO })).stdout
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => ({ ...(JSON.parse(l) as Record<string, unknown>), evt_num: undefined }));
    expect(await json(out)).toEqual(await json(CAT));
  });

  it("--filter proc.name=cat writes the same fixture to stdout, with a date-free header naming the command", async () => {
    const byPid = await fixture(["--from", "../shared/corpus/captures/falco/cat_write.scap", "--pid", "20072"]);
    const byFilter = await fixture(["--from", "../shared/corpus/captures/falco/cat_write.scap", "--filter", "proc.name=cat"]);
    expect(byFilter.code).toBe(0);
    expect(byFilter.stderr.split("\n")[0]).toBe("falcokit fixture: 47 selected events written to stdout");
    expect(body(byFilter.stdout)).toBe(body(byPid.stdout));
    expect(header(byFilter.stdout).slice(0, 3)).toEqual([
      "# A syscall fixture cut from ../shared/corpus/captures/falco/cat_write.scap by:",
      "#   falcokit fixture --from ../shared/corpus/captures/falco/cat_write.scap --filter proc.name=cat",
      "# Selection: the events that match proc.name=cat.",
    ]);
    expect(header(byPid.stdout)[2]).toBe("# Selection: the events of process 20072 and of the processes forked from them during the capture.");
    const today = new Date().toISOString().slice(0, 10);
    expect(header(byFilter.stdout).join("\n")).not.toContain(today);
    // deterministic
    expect((await fixture(["--from", "../shared/corpus/captures/falco/cat_write.scap", "--filter", "proc.name=cat"])).stdout).toBe(byFilter.stdout);
  });

  it("a filter may use the lists and macros of --rules files", async () => {
    const r = await fixture(["--from", CAT, "--rules", SINGLE_RULE, "--filter", "is_cat"]);
    expect(r.code).toBe(0);
    expect(body(r.stdout)).toBe(body((await fixture(["--from", CAT, "--pid", "20072"])).stdout));
    expect(header(r.stdout)[1]).toBe(`#   falcokit fixture --from ${CAT} --rules ${SINGLE_RULE} --filter is_cat`);
  });

  it("quotes what the shell would need in the command it prints", async () => {
    const r = await fixture(["--from", CAT, "--filter", "evt.type=open and fd.name=/dev/null"]);
    expect(r.code).toBe(0);
    expect(header(r.stdout)[1]).toBe(`#   falcokit fixture --from ${CAT} --filter 'evt.type=open and fd.name=/dev/null'`);
    expect(shellSplit(header(r.stdout)[1]!.slice(4)).slice(2)).toEqual(["--from", CAT, "--filter", "evt.type=open and fd.name=/dev/null"]);
  });

  it("the gzip capture and its decompressed copy give the same fixture", async () => {
    const a = await fixture(["--from", CAT, "--pid", "20072"]);
    const b = await fixture(["--from", `${CAPTURES}uncompressed/falco/cat_write.scap`, "--pid", "20072"]);
    expect(body(a.stdout)).toBe(body(b.stdout));
  });

  it("takes the capture as a positional argument too, and --max-events, --no-descendants", async () => {
    const r = await fixture([CAT, "--pid", "20072", "--max-events", "3"]);
    expect(r.code).toBe(0);
    expect(r.stderr.split("\n")[0]).toBe("falcokit fixture: 3 selected events written to stdout");
    expect(header(r.stdout)[2]).toBe("# Selection: the events of process 20072 and of the processes forked from them during the capture (the first 3 at most).");
    const parent = await fixture([CAT, "--pid", "11310", "--no-descendants"]);
    expect(parent.code).toBe(0);
    expect(parent.stdout).not.toContain("pid: 20072");
    expect(header(parent.stdout)[2]).toBe("# Selection: the events of process 11310.");
  });
});

describe("falcokit fixture on other corpus captures", () => {
  const cases: { capture: string; rules: string[]; args: string[] }[] = [
    { capture: "falco/connect_localhost.scap", rules: ["falco-tests/rules/detect_connect_using_in.yaml"], args: ["--filter", "evt.type=connect"] },
    { capture: "falco/open-multiple-files.scap", rules: ["falco-tests/rules/tagged_rules.yaml"], args: ["--filter", "evt.type=open and proc.name=python"] },
    { capture: "falco/syscall.scap", rules: ["falco-tests/rules/syscalls.yaml"], args: ["--filter", "evt.type in (open, madvise)"] },
    { capture: "falco/psp/privileged.scap", rules: ["upstream/falco-rules-1.0.1/rules/falco_rules.yaml"], args: ["--filter", "container.privileged=true"] },
    { capture: "libs/curl_google.scap", rules: ["falco-tests/rules/syscalls.yaml"], args: ["--pid", "17497"] },
  ];
  for (const c of cases) {
    it(`${c.capture} ${c.args.join(" ")}: replay prints the same alerts`, async () => {
      const out = join(tmp, `${c.capture.replaceAll("/", "_")}.yaml`);
      const r = await fixture(["--from", `${CAPTURES}${c.capture}`, ...c.args, "--out", out]);
      expect(r.code, r.stderr).toBe(0);
      const rules = c.rules.flatMap((f) => ["--rules", `${RULES}${f}`]);
      const fromFixture = await run(["replay", "--no-summary", ...rules, out], { cwd: REPO });
      expect(fromFixture.stderr).toBe("");
      expect(fromFixture.stdout).not.toBe("");
      const fromCapture = await run(["replay", "--no-summary", ...rules, `${CAPTURES}${c.capture}`], { cwd: REPO });
      // these selections hold every event the capture alerts on
      expect(fromFixture.stdout).toBe(fromCapture.stdout);
    });
  }
});

describe("falcokit fixture: problems", () => {
  it("a condition that does not compile is a diagnostic, exit 2", async () => {
    const unknown = await fixture(["--from", CAT, "--filter", "proc.nme=cat"]);
    expect(unknown).toMatchObject({ code: 2, stdout: "", stderr: "falcokit fixture: --filter: filter_check called with nonexistent field proc.nme (at column 1)\n" });
    const syntax = await fixture(["--from", CAT, "--filter", "evt.type=open and ("]);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toBe("falcokit fixture: --filter: expected a '(' token, a field check, or an identifier (at column 20)\n");
    const macro = await fixture(["--from", CAT, "--filter", "is_cat"]);
    expect(macro.code).toBe(2);
    expect(macro.stderr).toBe("falcokit fixture: --filter: Undefined macro 'is_cat' used in filter. (at column 1)\n");
    const value = await fixture(["--from", CAT, "--filter", "proc.name = cat and fd.num > abc"]);
    expect(value.code).toBe(2);
    expect(value.stderr).toMatch(/^falcokit fixture: --filter: expected a number value .* \(at column 30\)\n$/);
  });

  it("rules files that do not load are reported with their diagnostics, exit 2", async () => {
    const r = await fixture(["--from", CAT, "--rules", `${RULES}falco-tests/rules/invalid_macro_loop.yaml`, "--filter", "proc.name=cat"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("falcokit fixture: the --rules files do not load");
  });

  it("bad usage is exit 2", async () => {
    expect(await fixture(["--pid", "1"])).toMatchObject({ code: 2, stderr: "falcokit fixture: fixture needs --from CAPTURE (a .scap file, gzipped or not)\n" });
    expect(await fixture(["--from", CAT])).toMatchObject({ code: 2, stderr: "falcokit fixture: fixture needs a selection: --pid N (repeatable) and/or --filter CONDITION\n" });
    expect(await fixture(["--from", CAT, "--pid", "cat"])).toMatchObject({ code: 2, stderr: "falcokit fixture: --pid wants a process id, not 'cat'\n" });
    expect(await fixture(["--from", CAT, "--pid", "1", "--max-events", "0"])).toMatchObject({ code: 2, stderr: "falcokit fixture: --max-events wants a positive number, not '0'\n" });
    expect(await fixture(["--from", CAT, "--pid", "1", "--rules", SINGLE_RULE])).toMatchObject({ code: 2, stderr: "falcokit fixture: --rules only gives lists and macros to --filter\n" });
    expect((await fixture(["--from", CAT, "--pid", "1", "--colour"])).code).toBe(2);
    expect(await fixture(["--from", CAT, "other.scap", "--pid", "1"])).toMatchObject({ code: 2, stderr: "falcokit fixture: fixture takes one capture (--from CAPTURE), not 'other.scap'\n" });
  });

  it("an input that cannot be read or is not a capture is exit 2", async () => {
    expect(await fixture(["--from", join(tmp, "missing.scap"), "--pid", "1"])).toMatchObject({ code: 2, stderr: `falcokit fixture: cannot read ${join(tmp, "missing.scap")} (no such file)\n` });
    expect(await fixture(["--from", SINGLE_RULE, "--pid", "1"])).toMatchObject({ code: 2, stderr: `falcokit fixture: ${SINGLE_RULE} is not a .scap capture (gzipped or not)\n` });
  });

  it("a truncated capture is exit 1 with the byte offset", async () => {
    const raw = readFileSync(`${CAPTURES}uncompressed/falco/cat_write.scap`);
    const cut = join(tmp, "cut.scap");
    writeFileSync(cut, raw.subarray(0, Math.floor(raw.length / 2)));
    const r = await fixture(["--from", cut, "--pid", "20072"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^falcokit fixture: \S+cut\.scap: .*offset \d+/);
  });

  it("nothing selected is exit 1, and no file is written", async () => {
    const out = join(tmp, "none.yaml");
    const r = await fixture(["--from", CAT, "--pid", "424242", "--out", out]);
    expect(r).toMatchObject({ code: 1, stdout: "", writes: [] });
    expect(r.stderr).toBe(`falcokit fixture: no event of ${CAT} matches the selection (the events of process 424242 and of the processes forked from them during the capture)\n`);
  });

  it("an --out that cannot be written is exit 2, and what was there is kept", async () => {
    const out = join(tmp, "kept.yaml");
    writeFileSync(out, "previous\n");
    const r = await fixture(["--from", CAT, "--pid", "20072", "--out", out], {
      writeFiles: () => {
        throw new Error("disk full");
      },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`falcokit fixture: cannot write ${out} (disk full)\n`);
    expect(readFileSync(out, "utf8")).toBe("previous\n");
  });
});

describe("docs/cli/fixture.md", () => {
  // docs.test.ts runs these through main.ts once the command is registered there; until then,
  // and in any case, they run here through the command's handler
  const lines = readFileSync(join(REPO, "docs/cli/fixture.md"), "utf8").split("\n");
  const examples: { line: number; command: string; output: string; exit: number }[] = [];
  let inBlock = false;
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "```console") inBlock = true;
    else if (inBlock && line.trim() === "```") inBlock = false;
    else if (inBlock && line.startsWith("$ ")) examples.push({ line: i + 1, command: line.slice(2), output: "", exit: 0 });
    else if (inBlock && examples.length > 0) {
      const exit = /^\[exit (\d+)\]$/.exec(line);
      if (exit) examples.at(-1)!.exit = Number(exit[1]);
      else examples.at(-1)!.output += `${line}\n`;
    }
  }

  it("has examples", () => expect(examples.length).toBeGreaterThan(1));
  for (const e of examples) {
    it(`line ${e.line}: ${e.command}`, async () => {
      const argv = shellSplit(e.command);
      expect(argv.slice(0, 2)).toEqual(["falcokit", "fixture"]);
      const r = await fixture(argv.slice(2), { cwd: REPO });
      expect(r.stdout + r.stderr).toBe(e.output);
      expect(r.code).toBe(e.exit);
    });
  }
});
