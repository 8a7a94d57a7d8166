import { describe, expect, it } from "vitest";
import { buildCatalogs, defaultCatalogs, type FieldMatch } from "../src/index.js";

/*
 * Name resolution as libs 0.25.4 does it (each class's parse_field_name, then the exact-length
 * check of new_filter_check_from_fldname). Expectations come from reading libs' sources.
 */

const catalogs = defaultCatalogs();
const syscall = catalogs.get("syscall")!;
const k8s = catalogs.get("k8s_audit")!;

/** A compact view: the field name and argument, `error: ...`, or `nonexistent`. */
function view(m: FieldMatch | undefined): string {
  if (!m) return "nonexistent";
  if (!m.ok) return `error: ${m.error}`;
  return m.field.name + (m.argument !== undefined ? ` <${m.argument}>` : "") + (m.type !== m.field.type ? ` as ${m.type}` : "");
}

describe("syscall source", () => {
  const cases: [string, string | undefined, string][] = [
    ["fd.name", undefined, "fd.name"],
    ["fd.nam", undefined, "nonexistent"],
    ["fd.namex", undefined, "nonexistent"],
    ["proc.name", undefined, "proc.name"],
    // ancestors: a number in brackets; anything else makes libs fall back to the bare name
    ["proc.aname", "2", "proc.aname <2>"],
    ["proc.aname[2]", undefined, "proc.aname <2>"],
    ["proc.aname", undefined, "proc.aname"],
    ["proc.aname", " 3", "proc.aname < 3>"],
    ["proc.aname", "x", "nonexistent"],
    ["proc.aname", "", "nonexistent"],
    ["proc.apid", "1", "proc.apid <1>"],
    ["proc.aexepath", "1", "proc.aexepath <1>"],
    ["proc.aexe", "1", "proc.aexe <1>"],
    ["proc.args", "0", "proc.args <0>"],
    ["proc.env", "HOME", "proc.env <HOME>"],
    ["proc.env", "", "proc.env <>"],
    ["proc.aenv", "PATH", "proc.aenv <PATH>"],
    ["proc.name", "1", "nonexistent"],
    // evt.arg: a parameter name after a dot, or a position in brackets
    ["evt.arg.fd", undefined, "evt.arg <fd>"],
    ["evt.arg.name", undefined, "evt.arg <name>"],
    ["evt.arg", "0", "evt.arg <0>"],
    ["evt.arg", "fd", "error: fd is not a valid number"],
    ["evt.arg.fdx", undefined, "nonexistent"],
    ["evt.arg.nosuchparam", undefined, "error: unknown event argument nosuchparam"],
    ["evt.arg", undefined, "error: filter syntax error: evt.arg"],
    ["evt.args", undefined, "evt.args"],
    ["evt.rawarg.res", undefined, "evt.rawarg <res> as ERRNO"],
    ["evt.rawarg.fd", undefined, "evt.rawarg <fd> as FD"],
    ["evt.rawarg.name", undefined, "evt.rawarg <name> as FSPATH"],
    ["evt.rawarg", "0", "error: evt.arg fields must be expressed explicitly"],
    ["evt.around", "1404996934793590564", "evt.around <1404996934793590564>"],
    ["evt.around.x", undefined, "error: wrong syntax for evt.around"],
    ["evt.abspath", undefined, "evt.abspath"],
    ["evt.abspath.src", undefined, "evt.abspath <src>"],
    ["evt.abspath.dst", undefined, "evt.abspath <dst>"],
    ["evt.abspath.foo", undefined, "nonexistent"],
    ["evt.type.is.open", undefined, "evt.type.is <open>"],
    ["evt.type.is.nosuchevent", undefined, "nonexistent"],
    ["evt.type.is", "open", "error: filter syntax error: evt.type.is[open]"],
    ["evt.latency.ns", undefined, "evt.latency.ns"],
    ["evt.dir", undefined, "evt.dir"],
    ["thread.cgroup.cpuacct", undefined, "thread.cgroup <cpuacct>"],
    ["thread.cgroup", "cpu", "error: filter syntax error: thread.cgroup[cpu]"],
    ["thread.cgroups", undefined, "thread.cgroups"],
    ["fd.types", undefined, "fd.types"],
    ["fd.types", "0", "fd.types <0>"],
    ["fd.types", "x", "error: x is not a valid number"],
    ["arg.foo", undefined, "error: filter error: proc.arg filter not implemented yet"],
    // never listed, still resolved
    ["util.cnt", undefined, "util.cnt"],
    ["evt.outputtime", undefined, "evt.outputtime"],
    ["evt.count.procinfo", undefined, "evt.count.procinfo"],
    // container plugin
    ["container.id", undefined, "container.id"],
    ["container.image.repository", undefined, "container.image.repository"],
    ["container.mount", "0", "container.mount <0>"],
    ["container.mount", "/usr/local", "container.mount </usr/local>"],
    ["container.label", "app", "container.label <app>"],
    ["container.label", undefined, "error: filter 'container.label': container.label requires an argument but none provided"],
    ["k8s.pod.label.app", undefined, "error: filter 'k8s.pod.label.app': k8s.pod.label requires an argument but none provided"],
    ["k8s.ns.name", undefined, "k8s.ns.name"],
    ["container.id", "x", "error: filter 'container.id[x]': container.id does not allow nor require an argument but one is provided: x"],
    ["container.idx", undefined, "nonexistent"],
    ["ka.verb", undefined, "nonexistent"],
  ];
  for (const [name, arg, want] of cases) {
    it(`${name}${arg !== undefined ? `[${arg}]` : ""}`, () => expect(view(syscall.lookup(name, arg))).toBe(want));
  }

  it("types and flags", () => {
    const m = syscall.lookup("fd.types", "1");
    expect(m?.ok && m.isList).toBe(true);
    expect(syscall.get("fd.net")).toMatchObject({ type: "IPNET", noRhs: true, noTransformer: true, filterOnly: true });
    expect(syscall.get("evt.dir")).toMatchObject({ deprecated: true });
    expect(syscall.get("evt.latency.quantized")).toMatchObject({ deprecated: true, hidden: true });
    expect(syscall.get("proc.aname")?.arg).toEqual({ required: false, allowed: true, index: false, key: false });
    expect(syscall.get("container.mount")?.arg).toEqual({ required: true, allowed: true, index: true, key: true });
    expect(syscall.get("k8s.pod.label")?.className).toBe("container (plugin)");
    expect(syscall.asyncEventNames).toContain("container");
  });
});

