/**
 * Macro expansion as Falco's macro resolver does it: every identifier that names a known
 * macro is replaced by a copy of that macro's tree (expanded in turn), with reference loops
 * and unknown macros reported at the identifier.
 */
import type { Expr, IdentifierExpr, Node } from "@falcokit/condition";
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
      for (const c of kids(n)) stack.push(c);
    }
  }
}

function kids(n: Node): Node[] {
  switch (n.type) {
    case "and":
    case "or":
    case "transformer_list":
      return n.children;
    case "not":
      return [n.child];
    case "unary_check":
      return [n.left];
    case "binary_check":
      return [n.left, n.right];
    case "field_transformer":
      return n.values;
    default:
      return [];
  }
}

/** A deep copy that keeps ranges and node origins. */
function clone<T extends Node>(n: T, origins: NodeOrigins, fallback: TrackedText): T {
  const copy = JSON.parse(JSON.stringify(n)) as T;
  const walk = (src: Node, dst: Node) => {
    origins.set(dst, origins.get(src, fallback));
    const a = kids(src);
    const b = kids(dst);
    for (let i = 0; i < a.length; i++) walk(a[i]!, b[i]!);
  };
  walk(n, copy);
  return copy;
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
export function resolveMacros(ast: Expr, macros: ReadonlyMap<string, Expr | null>, origins: NodeOrigins, fallback: TrackedText): Resolution {
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
