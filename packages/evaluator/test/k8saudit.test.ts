import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { nodesOf, parseOutput } from "@falcokit/condition";
import { loadRules } from "@falcokit/engine";
import { defaultCatalogs, genericEventClass, pluginClass, type FieldInfo } from "@falcokit/fields";
import { auditEventMeta, extractAuditField, extractGenericPluginField, parseAuditEvents, parseRFC3339Nano, type AuditEvent } from "../src/k8saudit.js";
import type { Extracted } from "../src/value.js";

/*
 * Audit events read and their fields extracted as the k8saudit plugin (0.18) and the json plugin
 * (0.7) do. Expected values are computed from the event JSON itself (read here with JSON.parse),
 * following the plugins' Go code (plugins/k8saudit/pkg/k8saudit/extract.go, plugins/json).
 */

const CORPUS = "/work/shared/corpus/captures/falco/k8s_audit";
const RULES = "/work/shared/corpus/rules/plugins/k8saudit/k8s_audit_rules.yaml";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any;

interface CorpusEvent {
  file: string;
  event: AuditEvent;
  /** The event as JSON.parse reads its line. */
  j: J;
}

const files = readdirSync(CORPUS)
  .filter((f) => f.endsWith(".json"))
  .sort();
const texts = new Map(files.map((f) => [f, readFileSync(`${CORPUS}/${f}`, "utf8")]));
const corpus: CorpusEvent[] = files.flatMap((file) => {
  const text = texts.get(file)!;
  const lines = text.split("\n");
  return parseAuditEvents(text).events.map((event) => ({ file, event, j: JSON.parse(lines[event.line - 1]!) }));
});

const x = (e: AuditEvent, name: string, arg?: string): Extracted => extractAuditField(e, name, arg);

/** What JSON the plugin's jsonValueAsString gives for a value: strings as is, others compact. */
const asString = (v: J): string | undefined => (v === undefined ? undefined : typeof v === "string" ? v : JSON.stringify(v));
/** A list value as libs receives it: no value for an empty list. */
const list = (v: string[] | undefined): string[] | undefined => (v === undefined || v.length === 0 ? undefined : v);

/** Nanoseconds since the epoch of an RFC 3339 timestamp, computed independently. */
function nanos(ts: string): bigint {
  const frac = /\.(\d+)/.exec(ts)?.[1] ?? "";
  const ms = Date.parse(ts.replace(/\.\d+/, ""));
  return BigInt(ms) * 1_000_000n + BigInt(frac.slice(0, 9).padEnd(9, "0"));
}

/** A minimal valid audit event line, with overrides. */
function event(fields: Record<string, unknown> = {}, stage = "2024-01-02T03:04:05.123456789Z"): string {
  return JSON.stringify({ kind: "Event", auditID: "id-1", verb: "get", stageTimestamp: stage, ...fields });
}

function one(line: string): AuditEvent {
  const r = parseAuditEvents(line);
  expect(r.errors).toEqual([]);
  expect(r.events).toHaveLength(1);
  return r.events[0]!;
}

describe("corpus: reading the events", () => {
  it("reads every corpus file as the plugin's file reader does", () => {
    expect(files.length).toBeGreaterThanOrEqual(47);
    let total = 0;
    for (const file of files) {
      const text = texts.get(file)!;
      const lines = text.split("\n").filter((l) => l.length > 0);
      const expected = lines.filter((l) => {
        const j = JSON.parse(l);
        return j.kind === "Event" && typeof j.stageTimestamp === "string";
      });
      const r = parseAuditEvents(text);
      expect(r.events.length, file).toBe(expected.length);
      total += r.events.length;
      if (file === "fal_01_003.json") {
        expect(r.errors).toEqual([{ line: 1, column: 1, message: "data not recognized as a k8s audit event" }]);
      } else {
        expect(r.errors, file).toEqual([]);
      }
    }
    expect(total).toBe(corpus.length);
    expect(corpus.length).toBe(51);
  });

  it("files with several lines give one event per line, numbered in order", () => {
    const r = parseAuditEvents(texts.get("create_configmap_sensitive_values.json")!);
    expect(r.events.map((e) => e.num)).toEqual([1n, 2n, 3n, 4n, 5n, 6n]);
    expect(r.events.map((e) => e.line)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.events.every((e) => e.firstTs === r.events[0]!.ts)).toBe(true);
  });

  it("the payload is the event re-marshalled compactly, its timestamp the stageTimestamp", () => {
    for (const { file, event: e, j } of corpus) {
      expect(e.payload, file).toBe(JSON.stringify(j));
      expect(e.ts, file).toBe(nanos(j.stageTimestamp));
    }
  });
});

