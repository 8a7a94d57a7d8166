import { EOF, type IRecognitionException, type IToken } from "chevrotain";
import type { OffsetRange } from "@falcokit/diagnostics";
import type { Expr } from "./ast.js";
import { AstBuilder, tokenEnd } from "./build.js";
import type { UnescapeOptions } from "./escaping.js";
import { unescapeString } from "./escaping.js";
import * as T from "./lexer.js";
import { MESSAGES, parserInstance } from "./parser.js";

export interface ParseOptions extends UnescapeOptions {
  /**
   * Deepest nesting of parentheses and transformer calls accepted. libs 0.25.4 has no limit;
   * falcokit stops at this depth with `parse/too-deep` instead of exhausting the stack.
   */
  maxNesting?: number;
}

export type ConditionErrorCode = "parse/syntax-error" | "parse/bad-escape" | "parse/empty" | "parse/too-deep";

/** A problem in a condition. Offsets are into the condition text. */
export interface ConditionError {
  code: ConditionErrorCode;
  /** libs' wording where libs has one for the same failure. */
  message: string;
  /** Where libs reports the error (its parser position when it gave up). */
  offset: number;
  /** The offending text (empty at the end of input). */
  range: OffsetRange;
}

export interface ParseResult {
  /**
   * The tree. When there are errors it is still built as far as the parser got, with `error`
   * nodes where parts are missing; it is undefined only for empty or too-deep input.
   */
  ast: Expr | undefined;
  /** All problems, the one libs would report first at index 0. */
  errors: ConditionError[];
}

/**
 * Default nesting limit. libs master stops at a recursion depth of 1000, about 200 nested
 * parentheses; falcokit stops at the same point and never lets the JavaScript stack overflow.
 */
export const DEFAULT_MAX_NESTING = 200;

const openers = new Set([T.LParen, T.NotParen, T.TListOpen, T.ListOpenValue, T.LhsTransformerOpen, T.RhsTransformerOpen, T.NestedTransformerOpen, T.RhsValOpen]);
const closers = new Set([T.RParen, T.TClose, T.TListClose, T.ListClose]);


/** What libs holds as its "last token" after lexing `t` (quoted strings are unescaped). */
function libsImage(t: IToken, options: UnescapeOptions): string {
  if (t.tokenType === T.QuotedValue || t.tokenType === T.QuotedItem) {
    try {
      return unescapeString(t.image, options);
    } catch {
      return t.image;
    }
  }
  if (t.tokenType === T.LhsTransformerOpen || t.tokenType === T.RhsTransformerOpen || t.tokenType === T.NestedTransformerOpen || t.tokenType === T.RhsValOpen) {
    return t.image.slice(0, -1);
  }
  return t.image;
}

/**
 * Parses a Falco condition as libsinsp 0.25.4 does. Never throws: problems come back as
 * errors, and a partial tree is returned for editors.
 */
export function parseCondition(text: string, options: ParseOptions = {}): ParseResult {
  if (text.length === 0) {
    return { ast: undefined, errors: [{ code: "parse/empty", message: "filter input string is empty", offset: 0, range: { start: 0, end: 0 } }] };
  }
  const lexed = T.conditionLexer.tokenize(text);
  const tokens = lexed.tokens;
  // Offset-only lexing records no end offsets; the parser's node locations need them.
  for (const t of tokens) t.endOffset = t.startOffset + t.image.length - 1;

  const maxNesting = options.maxNesting ?? DEFAULT_MAX_NESTING;
  let depth = 0;
  for (const t of tokens) {
    if (openers.has(t.tokenType)) {
      if (++depth > maxNesting) {
        return { ast: undefined, errors: [tooDeep(`condition nests deeper than ${maxNesting} levels of parentheses and transformers`, t)] };
      }
    } else if (closers.has(t.tokenType) && depth > 0) depth--;
  }

  const parser = parserInstance;
  const builder = new AstBuilder(options, text.length);
  let ast: Expr;
  try {
    parser.input = tokens;
    ast = builder.filter(parser.filter());
  } catch (e) {
    // Only a stack overflow can escape (a caller deep in its own stack, a huge maxNesting).
    if (!(e instanceof RangeError)) throw e;
    parser.reset();
    return { ast: undefined, errors: [tooDeep("condition nests too deeply to parse", tokens[0]!)] };
  }

  type Pending = ConditionError & { trigger: number };
  const pending: Pending[] = [];
  for (const e of parser.errors) pending.push(syntaxError(e, tokens, text, options));
  for (const e of builder.errors) {
    pending.push({
      code: e.kind === "escape" ? "parse/bad-escape" : "parse/syntax-error",
      message: e.message,
      offset: e.offset,
      trigger: e.trigger,
      range: { start: e.kind === "escape" ? e.trigger : e.offset, end: e.kind === "escape" ? e.offset : e.offset + 1 },
    });
  }
  pending.sort((a, b) => a.trigger - b.trigger);
  const errors = pending.map(({ trigger: _t, ...e }) => e);
  return { ast, errors };
}

function tooDeep(message: string, at: IToken): ConditionError {
  return {
    code: "parse/too-deep",
    message,
    offset: at.startOffset,
    range: { start: at.startOffset, end: tokenEnd(at) },
  };
}

function syntaxError(e: IRecognitionException, tokens: IToken[], text: string, options: UnescapeOptions): ConditionError & { trigger: number } {
  const t = e.token;
  const atEnd = t.tokenType === EOF || Number.isNaN(t.startOffset);
  const offset = atEnd ? text.length : t.startOffset;
  let message = e.message;
  if (message === MESSAGES.andBlank || message === MESSAGES.orBlank) {
    // The operand alternatives are chosen by lookahead, so a blank followed by something that
    // cannot start an operand lands here too; libs then fails in parse_check instead.
    const idx = atEnd ? tokens.length : tokens.indexOf(t);
    const keyword = tokens[idx - 1];
    if (keyword && tokenEnd(keyword) < offset) message = MESSAGES.check;
  }
  if (e.name === "NotAllInputParsedException" || message.startsWith("expected ") === false || /^expected [A-Z]/.test(message)) {
    // Input left over after a complete expression (or a recovery re-sync): libs' wording.
    const idx = atEnd ? tokens.length : tokens.indexOf(t);
    const prev = idx > 0 ? tokens[idx - 1] : undefined;
    message = `unexpected token after '${prev ? libsImage(prev, options) : ""}', expecting 'or', 'and'`;
  }
  return { code: "parse/syntax-error", message, offset, trigger: offset, range: { start: offset, end: atEnd ? offset : tokenEnd(t) } };
}

/** libs' position for an offset: 0-based index, 1-based line and column; `\r` and `\n` each start a line. */
export function libsPosition(text: string, offset: number): { idx: number; line: number; col: number } {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text[i];
    col++;
    if (c === "\r" || c === "\n") {
      col = 1;
      line++;
    }
  }
  return { idx: offset, line, col };
}
