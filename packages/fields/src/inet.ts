/**
 * Address parsing as glibc's `inet_pton` does it: libs reads IP values of filters with it.
 */

/** `inet_pton(AF_INET, s)`: four decimal octets, no leading zeros, each at most 255. */
export function parseIPv4(s: string): Uint8Array | undefined {
  const out = new Uint8Array(4);
  let at = 0;
  let octets = 0;
  let sawDigit = false;
  for (const ch of s) {
    if (ch >= "0" && ch <= "9") {
      const next = out[at]! * 10 + (ch.charCodeAt(0) - 48);
      if (sawDigit && out[at] === 0) return undefined;
      if (next > 255) return undefined;
      out[at] = next;
      if (!sawDigit) {
        if (++octets > 4) return undefined;
        sawDigit = true;
      }
    } else if (ch === "." && sawDigit) {
      if (octets === 4) return undefined;
      at++;
      sawDigit = false;
    } else {
      return undefined;
    }
  }
  if (octets < 4) return undefined;
  return out;
}

const hexValue = (ch: string): number => {
  const c = ch.charCodeAt(0);
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
};

/** `inet_pton(AF_INET6, s)`: up to eight groups of 1-4 hex digits, one `::`, an optional IPv4 tail. */
export function parseIPv6(s: string): Uint8Array | undefined {
  const out = new Uint8Array(16);
  let i = 0;
  if (s[0] === ":" && s[1] !== ":") return undefined;
  if (s[0] === ":") i = 1;
  let tp = 0;
  let colonp = -1;
  let curtok = i;
  let sawHex = false;
  let digits = 0;
  let val = 0;
  for (; i < s.length; i++) {
    const ch = s[i]!;
    const h = hexValue(ch);
    if (h >= 0) {
      if (++digits > 4) return undefined;
      val = (val << 4) | h;
      sawHex = true;
      continue;
    }
    if (ch === ":") {
      curtok = i + 1;
      if (!sawHex) {
        if (colonp >= 0) return undefined;
        colonp = tp;
        continue;
      }
      if (i + 1 >= s.length) return undefined;
      if (tp + 2 > 16) return undefined;
      out[tp++] = (val >> 8) & 0xff;
      out[tp++] = val & 0xff;
      sawHex = false;
      digits = 0;
      val = 0;
      continue;
    }
    if (ch === "." && tp + 4 <= 16) {
      const v4 = parseIPv4(s.slice(curtok));
      if (!v4) return undefined;
      out.set(v4, tp);
      tp += 4;
      sawHex = false;
      i = s.length;
      break;
    }
    return undefined;
  }
  if (sawHex) {
    if (tp + 2 > 16) return undefined;
    out[tp++] = (val >> 8) & 0xff;
    out[tp++] = val & 0xff;
  }
  if (colonp >= 0) {
    if (tp === 16) return undefined;
    const n = tp - colonp;
    for (let k = 1; k <= n; k++) {
      out[16 - k] = out[colonp + n - k]!;
      out[colonp + n - k] = 0;
    }
    tp = 16;
  }
  if (tp !== 16) return undefined;
  return out;
}
