/**
 * Helpers of the sysdig differential test (differential.test.ts): sysdig 0.29.3 (libsinsp of
 * 2022) as an oracle for the conditions falcokit evaluates over real captures.
 *
 * sysdig evaluates many filters in one pass over a capture through a Lua chisel loaded once per
 * filter (`-c chisel ID`, each instance with its own `chisel.set_filter`). A chisel's filter runs
 * on the events `sinsp::next` returns, after the parser updated the state: the semantics of
 * `sysdig -d` (the test checks that both agree on a sample). Every chisel prints the sysdig
 * `evt.num` of the events its filter accepts; chisel 0 (`evt.dir=<`) maps those numbers to the
 * (evt.rawtime, thread.tid) keys the comparison uses, since sysdig 0.29 numbers enter events too.
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { Expr } from "@falcokit/condition";
import { walk } from "@falcokit/condition";
import type { FieldCatalog } from "@falcokit/fields";
import { EVENTS, Inspector, ScapReader, isGzip, type EventContext } from "@falcokit/scap";
import { extractSyscallField, formatValue, type EventPredicate } from "../src/index.js";

// ---------------------------------------------------------------------------------------------
// sysdig availability

export type SysdigStatus = { ok: true; version: string } | { ok: false; skip: boolean; message: string };

function sysdigVersion(): string | undefined {
  const r = spawnSync("sysdig", ["--version"], { encoding: "utf8" });
  if (r.error || r.status !== 0) return undefined;
  return r.stdout.trim();
}

/**
 * Finds sysdig on PATH, installing Debian's package (as root) when it is missing. When it cannot
 * be had, the test fails unless FALCOKIT_SKIP_SYSDIG=1.
 */
export function ensureSysdig(): SysdigStatus {
  let version = sysdigVersion();
  let why = "sysdig is not on PATH";
  if (version === undefined) {
    if (process.getuid?.() === 0) {
      const r = spawnSync("sh", ["-c", "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y sysdig"], { encoding: "utf8", timeout: 600_000 });
      version = sysdigVersion();
      if (version === undefined) why += `; \`apt-get install -y sysdig\` failed (exit ${r.status}): ${(r.stderr || r.stdout || String(r.error)).trim().split("\n").slice(-3).join(" / ")}`;
    } else {
      why += "; installing it (`apt-get install -y sysdig`) needs root";
    }
  }
  if (version !== undefined) {
    // The explained differences are those of sysdig 0.29 (libs e5c53d64); another oracle needs its own.
    if (/\b0\.29\.\d+\b/.test(version)) return { ok: true, version };
    why = `found ${version}, but the explained differences are those of sysdig 0.29 (Debian's package)`;
  }
  const skip = process.env.FALCOKIT_SKIP_SYSDIG === "1";
  return { ok: false, skip, message: skip ? `${why}: skipped (FALCOKIT_SKIP_SYSDIG=1)` : `${why}. Install sysdig 0.29 (Debian: apt-get install -y sysdig), or set FALCOKIT_SKIP_SYSDIG=1 to skip the sysdig differential test.` };
}

// ---------------------------------------------------------------------------------------------
// sysdig runs

const CHISEL = `description = "falcokit differential test: prints the events a filter accepts"
short_description = "falcokit differential"
category = "misc"
args = {
  { name = "spec", description = "id:offset:length of the filter in the file named by FKDIFF_FILTERS", argtype = "string", optional = false },
}
local id, flt, skip, fnum, fs, fns, ftid
function on_set_arg(name, val)
  local i, off, len = string.match(val, "^(%d+):(%d+):(%d+)$")
  id = i
  local f = assert(io.open(os.getenv("FKDIFF_FILTERS"), "rb"))
  f:seek("set", tonumber(off))
  flt = f:read(tonumber(len))
  f:close()
  return true
end
function on_init()
  fnum = chisel.request_field("evt.num")
  if id == "0" then
    fs = chisel.request_field("evt.rawtime.s")
    fns = chisel.request_field("evt.rawtime.ns")
    ftid = chisel.request_field("thread.tid")
  end
  local ok = pcall(chisel.set_filter, flt)
  if not ok then print("E " .. id); skip = true end
  return true
end
function on_event()
  if skip then return true end
  if id == "0" then
    local s, ns, tid = evt.field(fs), evt.field(fns), evt.field(ftid)
    if s ~= nil and ns ~= nil and tid ~= nil then
      print(string.format("K %d %d%09d %d", evt.field(fnum), s, ns, tid))
    end
  else
    print("M " .. id .. " " .. string.format("%d", evt.field(fnum)))
  end
  return true
end
`;

