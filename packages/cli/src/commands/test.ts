import { readdirSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { formatCoverage } from "@falcokit/evaluator";
import { jsonReport, junitReport, parseTestFile, prettyReport, runTestFile, totals, type SuiteResult, type TestHost } from "@falcokit/test-runner";
import { globSync } from "tinyglobby";
import { expandFileArgs } from "../files.js";
import { EXIT, UsageError, type Io } from "../io.js";
import { engineOptions, type LoadFlags } from "../load.js";

export interface TestArgs extends LoadFlags {
  paths: string[];
  reporter: "pretty" | "json" | "junit";
  filter?: string;
  explain?: string;
  event?: string;
  coverage: boolean;
  minCoverage?: number;
  output?: string;
}

const TEST_FILE = /\.test\.ya?ml$/;
const SKIP_DIRS = new Set(["node_modules", ".git", "dist"]);

/** The test files under the paths given: files as they are, directories searched recursively, globs expanded. */
function discover(paths: readonly string[], cwd: string): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (!SKIP_DIRS.has(name) && !name.startsWith(".")) walk(p);
      } else if (TEST_FILE.test(name)) files.push(p);
    }
  };
  for (const arg of paths) {
    const abs = resolve(cwd, arg);
    let st;
    try {
      st = statSync(abs);
    } catch {
      st = undefined;
    }
    if (st?.isDirectory()) walk(abs);
    else if (st?.isFile()) files.push(abs);
    else if (/[*?[{]/.test(arg)) {
      const matches = globSync(arg, { cwd, absolute: true, onlyFiles: true }).sort();
      if (matches.length === 0) missing.push(arg);
      files.push(...matches);
    } else missing.push(arg);
  }
  return { files: [...new Set(files)], missing };
}

function nodeHost(io: Io): TestHost {
  // Paths are shown relative to the working directory (`../shared/...` too), so reports read the same on every checkout.
  const shown = (p: string) => (isAbsolute(p) ? relative(io.cwd, p) || p : p);
  return {
    read: (p) => io.readFile(resolve(io.cwd, p)),
    gunzip: (b) => new Uint8Array(gunzipSync(b)),
    expand: (dir, pattern) => {
      const base = resolve(io.cwd, dir);
      const full = isAbsolute(pattern) ? pattern : join(base, pattern);
      try {
        statSync(full);
      } catch {
        if (!/[*?[{]/.test(pattern)) return [];
      }
      return expandFileArgs([isAbsolute(pattern) ? pattern : relative(base, full) || "."], base).map((f) => f.path);
    },
    resolve: (dir, p) => resolve(io.cwd, dir, p),
    dirname: (p) => dirname(resolve(io.cwd, p)),
    display: shown,
  };
}

/** `falcokit test`: runs rule test files. */
export async function runTests(args: TestArgs, io: Io): Promise<number> {
  const { files, missing } = discover(args.paths.length > 0 ? args.paths : ["."], io.cwd);
  for (const m of missing) io.stderr(`falcokit test: ${m}: no such file or directory\n`);
  if (missing.length > 0) return EXIT.usage;
  if (files.length === 0) {
    io.stderr(`falcokit test: no test files (*.test.yaml) under ${args.paths.join(", ") || "."}\n`);
    return EXIT.usage;
  }
  const host = nodeHost(io);
  let filter: ((name: string) => boolean) | undefined;
  if (args.filter !== undefined) {
    const f = args.filter;
    const m = /^\/(.*)\/([a-z]*)$/.exec(f);
    if (m) {
      let re: RegExp;
      try {
        re = new RegExp(m[1]!, m[2]);
      } catch (e) {
        throw new UsageError(`--filter: ${(e as Error).message}`);
      }
      filter = (n) => re.test(n);
    } else filter = (n) => n.includes(f);
  }
  const coverage = args.coverage || args.minCoverage !== undefined;
  const results: SuiteResult[] = [];
  for (const file of files) {
    const name = host.display(file);
    let text: string;
    try {
      text = new TextDecoder().decode(io.readFile(file));
    } catch (e) {
      results.push({ file: name, name, problems: [{ where: name, message: `cannot read: ${(e as Error).message}` }], tests: [], coverage: [], durationMs: 0 });
      continue;
    }
    const parsed = parseTestFile(text, name);
    if (!parsed.suite) {
      results.push({ file: name, name, problems: parsed.problems.map((p) => ({ where: `${name}:${p.line}:${p.column}`, message: p.message })), tests: [], coverage: [], durationMs: 0 });
      continue;
    }
    parsed.suite.file = file;
    const r = runTestFile(parsed.suite, host, {
      ...(filter ? { filter: (t) => filter!(t.name) } : {}),
      ...(args.explain !== undefined ? { explain: { rule: args.explain, ...(args.event !== undefined ? { where: args.event } : {}) } } : {}),
      coverage,
      load: engineOptions(args, io),
    });
    r.file = name;
    if (r.name === file) r.name = name;
    if (filter && r.tests.length === 0 && r.problems.length === 0) continue;
    results.push(r);
  }
  const t = totals(results);
  if (filter && t.tests === 0 && t.broken === 0) {
    io.stderr(`falcokit test: no test matches --filter ${args.filter}\n`);
    return EXIT.usage;
  }
  let report = args.reporter === "json" ? jsonReport(results) : args.reporter === "junit" ? junitReport(results) : prettyReport(results, { timings: false });
  let coverageFailed = false;
  if (coverage && args.reporter === "pretty") {
    for (const r of results)
      for (const c of r.coverage) {
        report += `\ncoverage of ${c.rules.join(", ")} (by ${r.file}):\n${formatCoverage(c.report)}`;
      }
  }
  if (args.minCoverage !== undefined) {
    for (const r of results)
      for (const c of r.coverage) {
        const pct = c.report.totals.percent;
        if (pct < args.minCoverage) {
          coverageFailed = true;
          io.stderr(`falcokit test: coverage of ${c.rules.join(", ")} is ${pct.toFixed(1)}%, below --min-coverage ${args.minCoverage}\n`);
        }
      }
  }
  if (args.output !== undefined) {
    if (!io.writeFiles) throw new UsageError("test cannot write files here");
    io.writeFiles([{ path: resolve(io.cwd, args.output), text: report }]);
    io.stderr(`falcokit test: ${t.passed} passed, ${t.failed} failed; report written to ${args.output}\n`);
  } else io.stdout(report);
  return t.failed > 0 || t.broken > 0 || coverageFailed ? EXIT.problems : EXIT.ok;
}
