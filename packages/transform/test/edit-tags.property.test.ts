import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TextEdit } from "@falcokit/diagnostics";
import { parseRulesFile, type RuleItem, type RulesFile } from "@falcokit/rules-model";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyTagEdit, editRuleTags, type TagEdit } from "../src/edit-tags.js";

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = "";
  let at = 0;
  for (const e of edits) {
    if (e.range.start < at || e.range.end < e.range.start) throw new Error(`edits out of order or overlapping at ${e.range.start}`);
    out += text.slice(at, e.range.start) + e.newText;
    at = e.range.end;
  }
  return out + text.slice(at);
}

const rules = (file: RulesFile) => file.items.filter((i): i is RuleItem => i.kind === "rule");
const tagsOf = (item: RuleItem) => item.tags?.items.map((t) => t.text) ?? [];
const yamlErrors = (file: RulesFile) => file.documents.flatMap((d) => d.document.errors.map((e) => e.message));
/** An item as YAML data, without its `tags`. */
function dataWithoutTags(item: { node: { toJSON(): unknown } }): unknown {
  const data = item.node.toJSON() as Record<string, unknown>;
  const { tags: _tags, ...rest } = data;
  return rest;
}

function lineEndingsConsistent(text: string, eol: string): boolean {
  return eol === "\r\n" ? !text.replaceAll("\r\n", "").includes("\n") : !text.includes("\r");
}

// ---------------------------------------------------------------------------------------------
// Generated rules files. The generator records, for each rule, where its tags entry is (or where
// a new one belongs), so that the checks do not rely on the code under test to find it.

type Quote = "plain" | "single" | "double";
interface TagSpec {
  value: string;
  quote: Quote;
  comment: boolean;
  commentLineAfter: boolean;
  blankAfter: boolean;
}
type TagsStyle = "missing" | "null" | "null-comment" | "tilde" | "flow" | "flow-lines" | "flow-wrapped" | "block";
interface RuleSpec {
  flowMap: boolean;
  keyIndent: 2 | 4;
  tagsAt: number;
  style: TagsStyle;
  tags: TagSpec[];
  separator: ", " | "," | " , ";
  pad: "" | " ";
  trailingComma: boolean;
  blockOffset: 0 | 2 | 4;
  keyComment: boolean;
  outputBlock: boolean;
  exceptions: boolean;
  trailingComment: boolean;
  macroAfter: boolean;
}
interface FileSpec {
  eol: "\n" | "\r\n";
  finalNewline: boolean;
  rules: RuleSpec[];
}

/** Where a rule's tags are in a generated text: the entry's region, or the insertion point. */
interface TagsPlace {
  start: number;
  end: number;
}

const PLAIN_OK = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NOT_A_STRING = /^(?:y|yes|n|no|true|false|on|off|null)$/i;

function writeTag(tag: TagSpec): string {
  const { value } = tag;
  if (tag.quote === "plain" && PLAIN_OK.test(value) && !NOT_A_STRING.test(value)) return value;
  // eslint-disable-next-line no-control-regex
  if (tag.quote === "single" && !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(value)) return `'${value.replaceAll("'", "''")}'`;
  return JSON.stringify(value);
}

