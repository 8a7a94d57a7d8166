/**
 * Capture replay: records from the reader go through the state machine, and every event it
 * hands to filters meets the syscall ruleset under its event code.
 */
import type { LoadResult } from "@falcokit/engine";
import type { FieldCatalog } from "@falcokit/fields";
import { SyscallEventSource, alertsFor, type Alert, type FieldSource, type Ruleset } from "@falcokit/evaluator";
import { Inspector, ScapError, ScapReader } from "@falcokit/scap";

export interface CaptureReplayOptions {
  rulesetFor<Ctx>(source: string, make: (catalog: FieldCatalog) => FieldSource<Ctx>): Ruleset<Ctx> | undefined;
  matching: "first" | "all";
  allEvents: boolean;
  emit(alert: Alert): void;
}

/**
 * Replays a decompressed capture. Returns a problem message (with the byte offset) when the
 * capture is truncated or corrupted; the alerts of the events before the problem are kept.
 */
export function replayCapture(bytes: Uint8Array, _load: LoadResult, options: CaptureReplayOptions): string | undefined {
  const ruleset = options.rulesetFor("syscall", (c) => new SyscallEventSource(c));
  if (!ruleset) return "captures need the syscall source";
  const reader = new ScapReader();
  const inspector = new Inspector({ showHiddenEnterEvents: options.allEvents });
  const codes: number[] = [0];
  try {
    reader.push(bytes);
    reader.end();
    for (let rec = reader.next(); rec !== undefined; rec = reader.next()) {
      const ctx = inspector.feed(rec);
      if (!ctx) continue;
      codes[0] = ctx.event.type;
      for (const a of alertsFor(ruleset, ctx, codes, ctx.event.ts, ctx.num, options.matching)) options.emit(a);
    }
  } catch (e) {
    if (e instanceof ScapError) return e.message;
    throw e;
  }
  return undefined;
}
