#!/usr/bin/env node
// Generates packages/fields/src/data/plugin-fields.generated.ts: the fields each plugin exports
// (name, type, list-ness, argument kind, hidden), in falcokit's own compact format, read off the
// plugins' sources in a falcosecurity/plugins git directory. Descriptions are not taken: they are
// written by hand in src/descriptions/plugins.ts.
//
// Usage: node packages/fields/scripts/gen-plugin-fields.mjs [--check]
//   PLUGINS_REPO   a falcosecurity/plugins git directory (default: /work/.mirror/falcosecurity+plugins/repo)
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const repo = process.env.PLUGINS_REPO ?? "/work/.mirror/falcosecurity+plugins/repo";
const check = process.argv.includes("--check");
const fail = (msg) => {
  console.error(`gen-plugin-fields: ${msg}`);
  process.exit(1);
};
const gitShow = (ref, path) => execFileSync("git", ["-C", repo, "show", `${ref}:${path}`], { encoding: "utf8", maxBuffer: 64 << 20 });

/** Plugin name -> where its field table is, and how it is written. */
const SOURCES = [
  { plugin: "container", ref: "plugins/container/v0.7.1", path: "plugins/container/src/caps/extract/extract.cpp", lang: "cpp" },
  { plugin: "k8smeta", ref: "HEAD", path: "plugins/k8smeta/src/plugin.cpp", lang: "cpp" },
  { plugin: "krsi", ref: "HEAD", path: "plugins/krsi/krsi/src/lib.rs", lang: "rust" },
  { plugin: "k8saudit", ref: "HEAD", path: "plugins/k8saudit/pkg/k8saudit/fields.go", lang: "go" },
  { plugin: "cloudtrail", ref: "HEAD", path: "plugins/cloudtrail/pkg/cloudtrail/extract.go", lang: "go" },
  { plugin: "okta", ref: "HEAD", path: "plugins/okta/pkg/okta/okta.go", lang: "go" },
  { plugin: "github", ref: "HEAD", path: "plugins/github/pkg/github/extract.go", lang: "go" },
  { plugin: "gcpaudit", ref: "HEAD", path: "plugins/gcpaudit/pkg/gcpaudit/extract.go", lang: "go" },
  { plugin: "json", ref: "HEAD", path: "plugins/json/pkg/json/json.go", lang: "go" },
  { plugin: "dummy", ref: "HEAD", path: "plugins/dummy/pkg/dummy/dummy.go", lang: "go" },
  { plugin: "dummy_c", ref: "HEAD", path: "plugins/dummy_c/dummy.cpp", lang: "cpp" },
  { plugin: "dummy_rs", ref: "HEAD", path: "plugins/dummy_rs/src/libdummy_rs.rs", lang: "rust" },
  // never merged; the rules in the corpus come from this commit
  { plugin: "hashicorp-vault", ref: "0e2c4b178a9e", path: "plugins/hashicorp-vault/pkg/hashicorpvault/hashicorpvault.go", lang: "go" },
];

const TYPES = { string: "CHARBUF", uint64: "UINT64", reltime: "RELTIME", abstime: "ABSTIME", bool: "BOOL", ipaddr: "IPADDR", ipnet: "IPNET" };

/** Index of the brace matching the one at `open`, skipping string literals. */
function matchBrace(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
      continue;
    }
    if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && text[i + 1] === "*") {
      i = text.indexOf("*/", i + 2) + 1;
      continue;
    }
    if (c === "'") {
      for (i++; i < text.length && text[i] !== "'"; i++) if (text[i] === "\\") i++;
      continue;
    }
    if (c === "`") {
      for (i++; i < text.length && text[i] !== "`"; i++);
      continue;
    }
    if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}

