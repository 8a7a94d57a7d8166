// Layouts the corpus lacks, built with the test writer: both byte orders, every PL version,
// IL/UL/FDL variants, EVF, LARGE events, v1 records, the converter's actions, sections, errors.
import { describe, expect, it } from "vitest";
import {
  EVENTS,
  PPM_EVENT_MAX,
  ScapError,
  ScapReader,
  codeOf,
  readScap,
  readScapStream,
  isGzip,
  isScap,
  type ScapCapture,
  type ScapEvent,
  type ThreadRecord,
} from "../src/index.js";
import { P, block, concat, ev, fdl, il, mi, pl, shb, ul, type Thread } from "./writer.js";
import { show } from "./helpers.js";

const C = codeOf;

/** A minimal valid capture around some event blocks. */
function capture(le: boolean, ...events: Uint8Array[]): Uint8Array {
  return concat(shb(le), mi(le), ...events);
}

function errorOf(f: () => unknown): ScapError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ScapError);
    return e as ScapError;
  }
  throw new Error("expected a ScapError");
}

function paramsOf(e: ScapEvent): string {
  const out: string[] = [];
  for (let i = 0; i < e.nparams; i++) out.push(`${EVENTS[e.type]!.params[i]!.name}=${show(e.param(i))}`);
  return `${EVENTS[e.type]!.enumName} ${out.join(" ")}`;
}

function fullCapture(le: boolean): Uint8Array {
  const t: Thread = {
    tid: 100n,
    pid: 100n,
    ptid: 1n,
    sid: 5n,
    vpgid: 6n,
    comm: "bash",
    exe: "/bin/bash",
    exepath: "/usr/bin/bash",
    args: P.raw("-c\0ls\0"),
    cwd: "/root",
    fdlimit: 1024n,
    flags: 0x2000,
    uid: 1000,
    gid: 1001,
    vmsize: 11,
    vmrss: 12,
    vmswap: 13,
    pfmajor: 14n,
    pfminor: 15n,
    env: P.raw("A=1\0B=2\0"),
    vtid: 7n,
    vpid: 8n,
    cgroups: P.raw("cpu=/docker/abc\0memory=/docker/abc\0"),
    root: "/",
    tail: new Uint8Array([
      ...P.u64(le, 99n), // pidns_init_start_ts
      ...P.u32(le, 34816), // tty
      ...P.u32(le, 1000), // loginuid
      1, // exe_writable
      ...P.u64(le, 1n),
      ...P.u64(le, 2n),
      ...P.u64(le, 3n),
      1, // exe_upper_layer
      ...P.u64(le, 77n),
      ...P.u64(le, 78n),
      ...P.u64(le, 79n),
      1, // exe_from_memfd
      0, // exe_lower_layer
      ...P.u64(le, 42n), // pgid
      0xee,
      0xee, // unknown future fields: skipped
    ]),
  };
  return concat(
    shb(le),
    mi(le, "box", 8, 555n),
    il(le, true, [
      { type: 1, name: "lo", addr: [127, 0, 0, 1], netmask: [255, 0, 0, 0], bcast: [127, 255, 255, 255], linkspeed: 10n },
      { type: 2, name: "eth0", addr: Array(16).fill(1), netmask: Array(16).fill(255), bcast: Array(16).fill(0), linkspeed: 1000n },
      { type: 3, name: "tun0", addr: [10, 0, 0, 1], netmask: [255, 255, 255, 0], bcast: [10, 0, 0, 255] },
      { type: 4, name: "tun6", addr: Array(16).fill(2), netmask: Array(16).fill(3), bcast: Array(16).fill(4) },
    ]),
    ul(le, true, [{ uid: 0, gid: 0, name: "root", home: "/root", shell: "/bin/sh" }], [{ gid: 0, name: "root" }], 3),
    pl(le, 9, [t]),
    fdl(le, true, 100n, [
      { type: 3, fd: 3n, ino: 0n, sip: [1, 2, 3, 4], dip: [5, 6, 7, 8], sport: 1234, dport: 80, l4: 2 },
      { type: 6, fd: 4n, ino: 0n, ip: Array(16).fill(0), port: 443, l4: 2 },
      { type: 8, fd: 5n, ino: 9n, source: 0xffff0001n, dest: 0xffff0002n, name: "/run/sock" },
      { type: 16, fd: 6n, ino: 10n, flags: 4097, name: "/etc/passwd", dev: 0x801 },
      { type: 1, fd: 7n, ino: 11n, name: "/tmp/x" },
      { type: 99, fd: 8n, ino: 12n },
    ]),
    block(le, 0x7777, new Uint8Array(8)), // unknown metadata block: skipped
    ev(le, { type: C("PPME_SYSCALL_OPEN_E"), tid: 100n, params: [P.str("/etc/passwd"), P.u32(le, 1), P.u32(le, 0)] }),
    ev(le, {
      type: C("PPME_SYSCALL_OPEN_X"),
      tid: 100n,
      cpu: 3,
      params: [P.u64(le, 3), P.str("/etc/passwd"), P.u32(le, 1), P.u32(le, 0), P.u32(le, 0x801), P.u64(le, 10)],
      extra: new Uint8Array([1, 0, 4, 0, 0x41, 0x42, 0x43, 0x44]), // a pcapng option after the record
    }),
    ev(le, {
      type: C("PPME_SOCKET_CONNECT_X"),
      tid: 100n,
      flags: 1,
      params: [
        P.u64(le, 0),
        concat(Uint8Array.of(2), Uint8Array.of(1, 2, 3, 4), P.u16(le, 5555), Uint8Array.of(5, 6, 7, 8), P.u16(le, 80)),
        P.u64(le, 3),
        concat(Uint8Array.of(2), Uint8Array.of(5, 6, 7, 8), P.u16(le, 80)),
      ],
    }),
    ev(le, {
      type: C("PPME_CONTAINER_JSON_2_E"),
      tid: -1n,
      large: true,
      params: [P.str('{"container":{"id":"abc"}}')],
    }),
  );
}