export interface SysdigBatch {
  /** Exit status and the end of stderr when sysdig could not run (unreadable capture...). */
  fatal?: string;
  /** Filter index -> sysdig's compile error. */
  errors: Map<number, string>;
  /** Filter index -> keys (`rawtime:tid`) of the exit events it accepted. */
  matches: Map<number, Set<string>>;
  /** Key -> sysdig evt.num. */
  nums: Map<string, bigint>;
  ms: number;
}

/** A scratch directory for one test run (chisel, filter files, outputs); removed by `dispose`. */
export class SysdigWorkspace {
  readonly dir = mkdtempSync(join(tmpdir(), "falcokit-sysdig-"));
  readonly chisel = join(this.dir, "fkdiff.lua");
  private n = 0;
  constructor() {
    writeFileSync(this.chisel, CHISEL);
  }
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /**
   * Runs the filters (`evt.dir=< and (condition)` each; no raw newlines) over a capture in one
   * sysdig process. Filter i of the argument is reported under index i.
   */
  async run(capture: string, filters: readonly string[]): Promise<SysdigBatch> {
    const tag = this.n++;
    const all = ["evt.dir=<", ...filters];
    const args = ["-r", capture];
    let text = "";
    let off = 0;
    all.forEach((f, i) => {
      if (/[\r\n]/.test(f)) throw new Error(`filter ${i} has a newline`);
      const len = Buffer.byteLength(f);
      args.push("-c", this.chisel, `${i}:${off}:${len}`);
      text += f + "\n";
      off += len + 1;
    });
    const filterFile = join(this.dir, `filters-${tag}.txt`);
    const outFile = join(this.dir, `out-${tag}.txt`);
    const errFile = join(this.dir, `err-${tag}.txt`);
    writeFileSync(filterFile, text);
    const out = openSync(outFile, "w");
    const err = openSync(errFile, "w");
    const t0 = performance.now();
    const status = await new Promise<number | null>((resolve, reject) => {
      const p = spawn("sysdig", args, { stdio: ["ignore", out, err], env: { ...process.env, FKDIFF_FILTERS: filterFile } });
      p.on("error", reject);
      p.on("close", (code) => resolve(code));
    });
    const ms = performance.now() - t0;
    closeSync(out);
    closeSync(err);
    const stdout = readFileSync(outFile, "utf8");
    const stderr = readFileSync(errFile, "utf8");
    rmSync(outFile);
    rmSync(errFile);
    rmSync(filterFile);
    const batch: SysdigBatch = { errors: new Map(), matches: new Map(), nums: new Map(), ms };
    if (status !== 0) {
      batch.fatal = `sysdig exited with ${status}: ${stderr.trim().split("\n").slice(-2).join(" / ")}`;
      return batch;
    }
    // each rejected filter printed "invalid filter in chisel ...: <message>" on stderr, in chisel order
    const messages = stderr.split("\n").filter((l) => l.startsWith("invalid filter in chisel")).map((l) => l.replace(/^invalid filter in chisel [^:]*: /, ""));
    const numToKey = new Map<string, string>();
    const matchNums = new Map<number, string[]>();
    const rejected: number[] = [];
    for (const line of stdout.split("\n")) {
      if (line.startsWith("M ")) {
        const sp = line.indexOf(" ", 2);
        const id = Number(line.slice(2, sp)) - 1;
        let l = matchNums.get(id);
        if (!l) matchNums.set(id, (l = []));
        l.push(line.slice(sp + 1));
      } else if (line.startsWith("K ")) {
        const [, num, ts, tid] = line.split(" ");
        const key = `${ts}:${tid}`;
        numToKey.set(num!, key);
        batch.nums.set(key, BigInt(num!));
      } else if (line.startsWith("E ")) {
        rejected.push(Number(line.slice(2)) - 1);
      }
    }
    if (rejected.includes(-1)) throw new Error("sysdig rejected evt.dir=<");
    rejected.forEach((id, i) => batch.errors.set(id, messages.length === rejected.length ? messages[i]! : "(sysdig's message not captured)"));
    for (const [id, nums] of matchNums) {
      const keys = new Set<string>();
      // a filter's events are exit events (evt.dir=<), so chisel 0 printed each of them first
      for (const n of nums) keys.add(numToKey.get(n) ?? `?num=${n}`);
      batch.matches.set(id, keys);
    }
    return batch;
  }
}

