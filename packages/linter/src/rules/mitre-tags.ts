import type { LintRule } from "../types.js";

/** The 14 ATT&CK Enterprise tactics, spelled as upstream's tags spell them. */
export const MITRE_TACTICS = new Set([
  "mitre_reconnaissance",
  "mitre_resource_development",
  "mitre_initial_access",
  "mitre_execution",
  "mitre_persistence",
  "mitre_privilege_escalation",
  "mitre_defense_evasion",
  "mitre_credential_access",
  "mitre_discovery",
  "mitre_lateral_movement",
  "mitre_collection",
  "mitre_command_and_control",
  "mitre_exfiltration",
  "mitre_impact",
]);

const TECHNIQUE = /^T\d{4}(\.\d{3})?$/;
const TECHNIQUE_LIKE = /^t\d+([./]\d+)?$/i;

export const mitreTags: LintRule = {
  meta: {
    id: "mitre-tags",
    category: "style",
    description: "A tag that looks like a MITRE ATT&CK tag but is malformed: `mitre_` with an unknown tactic, or a technique id not written `T<4 digits>[.<3 digits>]`.",
    severity: "warning",
    fixable: true,
    recommended: false,
  },
  messages: {
    tactic: "'{tag}' is not a MITRE ATT&CK tactic tag (mitre_execution, mitre_persistence, ...)",
    tacticSpelling: "tactic tag '{tag}' should be written '{fixed}'",
    technique: "'{tag}' is not a MITRE ATT&CK technique id: write T<4 digits>, or T<4 digits>.<3 digits> for a sub-technique",
    techniqueSpelling: "technique id '{tag}' should be written '{fixed}'",
  },
  defaultOptions: {},
  check(ctx) {
    for (const f of ctx.files) {
      for (const item of f.model.items) {
        if (item.kind !== "rule" || !item.tags) continue;
        for (const t of item.tags.items) {
          const tag = t.text;
          const edit = (fixed: string) => (t.style === "plain" && t.raw === tag ? { fix: { title: `Write '${fixed}'`, edits: [{ range: t.range, newText: fixed }] } } : {});
          if (/^mitre[_\- ]/i.test(tag)) {
            if (MITRE_TACTICS.has(tag)) continue;
            const fixed = "mitre_" + tag.slice(6).toLowerCase().replace(/[-\s]+/g, "_");
            if (MITRE_TACTICS.has(fixed)) ctx.report({ messageId: "tacticSpelling", data: { tag, fixed }, file: f.name, range: t.range, ...edit(fixed) });
            else ctx.report({ messageId: "tactic", data: { tag }, file: f.name, range: t.range });
          } else if (TECHNIQUE_LIKE.test(tag) && !TECHNIQUE.test(tag)) {
            const fixed = tag.toUpperCase().replace("/", ".");
            if (TECHNIQUE.test(fixed)) ctx.report({ messageId: "techniqueSpelling", data: { tag, fixed }, file: f.name, range: t.range, ...edit(fixed) });
            else ctx.report({ messageId: "technique", data: { tag }, file: f.name, range: t.range });
          }
        }
      }
    }
  },
};