describe("synthetic captures", () => {
  it("reads every metadata block type and events, identically in both byte orders", () => {
    const le = readScap(fullCapture(true));
    const be = readScap(fullCapture(false));
    expect(le.sections[0]!.littleEndian).toBe(true);
    expect(be.sections[0]!.littleEndian).toBe(false);
    const strip = (c: ScapCapture): unknown =>
      c.records.map((r) =>
        r.kind === "event" ? paramsOf(r) + ` ts=${r.ts} tid=${r.tid} cpu=${r.cpu} flags=${r.flags}` : r.kind === "section" ? "section" : r,
      );
    expect(show(strip(be))).toBe(show(strip(le)));

    expect(le.machine).toMatchObject({ hostname: "box", numCpus: 8, bootTsEpoch: 555n });
    expect(le.interfaces!.ipv4.map((i) => [i.type, i.name, Array.from(i.addr), i.linkspeed])).toEqual([
      [1, "lo", [127, 0, 0, 1], 10n],
      [3, "tun0", [10, 0, 0, 1], 0n],
    ]);
    expect(le.interfaces!.ipv6.map((i) => [i.type, i.name, i.addr.length, i.linkspeed])).toEqual([
      [2, "eth0", 16, 1000n],
      [4, "tun6", 16, 0n],
    ]);
    expect(le.users!.users).toEqual([{ uid: 0, gid: 0, name: "root", homedir: "/root", shell: "/bin/sh" }]);
    expect(le.users!.groups).toEqual([{ gid: 0, name: "root" }]);
    const t = le.threads[0]!;
    expect(t).toMatchObject({
      tid: 100n,
      sid: 5n,
      vpgid: 6n,
      exepath: "/usr/bin/bash",
      args: ["-c", "ls"],
      env: ["A=1", "B=2"],
      cgroups: ["cpu=/docker/abc", "memory=/docker/abc"],
      root: "/",
      pidnsInitStartTs: 99n,
      tty: 34816,
      loginuid: 1000,
      exeWritable: true,
      capInheritable: 1n,
      capPermitted: 2n,
      capEffective: 3n,
      exeUpperLayer: true,
      exeIno: 77n,
      exeInoCtime: 78n,
      exeInoMtime: 79n,
      exeFromMemfd: true,
      exeLowerLayer: false,
      pgid: 42n,
    });
    expect(le.fds.map((f) => [f.fd, f.type, f.name])).toEqual([
      [3n, 3, ""],
      [4n, 6, ""],
      [5n, 8, "/run/sock"],
      [6n, 16, "/etc/passwd"],
      [7n, 1, "/tmp/x"],
      [8n, 10, "unknown-type:[99]"],
    ]);
    expect(le.fds[0]).toMatchObject({ sip: Uint8Array.of(1, 2, 3, 4), dport: 80, sport: 1234, l4proto: 2 });
    expect(le.fds[3]).toMatchObject({ openFlags: 4097, dev: 0x801 });
    expect(le.fds[2]).toMatchObject({ source: 0xffff0001n, dest: 0xffff0002n });
    expect(le.blockCounts["0x7777"]).toBe(1);

    const [open_e, open_x, conn, json] = le.events;
    expect(paramsOf(open_e!)).toContain('name={"kind":"string","value":"/etc/passwd"');
    expect(open_x!.cpu).toBe(3);
    expect(open_x!.param(5)).toEqual({ kind: "int", value: 10n });
    expect(conn!.flags).toBe(1);
    expect(conn!.param(1)).toEqual({
      kind: "socktuple",
      value: { family: "inet", sip: Uint8Array.of(1, 2, 3, 4), sport: 5555, dip: Uint8Array.of(5, 6, 7, 8), dport: 80 },
    });
    expect(conn!.param(3)).toEqual({ kind: "sockaddr", value: { family: "inet", addr: Uint8Array.of(5, 6, 7, 8), port: 80 } });
    expect(json!.type).toBe(C("PPME_CONTAINER_JSON_2_E"));
    expect(json!.tid).toBe(-1n);
    expect(json!.param(0)).toMatchObject({ kind: "string", value: '{"container":{"id":"abc"}}' });
    expect(le.blockCounts).toMatchObject({ EV_V2: 2, EVF_V2: 1, EV_V2_LARGE: 1, PL_V9: 1, FDL_V2: 1, IL_V2: 1, UL_V2: 1 });
  });

  it("reads process list blocks of every version 1..9 with libscap's defaults for absent fields", () => {
    const base: Thread = {
      tid: 10n,
      pid: 11n,
      ptid: 12n,
      sid: 13n,
      vpgid: 14n,
      comm: "c",
      exe: "e",
      exepath: "/e",
      args: P.raw("a\0b"),
      cwd: "/",
      fdlimit: 9n,
      flags: 1,
      uid: 2,
      gid: 3,
      vmsize: 4,
      env: P.raw("E=1\0"),
      vtid: 15n,
      vpid: 16n,
      cgroups: P.raw("cpu=/\0"),
      root: "/r",
    };
    for (let v = 1; v <= 9; v++) {
      const cap = readScap(capture(true, pl(true, v, [base, { ...base, tid: 20n }]), ev(true, { type: C("PPME_PROCINFO_E"), params: [P.u64(true, 1), P.u64(true, 2)] })));
      expect(cap.blockCounts[`PL_V${v}`]).toBe(1);
      expect(cap.threads.map((t) => t.tid)).toEqual([10n, 20n]);
      const t = cap.threads[0]!;
      const want: Partial<ThreadRecord> = {
        pid: 11n,
        ptid: 12n,
        comm: "c",
        exe: "e",
        args: ["a", "b"],
        cwd: "/",
        fdlimit: 9n,
        flags: 1,
        uid: 2,
        gid: 3,
        sid: v >= 6 ? 13n : -1n,
        vpgid: v >= 8 ? 14n : -1n,
        exepath: v >= 7 ? "/e" : "",
        vmsizeKb: v >= 2 ? 4 : 0,
        env: v >= 3 ? ["E=1"] : [],
        vtid: v >= 4 ? 15n : -1n,
        vpid: v >= 4 ? 16n : -1n,
        cgroups: v >= 4 ? ["cpu=/"] : [],
        root: v >= 5 ? "/r" : "",
        loginuid: 0xffffffff,
        pgid: -1n,
      };
      expect(t, `PL_V${v}`).toMatchObject(want);
    }
  });

  it("detects the pre-0.10 PL v9 tail (no pidns_init_start_ts/tty)", () => {
    const le = true;
    const tail = new Uint8Array([...P.u32(le, 500), 1, ...P.u64(le, 7n), ...P.u64(le, 8n), ...P.u64(le, 9n)]);
    const t: Thread = { tid: 1n, pid: 1n, ptid: 0n, comm: "x", exe: "x", args: new Uint8Array(0), cwd: "/", fdlimit: 1n, flags: 0, uid: 0, gid: 0, tail };
    const cap = readScap(capture(le, pl(le, 9, [t]), ev(le, { type: C("PPME_PROCINFO_E"), params: [P.u64(le, 1), P.u64(le, 2)] })));
    expect(cap.threads[0]).toMatchObject({ loginuid: 500, exeWritable: true, capInheritable: 7n, capPermitted: 8n, capEffective: 9n, pidnsInitStartTs: 0n, tty: 0 });
  });

  it("v1 event records: nparams computed from the length, the notification length quirk, missing params empty", () => {
    const le = true;
    const cap = readScap(
      capture(
        le,
        // OPEN_X written with 4 params in a v1 block -> converted to 6 (dev, ino empty)
        ev(le, { v1: true, type: C("PPME_SYSCALL_OPEN_X"), params: [P.u64(le, 5), P.str("/a"), P.u32(le, 1), P.u32(le, 0)] }),
        // NOTIFICATION_E: old writers set len 3 bytes too long
        ev(le, {
          v1: true,
          type: C("PPME_NOTIFICATION_E"),
          params: [P.str("id"), P.str("desc")],
          len: 22 + 4 + 3 + 5 + 3,
          extra: new Uint8Array(3),
        }),
        // EVF v1 with flags
        ev(le, { v1: true, flags: 1, type: C("PPME_PROCINFO_E"), params: [P.u64(le, 1)] }),
      ),
    );
    const [open, notif, pinfo] = cap.events;
    expect(open!.type).toBe(C("PPME_SYSCALL_OPEN_X"));
    expect(paramsOf(open!)).toBe(
      'PPME_SYSCALL_OPEN_X fd={"kind":"int","value":"5n"} name={"kind":"string","value":"/a","bytes":[47,97]} flags={"kind":"int","value":"1n"} mode={"kind":"int","value":"0n"} dev={"kind":"empty"} ino={"kind":"empty"}',
    );
    expect(notif!.param(1)).toMatchObject({ value: "desc" });
    expect(pinfo!.flags).toBe(1);
    expect(pinfo!.nparams).toBe(2);
    expect(pinfo!.param(1)).toEqual({ kind: "empty" });
    expect(pinfo!.raw(1)!.length).toBe(0);
    expect(pinfo!.raw(2)).toBeUndefined();
    expect(() => pinfo!.param(2)).toThrow(ScapError);
  });

  it("skips event types >= PPM_EVENT_MAX, drops EF_UNUSED and old unmanaged enter events", () => {
    const le = true;
    const cap = readScap(
      capture(
        le,
        ev(le, { type: PPM_EVENT_MAX + 5, params: [P.u64(le, 1)] }),
        ev(le, { type: C("PPME_PROCEXIT_X"), params: [] }),
        ev(le, { type: C("PPME_SYSCALL_CLONE_11_E"), params: [] }),
        ev(le, { type: C("PPME_PROCINFO_E"), params: [P.u64(le, 1), P.u64(le, 2)] }),
      ),
    );
    expect(cap.events.map((e) => EVENTS[e.type]!.enumName)).toEqual(["PPME_PROCINFO_E"]);
    expect(cap.stats).toMatchObject({ eventBlocks: 4, unknownEvents: 1, droppedEvents: 2, events: 1 });
  });

  it("converter: STORE + FROM_ENTER per thread, defaults without the enter, CHANGE_TYPE, container JSON", () => {
    const le = true;
    const R_E = C("PPME_SYSCALL_READ_E"),
      R_X = C("PPME_SYSCALL_READ_X");
    const cap = readScap(
      capture(
        le,
        ev(le, { type: R_E, tid: 1n, params: [P.u64(le, 7), P.u32(le, 100)] }),
        ev(le, { type: R_E, tid: 2n, params: [P.u64(le, 8), P.u32(le, 200)] }),
        ev(le, { type: R_X, tid: 2n, params: [P.u64(le, 5), P.raw("hello")] }),
        ev(le, { type: R_X, tid: 1n, params: [P.u64(le, 3), P.raw("abc")] }),
        // enter consumed: no stored enter any more -> FROM_ENTER without fallback flag = default
        ev(le, { type: R_X, tid: 1n, params: [P.u64(le, 0), P.empty()] }),
        ev(le, { type: C("PPME_SYSCALL_LINK_E"), tid: 3n, params: [P.str("/old"), P.str("/new")] }),
        ev(le, { type: C("PPME_SYSCALL_LINK_X"), tid: 3n, params: [P.u64(le, 0)] }),
        ev(le, { type: C("PPME_CONTAINER_E"), tid: 4n, params: [P.str("abc123"), P.u32(le, 1), P.str("web"), P.str("nginx")] }),
      ),
    );
    const got = cap.events.map((e) => [e.tid, paramsOf(e)]);
    expect(got).toEqual([
      [2n, 'PPME_SYSCALL_READ_X res={"kind":"int","value":"5n"} data={"kind":"bytes","value":[104,101,108,108,111]} fd={"kind":"int","value":"8n"} size={"kind":"int","value":"200n"}'],
      [1n, 'PPME_SYSCALL_READ_X res={"kind":"int","value":"3n"} data={"kind":"bytes","value":[97,98,99]} fd={"kind":"int","value":"7n"} size={"kind":"int","value":"100n"}'],
      [1n, 'PPME_SYSCALL_READ_X res={"kind":"int","value":"0n"} data={"kind":"empty"} fd={"kind":"int","value":"0n"} size={"kind":"int","value":"0n"}'],
      [3n, 'PPME_SYSCALL_LINK_2_X res={"kind":"int","value":"0n"} oldpath={"kind":"string","value":"/old","bytes":[47,111,108,100]} newpath={"kind":"string","value":"/new","bytes":[47,110,101,119]}'],
      [4n, expect.stringContaining("PPME_CONTAINER_JSON_2_E json=")],
    ]);
    expect(cap.events[4]!.param(0)).toMatchObject({
      kind: "string",
      value: '{"id":"abc123","type":1,"name":"web","image":"nginx"}',
    });
    expect(cap.stats.droppedEvents).toBe(3); // READ_E x2, LINK_E
  });

  it("converter: a stored enter of another syscall is a conversion error, as in libscap (or a fallback when lenient)", () => {
    const le = true;
    const bytes = capture(
      le,
      ev(le, { type: C("PPME_SYSCALL_CLOSE_E"), tid: 1n, params: [P.u64(le, 4)] }),
      ev(le, { type: C("PPME_SYSCALL_READ_X"), tid: 1n, params: [P.u64(le, 3), P.raw("abc")] }),
    );
    const e = errorOf(() => readScap(bytes));
    expect(e.message).toMatch(/PPME_SYSCALL_CLOSE_E, not its enter event/);
    expect(e.block).toBe("event");
    const lenient = readScap(bytes, { lenientEnterMismatch: true });
    expect(paramsOf(lenient.events[0]!)).toContain('fd={"kind":"int","value":"0n"}');
  });

  it("converter: an exit with more params than its layout, or a managed enter with an unknown count, is an error", () => {
    const le = true;
    const tooMany = capture(le, ev(le, { type: C("PPME_SYSCALL_CLOSE_X"), params: [P.u64(le, 0), P.u64(le, 1), P.u64(le, 2)] }));
    expect(errorOf(() => readScap(tooMany)).message).toMatch(/more parameters \(3\) than expected \(2\)/);
    const noRule = capture(le, ev(le, { type: C("PPME_SYSCALL_CLOSE_E"), params: [P.u64(le, 0), P.u64(le, 1)] }));
    expect(errorOf(() => readScap(noRule)).message).toMatch(/no rule/);
  });

  it("concatenated captures start new sections; other blocks after events are errors", () => {
    const le = true;
    const one = capture(le, ev(le, { type: C("PPME_PROCINFO_E"), params: [P.u64(le, 1), P.u64(le, 2)] }));
    const cap = readScap(concat(one, fullCapture(false)));
    expect(cap.sections.map((s) => [s.index, s.littleEndian])).toEqual([
      [0, true],
      [1, false],
    ]);
    expect(cap.events.length).toBe(5);
    const bad = concat(one, mi(le));
    const e = errorOf(() => readScap(bad));
    expect(e.message).toMatch(/unexpected block type MI after the events/);
    expect(e.offset).toBe(one.length);
  });

  it("reports malformed input with ScapErrors naming offsets and blocks", () => {
    const le = true;
    const okEv = ev(le, { type: C("PPME_PROCINFO_E"), params: [P.u64(le, 1), P.u64(le, 2)] });
    const cases: [string, Uint8Array, RegExp, number?][] = [
      ["empty", new Uint8Array(0), /empty input/, 0],
      ["not scap", Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), /invalid block type/, 0],
      ["no events", concat(shb(le), mi(le)), /no events in file/],
      ["bad magic", concat(Uint8Array.of(0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 1, 2, 3, 4), new Uint8Array(16)), /invalid byte-order magic/, 8],
      ["major 2", concat(shb(le, { major: 2 }), okEv), /unsupported capture version 2/],
      ["zero-length block", concat(shb(le), Uint8Array.of(1, 2, 0, 0, 0, 0, 0, 0)), /block length 0 is less than 12/],
      ["zero-length event block", concat(shb(le), Uint8Array.of(0x16, 2, 0, 0, 0, 0, 0, 0)), /event block length 0 is too short/],
      ["trailer mismatch", concat(shb(le), block(le, 0x201, new Uint8Array(180), { trailer: 999 }), okEv), /wrong block total length: header says 192, trailer says 999/],
      ["MI size", concat(shb(le), block(le, 0x201, new Uint8Array(184)), okEv), /machine info block body is 184 bytes/],
      ["truncated", capture(le, okEv).subarray(0, 250), /truncated block/],
      ["event len too big", capture(le, ev(le, { type: C("PPME_PROCINFO_E"), params: [P.u64(le, 1)], len: 500 })), /len 500 is larger than the \d+ bytes available/],
      ["param len too big", capture(le, ev(le, { type: C("PPME_PROCINFO_E"), params: [P.u64(le, 1)], extra: new Uint8Array(0), len: 34 }).map((b, i) => (i === 8 + 2 + 26 ? 200 : b))), /param 0 len 200 exceeds/],
    ];
    for (const [name, bytes, re, off] of cases) {
      const e = errorOf(() => readScap(bytes));
      expect(e.message, name).toMatch(re);
      expect(e.message, name).toMatch(/byte offset \d+/);
      expect(e.offset, name).toBeGreaterThanOrEqual(0);
      expect(e.offset, name).toBeLessThanOrEqual(bytes.length);
      if (off !== undefined) expect(e.offset, name).toBe(off);
    }
  });

  it("a failed reader keeps failing with the same error; push after end is refused", () => {
    const r = new ScapReader();
    r.push(Uint8Array.of(9, 9, 9, 9, 9, 9, 9, 9));
    const e1 = errorOf(() => r.next());
    const e2 = errorOf(() => r.next());
    expect(e2).toBe(e1);
    r.end();
    expect(() => r.push(Uint8Array.of(1))).toThrow(ScapError);
  });

  it("param decoding: wrong fixed lengths, PT_DYN, fdlist, unix sockaddr", () => {
    const le = true;
    const cap = readScap(
      capture(
        le,
        ev(le, { type: C("PPME_SYSCALL_CLOSE_X"), params: [P.u32(le, 1), P.u64(le, 3)] }),
        ev(le, {
          type: C("PPME_SOCKET_SETSOCKOPT_X"),
          params: [P.u64(le, 0), P.u64(le, 3), P.u8(1), P.u8(2), concat(Uint8Array.of(2), P.u32(le, 77)), P.u32(le, 4)],
        }),
        ev(le, {
          type: C("PPME_SYSCALL_POLL_X"),
          params: [P.u64(le, 1), concat(P.u16(le, 2), P.u64(le, 3), P.u16(le, 1), P.u64(le, 4), P.u16(le, 4))],
        }),
        ev(le, { type: C("PPME_SOCKET_CONNECT_X"), params: [P.u64(le, 0), P.empty(), P.u64(le, 3), concat(Uint8Array.of(1), P.str("/run/x.sock"))] }),
      ),
    );
    const [close, sso, poll, conn] = cap.events;
    expect(() => close!.param(0)).toThrow(/signed 64-bit value has 4 bytes, expected 8/);
    expect(close!.param(1)).toEqual({ kind: "int", value: 3n });
    const dyn = sso!.param(4);
    expect(dyn).toEqual({ kind: "dyn", index: 2, value: { kind: "int", value: 77n } });
    expect(poll!.param(1)).toEqual({ kind: "fdlist", value: [{ fd: 3n, flags: 1 }, { fd: 4n, flags: 4 }] });
    expect(conn!.param(3)).toEqual({ kind: "sockaddr", value: { family: "unix", path: "/run/x.sock" } });
    expect(conn!.param(1)).toEqual({ kind: "empty" });
  });

  it("never loops on a stream fed one byte at a time, and waits for more input without error", () => {
    const bytes = fullCapture(true);
    const r = new ScapReader();
    let n = 0;
    for (const b of bytes) {
      r.push(Uint8Array.of(b));
      for (let rec = r.next(); rec !== undefined; rec = r.next()) n++;
    }
    r.end();
    for (let rec = r.next(); rec !== undefined; rec = r.next()) n++;
    expect(n).toBe(readScap(bytes).records.length);
    expect(r.done).toBe(true);
  });

  it("readScapStream reads from an async iterable of chunks; isGzip/isScap sniff the input", async () => {
    const bytes = fullCapture(true);
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (let p = 0; p < bytes.length; p += 100) yield bytes.subarray(p, p + 100);
    }
    const kinds: string[] = [];
    const stats = await readScapStream(chunks(), (r) => kinds.push(r.kind));
    expect(kinds).toEqual(readScap(bytes).records.map((r) => r.kind));
    expect(stats.events).toBe(4);
    expect(stats.bytes).toBe(bytes.length);
    await expect(readScapStream([bytes.subarray(0, 100)], () => {})).rejects.toBeInstanceOf(ScapError);
    expect(isScap(bytes)).toBe(true);
    expect(isGzip(bytes)).toBe(false);
    expect(isGzip(Uint8Array.of(0x1f, 0x8b, 8))).toBe(true);
  });

  it("a block length beyond maxBlockLength fails at once instead of buffering the rest of the stream", () => {
    const head = concat(shb(true), mi(true));
    const big = Uint8Array.of(0x21, 0x02, 0, 0, 0, 0, 0, 0x40); // EV_V2_LARGE of 1 GiB
    const r = new ScapReader({ maxBlockLength: 1 << 20 });
    r.push(concat(head, big));
    // not ended, but the declared length can never be accepted
    const e = errorOf(() => {
      while (r.next() !== undefined);
    });
    expect(e.message).toMatch(/exceeds the 1048576-byte limit/);
    expect(e.offset).toBe(head.length + 4);
  });
});