/** `sysdig -r capture -d -p format filter` (the plain command line, for the sanity check). */
export function sysdigPrint(capture: string, format: string, filter: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync("sysdig", ["-r", capture, "-d", "-p", format, filter], { encoding: "utf8", maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs async jobs with at most `n` at a time, results in order. */
export async function pool<T, R>(items: readonly T[], n: number, job: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await job(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

// ---------------------------------------------------------------------------------------------
// falcokit replay

export function captureBytes(path: string): Uint8Array {
  const raw = new Uint8Array(readFileSync(path));
  return isGzip(raw) ? new Uint8Array(gunzipSync(raw)) : raw;
}

/** Replays a capture, calling `onExit` for every exit event the inspector returns. */
export function replayExits(bytes: Uint8Array, onExit: (ctx: EventContext, key: string) => void): void {
  const reader = new ScapReader();
  const inspector = new Inspector();
  reader.push(bytes);
  reader.end();
  for (let rec = reader.next(); rec !== undefined; rec = reader.next()) {
    const ctx = inspector.feed(rec);
    if (!ctx || (ctx.event.type & 1) === 0) continue;
    onExit(ctx, `${ctx.event.ts}:${ctx.event.tid}`);
  }
}

/** Per predicate, the keys of the exit events it holds for. */
export function falcokitMatches(bytes: Uint8Array, predicates: readonly EventPredicate<EventContext>[]): Set<string>[] {
  const out = predicates.map(() => new Set<string>());
  replayExits(bytes, (ctx, key) => {
    for (let i = 0; i < predicates.length; i++) if (predicates[i]!(ctx)) out[i]!.add(key);
  });
  return out;
}

/** A field as written in a condition: name, bracket argument, and both as text. */
export type FieldRef = { name: string; arg?: string; text: string };

/** The fields a condition reads, as written (`proc.aname[2]`). */
export function conditionFields(ast: Expr): FieldRef[] {
  const seen = new Map<string, FieldRef>();
  walk(ast, {
    enter: (n) => {
      if (n.type !== "field") return;
      const text = n.arg !== undefined ? `${n.name}[${n.arg}]` : n.name;
      if (!seen.has(text)) seen.set(text, n.arg !== undefined ? { name: n.name, arg: n.arg, text } : { name: n.name, text });
    },
  });
  return [...seen.values()];
}

export interface EventDetail {
  /** falcokit's evt.num. */
  num: bigint;
  /** evt.type as falcokit extracts it (generic events by their syscall name). */
  type: string;
  /** The event code's enum name (PPME_GENERIC_X...). */
  code: string;
  /** The name of the event's first parameter ("res", "fd", "euid"...), "" without one. */
  param0: string;
  /** Whether the thread's previous event in the file (before any conversion) is this exit's enter. */
  enterInCapture: boolean;
  /** Rendered values of the fields asked for; "<absent>" when falcokit extracts nothing. */
  values: Record<string, string>;
}

const EVENT_BLOCKS = new Map<number, number>([
  [0x204, 0], // EV
  [0x216, 0], // EV_V2
  [0x221, 0], // EV_V2_LARGE
  [0x208, 4], // EVF (flags after the cpu id)
  [0x217, 4], // EVF_V2
  [0x222, 4], // EVF_V2_LARGE
]);

/**
 * For every exit event of a (decompressed, little-endian) capture, keyed `rawtime:tid`, whether the
 * thread's previous event block is its enter event: a scan of the raw blocks, independent of
 * falcokit's reader and converter (which drop most enter events).
 */
export function exitsWithEnter(bytes: Uint8Array): Map<string, boolean> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const last = new Map<bigint, number>();
  const out = new Map<string, boolean>();
  for (let p = 0; p + 12 <= bytes.length; ) {
    const type = dv.getUint32(p, true);
    const len = dv.getUint32(p + 4, true);
    if (len < 12) break;
    const extra = EVENT_BLOCKS.get(type);
    if (extra !== undefined) {
      const e = p + 8 + 2 + extra;
      const ts = dv.getBigUint64(e, true);
      const tid = dv.getBigInt64(e + 8, true);
      const etype = dv.getUint16(e + 20, true);
      if (etype & 1) out.set(`${ts}:${tid}`, last.get(tid) === etype - 1);
      last.set(tid, etype);
    }
    p += len;
  }
  return out;
}

/** falcokit's view of the given exit events: evt.num, type and the values of the fields asked for. */
export function falcokitDetails(bytes: Uint8Array, catalog: FieldCatalog, wanted: ReadonlyMap<string, readonly FieldRef[]>): Map<string, EventDetail> {
  const out = new Map<string, EventDetail>();
  const entered = exitsWithEnter(bytes);
  replayExits(bytes, (ctx, key) => {
    const fields = wanted.get(key);
    if (!fields) return;
    const values: Record<string, string> = {};
    for (const f of fields) {
      if (f.text in values) continue;
      const m = catalog.lookup(f.name, f.arg);
      try {
        const v = extractSyscallField(ctx, f.name, f.arg);
        values[f.text] = v === undefined ? "<absent>" : formatValue(m && m.ok ? m.type : "CHARBUF", v);
      } catch (e) {
        values[f.text] = `<error: ${(e as Error).message}>`;
      }
    }
    const info = EVENTS[ctx.event.type]!;
    out.set(key, { num: ctx.num, type: String(extractSyscallField(ctx, "evt.type")), code: info.enumName, param0: info.params[0]?.name ?? "", enterInCapture: entered.get(key) ?? false, values });
  });
  return out;
}

/**
 * sysdig's values of some fields at every exit event of a capture, by sysdig evt.num; "<absent>"
 * where sysdig prints <NA> (which is also how it prints a placeholder's proc.name "<NA>").
 */
export function sysdigContext(capture: string, fields: readonly string[]): Map<bigint, Record<string, string>> {
  const out = new Map<bigint, Record<string, string>>();
  const r = sysdigPrint(capture, ["*%evt.num", ...fields.map((f) => `%${f}`)].join("\t"), "evt.dir=<");
  if (r.status !== 0) throw new Error(`sysdig -p failed on ${capture}: ${r.stderr}`);
  for (const line of r.stdout.split("\n")) {
    const cols = line.split("\t");
    if (cols.length !== fields.length + 1) continue;
    const values: Record<string, string> = {};
    fields.forEach((f, i) => (values[f] = cols[i + 1] === "<NA>" ? "<absent>" : cols[i + 1]!));
    out.set(BigInt(cols[0]!), values);
  }
  return out;
}

/** sysdig's values of some fields at some of its events (by sysdig evt.num). */
export function sysdigDetails(capture: string, nums: readonly bigint[], fields: readonly string[]): Map<bigint, string> {
  const out = new Map<bigint, string>();
  if (nums.length === 0) return out;
  const fmt = ["*%evt.num", "%evt.type", ...fields.map((f) => `${f}=%${f}`)].join(" ");
  const r = sysdigPrint(capture, fmt, `evt.num in (${nums.join(",")})`);
  for (const line of r.stdout.split("\n")) {
    const sp = line.indexOf(" ");
    if (sp > 0) out.set(BigInt(line.slice(0, sp)), line.slice(sp + 1));
  }
  return out;
}
