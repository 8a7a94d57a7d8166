import { asString, libsPosition, parseCondition, toLibsJson, type ConditionError, type Node, nodesOf, childrenOf } from "@falcokit/condition";
import { EXIT, UsageError, type Io } from "../io.js";

export interface ParseArgs {
  condition?: string;
  stdin: boolean;
  format: "text" | "json";
}

function errorJson(text: string, e: ConditionError) {
  return { code: e.code, message: e.message, position: libsPosition(text, e.offset), range: e.range };
}

function tree(text: string, root: Node): string {
  const depth = new Map<Node, number>([[root, 0]]);
  let out = "";
  for (const n of nodesOf(root)) {
    const d = depth.get(n) ?? 0;
    for (const c of childrenOf(n)) depth.set(c, d + 1);
    let detail = "";
    switch (n.type) {
      case "identifier":
        detail = n.name;
        break;
      case "field":
        detail = n.name + (n.arg !== undefined ? `[${JSON.stringify(n.arg)}]` : "");
        break;
      case "field_transformer":
        detail = n.transformer + (n.arg !== undefined ? `[${JSON.stringify(n.arg)}]` : "");
        break;
      case "unary_check":
      case "binary_check":
        detail = n.op;
        break;
      case "value":
        detail = JSON.stringify(n.value);
        break;
      case "list":
        detail = JSON.stringify(n.values);
        break;
    }
    const p = libsPosition(text, n.range.start);
    out += `${"  ".repeat(d)}${n.type}${detail ? ` ${detail}` : ""}  (${p.line}:${p.col})\n`;
  }
  return out;
}

function caret(text: string, e: ConditionError): string {
  const p = libsPosition(text, e.offset);
  const lines = text.split(/\r\n|\r|\n/);
  const line = lines[p.line - 1] ?? "";
  return `${line}\n${" ".repeat(p.col - 1)}^\nerror: ${e.message} (line ${p.line}, column ${p.col}) [${e.code}]\n`;
}

/** `falcokit parse`: the AST of one condition, or of one condition per stdin line. */
export async function runParse(args: ParseArgs, io: Io): Promise<number> {
  if (args.stdin) {
    if (args.condition !== undefined) throw new UsageError("give a condition or --stdin, not both");
    const input = await io.readStdin();
    const lines = input.split("\n");
    if (lines.at(-1) === "") lines.pop();
    let failed = false;
    lines.forEach((raw, i) => {
      const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
      const r = parseCondition(text);
      if (r.errors.length > 0) {
        failed = true;
        io.stdout(JSON.stringify({ line: i + 1, error: errorJson(text, r.errors[0]!) }) + "\n");
      } else {
        io.stdout(JSON.stringify({ line: i + 1, ast: toLibsJson(r.ast!, { ranges: true }) }) + "\n");
      }
    });
    return failed ? EXIT.problems : EXIT.ok;
  }
  if (args.condition === undefined) throw new UsageError("parse needs a condition (or --stdin)");
  const text = args.condition;
  const r = parseCondition(text);
  if (args.format === "json") {
    if (r.errors.length > 0) io.stdout(JSON.stringify({ error: errorJson(text, r.errors[0]!) }, null, 2) + "\n");
    else io.stdout(JSON.stringify(toLibsJson(r.ast!, { ranges: true }), null, 2) + "\n");
  } else if (r.errors.length > 0) {
    io.stderr(caret(text, r.errors[0]!));
  } else {
    io.stdout(`${asString(r.ast!)}\n\n${tree(text, r.ast!)}`);
  }
  return r.errors.length > 0 ? EXIT.problems : EXIT.ok;
}
