import type { Expr, Node, TransformerArg } from "./ast.js";
import { LIST_OPERATORS } from "./ast.js";
import { escapeString } from "./escaping.js";

/**
 * libs' `as_string`: the text Falco shows as a rule's compiled condition. `and`/`or` are
 * parenthesized, values go through libs' `escape_str`. Not always re-parseable (a value
 * holding `(` prints bare); use {@link printCondition} for text that must parse back.
 */
export function asString(node: Node): string {
  switch (node.type) {
    case "and":
    case "or":
      return `(${node.children.map(asString).join(` ${node.type} `)})`;
    case "not":
      return `not ${asString(node.child)}`;
    case "identifier":
      return node.name;
    case "value":
      return escapeString(node.value);
    case "list":
      return `(${node.values.map(escapeString).join(", ")})`;
    case "transformer_list":
      return `(${node.children.map(asString).join(",")})`;
    case "unary_check":
      return `${asString(node.left)} ${node.op}`;
    case "binary_check":
      return `${asString(node.left)} ${node.op} ${asString(node.right)}`;
    case "field":
      return node.name + libsArg(node.arg);
    case "field_transformer":
      return `${node.transformer}(${node.values.map(asString).join(",")})${libsArg(node.arg)}`;
    case "error":
      return "<error>";
  }
}

function libsArg(arg: string | undefined): string {
  if (arg === undefined) return "";
  return arg === "" ? '[""]' : `[${escapeString(arg)}]`;
}

// ---------------------------------------------------------------------------------------------
// Canonical, re-parseable printing

const BARE_VALUE = /^[^()"'=, \t\n\v\f\r]+$/;
const ARG_BARE = /^[^\][\"' \t\n\v\f\r]+$/;
const IDENT = /^[A-Za-z]+[A-Za-z0-9_]*$/;
const NUMBER = /^(?:0[xX][0-9a-fA-F]+|[+-]?[0-9]+\.?[0-9]*(?:[eE][+-][0-9]+)?)$/;
const MODIFIERS = new Set(["oneof", "anyof", "allof"]);

/** A double-quoted literal that libs reads back as exactly `value`. */
export function quote(value: string): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    switch (c) {
      case "\\":
        // libs ends a string at a quote not preceded by a backslash, so a final `\\` would
        // swallow the closing quote; `\ ` (backslash, space) also reads as one backslash.
        out += i === value.length - 1 ? "\\ " : "\\\\";
        break;
      case '"':
        out += '\\"';
        break;
      case "\b":
        out += "\\b";
        break;
      case "\f":
        out += "\\f";
        break;
      case "\n":
        out += "\\n";
        break;
      case "\r":
        out += "\\r";
        break;
      case "\t":
        out += "\\t";
        break;
      default:
        out += c;
    }
  }
  return `"${out}"`;
}

function stringValue(value: string): string {
  return BARE_VALUE.test(value) && !MODIFIERS.has(value) && !/[\b]/.test(value) ? value : quote(value);
}

function fieldArg(arg: string | undefined): string {
  if (arg === undefined) return "";
  return `[${ARG_BARE.test(arg) ? arg : quote(arg)}]`;
}

/**
 * Prints an AST as a condition that parses back to the same AST (ranges aside). `and`/`or`
 * groups are parenthesized where precedence or libs' n-ary grouping needs it.
 */
export function printCondition(expr: Expr): string {
  return printExpr(expr, "top");
}

type Context = "top" | "or" | "and" | "not";

function printExpr(e: Expr, ctx: Context): string {
  switch (e.type) {
    case "or": {
      const s = e.children.map((c) => printExpr(c, "or")).join(" or ");
      return ctx === "top" ? s : `(${s})`;
    }
    case "and": {
      const s = e.children.map((c) => printExpr(c, "and")).join(" and ");
      return ctx === "top" || ctx === "or" ? s : `(${s})`;
    }
    case "not":
      // libs folds a run of `not`s, so a double negation needs parentheses to survive.
      return e.child.type === "not" ? `not (${printExpr(e.child, "top")})` : `not ${printExpr(e.child, "not")}`;
    case "identifier":
      // A macro named `not` would read as the `not` keyword when a blank follows it.
      return e.name === "not" ? "(not)" : e.name;
    case "unary_check":
      return `${printOperand(e.left)} exists`;
    case "binary_check": {
      const base = e.op.split(" ")[0]!;
      return `${printOperand(e.left)} ${e.op} ${printRight(e.right, base, e.op.includes(" "))}`;
    }
    case "error":
      return "<error>";
  }
}

function printOperand(n: Node): string {
  switch (n.type) {
    case "field":
      return n.name + fieldArg(n.arg);
    case "field_transformer":
      return `${n.transformer}(${n.values.map(printTransformerArg).join(", ")})${fieldArg(n.arg)}`;
    default:
      return "<error>";
  }
}

function printTransformerArg(n: TransformerArg): string {
  switch (n.type) {
    case "value":
      return NUMBER.test(n.value) && !n.quoted ? n.value : quote(n.value);
    case "transformer_list":
      return `(${n.children.map(printTransformerArg).join(", ")})`;
    default:
      return printOperand(n);
  }
}

function printRight(n: Node, op: string, modifier: boolean): string {
  switch (n.type) {
    case "list":
      return `(${n.values.map(stringValue).join(", ")})`;
    case "value":
      if (modifier || (LIST_OPERATORS as readonly string[]).includes(op)) return n.value;
      if (op === "<" || op === "<=" || op === ">" || op === ">=") return n.value;
      return stringValue(n.value);
    case "field_transformer":
      return printOperand(n);
    default:
      return "<error>";
  }
}

/** Whether `name` can stand as a bare identifier (macro name, list-operator value). */
export function isIdentifier(name: string): boolean {
  return IDENT.test(name);
}
