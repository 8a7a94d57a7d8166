// Events that hold fewer params than their current layout and that the converter does not manage:
// libsinsp sees only the params the record holds (`get_num_params()`), so such an event has no
// return value when it holds none, and lists only what it holds. Found by the sysdig differential
// test: curl_google.scap's setsockopt< events are bare 22-byte v1 records.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { Inspector, ScapReader, buildEvent, eventParams, type ScapEvent } from "@falcokit/scap";
import { extractSyscallField } from "../src/syscall/index.js";

const FIELDS: [string, string?][] = [["evt.res"], ["evt.rawres"], ["evt.failed"], ["evt.args"], ["evt.arg", "0"], ["evt.arg", "fd"]];

/** For every exit event of a type: the params it holds and the FIELDS' values (read while live). */
function exits(file: string, type: string): { present: number; values: unknown[] }[] {
  const r = new ScapReader();
  const insp = new Inspector();
  r.push(new Uint8Array(gunzipSync(readFileSync(file))));
  r.end();
  const out: { present: number; values: unknown[] }[] = [];
  for (let rec = r.next(); rec !== undefined; rec = r.next()) {
    const ctx = insp.feed(rec);
    if (!ctx || (ctx.event.type & 1) === 0 || extractSyscallField(ctx, "evt.type") !== type) continue;
    out.push({ present: eventParams.paramCount(ctx.event), values: FIELDS.map(([n, a]) => extractSyscallField(ctx, n, a)) });
  }
  return out;
}

describe("params absent from the record", () => {
  it("a setsockopt< with no params has no return value and no arguments (curl_google.scap)", () => {
    const got = exits("/work/shared/corpus/captures/libs/curl_google.scap", "setsockopt");
    expect(got.length).toBeGreaterThan(0);
    for (const e of got) expect(e).toEqual({ present: 0, values: [undefined, undefined, undefined, "", undefined, undefined] });
  });

  it("paramCount: the params present, at most the layout's", () => {
    const ev = buildEvent({ type: "PPME_SOCKET_SETSOCKOPT_X", tid: 1, params: [0, 3, 1, 2, 0, 4] });
    expect(eventParams.paramCount(ev)).toBe(6);
    const two: ScapEvent = { ...ev, present: 2 };
    expect(eventParams.paramCount(two)).toBe(2);
    expect(eventParams.paramCount({ ...ev, present: 9 })).toBe(6);
  });
});
