/**
 * Capture replay: the file is read in chunks (decompressed on the fly when gzipped), records
 * go through the state machine, and every event it hands to filters meets the syscall
 * ruleset under its event code. Memory stays flat whatever the capture's size.
 */
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import type { FieldCatalog } from "@falcokit/fields";
import { SyscallEventSource, alertsFor, type Alert, type DnsTable, type FieldSource, type Ruleset } from "@falcokit/evaluator";
import { Inspector, ScapError, ScapReader, isGzip, type ScapRecord } from "@falcokit/scap";

export interface CaptureReplayOptions {
  rulesetFor<Ctx>(source: string, make: (catalog: FieldCatalog) => FieldSource<Ctx>): Ruleset<Ctx> | undefined;
  matching: "first" | "all";
  allEvents: boolean;
  emit(alert: Alert): void;
  /** What the replaying machine's resolver answers, for `fd.*ip.name` (captures carry none). */
  dns?: DnsTable;
  /** Called now and then with the events replayed so far (progress display). */
  progress?(events: number): void;
}

/** Chunks of a stream, gunzipped when the first bytes say gzip. */
async function* decompressed(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const it = source[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const rest: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => {
      let sentFirst = false;
      return {
        next: async () => {
          if (!sentFirst) {
            sentFirst = true;
            return { done: false, value: first.value };
          }
          return it.next();
        },
      };
    },
  };
  if (!isGzip(first.value)) {
    yield* rest;
    return;
  }
  const gunzip = Readable.from(rest).pipe(createGunzip());
  for await (const chunk of gunzip) yield chunk as Uint8Array;
}

/**
 * Replays a capture (raw or gzip). Returns a problem message (with the byte offset) when the
 * capture is truncated or corrupted; the alerts of the events before the problem are kept.
 */
export async function replayCapture(source: AsyncIterable<Uint8Array>, options: CaptureReplayOptions): Promise<string | undefined> {
  const ruleset = options.rulesetFor("syscall", (c) => new SyscallEventSource(c, options.dns ? { dns: options.dns } : {}));
  if (!ruleset) return "captures need the syscall source";
  const reader = new ScapReader();
  const inspector = new Inspector({ showHiddenEnterEvents: options.allEvents });
  const codes: number[] = [0];
  let events = 0;
  const drain = () => {
    for (let rec = reader.next(); rec !== undefined; rec = reader.next()) {
      const ctx = inspector.feed(rec);
      if (!ctx) continue;
      codes[0] = ctx.event.type;
      for (const a of alertsFor(ruleset, ctx, codes, ctx.event.ts, ctx.num, options.matching)) options.emit(a);
      if (++events % 65536 === 0) options.progress?.(events);
    }
  };
  try {
    for await (const chunk of decompressed(source)) {
      reader.push(chunk);
      drain();
    }
    reader.end();
    drain();
  } catch (e) {
    if (e instanceof ScapError) return e.message;
    // zlib's errors: a corrupt or truncated gzip stream.
    if (e instanceof Error && "code" in e && String((e as { code: unknown }).code).startsWith("Z_")) return `not a valid gzip stream (${e.message}) after ${reader.offset} bytes of capture`;
    throw e;
  }
  return undefined;
}

/**
 * Replays records that did not come from a file (a syscall-level fixture's): the same state
 * machine and ruleset as for captures. `lineOf` names the fixture line of an event for alerts.
 */
export function replayRecords(records: Iterable<ScapRecord>, options: CaptureReplayOptions): void {
  const ruleset = options.rulesetFor("syscall", (c) => new SyscallEventSource(c, options.dns ? { dns: options.dns } : {}));
  if (!ruleset) return;
  const inspector = new Inspector({ showHiddenEnterEvents: options.allEvents });
  const codes: number[] = [0];
  for (const rec of records) {
    const ctx = inspector.feed(rec);
    if (!ctx) continue;
    codes[0] = ctx.event.type;
    for (const a of alertsFor(ruleset, ctx, codes, ctx.event.ts, ctx.num, options.matching)) options.emit(a);
  }
}