/** Every field (name, arg) the k8saudit rules use in conditions and outputs. */
function ruleFields(): { name: string; arg?: string; output: boolean }[] {
  const loaded = loadRules([{ name: "k8s_audit_rules.yaml", text: readFileSync(RULES, "utf8") }]);
  expect(loaded.files[0]!.successful).toBe(true);
  const seen = new Map<string, { name: string; arg?: string; output: boolean }>();
  const add = (n: { name: string; arg?: string }, output: boolean) => {
    const key = `${n.name}[${n.arg ?? ""}]${output}`;
    if (!seen.has(key)) seen.set(key, { name: n.name, ...(n.arg !== undefined ? { arg: n.arg } : {}), output });
  };
  for (const rule of loaded.compiled!.rules) {
    expect(rule.info.source).toBe("k8s_audit");
    for (const n of nodesOf(rule.ast)) if (n.type === "field") add(n, false);
    for (const t of parseOutput(rule.output).tokens) if (t.type === "field") for (const n of nodesOf(t.expr)) if (n.type === "field") add(n, true);
  }
  return [...seen.values()];
}

describe("corpus: every field of the k8saudit rules", () => {
  const fields = ruleFields();
  const catalog = defaultCatalogs().get("k8s_audit")!;

  it("finds the rules' fields", () => {
    const names = new Set(fields.map((f) => f.name));
    for (const n of ["ka.verb", "ka.user.name", "ka.req.pod.containers.privileged", "ka.req.role.rules.verbs", "jevt.value", "ka.uri.param", "jevt.obj"]) {
      expect(names.has(n), n).toBe(true);
    }
    expect(fields.length).toBeGreaterThan(40);
  });

  it("extracts each of them from every corpus event, with the catalog's shape", () => {
    let readable = 0;
    for (const f of fields) {
      const m = catalog.lookup(f.name, f.arg);
      expect(m?.ok, `${f.name}[${f.arg}]`).toBe(true);
      if (!m?.ok) continue;
      for (const { file, event: e } of corpus) {
        const v = x(e, f.name, f.arg);
        if (v === undefined) continue;
        readable++;
        if (m.isList) {
          expect(Array.isArray(v), `${file} ${m.text}`).toBe(true);
          expect((v as unknown[]).length).toBeGreaterThan(0);
          for (const s of v as unknown[]) expect(typeof s).toBe("string");
        } else {
          expect(typeof v, `${file} ${m.text}`).toBe("string");
        }
      }
    }
    expect(readable).toBeGreaterThan(500);
  });
});

