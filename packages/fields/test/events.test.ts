import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  ALL_EVENT_CODES,
  ALL_SC_CODES,
  ASYNCEVENT_E,
  EVENT_TABLE,
  GENERIC_E,
  GENERIC_X,
  PLUGINEVENT_E,
  PPM_EVENT_MAX,
  PPM_SC_MAX,
  SC_NAME_LIST,
  codeDifference,
  codeIntersection,
  codeUnion,
  eventCodesForName,
  eventCodesToNames,
  eventCodesToScCodes,
  eventInfo,
  eventName,
  eventNamesToCodes,
  eventNamesToScCodes,
  isGenericEvent,
  isIterEvent,
  isKnownEventName,
  isMetaEvent,
  isOldVersionEvent,
  isPluginEvent,
  isUnusedEvent,
  scCodeForName,
  scCodesToEventCodes,
  scCodesToEventNames,
  scCodesToNames,
  scName,
} from "../src/events.js";

const SHARED = fileURLToPath(new URL("../../../../shared/", import.meta.url));

interface SharedEvent {
  code: number;
  enum: string;
  name: string;
  dir: "enter" | "exit";
  category_raw: number;
  flags_raw: number;
}
const shared = JSON.parse(readFileSync(SHARED + "corpus/event-table.json", "utf8")) as {
  _meta: { ppm_event_max: number };
  events: SharedEvent[];
};

const codesOf = (...enums: string[]) => enums.map((e) => EVENT_TABLE.find((x) => x.enumName === e)!.code).sort((a, b) => a - b);
const sc = (name: string) => scCodeForName(name)!;

describe("event table", () => {
  it("agrees with the shared event table, code by code", () => {
    expect(PPM_EVENT_MAX).toBe(shared._meta.ppm_event_max);
    expect(EVENT_TABLE).toHaveLength(shared.events.length);
    for (const e of shared.events) {
      const mine = eventInfo(e.code)!;
      expect({ enum: mine.enumName, name: mine.name, dir: mine.direction, cat: mine.category, flags: mine.flags }).toEqual({
        enum: e.enum,
        name: e.name,
        dir: e.dir,
        cat: e.category_raw,
        flags: e.flags_raw,
      });
    }
  });

  it("names codes and answers out-of-range lookups", () => {
    expect(eventName(2)).toBe("open");
    expect(eventName(GENERIC_E)).toBe("syscall");
    expect(eventName(ASYNCEVENT_E)).toBe("asyncevent");
    expect(eventName(PLUGINEVENT_E)).toBe("pluginevent");
    expect(() => eventName(PPM_EVENT_MAX)).toThrow(RangeError);
    expect(() => eventName(-1)).toThrow(RangeError);
    expect(eventInfo(1.5)).toBeUndefined();
    expect([GENERIC_E, GENERIC_X, PLUGINEVENT_E, ASYNCEVENT_E]).toEqual([0, 1, 322, 402]);
  });

  it("classifies events by flag and category", () => {
    expect(isGenericEvent(0) && isGenericEvent(1) && !isGenericEvent(2)).toBe(true);
    const unused = ALL_EVENT_CODES.filter(isUnusedEvent);
    expect(unused.every((c) => eventName(c) === "NA")).toBe(true);
    expect(unused).toHaveLength(35);
    expect(isOldVersionEvent(codesOf("PPME_SYSCALL_OPENAT_E")[0]!)).toBe(true);
    expect(isOldVersionEvent(codesOf("PPME_SYSCALL_OPENAT_2_E")[0]!)).toBe(false);
    expect(isMetaEvent(ASYNCEVENT_E) && isPluginEvent(PLUGINEVENT_E)).toBe(true);
    expect(isIterEvent(codesOf("PPME_ITER_TASK_E")[0]!)).toBe(true);
  });

  it("has the ppm_sc names of libs 0.25.4", () => {
    expect(PPM_SC_MAX).toBe(454);
    expect(scName(0)).toBe("unknown");
    expect(scName(382)).toBe("");
    expect(scName(PPM_SC_MAX)).toBe("");
    expect(sc("openat")).toBeGreaterThan(0);
    expect(scName(sc("_newselect"))).toBe("_newselect");
    expect(scCodeForName("unknown")).toBeUndefined();
    expect(scCodeForName("")).toBeUndefined();
    expect(scCodeForName("OPENAT")).toBeUndefined();
    expect(ALL_SC_CODES).toHaveLength(452); // 1 .. 453 without the unnamed 382
    expect(SC_NAME_LIST).toHaveLength(453);
    for (const n of ["sched_process_exit", "sched_switch", "page_fault_user", "signal_deliver", "pread64", "syncfs"]) expect(SC_NAME_LIST).toContain(n);
  });
});

