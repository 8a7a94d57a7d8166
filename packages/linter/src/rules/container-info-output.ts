import type { OffsetRange } from "@falcokit/diagnostics";
import { ruleItems } from "../items.js";
import type { LintRule } from "../types.js";

/** The text Falco 0.41+ removes from every output (a plain substring match, as Falco does). */
const TOKEN = "%container.info";

export const containerInfoOutput: LintRule = {
  meta: {
    id: "container-info-output",
    category: "deprecation",
    description: "`%container.info` in a rule output: Falco 0.41+ removes it and warns, since the container plugin adds the container fields itself.",
    severity: "warning",
    fixable: true,
    recommended: true,
  },
  messages: {
    deprecated: "'%container.info' is deprecated: Falco 0.41+ drops it from the output and the container plugin adds the container fields itself",
  },
  defaultOptions: {},
  check(ctx) {
    const texts = new Map(ctx.files.map((f) => [f.name, f.text]));
    for (const { file, item } of ruleItems(ctx)) {
      const out = item.output;
      if (!out) continue;
      const text = out.text;
      const fileText = texts.get(file)!;
      // Only where the decoded text is the source text (plain or block scalars), and not when
      // the output would be left empty.
      const fixable = (out.style === "plain" || out.style === "literal" || out.style === "folded") && text.replaceAll(TOKEN, "").trim() !== "";
      let lastEnd = -1;
      for (let i = text.indexOf(TOKEN); i >= 0; i = text.indexOf(TOKEN, i + TOKEN.length)) {
        const token = { start: i, end: i + TOKEN.length };
        let fix: { title: string; edits: { range: OffsetRange; newText: string }[] } | undefined;
        if (fixable) {
          const candidates: OffsetRange[] = [];
          if (text[token.end] === " ") candidates.push({ start: token.start, end: token.end + 1 });
          if (text[token.start - 1] === " ") candidates.push({ start: token.start - 1, end: token.end });
          candidates.push(token);
          // The first removal whose source characters are exactly the decoded ones.
          for (const c of candidates) {
            const r = out.toFileRange(c);
            if (r.start < lastEnd || fileText.slice(r.start, r.end) !== text.slice(c.start, c.end)) continue;
            // Alone on a line of a multi-line plain scalar: the whole line goes, not just the token.
            const lineStart = fileText.lastIndexOf("\n", r.start - 1);
            const nl = fileText.indexOf("\n", r.end);
            const alone = c === token && out.style === "plain" && lineStart > out.range.start && /^[ ]*$/.test(fileText.slice(lineStart + 1, r.start)) && /^[ ]*$/.test(fileText.slice(r.end, nl < 0 ? fileText.length : nl));
            const range = alone ? { start: lineStart, end: r.end } : r;
            fix = { title: "Remove %container.info", edits: [{ range, newText: "" }] };
            lastEnd = r.end;
            break;
          }
        }
        ctx.report({ messageId: "deprecated", file, range: out.toFileRange(token), ...(fix ? { fix } : {}) });
      }
    }
  },
};
