import type { CstElement, CstNode, IToken } from "chevrotain";
import type { OffsetRange } from "@falcokit/diagnostics";
import type {
  BinaryCheckExpr,
  CheckValue,
  ErrorExpr,
  Expr,
  FieldExpr,
  FieldLike,
  ListExpr,
  TransformerArg,
  TransformerExpr,
  TransformerListExpr,
  ValueExpr,
} from "./ast.js";
import { EscapeError, unescapeString, type UnescapeOptions } from "./escaping.js";
import { MESSAGES } from "./parser.js";

/** An error found while turning the concrete syntax tree into the AST. */
export interface BuildError {
  message: string;
  /** Where libs reports the error. */
  offset: number;
  /** The order in which libs would meet the error (a token start). */
  trigger: number;
  kind: "escape" | "syntax";
}

type Children = Record<string, CstElement[] | undefined>;

const isToken = (e: CstElement | undefined): e is IToken => e !== undefined && "tokenType" in e;
const isNode = (e: CstElement | undefined): e is CstNode => e !== undefined && "children" in e;
const real = (t: IToken | undefined): t is IToken => t !== undefined && !t.isInsertedInRecovery && !Number.isNaN(t.startOffset);

const NONE: never[] = [];
function tokens(children: Children, name: string): IToken[] {
  const list = children[name];
  if (list === undefined) return NONE;
  const out: IToken[] = [];
  for (const e of list) if (isToken(e) && real(e)) out.push(e);
  return out;
}
/** The CST nodes under `name` (a rule's children hold only nodes or only tokens per name). */
function nodes(children: Children, name: string): CstNode[] {
  return (children[name] as CstNode[] | undefined) ?? NONE;
}
function firstNode(children: Children, name: string): CstNode | undefined {
  const list = children[name];
  return list === undefined ? undefined : (list[0] as CstNode);
}
function firstToken(children: Children, name: string): IToken | undefined {
  const list = children[name];
  if (list === undefined) return undefined;
  for (const e of list) if (isToken(e) && real(e)) return e;
  return undefined;
}
/** The offset just past a token (chevrotain's offset-only tracking keeps no end offsets). */
export function tokenEnd(t: IToken): number {
  return t.startOffset + t.image.length;
}
function tokenRange(t: IToken): OffsetRange {
  return { start: t.startOffset, end: tokenEnd(t) };
}

const spans = new WeakMap<CstNode, { start: number; end: number }>();

/** The extent of the real tokens below a CST node (memoized: parents reuse their children's). */
function tokenSpan(n: CstNode): { start: number; end: number } {
  // chevrotain tracks node offsets (end inclusive); recovered nodes may lack them.
  if (n.recoveredNode !== true) {
    const loc = n.location;
    if (loc !== undefined) {
      const start = loc.startOffset;
      const end = loc.endOffset;
      if (start === start && end !== undefined && end === end) return { start, end: end + 1 };
    }
  }
  const known = spans.get(n);
  if (known) return known;
  let start = Infinity;
  let end = -Infinity;
  for (const list of Object.values(n.children)) {
    for (const e of list ?? []) {
      if (isToken(e)) {
        if (!real(e)) continue;
        if (e.startOffset < start) start = e.startOffset;
        if (tokenEnd(e) > end) end = tokenEnd(e);
      } else {
        const s = tokenSpan(e);
        if (s.start < start) start = s.start;
        if (s.end > end) end = s.end;
      }
    }
  }
  const span = { start, end };
  spans.set(n, span);
  return span;
}

/** The range covering every real token below a CST node, or an empty range at `fallback`. */
function nodeRange(node: CstNode, fallback: number): OffsetRange {
  const { start, end } = tokenSpan(node);
  return start === Infinity ? { start: fallback, end: fallback } : { start, end };
}

function span(parts: (OffsetRange | undefined)[], fallback: number): OffsetRange {
  let start = Infinity;
  let end = -Infinity;
  for (const p of parts) {
    if (!p) continue;
    start = Math.min(start, p.start);
    end = Math.max(end, p.end);
  }
  return start === Infinity ? { start: fallback, end: fallback } : { start, end };
}

