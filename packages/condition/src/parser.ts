import { CstParser, type CstNode, type IParserErrorMessageProvider, type IToken, type TokenType } from "chevrotain";
import * as T from "./lexer.js";
import { FIELD_TRANSFORMERS, OPERATORS } from "./ast.js";

/*
 * The condition grammar. Rule names follow libs' parser (parse_or, parse_and, parse_not,
 * parse_check, ...) so the two can be compared side by side. Error messages are libs' own
 * wording for the same failure point, so that the first error reads as Falco's would.
 */

const quoteList = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(", ");
const TRANSFORMERS_WITH_VAL = quoteList(["val", ...FIELD_TRANSFORMERS]);

export const MESSAGES = {
  orBlank: "expected blank or '(' after 'or'",
  andBlank: "expected blank or '(' after 'and'",
  closeParen: "expected a ')' token",
  check: "expected a '(' token, a field check, or an identifier",
  fieldArg: "expected a valid field argument: a quoted string or a bare string",
  closeBracket: "expected a ']' token",
  operator: `expected a valid check operator: one of ${quoteList(OPERATORS)}`,
  numValue: `expected a number value or a field with a valid transformer: ${TRANSFORMERS_WITH_VAL}`,
  strValue: `expected a string value or a field with a valid transformer: ${TRANSFORMERS_WITH_VAL}`,
  listValue: `expected a list, an identifier, or a field with a valid transformer: ${TRANSFORMERS_WITH_VAL}`,
  modifierList: "expected a list or an identifier",
  listItem: "expected a string value",
  valField: "expected a field within 'val' transformer",
  closeTransformer: "expected a ')' token closing the transformer",
  transformerArg: "expected field transformer argument: field, transformer, quoted string, number, or transformer list",
  transformerListArg: "expected transformer list argument: field, transformer, quoted string, or number",
  closeTransformerList: "expected ')'",
} as const;

/** Our messages are complete sentences; chevrotain's "Expecting…" wrappers are not used. */
const messageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected }) => `expected ${expected.name}`,
  buildNotAllInputParsedMessage: () => "unexpected token",
  buildNoViableAltMessage: ({ customUserDescription }) => customUserDescription ?? "unexpected token",
  buildEarlyExitMessage: ({ customUserDescription }) => customUserDescription ?? "unexpected token",
};

function adjacent(a: IToken, b: IToken): boolean {
  return !Number.isNaN(b.startOffset) && a.startOffset + a.image.length === b.startOffset;
}

class ConditionParser extends CstParser {
  constructor() {
    super(T.allTokens, {
      recoveryEnabled: true,
      nodeLocationTracking: "onlyOffset",
      errorMessageProvider: messageProvider,
      skipValidations: true,
      maxLookahead: 1,
    });
    this.performSelfAnalysis();
  }

  /** True when the next token directly follows the previous one, with no blank between. */
  private nextIsAdjacent(type?: TokenType): boolean {
    const prev = this.LA(0);
    const next = this.LA(1);
    return adjacent(prev, next) && (type === undefined || next.tokenType === type);
  }

  public filter = this.RULE("filter", () => {
    this.SUBRULE(this.orExpr);
  });

  public orExpr = this.RULE("orExpr", () => {
    this.SUBRULE(this.andExpr);
    this.MANY(() => {
      this.CONSUME(T.Or);
      this.SUBRULE(this.orOperand);
    });
  });

  /** After `or`: a blank then an and-expression, or directly `(` and a group. */
  public orOperand = this.RULE("orOperand", () => {
    this.OR({
      DEF: [
        { GATE: () => this.nextIsAdjacent(T.LParen), ALT: () => this.SUBRULE(this.group) },
        { GATE: () => !this.nextIsAdjacent(), ALT: () => this.SUBRULE(this.andExpr) },
      ],
      ERR_MSG: MESSAGES.orBlank,
      IGNORE_AMBIGUITIES: true,
    });
  });

