import { createToken, Lexer, type CustomPatternMatcherFunc, type IToken, type TokenType } from "chevrotain";

/*
 * The condition lexer. libsinsp's parser lexes on demand: what a run of characters means
 * depends on where the parser stands (after `=` almost anything is a bare string; in check
 * position `in` is a macro name; after a field it is an operator). Here that context lives
 * in lexer modes (one per kind of place a value can stand) plus a few custom matchers that
 * look at the previous token, so that every token boundary is the one libs would draw.
 *
 * Blanks are what libs' lex_blank skips: space, \t, \b, \r, \n (not \f or \v).
 */

const BLANK = " \t\b\r\n";
const isBlank = (c: string | undefined) => c !== undefined && BLANK.includes(c);
/** POSIX [[:space:]], used by libs' regular expressions (`not` + space, bare strings, args). */
const isPosixSpace = (c: string | undefined) => c !== undefined && " \t\n\v\f\r".includes(c);

// ---------------------------------------------------------------------------------------------
// Custom matchers

type Matcher = CustomPatternMatcherFunc;

function result(image: string): RegExpExecArray {
  const r = [image] as unknown as RegExpExecArray;
  return r;
}

/**
 * A quoted string as libs lexes it: it ends at the first delimiter not directly preceded by a
 * backslash. Escapes are checked later (see escaping.ts), as libs does after lexing.
 */
const matchQuoted: Matcher = (text, offset) => {
  const delim = text[offset];
  if (delim !== '"' && delim !== "'") return null;
  let prev = "\\";
  for (let i = offset; i < text.length; i++) {
    const c = text[i];
    if (i > offset && c === delim && prev !== "\\") return result(text.slice(offset, i + 1));
    prev = c!;
  }
  return null;
};

/** Token types after which a check is expected (the start of an operand). */
let operandContext: Set<TokenType>;
/** Token types that end the left side of a check (an operator may follow). */
let lhsEnders: Set<TokenType>;

function previous(tokens: IToken[]): IToken | undefined {
  return tokens[tokens.length - 1];
}

function inOperandPosition(tokens: IToken[]): boolean {
  const prev = previous(tokens);
  return prev === undefined || operandContext.has(prev.tokenType);
}

function afterLhs(tokens: IToken[]): boolean {
  const prev = previous(tokens);
  return prev !== undefined && lhsEnders.has(prev.tokenType);
}

function keyword(word: string): Matcher {
  // `and` / `or` match as prefixes after an operand (libs then demands a blank or `(`).
  return (text, offset, tokens) =>
    text.startsWith(word, offset) && !inOperandPosition(tokens) ? result(word) : null;
}

const matchNotBlank: Matcher = (text, offset, tokens) => {
  if (!text.startsWith("not", offset) || !inOperandPosition(tokens)) return null;
  let end = offset + 3;
  while (isPosixSpace(text[end])) end++;
  return end > offset + 3 ? result(text.slice(offset, end)) : null;
};

const matchNotParen: Matcher = (text, offset, tokens) =>
  text.startsWith("not(", offset) && inOperandPosition(tokens) ? result("not(") : null;

function operatorAfterLhs(ops: readonly string[], needsBlank: boolean): Matcher {
  return (text, offset, tokens) => {
    if (!afterLhs(tokens)) return null;
    for (const op of ops) {
      if (text.startsWith(op, offset) && (!needsBlank || isBlank(text[offset + op.length]))) return result(op);
    }
    return null;
  };
}

const IDENT_START = /[A-Za-z]/;
const ALNUM = /[A-Za-z0-9]/;

/**
 * A string operator modifier (`oneof`, `anyof`, `allof`). libs takes it as a modifier only
 * when: a blank separated it from a symbol operator, a blank follows it, then a list or an
 * identifier follows, and that identifier is not `and`, `or` or `not`.
 */
const matchModifier: Matcher = (text, offset, tokens) => {
  const op = previous(tokens);
  if (op === undefined || op.tokenType !== StrOp) return null;
  const hadBlank = /^[a-z]/.test(op.image) || op.startOffset + op.image.length < offset;
  if (!hadBlank) return null;
  const word = text.slice(offset, offset + 5);
  if (word !== "oneof" && word !== "anyof" && word !== "allof") return null;
  let p = offset + 5;
  if (!isBlank(text[p])) return null;
  while (isBlank(text[p])) p++;
  const c = text[p];
  if (c !== "(" && !(c !== undefined && IDENT_START.test(c))) return null;
  for (const kw of ["and", "or", "not"]) {
    if (text.startsWith(kw, p)) {
      const after = text[p + kw.length];
      if (after === undefined || !ALNUM.test(after)) return null;
    }
  }
  return result(word);
};

