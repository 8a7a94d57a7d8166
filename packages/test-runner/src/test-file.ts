/**
 * Rule test files (`*.test.yaml`): which rules files to load, and test cases made of inputs
 * (fixture files, captures, audit events, or inline events) and expectations about the alerts.
 * Read with positions, so every problem names its line and column.
 */
import AjvModule, { type ErrorObject, type ValidateFunction } from "ajv";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from "yaml";
import { testFileSchema } from "./schema.js";

export interface Position {
  line: number;
  column: number;
}

export interface TestFileProblem extends Position {
  message: string;
}

export interface FireExpectation extends Position {
  rule: string;
  /** Exactly this many alerts. */
  count?: number;
  /** At least (default 1) / at most this many. */
  min?: number;
  max?: number;
  priority?: string;
  outputContains?: string[];
  outputMatches?: string;
  /** Output field values (`%proc.name` → `bash`), compared as text. */
  fields?: Record<string, string>;
}

export type TestInput =
  | { kind: "file"; path: string; at: Position }
  /** Inline YAML: the test file's text with everything outside the node blanked, so positions stay those of the test file. */
  | { kind: "events" | "syscalls"; text: string; at: Position };

export interface TestCase {
  name: string;
  at: Position;
  /** Extra rules files loaded after the suite's, for this test. */
  rules: string[];
  inputs: TestInput[];
  ruleMatching?: "first" | "all";
  options: string[];
  expect: {
    fires: FireExpectation[];
    doesNotFire: { rule: string; at: Position }[];
    nothing: boolean;
    only: boolean;
  };
}

export interface TestSuite {
  file: string;
  name: string;
  rules: string[];
  config?: string;
  options: string[];
  ruleMatching?: "first" | "all";
  priority?: string;
  /** The replaying machine's resolver: names and their addresses. */
  dns?: Record<string, string[]>;
  tests: TestCase[];
}

const Ajv = ((AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule) as unknown as new (o: object) => { compile(s: object): ValidateFunction };
let validate: ValidateFunction | undefined;

function nodeAt(doc: Document, path: readonly (string | number)[]): YamlNode | undefined {
  let node: unknown = doc.contents;
  let last: YamlNode | undefined = node as YamlNode;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      if (!pair) return last;
      node = pair.value;
      if (node) last = node as YamlNode;
      else return (pair.key as YamlNode) ?? last;
    } else if (isSeq(node)) {
      node = node.items[Number(key)];
      if (node) last = node as YamlNode;
      else return last;
    } else return last;
  }
  return last;
}

