import { describe, expect, it } from "vitest";
import { FalcoListError, importFalcoList } from "../src/index.js";

/*
 * A hand-written sample in the shape `falco --list --format json` prints (Falco 0.44.1:
 * JsonFieldFormatter over filter_fieldclass_info::as_json): deprecated and table-only fields
 * are left out, the `util` class is hidden, plugin classes are named `<plugin> (plugin)`.
 */
const SAMPLE = {
  fieldclasses: [
    {
      name: "evt",
      desc: "Fields for every event.",
      event_sources: ["k8s_audit", "syscall"],
      fields: [
        { name: "evt.num", type: "UINT64", desc: "Number.", is_list: false, argument: null },
        { name: "evt.time", type: "CHARBUF", desc: "Time.", is_list: false, argument: null },
        { name: "evt.source", type: "CHARBUF", desc: "Source.", is_list: false, argument: null },
      ],
    },
    {
      name: "evt",
      desc: "Syscall event fields.",
      event_sources: ["syscall"],
      fields: [
        { name: "evt.type", type: "CHARBUF", desc: "Type.", is_list: false, argument: null },
        { name: "evt.arg", type: "CHARBUF", desc: "Argument.", is_list: false, argument: { required: true, type: [] } },
        { name: "evt.rawarg", type: "DYNAMIC", desc: "Raw argument.", is_list: false, argument: { required: true, type: [] } },
      ],
    },
    {
      name: "process",
      desc: "Process fields.",
      event_sources: ["syscall"],
      fields: [
        { name: "proc.name", type: "CHARBUF", desc: "Name.", is_list: false, argument: null },
        { name: "proc.aname", type: "CHARBUF", desc: "Ancestor name.", is_list: false, argument: { required: false, type: [] } },
      ],
    },
    {
      name: "fd",
      desc: "Descriptor fields.",
      event_sources: ["syscall"],
      fields: [
        { name: "fd.name", type: "CHARBUF", desc: "Name.", is_list: false, argument: null },
        { name: "fd.types", type: "CHARBUF", desc: "Types.", is_list: true, argument: { required: false, type: [] } },
      ],
    },
    {
      name: "container (plugin)",
      event_sources: ["syscall"],
      fields: [
        { name: "container.id", type: "CHARBUF", desc: "Id.", is_list: false, argument: null },
        { name: "container.label", type: "CHARBUF", desc: "Label.", is_list: false, argument: { required: true, type: ["KEY"] } },
      ],
    },
    {
      name: "k8saudit (plugin)",
      event_sources: ["k8s_audit"],
      fields: [
        { name: "ka.verb", type: "CHARBUF", desc: "Verb.", is_list: false, argument: null },
        { name: "ka.req.pod.containers.image", type: "CHARBUF", desc: "Images.", is_list: true, argument: { required: false, type: ["INDEX"] } },
      ],
    },
    {
      name: "acme (plugin)",
      event_sources: ["acme"],
      fields: [{ name: "acme.level", type: "UINT64", desc: "Level.", is_list: false, argument: { required: true, type: ["INDEX", "KEY"] } }],
    },
  ],
};

describe("importFalcoList", () => {
  const catalogs = importFalcoList(SAMPLE);

  it("makes one catalog per event source, classes in listed order", () => {
    expect([...catalogs.keys()].sort()).toEqual(["acme", "k8s_audit", "syscall"]);
    expect(catalogs.get("k8s_audit")!.classes.map((c) => c.name)).toEqual(["evt", "k8saudit (plugin)"]);
    expect(catalogs.get("syscall")!.classes.map((c) => c.name)).toEqual(["evt", "evt", "process", "fd", "util", "container (plugin)"]);
    expect(catalogs.get("syscall")!.plugins).toEqual(["container"]);
    expect(catalogs.get("syscall")!.asyncEventNames).toContain("container");
  });

  it("reads types, lists and arguments", () => {
    const s = catalogs.get("syscall")!;
    expect(s.get("fd.types")).toMatchObject({ type: "CHARBUF", isList: true, arg: { required: false, allowed: true, index: false, key: false }, description: "Types." });
    expect(s.get("container.label")?.arg).toEqual({ required: true, allowed: false, index: false, key: true });
    const a = catalogs.get("acme")!.get("acme.level")!;
    expect(a).toMatchObject({ type: "UINT64", className: "acme (plugin)", arg: { required: true, index: true, key: true } });
  });

  it("resolves names with each class's libs logic", () => {
    const s = catalogs.get("syscall")!;
    expect(s.lookup("proc.aname", "2")).toMatchObject({ ok: true, argument: "2" });
    expect(s.lookup("evt.arg.fd")).toMatchObject({ ok: true, argument: "fd" });
    expect(s.lookup("evt.rawarg.fd")).toMatchObject({ ok: true, type: "FD" });
    expect(s.lookup("container.label", "app")).toMatchObject({ ok: true, argument: "app" });
    expect(s.lookup("container.label")).toMatchObject({ ok: false });
    expect(catalogs.get("k8s_audit")!.lookup("ka.req.pod.containers.image", "0")).toMatchObject({ ok: true });
    expect(catalogs.get("acme")!.lookup("acme.level", "x")).toMatchObject({ ok: true, argument: "x" });
    expect(catalogs.get("acme")!.lookup("acme.level")).toMatchObject({ ok: false });
  });

  it("restores what the listing leaves out (deprecated, table-only, hidden classes)", () => {
    const s = catalogs.get("syscall")!;
    expect(s.lookup("evt.dir")).toMatchObject({ ok: true, field: { deprecated: true, hidden: true } });
    expect(s.lookup("util.cnt")).toMatchObject({ ok: true });
    expect(s.lookup("k8s.rc.name")).toMatchObject({ ok: true });
    const bare = importFalcoList(SAMPLE, { restoreUnlisted: false }).get("syscall")!;
    expect(bare.lookup("evt.dir")).toBeUndefined();
    expect(bare.lookup("util.cnt")).toBeUndefined();
  });

  it("rejects what is not a listing", () => {
    expect(() => importFalcoList({ fieldnames: ["evt.num"] })).toThrow(FalcoListError);
    expect(() => importFalcoList([])).toThrow(FalcoListError);
    expect(() => importFalcoList({ fieldclasses: [{ name: "x", fields: [{ name: "x.y", type: "WEIRD" }] }] })).toThrow(/unknown type WEIRD/);
  });
});