describe("evt.type values libs accepts", () => {
  it("accepts every event name and every ppm_sc name", () => {
    for (const e of EVENT_TABLE) expect(isKnownEventName(e.name)).toBe(true);
    for (const n of SC_NAME_LIST) expect(isKnownEventName(n)).toBe(true);
  });

  it("accepts the odd ones libs accepts", () => {
    // NA (unused placeholders), the generic name, the PPM_SC_UNKNOWN name, the unnamed ppm_sc slot.
    for (const n of ["NA", "syscall", "unknown", "", "container", "asyncevent", "pluginevent", "drop", "task_file_pipe"]) {
      expect(isKnownEventName(n), n).toBe(true);
    }
  });

  it("rejects anything else, case-sensitively", () => {
    for (const n of ["OPEN", "Open", "na", "foo", "open ", "evt.type", "execveat2", "sched_process_exit2"]) expect(isKnownEventName(n), n).toBe(false);
  });

  it("accepts plugin async event names when told about them", () => {
    expect(isKnownEventName("my_async")).toBe(false);
    expect(isKnownEventName("my_async", { asyncEventNames: ["my_async"] })).toBe(true);
  });
});

describe("names to event codes (names_to_event_set)", () => {
  it("maps a name to all versions, enter and exit", () => {
    expect(eventCodesForName("openat")).toEqual(codesOf("PPME_SYSCALL_OPENAT_E", "PPME_SYSCALL_OPENAT_X", "PPME_SYSCALL_OPENAT_2_E", "PPME_SYSCALL_OPENAT_2_X"));
    expect(eventCodesForName("close")).toEqual(codesOf("PPME_SYSCALL_CLOSE_E", "PPME_SYSCALL_CLOSE_X"));
    expect(eventCodesForName("execve")).toHaveLength(16);
  });

  it("matches each event that carries the name, whatever it is", () => {
    expect(eventCodesForName("container")).toEqual(codesOf("PPME_CONTAINER_E", "PPME_CONTAINER_JSON_E", "PPME_CONTAINER_JSON_2_E"));
    expect(eventCodesForName("procexit")).toEqual(codesOf("PPME_PROCEXIT_E", "PPME_PROCEXIT_1_E"));
    expect(eventCodesForName("asyncevent")).toEqual([ASYNCEVENT_E]);
    expect(eventCodesForName("NA")).toEqual(ALL_EVENT_CODES.filter(isUnusedEvent));
    expect(eventCodesForName("close_range")).toEqual(codesOf("PPME_SYSCALL_CLOSE_RANGE_X"));
  });

  it("maps syscalls without an event to the generic events", () => {
    expect(eventCodesForName("syncfs")).toEqual([GENERIC_E, GENERIC_X]);
    // a syscall name whose event is named differently also lands on the generic events
    expect(eventCodesForName("pread64")).toEqual([GENERIC_E, GENERIC_X]);
    expect(eventCodesForName("pread")).toEqual(codesOf("PPME_SYSCALL_PREAD_E", "PPME_SYSCALL_PREAD_X"));
    expect(eventCodesForName("unknown")).toEqual([GENERIC_E, GENERIC_X]);
    expect(eventCodesForName("")).toEqual([GENERIC_E, GENERIC_X]);
  });

  it("never matches the generic events by their own name", () => {
    expect(eventCodesForName("syscall")).toEqual([]);
    expect(eventCodesForName("foo")).toEqual([]);
  });

  it("adds generics once any leftover name is a syscall", () => {
    expect(eventNamesToCodes(["open", "syncfs", "foo"])).toEqual([GENERIC_E, GENERIC_X, ...eventCodesForName("open")]);
    expect(eventNamesToCodes(["open", "foo"])).toEqual(eventCodesForName("open"));
  });

  it("maps plugin async event names to asyncevent", () => {
    expect(eventCodesForName("my_async", { asyncEventNames: ["my_async"] })).toEqual([ASYNCEVENT_E]);
    expect(eventCodesForName("open", { asyncEventNames: ["open"] })).toEqual(codeUnion(eventCodesForName("open"), [ASYNCEVENT_E]));
  });

  it("round-trips every specific event name", () => {
    for (const e of EVENT_TABLE) {
      if (e.code < 2) continue;
      const codes = eventCodesForName(e.name);
      expect(codes).toContain(e.code);
      expect(codes.every((c) => eventName(c) === e.name)).toBe(true);
    }
  });
});

