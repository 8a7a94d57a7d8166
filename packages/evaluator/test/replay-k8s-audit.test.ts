import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadRules } from "@falcokit/engine";
import { PLUGINEVENT_E } from "@falcokit/fields";
import { AuditEventSource, Ruleset, alertsFor, parseAuditEvents, type Alert, type AuditEvent } from "../src/index.js";

const SHARED = new URL("../../../../shared/", import.meta.url);
const read = (p: string) => readFileSync(new URL(p, SHARED), "utf8");

interface Case {
  name: string;
  events: string;
  alerts: { rule: string; count: number }[];
}
const expectations = parse(readFileSync(new URL("./data/falco-k8s-audit-expectations.yaml", import.meta.url), "utf8")) as { cases: Case[] };

const load = loadRules([{ name: "k8s_audit_rules.yaml", text: read("corpus/rules/plugins/k8saudit/k8s_audit_rules.yaml") }]);
const ruleset = Ruleset.build(load, "k8s_audit", new AuditEventSource(load.catalogs.get("k8s_audit")!));

function replay(text: string, matching: "first" | "all" = "first"): Alert[] {
  const { events } = parseAuditEvents(text);
  return events.flatMap((ev: AuditEvent) => alertsFor(ruleset, ev, [PLUGINEVENT_E], ev.ts, ev.num, matching));
}

describe("k8s audit events through the k8saudit rules, as Falco's regression suite expects", () => {
  it("loads the rules and builds every k8s_audit rule", () => {
    expect(load.files.every((f) => f.successful)).toBe(true);
    expect(ruleset.problems).toEqual([]);
    expect(ruleset.rules.length).toBeGreaterThan(40);
  });

  for (const c of expectations.cases) {
    it(`${c.name}: ${c.alerts.length === 0 ? "nothing reported" : c.alerts.map((a) => `${a.rule} x${a.count}`).join(", ")}`, () => {
      const alerts = replay(read(`corpus/captures/falco/${c.events}`));
      const counts = new Map<string, number>();
      for (const a of alerts) counts.set(a.rule, (counts.get(a.rule) ?? 0) + 1);
      expect(Object.fromEntries(counts)).toEqual(Object.fromEntries(c.alerts.map((a) => [a.rule, a.count])));
    });
  }

  it("renders outputs with the event's values and Falco's JSON keys", () => {
    const text = read("corpus/captures/falco/k8s_audit/create_nginx_pod_privileged.json");
    const [alert] = replay(text);
    const event = JSON.parse(text.split("\n")[0]!) as { user: { username: string }; stageTimestamp: string };
    expect(alert!.rule).toBe("Create Privileged Pod");
    expect(alert!.output).toContain(`user=${event.user.username}`);
    expect(alert!.output_fields["ka.user.name"]).toBe(event.user.username);
    expect(alert!.time.slice(0, 19)).toBe(event.stageTimestamp.slice(0, 19));
    expect(alert!.priority).toBe("Warning");
    expect(alert!.source).toBe("k8s_audit");
  });

  it("with rule_matching all, reports every matching rule of an event, in load order", () => {
    const text = read("corpus/captures/falco/k8s_audit/create_nginx_pod_privileged.json");
    const first = replay(text, "first");
    const all = replay(text, "all");
    expect(all.length).toBeGreaterThanOrEqual(first.length);
    expect(all[0]!.rule).toBe(first[0]!.rule);
    const order = all.map((a) => load.compiled!.rules.findIndex((r) => r.info.name === a.rule));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});