/** Turns the CST of one condition into the typed AST, collecting escape errors. */
export class AstBuilder {
  readonly errors: BuildError[] = [];
  constructor(
    private readonly options: UnescapeOptions,
    /** Offset used for nodes that recovery left empty. */
    private readonly endOffset: number,
  ) {}

  private error(range: OffsetRange): ErrorExpr {
    return { type: "error", range };
  }

  /** The unescaped value of a quoted token, or undefined (with an error) when libs rejects it. */
  private quotedValue(t: IToken, report = true): string | undefined {
    try {
      return unescapeString(t.image, this.options);
    } catch (e) {
      if (!(e instanceof EscapeError)) throw e;
      if (report) this.errors.push({ message: e.message, offset: tokenEnd(t), trigger: t.startOffset, kind: "escape" });
      return undefined;
    }
  }

  private stringToken(t: IToken): ValueExpr {
    const quoted = t.image[0] === '"' || t.image[0] === "'";
    const value = quoted ? (this.quotedValue(t) ?? "") : t.image;
    return { type: "value", value, quoted, range: tokenRange(t) };
  }

  filter(node: CstNode): Expr {
    const or = firstNode(node.children, "orExpr");
    return or ? this.orExpr(or) : this.error({ start: 0, end: 0 });
  }

  orExpr(node: CstNode): Expr {
    const first = nodes(node.children, "andExpr").map((n) => this.andExpr(n));
    const rest = nodes(node.children, "orOperand").map((n) => this.operand(n, "andExpr"));
    const children = [...first, ...rest];
    if (children.length === 1) return children[0]!;
    if (children.length === 0) return this.error(nodeRange(node, this.endOffset));
    return { type: "or", children, range: nodeRange(node, this.endOffset) };
  }

  andExpr(node: CstNode): Expr {
    const first = nodes(node.children, "notExpr").map((n) => this.notExpr(n));
    const rest = nodes(node.children, "andOperand").map((n) => this.operand(n, "notExpr"));
    const children = [...first, ...rest];
    if (children.length === 1) return children[0]!;
    if (children.length === 0) return this.error(nodeRange(node, this.endOffset));
    return { type: "and", children, range: nodeRange(node, this.endOffset) };
  }

  private operand(node: CstNode, inner: "andExpr" | "notExpr"): Expr {
    const group = firstNode(node.children, "group");
    if (group) return this.group(group);
    const sub = nodes(node.children, inner)[0];
    if (sub) return inner === "andExpr" ? this.andExpr(sub) : this.notExpr(sub);
    return this.error(nodeRange(node, this.endOffset));
  }

  notExpr(node: CstNode): Expr {
    const nots = tokens(node.children, "Not");
    const notParen = firstToken(node.children, "NotParen");
    let negate = nots.length % 2 === 1;
    let child: Expr;
    const groupRest = firstNode(node.children, "groupRest");
    const check = firstNode(node.children, "check");
    if (notParen || groupRest) {
      negate = !negate;
      child = groupRest ? this.groupRest(groupRest) : this.error(nodeRange(node, this.endOffset));
    } else if (check) {
      child = this.check(check);
    } else {
      child = this.error(nodeRange(node, this.endOffset));
    }
    if (!negate) return child;
    return { type: "not", child, range: nodeRange(node, child.range.start) };
  }

  group(node: CstNode): Expr {
    const rest = firstNode(node.children, "groupRest");
    return rest ? this.groupRest(rest) : this.error(nodeRange(node, this.endOffset));
  }

  groupRest(node: CstNode): Expr {
    const or = firstNode(node.children, "orExpr");
    return or ? this.orExpr(or) : this.error(nodeRange(node, this.endOffset));
  }

  check(node: CstNode): Expr {
    const group = firstNode(node.children, "group");
    if (group) return this.group(group);
    const ident = firstToken(node.children, "Identifier");
    if (ident) return { type: "identifier", name: ident.image, range: tokenRange(ident) };
    const lhsNode = firstNode(node.children, "fieldOrTransformer");
    const condNode = firstNode(node.children, "condition");
    const left: FieldLike | ErrorExpr = lhsNode ? this.fieldOrTransformer(lhsNode) : this.error(nodeRange(node, this.endOffset));
    if (!condNode) return this.brokenCheck(left);
    return this.condition(left, condNode);
  }