describe("corpus: values computed from the JSON", () => {
  it("top-level and nested strings", () => {
    for (const { file, event: e, j } of corpus) {
      const msg = file;
      expect(x(e, "ka.verb"), msg).toBe(j.verb);
      expect(x(e, "ka.auditid"), msg).toBe(j.auditID);
      expect(x(e, "ka.stage"), msg).toBe(j.stage);
      expect(x(e, "ka.uri"), msg).toBe(j.requestURI);
      expect(x(e, "ka.useragent"), msg).toBe(j.userAgent);
      expect(x(e, "ka.user.name"), msg).toBe(j.user?.username);
      expect(x(e, "ka.user.groups"), msg).toEqual(list(j.user?.groups));
      expect(x(e, "ka.impuser.name"), msg).toBe(j.impersonatedUser?.username);
      expect(x(e, "ka.target.name"), msg).toBe(j.objectRef?.name);
      expect(x(e, "ka.target.namespace"), msg).toBe(j.objectRef?.namespace);
      expect(x(e, "ka.target.resource"), msg).toBe(j.objectRef?.resource);
      expect(x(e, "ka.target.subresource"), msg).toBe(j.objectRef?.subresource);
      expect(x(e, "ka.req.configmap.name"), msg).toBe(j.objectRef?.name);
      expect(x(e, "ka.auth.decision"), msg).toBe(j.annotations?.["authorization.k8s.io/decision"]);
      expect(x(e, "ka.auth.reason"), msg).toBe(j.annotations?.["authorization.k8s.io/reason"]);
      expect(x(e, "ka.cluster.name"), msg).toBe(j.annotations?.cluster_name);
      expect(x(e, "ka.resp.name"), msg).toBe(j.responseObject?.metadata?.name);
      expect(x(e, "ka.response.reason"), msg).toBe(asString(j.responseStatus?.reason));
      // Numbers are marshalled: the plugin's fields are all strings.
      expect(x(e, "ka.response.code"), msg).toBe(asString(j.responseStatus?.code));
      const podName = j.objectRef?.resource === "pods" && !j.objectRef?.subresource ? j.responseObject?.metadata?.name : undefined;
      expect(x(e, "ka.target.pod.name"), msg).toBe(podName);
      expect(x(e, "ka.req.binding.subject.has_name", "anything"), msg).toBe("true");
    }
  });

  it("an empty annotation is an empty string, a missing one no value", () => {
    const withEmptyReason = corpus.filter((c) => c.j.annotations?.["authorization.k8s.io/reason"] === "");
    expect(withEmptyReason.length).toBeGreaterThan(5);
    for (const c of withEmptyReason) expect(x(c.event, "ka.auth.reason")).toBe("");
    // Every corpus event has annotations, none of them OpenShift's or a cluster name.
    for (const c of corpus) {
      expect(c.j.annotations?.["authentication.openshift.io/decision"]).toBeUndefined();
      expect(x(c.event, "ka.auth.openshift.decision")).toBeUndefined();
      expect(x(c.event, "ka.cluster.name")).toBeUndefined();
    }
    const e = one(event({ annotations: { cluster_name: "" } }));
    expect(x(e, "ka.cluster.name")).toBe("");
    expect(x(e, "ka.auth.reason")).toBeUndefined();
  });

  it("pod fields: containers, index arguments, computed privileged flags, host namespaces", () => {
    const pods = corpus.filter((c) => Array.isArray(c.j.requestObject?.spec?.containers));
    expect(pods.length).toBeGreaterThanOrEqual(10);
    let secondContainers = 0;
    for (const { file, event: e, j } of pods) {
      const spec = j.requestObject.spec;
      const cs: J[] = spec.containers;
      const images = cs.map((c) => c.image as string);
      expect(x(e, "ka.req.pod.containers.image"), file).toEqual(images);
      expect(x(e, "ka.req.pod.containers.name"), file).toEqual(cs.map((c) => c.name));
      images.forEach((img, i) => expect(x(e, "ka.req.pod.containers.image", String(i)), file).toEqual([img]));
      expect(x(e, "ka.req.pod.containers.image", String(cs.length)), file).toBeUndefined();
      expect(x(e, "ka.req.container.image"), file).toBe(images[0]);
      const repos = images.map((i) => i.split(":")[0]!.split("@")[0]!);
      expect(x(e, "ka.req.pod.containers.image.repository"), file).toEqual(repos);
      expect(x(e, "ka.req.container.image.repository"), file).toBe(repos[0]);
      // Only the containers that set the flag have a value.
      const priv = cs.filter((c) => c.securityContext?.privileged !== undefined).map((c) => String(c.securityContext.privileged));
      expect(x(e, "ka.req.pod.containers.privileged"), file).toEqual(list(priv));
      expect(x(e, "ka.req.container.privileged"), file).toBe(cs.some((c) => c.securityContext?.privileged === true) ? "true" : "false");
      cs.forEach((c, i) => expect(x(e, "ka.req.pod.containers.privileged", String(i)), file).toEqual(c.securityContext?.privileged === undefined ? undefined : [String(c.securityContext.privileged)]));
      if (cs.length > 1) secondContainers++;
      expect(x(e, "ka.req.pod.host_network"), file).toBe(asString(spec.hostNetwork));
      expect(x(e, "ka.req.container.host_network"), file).toBe(asString(spec.hostNetwork));
      expect(x(e, "ka.req.pod.host_pid"), file).toBe(asString(spec.hostPID));
      expect(x(e, "ka.req.pod.host_ipc"), file).toBe(asString(spec.hostIPC));
      expect(x(e, "ka.req.pod.run_as_user"), file).toBe(asString(spec.securityContext?.runAsUser));
      // The plugin reads the "effective" uid at spec.runAsUser / spec.containers[].runAsUser.
      expect(x(e, "ka.req.pod.containers.eff_run_as_user"), file).toEqual(cs.map((c) => asString(c.runAsUser) ?? asString(spec.runAsUser) ?? "0"));
      const volumes: J[] = spec.volumes ?? [];
      const hostPaths = volumes.filter((v) => v.hostPath?.path !== undefined).map((v) => v.hostPath.path as string);
      expect(x(e, "ka.req.pod.volumes.hostpath"), file).toEqual(spec.volumes === undefined ? undefined : list(hostPaths));
      for (const p of hostPaths) {
        expect(x(e, "ka.req.volume.hostpath", p), file).toBe("true");
        expect(x(e, "ka.req.volume.hostpath", `${p.slice(0, 2)}*`), file).toBe("true");
      }
      if (spec.volumes !== undefined) expect(x(e, "ka.req.volume.hostpath", "/nonexistent"), file).toBe("false");
      const types = volumes.flatMap((v) => Object.keys(v).filter((k) => k !== "name"));
      expect(x(e, "ka.req.pod.volumes.volume_type"), file).toEqual(spec.volumes === undefined ? undefined : list(types));
      // No init or ephemeral containers in the corpus: no value.
      expect(x(e, "ka.req.pod.initContainers.image"), file).toBeUndefined();
      expect(x(e, "ka.req.pod.ephemeralContainers.privileged"), file).toBeUndefined();
    }
    expect(secondContainers).toBeGreaterThanOrEqual(3);
  });

  it("the privileged pod files have a privileged container, the unprivileged ones none", () => {
    const get = (f: string) => corpus.find((c) => c.file === f)!.event;
    expect(x(get("create_nginx_pod_privileged.json"), "ka.req.pod.containers.privileged")).toContain("true");
    expect(x(get("create_nginx_pod_privileged_2nd_container.json"), "ka.req.pod.containers.privileged")).toEqual(["false", "true"]);
    expect(x(get("create_nginx_pod_unprivileged.json"), "ka.req.pod.containers.privileged") ?? []).not.toContain("true");
    expect(x(get("create_nginx_pod_hostnetwork.json"), "ka.req.pod.host_network")).toBe("true");
    expect(x(get("create_nginx_pod_nohostnetwork.json"), "ka.req.pod.host_network")).not.toBe("true");
  });

  it("roles, bindings, configmaps, services", () => {
    let roles = 0;
    let bindings = 0;
    for (const { file, event: e, j } of corpus) {
      const ro = j.requestObject;
      const rules: J[] | undefined = Array.isArray(ro?.rules) ? ro.rules : undefined;
      if (rules) roles++;
      expect(x(e, "ka.req.role.rules"), file).toEqual(rules && list(rules.map((r) => JSON.stringify(r))));
      for (const k of ["verbs", "resources", "apiGroups", "nonResourceURLs"]) {
        expect(x(e, `ka.req.role.rules.${k}`), `${file} ${k}`).toEqual(rules && list(rules.flatMap((r) => (Array.isArray(r[k]) ? r[k] : []))));
        // The index picks the rule.
        rules?.forEach((r, i) => expect(x(e, `ka.req.role.rules.${k}`, String(i)), `${file} ${k}[${i}]`).toEqual(list(Array.isArray(r[k]) ? r[k] : [])));
      }
      const subjects: J[] | undefined = ro?.subjects;
      if (subjects) bindings++;
      expect(x(e, "ka.req.binding.subjects"), file).toEqual(subjects && list(subjects.map((s) => JSON.stringify(s))));
      expect(x(e, "ka.req.binding.role"), file).toBe(ro?.roleRef?.name);
      const names = (kind: string) => list((subjects ?? []).filter((s) => s.kind === kind).map((s) => s.name));
      expect(x(e, "ka.req.binding.subjects.user_names"), file).toEqual(names("User"));
      expect(x(e, "ka.req.binding.subjects.group_names"), file).toEqual(names("Group"));
      expect(x(e, "ka.req.binding.subjects.serviceaccount_names"), file).toEqual(names("ServiceAccount"));
      expect(x(e, "ka.req.binding.subjects.serviceaccount_ns_names"), file).toEqual(
        list((subjects ?? []).filter((s) => s.kind === "ServiceAccount" && s.namespace !== undefined).map((s) => `${s.namespace}:${s.name}`)),
      );
      expect(x(e, "ka.req.configmap.obj"), file).toBe(asString(ro?.data));
      expect(x(e, "ka.req.service.type"), file).toBe(asString(ro?.spec?.type));
      // The whole ports array, as one value.
      expect(x(e, "ka.req.service.ports"), file).toEqual(ro?.spec?.ports === undefined ? undefined : [JSON.stringify(ro.spec.ports)]);
    }
    expect(roles).toBeGreaterThanOrEqual(5);
    expect(bindings).toBeGreaterThanOrEqual(1);
  });

  it("ka.uri.param reads the request URI's query", () => {
    let withQuery = 0;
    for (const { file, event: e, j } of corpus) {
      const params = new URL(j.requestURI, "http://host").searchParams;
      for (const k of new Set([...params.keys(), "command", "container", "nope"])) {
        expect(x(e, "ka.uri.param", k), `${file} ${k}`).toBe(params.get(k) ?? undefined);
      }
      if ([...params.keys()].length > 0) withQuery++;
    }
    expect(withQuery).toBeGreaterThanOrEqual(2);
    const exec = corpus.find((c) => c.file === "exec_pod.json")!.event;
    expect(x(exec, "ka.uri.param", "command")).toBe("bash");
  });

  it("json.value / jevt.value follow JSON pointers; jevt.obj indents the payload; jevt.rawtime is the timestamp", () => {
    for (const { file, event: e, j } of corpus) {
      for (const f of ["json", "jevt"]) {
        expect(x(e, `${f}.value`, "/verb"), file).toBe(j.verb);
        expect(x(e, `${f}.value`, "/objectRef"), file).toBe(asString(j.objectRef));
        expect(x(e, `${f}.value`, "/user/groups/0"), file).toBe(j.user?.groups?.[0]);
        expect(x(e, `${f}.value`, "/annotations/authorization.k8s.io~1decision"), file).toBe(j.annotations?.["authorization.k8s.io/decision"]);
        expect(x(e, `${f}.value`, "/requestObject/spec/containers/0/image"), file).toBe(j.requestObject?.spec?.containers?.[0]?.image);
        expect(x(e, `${f}.value`, "/no/such/path"), file).toBeUndefined();
        expect(x(e, `${f}.value`, ""), file).toBe(e.payload);
        expect(x(e, `${f}.obj`), file).toBe(JSON.stringify(j, null, 2));
        expect(x(e, `${f}.rawtime`), file).toBe(nanos(j.stageTimestamp).toString());
      }
    }
  });

  it("every field of the k8s_audit catalog extracts from every event without throwing", () => {
    const args = (f: FieldInfo): (string | undefined)[] => {
      if (f.arg.key && f.arg.required) return ["x", "/", "/etc*", "command", "/requestObject"];
      if (f.arg.index) return [undefined, "0", "1", "18446744073709551615"];
      return [undefined];
    };
    const classes = [genericEventClass(), pluginClass("k8saudit"), pluginClass("json")];
    let n = 0;
    for (const cls of classes) {
      for (const f of cls.fields) {
        for (const a of args(f)) {
          for (const { event: e } of corpus) {
            const v = x(e, f.name, a);
            if (v !== undefined && f.isList) expect(Array.isArray(v), f.name).toBe(true);
            n++;
          }
        }
      }
    }
    expect(n).toBeGreaterThan(5000);
  });
});