// ---------------------------------------------------------------------------------------------
// Token types

const lineBreaks = { line_breaks: true } as const;

export const Blank = createToken({ name: "Blank", pattern: /[ \t\b\r\n]+/, group: Lexer.SKIPPED, ...lineBreaks });

// Categories the parser consumes.
export const QuotedString = createToken({ name: "QuotedString", pattern: Lexer.NA });
export const BareString = createToken({ name: "BareString", pattern: Lexer.NA });
export const NumberLiteral = createToken({ name: "NumberLiteral", pattern: Lexer.NA });
export const TransformerOpen = createToken({ name: "TransformerOpen", pattern: Lexer.NA });
export const ValOpen = createToken({ name: "ValOpen", pattern: Lexer.NA });
export const ListOpen = createToken({ name: "ListOpen", pattern: Lexer.NA });
export const ValueIdentifier = createToken({ name: "ValueIdentifier", pattern: Lexer.NA });

// Boolean structure (mode "expr").
export const NotParen = createToken({ name: "NotParen", pattern: matchNotParen, start_chars_hint: ["n"], line_breaks: false });
export const Not = createToken({ name: "Not", pattern: matchNotBlank, start_chars_hint: ["n"], ...lineBreaks });
export const And = createToken({ name: "And", pattern: keyword("and"), start_chars_hint: ["a"], line_breaks: false });
export const Or = createToken({ name: "Or", pattern: keyword("or"), start_chars_hint: ["o"], line_breaks: false });
export const LParen = createToken({ name: "LParen", pattern: "(" });
export const RParen = createToken({ name: "RParen", pattern: ")" });

