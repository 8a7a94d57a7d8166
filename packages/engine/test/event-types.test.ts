import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parseCondition, type Expr } from "@falcokit/condition";
import {
  ALL_EVENT_CODES,
  ALL_SC_CODES,
  ASYNCEVENT_E,
  PLUGINEVENT_E,
  codeDifference,
  eventCodesToScCodes,
  eventNamesToCodes,
  eventNamesToScCodes,
  isIterEvent,
  isMetaEvent,
  isPluginEvent,
  isUnusedEvent,
  scCodesToEventCodes,
} from "@falcokit/fields";
import {
  EVENT_CODE_SEARCH_ERRORS,
  eventTypesOf,
  type EventTypeOptions,
  type EventTypeResult,
  type EventTypeSet,
} from "../src/event-types.js";
import { parse, types } from "./trees.js";

/*
 * libsinsp's event-code vectors (filter_ppm_codes.ut.cpp, via
 * ../shared/conformance/filter-parser-cases.json). Like libs, every case runs over four code
 * spaces: event codes, ppm_sc codes, and each converted into the other.
 */

const SHARED = fileURLToPath(new URL("../../../../shared/", import.meta.url));

interface Case {
  kind: string;
  condition: string;
  expect_event_set?: { set?: string[]; all_except?: string[]; all?: boolean };
  expect_same_event_set_as?: string;
  expect_parse?: boolean;
  "in_release_0.25.4": boolean;
  test: string;
}

const allCases = (JSON.parse(readFileSync(SHARED + "conformance/filter-parser-cases.json", "utf8")) as { cases: Case[] }).cases;
const eventCases = allCases.filter((c) => c.kind === "event_types");
const searchFailures = allCases.filter((c) => c.kind === "parse" && c.test.startsWith("filter_ppm_codes.") && c.expect_parse === false);
const searchSuccesses = allCases.filter((c) => c.kind === "parse" && c.test.startsWith("filter_ppm_codes.") && c.expect_parse === true);


/** One of libs' four test data flavours. */
interface Space {
  name: string;
  all: readonly number[];
  named(names: string[]): readonly number[];
  of(set: EventTypeSet): readonly number[];
}

const converted = ALL_EVENT_CODES.filter((c) => !isUnusedEvent(c) && !isMetaEvent(c) && !isPluginEvent(c) && !isIterEvent(c));
const SPACES: Space[] = [
  { name: "event", all: ALL_EVENT_CODES, named: (n) => eventNamesToCodes(n), of: (s) => s.eventCodes },
  { name: "sc", all: ALL_SC_CODES, named: (n) => eventNamesToScCodes(n), of: (s) => s.scCodes },
  { name: "event_converted", all: converted, named: (n) => eventNamesToCodes(n), of: (s) => scCodesToEventCodes(s.scCodes) },
  { name: "sc_converted", all: ALL_SC_CODES, named: (n) => eventNamesToScCodes(n), of: (s) => eventCodesToScCodes(s.eventCodes) },
];

function expected(c: Case, space: Space): readonly number[] {
  const e = c.expect_event_set!;
  if (e.all) return space.all;
  if (e.set) return space.named(e.set);
  return codeDifference(space.all, space.named(e.all_except!));
}

const isEvtNumCase = (c: Case) => c.test.startsWith("filter_ppm_codes.check_evt_num");
/**
 * Cases flagged as master-only: the evt.num ones are (libs master's invariants) and run with the
 * master option; the check_properties ones are in 0.25.4's filter_ppm_codes.ut.cpp too (the
 * flag is wrong for them) and run as released behaviour.
 */
const optionsFor = (c: Case): EventTypeOptions => (!c["in_release_0.25.4"] && isEvtNumCase(c) ? { libs: "master" } : {});

const tally = { released: 0, masterFlaggedReleased: 0, masterOnly: 0 };