function writeFile(spec: FileSpec): { text: string; places: TagsPlace[] } {
  const { eol } = spec;
  let text = "";
  const places: TagsPlace[] = [];
  const line = (s: string) => {
    text += s + eol;
  };
  spec.rules.forEach((r, n) => {
    const keys: [string, string][] = [
      ["desc", "some description"],
      ["condition", "evt.type = open"],
      ["output", "opened (file=%fd.name)"],
      ["priority", "WARNING"],
    ];
    const tagsAt = Math.min(r.tagsAt, keys.length);
    const tagValues = r.tags.map(writeTag);

    if (r.flowMap) {
      const parts = [`rule: r${n}`, ...keys.map(([k, v]) => `${k}: ${k === "output" ? '"o"' : v}`)];
      let head = `- {${parts.slice(0, tagsAt + 1).join(", ")}`;
      const tail = parts.slice(tagsAt + 1);
      if (r.style === "missing") {
        head = `- {${parts.join(", ")}`;
        places.push({ start: text.length + head.length, end: text.length + head.length });
        line(`${head}}`);
      } else {
        const value = r.style === "tilde" ? "~" : `[${tagValues.join(", ")}]`;
        const start = text.length + head.length + 2;
        places.push({ start, end: start + `tags: ${value}`.length });
        line(`${head}, tags: ${value}${tail.map((p) => `, ${p}`).join("")}}`);
      }
      if (r.macroAfter) line(`- macro: m${n}${eol}  condition: evt.type = close`);
      return;
    }

    const ind = " ".repeat(r.keyIndent);
    const writeTags = () => {
      const start = text.length;
      const dash = ind + " ".repeat(r.blockOffset);
      const comment = r.keyComment ? "  # tags" : "";
      switch (r.style) {
        case "null":
          line(`${ind}tags:`);
          break;
        case "null-comment":
          line(`${ind}tags: # none yet`);
          break;
        case "tilde":
          line(`${ind}tags: ~${comment}`);
          break;
        case "flow": {
          const inner = tagValues.join(r.separator) + (r.trailingComma && tagValues.length > 0 ? "," : "");
          line(`${ind}tags: [${inner ? r.pad + inner + r.pad : ""}]${comment}`);
          break;
        }
        case "flow-lines":
          if (tagValues.length === 0) line(`${ind}tags: [${eol}${ind}]`);
          else line(`${ind}tags: [${comment}${eol}${tagValues.map((v) => `${dash}  ${v}`).join(`,${eol}`)}${eol}${ind}]`);
          break;
        case "flow-wrapped": {
          const half = Math.ceil(tagValues.length / 2);
          const first = tagValues.slice(0, half).join(", ");
          const second = tagValues.slice(half).join(", ");
          line(`${ind}tags: [${first}${second ? `,${eol}${ind}    ${second}` : ""}]`);
          break;
        }
        case "block":
          if (r.tags.length === 0) {
            line(`${ind}tags: []`);
            break;
          }
          line(`${ind}tags:${comment}`);
          r.tags.forEach((t, i) => {
            line(`${dash}- ${tagValues[i]}${t.comment ? "   # about it" : ""}`);
            if (i < r.tags.length - 1 && t.commentLineAfter) line(`${dash}# between`);
            if (i < r.tags.length - 1 && t.blankAfter) line("");
          });
          break;
        case "missing":
          return;
      }
      places.push({ start, end: text.length });
    };

    let first = true;
    const key = (k: string, v: string) => {
      line(first ? `-${" ".repeat(r.keyIndent - 1)}${k}: ${v}` : `${ind}${k}: ${v}`);
      first = false;
    };
    key("rule", `r${n}`);
    keys.forEach(([k, v], i) => {
      if (i === tagsAt) writeTags();
      if (k === "output" && r.outputBlock) {
        key("output", "|");
        line(`${ind}  # not a comment`);
        line(`${ind}  ${v}`);
      } else key(k, v + (r.keyComment && k === "desc" ? "  # a comment" : ""));
      if (r.keyComment && i === 1) line(`${ind}# a comment line`);
    });
    if (r.exceptions) {
      line(`${ind}exceptions:`);
      line(`${ind}  - name: known`);
      line(`${ind}    fields: [proc.name]`);
      line(`${ind}    values:`);
      line(`${ind}      - [bash]`);
    }
    if (tagsAt >= keys.length) writeTags();
    // A rule without tags gets them after its last line of content.
    if (r.style === "missing") places.push({ start: text.length, end: text.length });
    if (r.exceptions) line(`${ind}    # about the exception`);
    if (r.trailingComment) line(`${ind}# trailing comment`);
    if (r.macroAfter) line(`- macro: m${n}${eol}  condition: evt.type = close`);
    line("");
  });
  if (!spec.finalNewline) {
    while (text.endsWith(eol)) text = text.slice(0, -eol.length);
  }
  return { text, places: places.map((p) => ({ start: Math.min(p.start, text.length), end: Math.min(p.end, text.length) })) };
}

const tricky = [
  "a",
  "b",
  "mitre_execution",
  "T1059",
  "env:prod",
  "cluster:eu-1",
  "two words",
  "it's",
  'say "hi"',
  "true",
  "no",
  "null",
  "~",
  "1.0",
  "0x1F",
  "x,y",
  "[x]",
  "q?",
  "-dash",
  "a #b",
  "a: b",
  "trailing:",
  "",
  " padded ",
  "tab\there",
  "line\nbreak",
  "é",
  "back\\slash",
];
const tagValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...tricky) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z][a-z0-9_:.-]{0,6}$/) },
);

