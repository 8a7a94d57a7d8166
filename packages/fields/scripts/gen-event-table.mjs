#!/usr/bin/env node
// Generates packages/fields/src/event-table.ts: the libs 0.25.4 event table in falcokit's own
// compact text format (one line per event code, one word per ppm_sc code).
//
// Inputs (facts only, nothing is copied verbatim):
//   - the shared corpus `corpus/event-table.json` (event codes, enum names, names, categories, flags);
//   - a libs git checkout at the release tag, read with `git show <ref>:<path>`:
//       driver/ppm_events_public.h          the ppm_sc codes (PPM_SC_FIELDS) and the PPME enum,
//       userspace/libscap/linux/scap_ppm_sc.c  which ppm_sc codes each event code stands for.
//
// Usage: node packages/fields/scripts/gen-event-table.mjs
//   FALCOKIT_SHARED  the shared folder (default: ../../../../shared from this script)
//   LIBS_REPO        a libs git directory (default: /work/.mirror/falcosecurity+libs/repo)
//   LIBS_REF         the libs tag (default: 0.25.4)
//   --check          fail instead of writing when the output would change
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const shared = process.env.FALCOKIT_SHARED ?? fileURLToPath(new URL("../../../../shared/", import.meta.url));
const libsRepo = process.env.LIBS_REPO ?? "/work/.mirror/falcosecurity+libs/repo";
const libsRef = process.env.LIBS_REF ?? "0.25.4";
const outPath = fileURLToPath(new URL("../src/event-table.ts", import.meta.url));

const gitShow = (path) => execFileSync("git", ["-C", libsRepo, "show", `${libsRef}:${path}`], { encoding: "utf8", maxBuffer: 64 << 20 });
const stripComments = (c) => c.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/\/\/[^\n]*/g, " ");

const fail = (msg) => {
  console.error(`gen-event-table: ${msg}`);
  process.exit(1);
};

// --- the shared event table -------------------------------------------------------------------
const table = JSON.parse(readFileSync(shared + "corpus/event-table.json", "utf8"));
const events = table.events;
const eventMax = table._meta.ppm_event_max;
if (events.length !== eventMax) fail(`expected ${eventMax} events, found ${events.length}`);
events.forEach((e, i) => {
  if (e.code !== i) fail(`event at index ${i} has code ${e.code}`);
  if (/\s/.test(e.name) || e.name.length === 0) fail(`event ${i} has a name we cannot store: ${JSON.stringify(e.name)}`);
});

// --- libs headers: PPME enum (cross-check) and ppm_sc codes -------------------------------------
const header = stripComments(gitShow("driver/ppm_events_public.h"));
const ppme = new Map();
for (const m of header.matchAll(/\b(PPME_[A-Z0-9_]+)\s*=\s*(\d+)\s*,/g)) ppme.set(m[1], Number(m[2]));
const headerEventMax = /\bPPM_EVENT_MAX\s*=\s*(\d+)/.exec(header);
if (!headerEventMax || Number(headerEventMax[1]) !== eventMax) fail(`PPM_EVENT_MAX differs between libs ${libsRef} and the shared table`);
for (const e of events) {
  if (ppme.get(e.enum) !== e.code) fail(`${e.enum} is ${ppme.get(e.enum)} in libs ${libsRef}, ${e.code} in the shared table`);
}

const scByEnum = new Map();
for (const m of header.matchAll(/PPM_SC_X\(\s*([A-Z0-9_]+)\s*,\s*(\d+)\s*\)/g)) scByEnum.set(`PPM_SC_${m[1]}`, { name: m[1].toLowerCase(), code: Number(m[2]) });
const scMax = Math.max(...[...scByEnum.values()].map((s) => s.code)) + 1;
const scNames = new Array(scMax).fill("");
for (const { name, code } of scByEnum.values()) scNames[code] = name;

// --- libscap: event code -> ppm_sc codes ------------------------------------------------------
const scapSc = stripComments(gitShow("userspace/libscap/linux/scap_ppm_sc.c"));
const mapStart = scapSc.indexOf("g_events_to_sc_map[]");
const mapEnd = scapSc.indexOf("};", mapStart);
if (mapStart < 0 || mapEnd < 0) fail("g_events_to_sc_map not found");
const mapText = scapSc.slice(mapStart, mapEnd);
const eventSc = new Array(eventMax).fill(undefined);
for (const m of mapText.matchAll(/\[\s*(PPME_[A-Z0-9_]+)\s*\]\s*=\s*(NULL|\(\s*ppm_sc_code\s*\[\s*\]\s*\)\s*\{([^}]*)\})/g)) {
  const code = ppme.get(m[1]);
  if (code === undefined) fail(`unknown event ${m[1]} in g_events_to_sc_map`);
  if (eventSc[code] !== undefined) fail(`${m[1]} mapped twice`);
  if (m[2] === "NULL") {
    eventSc[code] = [];
    continue;
  }
  const items = m[3].split(",").map((s) => s.trim()).filter(Boolean);
  if (items.at(-1) !== "-1") fail(`${m[1]}: list does not end with -1`);
  eventSc[code] = items.slice(0, -1).map((s) => {
    const sc = scByEnum.get(s);
    if (!sc) fail(`${m[1]}: unknown ppm_sc ${s}`);
    return sc.code;
  });
}
eventSc.forEach((v, i) => v === undefined && fail(`event ${i} (${events[i].enum}) missing from g_events_to_sc_map`));

// --- output -----------------------------------------------------------------------------------
const rows = events.map((e, i) => {
  const sc = eventSc[i].length ? eventSc[i].join(",") : "-";
  return `${e.enum.replace(/^PPME_/, "")} ${e.name} ${e.category_raw} ${e.flags_raw} ${sc}`;
});
const wrap = (words, width = 96) => {
  const lines = [];
  let line = "";
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.join("\n");
};

const out = `// Generated by packages/fields/scripts/gen-event-table.mjs from libs ${libsRef}
// (driver/ppm_events_public.h, userspace/libscap/linux/scap_ppm_sc.c) and the shared event table.
// Do not edit by hand; run the script again.

/** \`PPM_EVENT_MAX\` of libs ${libsRef}: event codes are \`0 .. PPM_EVENT_MAX - 1\`. */
export const PPM_EVENT_MAX = ${eventMax};

/** \`PPM_SC_MAX\` of libs ${libsRef}: ppm_sc (syscall) codes are \`0 .. PPM_SC_MAX - 1\`. */
export const PPM_SC_MAX = ${scMax};

/**
 * One line per event code, in code order: \`<enum without PPME_> <name> <category> <flags> <sc>\`,
 * where category and flags are libs' raw bit masks and sc is the comma-separated ppm_sc codes the
 * event stands for in libscap's events-to-syscalls map (\`-\` for none).
 */
export const EVENT_ROWS = \`
${rows.join("\n")}
\`;

/** The ppm_sc names in code order (lower case, as libscap returns them); \`-\` marks an unused code. */
export const SC_NAMES = \`
${wrap(scNames.map((n) => n || "-"))}
\`;
`;

const check = process.argv.includes("--check");
const current = existsSync(outPath) ? readFileSync(outPath, "utf8") : "";
if (check) {
  if (current !== out) fail(`${outPath} is out of date`);
  console.log("event-table.ts is up to date");
} else {
  writeFileSync(outPath, out);
  console.log(`wrote ${outPath}: ${eventMax} events, ${scMax} ppm_sc codes`);
}
