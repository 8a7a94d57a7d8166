/**
 * `sinsp_utils::concatenate_paths(path1, path2)`, character for character.
 *
 * - path2 absolute (or empty): the result is path2 normalised on its own;
 * - path2 relative: path1 is copied verbatim (it is *not* normalised) and path2 is normalised after
 *   it; `..` may climb back into path1 but never above its first character;
 * - normalisation drops `./`, collapses repeated `/`, resolves `..`, and removes one trailing `/`
 *   (but keeps a lone `/`);
 * - when `len(path1) + len(path2) + 1 > 1024` (bytes) the result is `/DIR_TOO_LONG/FILENAME_TOO_LONG`.
 *
 * Spec §6.4 says "normalise(base + p)"; libs does not normalise the base, and an empty path2
 * gives "" (not the base).
 */
import { MAX_PATH_SIZE } from "./constants.js";

const enc = new TextEncoder();
const byteLength = (s: string): number => {
  // fast path for ASCII
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(s)) return s.length;
  return enc.encode(s).length;
};

export function concatenatePaths(path1: string, path2: string): string {
  if (byteLength(path1) + byteLength(path2) + 1 > MAX_PATH_SIZE) return "/DIR_TOO_LONG/FILENAME_TOO_LONG";
  if (path2.length !== 0 && path2[0] !== "/") return copyAndNormalize([...path1], path1.length === 0, path2);
  return copyAndNormalize([], true, path2);
}

/** `copy_and_normalize_path` appending `path` to `target` (whose start is the rewind limit). */
function copyAndNormalize(target: string[], emptyBase: boolean, path: string): string {
  // `target` holds the characters before tc; tc === target.length
  let pc = 0;
  const at = (i: number): string => (i < path.length ? path[i]! : "\0");
  const rewind = (delta: number): void => {
    // rewind_to_parent_path: back up to the previous separator, never before targetbase + 1
    if (target.length <= 1) {
      pc += delta;
      return;
    }
    target.pop();
    while (target.length >= 1 && target[target.length - 1] !== "/") target.pop();
    pc += delta;
  };
  for (;;) {
    const c = at(pc);
    if (c === "\0") {
      if (target.length > 1 && target[target.length - 1] === "/") target.pop();
      return target.join("");
    }
    const prev = target.length > 0 ? target[target.length - 1] : undefined;
    if (c === "." && (target.length === 0 || prev === "/")) {
      const c1 = at(pc + 1);
      const c2 = at(pc + 2);
      if (c1 === "." && c2 === "/") rewind(3);
      else if (c1 === "." && c2 === "\0") rewind(2);
      else if (c1 === "/") pc += 2;
      else if (c1 === "\0") pc++;
      else {
        target.push(c);
        pc++;
      }
    } else if (c === "/") {
      if ((target.length > 0 && prev === "/") || (target.length === 0 && !emptyBase)) pc++;
      else {
        target.push(c);
        pc++;
      }
    } else {
      target.push(c);
      pc++;
    }
  }
}
