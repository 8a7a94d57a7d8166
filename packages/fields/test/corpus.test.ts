import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { nodesOf, parseCondition, parseOutput, type Node } from "@falcokit/condition";
import { buildCatalogs, defaultCatalogs, type FieldCatalog } from "../src/index.js";
import { SHARED, yamlFiles } from "./shared.js";

/*
 * Every field written in a condition or an output of the upstream rules (latest) and of the
 * plugin rulesets resolves in the catalog of the source its rule runs on.
 */

/** The plugins the plugin rulesets need, in a plausible load order. */
const CORPUS_PLUGINS = ["container", "k8smeta", "krsi", "k8saudit", "cloudtrail", "okta", "github", "gcpaudit", "json", "dummy", "dummy_c", "dummy_rs", "hashicorp-vault"];

interface Item {
  kind: "rule" | "macro";
  name: string;
  source?: string;
  condition?: string;
  output?: string;
}

function itemsOf(file: string): Item[] {
  const out: Item[] = [];
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    const js = doc.toJS() as unknown;
    if (!Array.isArray(js)) continue;
    for (const it of js) {
      if (it === null || typeof it !== "object") continue;
      const o = it as Record<string, unknown>;
      const kind = typeof o.rule === "string" ? "rule" : typeof o.macro === "string" ? "macro" : undefined;
      if (!kind) continue;
      out.push({
        kind,
        name: String(o[kind]),
        ...(typeof o.source === "string" ? { source: o.source } : {}),
        ...(typeof o.condition === "string" ? { condition: o.condition } : {}),
        ...(typeof o.output === "string" ? { output: o.output } : {}),
      });
    }
  }
  return out;
}

/** `name` or `name[arg]` of every field node under `root`. */
const fieldsUnder = (root: Node): { name: string; arg?: string }[] =>
  nodesOf(root).flatMap((n) => (n.type === "field" ? [{ name: n.name, ...(n.arg !== undefined ? { arg: n.arg } : {}) }] : []));

function fieldsOf(item: Item): { name: string; arg?: string }[] {
  const out: { name: string; arg?: string }[] = [];
  if (item.condition) {
    const r = parseCondition(item.condition);
    if (r.ast) out.push(...fieldsUnder(r.ast));
  }
  if (item.output) {
    // Falco drops %container.info before compiling outputs
    for (const t of parseOutput(item.output.replaceAll("%container.info", "")).tokens) if (t.type === "field") out.push(...fieldsUnder(t.expr));
  }
  return out;
}

function checkFile(file: string, catalogs: Map<string, FieldCatalog>, seen: { count: number }): string[] {
  const items = itemsOf(file);
  const ruleSource = new Map<string, string>();
  for (const it of items) if (it.kind === "rule" && it.source && !ruleSource.has(it.name)) ruleSource.set(it.name, it.source);
  const fileSources = new Set(items.filter((i) => i.kind === "rule").map((i) => i.source ?? ruleSource.get(i.name) ?? "syscall"));
  if (fileSources.size === 0) fileSources.add("syscall");
  const problems: string[] = [];
  let checked = 0;
  for (const it of items) {
    // a macro is checked against the sources of the file's rules: it must resolve in one of them
    const sources = it.kind === "rule" ? [it.source ?? ruleSource.get(it.name) ?? "syscall"] : [...fileSources];
    for (const f of fieldsOf(it)) {
      checked++;
      const ok = sources.some((s) => catalogs.get(s)?.lookup(f.name, f.arg)?.ok === true);
      if (!ok) problems.push(`${relative(SHARED, file)}: ${it.kind} ${it.name}: ${f.name}${f.arg !== undefined ? `[${f.arg}]` : ""} (${sources.join("|")})`);
    }
  }
  seen.count += checked;
  return problems;
}

describe("corpus fields resolve", () => {
  it("upstream latest rules, default catalogs (syscall + container plugin)", () => {
    const catalogs = defaultCatalogs();
    const seen = { count: 0 };
    const problems = yamlFiles(SHARED + "corpus/rules/upstream/latest").flatMap((f) => checkFile(f, catalogs, seen));
    expect(problems).toEqual([]);
    expect(seen.count).toBeGreaterThan(2000);
  });

  it("plugin rulesets, with their plugins loaded", () => {
    const catalogs = buildCatalogs(CORPUS_PLUGINS);
    const seen = { count: 0 };
    const problems = yamlFiles(SHARED + "corpus/rules/plugins").flatMap((f) => checkFile(f, catalogs, seen));
    expect(problems).toEqual([]);
    expect(seen.count).toBeGreaterThan(500);
  });
});