describe("names to ppm_sc codes (event_names_to_sc_set)", () => {
  it("maps event names through their events", () => {
    expect(eventNamesToScCodes(["openat"])).toEqual([sc("openat")]);
    expect(eventNamesToScCodes(["accept"])).toEqual([sc("accept"), sc("accept4")].sort((a, b) => a - b));
    expect(eventNamesToScCodes(["procexit"])).toEqual([sc("sched_process_exit")]);
    expect(eventNamesToScCodes(["container", "asyncevent", "NA"])).toEqual([]);
  });

  it("keeps only the named generic syscalls", () => {
    expect(eventNamesToScCodes(["syncfs"])).toEqual([sc("syncfs")]);
    expect(eventNamesToScCodes(["syncfs", "fanotify_init", "open"])).toEqual([sc("open"), sc("syncfs"), sc("fanotify_init")].sort((a, b) => a - b));
    // pread64 lands on the generic events but is not a generic syscall: nothing
    expect(eventNamesToScCodes(["pread64"])).toEqual([]);
  });
});

describe("conversions between code spaces", () => {
  it("maps events to ppm_sc codes and back", () => {
    expect(eventCodesToScCodes(eventCodesForName("openat"))).toEqual([sc("openat")]);
    expect(scCodesToEventCodes([sc("openat")])).toEqual(eventCodesForName("openat"));
    expect(scCodesToEventCodes([sc("syncfs")])).toEqual([GENERIC_E, GENERIC_X]);
  });

  it("covers every named syscall from the whole event table", () => {
    expect(eventCodesToScCodes(ALL_EVENT_CODES)).toEqual(ALL_SC_CODES);
  });

  it("maps all syscalls to every event but unused, meta, plugin and iterator events", () => {
    const expected = ALL_EVENT_CODES.filter((c) => !isUnusedEvent(c) && !isMetaEvent(c) && !isPluginEvent(c) && !isIterEvent(c));
    expect(scCodesToEventCodes(ALL_SC_CODES)).toEqual(expected);
  });

  it("names event sets, resolving generics on request", () => {
    expect(eventCodesToNames(eventCodesForName("openat"))).toEqual(["openat"]);
    expect(eventCodesToNames([GENERIC_E, ASYNCEVENT_E], false)).toEqual(["asyncevent"]);
    const resolved = eventCodesToNames([GENERIC_E]);
    expect(resolved).toContain("syncfs");
    expect(resolved).not.toContain("unknown");
    expect(resolved).not.toContain("syscall");
    expect(resolved).toHaveLength(272);
  });

  it("names syscall sets as events, generic syscalls by their own names", () => {
    expect(scCodesToNames([sc("openat"), 0, 382])).toEqual(["openat", "unknown"]);
    expect(scCodesToEventNames([sc("openat")])).toEqual(["openat"]);
    expect(scCodesToEventNames([sc("pread64")])).toEqual(["pread"]);
    expect(scCodesToEventNames([sc("syncfs"), sc("accept4")])).toEqual(["accept", "accept4", "syncfs"]);
    expect(scCodesToEventNames([sc("sched_process_exit")])).toEqual(["procexit"]);
  });
});

describe("code set helpers", () => {
  it("unite, intersect and subtract sorted sets", () => {
    expect(codeUnion([1, 3], [2, 3])).toEqual([1, 2, 3]);
    expect(codeIntersection([1, 2, 3], [3, 2, 9])).toEqual([2, 3]);
    expect(codeDifference([1, 2, 3], [2])).toEqual([1, 3]);
  });
});