function schemaMessage(e: ErrorObject): string {
  const where = e.instancePath === "" ? "the file" : e.instancePath.slice(1).replace(/\//g, ".");
  switch (e.keyword) {
    case "additionalProperties":
      return `${where}: unknown key '${(e.params as { additionalProperty: string }).additionalProperty}'`;
    case "required":
      if (e.schemaPath.includes("/anyOf/")) return `${where}: a test needs input, events or syscalls`;
      return `${where}: missing key '${(e.params as { missingProperty: string }).missingProperty}'`;
    case "type":
      return `${where}: must be ${(e.params as { type: string }).type}`;
    case "enum":
      return `${where}: must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).join(", ")}`;
    default:
      return `${where}: ${e.message ?? "invalid"}`;
  }
}

/** Blanks everything of `text` outside [start, end) but line breaks: offsets, lines and columns stay the same. */
function isolate(text: string, start: number, end: number): string {
  const blank = (s: string) => s.replace(/[^\r\n]/g, " ");
  return blank(text.slice(0, start)) + text.slice(start, end) + blank(text.slice(end));
}

/** Reads a test file. The suite is undefined when the file has problems. */
export function parseTestFile(text: string, file: string): { suite?: TestSuite; problems: TestFileProblem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const pos = (offset: number): Position => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const problems: TestFileProblem[] = doc.errors.map((e) => ({ ...pos(e.pos[0]), message: e.message.split("\n")[0]! }));
  if (problems.length > 0) return { problems };
  const data = doc.toJS() as unknown;
  validate ??= new Ajv({ allErrors: true, strict: false }).compile(testFileSchema);
  if (!validate(data)) {
    // The deepest errors first, one per place.
    const seen = new Set<string>();
    for (const e of validate.errors ?? []) {
      if (e.keyword === "oneOf" || e.keyword === "anyOf" || e.keyword === "if") continue;
      const path = e.instancePath.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
      let node = nodeAt(doc, path);
      if (e.keyword === "additionalProperties" && isMap(node)) {
        const extra = (e.params as { additionalProperty: string }).additionalProperty;
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === extra);
        if (pair?.key) node = pair.key as YamlNode;
      }
      const at = pos(node?.range?.[0] ?? 0);
      const key = `${at.line}:${at.column}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push({ ...at, message: schemaMessage(e) });
    }
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    return { problems };
  }
  const top = data as Record<string, unknown>;
  const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
  const at = (path: (string | number)[]) => pos(nodeAt(doc, path)?.range?.[0] ?? 0);
  const tests = (top.tests as Record<string, unknown>[]).map((t, i): TestCase => {
    const base = ["tests", i];
    const inputs: TestInput[] = [];
    list(t.input).forEach((p, j) => inputs.push({ kind: "file", path: p, at: at([...base, "input", ...(Array.isArray(t.input) ? [j] : [])]) }));
    for (const kind of ["events", "syscalls"] as const) {
      if (t[kind] === undefined) continue;
      const node = nodeAt(doc, [...base, kind])!;
      inputs.push({ kind, text: isolate(text, node.range![0], node.range![1]), at: pos(node.range![0]) });
    }
    const ex = (t.expect ?? {}) as Record<string, unknown>;
    const fires = ((ex.fires as unknown[]) ?? []).map((f, j): FireExpectation => {
      const where = at([...base, "expect", "fires", j]);
      if (typeof f === "string") return { rule: f, ...where };
      const o = f as Record<string, unknown>;
      const e: FireExpectation = { rule: String(o.rule), ...where };
      if (o.count !== undefined) e.count = Number(o.count);
      if (o.min !== undefined) e.min = Number(o.min);
      if (o.max !== undefined) e.max = Number(o.max);
      if (o.priority !== undefined) e.priority = String(o.priority);
      if (o.output_contains !== undefined) e.outputContains = list(o.output_contains);
      if (o.output_matches !== undefined) e.outputMatches = String(o.output_matches);
      if (o.fields !== undefined) e.fields = Object.fromEntries(Object.entries(o.fields as Record<string, unknown>).map(([k, v]) => [k, v === null ? "<NA>" : String(v)]));
      return e;
    });
    const doesNotFire = list(ex.does_not_fire).map((rule, j) => ({ rule, at: at([...base, "expect", "does_not_fire", ...(Array.isArray(ex.does_not_fire) ? [j] : [])]) }));
    const c: TestCase = {
      name: String(t.name),
      at: at(base),
      rules: list(t.rules),
      inputs,
      options: list(t.options),
      expect: { fires, doesNotFire, nothing: ex.nothing === true, only: ex.only === true },
    };
    if (t.rule_matching !== undefined) c.ruleMatching = t.rule_matching as "first" | "all";
    return c;
  });
  // Test names are how a run is filtered and reported: they must be unique in a file.
  const names = new Map<string, Position>();
  for (const t of tests) {
    const prev = names.get(t.name);
    if (prev) problems.push({ ...t.at, message: `a test named '${t.name}' is already at line ${prev.line}` });
    else names.set(t.name, t.at);
  }
  if (problems.length > 0) return { problems };
  const suite: TestSuite = { file, name: top.name !== undefined ? String(top.name) : file, rules: list(top.rules), options: list(top.options), tests };
  if (top.config !== undefined) suite.config = String(top.config);
  if (top.rule_matching !== undefined) suite.ruleMatching = top.rule_matching as "first" | "all";
  if (top.priority !== undefined) suite.priority = String(top.priority);
  if (top.dns !== undefined) suite.dns = Object.fromEntries(Object.entries(top.dns as Record<string, unknown>).map(([k, v]) => [k, list(v)]));
  return { suite, problems };
}
