import { isMap, isScalar, isSeq, parseAllDocuments, type Node as YamlNode } from "yaml";
import { describe, expect, it } from "vitest";
import { parseRulesFile, type RulesFile, type ScalarValue } from "../src/index.js";
import { errorsOf, intentionallyInvalid, readText, RULES, summary, yamlFiles } from "./helpers.js";

const files = yamlFiles(RULES);
const invalid = intentionallyInvalid();
const parsed = new Map<string, RulesFile>();
const parse = (rel: string): RulesFile => {
  let f = parsed.get(rel);
  if (!f) {
    f = parseRulesFile(readText(RULES + rel), { fileName: rel });
    parsed.set(rel, f);
  }
  return f;
};

/**
 * Files not marked INTENTIONALLY INVALID that Falco 0.44.1's reader itself rejects, with the
 * errors it reports. (This third-party file redefines rules with only `exceptions:`, which
 * Falco reads as an enable switch without `enabled`.)
 */
const FALCO_REJECTS: Record<string, string[]> = {
  "thirdparty/Inblade+falco-rules/tuning-noisy-defaults.yaml": Array(6).fill("LOAD_ERR_YAML_VALIDATE: Item has no mapping for key 'enabled'"),
};

describe("the rules corpus", () => {
  it("has the files the manifest lists", () => {
    expect(files.length).toBeGreaterThanOrEqual(300);
    expect(invalid.size).toBeGreaterThan(50);
  });

  it("every file parses without throwing", () => {
    for (const rel of files) expect(() => parse(rel), rel).not.toThrow();
  });

  it("files not marked INTENTIONALLY INVALID get no reader errors", () => {
    let clean = 0;
    for (const rel of files) {
      if (invalid.has(rel)) continue;
      const errors = summary(errorsOf(parse(rel).diagnostics));
      expect(errors, rel).toEqual(FALCO_REJECTS[rel] ?? []);
      clean++;
    }
    expect(clean).toBeGreaterThan(200);
  });

  it("upstream falco_rules.yaml: items and names agree with a bare YAML parse", () => {
    const rel = "upstream/latest/rules/falco_rules.yaml";
    const text = readText(RULES + rel);
    const bare = parseAllDocuments(text) as unknown as { toJS(): unknown }[];
    const expected = bare.flatMap((d) => (d.toJS() as Record<string, unknown>[] | null) ?? []);
    const file = parse(rel);
    expect(file.items.length).toBe(expected.length);
    const kindOf = (o: Record<string, unknown>): string =>
      ["required_engine_version", "required_plugin_versions", "list", "macro", "rule"].find((k) => k in o) ?? "unknown";
    expect(file.items.map((i) => i.kind)).toEqual(expected.map(kindOf));
    expect(file.items.map((i) => ("name" in i ? i.name?.value : undefined))).toEqual(
      expected.map((o) => {
        const k = kindOf(o);
        return k === "list" || k === "macro" || k === "rule" ? String(o[k]) : undefined;
      }),
    );
    expect(file.items.filter((i) => i.kind === "rule").length).toBeGreaterThan(20);
  });
});

/** Every scalar and sequence reachable from an item's typed accessors. */
function* accessorValues(value: unknown, seen = new Set<unknown>()): Generator<ScalarValue | { kind: "sequence"; range: { start: number; end: number }; flow: boolean }> {
  if (!value || typeof value !== "object" || seen.has(value)) return;
  seen.add(value);
  const v = value as { kind?: string; items?: unknown };
  if (v.kind === "scalar") {
    yield value as ScalarValue;
    return;
  }
  if (v.kind === "sequence") yield value as { kind: "sequence"; range: { start: number; end: number }; flow: boolean };
  for (const [key, child] of Object.entries(value)) {
    if (key === "node" || key === "entries") continue;
    if (Array.isArray(child)) for (const c of child) yield* accessorValues(c, seen);
    else yield* accessorValues(child, seen);
  }
}