describe("missing paths and unreadable values", () => {
  it("a missing path gives no value; present but empty strings are values", () => {
    const e = one(event({ user: { username: "" }, objectRef: { resource: "pods" } }));
    expect(x(e, "ka.user.name")).toBe("");
    expect(x(e, "ka.user.groups")).toBeUndefined();
    expect(x(e, "ka.impuser.name")).toBeUndefined();
    expect(x(e, "ka.target.name")).toBeUndefined();
    expect(x(e, "ka.target.subresource")).toBeUndefined();
    expect(x(e, "ka.req.pod.containers.image")).toBeUndefined();
    expect(x(e, "ka.req.container.privileged")).toBeUndefined();
    expect(x(e, "ka.req.role.rules.verbs")).toBeUndefined();
    expect(x(e, "ka.req.volume.hostpath", "/etc")).toBeUndefined();
    expect(x(e, "ka.uri.param", "x")).toBeUndefined();
    expect(x(e, "ka.target.pod.name")).toBeUndefined();
    expect(x(e, "jevt.value", "/user/uid")).toBeUndefined();
    expect(x(e, "jevt.value", "/user/username")).toBe("");
  });

  it("without auditID no ka.* field has a value, the json plugin's fields still do", () => {
    const e = one(JSON.stringify({ kind: "Event", verb: "get", stageTimestamp: "2024-01-02T03:04:05Z" }));
    expect(x(e, "ka.verb")).toBeUndefined();
    expect(x(e, "ka.req.binding.subject.has_name", "a")).toBeUndefined();
    expect(x(e, "jevt.value", "/verb")).toBe("get");
    expect(x(e, "evt.num")).toBe(1n);
  });

  it("lists: empty or of the wrong JSON type give no value; non-strings are marshalled", () => {
    expect(x(one(event({ user: { groups: [] } })), "ka.user.groups")).toBeUndefined();
    expect(x(one(event({ user: { groups: "g" } })), "ka.user.groups")).toBeUndefined();
    expect(x(one(event({ user: { groups: ["a", 1, true, null, { b: [1, 2] }] } })), "ka.user.groups")).toEqual(["a", "1", "true", "null", '{"b":[1,2]}']);
    expect(x(one(event({ verb: 12.50 })), "ka.verb")).toBe("12.5");
    expect(x(one(event({ requestObject: { subjects: {} } })), "ka.req.binding.subjects.user_names")).toBeUndefined();
  });

  it("container lists: index arguments, holes, wrong types", () => {
    const spec = {
      containers: [
        { name: "a", image: "reg:5000/img:1", command: ["sh", "-c", "x"], securityContext: { privileged: false, runAsUser: 5 }, ports: [{ containerPort: 80 }, { hostPort: 8080, containerPort: 81 }] },
        { name: "b", securityContext: { privileged: "true" }, runAsUser: 7, args: [] },
      ],
      runAsUser: 3,
    };
    const e = one(event({ requestObject: { spec } }));
    // One container without an image: the image list fails as a whole, names still read.
    expect(x(e, "ka.req.pod.containers.image")).toBeUndefined();
    expect(x(e, "ka.req.pod.containers.image", "0")).toEqual(["reg:5000/img:1"]);
    expect(x(e, "ka.req.pod.containers.image.repository", "0")).toEqual(["reg"]);
    expect(x(e, "ka.req.container.image")).toBe("reg:5000/img:1");
    expect(x(e, "ka.req.pod.containers.name")).toEqual(["a", "b"]);
    expect(x(e, "ka.req.pod.containers.name", "1")).toEqual(["b"]);
    expect(x(e, "ka.req.pod.containers.name", "2")).toBeUndefined();
    // 2^64-1 is Go's -1: no index.
    expect(x(e, "ka.req.pod.containers.name", "18446744073709551615")).toEqual(["a", "b"]);
    expect(x(e, "ka.req.pod.containers.name", "9223372036854775808")).toBeUndefined();
    expect(x(e, "ka.req.pod.containers.command")).toEqual(["sh -c x"]);
    expect(x(e, "ka.req.pod.containers.args")).toEqual([""]);
    expect(x(e, "ka.req.pod.containers.privileged")).toEqual(["false", "true"]);
    // Only a JSON true counts.
    expect(x(e, "ka.req.container.privileged")).toBe("false");
    expect(x(e, "ka.req.pod.containers.run_as_user")).toEqual(["5"]);
    expect(x(e, "ka.req.pod.containers.eff_run_as_user")).toEqual(["3", "7"]);
    expect(x(e, "ka.req.pod.containers.eff_run_as_group")).toEqual(["0", "0"]);
    expect(x(e, "ka.req.pod.containers.host_port")).toEqual(["80", "8080"]);
    const bad = one(event({ requestObject: { spec: { containers: [{ command: "sh" }] } } }));
    expect(x(bad, "ka.req.pod.containers.command")).toBeUndefined();
    const empty = one(event({ requestObject: { spec: { containers: [] } } }));
    expect(x(empty, "ka.req.container.privileged")).toBe("false");
    expect(x(empty, "ka.req.pod.containers.name")).toBeUndefined();
    const init = one(event({ requestObject: { spec: { initContainers: [{ name: "i", image: "busybox@sha256:0", securityContext: { privileged: true } }] } } }));
    expect(x(init, "ka.req.pod.initContainers.image.repository")).toEqual(["busybox"]);
    expect(x(init, "ka.req.pod.initContainers.privileged", "0")).toEqual(["true"]);
    expect(x(init, "ka.req.pod.containers.privileged")).toBeUndefined();
  });

  it("ka.sourceips reads requestObject.rules[].sourceIPs, as the plugin does", () => {
    expect(x(one(event({ sourceIPs: ["1.2.3.4"] })), "ka.sourceips")).toBeUndefined();
    expect(x(one(event({ sourceIPs: ["1.2.3.4"], requestObject: { rules: [{ sourceIPs: ["5.6.7.8"] }] } })), "ka.sourceips")).toEqual(["5.6.7.8"]);
  });

  it("ka.uri.param: Go's url.ParseQuery (first value, + as space, a bad pair fails the whole query)", () => {
    const uri = (u: string) => one(event({ requestURI: u }));
    expect(x(uri("/api?a=1&a=2&b=x+y%21"), "ka.uri.param", "a")).toBe("1");
    expect(x(uri("/api?a=1&a=2&b=x+y%21"), "ka.uri.param", "b")).toBe("x y!");
    expect(x(uri("/api?a=1;b=2"), "ka.uri.param", "a")).toBeUndefined();
    expect(x(uri("/api?a=%zz&b=2"), "ka.uri.param", "b")).toBeUndefined();
    expect(x(uri("/api%zz?b=2"), "ka.uri.param", "b")).toBeUndefined();
    expect(x(uri("/api?b=2#frag"), "ka.uri.param", "b")).toBe("2");
    expect(x(uri("/api?b=caf%C3%A9"), "ka.uri.param", "b")).toBe("café");
    expect(x(uri("/api?flag"), "ka.uri.param", "flag")).toBe("");
  });

  it("keys and strings: fastjson's first duplicate wins, escapes are undone, NUL cuts the C string", () => {
    const e = one('{"kind":"Event","auditID":"a","verb":"get","verb":"list","user":{"username":"a\\u002Fb\\u0000c"},"stageTimestamp":"2024-01-02T03:04:05Z"}');
    expect(x(e, "ka.verb")).toBe("get");
    expect(x(e, "jevt.value", "/verb")).toBe("get");
    expect(x(e, "ka.user.name")).toBe("a/b");
    // Raw strings are kept as written in marshalled values.
    expect(x(e, "jevt.value", "/user")).toBe('{"username":"a\\u002Fb\\u0000c"}');
    expect(e.payload).toContain('"username":"a\\u002Fb\\u0000c"');
  });

  it("json.value pointers: ~0 and ~1, array indexes, leading slash optional", () => {
    const e = one(event({ obj: { "a/b": { "c~d": [10, { e: "f" }] } } }));
    expect(x(e, "json.value", "/obj/a~1b/c~0d/0")).toBe("10");
    expect(x(e, "json.value", "obj/a~1b/c~0d/1/e")).toBe("f");
    expect(x(e, "json.value", "/obj/a~1b/c~0d/2")).toBeUndefined();
    expect(x(e, "json.value", "/obj/a~1b/c~0d/-1")).toBeUndefined();
    expect(x(e, "json.value", "/obj/a~1b")).toBe('{"c~d":[10,{"e":"f"}]}');
  });

  it("json.obj is undefined when Go's strict scanner rejects what fastjson accepted", () => {
    const e = one('{"kind":"Event","auditID":"a","n":NaN,"stageTimestamp":"2024-01-02T03:04:05Z"}');
    expect(x(e, "json.value", "/n")).toBe("NaN");
    expect(x(e, "json.obj")).toBeUndefined();
    const ok = one(event({ a: {}, b: [], c: [1, { d: null }] }));
    expect(x(ok, "json.obj")).toBe(JSON.stringify(JSON.parse(ok.payload), null, 2));
  });
});