describe("libs filter_ppm_codes vectors", () => {
  afterAll(() => {
    const n = eventCases.length;
    console.log(
      `event_types cases: ${n} (in_release_0.25.4: ${eventCases.filter((c) => c["in_release_0.25.4"]).length}); passed: ` +
        `${tally.released} released, ${tally.masterFlaggedReleased} flagged master-only but present in 0.25.4 (run as 0.25.4), ` +
        `${tally.masterOnly} evt.num master-only (run with libs: "master"); skipped: 0`,
    );
  });

  for (const c of eventCases) {
    const label = `${c.test} | ${c.condition}${c.expect_same_event_set_as ? ` ≡ ${c.expect_same_event_set_as}` : ""}${c["in_release_0.25.4"] ? "" : " [master]"}`;
    it(label, () => {
      const options = optionsFor(c);
      const set = types(c.condition, options);
      const other = c.expect_same_event_set_as === undefined ? undefined : types(c.expect_same_event_set_as, options);
      for (const space of SPACES) {
        const want = other ? space.of(other) : expected(c, space);
        expect(space.of(set), space.name).toEqual(want);
      }
      if (c["in_release_0.25.4"]) tally.released++;
      else if (isEvtNumCase(c)) tally.masterOnly++;
      else tally.masterFlaggedReleased++;
    });
  }

  describe("evt.num is neutral in libs 0.25.4", () => {
    for (const c of eventCases.filter(isEvtNumCase)) {
      it(c.condition, () => {
        const neutral = c.condition.replaceAll("evt.num", "proc.pid");
        expect(types(c.condition).eventCodes).toEqual(types(neutral).eventCodes);
        expect(types(c.condition).scCodes).toEqual(types(neutral).scCodes);
      });
    }
  });
});

describe("checks libs' event code search gives up on", () => {
  const leftTransformer = /^(not )?b64\(evt\.type\)/;
  it("has the 16 vectors", () => expect(searchFailures).toHaveLength(16));
  for (const c of searchFailures) {
    it(c.condition, () => {
      const r = eventTypesOf(parse(c.condition), "syscall");
      expect(r.ok).toBe(false);
      if (r.ok) return;
      const kind = leftTransformer.test(c.condition) ? "transformer" : "rhsField";
      expect(r.message).toBe(EVENT_CODE_SEARCH_ERRORS[kind]);
      expect(r.code).toBe(kind === "transformer" ? "event-types/transformer" : "event-types/rhs-field");
    });
  }
  for (const c of searchSuccesses) {
    it(`${c.condition} (no failure)`, () => expect(eventTypesOf(parse(c.condition), "syscall").ok).toBe(true));
  }
});

function failure(text: string): Extract<EventTypeResult, { ok: false }> {
  const r = eventTypesOf(parse(text), "syscall");
  if (r.ok) throw new Error(`${text} did not fail`);
  return r;
}

describe("search failures in detail", () => {
  it("points at the failing check", () => {
    const text = "evt.type = openat and (proc.name = cat or tolower(evt.type) in (open, close))";
    const r = failure(text);
    expect(text.slice(r.range.start, r.range.end)).toBe("tolower(evt.type) in (open, close)");
  });

  it("fails on transformers of evt.type and syscall.type only with = == != in", () => {
    expect(failure("toupper(syscall.type) == OPEN").message).toBe(EVENT_CODE_SEARCH_ERRORS.transformer);
    expect(failure("basename(evt.type) != x").code).toBe("event-types/transformer");
    expect(types("tolower(evt.type) contains open").eventCodes).toEqual(ALL_EVENT_CODES);
    expect(types("tolower(evt.type) startswith open").eventCodes).toEqual(ALL_EVENT_CODES);
  });

  it("fails on an evt.type transformer under exists, whatever the side", () => {
    expect(failure("tolower(evt.type) exists").code).toBe("event-types/transformer");
    expect(types("tolower(evt.type[0]) exists").eventCodes).toEqual(ALL_EVENT_CODES);
  });

  it("tells a right-side evt.type inside val() or a transformer as a transformer failure", () => {
    expect(failure("evt.type = val(evt.type)").code).toBe("event-types/transformer");
    expect(failure("evt.type in (open) and evt.type = tolower(evt.type)").code).toBe("event-types/transformer");
    expect(failure("syscall.type = val(proc.name)").code).toBe("event-types/rhs-field");
  });

  it("does not look at the right side of other fields", () => {
    expect(types("proc.name = val(evt.type)").eventCodes).toEqual(ALL_EVENT_CODES);
    expect(types("evt.type[1] = val(proc.name)").eventCodes).toEqual(ALL_EVENT_CODES);
  });

  it("never inspects plugin-source conditions", () => {
    const r = eventTypesOf(parse("tolower(evt.type) = open"), "k8s_audit");
    expect(r).toMatchObject({ ok: true, syscall: false, eventCodes: [PLUGINEVENT_E], scCodes: [] });
  });
});

