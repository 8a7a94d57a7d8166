import { parseArgs, type ParseArgsConfig } from "node:util";
import { RuleRuntimeError } from "@falcokit/evaluator";
import { EXIT, UsageError, processIo, type Io } from "./io.js";
import { runParse } from "./commands/parse.js";
import { runValidate } from "./commands/validate.js";
import { runRules } from "./commands/rules.js";
import { runDiff } from "./commands/diff.js";
import { runReplay } from "./commands/replay.js";
import { runLint, type LintFormat } from "./commands/lint.js";
import { runTag } from "./commands/tag.js";
import { runTests } from "./commands/test.js";
import { fixtureOptions, runFixtureCommand } from "./commands/fixture.js";
import type { LoadFlags } from "./load.js";
import { VERSION } from "./version.js";

const HELP = `falcokit ${VERSION}: offline tools for Falco rules

Usage:
  falcokit parse CONDITION [--format text|json]   print the AST of a condition
  falcokit parse --stdin                          one condition per input line, one JSON result per line
  falcokit validate FILES... [--format text|json] [--strict]
                                                  load rules files as Falco does, in order, and report every problem
  falcokit rules FILES... [--format text|json]    the effective ruleset after all overrides (like falco -L)
  falcokit diff BASE... -- HEAD... [--format text|json]
                                                  classified changes between two rulesets (major/minor/patch)
  falcokit lint FILES... [--format stylish|json|sarif|github|junit] [--fix] [--fix-dry-run]
                  [--max-warnings N] [--config .falcokit.yaml]
                                                  Falco's load problems plus falcokit's lint rules
  falcokit tag FILES... [selection] (--add TAG | --remove TAG | --replace OLD=NEW)...
                  (--list | --check | --diff | --write | --out DIR | --override-file FILE)
                                                  add, remove or rename tags of the selected rules, in place
                                                  (formatting kept) or as an override file
  falcokit test [PATHS...] [--filter NAME] [--reporter pretty|json|junit] [--explain RULE]
                  [--coverage] [--min-coverage N]
                                                  run rule tests (*.test.yaml): which rules fire on
                                                  fixtures and captures, why, and what no test covers
  falcokit fixture --from CAPTURE [--pid N]... [--filter CONDITION] [--out FILE]
                                                  cut a capture down to a syscall-level fixture that
                                                  replays to the same alerts
  falcokit replay --rules FILE... INPUT... [--format text|json]
                                                  the alerts Falco raises on .scap captures, k8s audit
                                                  events (JSON) and field-level event fixtures (YAML)

Replay options:
  --rules FILE              rules files, directories or globs, loaded in order (repeatable)
  --config FALCO_YAML       read rules:, priority, rule_matching and append_output from it
  -o, --option KEY=VALUE    override a configuration key, as falco -o (repeatable)
  --tag TAG                 run only rules with this tag (repeatable; like falco -t)
  --disable-tag TAG         do not run rules with this tag (repeatable; like falco -T)
  --disable-rule NAME       do not run this rule; * is a wildcard (repeatable; like falco -D)
  --min-priority P          skip rules less severe than P (emergency ... debug)
  --rule-matching first|all report the first matching rule of each event (Falco's default) or all
  --all-events              also evaluate the enter events that libs reads but hides from rules
  --no-summary              leave out the summary of alerts per rule
  --dns NAME=ADDR[,ADDR]    what the replaying machine's resolver answers for NAME (fd.sip.name and
                            the like; repeatable); --dns-file FILE takes a YAML map of them

Tag options:
  --rule NAME               select rules by name; * is a wildcard (repeatable: any of them)
  --tag TAG / --without-tag TAG
                            select rules carrying (not carrying) a tag (repeatable)
  --source SOURCE           select rules of an event source (syscall, k8s_audit, ...)
  --priority-at-least P / --priority-at-most P
                            select rules by severity
  --file GLOB               select rules first defined in matching files
  --enabled / --disabled    select rules by their enabled state
  --add TAG, --remove TAG, --replace OLD=NEW
                            the changes (repeatable); \${NAME} and \${NAME:-default} take values
                            from --set NAME=VALUE, --values FILE (YAML map) or the environment
  --falco-version X.Y.Z     for --override-file: before 0.37 rules are redefined whole

Test options:
  --filter TEXT|/RE/        run only the tests whose name contains TEXT (or matches RE)
  --reporter R              pretty (default), json or junit; --output FILE writes it to a file
  --explain RULE            print RULE's evaluation tree on every event of its types (--event WHERE
                            narrows to events whose place, like fixture.yaml:12, contains WHERE)
  --coverage                which rules, macros, lists, exceptions and checks the tests made true
                            and false; --min-coverage N fails below N percent

Loading options (validate, rules, diff, tag, test):
  --falco-compat            stop each file at its first error, as Falco does
  --engine-version X.Y.Z    the engine version for required_engine_version (default 0.62.0, Falco 0.44.1)
  --plugin NAME=VERSION     load this plugin (repeatable): sources, fields and required_plugin_versions
                            follow the plugins given (default: container, k8smeta, krsi, k8saudit,
                            cloudtrail, okta, github, gcpaudit, json, requirements unchecked)
  --fields FILE             field catalogs from the output of "falco --list --format json"

Files may be paths, directories (their *.yaml and *.yml files) or globs.
Exit codes: 0 all well, 1 problems found, 2 bad usage or unreadable input.
Documentation: docs/README.md
`;

