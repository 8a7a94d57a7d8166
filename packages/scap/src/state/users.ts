/**
 * `sinsp_usergroup_manager` as it behaves on a capture: users and groups per container id ("" =
 * host), from the capture's user list and USER/GROUP_ADDED events.
 *
 * Differences from libsinsp, by design: libsinsp fills unknown host users from the *replay host's*
 * passwd/group databases and container users from `/proc/<pid>/root/etc/passwd`; neither is
 * deterministic offline, so they are never consulted. On a capture libsinsp's container lookups
 * fail (there is no /proc/<pid> of the recorded host), so a USER_ADDED/GROUP_ADDED event with a
 * non-empty container id adds nothing there either, and we match that.
 */

export interface UserInfo {
  uid: number;
  gid: number;
  name: string;
  homedir: string;
  shell: string;
}

export interface GroupInfo {
  gid: number;
  name: string;
}

const isNss = (name: string | undefined): boolean => name !== undefined && name.length > 0 && (name[0] === "+" || name[0] === "-");

export class UserGroupManager {
  readonly users = new Map<string, Map<number, UserInfo>>();
  readonly groups = new Map<string, Map<number, GroupInfo>>();

  getUser(containerId: string, uid: number): UserInfo | undefined {
    return this.users.get(containerId)?.get(uid);
  }

  getGroup(containerId: string, gid: number): GroupInfo | undefined {
    return this.groups.get(containerId)?.get(gid);
  }

  /**
   * `add_user(container_id, pid, uid, gid, name, home, shell)`. `name` undefined is libs' null
   * string view (only the uid is known).
   */
  addUser(containerId: string, uid: number, gid: number, name?: string, home?: string, shell?: string): UserInfo | undefined {
    if (isNss(name)) return undefined;
    const existing = this.getUser(containerId, uid);
    if (existing) {
      if (name !== undefined) {
        existing.name = name;
        existing.homedir = home ?? "";
        existing.shell = shell ?? "";
      }
      return existing;
    }
    if (containerId !== "") return undefined; // libs reads /proc/<pid>/root/etc/passwd: not available offline
    if (name === undefined) return undefined; // libs asks the replay host's passwd: not reproduced
    let m = this.users.get("");
    if (!m) this.users.set("", (m = new Map()));
    const u: UserInfo = { uid, gid, name, homedir: home ?? "<NA>", shell: shell ?? "<NA>" };
    m.set(uid, u);
    return u;
  }

  /** The uid-only `add_user` libsinsp calls for threads: root gets "root", "/root". */
  addUserForThread(containerId: string, uid: number, gid: number): void {
    if (uid === 0xffffffff) return;
    if (this.getUser(containerId, uid)) return;
    if (uid === 0) this.addUser(containerId, uid, gid, "root", "/root", undefined);
    else this.addUser(containerId, uid, gid);
  }

  removeUser(containerId: string, uid: number): boolean {
    return this.users.get(containerId)?.delete(uid) ?? false;
  }

  addGroup(containerId: string, gid: number, name?: string): GroupInfo | undefined {
    if (isNss(name)) return undefined;
    const existing = this.getGroup(containerId, gid);
    if (existing) {
      if (name !== undefined) existing.name = name;
      return existing;
    }
    if (containerId !== "") return undefined;
    if (name === undefined) return undefined;
    let m = this.groups.get("");
    if (!m) this.groups.set("", (m = new Map()));
    const g: GroupInfo = { gid, name };
    m.set(gid, g);
    return g;
  }

  /** The gid-only `add_group` libsinsp calls for threads: gid 0 gets "root". */
  addGroupForThread(containerId: string, gid: number): void {
    if (gid === 0xffffffff) return;
    if (this.getGroup(containerId, gid)) return;
    if (gid === 0) this.addGroup(containerId, gid, "root");
    else this.addGroup(containerId, gid);
  }

  removeGroup(containerId: string, gid: number): boolean {
    return this.groups.get(containerId)?.delete(gid) ?? false;
  }
}