describe("plugin sources", () => {
  const cases: [string, string | undefined, string][] = [
    ["ka.verb", undefined, "ka.verb"],
    ["ka.req.pod.containers.image", undefined, "ka.req.pod.containers.image"],
    ["ka.req.pod.containers.image", "0", "ka.req.pod.containers.image <0>"],
    ["ka.req.pod.containers.image[0]", undefined, "ka.req.pod.containers.image <0>"],
    ["ka.req.pod.containers.image.repository", undefined, "ka.req.pod.containers.image.repository"],
    [
      "ka.req.pod.containers.image",
      "01",
      "error: filter ka.req.pod.containers.image[01] ka.req.pod.containers.image has an invalid index argument starting with 0: 01",
    ],
    [
      "ka.req.pod.containers.image",
      "a",
      "error: filter ka.req.pod.containers.image[a] ka.req.pod.containers.image has an invalid index argument not composed only by digits: a",
    ],
    [
      "ka.req.pod.containers.image",
      "18446744073709551616",
      "error: filter ka.req.pod.containers.image[18446744073709551616] ka.req.pod.containers.image has an invalid index argument not representable on 64 bit: 18446744073709551616",
    ],
    ["ka.uri.param", "verb", "ka.uri.param <verb>"],
    ["ka.uri.param", undefined, "error: filter 'ka.uri.param': ka.uri.param requires an argument but none provided"],
    ["ka.req.volume.hostpath", "/etc", "ka.req.volume.hostpath </etc>"],
    // the argument is cut at the first blank: the brackets no longer close
    ["ka.uri.param", "a b", "error: filter 'ka.uri.param[a': ka.uri.param has unbalanced argument brackets"],
    ["jevt.value", "/requestObject/kind", "jevt.value </requestObject/kind>"],
    ["json.value", "/user/name", "json.value </user/name>"],
    ["evt.time", undefined, "evt.time"],
    ["evt.source", undefined, "evt.source"],
    ["fd.name", undefined, "nonexistent"],
    ["evt.type", undefined, "nonexistent"],
  ];
  for (const [name, arg, want] of cases) {
    it(`k8s_audit: ${name}${arg !== undefined ? `[${arg}]` : ""}`, () => expect(view(k8s.lookup(name, arg))).toBe(want));
  }

  it("other sources", () => {
    expect(view(catalogs.get("aws_cloudtrail")!.lookup("ct.name"))).toBe("ct.name");
    expect(view(catalogs.get("aws_cloudtrail")!.lookup("s3.bucket"))).toBe("s3.bucket");
    expect(view(catalogs.get("aws_cloudtrail")!.lookup("ec2.imageids", "1"))).toBe("ec2.imageids <1>");
    expect(view(catalogs.get("okta")!.lookup("okta.mfa.failure.countlast", "300"))).toBe("okta.mfa.failure.countlast <300>");
    expect(view(catalogs.get("github")!.lookup("github.repo"))).toBe("github.repo");
    expect(view(catalogs.get("gcp_auditlog")!.lookup("gcp.methodName"))).toBe("gcp.methodName");
    expect([...catalogs.keys()].sort()).toEqual(["aws_cloudtrail", "gcp_auditlog", "github", "k8s_audit", "okta", "syscall"]);
  });

  it("plugins are catalogued by the sources they extract from", () => {
    const c = buildCatalogs(["container", "k8smeta", "dummy"]);
    expect([...c.keys()]).toEqual(["syscall", "dummy"]);
    expect(view(c.get("syscall")!.lookup("k8smeta.pod.label", "app"))).toBe("k8smeta.pod.label <app>");
    expect(view(c.get("dummy")!.lookup("dummy.divisible", "3"))).toBe("dummy.divisible <3>");
    expect(view(c.get("dummy")!.lookup("container.id"))).toBe("nonexistent");
    expect(buildCatalogs([]).get("syscall")!.lookup("container.id")).toBeUndefined();
  });
});

describe("catalog data", () => {
  it("every field has a description of its own", () => {
    const all = buildCatalogs(["container", "k8smeta", "krsi", "k8saudit", "cloudtrail", "okta", "github", "gcpaudit", "json", "dummy", "dummy_c", "dummy_rs", "hashicorp-vault"]);
    const missing = [...all.values()].flatMap((c) => c.fields.filter((f) => !f.description).map((f) => `${c.source}: ${f.name}`));
    expect(missing).toEqual([]);
  });

  it("the syscall source has libs' 231 listed fields, plus its unlisted ones", () => {
    const libs = buildCatalogs([]).get("syscall")!;
    expect(libs.fields.length).toBe(233);
    expect(libs.classes.map((c) => c.name)).toEqual(["evt", "evt", "process", "user", "group", "fd", "fs.path", "util", "fdlist"]);
  });
});
