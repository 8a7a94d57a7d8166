import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { loadRules } from "@falcokit/engine";
import { writeFilesAtomically } from "../src/io.js";
import { REPO, run } from "./harness.js";

const root = mkdtempSync(join(tmpdir(), "falcokit-tag-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const BASE = `# Base rules, as an upstream file would ship them.
- macro: spawned
  condition: evt.type in (execve, execveat)

- rule: Shell in container
  desc: A shell started in a container.
  condition: spawned and proc.name in (bash, sh) and container.id != host
  output: Shell (user=%user.name cmd=%proc.cmdline)
  priority: WARNING
  tags: [maturity_stable, container, shell]   # reviewed

- rule: Write below etc
  desc: A file below /etc opened for writing.
  condition: evt.type in (open, openat) and fd.name startswith /etc/
  output: Write (file=%fd.name)
  priority: ERROR
  tags:
    - maturity_stable
    - filesystem

- rule: Untagged rule
  desc: No tags at all.
  condition: spawned and proc.name = nc
  output: Netcat (cmd=%proc.cmdline)
  priority: NOTICE

- rule: Noisy rule
  desc: Off by default.
  condition: spawned and proc.name = ls
  output: ls (cmd=%proc.cmdline)
  priority: DEBUG
  enabled: false
  tags: [maturity_sandbox]
`;

const LOCAL = `# Local tuning.
- rule: Shell in container
  tags: [team_a, shell]
  override:
    tags: append
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(root, "case-"));
  writeFileSync(join(dir, "base.yaml"), BASE);
  writeFileSync(join(dir, "local.yaml"), LOCAL);
});
const read = (f: string) => readFileSync(join(dir, f), "utf8");
const tagsAfter = (...files: string[]) => {
  const l = loadRules(files.map((f) => ({ name: f, text: read(f) })));
  expect(l.files.flatMap((f) => f.diagnostics.filter((d) => d.severity === "error"))).toEqual([]);
  return Object.fromEntries(l.collector.rules.items.map((r) => [r.name, [...r.tags].sort()]));
};

