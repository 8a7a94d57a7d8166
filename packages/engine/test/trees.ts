import { parseCondition, type Expr } from "@falcokit/condition";
import { eventTypesOf, type EventTypeOptions, type EventTypeSet } from "../src/event-types.js";

/** The tree of a condition that must parse. */
export function parse(text: string): Expr {
  const { ast, errors } = parseCondition(text);
  if (!ast || errors.length) throw new Error(`cannot parse ${JSON.stringify(text)}: ${errors[0]?.message}`);
  return ast;
}

/** The event types of a condition whose event-type search must succeed. */
export function types(text: string, options?: EventTypeOptions, source = "syscall"): EventTypeSet {
  const r = eventTypesOf(parse(text), source, options);
  if (!r.ok) throw new Error(`${text}: ${r.message}`);
  return r;
}