/** The source of a node as the parser's CST token holds it. */
function tokenSource(node: YamlNode): string | undefined {
  const token = node.srcToken as { type: string; source: string; props?: { source?: string }[] } | undefined;
  if (!token) return undefined;
  if (token.type === "block-scalar") return (token.props ?? []).map((p) => p.source ?? "").join("") + token.source;
  return token.source;
}

describe("ranges", () => {
  it("every key and value range slices the source of its node", () => {
    let keys = 0;
    let values = 0;
    for (const rel of files) {
      const file = parse(rel);
      const text = file.text;
      for (const item of file.items) {
        expect(text.slice(item.range.start, item.range.end).startsWith(item.entries[0]?.key ?? ""), rel).toBe(true);
        for (const e of item.entries) {
          keys++;
          const keySrc = text.slice(e.keyRange.start, e.keyRange.end);
          if (e.keyNode && isScalar(e.keyNode) && e.keyNode.type === "PLAIN") expect(keySrc, rel).toBe(e.key);
          const node = e.node;
          if (!node) continue;
          values++;
          const src = text.slice(e.valueRange.start, e.valueRange.end);
          if (isScalar(node)) {
            expect(src, `${rel} ${e.key}`).toBe(tokenSource(node) ?? "");
            if (node.type === "PLAIN" && !src.includes("\n")) expect(src, rel).toBe(node.source);
            if (node.type === "QUOTE_DOUBLE") expect(src.startsWith('"') && src.endsWith('"'), rel).toBe(true);
            if (node.type === "QUOTE_SINGLE") expect(src.startsWith("'") && src.endsWith("'"), rel).toBe(true);
            if (node.type === "BLOCK_FOLDED" || node.type === "BLOCK_LITERAL") expect("|>".includes(src[0]!), rel).toBe(true);
          } else if (isSeq(node)) {
            expect(src[0], `${rel} ${e.key}`).toBe(node.flow ? "[" : "-");
            if (node.flow) expect(src.endsWith("]"), rel).toBe(true);
          } else if (isMap(node)) {
            expect(node.flow ? src[0] === "{" && src.endsWith("}") : /^[^\s]/.test(src), `${rel} ${e.key}`).toBe(true);
          }
        }
        for (const v of accessorValues(item)) {
          values++;
          const src = text.slice(v.range.start, v.range.end);
          if (v.kind === "scalar") {
            expect(src, rel).toBe(v.raw);
            expect(src, rel).toBe(tokenSource(v.node));
            if (v.style === "plain" && !src.includes("\n")) expect(src, rel).toBe(v.text);
            if (v.keyRange) expect(text.slice(v.keyRange.end, v.range.start), rel).toMatch(/^\s*:[\s\S]*$/);
          } else {
            expect(src[0], rel).toBe(v.flow ? "[" : "-");
          }
        }
      }
    }
    expect(keys).toBeGreaterThan(10_000);
    expect(values).toBeGreaterThan(30_000);
  });

  it("offset maps of every corpus scalar agree with the parser and point at the source", () => {
    let scalars = 0;
    for (const rel of files) {
      const file = parse(rel);
      const text = file.text;
      for (const item of file.items) {
        for (const v of accessorValues(item)) {
          if (v.kind !== "scalar") continue;
          scalars++;
          const n = v.text.length;
          let prev = -1;
          for (let i = 0; i <= n; i++) {
            const off = v.toFileOffset(i);
            if (off < prev) throw new Error(`${rel}: offset map not monotonic at ${i}`);
            prev = off;
            if (i === n) break;
            const c = v.text[i]!;
            const s = text[off];
            const ok =
              s === c ||
              (v.style === "double-quoted" && s === "\\") ||
              ((c === " " || c === "\n") && (s === "\n" || s === "\r"));
            if (!ok) throw new Error(`${rel}: char ${i} ${JSON.stringify(c)} of ${JSON.stringify(v.text)} maps to ${JSON.stringify(s)}`);
          }
          expect(v.toFileOffset(0)).toBeGreaterThanOrEqual(v.range.start);
          expect(v.toFileOffset(n)).toBeLessThanOrEqual(v.range.end);
        }
      }
    }
    expect(scalars).toBeGreaterThan(20_000);
  });
});
