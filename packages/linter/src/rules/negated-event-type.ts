import { type Expr, type Node } from "@falcokit/condition";
import { conditionSites } from "../items.js";
import type { LintRule } from "../types.js";

const EVT_TYPE_FIELDS = new Set(["evt.type", "syscall.type"]);

interface Options {
  /** Reports rules with more event codes than this (Falco's LOAD_NO_EVTTYPE threshold is 100). */
  threshold: number;
}

/** The `evt.type` checks of a condition that exclude event types (under an odd number of `not`s, or `!=`). */
function negatedChecks(ast: Expr): Node[] {
  const out: Node[] = [];
  const walk = (n: Expr, negated: boolean): void => {
    switch (n.type) {
      case "and":
      case "or":
        for (const c of n.children) walk(c, negated);
        return;
      case "not":
        walk(n.child, !negated);
        return;
      case "binary_check":
        if (n.left.type !== "field" || !EVT_TYPE_FIELDS.has(n.left.name)) return;
        if (n.op === "!=" ? !negated : negated && (n.op === "=" || n.op === "==" || n.op === "in")) out.push(n);
        return;
      default:
        return;
    }
  };
  walk(ast, false);
  return out;
}

export const negatedEventType: LintRule<Options> = {
  meta: {
    id: "negated-event-type",
    category: "performance",
    description: "A syscall rule whose event types come only from excluding some (`evt.type != x`, `not evt.type in (...)`): it runs on nearly every event.",
    severity: "warning",
    fixable: false,
    recommended: true,
  },
  messages: {
    negated: "rule '{rule}' excludes event types instead of naming them: it is evaluated for {count} event types; name the event types it is about (evt.type in (...))",
  },
  defaultOptions: { threshold: 100 },
  check(ctx) {
    const sites = conditionSites(ctx);
    for (const r of ctx.load.compiled?.rules ?? []) {
      const set = r.eventSet;
      if (!set.syscall || set.eventCodes.length <= ctx.options.threshold) continue;
      if (negatedChecks(r.ast).length === 0) continue;
      // Point at the exclusions in the rule's own text; when they come from a macro, at the condition.
      const own = sites.filter((s) => s.item.kind === "rule" && s.name === r.info.name).flatMap((s) => negatedChecks(s.ast).map((n) => ({ file: s.file, range: s.rangeOf(n) })));
      const at = own[0] ?? { file: r.info.condWhere.file, range: r.info.condWhere.range };
      ctx.report({ messageId: "negated", data: { rule: r.info.name, count: set.eventCodes.length }, file: at.file, range: at.range, related: own.slice(1).map((o) => ({ message: "also excluded here", ...o })) });
    }
  },
};
