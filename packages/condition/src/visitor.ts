import type { Node } from "./ast.js";

/** The direct children of a node, in source order. */
export function childrenOf(node: Node): Node[] {
  switch (node.type) {
    case "and":
    case "or":
    case "transformer_list":
      return node.children;
    case "not":
      return [node.child];
    case "unary_check":
      return [node.left];
    case "binary_check":
      return [node.left, node.right];
    case "field_transformer":
      return node.values;
    default:
      return [];
  }
}

export interface Visitor {
  /** Called before the children; return `false` to skip them. */
  enter?(node: Node, parent: Node | undefined): boolean | void;
  /** Called after the children. */
  leave?(node: Node, parent: Node | undefined): void;
}

/** Depth-first, pre-order walk with enter/leave callbacks. Iterative: deep trees are fine. */
export function walk(root: Node, visitor: Visitor): void {
  const stack: { node: Node; parent: Node | undefined; leaving: boolean }[] = [{ node: root, parent: undefined, leaving: false }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.leaving) {
      visitor.leave?.(frame.node, frame.parent);
      continue;
    }
    const descend = visitor.enter?.(frame.node, frame.parent) !== false;
    stack.push({ node: frame.node, parent: frame.parent, leaving: true });
    if (!descend) continue;
    const kids = childrenOf(frame.node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i]!, parent: frame.node, leaving: false });
  }
}

/** Every node of a tree in pre-order. */
export function nodesOf(root: Node): Node[] {
  const out: Node[] = [];
  walk(root, { enter: (n) => void out.push(n) });
  return out;
}
