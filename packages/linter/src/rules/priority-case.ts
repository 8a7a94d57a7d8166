import { ruleItems } from "../items.js";
import type { OffsetRange } from "@falcokit/diagnostics";
import type { RuleItem } from "@falcokit/rules-model";
import type { LintRule } from "../types.js";

/** The spellings upstream writes: Falco's names in upper case (`INFO` for Informational). */
const CANONICAL = new Set(["EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFORMATIONAL", "INFO", "DEBUG"]);
/** Spellings Falco rejects that mean one of its priorities. */
const ABBREVIATIONS: Record<string, string> = { WARN: "WARNING", ERR: "ERROR", CRIT: "CRITICAL", EMERG: "EMERGENCY", INFORMATION: "INFO", DBG: "DEBUG", FATAL: "CRITICAL" };

/**
 * The priority word as written and its file range: from the model when Falco accepts it,
 * else (an invalid priority is not in the model) from the source of a one-word scalar.
 */
function priorityWord(source: string, item: RuleItem): { text: string; range: OffsetRange } | undefined {
  const entry = item.entries.find((e) => e.key === "priority");
  if (!entry) return undefined;
  const raw = source.slice(entry.valueRange.start, entry.valueRange.end);
  const m = /^(["']?)([A-Za-z]+)\1$/.exec(raw);
  if (!m) return undefined;
  const start = entry.valueRange.start + m[1]!.length;
  return { text: m[2]!, range: { start, end: start + m[2]!.length } };
}

export const priorityCase: LintRule = {
  meta: {
    id: "priority-case",
    category: "style",
    description: "A rule's `priority` is written in upper case, as Falco documents it and upstream writes it (`WARNING`, not `warning` or `Warning`).",
    severity: "warning",
    fixable: true,
    recommended: false,
  },
  messages: {
    case: "priority '{priority}' should be written '{fixed}'",
    abbreviation: "Falco does not know priority '{priority}': did you mean '{fixed}'?",
  },
  defaultOptions: {},
  check(ctx) {
    for (const { file, item } of ruleItems(ctx)) {
      const found = priorityWord(ctx.files.find((f) => f.name === file)!.text, item);
      if (!found) continue;
      const { text, range } = found;
      if (CANONICAL.has(text)) continue;
      const upper = text.toUpperCase();
      const messageId = CANONICAL.has(upper) ? "case" : upper in ABBREVIATIONS ? "abbreviation" : undefined;
      if (!messageId) continue;
      const fixed = messageId === "case" ? upper : ABBREVIATIONS[upper]!;
      ctx.report({ messageId, data: { priority: text, fixed }, file, range, fix: { title: `Write '${fixed}'`, edits: [{ range, newText: fixed }] } });
    }
  },
};
