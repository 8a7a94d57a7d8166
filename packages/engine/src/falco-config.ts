/**
 * The parts of `falco.yaml` that decide what the engine loads and runs, read as Falco 0.44
 * reads them: `rules_files`, `rules:` selection, `append_output`, `priority`, `rule_matching`,
 * with `-o key=value` overrides applied first (Falco's key syntax: `a.b`, `a[2]`, `a[]` to
 * append, backslash escapes, `{...}` values parsed as YAML).
 */
import { parse as parseYaml, YAMLParseError } from "yaml";
import type { AppendOutput } from "./compiler.js";

/** One `rules:` entry: enable or disable rules by name (wildcards allowed) or by tag. */
export interface RuleSelectionEntry {
  op: "enable" | "disable";
  rule?: string;
  tag?: string;
}

export interface FalcoConfig {
  /** `rules_files` (or the older `rules_file`), as written. */
  rulesFiles: string[];
  rules: RuleSelectionEntry[];
  appendOutput: AppendOutput[];
  /** `priority`: the minimum priority of rules that run. */
  priority?: string;
  /** `rule_matching`: `first` or `all`. */
  ruleMatching?: "first" | "all";
}

/** A problem in the configuration text or an override, in Falco's words. */
export class FalcoConfigError extends Error {
  constructor(
    message: string,
    /** The offending `-o` option, when the problem is in one. */
    readonly option?: string,
    /** Line and column in the configuration text (1-based), when known. */
    readonly position?: { line: number; column: number },
  ) {
    super(message);
  }
}

type Yaml = unknown;
type Container = Record<string, Yaml> | Yaml[];

const isMap = (v: Yaml): v is Record<string, Yaml> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Splits a key as Falco's `yaml_helper::get_node` does into map keys and sequence indexes. */
const APPEND = Symbol("append");

function keyPath(key: string): (string | number | typeof APPEND)[] {
  const out: (string | number | typeof APPEND)[] = [];
  let nodeKey = "";
  const fail = (why: string): never => {
    throw new FalcoConfigError(`Config error at key "${key}": ${why}`);
  };
  for (let i = 0; i < key.length; i++) {
    const c = key[i]!;
    if (c === "\\") {
      if (i + 1 >= key.length) fail(`Parsing error: trailing backslash at pos ${i}`);
      const next = key[i + 1]!;
      if (!".[]\\".includes(next)) fail(`Parsing error: invalid escape sequence '\\${next}' at pos ${i}`);
      nodeKey += next;
      i++;
      if (i === key.length - 1) {
        out.push(nodeKey);
        nodeKey = "";
      }
      continue;
    }
    const shift = c === "." || c === "[" || i === key.length - 1;
    if (c !== "." && c !== "[") {
      if (i > 0 && nodeKey === "" && key[i - 1] !== ".") fail(`Parsing error: expected '.' character at pos ${i - 1}`);
      nodeKey += c;
    }
    if (shift) {
      if (nodeKey === "") fail(`Parsing error: unexpected character at pos ${i}`);
      out.push(nodeKey);
      nodeKey = "";
    }
    if (c === "[") {
      const close = key.indexOf("]", i);
      const idx = key.slice(i + 1, close < 0 ? undefined : close);
      if (idx === "") out.push(APPEND);
      else if (/^[+-]?\d+/.test(idx.trim())) out.push(Number.parseInt(idx.trim(), 10));
      else fail(`Parsing error: expected a numeric index, found '${idx}'`);
      i = close < 0 ? key.length : close;
      if (i < key.length - 1 && key[i + 1] === ".") i++;
    }
  }
  return out;
}

/** Sets `key` to `value` in `root` (creating maps and sequences on the way), as `-o` does. */
export function setConfigValue(root: Record<string, Yaml>, key: string, value: Yaml): void {
  const path = keyPath(key);
  let parent: Container = root;
  for (let i = 0; i < path.length; i++) {
    const step = path[i]!;
    const last = i === path.length - 1;
    const nextIsIndex = !last && typeof path[i + 1] !== "string";
    const fresh = (): Yaml => (last ? value : nextIsIndex ? [] : {});
    if (step === APPEND || typeof step === "number") {
      if (!Array.isArray(parent)) throw new FalcoConfigError(`Config error at key "${key}": not a sequence`);
      const at = step === APPEND ? parent.length : step;
      if (at < 0 || at > parent.length) throw new FalcoConfigError(`Config error at key "${key}": index ${at} out of range`);
      if (last || parent[at] === undefined || parent[at] === null || typeof parent[at] !== "object") parent[at] = fresh();
      parent = parent[at] as Container;
    } else {
      if (!isMap(parent)) throw new FalcoConfigError(`Config error at key "${key}": not a map`);
      const existing = parent[step];
      if (last || existing === undefined || existing === null || typeof existing !== "object" || Array.isArray(existing) !== nextIsIndex) parent[step] = fresh();
      parent = parent[step] as Container;
    }
  }
}

