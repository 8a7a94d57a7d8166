/**
 * The container plugin's state (falcosecurity/plugins `plugins/container`), as it behaves on a
 * capture: container ids computed from each thread's cgroups, container metadata from the
 * CONTAINER_JSON(_2)/CONTAINER events and the `container` / `container_removed` async events of
 * the capture. No container engine is queried.
 */
import type { ScapEvent } from "../event.js";
import { E } from "./constants.js";
import { param, pbytes, pint, pstr, u32 } from "./params.js";
import type { ThreadInfo } from "./threadinfo.js";

/** `container_type`. */
export const ContainerType = {
  DOCKER: 0,
  LXC: 1,
  LIBVIRT_LXC: 2,
  MESOS: 3,
  RKT: 4,
  CUSTOM: 5,
  CRI: 6,
  CONTAINERD: 7,
  CRIO: 8,
  BPM: 9,
  STATIC: 10,
  PODMAN: 11,
  HOST: 0xfffe,
  UNKNOWN: 0xffff,
} as const;

/** `to_string(container_type)`. */
export function containerTypeName(t: number): string {
  switch (t) {
    case ContainerType.DOCKER:
      return "docker";
    case ContainerType.LXC:
      return "lxc";
    case ContainerType.LIBVIRT_LXC:
      return "libvirt-lxc";
    case ContainerType.MESOS:
      return "mesos";
    case ContainerType.CRI:
      return "cri";
    case ContainerType.CONTAINERD:
      return "containerd";
    case ContainerType.CRIO:
      return "cri-o";
    case ContainerType.RKT:
      return "rkt";
    case ContainerType.BPM:
      return "bpm";
    case ContainerType.PODMAN:
      return "podman";
    case ContainerType.HOST:
      return "host";
    default:
      return "";
  }
}

export interface ContainerMount {
  source: string;
  dest: string;
  mode: string;
  rdwr: boolean;
  propagation: string;
}

/** `container_info` (the fields the plugin extracts). */
export interface ContainerInfo {
  id: string;
  fullId: string;
  name: string;
  image: string;
  imageId: string;
  imageRepo: string;
  imageTag: string;
  imageDigest: string;
  type: number;
  privileged: boolean;
  ip: string;
  cniResult: string;
  hostPid: boolean;
  hostNetwork: boolean;
  hostIpc: boolean;
  /** Sorted by key (a `std::map`). */
  labels: Map<string, string>;
  podSandboxId: string;
  podSandboxLabels: Map<string, string>;
  mounts: ContainerMount[];
  user: string;
  isPodSandbox: boolean;
}

export function emptyContainer(): ContainerInfo {
  return {
    id: "",
    fullId: "",
    name: "",
    image: "",
    imageId: "",
    imageRepo: "",
    imageTag: "",
    imageDigest: "",
    type: ContainerType.UNKNOWN,
    privileged: false,
    ip: "",
    cniResult: "",
    hostPid: false,
    hostNetwork: false,
    hostIpc: false,
    labels: new Map(),
    podSandboxId: "",
    podSandboxLabels: new Map(),
    mounts: [],
    user: "",
    isPodSandbox: false,
  };
}

/** `container_info::host_container_info()`. */
export function hostContainer(): ContainerInfo {
  return { ...emptyContainer(), id: "host", fullId: "host", name: "host", type: ContainerType.HOST };
}

type Json = Record<string, unknown>;
const str = (o: Json, k: string): string => (typeof o[k] === "string" ? (o[k] as string) : "");
const bool = (o: Json, k: string): boolean => (typeof o[k] === "boolean" ? (o[k] as boolean) : false);
const num = (o: Json, k: string, d: number): number => (typeof o[k] === "number" ? (o[k] as number) : d);
function strMap(v: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (v && typeof v === "object" && !Array.isArray(v)) {
    for (const k of Object.keys(v).sort()) {
      const x = (v as Json)[k];
      if (typeof x === "string") out.set(k, x);
    }
  }
  return out;
}

/** `from_json(json, container_info)`: `{"container": {...}}`. Throws on invalid JSON. */
export function containerFromJson(text: string): ContainerInfo {
  const j = JSON.parse(text) as Json;
  const c = (j && typeof j === "object" ? (j["container"] as Json) : undefined) ?? {};
  const info = emptyContainer();
  info.type = num(c, "type", ContainerType.UNKNOWN);
  info.id = str(c, "id");
  info.name = str(c, "name");
  info.image = str(c, "image");
  info.imageDigest = str(c, "imagedigest");
  info.imageId = str(c, "imageid");
  info.imageRepo = str(c, "imagerepo");
  info.imageTag = str(c, "imagetag");
  info.user = str(c, "User");
  info.cniResult = str(c, "cni_json");
  info.fullId = str(c, "full_id");
  info.hostIpc = bool(c, "host_ipc");
  info.hostNetwork = bool(c, "host_network");
  info.hostPid = bool(c, "host_pid");
  info.ip = str(c, "ip");
  info.isPodSandbox = bool(c, "is_pod_sandbox");
  info.labels = strMap(c["labels"]);
  info.podSandboxId = str(c, "pod_sandbox_id");
  info.privileged = bool(c, "privileged");
  info.podSandboxLabels = strMap(c["pod_sandbox_labels"]);
  const mounts = c["Mounts"];
  if (Array.isArray(mounts)) {
    for (const m of mounts) {
      const o = (m ?? {}) as Json;
      info.mounts.push({ source: str(o, "Source"), dest: str(o, "Destination"), mode: str(o, "Mode"), rdwr: bool(o, "RW"), propagation: str(o, "Propagation") });
    }
  }
  return info;
}