  private brokenCheck(left: FieldLike | ErrorExpr): BinaryCheckExpr {
    const at = left.range.end;
    return { type: "binary_check", left, op: "", opRange: { start: at, end: at }, right: this.error({ start: at, end: at }), range: left.range };
  }

  condition(left: FieldLike | ErrorExpr, node: CstNode): Expr {
    const c = node.children;
    const exists = firstToken(c, "Exists");
    if (exists) {
      return { type: "unary_check", left, op: "exists", opRange: tokenRange(exists), range: span([left.range, tokenRange(exists)], left.range.end) };
    }
    const opToken = firstToken(c, "NumOp") ?? firstToken(c, "StrOp") ?? firstToken(c, "ListOp");
    if (!opToken) return this.brokenCheck(left);
    let op = opToken.image;
    let opRange = tokenRange(opToken);
    let right: CheckValue;
    const num = firstNode(c, "numValue");
    const str = firstNode(c, "strValue");
    const lst = firstNode(c, "listValue");
    if (num) right = this.numValue(num);
    else if (lst) right = this.listValue(lst);
    else if (str) {
      const modifier = firstToken(str.children, "Modifier");
      if (modifier) {
        op = `${op} ${modifier.image}`;
        opRange = { start: opRange.start, end: tokenEnd(modifier) };
      }
      right = this.strValue(str);
    } else right = this.error({ start: opRange.end, end: opRange.end });
    return { type: "binary_check", left, op, opRange, right, range: span([left.range, opRange, right.range], left.range.end) };
  }

  fieldOrTransformer(node: CstNode): FieldLike | ErrorExpr {
    const field = firstNode(node.children, "field");
    if (field) return this.field(field);
    const transformer = firstNode(node.children, "transformer");
    if (transformer) return this.transformer(transformer);
    return this.error(nodeRange(node, this.endOffset));
  }

  private fieldArg(node: CstNode | undefined): { arg?: string; argRange?: OffsetRange; end?: number } {
    if (!node) return {};
    const quoted = firstToken(node.children, "QuotedString");
    const bare = firstToken(node.children, "ArgBare");
    const close = firstToken(node.children, "RBracket");
    const t = quoted ?? bare;
    const end = close ? tokenEnd(close) : t ? tokenEnd(t) : undefined;
    if (!t) return { end };
    const arg = quoted ? (this.quotedValue(quoted) ?? "") : t.image;
    return { arg, argRange: tokenRange(t), end };
  }

  field(node: CstNode): FieldExpr | ErrorExpr {
    const name = firstToken(node.children, "FieldName");
    if (!name) return this.error(nodeRange(node, this.endOffset));
    const { arg, argRange, end } = this.fieldArg(firstNode(node.children, "fieldArg"));
    const nameRange = tokenRange(name);
    const f: FieldExpr = { type: "field", name: name.image, nameRange, range: { start: nameRange.start, end: end ?? nameRange.end } };
    if (arg !== undefined) {
      f.arg = arg;
      f.argRange = argRange!;
    }
    return f;
  }

  transformer(node: CstNode): TransformerExpr | ErrorExpr {
    const open = firstToken(node.children, "TransformerOpen");
    if (!open) return this.error(nodeRange(node, this.endOffset));
    const values = nodes(node.children, "transformerArg").map((n) => this.transformerArg(n));
    return this.finishTransformer(open, values, node);
  }

  private finishTransformer(open: IToken, values: TransformerArg[], node: CstNode): TransformerExpr {
    const close = firstToken(node.children, "TClose");
    const argNodes = nodes(node.children, "fieldArg");
    // valTransformer may hold a field argument inside and one after the `)`.
    const outer = close ? argNodes.find((a) => nodeRange(a, 0).start > close.startOffset) : undefined;
    const { arg, argRange, end } = this.fieldArg(outer);
    const nameRange = { start: open.startOffset, end: tokenEnd(open) - 1 };
    const last = end ?? (close ? tokenEnd(close) : span(values.map((v) => v.range), tokenEnd(open)).end);
    const t: TransformerExpr = {
      type: "field_transformer",
      transformer: open.image.slice(0, -1),
      values,
      nameRange,
      range: { start: open.startOffset, end: Math.max(last, tokenEnd(open)) },
    };
    if (arg !== undefined) {
      t.arg = arg;
      t.argRange = argRange!;
    }
    return t;
  }

