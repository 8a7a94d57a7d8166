/**
 * `sinsp_thread_manager`: the thread table, thread groups, parent links and reaping, as libsinsp
 * keeps them when reading a capture (no /proc: a missing thread becomes a placeholder).
 */
import { UINT32_MAX } from "./constants.js";
import { ThreadGroup, ThreadInfo } from "./threadinfo.js";

const RECENTLY_EXITED_RING_SIZE = 8192;
const RECENTLY_EXITED_MAX_AGE_NS = 2_000_000_000n;

export class ThreadManager {
  readonly threads = new Map<bigint, ThreadInfo>();
  readonly groups = new Map<bigint, ThreadGroup>();
  /** libs' ring of the last exits: (ptid, tid) key per slot, and the timestamps per key. */
  private readonly exitedKeys: (bigint | undefined)[] = new Array<bigint | undefined>(RECENTLY_EXITED_RING_SIZE);
  private readonly exitedTs: bigint[] = new Array<bigint>(RECENTLY_EXITED_RING_SIZE).fill(0n);
  private readonly exitedByKey = new Map<bigint, bigint[]>();
  private exitedIdx = 0;

  clear(): void {
    for (const t of this.threads.values()) t.removed = true;
    this.threads.clear();
    this.groups.clear();
    this.exitedKeys.fill(undefined);
    this.exitedTs.fill(0n);
    this.exitedByKey.clear();
    this.exitedIdx = 0;
  }

  /** `find_thread`: lookup only. */
  find(tid: bigint): ThreadInfo | undefined {
    return this.threads.get(tid);
  }

  /**
   * `get_thread`: lookup, and on a miss a placeholder entry (offline, /proc cannot be scanned):
   * pid = ptid = -1, comm = exe = `<NA>`, uid = gid = loginuid = UINT32_MAX.
   */
  get(tid: bigint): ThreadInfo {
    const t = this.threads.get(tid);
    if (t) return t;
    const fake = new ThreadInfo();
    fake.tid = tid;
    fake.pid = -1n;
    fake.ptid = -1n;
    fake.reaperTid = -1n;
    fake.comm = "<NA>";
    fake.exe = "<NA>";
    fake.uid = UINT32_MAX;
    fake.gid = UINT32_MAX;
    fake.loginuid = UINT32_MAX;
    this.add(fake, true);
    return fake;
  }

  /** `add_thread`: puts the entry in the table (replacing one with the same tid). */
  add(t: ThreadInfo, createDependencies: boolean): ThreadInfo {
    if (createDependencies) this.createDependencies(t);
    const old = this.threads.get(t.tid);
    if (old && old !== t) old.removed = true;
    t.removed = false;
    this.threads.set(t.tid, t);
    return t;
  }

  /** `create_thread_dependencies`: thread group membership and the parent's child list. */
  createDependencies(t: ThreadInfo): void {
    if (t.isInvalid()) return;
    if (t.tginfo) return;
    const reaper = t.pid === 1n || t.vpid === 1n;
    let g = this.groups.get(t.pid);
    if (!g) {
      g = new ThreadGroup(t.pid, reaper, t);
      this.groups.set(t.pid, g);
    } else {
      g.add(t, t.isMainThread());
    }
    t.tginfo = g;
    if (t.pid === 1n) return;
    const parent = this.threads.get(t.ptid);
    if (!parent || parent.isInvalid()) {
      t.ptid = 0n;
      return;
    }
    parent.addChild(t);
  }

  /** `create_thread_dependencies_after_proc_scan`. */
  createDependenciesAfterProcScan(): void {
    for (const t of [...this.threads.values()]) this.createDependencies(t);
  }

  private removeChildFromParent(ptid: bigint): void {
    const parent = this.threads.get(ptid);
    if (!parent) return;
    parent.notExpiredChildren--;
    if (parent.children.length - parent.notExpiredChildren >= ThreadInfo.DEFAULT_EXPIRED_CHILDREN_THRESHOLD) {
      parent.cleanExpiredChildren();
    }
  }

  private erase(tid: bigint): void {
    const t = this.threads.get(tid);
    if (!t) return;
    t.removed = true;
    this.threads.delete(tid);
  }

  /** `find_new_reaper`: a live thread of the group, or of the closest reaper ancestor. */
  private findNewReaper(t: ThreadInfo): ThreadInfo | undefined {
    if (t.tginfo && t.tginfo.aliveCount > 0) {
      for (const th of t.tginfo.threads) {
        if (th.removed) continue;
        if (!th.isDead() && th !== t) return th;
      }
    }
    const seen = new Set<bigint>([t.tid]);
    let parent = this.threads.get(t.ptid);
    while (parent) {
      const before = seen.size;
      seen.add(parent.tid);
      if (seen.size === before) break; // loop
      if (parent.isInPidNamespace() !== t.isInPidNamespace()) break;
      if (parent.tginfo && parent.tginfo.reaper && parent.tginfo.aliveCount > 0) {
        for (const th of parent.tginfo.threads) {
          if (th.removed) continue;
          if (!th.isDead()) return th;
        }
      }
      parent = this.threads.get(parent.ptid);
    }
    return undefined;
  }