type Handler = (positionals: string[], values: Record<string, unknown>, io: Io) => Promise<number>;

interface Command {
  options: ParseArgsConfig["options"];
  run: Handler;
}

function format(value: unknown, allowed: readonly string[]): string {
  const f = (value as string | undefined) ?? allowed[0]!;
  if (!allowed.includes(f)) throw new UsageError(`unknown format '${f}' (expected ${allowed.join(" or ")})`);
  return f;
}

const loadOptions = {
  "falco-compat": { type: "boolean" },
  "engine-version": { type: "string" },
  plugin: { type: "string", multiple: true },
  fields: { type: "string" },
} as const;

function loadFlags(values: Record<string, unknown>): LoadFlags {
  const flags: LoadFlags = { falcoCompat: Boolean(values["falco-compat"]), plugins: (values.plugin as string[] | undefined) ?? [] };
  if (typeof values["engine-version"] === "string") flags.engineVersion = values["engine-version"];
  if (typeof values.fields === "string") flags.fields = values.fields;
  return flags;
}

const commands: Record<string, Command> = {
  lint: {
    options: { format: { type: "string" }, fix: { type: "boolean" }, "fix-dry-run": { type: "boolean" }, "max-warnings": { type: "string" }, config: { type: "string" } },
    run: (pos, values, io) => {
      if (pos.length === 0) throw new UsageError("lint needs at least one rules file");
      const max = values["max-warnings"];
      if (max !== undefined && !/^\d+$/.test(String(max))) throw new UsageError(`--max-warnings wants a number, not '${String(max)}'`);
      return runLint(
        {
          files: pos.filter((p) => p !== "--"),
          format: format(values.format, ["stylish", "json", "sarif", "github", "junit"]) as LintFormat,
          fix: Boolean(values.fix),
          fixDryRun: Boolean(values["fix-dry-run"]),
          ...(max !== undefined ? { maxWarnings: Number(max) } : {}),
          ...(typeof values.config === "string" ? { config: values.config } : {}),
        },
        io,
      );
    },
  },
  tag: {
    options: {
      rule: { type: "string", multiple: true },
      tag: { type: "string", multiple: true },
      "without-tag": { type: "string", multiple: true },
      source: { type: "string", multiple: true },
      "priority-at-least": { type: "string" },
      "priority-at-most": { type: "string" },
      file: { type: "string", multiple: true },
      enabled: { type: "boolean" },
      disabled: { type: "boolean" },
      add: { type: "string", multiple: true },
      remove: { type: "string", multiple: true },
      replace: { type: "string", multiple: true },
      values: { type: "string" },
      set: { type: "string", multiple: true },
      list: { type: "boolean" },
      check: { type: "boolean" },
      diff: { type: "boolean" },
      write: { type: "boolean" },
      out: { type: "string" },
      "override-file": { type: "string" },
      "falco-version": { type: "string" },
      format: { type: "string" },
      ...loadOptions,
    },
    run: (pos, values, io) => {
      const list = (k: string) => (values[k] as string[] | undefined) ?? [];
      const str = (k: string) => (typeof values[k] === "string" ? (values[k] as string) : undefined);
      if (pos.length === 0) throw new UsageError("tag needs at least one rules file");
      if (values.enabled && values.disabled) throw new UsageError("choose --enabled or --disabled");
      const args: Parameters<typeof runTag>[0] = {
        files: pos.filter((p) => p !== "--"),
        rules: list("rule"),
        tags: list("tag"),
        withoutTags: list("without-tag"),
        sources: list("source"),
        fileGlobs: list("file"),
        add: list("add"),
        remove: list("remove"),
        replace: list("replace"),
        set: list("set"),
        list: Boolean(values.list),
        check: Boolean(values.check),
        diff: Boolean(values.diff),
        write: Boolean(values.write),
        format: format(values.format, ["text", "json"]) as "text" | "json",
        ...loadFlags(values),
      };
      const opt = (key: keyof typeof args, flag: string) => {
        const v = str(flag);
        if (v !== undefined) (args as unknown as Record<string, unknown>)[key] = v;
      };
      opt("minPriority", "priority-at-least");
      opt("maxPriority", "priority-at-most");
      opt("values", "values");
      opt("out", "out");
      opt("overrideFile", "override-file");
      opt("falcoVersion", "falco-version");
      if (values.enabled) args.enabled = true;
      if (values.disabled) args.enabled = false;
      return runTag(args, io);
    },
  },
  test: {
    options: {
      filter: { type: "string", short: "t" },
      reporter: { type: "string" },
      output: { type: "string" },
      explain: { type: "string" },
      event: { type: "string" },
      coverage: { type: "boolean" },
      "min-coverage": { type: "string" },
      ...loadOptions,
    },
    run: (pos, values, io) => {
      const min = values["min-coverage"];
      if (min !== undefined && !/^\d+(\.\d+)?$/.test(String(min))) throw new UsageError(`--min-coverage wants a percentage, not '${String(min)}'`);
      if (values.event !== undefined && values.explain === undefined) throw new UsageError("--event goes with --explain RULE");
      const args: Parameters<typeof runTests>[0] = {
        paths: pos.filter((p) => p !== "--"),
        reporter: format(values.reporter, ["pretty", "json", "junit"]) as "pretty" | "json" | "junit",
        coverage: Boolean(values.coverage),
        ...loadFlags(values),
      };
      if (typeof values.filter === "string") args.filter = values.filter;
      if (typeof values.explain === "string") args.explain = values.explain;
      if (typeof values.event === "string") args.event = values.event;
      if (typeof values.output === "string") args.output = values.output;
      if (min !== undefined) args.minCoverage = Number(min);
      return runTests(args, io);
    },
  },
  fixture: {
    options: fixtureOptions,
    run: (pos, values, io) => runFixtureCommand(pos, values, io),
  },
  replay: {
    options: {
      rules: { type: "string", multiple: true },
      config: { type: "string" },
      option: { type: "string", short: "o", multiple: true },
      tag: { type: "string", multiple: true },
      "disable-tag": { type: "string", multiple: true },
      "disable-rule": { type: "string", multiple: true },
      "min-priority": { type: "string" },
      "rule-matching": { type: "string" },
      "all-events": { type: "boolean" },
      "no-summary": { type: "boolean" },
      dns: { type: "string", multiple: true },
      "dns-file": { type: "string" },
      format: { type: "string" },
      ...loadOptions,
    },
    run: (pos, values, io) => {
      const list = (k: string) => (values[k] as string[] | undefined) ?? [];
      const args: Parameters<typeof runReplay>[0] = {
        dns: list("dns"),
        rules: list("rules"),
        inputs: pos.filter((p) => p !== "--"),
        format: format(values.format, ["text", "json"]) as "text" | "json",
        options: list("option"),
        tags: list("tag"),
        disableTags: list("disable-tag"),
        disableRules: list("disable-rule"),
        allEvents: Boolean(values["all-events"]),
        ...loadFlags(values),
      };
      if (typeof values.config === "string") args.config = values.config;
      if (typeof values["min-priority"] === "string") args.minPriority = values["min-priority"];
      if (typeof values["rule-matching"] === "string") args.ruleMatching = values["rule-matching"];
      if (values["no-summary"]) args.summary = false;
      if (typeof values["dns-file"] === "string") args.dnsFile = values["dns-file"];
      return runReplay(args, io);
    },
  },
  parse: {
    options: { format: { type: "string" }, stdin: { type: "boolean" } },
    run: (pos, values, io) => {
      if (pos.length > 1) throw new UsageError("parse takes one condition (quote it)");
      return runParse(
        { ...(pos[0] !== undefined ? { condition: pos[0] } : {}), stdin: Boolean(values.stdin), format: format(values.format, ["text", "json"]) as "text" | "json" },
        io,
      );
    },
  },
  validate: {
    options: { format: { type: "string" }, strict: { type: "boolean" }, ...loadOptions },
    run: (pos, values, io) => {
      if (pos.length === 0) throw new UsageError("validate needs at least one rules file");
      return runValidate({ files: pos.filter((p) => p !== "--"), format: format(values.format, ["text", "json"]) as "text" | "json", strict: Boolean(values.strict), ...loadFlags(values) }, io);
    },
  },
  rules: {
    options: { format: { type: "string" }, ...loadOptions },
    run: (pos, values, io) => {
      if (pos.length === 0) throw new UsageError("rules needs at least one rules file");
      return runRules({ files: pos.filter((p) => p !== "--"), format: format(values.format, ["text", "json"]) as "text" | "json", ...loadFlags(values) }, io);
    },
  },
  diff: {
    options: { format: { type: "string" }, ...loadOptions },
    run: (pos, values, io) => runDiff({ files: pos, format: format(values.format, ["text", "json"]) as "text" | "json", ...loadFlags(values) }, io),
  },
};