function ruleSpec(pool: readonly string[]): fc.Arbitrary<RuleSpec> {
  const tag = fc.record({
    value: fc.constantFrom(...pool),
    quote: fc.constantFrom<Quote>("plain", "plain", "single", "double"),
    comment: fc.boolean(),
    commentLineAfter: fc.boolean(),
    blankAfter: fc.boolean(),
  });
  return fc.record({
    flowMap: fc.constantFrom(false, false, false, false, true),
    keyIndent: fc.constantFrom<2 | 4>(2, 2, 4),
    tagsAt: fc.nat({ max: 5 }),
    style: fc.constantFrom<TagsStyle>("missing", "null", "null-comment", "tilde", "flow", "flow", "flow-lines", "flow-wrapped", "block", "block"),
    tags: fc.array(tag, { maxLength: 5 }),
    separator: fc.constantFrom<", " | "," | " , ">(", ", ", ", ",", " , "),
    pad: fc.constantFrom<"" | " ">("", "", " "),
    trailingComma: fc.boolean(),
    blockOffset: fc.constantFrom<0 | 2 | 4>(0, 2, 2, 4),
    keyComment: fc.boolean(),
    outputBlock: fc.boolean(),
    exceptions: fc.boolean(),
    trailingComment: fc.boolean(),
    macroAfter: fc.constantFrom(false, false, true),
  });
}

const scenario = fc
  .uniqueArray(tagValue, { minLength: 1, maxLength: 7 })
  .chain((pool) => {
    const some = fc.subarray(pool);
    const edit = fc.record({
      add: fc.array(fc.oneof(fc.constantFrom(...pool), tagValue), { maxLength: 3 }),
      remove: some,
      replace: fc.array(fc.tuple(fc.constantFrom(...pool), fc.oneof(fc.constantFrom(...pool), tagValue)), { maxLength: 3 }),
    });
    const file = fc.record({
      eol: fc.constantFrom<"\n" | "\r\n">("\n", "\r\n"),
      finalNewline: fc.constantFrom(true, true, false),
      rules: fc.array(ruleSpec(pool), { minLength: 1, maxLength: 4 }),
    });
    return fc.tuple(file, edit, fc.nat());
  })
  .map(([file, e, pick]) => ({
    file,
    edit: { add: e.add, remove: e.remove, replace: new Map(e.replace) } satisfies TagEdit,
    target: pick % file.rules.length,
  }));

const describeEdit = (edit: TagEdit) => JSON.stringify({ ...edit, replace: [...edit.replace] });

