/** The `user`, `group`, `fs.path` classes and the container plugin's fields. */
import {
  ContainerManager,
  EventCode as E,
  EVENTS,
  concatenatePaths,
  containerTypeName,
  parseDirfd,
  type ContainerInfo,
  type EventContext,
  type ScapEvent,
  eventParams,
} from "@falcokit/scap";
import type { Extracted } from "../value.js";
import { extractFdField } from "./fd-fields.js";
import { paramIndexByName } from "./render.js";

const { i64, isEmpty } = eventParams;

export const NOT_MINE: unique symbol = Symbol("not this class");

// --- user / group ----------------------------------------------------------------------------------

export function extractUserGroupField(ctx: EventContext, name: string): Extracted | typeof NOT_MINE {
  if (!name.startsWith("user.") && !name.startsWith("group.")) return NOT_MINE;
  const t = ctx.thread;
  if (!t) return undefined;
  const users = ctx.inspector.users;
  const cid = t.containerId;
  switch (name) {
    case "user.uid":
      return BigInt(t.uid >>> 0);
    case "user.name": {
      const u = users.getUser(cid, t.uid);
      return u ? u.name : t.uid === 0 ? "root" : "<NA>";
    }
    case "user.homedir": {
      const u = users.getUser(cid, t.uid);
      return u ? u.homedir : t.uid === 0 ? "/root" : "<NA>";
    }
    case "user.shell": {
      const u = users.getUser(cid, t.uid);
      return u ? u.shell : "<NA>";
    }
    case "user.loginuid":
      return t.loginuid >>> 0 < 0xffffffff ? BigInt(t.loginuid >>> 0) : -1n;
    case "user.loginname": {
      const u = users.getUser(cid, t.loginuid);
      return u ? u.name : t.loginuid === 0 ? "root" : "<NA>";
    }
    case "group.gid":
      return BigInt(t.gid >>> 0);
    case "group.name": {
      const g = users.getGroup(cid, t.gid);
      return g ? g.name : t.gid === 0 ? "root" : "<NA>";
    }
    default:
      return undefined;
  }
}

// --- the container plugin --------------------------------------------------------------------------

/** Labels joined as the plugin does (annotation.* and io.kubernetes.* left out). */
function joinLabels(labels: ReadonlyMap<string, string>): string {
  const out: string[] = [];
  for (const [k, v] of labels) {
    if (k.startsWith("annotation.") || k.startsWith("io.kubernetes.")) continue;
    out.push(v.length > 0 ? `${k}:${v}` : k);
  }
  return out.join(", ");
}

const mountString = (m: ContainerInfo["mounts"][number]): string => `${m.source}:${m.dest}:${m.mode}:${m.rdwr ? "true" : "false"}:${m.propagation}`;

function mountBy(info: ContainerInfo, arg: string | undefined, byDest: boolean): ContainerInfo["mounts"][number] | undefined {
  if (arg === undefined) return undefined;
  if (/^\d+$/.test(arg)) return info.mounts[Number(arg)];
  let re: RegExp;
  try {
    re = new RegExp(arg, "m");
  } catch {
    return undefined;
  }
  return info.mounts.find((m) => re.test(byDest ? m.dest : m.source));
}