describe("falcokit tag", () => {
  it("--list shows the selection, with what would change", async () => {
    const r = await run(["tag", "base.yaml", "local.yaml", "--priority-at-least", "warning", "--list", "--add", "env:prod"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      "base.yaml:5: Shell in container [Warning] tags: maturity_stable, container, shell, team_a  +env:prod\n" +
        "base.yaml:12: Write below etc [Error] tags: maturity_stable, filesystem  +env:prod\n" +
        "2 rules selected, 2 would change\n",
    );
    const json = JSON.parse((await run(["tag", "base.yaml", "--disabled", "--list", "--format", "json"], { cwd: dir })).stdout) as { name: string; enabled: boolean }[];
    expect(json.map((x) => [x.name, x.enabled])).toEqual([["Noisy rule", false]]);
    const none = await run(["tag", "base.yaml", "--rule", "Nothing*", "--list"], { cwd: dir });
    expect(none.stdout).toBe("0 rules selected\n");
  });

  it("--write adds a tag from the environment to every selected rule, keeping the file's layout", async () => {
    const r = await run(["tag", "base.yaml", "local.yaml", "--add", "env:${ENV}", "--add", "cluster:${CLUSTER:-eu-1}", "--write"], { cwd: dir, env: { ENV: "prod" } });
    expect(r.stderr).toBe("falcokit tag: 4 of 4 selected rules changed, in 1 file\n");
    expect(r.code).toBe(0);
    expect(read("local.yaml")).toBe(LOCAL);
    const text = read("base.yaml");
    expect(text).toContain("  tags: [maturity_stable, container, shell, env:prod, cluster:eu-1]   # reviewed\n");
    expect(text).toContain("  tags:\n    - maturity_stable\n    - filesystem\n    - env:prod\n    - cluster:eu-1\n");
    expect(tagsAfter("base.yaml", "local.yaml")).toEqual({
      "Shell in container": ["cluster:eu-1", "container", "env:prod", "maturity_stable", "shell", "team_a"],
      "Write below etc": ["cluster:eu-1", "env:prod", "filesystem", "maturity_stable"],
      "Untagged rule": ["cluster:eu-1", "env:prod"],
      "Noisy rule": ["cluster:eu-1", "env:prod", "maturity_sandbox"],
    });
    // Idempotent: nothing left to do, and --check agrees.
    const again = await run(["tag", "base.yaml", "local.yaml", "--add", "env:${ENV}", "--add", "cluster:eu-1", "--write"], { cwd: dir, env: { ENV: "prod" } });
    expect(again.stderr).toBe("falcokit tag: 0 of 4 selected rules changed, in 0 files\n");
    const check = await run(["tag", "base.yaml", "local.yaml", "--add", "env:prod", "--check"], { cwd: dir });
    expect(check.code).toBe(0);
    expect(check.stdout).toBe("4 rules checked: all carry the expected tags\n");
  });

  it("takes values from --set, then --values, then the environment, and refuses unset ones", async () => {
    writeFileSync(join(dir, "values.yaml"), "ENV: staging\nREGION: eu\n");
    const r = await run(["tag", "base.yaml", "--rule", "Untagged rule", "--values", "values.yaml", "--set", "REGION=us", "--add", "env:${ENV}", "--add", "region:${REGION}", "--write"], { cwd: dir, env: { ENV: "prod", REGION: "ap" } });
    expect(r.code).toBe(0);
    expect(tagsAfter("base.yaml")["Untagged rule"]).toEqual(["env:staging", "region:us"]);
    const unset = await run(["tag", "base.yaml", "--add", "env:${NOPE}", "--write"], { cwd: dir });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain("${NOPE}, which is not set");
    expect(read("base.yaml")).toBe(BASE.replace("  priority: NOTICE\n", "  priority: NOTICE\n  tags: [env:staging, region:us]\n"));
  });

  it("--remove and --replace reach every item the tags come from", async () => {
    const r = await run(["tag", "base.yaml", "local.yaml", "--remove", "shell", "--replace", "maturity_stable=maturity_incubating", "--write"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(read("local.yaml")).toBe(LOCAL.replace("[team_a, shell]", "[team_a]"));
    expect(tagsAfter("base.yaml", "local.yaml")["Shell in container"]).toEqual(["container", "maturity_incubating", "team_a"]);
    expect(tagsAfter("base.yaml", "local.yaml")["Write below etc"]).toEqual(["filesystem", "maturity_incubating"]);
  });

  it("--check fails for rules that lack the tags, naming them", async () => {
    const r = await run(["tag", "base.yaml", "local.yaml", "--tag", "maturity_stable", "--add", "team_a", "--check"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("base.yaml:12: rule 'Write below etc' lacks team_a\n1 of 2 rules does not carry the expected tags\n");
  });

  it("--diff prints a patch that gives what --write writes", async () => {
    const d = await run(["tag", "base.yaml", "local.yaml", "--add", "env:prod", "--remove", "team_a", "--diff"], { cwd: dir });
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/^--- a\/base.yaml\n\+\+\+ b\/base.yaml\n@@ /);
    const patched = join(dir, "patched");
    mkdirSync(patched);
    writeFileSync(join(patched, "base.yaml"), BASE);
    writeFileSync(join(patched, "local.yaml"), LOCAL);
    execFileSync("patch", ["-p1", "--silent", "-d", patched], { input: d.stdout });
    await run(["tag", "base.yaml", "local.yaml", "--add", "env:prod", "--remove", "team_a", "--write"], { cwd: dir });
    expect(readFileSync(join(patched, "base.yaml"), "utf8")).toBe(read("base.yaml"));
    expect(readFileSync(join(patched, "local.yaml"), "utf8")).toBe(read("local.yaml"));
  });

  it("--out writes every file to a directory and leaves the originals", async () => {
    const r = await run(["tag", "base.yaml", "local.yaml", "--add", "env:prod", "--out", "deploy"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, "deploy")).sort()).toEqual(["base.yaml", "local.yaml"]);
    expect(read("base.yaml")).toBe(BASE);
    expect(read("deploy/local.yaml")).toBe(LOCAL);
    expect(read("deploy/base.yaml")).toContain("env:prod");
  });

  it("refuses files that do not load, with their diagnostics, and writes nothing", async () => {
    writeFileSync(join(dir, "broken.yaml"), "- rule: Broken\n  desc: d\n  condition: proc.name = \n  output: o\n  priority: INFO\n");
    const r = await run(["tag", "base.yaml", "broken.yaml", "--add", "env:prod", "--write"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^broken\.yaml:3:\d+: error: /m);
    expect(r.stderr).toContain("falcokit tag: the rules files do not load");
    expect(read("base.yaml")).toBe(BASE);
  });

  it("says so when nothing matches, and on bad usage", async () => {
    const none = await run(["tag", "base.yaml", "--rule", "Nope", "--add", "x", "--write"], { cwd: dir });
    expect(none.code).toBe(1);
    expect(none.stderr).toBe("falcokit tag: no rule matches the selection; nothing written\n");
    for (const argv of [
      ["tag", "base.yaml", "--add", "x"],
      ["tag", "base.yaml", "--add", "x", "--write", "--diff"],
      ["tag", "base.yaml", "--write"],
      ["tag", "base.yaml", "--add", "x", "--write", "--priority-at-least", "loud"],
      ["tag", "base.yaml", "--replace", "nope", "--write"],
      ["tag", "base.yaml", "--add", "x", "--override-file", "o.yaml", "--falco-version", "new"],
      ["tag", "missing.yaml", "--add", "x", "--write"],
    ]) {
      const r = await run(argv, { cwd: dir });
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/falcokit tag: |missing\.yaml/);
    }
  });

  it("keeps CRLF line endings", async () => {
    writeFileSync(join(dir, "crlf.yaml"), BASE.replace(/\n/g, "\r\n"));
    const r = await run(["tag", "crlf.yaml", "--add", "env:prod", "--write"], { cwd: dir });
    expect(r.code).toBe(0);
    const text = read("crlf.yaml");
    expect(text.replace(/\r\n/g, "")).not.toContain("\n");
    expect(tagsAfter("crlf.yaml")["Untagged rule"]).toEqual(["env:prod"]);
  });

  it("a failure midway through writing leaves every file as it was", async () => {
    writeFileSync(join(dir, "other.yaml"), BASE.replace(/- rule: /g, "- rule: Other ").replace(/- macro: spawned\n  condition: evt.type in \(execve, execveat\)\n/, ""));
    let renames = 0;
    const failing = (files: readonly { path: string; text: string }[]) =>
      writeFilesAtomically(files, {
        writeFileSync,
        readFileSync,
        rmSync,
        renameSync: (from: string, to: string) => {
          if (++renames === 2) throw Object.assign(new Error("disk full (injected)"), { code: "ENOSPC" });
          renameSync(from, to);
        },
      });
    const r = await run(["tag", "base.yaml", "other.yaml", "--add", "env:prod", "--write"], { cwd: dir, writeFiles: failing });
    expect(renames).toBe(2);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("disk full (injected)");
    expect(r.stderr).toContain("every file is as it was");
    expect(read("base.yaml")).toBe(BASE);
    expect(read("other.yaml")).toBe(BASE.replace(/- rule: /g, "- rule: Other ").replace(/- macro: spawned\n  condition: evt.type in \(execve, execveat\)\n/, ""));
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});

describe("falcokit tag --override-file", () => {
  it("writes override items that load after the files and give the tags", async () => {
    const r = await run(["tag", "base.yaml", "local.yaml", "--add", "env:prod", "--override-file", "zz-tags.yaml"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("falcokit tag: wrote zz-tags.yaml: 4 rules (override: tags); 0 selected rules already had the tags\n");
    expect(read("base.yaml")).toBe(BASE);
    const text = read("zz-tags.yaml");
    expect(text).toContain("- rule: Shell in container\n  tags: [env:prod]\n  override:\n    tags: append\n");
    expect(tagsAfter("base.yaml", "local.yaml", "zz-tags.yaml")["Untagged rule"]).toEqual(["env:prod"]);
  });

  it("replaces the whole tag list when tags are removed", async () => {
    const r = await run(["tag", "base.yaml", "local.yaml", "--rule", "Shell*", "--remove", "shell", "--override-file", "-"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("- rule: Shell in container\n  tags: [maturity_stable, container, team_a]\n  override:\n    tags: replace\n");
    writeFileSync(join(dir, "zz.yaml"), r.stdout);
    expect(tagsAfter("base.yaml", "local.yaml", "zz.yaml")["Shell in container"]).toEqual(["container", "maturity_stable", "team_a"]);
  });

  it("redefines rules whole for Falco before 0.37, which has no override", async () => {
    const r = await run(["tag", "base.yaml", "--add", "env:prod", "--falco-version", "0.36.2", "--override-file", "zz-old.yaml"], { cwd: dir });
    expect(r.code).toBe(0);
    const text = read("zz-old.yaml");
    expect(text).not.toMatch(/^\s*override:/m);
    expect(text).toContain('- rule: Noisy rule\n  desc: "Off by default."\n');
    const before = loadRules([{ name: "base.yaml", text: BASE }]);
    const after = loadRules([
      { name: "base.yaml", text: BASE },
      { name: "zz-old.yaml", text },
    ]);
    expect(after.files.flatMap((f) => f.diagnostics.filter((d) => d.severity === "error"))).toEqual([]);
    for (const rule of before.collector.rules.items) {
      const now = after.collector.rules.get(rule.name)!;
      expect([now.cond.text, now.output, now.desc, now.priority, now.enabled]).toEqual([rule.cond.text, rule.output, rule.desc, rule.priority, rule.enabled]);
      expect([...now.tags].sort()).toEqual([...rule.tags, "env:prod"].sort());
    }
    expect(after.compiled!.rules.length).toBe(before.compiled!.rules.length);
  });

  it("works on the bundled ruleset", async () => {
    const r = await run(["tag", "rules/acme_rules.yaml", "rules/acme_rules.local.yaml", "--add", "env:prod", "--override-file", "-"], { cwd: REPO });
    expect(r.code).toBe(0);
    expect(existsSync(join(REPO, "-"))).toBe(false);
    expect(r.stdout.match(/^- rule: /gm)!.length).toBeGreaterThan(5);
  });
});