// Fields, identifiers, transformers.
export const FieldName = createToken({
  name: "FieldName",
  pattern: /[A-Za-z]+[A-Za-z0-9_]*(?:\.[A-Za-z]+[A-Za-z0-9_]*)+/,
});
const transformerPattern = /(?:tolower|toupper|b64|basename|len|join|concat|getopt)\(/;
export const LhsTransformerOpen = createToken({
  name: "LhsTransformerOpen",
  pattern: transformerPattern,
  categories: [TransformerOpen],
  push_mode: "targs",
});
export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z]+[A-Za-z0-9_]*/ });
export const LBracket = createToken({ name: "LBracket", pattern: "[", push_mode: "arg" });
export const RBracket = createToken({ name: "RBracket", pattern: "]", pop_mode: true });
export const ArgBare = createToken({ name: "ArgBare", pattern: /[^\][\"' \t\n\v\f\r]+/, ...lineBreaks });

// Operators (only right after the left side of a check).
export const Exists = createToken({
  name: "Exists",
  pattern: operatorAfterLhs(["exists"], false),
  start_chars_hint: ["e"],
  line_breaks: false,
});
export const NumOp = createToken({
  name: "NumOp",
  pattern: operatorAfterLhs(["<=", "<", ">=", ">"], false),
  start_chars_hint: ["<", ">"],
  line_breaks: false,
  push_mode: "num",
});
const symbolStrOps = operatorAfterLhs(["==", "=", "!="], false);
const wordStrOps = operatorAfterLhs(
  ["glob", "iglob", "contains", "icontains", "bcontains", "startswith", "bstartswith", "endswith", "regex"],
  true,
);
export const StrOp = createToken({
  name: "StrOp",
  pattern: (text, offset, tokens, groups) => symbolStrOps(text, offset, tokens, groups) ?? wordStrOps(text, offset, tokens, groups),
  start_chars_hint: ["=", "!", "g", "i", "c", "b", "s", "e", "r"],
  line_breaks: false,
  push_mode: "str",
});
export const ListOp = createToken({
  name: "ListOp",
  pattern: operatorAfterLhs(["intersects", "in", "pmatch"], false),
  start_chars_hint: ["i", "p"],
  line_breaks: false,
  push_mode: "listop",
});
export const Modifier = createToken({
  name: "Modifier",
  pattern: matchModifier,
  start_chars_hint: ["o", "a"],
  line_breaks: false,
  pop_mode: true,
  push_mode: "modlist",
});

// Values. "…Value" tokens end a value and leave the value mode; the others stay in their mode.
const quoted = { pattern: matchQuoted, start_chars_hint: ['"', "'"], line_breaks: true };
export const QuotedValue = createToken({ name: "QuotedValue", ...quoted, categories: [QuotedString], pop_mode: true });
export const QuotedItem = createToken({ name: "QuotedItem", ...quoted, categories: [QuotedString] });
const bareStr = /[^()"'=, \t\n\v\f\r]+/;
export const BareValue = createToken({ name: "BareValue", pattern: bareStr, categories: [BareString], pop_mode: true, ...lineBreaks });
export const BareItem = createToken({ name: "BareItem", pattern: bareStr, categories: [BareString], ...lineBreaks });
const hex = /0[xX][0-9a-fA-F]+/;
const num = /[+-]?[0-9]+\.?[0-9]*(?:[eE][+-][0-9]+)?/;
export const HexValue = createToken({ name: "HexValue", pattern: hex, categories: [NumberLiteral], pop_mode: true });
export const NumValue = createToken({ name: "NumValue", pattern: num, categories: [NumberLiteral], pop_mode: true });
export const HexItem = createToken({ name: "HexItem", pattern: hex, categories: [NumberLiteral] });
export const NumItem = createToken({ name: "NumItem", pattern: num, categories: [NumberLiteral] });
export const RhsTransformerOpen = createToken({
  name: "RhsTransformerOpen",
  pattern: transformerPattern,
  categories: [TransformerOpen],
  pop_mode: true,
  push_mode: "targs",
});
export const RhsValOpen = createToken({ name: "RhsValOpen", pattern: "val(", categories: [ValOpen], pop_mode: true, push_mode: "targs" });
export const IdentValue = createToken({
  name: "IdentValue",
  pattern: /[A-Za-z]+[A-Za-z0-9_]*/,
  categories: [ValueIdentifier],
  pop_mode: true,
});
export const ListOpenValue = createToken({ name: "ListOpenValue", pattern: "(", categories: [ListOpen], pop_mode: true, push_mode: "items" });
export const ListClose = createToken({ name: "ListClose", pattern: ")", pop_mode: true });
export const Comma = createToken({ name: "Comma", pattern: "," });

// Transformer arguments and transformer lists.
export const TClose = createToken({ name: "TClose", pattern: ")", pop_mode: true });
export const TListOpen = createToken({ name: "TListOpen", pattern: "(", push_mode: "tlist" });
export const TListClose = createToken({ name: "TListClose", pattern: ")", pop_mode: true });
export const NestedTransformerOpen = createToken({
  name: "NestedTransformerOpen",
  pattern: transformerPattern,
  categories: [TransformerOpen],
  push_mode: "targs",
});

/** Anything no other token accepts: one word or one character. The parser reports it. */
export const Garbage = createToken({ name: "Garbage", pattern: /[A-Za-z0-9_]+|[^ \t\b\r\n]/, ...lineBreaks });
/** Blanks where libs allows none (inside `[...]`): not skipped, so the parser reports them. */
export const StrayBlank = createToken({ name: "StrayBlank", pattern: /[ \t\b\r\n]+/, ...lineBreaks });

operandContext = new Set([LParen, NotParen, Not, And, Or]);
lhsEnders = new Set([FieldName, RBracket, TClose]);

export const lexerDefinition = {
  defaultMode: "expr",
  modes: {
    expr: [Blank, NotParen, Not, And, Or, LParen, RParen, Exists, NumOp, StrOp, ListOp, FieldName, LBracket, LhsTransformerOpen, Identifier, Garbage],
    arg: [QuotedItem, ArgBare, RBracket, StrayBlank, Garbage],
    str: [Blank, Modifier, RhsValOpen, RhsTransformerOpen, QuotedValue, BareValue, Garbage],
    num: [Blank, RhsValOpen, RhsTransformerOpen, HexValue, NumValue, Garbage],
    listop: [Blank, ListOpenValue, RhsValOpen, RhsTransformerOpen, IdentValue, Garbage],
    modlist: [Blank, ListOpenValue, IdentValue, Garbage],
    items: [Blank, QuotedItem, BareItem, Comma, ListClose, Garbage],
    targs: [Blank, HexItem, NumItem, QuotedItem, TListOpen, NestedTransformerOpen, FieldName, LBracket, Comma, TClose, Garbage],
    tlist: [Blank, FieldName, LBracket, NestedTransformerOpen, QuotedItem, HexItem, NumItem, Comma, TListClose, Garbage],
  },
};

export const allTokens: TokenType[] = [
  QuotedString,
  BareString,
  NumberLiteral,
  TransformerOpen,
  ValOpen,
  ListOpen,
  ValueIdentifier,
  ...new Set(Object.values(lexerDefinition.modes).flat()),
];

export const conditionLexer = new Lexer(lexerDefinition, {
  positionTracking: "onlyOffset",
  ensureOptimizations: false,
  skipValidations: true,
  recoveryEnabled: true,
});
