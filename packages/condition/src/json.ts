import type { OffsetRange } from "@falcokit/diagnostics";
import type { Node } from "./ast.js";
import { libsPosition } from "./parse.js";

/** The JSON shape of libs' AST, as in the conformance vectors: `{type, children | child | ...}`. */
export type LibsJson = { type: string; [key: string]: unknown };

export interface JsonOptions {
  /** Add `range: {start, end}` (offsets into the condition) to every node. */
  ranges?: boolean;
}

/** Converts an AST to libs' JSON shape; with `ranges`, each node also carries its range. */
export function toLibsJson(node: Node, options: JsonOptions = {}): LibsJson {
  const r = (range: OffsetRange) => (options.ranges ? { range: { start: range.start, end: range.end } } : {});
  const j = (n: Node) => toLibsJson(n, options);
  switch (node.type) {
    case "and":
    case "or":
      return { type: node.type, children: node.children.map(j), ...r(node.range) };
    case "not":
      return { type: "not", child: j(node.child), ...r(node.range) };
    case "identifier":
      return { type: "identifier", name: node.name, ...r(node.range) };
    case "unary_check":
      return { type: "unary_check", left: j(node.left), op: node.op, ...r(node.range) };
    case "binary_check":
      return { type: "binary_check", left: j(node.left), op: node.op, right: j(node.right), ...r(node.range) };
    case "field":
      return { type: "field", name: node.name, ...(node.arg !== undefined ? { arg: node.arg } : {}), ...r(node.range) };
    case "field_transformer":
      return {
        type: "field_transformer",
        transformer: node.transformer,
        values: node.values.map(j),
        ...(node.arg !== undefined ? { arg: node.arg } : {}),
        ...r(node.range),
      };
    case "transformer_list":
      return { type: "transformer_list", children: node.children.map(j), ...r(node.range) };
    case "value":
      return { type: "value", value: node.value, ...r(node.range) };
    case "list":
      return { type: "list", values: node.values, ...r(node.range) };
    case "error":
      return { type: "error", ...r(node.range) };
  }
}

const positionNames: Record<string, string> = { unary_check: "unary", binary_check: "binary", field_transformer: "transformer" };

/**
 * libs' position dump (pre-order `<kind><idx> <line> <col>`), reproducing where libs records
 * each node: its first character, except that an unparenthesized top-level `or` starts at 0
 * even after leading blanks, and items of a transformer list carry the list's position.
 */
export function libsPositions(text: string, root: Node): string {
  let out = "";
  const visit = (n: Node, at: number | undefined, isRoot: boolean) => {
    let offset = at ?? n.range.start;
    // The top-level parse_or records its position before skipping leading blanks; an `or`
    // that comes from a parenthesized group does not.
    if (isRoot && n.type === "or" && /^[ \t\b\r\n]*$/.test(text.slice(0, offset))) offset = 0;
    const p = libsPosition(text, offset);
    out += `${positionNames[n.type] ?? n.type}${p.idx} ${p.line} ${p.col}`;
    switch (n.type) {
      case "and":
      case "or":
        n.children.forEach((c) => visit(c, undefined, false));
        break;
      case "not":
        visit(n.child, undefined, false);
        break;
      case "unary_check":
        visit(n.left, undefined, false);
        break;
      case "binary_check":
        visit(n.left, undefined, false);
        visit(n.right, undefined, false);
        break;
      case "field_transformer":
        n.values.forEach((c) => visit(c, undefined, false));
        break;
      case "transformer_list":
        n.children.forEach((c) => visit(c, n.range.start, false));
        break;
    }
  };
  visit(root, undefined, true);
  return out;
}
