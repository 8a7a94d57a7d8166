import type { IToken } from "chevrotain";
import type { OffsetRange } from "@falcokit/diagnostics";
import type { FieldExpr, FieldLike, TransformerExpr } from "./ast.js";
import { AstBuilder, tokenEnd } from "./build.js";
import { unescapeString } from "./escaping.js";
import * as T from "./lexer.js";
import { parserInstance } from "./parser.js";
import type { ParseOptions } from "./parse.js";

/** A piece of an output string: literal text, or a `%field` / `%transformer(...)` reference. */
export type OutputToken =
  | { type: "text"; text: string; range: OffsetRange }
  | { type: "field"; width?: number; expr: FieldLike; range: OffsetRange };

export interface OutputParseResult {
  tokens: OutputToken[];
  errors: { message: string; offset: number; range: OffsetRange }[];
}

const FIELD_NAME = /[A-Za-z]+[A-Za-z0-9_]*(?:\.[A-Za-z]+[A-Za-z0-9_]*)+/y;
const ARG_BARE = /[^\][\"' \t\n\v\f\r]+/y;
const TRANSFORMER = /(?:tolower|toupper|b64|basename|len|join|concat|getopt)\(/y;
const UNKNOWN = "unknown filter: unexpected token after '";

/** Reads a quoted string at `at` as libs lexes it; returns its end (exclusive) or -1. */
function quotedEnd(text: string, at: number): number {
  const delim = text[at];
  if (delim !== '"' && delim !== "'") return -1;
  let prev = "\\";
  for (let i = at; i < text.length; i++) {
    if (i > at && text[i] === delim && prev !== "\\") return i + 1;
    prev = text[i]!;
  }
  return -1;
}

function readField(text: string, at: number, options: ParseOptions): FieldExpr | undefined {
  FIELD_NAME.lastIndex = at;
  const m = FIELD_NAME.exec(text);
  if (!m) return undefined;
  const nameRange = { start: at, end: at + m[0].length };
  const field: FieldExpr = { type: "field", name: m[0], nameRange, range: { ...nameRange } };
  if (text[nameRange.end] !== "[") return field;
  // A broken argument makes libs fall back to the longest prefix that works: the bare name.
  const argStart = nameRange.end + 1;
  let argEnd = quotedEnd(text, argStart);
  let arg: string | undefined;
  if (argEnd > 0) {
    try {
      arg = unescapeString(text.slice(argStart, argEnd), options);
    } catch {
      return field;
    }
  } else {
    ARG_BARE.lastIndex = argStart;
    const bare = ARG_BARE.exec(text);
    if (!bare) return field;
    arg = bare[0];
    argEnd = argStart + bare[0].length;
  }
  if (text[argEnd] !== "]") return field;
  field.arg = arg;
  field.argRange = { start: argStart, end: argEnd };
  field.range = { start: at, end: argEnd + 1 };
  return field;
}

function readTransformer(text: string, at: number, options: ParseOptions): TransformerExpr | undefined {
  const lexed = T.conditionLexer.tokenize(text.slice(at));
  // The transformer ends where its parentheses balance (plus an adjacent `[arg]`).
  let depth = 0;
  let end = -1;
  const toks: IToken[] = [];
  for (const t of lexed.tokens) {
    toks.push(t);
    if (t.tokenType === T.LhsTransformerOpen || t.tokenType === T.NestedTransformerOpen || t.tokenType === T.TListOpen) depth++;
    else if (t.tokenType === T.TClose || t.tokenType === T.TListClose) {
      if (--depth === 0) {
        end = toks.length;
        break;
      }
    }
  }
  if (end < 0) return undefined;
  const after = lexed.tokens[end];
  if (after?.tokenType === T.LBracket && after.startOffset === tokenEnd(toks[end - 1]!)) {
    const rest = lexed.tokens.slice(end, end + 3);
    if (rest.length === 3 && rest[2]!.tokenType === T.RBracket) toks.push(...rest);
  }
  const shifted = toks.map((t) => ({ ...t, startOffset: t.startOffset + at }));
  parserInstance.input = shifted;
  const cst = parserInstance.fieldOrTransformer();
  if (parserInstance.errors.length > 0) return undefined;
  const builder = new AstBuilder(options, at);
  const expr = builder.fieldOrTransformer(cst);
  if (builder.errors.length > 0 || expr.type !== "field_transformer") return undefined;
  return expr;
}

/**
 * Splits a rule output into literal text and field references, as libs' event formatter
 * does, and reports libs' formatting syntax errors. Whether each field exists is not
 * checked here (that needs a field catalog); a field token is the longest field name.
 */
export function parseOutput(text: string, options: ParseOptions = {}): OutputParseResult {
  const tokens: OutputToken[] = [];
  const errors: OutputParseResult["errors"] = [];
  let literalStart = 0;
  let i = 0;
  const flush = (end: number) => {
    if (end > literalStart) tokens.push({ type: "text", text: text.slice(literalStart, end), range: { start: literalStart, end } });
  };
  while (i < text.length) {
    if (text[i] !== "%") {
      i++;
      continue;
    }
    flush(i);
    const start = i;
    if (i === text.length - 1) {
      errors.push({ message: "invalid formatting syntax: formatting cannot end with a %", offset: i, range: { start: i, end: i + 1 } });
      literalStart = text.length;
      break;
    }
    let j = i + 1;
    let width: number | undefined;
    if (/[0-9]/.test(text[j]!)) {
      while (j < text.length && /[0-9]/.test(text[j]!)) j++;
      if (j === text.length) {
        errors.push({ message: "invalid formatting syntax: formatting cannot end with a number", offset: start, range: { start, end: j } });
        literalStart = text.length;
        break;
      }
      width = parseInt(text.slice(i + 1, j), 10);
    }
    TRANSFORMER.lastIndex = j;
    const expr: FieldLike | undefined = TRANSFORMER.test(text) ? readTransformer(text, j, options) : readField(text, j, options);
    if (!expr) {
      const wordEnd = j + (/^[^\s%]*/.exec(text.slice(j))?.[0].length ?? 0);
      errors.push({ message: UNKNOWN, offset: start, range: { start, end: Math.max(wordEnd, j) } });
      i = Math.max(wordEnd, j);
      literalStart = i;
      continue;
    }
    const token: OutputToken = { type: "field", expr, range: { start, end: expr.range.end } };
    if (width !== undefined) token.width = width;
    tokens.push(token);
    i = expr.range.end;
    literalStart = i;
  }
  flush(text.length);
  return { tokens, errors };
}