  /** `remove_thread`: removes a thread, reparenting its children and dropping an empty group. */
  remove(tid: bigint): void {
    const t = this.threads.get(tid);
    if (!t) return;
    if (t.isInvalid() || !t.tginfo) {
      this.removeChildFromParent(t.ptid);
      this.erase(tid);
      return;
    }
    const g = t.tginfo;
    if (!t.isDead()) {
      g.decrement();
      t.setDead();
    }
    if (t.children.length > 0) {
      let reaper: ThreadInfo | undefined;
      if (t.reaperTid > 0n) reaper = this.get(t.reaperTid);
      if (!reaper || reaper.isInvalid()) reaper = this.findNewReaper(t);
      if (reaper) {
        t.reaperTid = reaper.tid;
        if (reaper.pid !== t.pid && reaper.tginfo) reaper.tginfo.reaper = true;
      }
      t.assignChildrenToReaper(reaper);
    }
    if (g.aliveCount === 0) {
      this.removeChildFromParent(t.ptid);
      this.groups.delete(t.pid);
      this.erase(t.pid);
    }
    if (!t.isMainThread()) {
      this.removeChildFromParent(t.ptid);
      this.erase(tid);
    }
  }

  private static exitKey(ptid: bigint, tid: bigint): bigint {
    const mask = 0xffffffffn;
    return ((BigInt.asUintN(64, ptid) & mask) << 32n) | (BigInt.asUintN(64, tid) & mask);
  }

  /** `record_recently_exited`. */
  recordRecentlyExited(tid: bigint, ptid: bigint, ts: bigint): void {
    const i = this.exitedIdx;
    const old = this.exitedKeys[i];
    if (old !== undefined) {
      const list = this.exitedByKey.get(old);
      if (list) {
        const at = list.indexOf(this.exitedTs[i]!);
        if (at >= 0) list.splice(at, 1);
        if (list.length === 0) this.exitedByKey.delete(old);
      }
    }
    const key = ThreadManager.exitKey(ptid, tid);
    this.exitedKeys[i] = key;
    this.exitedTs[i] = ts;
    const list = this.exitedByKey.get(key);
    if (list) list.push(ts);
    else this.exitedByKey.set(key, [ts]);
    this.exitedIdx = (i + 1) % RECENTLY_EXITED_RING_SIZE;
  }

  /** `has_recently_exited`: (ptid, tid) exited less than 2 s before `ts`. */
  hasRecentlyExited(tid: bigint, ptid: bigint, ts: bigint): boolean {
    const list = this.exitedByKey.get(ThreadManager.exitKey(ptid, tid));
    if (!list) return false;
    return list.some((t) => ts >= t && ts - t < RECENTLY_EXITED_MAX_AGE_NS);
  }

  /**
   * `get_ancestor_process(tinfo, n)`: ancestor(0) = the main thread; ancestor(k+1) = the main
   * thread of the thread with ancestor(k)'s ptid.
   */
  ancestor(t: ThreadInfo, n: number): ThreadInfo | undefined {
    let mt = t.mainThread();
    for (let i = 0; i < n; i++) {
      if (!mt) return undefined;
      const p = this.threads.get(mt.ptid);
      if (!p) return undefined;
      mt = p.mainThread();
    }
    return mt;
  }

  /**
   * `traverse_parent_state`: visits the parents of `t` (not `t`), stopping at a missing parent, at
   * tid -1, when the visitor returns false, or at a loop.
   */
  traverseParents(t: ThreadInfo, visit: (p: ThreadInfo) => boolean): void {
    let slow = this.threads.get(t.ptid);
    let fast = slow;
    fast = fast ? this.threads.get(fast.ptid) : fast;
    while (slow && slow.tid !== -1n) {
      if (!visit(slow)) break;
      slow = this.threads.get(slow.ptid);
      for (let i = 0; i < 2; i++) {
        fast = fast ? this.threads.get(fast.ptid) : fast;
        if (slow && (slow === fast || slow.tid === slow.ptid)) return;
      }
    }
  }

  /**
   * `get_oldest_matching_ancestor`: the thread whose id (read by `getId`) equals that of `t`: the
   * table entry with that tid when ids are not virtual or `t` is not in a pid namespace, else the
   * farthest-up parent with the same id.
   */
  oldestMatchingAncestor(t: ThreadInfo, getId: (x: ThreadInfo) => bigint, isVirtualId: boolean): ThreadInfo | undefined {
    const id = getId(t);
    if (id === -1n) return undefined;
    let leader: ThreadInfo | undefined;
    if (!isVirtualId || !t.isInPidNamespace()) {
      leader = this.threads.get(id);
      if (leader) return leader;
    }
    this.traverseParents(t, (p) => {
      if (getId(p) !== id) return false;
      leader = p;
      return true;
    });
    return leader;
  }
}