describe("leaves", () => {
  it("treats syscall.type like evt.type", () => {
    expect(types("syscall.type = openat").eventCodes).toEqual(types("evt.type = openat").eventCodes);
    expect(types("syscall.type exists").eventCodes).toEqual(ALL_EVENT_CODES);
    expect(types("not syscall.type exists").eventCodes).toEqual([]);
  });

  it("treats evt.type with an argument, other operators and macros as neutral", () => {
    for (const t of ["evt.type[0] = openat", "evt.type contains open", "evt.type pmatch (open)", "evt.type intersects (open)", "some_macro", "evt.type glob open*"]) {
      expect(types(t).eventCodes, t).toEqual(ALL_EVENT_CODES);
      expect(types(`not ${t}`).eventCodes, `not ${t}`).toEqual(ALL_EVENT_CODES);
    }
  });

  it("maps unknown names to nothing and generic syscalls to the generic events", () => {
    expect(types("evt.type = foo").eventCodes).toEqual([]);
    expect(types("evt.type = syscall").eventCodes).toEqual([]);
    expect(types("evt.type = syncfs").eventCodes).toEqual([0, 1]);
    expect(types("evt.type = syncfs").scCodes).toEqual(eventNamesToScCodes(["syncfs"]));
    expect(types("evt.type = pread64").scCodes).toEqual([]);
  });

  it("maps plugin async event names to asyncevent when told about them", () => {
    expect(types("evt.type = my_async", { asyncEventNames: ["my_async"] }).eventCodes).toEqual([ASYNCEVENT_E]);
    expect(types("evt.type = my_async").eventCodes).toEqual([]);
  });
});

describe("quirks of libs' walk (read from ppm_codes.cpp, no upstream vectors)", () => {
  it("complements a neutral check under `not` when its left transformer ends on a value", () => {
    // libs keeps "the last node had codes" from the value inside the transformer
    expect(types('not concat(proc.name, "x") = foo').eventCodes).toEqual([]);
    expect(types('not concat(proc.name, "x") = foo').scCodes).toEqual([]);
    expect(types('not join(",", (proc.name, "a")) = x').eventCodes).toEqual([]);
    expect(types('not concat("x", proc.name) = foo').eventCodes).toEqual(ALL_EVENT_CODES);
    expect(types('concat(proc.name, "x") = foo').eventCodes).toEqual(ALL_EVENT_CODES);
    // the left side is not walked for other operators
    expect(types('not concat(proc.name, "x") contains foo').eventCodes).toEqual(ALL_EVENT_CODES);
  });

  it("checks for evt.type after each transformer argument, not inside argument lists", () => {
    expect(types('join(",", (evt.type, proc.name)) = x').eventCodes).toEqual(ALL_EVENT_CODES);
    expect(failure('join(",", (proc.name, evt.type)) = x').code).toBe("event-types/transformer");
  });

  it("fails on any transformer on the right of evt.type", () => {
    expect(failure('evt.type = concat(proc.name, "x")').code).toBe("event-types/rhs-field");
  });
});