describe("reading inputs as the plugin does", () => {
  it("one event per line, arrays, EventLists, nested arrays", () => {
    const a = event({ auditID: "a" });
    const b = event({ auditID: "b" });
    const c = event({ auditID: "c" });
    const text = [a, `[${b},[${c}]]`, JSON.stringify({ kind: "EventList", items: [JSON.parse(a), JSON.parse(b)] }), "", "  "].join("\r\n");
    const r = parseAuditEvents(text);
    expect(r.events.map((e) => x(e, "ka.auditid"))).toEqual(["a", "b", "c", "a", "b"]);
    expect(r.events.map((e) => e.num)).toEqual([1n, 2n, 3n, 4n, 5n]);
    expect(r.events.map((e) => e.line)).toEqual([1, 2, 2, 3, 3]);
    // A line of blanks is not empty: fastjson fails on it.
    expect(r.errors).toEqual([{ line: 5, column: 3, message: 'cannot parse JSON: cannot parse empty string; unparsed tail: ""' }]);
  });

  it("a pretty-printed file fails line by line; as a webhook body it is read", () => {
    const pretty = JSON.stringify(JSON.parse(event()), null, 2);
    const file = parseAuditEvents(pretty);
    expect(file.events).toEqual([]);
    expect(file.errors.length).toBe(pretty.split("\n").length);
    const hook = parseAuditEvents(pretty, { mode: "webhook" });
    expect(hook.errors).toEqual([]);
    expect(hook.events).toHaveLength(1);
    expect(hook.events[0]!.payload).toBe(event());
  });

  it("an unrecognized element drops the whole line; a bad event of a list only itself", () => {
    const r1 = parseAuditEvents(`[${event()},{"kind":"Other"}]`);
    expect(r1.events).toEqual([]);
    expect(r1.errors.map((e) => e.message)).toEqual(["data not recognized as a k8s audit event"]);
    const list = { kind: "EventList", items: [JSON.parse(event({ auditID: "ok" })), { auditID: "no-ts" }, { stageTimestamp: "yesterday" }] };
    const r2 = parseAuditEvents(JSON.stringify(list));
    expect(r2.events.map((e) => x(e, "ka.auditid"))).toEqual(["ok"]);
    expect(r2.errors.map((e) => e.message)).toEqual(["can't read stageTimestamp", expect.stringContaining('parsing time "yesterday"')]);
    expect(parseAuditEvents('{"kind":"EventList","items":[]}').errors.map((e) => e.message)).toEqual(["data not recognized as a k8s audit event"]);
  });

  it("syntax errors are located; fastjson's leniency is kept", () => {
    const r = parseAuditEvents(`${event()}\n{"kind":"Event",}\n{"kind":"Event","auditID":"x","n":1.2.3,"s":"\\q","stageTimestamp":"2024-01-02T03:04:05Z"}`);
    expect(r.events).toHaveLength(2);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.line).toBe(2);
    expect(r.errors[0]!.column).toBe(17);
    expect(r.errors[0]!.message).toMatch(/^cannot parse JSON: cannot parse object: cannot find opening/);
    expect(x(r.events[1]!, "jevt.value", "/n")).toBe("1.2.3");
    expect(x(r.events[1]!, "jevt.value", "/s")).toBe("\\q");
  });

  it("a line of 64 KiB or more ends the stream; events over maxEventSize are dropped", () => {
    const big = event({ pad: "x".repeat(70000) });
    const r = parseAuditEvents([event({ auditID: "1" }), big, event({ auditID: "3" })].join("\n"));
    expect(r.events.map((e) => x(e, "ka.auditid"))).toEqual(["1"]);
    expect(r.errors).toEqual([{ line: 2, column: 1, message: "bufio.Scanner: token too long" }]);
    expect(parseAuditEvents(big, { mode: "webhook" }).events).toHaveLength(1);
    const huge = event({ pad: "x".repeat(300000) });
    const hook = parseAuditEvents(huge, { mode: "webhook" });
    expect(hook.events).toHaveLength(0);
    expect(hook.errors.map((e) => e.message)).toEqual([`event larger than maxEventSize: size=${huge.length}`]);
    expect(parseAuditEvents(huge, { mode: "webhook", maxEventSize: 1 << 20 }).events).toHaveLength(1);
    expect(parseAuditEvents(huge, { mode: "webhook", webhookMaxBatchSize: 1000 }).errors.map((e) => e.message)).toEqual(["bad request: http: request body too large"]);
  });

  it("stageTimestamp as Go's RFC3339Nano reads it", () => {
    expect(parseRFC3339Nano("2018-10-25T14:09:12Z")).toBe(nanos("2018-10-25T14:09:12Z"));
    expect(parseRFC3339Nano("2018-10-25T14:09:12.1234567891Z")).toBe(nanos("2018-10-25T14:09:12Z") + 123456789n);
    expect(parseRFC3339Nano("2018-10-25T16:09:12.5+02:00")).toBe(nanos("2018-10-25T14:09:12Z") + 500000000n);
    expect(parseRFC3339Nano("2018-10-25T4:09:12Z")).toBe(nanos("2018-10-25T04:09:12Z"));
    expect(typeof parseRFC3339Nano("2018-02-30T14:09:12Z")).toBe("string");
    expect(typeof parseRFC3339Nano("2018-10-25 14:09:12Z")).toBe("string");
    expect(typeof parseRFC3339Nano("2018-10-25T14:09:12")).toBe("string");
  });
});

