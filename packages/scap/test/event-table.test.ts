import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-ignore: a plain .mjs script without typings
import { generateEventTable, JSON_URL, OUT_URL } from "../scripts/gen-event-table.mjs";
import { CONVERSIONS, EVENTS, PARAM_TYPES, PPM_EVENT_MAX, codeOf, conversionFor, eventCodes } from "../src/index.js";
import { SHARED } from "./helpers.js";

describe("generated event table", () => {
  it("src/event-table.ts matches a fresh generation from shared/corpus/event-table.json", () => {
    const jsonUrl = new URL("corpus/event-table.json", SHARED);
    expect(String(JSON_URL)).toBe(String(jsonUrl));
    const fresh = (generateEventTable as (t: string) => string)(readFileSync(jsonUrl, "utf8"));
    const committed = readFileSync(OUT_URL as URL, "utf8");
    expect(committed.startsWith("// GENERATED FILE")).toBe(true);
    expect(committed === fresh).toBe(true);
  });

  it("has every code, indexed by code, with the JSON's params", () => {
    const json = JSON.parse(readFileSync(new URL("corpus/event-table.json", SHARED), "utf8"));
    expect(EVENTS.length).toBe(PPM_EVENT_MAX);
    expect(PPM_EVENT_MAX).toBe(json._meta.ppm_event_max);
    for (const e of json.events) {
      const g = EVENTS[e.code]!;
      expect(g.code).toBe(e.code);
      expect(g.enumName).toBe(e.enum);
      expect(g.name).toBe(e.name);
      expect(g.dir).toBe(e.dir);
      expect(g.category).toBe(e.category);
      expect(g.flags).toBe(e.flags_raw);
      expect(g.params.map((p) => [p.name, p.type, p.fmt, p.flagsTable])).toEqual(
        e.params.map((p: { name: string; type: string; fmt: string; flags_table?: string }) => [
          p.name,
          p.type,
          p.fmt,
          p.flags_table,
        ]),
      );
    }
    expect(CONVERSIONS.length).toBe(json.conversions.length);
    for (const [k, v] of Object.entries(json.param_types) as [string, { code: number; fixed_len: number | null }][]) {
      expect(PARAM_TYPES[k as keyof typeof PARAM_TYPES]).toEqual({ code: v.code, fixedLen: v.fixed_len ?? -1 });
    }
  });

  it("codeOf and eventCodes", () => {
    expect(codeOf("PPME_GENERIC_E")).toBe(0);
    expect(codeOf("PPME_SYSCALL_OPEN_X")).toBe(3);
    expect(() => codeOf("PPME_NOPE")).toThrow();
    const openExits = eventCodes("open", "exit");
    expect(openExits).toContain(3);
    for (const c of openExits) expect(EVENTS[c]!.dir).toBe("exit");
    const execveExits = eventCodes("execve", "exit").map((c) => EVENTS[c]!.enumName);
    expect(execveExits).toContain("PPME_SYSCALL_EXECVE_19_X");
    expect(execveExits.length).toBeGreaterThanOrEqual(8);
    expect(eventCodes("no-such-syscall", "enter")).toEqual([]);
  });

  it("conversionFor finds the converter rules by (code, nparams)", () => {
    const r = conversionFor(codeOf("PPME_SYSCALL_READ_X"), 2)!;
    expect(r.action).toBe("ADD_PARAMS");
    expect(r.instrs.map((i) => [i.op, i.param])).toEqual([
      ["FROM_ENTER", 0],
      ["FROM_ENTER", 1],
    ]);
    const c = conversionFor(codeOf("PPME_SYSCALL_LINK_X"), 1)!;
    expect(c.action).toBe("CHANGE_TYPE");
    expect(c.desiredCode).toBe(codeOf("PPME_SYSCALL_LINK_2_X"));
    expect(conversionFor(codeOf("PPME_SYSCALL_READ_X"), 4)).toBeUndefined();
  });
});
