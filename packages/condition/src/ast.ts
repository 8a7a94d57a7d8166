import type { OffsetRange } from "@falcokit/diagnostics";

/**
 * The condition AST. Node kinds and their keys follow libsinsp's AST (`type`, `children`,
 * `child`, `left`, `op`, `right`, `name`, `arg`, `transformer`, `values`, `value`), so the JSON
 * of a tree is the JSON libs' tests describe, plus `range` (offsets into the condition text).
 *
 * `error` nodes stand where the parser could not build a node; they exist only in trees of
 * conditions that have parse errors.
 */
export type Expr = AndExpr | OrExpr | NotExpr | IdentifierExpr | UnaryCheckExpr | BinaryCheckExpr | ErrorExpr;

/** What may stand on the left of a check, or as a transformer argument. */
export type FieldLike = FieldExpr | TransformerExpr;
/** What may stand on the right of a binary check. */
export type CheckValue = ValueExpr | ListExpr | TransformerExpr | ErrorExpr;
/** What may be an argument of a transformer. */
export type TransformerArg = FieldExpr | TransformerExpr | ValueExpr | TransformerListExpr | ErrorExpr;

export interface NodeBase {
  range: OffsetRange;
}

export interface AndExpr extends NodeBase {
  type: "and";
  children: Expr[];
}

export interface OrExpr extends NodeBase {
  type: "or";
  children: Expr[];
}

export interface NotExpr extends NodeBase {
  type: "not";
  child: Expr;
}

/** An undotted word in check position: a macro reference. */
export interface IdentifierExpr extends NodeBase {
  type: "identifier";
  name: string;
}

export interface UnaryCheckExpr extends NodeBase {
  type: "unary_check";
  left: FieldLike | ErrorExpr;
  op: "exists";
  opRange: OffsetRange;
}

export interface BinaryCheckExpr extends NodeBase {
  type: "binary_check";
  left: FieldLike | ErrorExpr;
  /** As written (`=` and `==` differ); with a modifier, `"<op> <modifier>"`. */
  op: string;
  opRange: OffsetRange;
  right: CheckValue;
}

export interface FieldExpr extends NodeBase {
  type: "field";
  name: string;
  /** The unescaped argument of `name[arg]`; absent when there are no brackets. */
  arg?: string;
  nameRange: OffsetRange;
  /** The range of the argument text inside the brackets (quotes included). */
  argRange?: OffsetRange;
}

export interface TransformerExpr extends NodeBase {
  type: "field_transformer";
  /** `tolower`, `toupper`, `b64`, `basename`, `len`, `join`, `concat`, `getopt`, or `val`. */
  transformer: string;
  values: TransformerArg[];
  arg?: string;
  nameRange: OffsetRange;
  argRange?: OffsetRange;
}

/** A transformer argument of the form `(a, b, ...)`. */
export interface TransformerListExpr extends NodeBase {
  type: "transformer_list";
  children: TransformerArg[];
}

export interface ValueExpr extends NodeBase {
  type: "value";
  /** The value after unescaping (quotes removed). */
  value: string;
  /** True when the value was written as a quoted string. */
  quoted: boolean;
}

export interface ListExpr extends NodeBase {
  type: "list";
  values: string[];
  /** One range per value, in the same order. */
  valueRanges: OffsetRange[];
}

export interface ErrorExpr extends NodeBase {
  type: "error";
}

export type Node = Expr | FieldExpr | TransformerExpr | TransformerListExpr | ValueExpr | ListExpr;

/** Transformers allowed on the left side and as arguments, in libs' order. */
export const FIELD_TRANSFORMERS = ["tolower", "toupper", "b64", "basename", "len", "join", "concat", "getopt"] as const;

/** Every check operator, in libs' order (`supported_operators`). */
export const OPERATORS = [
  "exists",
  "<=",
  "<",
  ">=",
  ">",
  "==",
  "=",
  "!=",
  "glob",
  "iglob",
  "contains",
  "icontains",
  "bcontains",
  "startswith",
  "bstartswith",
  "endswith",
  "regex",
  "intersects",
  "in",
  "pmatch",
] as const;

export const LIST_OPERATORS = ["intersects", "in", "pmatch"] as const;
export const STRING_OPERATOR_MODIFIERS = ["oneof", "anyof", "allof"] as const;