/** Top-level comma-separated items of a brace body. */
function splitTop(body) {
  const out = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '"') {
      for (i++; i < body.length && body[i] !== '"'; i++) if (body[i] === "\\") i++;
      continue;
    }
    if (c === "{" || c === "(" || c === "[") depth++;
    else if (c === "}" || c === ")" || c === "]") depth--;
    else if (c === "," && depth === 0) {
      out.push(body.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = body.slice(start).trim();
  if (last) out.push(last);
  return out;
}

const stripComments = (t) => t.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/(^|[^:"])\/\/[^\n]*/g, "$1");

function fieldFlags({ list, required, index, key, hidden }) {
  const w = [];
  if (list) w.push("list");
  if (hidden) w.push("hidden");
  if (required) w.push("arg-required");
  if (index || key) w.push("arg-allowed");
  if (index) w.push("arg-index");
  if (key) w.push("arg-key");
  return w.sort().join(" ");
}

function parseGo(text) {
  const out = [];
  for (const table of text.matchAll(/\[\]sdk\.FieldEntry\{/g)) {
    const open = table.index + table[0].length - 1;
    const close = matchBrace(text, open);
    for (let i = open + 1; i < close; i++) {
      if (text[i] !== "{") continue;
      const end = matchBrace(text, i);
      out.push(goEntry(text.slice(i + 1, end)));
      i = end;
    }
  }
  return out;
}

function goEntry(body) {
  const name = /\bName:\s*"([^"]+)"/.exec(body)?.[1];
  const type = /\bType:\s*"([^"]+)"/.exec(body)?.[1];
  if (!name || !type || !TYPES[type]) fail(`go field ${name}: type ${type}`);
  const arg = /\bArg:\s*sdk\.FieldEntryArg\{([^}]*)\}/.exec(body)?.[1] ?? "";
  const props = /\bProperties:\s*\[\]string\{([^}]*)\}/.exec(body)?.[1] ?? "";
  return [
    name,
    TYPES[type],
    fieldFlags({
      list: /\bIsList:\s*true/.test(body),
      required: /IsRequired:\s*true/.test(arg),
      index: /IsIndex:\s*true/.test(arg),
      key: /IsKey:\s*true/.test(arg),
      hidden: /"hidden"/.test(props),
    }),
  ];
}

/**
 * k8saudit builds its init/ephemeral container fields with a helper:
 * containerListFields(list, label, withHostPort) makes `ka.req.pod.<list>.<name>` fields, all
 * string lists with an optional index argument.
 */
function k8sauditContainerLists(text) {
  const fn = text.indexOf("func containerListFields(");
  if (fn < 0) fail("k8saudit: containerListFields not found");
  const body = text.slice(fn);
  const names = [...body.matchAll(/entry\("([^"]+)",/g)].map((m) => m[1]);
  const hostPortOnly = /if withHostPort \{[^}]*entry\("([^"]+)"/.exec(body)?.[1];
  const out = [];
  for (const call of text.matchAll(/containerListFields\("(\w+)",\s*"[^"]*",\s*(true|false)\)/g)) {
    for (const n of names) {
      if (n === hostPortOnly && call[2] !== "true") continue;
      out.push([`ka.req.pod.${call[1]}.${n}`, "CHARBUF", fieldFlags({ list: true, index: true })]);
    }
  }
  if (out.length === 0) fail("k8saudit: no container list fields");
  return out;
}

function parseCpp(text) {
  // only the body of get_fields()
  const start = text.indexOf("get_fields()");
  if (start < 0) fail("no get_fields()");
  const open = text.indexOf("{", start);
  text = stripComments(text.slice(start, matchBrace(text, open) + 1));
  // named argument descriptors declared before the table
  const named = new Map();
  for (const m of text.matchAll(/falcosecurity::field_arg\s+(\w+);/g)) named.set(m[1], {});
  for (const m of text.matchAll(/auto\s+(\w+)\s*=\s*falcosecurity::field_arg\(\);/g)) named.set(m[1], {});
  for (const m of text.matchAll(/(\w+)\.(key|index|required)\s*=\s*true;/g)) named.get(m[1])[m[2]] = true;
  const out = [];
  const re = /\{\s*ft::FTYPE_(\w+)\s*,/g;
  let m;
  while ((m = re.exec(text))) {
    const close = matchBrace(text, m.index);
    const items = splitTop(text.slice(m.index + 1, close));
    const type = { STRING: "CHARBUF", UINT64: "UINT64", RELTIME: "RELTIME", ABSTIME: "ABSTIME", BOOL: "BOOL", IPADDR: "IPADDR", IPNET: "IPNET" }[m[1]];
    if (!type) fail(`cpp type ${m[1]}`);
    const name = /^"([^"]+)"$/.exec(items[1])?.[1];
    if (!name) fail(`cpp field name in ${items[1]}`);
    let arg = {};
    const a = items[4];
    if (a && a !== "{}" && a !== "falcosecurity::field_arg()") {
      if (named.has(a)) arg = named.get(a);
      else if (a.startsWith("{")) for (const k of a.matchAll(/\.(key|index|required)\s*=\s*true/g)) arg[k[1]] = true;
      else fail(`cpp arg ${a} of ${name}`);
    }
    const list = items[5] === "true";
    const hidden = items[6] !== undefined && /"hidden"/.test(items[6]);
    out.push([name, type, fieldFlags({ list, hidden, ...arg })]);
    re.lastIndex = close;
  }
  return out;
}

