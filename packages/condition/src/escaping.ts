/**
 * libs' string escaping rules for condition values (libsinsp/filter/escaping.cpp semantics).
 */

export class EscapeError extends Error {}

export interface UnescapeOptions {
  /** Accept `\xHH` escapes (libs master; not in libs 0.25.4). */
  hexEscapes?: boolean;
}

/**
 * Decodes a quoted string token (delimiters included) the way libs does. Throws
 * {@link EscapeError} with libs' message for escapes libs rejects.
 */
export function unescapeString(quoted: string, options: UnescapeOptions = {}): string {
  const delim = quoted[0];
  let out = "";
  let escaped = false;
  const last = quoted.length - 1;
  for (let i = 1; i < last; i++) {
    const c = quoted[i]!;
    if (!escaped) {
      if (c === "\\") escaped = true;
      else out += c;
      continue;
    }
    escaped = false;
    switch (c) {
      case "b":
        out += "\b";
        break;
      case "f":
        out += "\f";
        break;
      case "n":
        out += "\n";
        break;
      case "r":
        out += "\r";
        break;
      case "t":
        out += "\t";
        break;
      case " ": // kept by libs for old rules: `\ ` is a backslash
      case "\\":
        out += "\\";
        break;
      case "/":
        out += "/";
        break;
      case '"':
        if (delim !== '"') throw new EscapeError(`invalid \\" escape in '-quoted string`);
        out += '"';
        break;
      case "'":
        if (delim !== "'") throw new EscapeError(`invalid \\' escape in "-quoted string`);
        out += "'";
        break;
      case "x":
        if (options.hexEscapes) {
          const hex = quoted.slice(i + 1, i + 3);
          if (i + 2 < last && /^[0-9a-fA-F]{2}$/.test(hex)) {
            out += String.fromCharCode(parseInt(hex, 16));
            i += 2;
            break;
          }
          throw new EscapeError(`invalid \\x escape: expected two hexadecimal digits`);
        }
        throw new EscapeError(`unsupported string escape sequence: \\x`);
      default:
        throw new EscapeError(`unsupported string escape sequence: \\${c}`);
    }
  }
  return out;
}

/**
 * libs' `escape_str`: wraps the value in double quotes when it holds a blank, `=`, `\`, a
 * quote or a control escape, escaping `\`, `"` and the control characters. This is what
 * Falco prints in compiled conditions; it is not always re-parseable (see `printCondition`).
 */
export function escapeString(value: string): string {
  let out = "";
  let quote = false;
  for (const c of value) {
    switch (c) {
      case "\b":
        out += "\\b";
        quote = true;
        break;
      case "\f":
        out += "\\f";
        quote = true;
        break;
      case "\n":
        out += "\\n";
        quote = true;
        break;
      case "\r":
        out += "\\r";
        quote = true;
        break;
      case "\t":
        out += "\\t";
        quote = true;
        break;
      case "\\":
        out += "\\\\";
        quote = true;
        break;
      case '"':
        out += '\\"';
        quote = true;
        break;
      case " ":
      case "=":
      case "'":
        out += c;
        quote = true;
        break;
      default:
        out += c;
    }
  }
  return quote ? `"${out}"` : out;
}
