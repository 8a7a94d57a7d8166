/**
 * Syntax checks of the conditions and outputs of a rules file, with every problem placed in
 * the file: condition errors keep libs' wording and Falco's location chain, and point at the
 * exact characters through the scalar offset maps.
 */
import { libsPosition, parseCondition, parseOutput, type ConditionError } from "@falcokit/condition";
import { LineIndex, type Diagnostic, type FalcoLocation, type OffsetRange } from "@falcokit/diagnostics";
import { ItemType, ROOT_CTX, falcoMark } from "./context.js";
import type { MacroItem, RuleItem, RulesFile, ScalarValue } from "./types.js";

/** Text Falco puts before an appended condition: the earlier definition and a space. */
const APPEND_PREFIX = "a ";

function isAppend(item: RuleItem | MacroItem): boolean {
  return item.append?.value === true || item.override?.ops.get("condition") === "append";
}

/** Whether Falco wraps the rule's condition in parentheses to append exceptions to it. */
function hasExceptionValues(item: RuleItem): boolean {
  return (item.exceptions?.items ?? []).some((e) => (e.values?.items.length ?? 0) > 0);
}

/** Falco's label for a condition position: the condition's first 17 characters, quoted. */
function conditionLabel(condition: string): string {
  const short = condition.length > 20 ? `${condition.slice(0, 17)}..."` : `${condition}"`;
  return `"${short}`.replace(/[\r\n]/g, " ");
}

/** Falco's chain down to a rule or macro: `rules content` then `rule 'x'` at the item's mark. */
function itemLocations(file: RulesFile, item: RuleItem | MacroItem): FalcoLocation[] {
  const name = item.name?.text ?? "";
  const type = item.kind === "rule" ? ItemType.RULE : ItemType.MACRO;
  return ROOT_CTX.child(type, name, falcoMark(file.text, item.node, item.range.start)).locations();
}

function conditionDiagnostic(
  file: RulesFile,
  index: LineIndex,
  item: RuleItem | MacroItem,
  condition: ScalarValue,
  error: ConditionError,
  parsed: { text: string; shift: number },
): Diagnostic {
  const text = condition.text;
  // An error at the very end points just past the last non-blank character rather than past
  // the line break a block scalar ends with.
  const end = text.trimEnd().length;
  const local = (o: number) => Math.min(end, Math.max(0, o - parsed.shift));
  const range: OffsetRange =
    error.range.end > error.range.start
      ? condition.toFileRange({ start: local(error.range.start), end: local(error.range.end) })
      : { start: condition.toFileOffset(local(error.offset)), end: condition.toFileOffset(local(error.offset)) };
  const mark = falcoMark(file.text, condition.node, condition.range.start);
  const markPos = index.positionAt(mark);
  const libs = libsPosition(parsed.text, error.offset);
  const condType = item.kind === "rule" ? ItemType.RULE_CONDITION : ItemType.MACRO_CONDITION;
  const locations: FalcoLocation[] = [
    ...itemLocations(file, item),
    { itemType: condType, itemName: "", offset: mark },
    {
      itemType: ItemType.CONDITION_EXPRESSION,
      itemName: "",
      offset: range.start,
      position: { name: conditionLabel(parsed.text), line: libs.line + markPos.line, column: libs.col + markPos.character, offset: libs.idx + mark },
      snippetText: parsed.text,
    },
  ];
  let message = error.message;
  if (parsed.shift === APPEND_PREFIX.length && error.offset === parsed.shift && message.startsWith(`unexpected token after 'a'`)) {
    message = "an appended condition must start with 'and' or 'or': it is joined to the earlier definition with a space";
  }
  const d: Diagnostic = {
    code: error.code,
    severity: "error",
    message,
    range,
    falco: { code: "LOAD_ERR_COMPILE_CONDITION", locations },
  };
  if (file.fileName !== undefined) d.file = file.fileName;
  return d;
}

/**
 * Parses every rule and macro condition of the file. Only the first error of each condition
 * is reported, as Falco does (later ones are often consequences).
 */
export function conditionDiagnostics(file: RulesFile): Diagnostic[] {
  const index = new LineIndex(file.text);
  const out: Diagnostic[] = [];
  for (const item of file.items) {
    if (item.kind !== "rule" && item.kind !== "macro") continue;
    const condition = item.condition;
    if (!condition || typeof condition.text !== "string") continue;
    let parsed = { text: condition.text, shift: 0 };
    if (isAppend(item)) parsed = { text: APPEND_PREFIX + condition.text, shift: APPEND_PREFIX.length };
    else if (item.kind === "rule" && hasExceptionValues(item)) parsed = { text: `(${condition.text})`, shift: 1 };
    const r = parseCondition(parsed.text);
    const first = r.errors[0];
    if (first) out.push(conditionDiagnostic(file, index, item, condition, first, parsed));
  }
  return out;
}

/** Checks the `%field` syntax of every rule output (field existence is the engine's job). */
export function outputDiagnostics(file: RulesFile): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const item of file.items) {
    if (item.kind !== "rule" || !item.output) continue;
    const output = item.output;
    // Falco trims the output before compiling it.
    const lead = output.text.length - output.text.trimStart().length;
    const trimmed = output.text.trim();
    const r = parseOutput(trimmed);
    const first = r.errors[0];
    if (!first) continue;
    const range = output.toFileRange({ start: first.range.start + lead, end: first.range.end + lead });
    const d: Diagnostic = {
      code: "output/syntax-error",
      severity: "error",
      message: first.message,
      range,
      falco: {
        code: "LOAD_ERR_COMPILE_OUTPUT",
        locations: [
          ...itemLocations(file, item),
          { itemType: ItemType.RULE_OUTPUT, itemName: "", offset: falcoMark(file.text, output.node, output.range.start) },
        ],
      },
    };
    if (file.fileName !== undefined) d.file = file.fileName;
    out.push(d);
  }
  return out;
}