describe("generic evt.* fields of plugin events", () => {
  const r = parseAuditEvents([event({}, "2024-01-02T03:04:05.123456789Z"), event({}, "2024-01-02T03:04:07.5Z")].join("\n"));
  const [a, b] = r.events as [AuditEvent, AuditEvent];

  it("times, numbers, source, plugin", () => {
    expect(x(b, "evt.num")).toBe(2n);
    expect(x(a, "evt.time")).toBe("03:04:05.123456789");
    expect(x(a, "evt.time.s")).toBe("03:04:05");
    expect(x(a, "evt.datetime")).toBe("2024-01-02 03:04:05.123456789");
    expect(x(a, "evt.datetime.s")).toBe("2024-01-02 03:04:05");
    expect(x(a, "evt.time.iso8601")).toBe("2024-01-02T03:04:05.123456789+0000");
    expect(x(a, "evt.rawtime")).toBe(nanos("2024-01-02T03:04:05.123456789Z"));
    expect(x(a, "evt.rawtime.s")).toBe(BigInt(Date.parse("2024-01-02T03:04:05Z") / 1000));
    expect(x(a, "evt.rawtime.ns")).toBe(123456789n);
    expect(x(a, "evt.reltime")).toBe(0n);
    expect(x(b, "evt.reltime")).toBe(2376543211n);
    expect(x(b, "evt.reltime.s")).toBe(2n);
    expect(x(b, "evt.reltime.ns")).toBe(376543211n);
    expect(x(a, "evt.source")).toBe("k8s_audit");
    expect(x(a, "evt.pluginname")).toBe("k8saudit");
    expect(x(a, "evt.plugininfo")).toBe(a.payload);
    expect(x(a, "evt.is_async")).toBe(false);
    expect(x(a, "evt.asynctype")).toBeUndefined();
    expect(x(a, "evt.hostname")).toBe("");
    expect(x(a, "evt.type")).toBe("pluginevent");
  });

  it("extractGenericPluginField takes plain metadata (time zone, reltime base)", () => {
    const meta = { num: 7, ts: 86_399_000_000_001n, source: "okta", utcOffsetSeconds: 3600, firstTs: 1n };
    expect(extractGenericPluginField(meta, "evt.num")).toBe(7n);
    expect(extractGenericPluginField(meta, "evt.datetime")).toBe("1970-01-02 00:59:59.000000001");
    expect(extractGenericPluginField(meta, "evt.time.iso8601")).toBe("1970-01-01T23:59:59.000000001+0000");
    expect(extractGenericPluginField(meta, "evt.reltime")).toBe(86_399_000_000_000n);
    expect(extractGenericPluginField(meta, "evt.source")).toBe("okta");
    expect(extractGenericPluginField(meta, "evt.pluginname")).toBeUndefined();
    expect(auditEventMeta(a).pluginInfo).toBe(a.payload);
    expect(() => extractGenericPluginField(meta, "evt.arg.fd")).toThrow();
    expect(() => x(a, "proc.name")).toThrow();
  });

  it("the generic class of the catalog is covered", () => {
    for (const f of genericEventClass().fields) expect(() => x(a, f.name), f.name).not.toThrow();
  });
});
