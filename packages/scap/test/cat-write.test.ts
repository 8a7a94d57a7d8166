// Facts of falco's cat_write.scap (a 2016 capture of `cat /dev/null` taken with
// `sudo sysdig -zw cat_write.scap proc.name=cat`), checked on the decoded records.
import { describe, expect, it } from "vitest";
import { EVENTS, codeOf, readScap, type ScapEvent } from "../src/index.js";
import { loadCapture } from "./helpers.js";

const bytes = loadCapture("falco/cat_write.scap");
const cap = readScap(bytes);
const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
/** The event type as written in the file (v1 EV block: header 8 + cpu 2, type at +20). */
const fileType = (e: ScapEvent): number => dv.getUint16(e.offset + 10 + 20, true);
const str = (e: ScapEvent, i: number): string => {
  const v = e.param(i);
  if (v.kind !== "string") throw new Error(`param ${i} is ${v.kind}`);
  return v.value;
};
const int = (e: ScapEvent, i: number): bigint => {
  const v = e.param(i);
  if (v.kind !== "int") throw new Error(`param ${i} is ${v.kind}`);
  return v.value;
};

describe("cat_write.scap", () => {
  it("has a 1.0 little-endian section and the machine, interface and user lists", () => {
    expect(cap.sections).toHaveLength(1);
    expect(cap.sections[0]).toMatchObject({ major: 1, minor: 0, littleEndian: true, sectionLength: 2n ** 64n - 1n });
    expect(cap.machine).toMatchObject({ hostname: "ubuntu", numCpus: 2 });
    expect(cap.interfaces!.ipv4.map((i) => `${i.name} ${Array.from(i.addr).join(".")}`)).toEqual([
      "lo 127.0.0.1",
      "enp0s3 10.0.2.15",
      "docker0 172.17.0.1",
    ]);
    expect(cap.users!.users[0]).toEqual({ uid: 0, gid: 0, name: "root", homedir: "/root", shell: "/bin/bash" });
  });

  it("the process list holds the sysdig command that recorded it and the shell that ran cat", () => {
    expect(cap.threads).toHaveLength(73);
    const sudo = cap.threads.find((t) => t.comm === "sudo")!;
    expect(sudo.args).toEqual(["sysdig", "-zw", "cat_write.scap", "proc.name=cat"]);
    const sysdig = cap.threads.find((t) => t.comm === "sysdig")!;
    expect(sysdig.ptid).toBe(sudo.tid);
    const bash = cap.threads.find((t) => t.tid === 11310n)!;
    expect(bash).toMatchObject({ comm: "bash", exe: "/bin/bash", args: ["--noediting", "-i"] });
    // fd tables: init has /dev/null on 0..2
    expect(cap.fds.filter((f) => f.tid === 1n && f.fd <= 2n).map((f) => f.name)).toEqual(["/dev/null", "/dev/null", "/dev/null"]);
  });

  it("starts with the procinfo events of the initial threads", () => {
    const first = cap.events.slice(0, 5);
    for (const e of first) expect(EVENTS[e.type]!.enumName).toBe("PPME_PROCINFO_E");
    expect(first.map((e) => e.tid)).toEqual([1n, 3n, 7n, 9n, 11n]);
    expect(first[0]!.ts).toBe(1470327475999999999n);
  });

  it("cat's execve exit (EXECVE_16_X in the file) is converted to EXECVE_19_X", () => {
    const exec = cap.events.find((e) => EVENTS[e.type]!.name === "execve")!;
    expect(EVENTS[fileType(exec)]!.enumName).toBe("PPME_SYSCALL_EXECVE_16_X");
    expect(exec.type).toBe(codeOf("PPME_SYSCALL_EXECVE_19_X"));
    expect(exec.nparams).toBe(31);
    const cat = exec.tid;
    expect(cat).toBe(20072n);
    expect(int(exec, 0)).toBe(0n);
    expect(str(exec, 1)).toBe("cat");
    expect(exec.param(2)).toEqual({ kind: "bytes", value: new TextEncoder().encode("/dev/null\0") });
    expect(int(exec, 5)).toBe(11310n); // ptid: the bash of the process list
    expect(str(exec, 13)).toBe("cat"); // comm
    expect(exec.param(16)).toEqual({ kind: "empty" }); // tty: added by the converter
  });

  it("cat opens its libraries, then /dev/null read-only on fd 3, reads it and closes it", () => {
    const catEvents = cap.events.filter((e) => e.tid === 20072n);
    const opens = catEvents.filter((e) => e.type === codeOf("PPME_SYSCALL_OPEN_X"));
    expect(opens.map((e) => str(e, 1))).toEqual([
      "/etc/ld.so.cache",
      "/lib/x86_64-linux-gnu/libc.so.6",
      "/usr/lib/locale/locale-archive",
      "/dev/null",
    ]);
    const devnull = opens[3]!;
    expect(int(devnull, 0)).toBe(3n); // fd
    expect(int(devnull, 2)).toBe(1n); // PPM_O_RDONLY
    expect(devnull.param(4)).toEqual({ kind: "empty" }); // dev: OPEN_X written with 4 params
    expect(opens[0]!.param(2)).toEqual({ kind: "int", value: 4097n }); // O_RDONLY|O_CLOEXEC
    // each open exit follows its (kept) open enter event
    for (const o of opens) {
      const prev = catEvents[catEvents.indexOf(o) - 1]!;
      expect(prev.type).toBe(codeOf("PPME_SYSCALL_OPEN_E"));
    }
    // the read after the /dev/null open gets fd and size from its stored enter event
    const i = catEvents.indexOf(devnull);
    const read = catEvents.slice(i).find((e) => e.type === codeOf("PPME_SYSCALL_READ_X"))!;
    expect([int(read, 0), int(read, 2), int(read, 3)]).toEqual([0n, 3n, 131072n]);
    const close = catEvents.slice(i).find((e) => e.type === codeOf("PPME_SYSCALL_CLOSE_X"))!;
    expect([int(close, 0), int(close, 1)]).toEqual([0n, 3n]);
    expect(EVENTS[catEvents.at(-1)!.type]!.enumName).toBe("PPME_PROCEXIT_1_E");
  });
});
