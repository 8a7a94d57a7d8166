/** A host over files held in memory: for the programmatic API, editors and the browser. */
import type { TestHost } from "./runner.js";

const norm = (p: string) => {
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return out.join("/");
};

/** `files` maps paths (relative, `/`-separated) to their text or bytes. */
export function memoryHost(files: Readonly<Record<string, string | Uint8Array>>, gunzip?: (b: Uint8Array) => Uint8Array): TestHost {
  const table = new Map(Object.entries(files).map(([k, v]) => [norm(k), typeof v === "string" ? new TextEncoder().encode(v) : v]));
  const globToRe = (g: string) => new RegExp(`^${g.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*\*\/?/g, "\u0000").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]").replace(/\u0000/g, "(?:.*/)?")}$`);
  return {
    read(path) {
      const b = table.get(norm(path));
      if (!b) throw Object.assign(new Error(`no such file: ${path}`), { code: "ENOENT" });
      return b;
    },
    gunzip(bytes) {
      if (!gunzip) throw new Error("gzip captures need a gunzip function");
      return gunzip(bytes);
    },
    expand(dir, pattern) {
      const full = norm(pattern.startsWith("/") ? pattern : `${dir}/${pattern}`);
      if (table.has(full)) return [full];
      if (/[*?]/.test(full)) {
        const re = globToRe(full);
        return [...table.keys()].filter((k) => re.test(k)).sort();
      }
      const prefix = full === "" ? "" : `${full}/`;
      return [...table.keys()].filter((k) => k.startsWith(prefix) && !k.slice(prefix.length).includes("/") && /\.ya?ml$/.test(k)).sort();
    },
    resolve: (dir, path) => norm(path.startsWith("/") ? path : `${dir}/${path}`),
    dirname: (path) => norm(path).split("/").slice(0, -1).join("/"),
    display: (path) => norm(path),
  };
}
