import { ruleItems } from "../items.js";
import type { LintRule } from "../types.js";

/** MITRE ATT&CK ids are written in upper case: techniques (`T1059`, `T1059.004`) and tactics (`TA0002`). */
const MITRE_ID = /^(T\d{4}(\.\d{3})?|TA\d{4})$/;
/** Tags mitre-tags checks (tactic tags, technique-like ids): not reported twice. */
const MITRE_LIKE = /^(mitre[_\- ]|t\d+([./]\d+)?$)/i;

export const tagFormat: LintRule = {
  meta: {
    id: "tag-format",
    category: "style",
    description: "A rule tag with upper-case letters or spaces (MITRE ATT&CK ids such as `T1059.004` and `TA0002` excepted): upstream's tags are lower case, words joined by `_`.",
    severity: "warning",
    fixable: false,
    recommended: false,
  },
  messages: {
    case: "tag '{tag}' has upper-case letters: tags are written in lower case ('{fixed}')",
    space: "tag '{tag}' contains spaces: join its words with '_' ('{fixed}')",
  },
  defaultOptions: {},
  check(ctx) {
    for (const { file, item } of ruleItems(ctx)) {
      for (const t of item.tags?.items ?? []) {
        const tag = t.text;
        if (MITRE_ID.test(tag) || MITRE_LIKE.test(tag)) continue;
        const spaced = /\s/.test(tag);
        if (!spaced && tag === tag.toLowerCase()) continue;
        const fixed = tag.trim().toLowerCase().replace(/\s+/g, "_");
        ctx.report({ messageId: spaced ? "space" : "case", data: { tag, fixed }, file, range: t.range });
      }
    }
  },
};