// --- cgroup matchers (runc-style layouts and the others) -------------------------------------------
const CONTAINER_ID_LENGTH = 64;
const REPORTED_CONTAINER_ID_LENGTH = 12;
const HEX = /[0-9a-fA-F]/;

function matchOne(cgroup: string, prefix: string, suffix: string, isContainerd: boolean): string | undefined {
  let start = cgroup.lastIndexOf(prefix);
  if (start < 0) return undefined;
  start += prefix.length;
  let end: number;
  if (suffix.length === 0) end = cgroup.length;
  else {
    end = cgroup.lastIndexOf(suffix);
    if (end < 0) return undefined;
  }
  const len = end - start;
  if (len === CONTAINER_ID_LENGTH) {
    // libs compares the absolute position of the first non-hex character (from `start`) with 64
    let firstBad = Number.MAX_SAFE_INTEGER;
    for (let i = start; i < cgroup.length; i++) {
      if (!HEX.test(cgroup[i]!)) {
        firstBad = i;
        break;
      }
    }
    if (firstBad >= CONTAINER_ID_LENGTH) return cgroup.substr(start, REPORTED_CONTAINER_ID_LENGTH);
  }
  // size_t arithmetic: a suffix found before the prefix end makes `len` huge
  if (len > CONTAINER_ID_LENGTH || len <= 0) return undefined;
  if (isContainerd && !cgroup.endsWith(".service") && !cgroup.endsWith(".slice") && !cgroup.endsWith(".scope")) {
    return cgroup.substr(start, Math.min(len, REPORTED_CONTAINER_ID_LENGTH));
  }
  return undefined;
}

function matchLayouts(cgroup: string, layouts: readonly (readonly [string, string])[], isContainerd = false): string | undefined {
  for (const [p, s] of layouts) {
    const id = matchOne(cgroup, p, s, isContainerd);
    if (id !== undefined) return id;
  }
  return undefined;
}

const PODMAN: readonly (readonly [string, string])[] = [
  ["/libpod-", ".scope"],
  ["/libpod-", ".scope/container"],
  ["/libpod-", ""],
  ["/libpod-payload-", ".scope"],
  ["/libpod-payload-", ".scope/container"],
  ["/libpod-payload-", ""],
];
const DOCKER: readonly (readonly [string, string])[] = [
  ["/", ""],
  ["/docker-", ".scope"],
];
const CRI: readonly (readonly [string, string])[] = [
  ["/", ""],
  ["/crio-", ""],
  ["/cri-containerd-", ".scope"],
  ["/crio-", ".scope"],
  [":cri-containerd:", ""],
  ["/docker-", ".scope"],
  ["/nerdctl-", ".scope"],
];
const CONTAINERD_NS = /\/([A-Za-z0-9]+(?:[._-](?:[A-Za-z0-9]+))*)\//;
const LXC = ["/lxc/", "/lxc.payload/", "/lxc.payload."];
const BPM_ID = /^[a-zA-Z0-9._-]+$/;

interface Matcher {
  resolve(cgroup: string): string | undefined;
  toContainer?(id: string): ContainerInfo;
}

const MATCHERS: readonly Matcher[] = [
  { resolve: (c) => matchLayouts(c, PODMAN) },
  { resolve: (c) => matchLayouts(c, DOCKER) },
  { resolve: (c) => matchLayouts(c, CRI) },
  {
    resolve: (c) => {
      const m = CONTAINERD_NS.exec(c);
      if (!m) return undefined;
      return matchLayouts(c, [[m[0], ""]], true);
    },
  },
  {
    resolve: (c) => {
      for (const l of LXC) {
        const pos = c.indexOf(l);
        if (pos >= 0) {
          const s = pos + l.length;
          const e = c.indexOf("/", s);
          return e < 0 ? c.slice(s) : c.slice(s, e);
        }
      }
      return undefined;
    },
    toContainer: (id) => ({ ...emptyContainer(), id, type: ContainerType.LXC }),
  },
  {
    resolve: (c) => {
      let pos = c.indexOf(".libvirt-lxc");
      if (pos >= 0 && pos === c.length - ".libvirt-lxc".length) {
        const pos2 = c.lastIndexOf("/");
        if (pos2 >= 0) return c.slice(pos2 + 1, pos);
      }
      pos = c.indexOf("-lxc\\x2");
      if (pos >= 0) {
        const delim = c.includes(".scope/libvirt") ? ".scope/libvirt" : ".scope";
        const pos2 = c.indexOf(delim);
        // libs uses sizeof("-lxc\\x2") = 8 (the literal has 7 characters plus the NUL)
        if (pos2 >= 0 && pos2 === c.length - delim.length) return c.substr(pos + 8, pos2 - pos - 8);
      }
      pos = c.indexOf("/libvirt/lxc/");
      if (pos >= 0) return c.slice(pos + "/libvirt/lxc/".length);
      return undefined;
    },
    toContainer: (id) => ({ ...emptyContainer(), id, type: ContainerType.LIBVIRT_LXC }),
  },
  {
    resolve: (c) => {
      const pos = c.indexOf("bpm-");
      if (pos < 0) return undefined;
      const s = pos + 4;
      const e = c.indexOf(".scope", s);
      const id = e < 0 ? c.slice(s) : c.slice(s, e);
      return id.length > 0 && BPM_ID.test(id) ? id : undefined;
    },
    toContainer: (id) => ({ ...emptyContainer(), id, type: ContainerType.BPM }),
  },
];

