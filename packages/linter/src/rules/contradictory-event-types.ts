import { nodesOf } from "@falcokit/condition";
import { conditionSites } from "../items.js";
import type { LintRule } from "../types.js";

const EVT_TYPE_FIELDS = new Set(["evt.type", "syscall.type"]);

export const contradictoryEventTypes: LintRule = {
  meta: {
    id: "contradictory-event-types",
    category: "correctness",
    description: "A syscall rule whose `evt.type` checks leave no event type at all: it can never match.",
    severity: "error",
    fixable: false,
    recommended: true,
  },
  messages: {
    empty: "rule '{rule}' matches no event type: its evt.type checks contradict each other, so it never fires",
  },
  defaultOptions: {},
  check(ctx) {
    const sites = conditionSites(ctx);
    for (const r of ctx.load.compiled?.rules ?? []) {
      const set = r.eventSet;
      // A plugin async event name (krsi_open...) counts as the event type `asyncevent`, as in libs.
      if (!set.syscall || set.eventCodes.length > 0) continue;
      // The evt.type checks of the rule's own definitions (appends included) as related places.
      const related = sites
        .filter((s) => s.item.kind === "rule" && s.name === r.info.name)
        .flatMap((s) =>
          nodesOf(s.ast)
            .filter((n) => (n.type === "binary_check" || n.type === "unary_check") && n.left.type === "field" && EVT_TYPE_FIELDS.has(n.left.name))
            .map((n) => ({ message: "event type check", file: s.file, range: s.rangeOf(n) })),
        );
      ctx.report({ messageId: "empty", data: { rule: r.info.name }, file: r.info.condWhere.file, range: r.info.condWhere.range, related });
    }
  },
};