/** The plugin's `extract`. */
export function extractContainerField(ctx: EventContext, name: string, arg: string | undefined): Extracted | typeof NOT_MINE {
  if (!name.startsWith("container.") && !name.startsWith("k8s.") && !name.startsWith("proc.is_container_")) return NOT_MINE;
  const ev = ctx.event;
  const cm = ctx.inspector.containers;
  let info: ContainerInfo | undefined;
  let containerId = "";
  let threadStart: bigint | undefined;
  if (ContainerManager.isContainerEvent(ev) && cm.last && cm.last.num === ctx.num) info = cm.last.info;
  else {
    const t = ctx.inspector.threads.find(ev.tid);
    if (!t) return undefined;
    containerId = t.containerId;
    threadStart = t.pidnsInitStartTs;
    info = cm.containers.get(containerId);
  }
  if (!info) {
    if (name !== "container.id" && name !== "container.start_ts" && name !== "container.duration" && !name.startsWith("proc.is_container_")) return undefined;
  }
  switch (name) {
    case "container.id":
      return info ? info.id : containerId;
    case "container.full_id":
      return info!.fullId;
    case "container.name":
      return info!.name;
    case "container.image":
      return info!.image;
    case "container.image.id":
      return info!.imageId;
    case "container.type":
      return containerTypeName(info!.type);
    case "container.privileged":
      return info!.privileged;
    case "container.mounts":
      return info!.mounts.map(mountString).join(",");
    case "container.mount":
    case "container.mount.source":
    case "container.mount.dest":
    case "container.mount.mode":
    case "container.mount.rdwr":
    case "container.mount.propagation": {
      const m = mountBy(info!, arg, name === "container.mount.source");
      if (!m) return undefined;
      switch (name) {
        case "container.mount":
          return mountString(m);
        case "container.mount.source":
          return m.source;
        case "container.mount.dest":
          return m.dest;
        case "container.mount.mode":
          return m.mode;
        case "container.mount.rdwr":
          return m.rdwr ? "true" : "false";
        default:
          return m.propagation;
      }
    }
    case "container.image.repository":
      return info!.imageRepo;
    case "container.image.tag":
      return info!.imageTag;
    case "container.image.digest":
      return info!.imageDigest;
    case "container.start_ts":
      return threadStart !== undefined && threadStart !== 0n ? threadStart : undefined;
    case "container.duration":
      return threadStart !== undefined && threadStart !== 0n ? BigInt.asUintN(64, ev.ts - threadStart) : undefined;
    case "container.ip":
      return info!.ip;
    case "container.cni.json":
      return info!.cniResult;
    case "container.host_pid":
      return info!.hostPid;
    case "container.host_network":
      return info!.hostNetwork;
    case "container.host_ipc":
      return info!.hostIpc;
    case "container.label":
      return arg !== undefined ? info!.labels.get(arg) : undefined;
    case "container.labels":
      return joinLabels(info!.labels);
    case "k8s.pod.name":
      return info!.labels.get("io.kubernetes.pod.name");
    case "k8s.ns.name":
      return info!.labels.get("io.kubernetes.pod.namespace");
    case "k8s.pod.id":
    case "k8s.pod.uid":
      return info!.labels.get("io.kubernetes.pod.uid");
    case "k8s.pod.sandbox_id":
      return info!.podSandboxId.slice(0, 12);
    case "k8s.pod.full_sandbox_id":
      return info!.podSandboxId;
    case "k8s.pod.label":
    case "k8s.pod.labels": {
      let sandbox: ContainerInfo | undefined;
      if (info!.cniResult === "") sandbox = cm.containers.get(info!.podSandboxId.slice(0, 12));
      if (name === "k8s.pod.label") {
        if (arg === undefined) return undefined;
        if (sandbox && sandbox.podSandboxLabels.has(arg)) return sandbox.podSandboxLabels.get(arg);
        return info!.podSandboxLabels.get(arg);
      }
      return joinLabels(sandbox ? sandbox.podSandboxLabels : info!.podSandboxLabels);
    }
    case "k8s.pod.ip":
      if (info!.cniResult === "") return cm.containers.get(info!.podSandboxId.slice(0, 12))?.ip;
      return info!.ip;
    case "k8s.pod.cni.json":
      if (info!.cniResult === "") return cm.containers.get(info!.podSandboxId.slice(0, 12))?.cniResult;
      return info!.cniResult;
    default:
      // deprecated fields (container.healthcheck, k8s.rc.*, k8s.svc.*...): no value
      return undefined;
  }
}

// --- fs.path ---------------------------------------------------------------------------------------

const ENUM = (name: string): number => {
  for (const e of EVENTS) if (e.enumName === name) return e.code;
  return -1;
};

/** Per event: the param holding the path (or "fd.name"), the source and target params, the success check. */
interface FsPathSpec {
  path?: string;
  source?: string;
  target?: string;
  success: "res=0" | "fd!=-1";
}

const FS_PATH_SPECS = new Map<number, FsPathSpec>([
  [ENUM("PPME_SYSCALL_MKDIR_2_X"), { path: "path", success: "res=0" }],
  [ENUM("PPME_SYSCALL_MKDIRAT_X"), { path: "path", success: "res=0" }],
  [ENUM("PPME_SYSCALL_RMDIR_2_X"), { path: "path", success: "res=0" }],
  [ENUM("PPME_SYSCALL_UNLINK_2_X"), { path: "path", success: "res=0" }],
  [ENUM("PPME_SYSCALL_UNLINKAT_2_X"), { path: "name", success: "res=0" }],
  [E.OPEN_X, { path: "name", success: "fd!=-1" }],
  [E.OPENAT_2_X, { path: "name", success: "fd!=-1" }],
  [E.OPENAT2_X, { path: "name", success: "fd!=-1" }],
  [ENUM("PPME_SYSCALL_FCHMODAT_X"), { path: "filename", success: "res=0" }],
  [ENUM("PPME_SYSCALL_CHMOD_X"), { path: "filename", success: "res=0" }],
  [ENUM("PPME_SYSCALL_FCHMOD_X"), { path: "fd.name", success: "res=0" }],
  [ENUM("PPME_SYSCALL_CHOWN_X"), { path: "path", success: "res=0" }],
  [ENUM("PPME_SYSCALL_LCHOWN_X"), { path: "path", success: "res=0" }],
  [ENUM("PPME_SYSCALL_FCHOWN_X"), { path: "fd.name", success: "res=0" }],
  [ENUM("PPME_SYSCALL_FCHOWNAT_X"), { path: "pathname", success: "res=0" }],
  [ENUM("PPME_SYSCALL_QUOTACTL_X"), { path: "special", success: "res=0" }],
  [ENUM("PPME_SYSCALL_RENAME_X"), { source: "oldpath", target: "newpath", success: "res=0" }],
  [ENUM("PPME_SYSCALL_RENAMEAT_X"), { source: "oldpath", target: "newpath", success: "res=0" }],
  [ENUM("PPME_SYSCALL_RENAMEAT2_X"), { source: "oldpath", target: "newpath", success: "res=0" }],
  [ENUM("PPME_SYSCALL_LINK_2_X"), { source: "newpath", target: "oldpath", success: "res=0" }],
  [ENUM("PPME_SYSCALL_LINKAT_2_X"), { source: "newpath", target: "oldpath", success: "res=0" }],
  [ENUM("PPME_SYSCALL_SYMLINK_X"), { source: "linkpath", target: "target", success: "res=0" }],
  [ENUM("PPME_SYSCALL_SYMLINKAT_X"), { source: "linkpath", target: "target", success: "res=0" }],
  [ENUM("PPME_SYSCALL_MOUNT_X"), { source: "dev", target: "dir", success: "res=0" }],
  [ENUM("PPME_SYSCALL_UMOUNT_1_X"), { path: "name", success: "res=0" }],
  [ENUM("PPME_SYSCALL_UMOUNT2_X"), { path: "name", success: "res=0" }],
]);