/** The container plugin's tables. */
export class ContainerManager {
  /** Container metadata by (short) id; "" is the host. */
  readonly containers = new Map<string, ContainerInfo>([["", hostContainer()]]);
  /** The container of the last container event, with that event's number. */
  last: { num: bigint; info: ContainerInfo } | undefined;
  private readonly cgroupCache = new Map<string, { id: string; matcher: Matcher | undefined }>();

  /** `match_cgroup`. */
  matchCgroup(cgroup: string): { id: string; info?: ContainerInfo } {
    const cached = this.cgroupCache.get(cgroup);
    if (cached) {
      if (cached.matcher) return cached.matcher.toContainer ? { id: cached.id, info: cached.matcher.toContainer(cached.id) } : { id: cached.id };
      return { id: cached.id };
    }
    for (const m of MATCHERS) {
      const id = m.resolve(cgroup);
      if (id !== undefined) {
        this.cgroupCache.set(cgroup, { id, matcher: m });
        return m.toContainer ? { id, info: m.toContainer(id) } : { id };
      }
    }
    this.cgroupCache.set(cgroup, { id: "", matcher: undefined });
    return { id: "" };
  }

  /** `compute_container_id_for_thread`: the first non-empty id among the thread's cgroup paths. */
  computeForThread(t: ThreadInfo): { id: string; info?: ContainerInfo } {
    let res: { id: string; info?: ContainerInfo } = { id: "" };
    for (const [, path] of t.cgroups) {
      if (path.length === 0) continue;
      res = this.matchCgroup(path);
      if (res.id.length !== 0) break;
    }
    return res;
  }

  /** `on_new_process`: writes the thread's container id; caches metadata the matcher produced. */
  onNewProcess(t: ThreadInfo): void {
    const { id, info } = this.computeForThread(t);
    t.containerId = id;
    if (info) this.containers.set(info.id, info);
  }

  /** The plugin's `parse_event` for the container metadata events (threads are the inspector's). */
  parseMetaEvent(ev: ScapEvent, num: bigint): void {
    try {
      if (ev.type === E.ASYNCEVENT_E) {
        const name = pstr(ev, 1);
        const added = name === "container";
        const removed = name === "container_removed";
        if (!added && !removed) return;
        const data = pbytes(ev, 2);
        if (data.length === 0) return;
        const text = new TextDecoder().decode(data[data.length - 1] === 0 ? data.subarray(0, data.length - 1) : data);
        const info = containerFromJson(text);
        this.last = { num, info };
        if (added) this.containers.set(info.id, info);
        else this.containers.delete(info.id);
        return;
      }
      if (ev.type === E.CONTAINER_JSON_2_E || ev.type === E.CONTAINER_JSON_E) {
        if (param(ev, 0).kind === "empty") return;
        const info = containerFromJson(pstr(ev, 0));
        this.containers.set(info.id, info);
        this.last = { num, info };
        return;
      }
      if (ev.type === E.CONTAINER_E) {
        const info = emptyContainer();
        info.id = pstr(ev, 0);
        info.type = pint(ev, 1) === undefined ? ContainerType.UNKNOWN : u32(ev, 1);
        info.name = pstr(ev, 2);
        info.image = pstr(ev, 3);
        this.containers.set(info.id, info);
        this.last = { num, info };
      }
    } catch {
      // the plugin fails to parse the event: nothing changes
    }
  }

  /** Whether the event is one of the plugin's container metadata events. */
  static isContainerEvent(ev: ScapEvent): boolean {
    if (ev.type === E.CONTAINER_E || ev.type === E.CONTAINER_JSON_E || ev.type === E.CONTAINER_JSON_2_E) return true;
    if (ev.type === E.ASYNCEVENT_E) {
      const n = pstr(ev, 1);
      return n === "container" || n === "container_removed";
    }
    return false;
  }
}