describe("editRuleTags on generated files", () => {
  it("gives the announced tags, changes nothing else, and is idempotent", () => {
    fc.assert(
      fc.property(scenario, ({ file: spec, edit, target }) => {
        const { text, places } = writeFile(spec);
        const before = parseRulesFile(text);
        expect(yamlErrors(before), text).toEqual([]);
        const items = rules(before);
        expect(items).toHaveLength(spec.rules.length);
        const item = items[target]!;
        const place = places[target]!;

        const edits = editRuleTags(before, item, edit);
        const out = applyEdits(text, edits);
        const context = `${describeEdit(edit)}\n--- before\n${text}\n--- after\n${out}`;
        const after = parseRulesFile(out);

        // (5) no parse errors, and no problem the file did not already have.
        expect(yamlErrors(after), context).toEqual([]);
        const known = new Set(before.diagnostics.map((d) => `${d.code} ${d.message}`));
        expect(after.diagnostics.map((d) => `${d.code} ${d.message}`).filter((d) => !known.has(d)), context).toEqual([]);
        expect(lineEndingsConsistent(out, spec.eol), context).toBe(true);

        // (1) the announced tags.
        const edited = rules(after);
        expect(tagsOf(edited[target]!), context).toEqual(applyTagEdit(tagsOf(item), edit));

        // (2) every other item, and every other key of this one, unchanged as YAML data.
        expect(after.items.length).toBe(before.items.length);
        before.items.forEach((old, i) => {
          const now = after.items[i]!;
          if (old === item) expect(dataWithoutTags(now), context).toEqual(dataWithoutTags(old));
          else expect(now.node.toJSON(), context).toEqual(old.node.toJSON());
        });

        // (3) the text outside the tags entry is byte-identical.
        expect(out.startsWith(text.slice(0, place.start)), context).toBe(true);
        expect(out.endsWith(text.slice(place.end)), context).toBe(true);
        if (edits.length === 0) expect(out).toBe(text);

        // (4) the same edit again changes nothing.
        expect(editRuleTags(after, edited[target]!, edit), context).toEqual([]);
      }),
      { numRuns: 600 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The real rules files of the corpus (read in place).

const CORPUS = fileURLToPath(new URL("../../../../shared/corpus/rules/", import.meta.url));

function yamlFiles(dir: string): string[] {
  return readdirSync(join(CORPUS, dir))
    .sort()
    .flatMap((name) => {
      const rel = `${dir}/${name}`;
      return statSync(join(CORPUS, rel)).isDirectory() ? yamlFiles(rel) : /\.ya?ml$/.test(name) ? [rel] : [];
    });
}

const corpusFiles = [...yamlFiles("upstream/latest/rules"), ...yamlFiles("plugins")];

/** The whole lines a rule's `tags` entry spans, or the point where a new one is inserted. */
function allowedRegion(file: RulesFile, item: RuleItem): TagsPlace {
  const text = file.text;
  const lineStart = (pos: number) => text.lastIndexOf("\n", pos - 1) + 1;
  const nextLine = (pos: number) => (pos > 0 && text[pos - 1] === "\n" ? pos : text.indexOf("\n", pos) < 0 ? text.length : text.indexOf("\n", pos) + 1);
  const i = item.entries.findIndex((e) => e.key === "tags");
  if (i < 0) {
    // After the last line of content of the rule (its range also covers trailing comments).
    const last = item.entries[item.entries.length - 1]!;
    const lo = nextLine(Math.max(last.keyRange.end, last.valueRange.start));
    return { start: lo, end: nextLine(item.range.end) };
  }
  const e = item.entries[i]!;
  const next = item.entries[i + 1];
  return { start: lineStart(e.keyRange.start), end: next ? lineStart(next.keyRange.start) : nextLine(Math.max(e.keyRange.end, e.valueRange.end)) };
}

describe("editRuleTags on the rules corpus", () => {
  const modes: [string, (tags: readonly string[]) => TagEdit][] = [
    ["adding env:prod", () => ({ add: ["env:prod"], remove: [], replace: new Map() })],
    ["removing the first tag", (tags) => ({ add: [], remove: tags.slice(0, 1), replace: new Map() })],
  ];
  it("finds the corpus", () => {
    expect(corpusFiles.length).toBeGreaterThanOrEqual(15);
  });
  for (const path of corpusFiles) {
    for (const [mode, editFor] of modes) {
      it(`${path}: ${mode} to every rule`, () => {
        const text = readFileSync(join(CORPUS, path), "utf8");
        const before = parseRulesFile(text, { fileName: path });
        const items = rules(before);
        const plans = items.map((item) => {
          const edit = editFor(tagsOf(item));
          const edits = editRuleTags(before, item, edit);
          // (3) each rule's edits stay within its tags entry (or insert one after its content).
          const region = allowedRegion(before, item);
          for (const e of edits) {
            expect(e.range.start, `${item.name?.text}`).toBeGreaterThanOrEqual(region.start);
            expect(e.range.end, `${item.name?.text}`).toBeLessThanOrEqual(region.end);
          }
          return { item, edit, edits };
        });
        if (mode.startsWith("adding")) expect(plans.every((p) => p.edits.length > 0)).toBe(true);
        // Every rule's edits at once: they must not overlap.
        const all = plans.flatMap((p) => p.edits).sort((a, b) => a.range.start - b.range.start);
        const out = applyEdits(text, all);
        const after = parseRulesFile(out, { fileName: path });

        // (5)
        expect(yamlErrors(after)).toEqual([]);
        // Adding a `tags` key to an item that overrides another rule is, for Falco, a key with no
        // matching entry under `override`: a known consequence, for the caller to avoid.
        const known = new Set(before.diagnostics.map((d) => `${d.code} ${d.message}`));
        known.add("load/LOAD_ERR_YAML_VALIDATE Unexpected key 'tags': no corresponding entry under 'override' is defined.");
        expect(after.diagnostics.map((d) => `${d.code} ${d.message}`).filter((d) => !known.has(d))).toEqual([]);
        expect(lineEndingsConsistent(out, text.includes("\r\n") ? "\r\n" : "\n")).toBe(true);

        const edited = rules(after);
        expect(edited).toHaveLength(items.length);
        plans.forEach(({ item, edit }, i) => {
          const now = edited[i]!;
          // (1)
          expect(tagsOf(now), item.name?.text).toEqual(applyTagEdit(tagsOf(item), edit));
          // (4)
          expect(editRuleTags(after, now, edit), item.name?.text).toEqual([]);
        });
        // (2)
        expect(after.items.length).toBe(before.items.length);
        before.items.forEach((old, i) => {
          const now = after.items[i]!;
          if (old.kind === "rule") expect(dataWithoutTags(now)).toEqual(dataWithoutTags(old));
          else expect(now.node.toJSON()).toEqual(old.node.toJSON());
        });
      });
    }
  }
});
