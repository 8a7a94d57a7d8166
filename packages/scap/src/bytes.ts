// Small byte helpers shared by the block and parameter decoders.

// The runtime global (Node, browsers); declared locally so the package does not need DOM or
// node typings.
declare const TextDecoder: new (label?: string) => { decode(input: Uint8Array): string };

const utf8 = new TextDecoder("utf-8");

/** A shared zero-length byte array (empty parameters). */
export const EMPTY_BYTES = new Uint8Array(0);

/** Decodes `buf[start, end)` as UTF-8 (invalid sequences become U+FFFD); fast for short ASCII. */
export function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n <= 0) return "";
  if (n <= 48) {
    let s = "";
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      if (c >= 0x80) return utf8.decode(buf.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return utf8.decode(buf.subarray(start, end));
}

/** Index of the first NUL in `buf[start, end)`, or `end`. */
export function nulIndex(buf: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) if (buf[i] === 0) return i;
  return end;
}

/**
 * Splits `buf[start, end)` on NUL bytes as libsinsp does for args, env and cgroups: one trailing
 * NUL is dropped, then every NUL separates two strings ("" gives no strings).
 */
export function splitNul(buf: Uint8Array, start: number, end: number): string[] {
  if (end > start && buf[end - 1] === 0) end--;
  if (end <= start) return [];
  // A NUL byte is never part of a multi-byte UTF-8 sequence: decode once, split the string.
  return decodeUtf8(buf, start, end).split("\0");
}

/** Lower-case hex of a number, for messages. */
export function hex(n: number): string {
  return "0x" + (n >>> 0).toString(16);
}
