/**
 * Exceptions become text appended to the rule's condition, with Falco's exact shape and
 * quoting (values are quoted only when they hold a space and are not quoted already).
 */
import { LoadError } from "./problems.js";
import type { ExceptionInfo } from "./collector.js";
import { quoteItem } from "./lists.js";
import { TrackedText } from "./tracked.js";

const LIST_OPERATORS = new Set(["in", "intersects", "pmatch"]);
const MODIFIER = /^(?:==|=|!=|glob|iglob|contains|icontains|bcontains|startswith|bstartswith|endswith|regex) (?:oneof|anyof|allof)$/;

/** An operator that takes a list on its right: `in`, `intersects`, `pmatch` or a modifier form. */
export function isListOperator(op: string): boolean {
  return LIST_OPERATORS.has(op) || isModifierOperator(op);
}

export function isModifierOperator(op: string): boolean {
  return MODIFIER.test(op);
}

const paren = (s: string) => (s[0] === "(" ? s : `(${s})`);

/** The text `and not (...)` of one exception, or "" when it has no values. */
function exceptionText(ex: ExceptionInfo, fields: Set<string>): string {
  if (!ex.fields.isList) {
    let icond = "";
    for (const val of ex.values) {
      if (val.isList) throw new LoadError("LOAD_ERR_VALIDATE", "Expected values array to contain a list of strings", ex.where);
      icond += icond === "" ? `(${ex.fields.item} ${ex.comps.item} (` : ", ";
      fields.add(ex.fields.item);
      icond += quoteItem(val.item);
    }
    return icond === "" ? "" : icond + "))";
  }
  let icond = "(";
  for (const values of ex.values) {
    if (ex.fields.items.length !== values.items.length) {
      throw new LoadError("LOAD_ERR_VALIDATE", "Fields and values lists must have equal length", ex.where);
    }
    icond += icond === "(" ? "" : " or ";
    icond += "(";
    ex.fields.items.forEach((field, k) => {
      icond += k === 0 ? "" : " and ";
      const v = values.items[k]!;
      let istr: string;
      if (v.isList) istr = `(${v.items.map((x) => quoteItem(x.item)).join(", ")})`;
      else istr = isListOperator(ex.comps.items[k]!) ? paren(v.item) : quoteItem(v.item);
      icond += ` ${field} ${ex.comps.items[k]} ${istr}`;
      fields.add(field);
    });
    icond += ")";
  }
  icond += ")";
  return icond === "()" ? "" : icond;
}

/**
 * Wraps the condition in parentheses and appends ` and not (…)` for every exception with
 * values. The exception text is attributed to the exception's definition.
 */
export function applyExceptions(condition: TrackedText, exceptions: readonly ExceptionInfo[], fields: Set<string>): TrackedText {
  const first = condition.locate({ start: 0, end: 0 });
  const open = first ? TrackedText.synthetic("(", first.file, { start: first.range.start, end: first.range.start }) : TrackedText.empty().concat("(");
  let text = open.concat(condition, ")");
  for (const ex of exceptions) {
    const icond = exceptionText(ex, fields);
    if (icond !== "") text = text.concat(TrackedText.synthetic(" and not " + icond, ex.where.file, ex.where.range));
  }
  return text;
}