function parseRust(text) {
  // field("name", &Self::extract_x): the type is the extractor's return type
  const rets = new Map();
  for (const m of text.matchAll(/fn\s+extract_(\w+)\s*\([^)]*\)\s*->\s*Result<(\w+),/g)) rets.set(m[1], m[2]);
  for (const m of text.matchAll(/gen_extract_(int|cstr|addr)_impl!\((?:r#)?(\w+)\)/g)) rets.set(m[2], { int: "u64", cstr: "CString", addr: "IpAddr" }[m[1]]);
  const rust = { u64: "UINT64", CString: "CHARBUF", IpAddr: "IPADDR", bool: "BOOL" };
  const out = [];
  for (const m of text.matchAll(/field\("([^"]+)",\s*&Self::extract_(\w+)\)/g)) {
    const ret = rets.get(m[2]);
    if (!rust[ret]) fail(`rust field ${m[1]}: return type ${ret}`);
    out.push([m[1], rust[ret], ""]);
  }
  return out;
}

const classes = [];
for (const s of SOURCES) {
  const text = gitShow(s.ref, s.path);
  const fields = s.lang === "go" ? parseGo(text) : s.lang === "cpp" ? parseCpp(text) : parseRust(text);
  if (s.plugin === "k8saudit") fields.push(...k8sauditContainerLists(text));
  if (fields.length === 0) fail(`no fields for ${s.plugin}`);
  const seen = new Set();
  for (const f of fields) {
    if (seen.has(f[0])) fail(`duplicate field ${f[0]} in ${s.plugin}`);
    seen.add(f[0]);
  }
  classes.push({ plugin: s.plugin, from: `${s.path} @ ${s.ref}`, fields });
}

const lines = [];
lines.push("// Generated by packages/fields/scripts/gen-plugin-fields.mjs from the field tables of the");
lines.push("// falcosecurity/plugins sources (names, types, flags only). Do not edit by hand.");
lines.push("");
lines.push('import type { RawField } from "./raw.js";');
lines.push("");
lines.push("/** The fields of each plugin, keyed by plugin name, in the plugin's own order. */");
lines.push("export const PLUGIN_FIELDS: Readonly<Record<string, readonly RawField[]>> = {");
for (const c of classes) {
  lines.push(`  // ${c.from}`);
  lines.push(`  ${JSON.stringify(c.plugin)}: [`);
  for (const f of c.fields) lines.push(`    ${JSON.stringify(f)},`);
  lines.push("  ],");
}
lines.push("};");
lines.push("");
const text = lines.join("\n");
const outPath = fileURLToPath(new URL("../src/data/plugin-fields.generated.ts", import.meta.url));
if (check) {
  if (!existsSync(outPath) || readFileSync(outPath, "utf8") !== text) fail(`${outPath} is out of date`);
} else {
  writeFileSync(outPath, text);
  console.log(`wrote ${outPath} (${classes.map((c) => `${c.plugin} ${c.fields.length}`).join(", ")})`);
}
