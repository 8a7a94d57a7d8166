/**
 * Macro expansion as Falco's macro resolver does it: every identifier that names a known
 * macro is replaced by a copy of that macro's tree (expanded in turn), with reference loops
 * and unknown macros reported at the identifier.
 */
import { childrenOf, type Expr, type IdentifierExpr, type Node } from "@falcokit/condition";
import type { TrackedText } from "./tracked.js";

/** The text each node's range refers to (a rule's condition, or a macro's). */
export class NodeOrigins {
  private readonly map = new WeakMap<object, TrackedText>();

  set(node: object, text: TrackedText): void {
    this.map.set(node, text);
  }

  get(node: object, fallback: TrackedText): TrackedText {
    return this.map.get(node) ?? fallback;
  }

  /** Records `text` as the origin of every node of a freshly parsed tree. */
  adopt(root: Node, text: TrackedText): void {
    const stack: Node[] = [root];
    while (stack.length) {
      const n = stack.pop()!;
      this.map.set(n, text);
      for (const c of childrenOf(n)) stack.push(c);
    }
  }
}

/** Whether a tree holds no macro reference (nothing left to expand in it). */
function closed(n: Node, memo: WeakMap<Node, boolean>): boolean {
  const known = memo.get(n);
  if (known !== undefined) return known;
  let result: boolean;
  if (n.type === "identifier") result = false;
  else if (n.type === "and" || n.type === "or") result = n.children.every((c) => closed(c, memo));
  else if (n.type === "not") result = closed(n.child, memo);
  else result = true;
  memo.set(n, result);
  return result;
}

const closedTrees = new WeakMap<Node, boolean>();

/**
 * A copy of a macro's tree for splicing, keeping ranges and node origins. Only the boolean
 * structure that may still hold macro references is copied; checks are shared, since nothing
 * changes them after parsing.
 */
function clone<T extends Expr>(n: T, origins: NodeOrigins, fallback: TrackedText): T {
  if (closed(n, closedTrees)) return n;
  let copy: Expr;
  switch (n.type) {
    case "and":
    case "or":
      copy = { ...n, children: n.children.map((c) => clone(c, origins, fallback)) };
      break;
    case "not":
      copy = { ...n, child: clone(n.child, origins, fallback) };
      break;
    default:
      copy = { ...n };
  }
  origins.set(copy, origins.get(n, fallback));
  return copy as T;
}

export interface MacroRef {
  name: string;
  node: IdentifierExpr;
}

export interface Resolution {
  ast: Expr;
  errors: { message: string; node: IdentifierExpr }[];
  unknown: MacroRef[];
  resolved: string[];
}

/**
 * Expands macros in `ast`. `macros` maps a name to its tree, or to `null` for a macro that
 * exists but could not be parsed (left in place, neither resolved nor unknown).
 */
export function resolveMacros(ast: Expr, macros: Pick<ReadonlyMap<string, Expr | null>, "has" | "get">, origins: NodeOrigins, fallback: TrackedText): Resolution {
  const errors: Resolution["errors"] = [];
  const unknown: MacroRef[] = [];
  const resolved: string[] = [];
  const path: string[] = [];

  const visit = (e: Expr): Expr => {
    switch (e.type) {
      case "and":
      case "or":
        e.children = e.children.map(visit);
        return e;
      case "not":
        e.child = visit(e.child);
        return e;
      case "identifier": {
        if (!macros.has(e.name)) {
          unknown.push({ name: e.name, node: e });
          return e;
        }
        const macro = macros.get(e.name);
        if (macro === null || macro === undefined) return e;
        if (path.includes(e.name)) {
          errors.push({ message: `reference loop in macro '${e.name}'`, node: e });
          unknown.push({ name: e.name, node: e });
          return e;
        }
        path.push(e.name);
        const expanded = visit(clone(macro, origins, fallback));
        resolved.push(e.name);
        path.pop();
        return expanded;
      }
      default:
        return e;
    }
  };
  const out = visit(ast);
  return { ast: out, errors, unknown, resolved };
}
