/** `sinsp_network_interfaces`: the capture's interface list, used to patch and classify tuples. */
import { FdType } from "./constants.js";
import type { FdInfo } from "./fdinfo.js";
import { bytesEqual, isZero } from "./inet.js";

export interface Ipv4Interface {
  /** 4 bytes, network order. */
  addr: Uint8Array;
  netmask: Uint8Array;
  bcast: Uint8Array;
  name: string;
}

export interface Ipv6Interface {
  /** 16 bytes. */
  addr: Uint8Array;
  name: string;
}

const LOOPBACK4 = new Uint8Array([127, 0, 0, 1]);
const LOOPBACK6 = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
const ZERO4 = new Uint8Array(4);
const ZERO16 = new Uint8Array(16);

const masked = (a: Uint8Array, m: Uint8Array): Uint8Array => Uint8Array.from(a, (x, i) => x & m[i]!);

export class NetworkInterfaces {
  ipv4: Ipv4Interface[] = [];
  ipv6: Ipv6Interface[] = [];

  clear(): void {
    this.ipv4 = [];
    this.ipv6 = [];
  }

  /** `infer_ipv4_address`: the exact address, an interface of its subnet, or the first non-loopback. */
  inferIpv4(dst: Uint8Array): Uint8Array {
    for (const i of this.ipv4) if (bytesEqual(i.addr, dst)) return i.addr;
    for (const i of this.ipv4) if (bytesEqual(masked(i.addr, i.netmask), masked(dst, i.netmask))) return i.addr;
    for (const i of this.ipv4) if (!bytesEqual(i.addr, LOOPBACK4)) return i.addr;
    return ZERO4;
  }

  /** `infer_ipv6_address`. */
  inferIpv6(dst: Uint8Array): Uint8Array {
    for (const i of this.ipv6) if (bytesEqual(dst, i.addr)) return i.addr;
    for (const i of this.ipv6) if (inSubnet6(i.addr, dst)) return i.addr;
    for (const i of this.ipv6) if (!bytesEqual(i.addr, LOOPBACK6)) return i.addr;
    return ZERO16;
  }

  /** `update_fd`: fills a missing source or destination address of a socket tuple. */
  updateFd(fd: FdInfo): void {
    if (fd.type === FdType.IPV4_SOCK) {
      const sip = fd.v4sip;
      const dip = fd.v4dip;
      if (!isZero(sip) && !isZero(dip)) return;
      if (isZero(sip)) {
        const n = this.inferIpv4(dip);
        if (bytesEqual(n, dip) && fd.v4sport === fd.v4dport) return;
        fd.setBytes(0, n);
      } else {
        const n = this.inferIpv4(sip);
        if (bytesEqual(n, sip) && fd.v4sport === fd.v4dport) return;
        fd.setBytes(4, n);
      }
      return;
    }
    if (fd.type === FdType.IPV6_SOCK) {
      const sip = fd.v6sip;
      const dip = fd.v6dip;
      if (!isZero(sip) && !isZero(dip)) return;
      if (isZero(sip)) {
        const n = this.inferIpv6(dip);
        if (bytesEqual(n, dip) && fd.v6sport === fd.v6dport) return;
        fd.setBytes(0, n);
        return;
      }
      const n = this.inferIpv6(sip);
      if (bytesEqual(n, sip) && fd.v6sport === fd.v6dport) return;
      fd.setBytes(16, n);
    }
  }

  /** Whether an IPv4 address is one of the interfaces' (the container part is the inspector's). */
  hasIpv4(addr: Uint8Array): boolean {
    return this.ipv4.some((i) => bytesEqual(i.addr, addr));
  }

  /** `is_ipv6addr_in_local_machine` for host threads: same /64 as an interface. */
  hasIpv6(addr: Uint8Array): boolean {
    return this.ipv6.some((i) => inSubnet6(addr, i.addr));
  }
}

/** `ipv6addr::in_subnet`: the first 64 bits are equal. */
export function inSubnet6(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 8; i++) if (a[i] !== b[i]) return false;
  return true;
}
