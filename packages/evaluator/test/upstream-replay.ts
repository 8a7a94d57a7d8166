// Shared by the tests that replay syscall fixtures through upstream's falco_rules.yaml.
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { loadRules, type LoadResult } from "@falcokit/engine";
import { Inspector } from "@falcokit/scap";
import { Ruleset, SyscallEventSource, alertsFor, readSyscallFixture, syscallFixtureRecords, type Alert } from "../src/index.js";

const SHARED = new URL("../../../../shared/", import.meta.url);

/** Upstream's stable rules and their syscall ruleset. */
export function upstreamSyscallRules(): { load: LoadResult; ruleset: Ruleset<unknown> } {
  const load = loadRules([{ name: "falco_rules.yaml", text: readFileSync(new URL("corpus/rules/upstream/latest/rules/falco_rules.yaml", SHARED), "utf8") }]);
  const ruleset = Ruleset.build(load, "syscall", new SyscallEventSource(load.catalogs.get("syscall")!)) as Ruleset<unknown>;
  return { load, ruleset };
}

/** The alerts of a syscall fixture (which must read without problems), every matching rule reporting. */
export function fixtureAlerts(ruleset: Ruleset<unknown>, text: string): Alert[] {
  const { fixture, problems } = readSyscallFixture(text);
  expect(problems).toEqual([]);
  const inspector = new Inspector();
  const out: Alert[] = [];
  for (const rec of syscallFixtureRecords(fixture)) {
    const ctx = inspector.feed(rec);
    if (!ctx) continue;
    out.push(...alertsFor(ruleset, ctx, [ctx.event.type], ctx.event.ts, ctx.num, "all"));
  }
  return out;
}