/** `evt.rawarg.<name>` as the fs.path checks read it: the raw value, or undefined when empty/absent. */
function rawArgOf(ev: ScapEvent, name: string): { kind: "int"; v: bigint } | { kind: "str"; v: string } | undefined {
  const i = paramIndexByName(ev, name);
  if (i === undefined) return undefined;
  const p = ev.param(i);
  const t = EVENTS[ev.type]!.params[i]!.type;
  const legacy = t === "PT_CHARBUF" || t === "PT_FSPATH" || t === "PT_FSRELPATH";
  if (p.kind === "empty") return legacy ? { kind: "str", v: "<NA>" } : undefined;
  if (p.kind === "int") return { kind: "int", v: p.value };
  if (p.kind === "string") return { kind: "str", v: legacy && p.value === "(NULL)" ? "<NA>" : p.value };
  return undefined;
}

function fsPathSuccess(ev: ScapEvent, spec: FsPathSpec): boolean {
  if (spec.success === "res=0") {
    const r = rawArgOf(ev, "res");
    return r !== undefined && r.kind === "int" && BigInt.asIntN(64, r.v) === 0n;
  }
  const r = rawArgOf(ev, "fd");
  return r !== undefined && r.kind === "int" && BigInt.asIntN(64, r.v) !== -1n;
}

/** `format_dirfd`: the event fd's directory path, `<UNKNOWN>` otherwise. */
function formatDirfd(ctx: EventContext): string {
  const f = ctx.fd;
  if (!f || !f.isDirectory()) return "<UNKNOWN>";
  if (f.name.length === 0 || f.name.endsWith("/")) return f.name;
  return f.name + "/";
}

export function extractFsPathField(ctx: EventContext, name: string): Extracted | typeof NOT_MINE {
  if (!name.startsWith("fs.path.")) return NOT_MINE;
  const ev = ctx.event;
  const spec = FS_PATH_SPECS.get(ev.type);
  if (!spec || !fsPathSuccess(ev, spec)) return undefined;
  const which = name === "fs.path.name" || name === "fs.path.nameraw" ? spec.path : name === "fs.path.source" || name === "fs.path.sourceraw" ? spec.source : spec.target;
  if (which === undefined) return undefined;
  let s: string;
  if (which === "fd.name") {
    const v = extractFdField(ctx, "fd.name", undefined);
    if (typeof v !== "string") return undefined;
    s = v;
  } else {
    const r = rawArgOf(ev, which);
    if (!r || r.kind !== "str") return undefined;
    s = r.v;
  }
  if (name.endsWith("raw")) return s;
  const t = ctx.thread;
  if (!t) return undefined;
  if (s.startsWith("/")) return concatenatePaths("", s);
  let sdir: string;
  const en = EVENTS[ev.type]!.enumName;
  switch (en) {
    case "PPME_SYSCALL_OPENAT_2_X":
    case "PPME_SYSCALL_OPENAT2_X":
      sdir = "";
      s = ctx.fd ? ctx.fd.name : "<UNKNOWN>";
      break;
    case "PPME_SYSCALL_NEWFSTATAT_X":
    case "PPME_SYSCALL_FCHOWNAT_X":
    case "PPME_SYSCALL_FCHMODAT_X":
    case "PPME_SYSCALL_MKDIRAT_X":
    case "PPME_SYSCALL_UNLINKAT_2_X":
    case "PPME_SYSCALL_MKNODAT_X":
      sdir = formatDirfd(ctx);
      break;
    case "PPME_SYSCALL_SYMLINKAT_X":
      sdir = name === "fs.path.source" ? formatDirfd(ctx) : "<UNKNOWN>";
      break;
    case "PPME_SYSCALL_RENAMEAT2_X":
      if (name === "fs.path.target") sdir = parseDirfd(t, s, isEmpty(ev, 3) ? 0n : i64(ev, 3));
      else if (name === "fs.path.source") sdir = parseDirfd(t, s, isEmpty(ev, 1) ? 0n : i64(ev, 1));
      else sdir = "<UNKNOWN>";
      break;
    default:
      sdir = t.getCwd();
      break;
  }
  return concatenatePaths(sdir, s);
}