/** Runs the CLI with `argv` (without `node` and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    io.stdout(HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === "--version" || name === "-v" || name === "version") {
    io.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`falcokit: unknown command '${name}'\n\n${HELP}`);
    return EXIT.usage;
  }
  try {
    if (rest.includes("--help") || rest.includes("-h")) {
      io.stdout(HELP);
      return EXIT.ok;
    }
    const { values, tokens } = parseArgs({ args: [...rest], options: command.options, allowPositionals: true, strict: true, tokens: true });
    // Positionals in order, with a `--` where the option terminator stood (diff's separator).
    const positionals = tokens.flatMap((t) => (t.kind === "positional" ? [t.value] : t.kind === "option-terminator" ? ["--"] : []));
    return await command.run(positionals, values as Record<string, unknown>, io);
  } catch (e) {
    if (e instanceof RuleRuntimeError) {
      // Falco stops at such an event; the alerts before it were printed.
      io.stderr(`falcokit ${name}: Falco stops here with a runtime error: ${e.message}\n`);
      return EXIT.problems;
    }
    if (e instanceof UsageError || (e instanceof Error && "code" in e && String((e as { code: unknown }).code).startsWith("ERR_PARSE_ARGS"))) {
      io.stderr(`falcokit ${name}: ${(e as Error).message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
}