  transformerArg(node: CstNode): TransformerArg {
    const c = node.children;
    const num = firstToken(c, "NumberLiteral");
    if (num) return { type: "value", value: num.image, quoted: false, range: tokenRange(num) };
    const q = firstToken(c, "QuotedString");
    if (q) return this.stringToken(q);
    const tl = firstNode(c, "transformerList");
    if (tl) return this.transformerList(tl);
    const tr = firstNode(c, "transformer");
    if (tr) return this.transformer(tr);
    const f = firstNode(c, "field");
    if (f) return this.field(f);
    return this.error(nodeRange(node, this.endOffset));
  }

  transformerList(node: CstNode): TransformerListExpr {
    const children = nodes(node.children, "transformerListArg").map((n) => this.transformerArg(n));
    return { type: "transformer_list", children, range: nodeRange(node, this.endOffset) };
  }

  numValue(node: CstNode): CheckValue {
    const c = node.children;
    const num = firstToken(c, "NumberLiteral");
    if (num) return { type: "value", value: num.image, quoted: false, range: tokenRange(num) };
    return this.transformerValue(node);
  }

  strValue(node: CstNode): CheckValue {
    const c = node.children;
    const modList = firstNode(c, "modifierList");
    if (modList) return this.modifierList(modList);
    const q = firstToken(c, "QuotedString") ?? firstToken(c, "BareString");
    if (q) return this.stringToken(q);
    return this.transformerValue(node);
  }

  listValue(node: CstNode): CheckValue {
    const c = node.children;
    const list = firstNode(c, "list");
    if (list) return this.list(list);
    const id = firstToken(c, "ValueIdentifier");
    if (id) return { type: "value", value: id.image, quoted: false, range: tokenRange(id) };
    return this.transformerValue(node);
  }

  modifierList(node: CstNode): CheckValue {
    const list = firstNode(node.children, "list");
    if (list) return this.list(list);
    const id = firstToken(node.children, "ValueIdentifier");
    if (id) return { type: "value", value: id.image, quoted: false, range: tokenRange(id) };
    return this.error(nodeRange(node, this.endOffset));
  }

  private transformerValue(node: CstNode): CheckValue {
    const val = firstNode(node.children, "valTransformer");
    if (val) {
      const open = firstToken(val.children, "ValOpen");
      const name = firstToken(val.children, "FieldName");
      if (!open) return this.error(nodeRange(val, this.endOffset));
      const values: TransformerArg[] = [];
      if (name) {
        const inner = nodes(val.children, "fieldArg").find((a) => nodeRange(a, 0).start === tokenEnd(name));
        const { arg, argRange, end } = this.fieldArg(inner);
        const f: FieldExpr = { type: "field", name: name.image, nameRange: tokenRange(name), range: { start: name.startOffset, end: end ?? tokenEnd(name) } };
        if (arg !== undefined) {
          f.arg = arg;
          f.argRange = argRange!;
        }
        values.push(f);
      }
      return this.finishTransformer(open, values, val);
    }
    const tr = firstNode(node.children, "transformer");
    if (tr) return this.transformer(tr);
    return this.error(nodeRange(node, this.endOffset));
  }

  list(node: CstNode): ListExpr {
    const items = nodes(node.children, "listItem");
    const values: string[] = [];
    const valueRanges: OffsetRange[] = [];
    items.forEach((item, i) => {
      const t = firstToken(item.children, "QuotedString") ?? firstToken(item.children, "BareString");
      if (!t) return;
      const quoted = t.image[0] === '"' || t.image[0] === "'";
      if (quoted && i === 0) {
        // libs quirk: an escape error in the first item is swallowed and the list read as
        // empty; a following comma then fails with "expected a ')' token".
        const v = this.quotedValue(t, false);
        if (v === undefined) {
          const comma = firstToken(node.children, "Comma");
          if (comma) this.errors.push({ message: MESSAGES.closeParen, offset: comma.startOffset, trigger: comma.startOffset, kind: "syntax" });
          return;
        }
        values.push(v);
      } else {
        values.push(quoted ? (this.quotedValue(t) ?? "") : t.image);
      }
      valueRanges.push(tokenRange(t));
    });
    return { type: "list", values, valueRanges, range: nodeRange(node, this.endOffset) };
  }
}