  public andExpr = this.RULE("andExpr", () => {
    this.SUBRULE(this.notExpr);
    this.MANY(() => {
      this.CONSUME(T.And);
      this.SUBRULE(this.andOperand);
    });
  });

  public andOperand = this.RULE("andOperand", () => {
    this.OR({
      DEF: [
        { GATE: () => this.nextIsAdjacent(T.LParen), ALT: () => this.SUBRULE(this.group) },
        { GATE: () => !this.nextIsAdjacent(), ALT: () => this.SUBRULE(this.notExpr) },
      ],
      ERR_MSG: MESSAGES.andBlank,
      IGNORE_AMBIGUITIES: true,
    });
  });

  public notExpr = this.RULE("notExpr", () => {
    this.MANY(() => this.CONSUME(T.Not));
    this.OR({
      DEF: [
        {
          ALT: () => {
            this.CONSUME(T.NotParen);
            this.SUBRULE(this.groupRest);
          },
        },
        { ALT: () => this.SUBRULE(this.check) },
      ],
      ERR_MSG: MESSAGES.check,
    });
  });

  public group = this.RULE("group", () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.groupRest);
  });

  public groupRest = this.RULE("groupRest", () => {
    this.SUBRULE(this.orExpr);
    this.CONSUME(T.RParen, { ERR_MSG: MESSAGES.closeParen });
  });

  public check = this.RULE("check", () => {
    this.OR({
      DEF: [
        { ALT: () => this.SUBRULE(this.group) },
        {
          ALT: () => {
            this.SUBRULE(this.fieldOrTransformer);
            this.SUBRULE(this.condition);
          },
        },
        { ALT: () => this.CONSUME(T.Identifier) },
      ],
      ERR_MSG: MESSAGES.check,
    });
  });

  public fieldOrTransformer = this.RULE("fieldOrTransformer", () => {
    this.OR([{ ALT: () => this.SUBRULE(this.field) }, { ALT: () => this.SUBRULE(this.transformer) }]);
  });

  public field = this.RULE("field", () => {
    this.CONSUME(T.FieldName);
    this.OPTION({ GATE: () => this.nextIsAdjacent(T.LBracket), DEF: () => this.SUBRULE(this.fieldArg) });
  });

  public fieldArg = this.RULE("fieldArg", () => {
    this.CONSUME(T.LBracket);
    this.OR({
      DEF: [{ ALT: () => this.CONSUME(T.QuotedString) }, { ALT: () => this.CONSUME(T.ArgBare) }],
      ERR_MSG: MESSAGES.fieldArg,
    });
    this.CONSUME(T.RBracket, { ERR_MSG: MESSAGES.closeBracket });
  });

  public transformer = this.RULE("transformer", () => {
    this.CONSUME(T.TransformerOpen);
    this.SUBRULE(this.transformerArg);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.transformerArg);
    });
    this.CONSUME(T.TClose, { ERR_MSG: MESSAGES.closeTransformer });
    this.OPTION({ GATE: () => this.nextIsAdjacent(T.LBracket), DEF: () => this.SUBRULE(this.fieldArg) });
  });

  public transformerArg = this.RULE("transformerArg", () => {
    this.OR({
      DEF: [
        { ALT: () => this.CONSUME(T.NumberLiteral) },
        { ALT: () => this.CONSUME(T.QuotedString) },
        { ALT: () => this.SUBRULE(this.transformerList) },
        { ALT: () => this.SUBRULE(this.transformer) },
        { ALT: () => this.SUBRULE(this.field) },
      ],
      ERR_MSG: MESSAGES.transformerArg,
    });
  });

  public transformerList = this.RULE("transformerList", () => {
    this.CONSUME(T.TListOpen);
    this.OPTION(() => {
      this.SUBRULE(this.transformerListArg);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.transformerListArg);
      });
    });
    this.CONSUME(T.TListClose, { ERR_MSG: MESSAGES.closeTransformerList });
  });

  public transformerListArg = this.RULE("transformerListArg", () => {
    this.OR({
      DEF: [
        { ALT: () => this.SUBRULE(this.field) },
        { ALT: () => this.SUBRULE(this.transformer) },
        { ALT: () => this.CONSUME(T.QuotedString) },
        { ALT: () => this.CONSUME(T.NumberLiteral) },
      ],
      ERR_MSG: MESSAGES.transformerListArg,
    });
  });

  public condition = this.RULE("condition", () => {
    this.OR({
      DEF: [
        { ALT: () => this.CONSUME(T.Exists) },
        {
          ALT: () => {
            this.CONSUME(T.NumOp);
            this.SUBRULE(this.numValue);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.StrOp);
            this.SUBRULE(this.strValue);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.ListOp);
            this.SUBRULE(this.listValue);
          },
        },
      ],
      ERR_MSG: MESSAGES.operator,
    });
  });

  public numValue = this.RULE("numValue", () => {
    this.OR({
      DEF: [
        { ALT: () => this.SUBRULE(this.valTransformer) },
        { ALT: () => this.SUBRULE(this.transformer) },
        { ALT: () => this.CONSUME(T.NumberLiteral) },
      ],
      ERR_MSG: MESSAGES.numValue,
    });
  });

  public strValue = this.RULE("strValue", () => {
    this.OR({
      DEF: [
        {
          ALT: () => {
            this.CONSUME(T.Modifier);
            this.SUBRULE(this.modifierList);
          },
        },
        { ALT: () => this.SUBRULE(this.valTransformer) },
        { ALT: () => this.SUBRULE(this.transformer) },
        { ALT: () => this.CONSUME(T.QuotedString) },
        { ALT: () => this.CONSUME(T.BareString) },
      ],
      ERR_MSG: MESSAGES.strValue,
    });
  });

  public listValue = this.RULE("listValue", () => {
    this.OR({
      DEF: [
        { ALT: () => this.SUBRULE(this.list) },
        { ALT: () => this.SUBRULE(this.valTransformer) },
        { ALT: () => this.SUBRULE(this.transformer) },
        { ALT: () => this.CONSUME(T.ValueIdentifier) },
      ],
      ERR_MSG: MESSAGES.listValue,
    });
  });

  public modifierList = this.RULE("modifierList", () => {
    this.OR({
      DEF: [{ ALT: () => this.SUBRULE(this.list) }, { ALT: () => this.CONSUME(T.ValueIdentifier) }],
      ERR_MSG: MESSAGES.modifierList,
    });
  });

  public list = this.RULE("list", () => {
    this.CONSUME(T.ListOpen);
    this.OPTION(() => {
      this.SUBRULE(this.listItem);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.listItem);
      });
    });
    this.CONSUME(T.ListClose, { ERR_MSG: MESSAGES.closeParen });
  });

  public listItem = this.RULE("listItem", () => {
    this.OR({
      DEF: [{ ALT: () => this.CONSUME(T.QuotedString) }, { ALT: () => this.CONSUME(T.BareString) }],
      ERR_MSG: MESSAGES.listItem,
    });
  });

  public valTransformer = this.RULE("valTransformer", () => {
    this.CONSUME(T.ValOpen);
    this.CONSUME(T.FieldName, { ERR_MSG: MESSAGES.valField });
    this.OPTION({ GATE: () => this.nextIsAdjacent(T.LBracket), DEF: () => this.SUBRULE(this.fieldArg) });
    this.CONSUME(T.TClose, { ERR_MSG: MESSAGES.closeTransformer });
    this.OPTION2({ GATE: () => this.nextIsAdjacent(T.LBracket), DEF: () => this.SUBRULE2(this.fieldArg) });
  });
}

/** The one parser instance; chevrotain parsers are reusable by resetting their input. */
export const parserInstance = new ConditionParser();

export type { CstNode };