/** Applies one `-o key=value` option (a `{...}` value is parsed as YAML, as Falco does). */
export function applyConfigOption(root: Record<string, Yaml>, option: string): void {
  const eq = option.indexOf("=");
  if (eq < 0) throw new FalcoConfigError(`Error parsing config option "${option}". Must be of the form key=val or key.subkey=val`, option);
  const key = option.slice(0, eq);
  const raw = option.slice(eq + 1);
  let value: Yaml = raw;
  if (raw.startsWith("{") && raw.endsWith("}")) {
    try {
      value = parseYaml(raw);
    } catch (e) {
      throw new FalcoConfigError(`Error parsing config option "${option}": ${e instanceof Error ? e.message : String(e)}`, option);
    }
  }
  try {
    setConfigValue(root, key, value);
  } catch (e) {
    if (e instanceof FalcoConfigError) throw new FalcoConfigError(e.message, option);
    throw e;
  }
}

const scalar = (v: Yaml): string | undefined => (v === null || v === undefined || typeof v === "object" ? undefined : String(v));

/** Decodes one `rules:` entry as Falco's YAML converter does; undefined when it is invalid. */
function selectionEntry(node: Yaml): RuleSelectionEntry | undefined {
  if (!isMap(node)) return undefined;
  const op = node.enable !== undefined ? "enable" : node.disable !== undefined ? "disable" : undefined;
  if (!op) return undefined;
  const body = node[op];
  if (!isMap(body)) return undefined;
  const rule = scalar(body.rule) ?? "";
  const tag = scalar(body.tag) ?? "";
  if (rule === "" && tag === "") return undefined;
  return { op, ...(rule !== "" ? { rule } : {}), ...(tag !== "" ? { tag } : {}) };
}

const PRIORITIES = ["emergency", "alert", "critical", "error", "warning", "notice", "info", "informational", "debug"];

/**
 * Reads a `falco.yaml` text (empty for none) with `-o` overrides. Throws `FalcoConfigError`
 * for text that is not YAML, an override Falco rejects, or a `rules:` entry it cannot decode.
 */
export function readFalcoConfig(text: string, options: readonly string[] = []): FalcoConfig {
  let root: Yaml;
  try {
    root = text.trim() === "" ? {} : parseYaml(text, { prettyErrors: true });
  } catch (e) {
    if (e instanceof YAMLParseError) {
      const pos = e.linePos?.[0];
      throw new FalcoConfigError(`falco.yaml is not valid YAML: ${e.message.split("\n")[0]}`, undefined, pos ? { line: pos.line, column: pos.col } : undefined);
    }
    throw e;
  }
  if (root === null || root === undefined) root = {};
  if (!isMap(root)) throw new FalcoConfigError("falco.yaml must be a map of settings");
  const config = root;
  for (const o of options) applyConfigOption(config, o);

  const rulesFiles = config.rules_files ?? config.rules_file;
  const files = Array.isArray(rulesFiles) ? rulesFiles.map((f) => scalar(f) ?? "") : scalar(rulesFiles) !== undefined ? [scalar(rulesFiles)!] : [];

  const rules: RuleSelectionEntry[] = [];
  if (config.rules !== undefined && config.rules !== null) {
    if (!Array.isArray(config.rules)) throw new FalcoConfigError("Config error: 'rules' must be a sequence of enable/disable entries");
    config.rules.forEach((node, i) => {
      const entry = selectionEntry(node);
      if (!entry) throw new FalcoConfigError(`Config error: rules[${i}] must be 'enable:' or 'disable:' with a 'rule' or a 'tag'`);
      rules.push(entry);
    });
  }

  const appendOutput: AppendOutput[] = [];
  if (Array.isArray(config.append_output)) {
    for (const node of config.append_output) {
      if (!isMap(node)) continue;
      const match = isMap(node.match) ? node.match : {};
      const format = scalar(node.extra_output) ?? "";
      if (format === "") continue;
      const entry: AppendOutput = { format };
      const source = scalar(match.source);
      const rule = scalar(match.rule);
      if (source) entry.source = source;
      if (rule) entry.rule = rule;
      if (Array.isArray(match.tags)) entry.tags = match.tags.map((t) => scalar(t) ?? "");
      appendOutput.push(entry);
    }
  }

  const out: FalcoConfig = { rulesFiles: files, rules, appendOutput };
  const priority = scalar(config.priority);
  if (priority !== undefined) {
    if (!PRIORITIES.includes(priority.toLowerCase())) throw new FalcoConfigError(`Unknown priority "${priority}"--must be one of emergency, alert, critical, error, warning, notice, informational, debug`);
    out.priority = priority;
  }
  const matching = scalar(config.rule_matching);
  if (matching !== undefined) {
    if (matching !== "first" && matching !== "all") throw new FalcoConfigError(`Unknown rule matching strategy "${matching}"--must be one of first, all`);
    out.ruleMatching = matching;
  }
  return out;
}
