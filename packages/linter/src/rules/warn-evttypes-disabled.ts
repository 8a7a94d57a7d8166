import { ruleItems } from "../items.js";
import type { LintRule } from "../types.js";

export const warnEvttypesDisabled: LintRule = {
  meta: {
    id: "warn-evttypes-disabled",
    category: "style",
    description: "`warn_evttypes: false` hides Falco's warning that a rule's condition has no event-type restriction (`LOAD_NO_EVTTYPE`): reported so a reviewer confirms it is intended.",
    severity: "info",
    fixable: false,
    recommended: false,
  },
  messages: {
    disabled: "rule '{rule}' sets warn_evttypes: false, hiding Falco's warning when its condition matches (almost) every event type: confirm it is intended",
  },
  defaultOptions: {},
  check(ctx) {
    for (const { file, item } of ruleItems(ctx)) {
      const w = item.warnEvttypes;
      if (!w || w.value !== false) continue;
      ctx.report({ messageId: "disabled", data: { rule: item.name?.text ?? "" }, file, range: w.range });
    }
  },
};
