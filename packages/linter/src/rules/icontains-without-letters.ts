import { nodesOf } from "@falcokit/condition";
import { conditionSites } from "../items.js";
import type { LintRule } from "../types.js";

const PLAIN = { icontains: "contains", iglob: "glob" } as const;

export const icontainsWithoutLetters: LintRule = {
  meta: {
    id: "icontains-without-letters",
    category: "performance",
    description: "An `icontains` or `iglob` check whose value has no letters: `contains` or `glob` matches the same without folding case.",
    severity: "info",
    fixable: true,
    recommended: false,
  },
  messages: {
    noLetters: "'{op}' with the value {value}, which has no letters: use '{plain}'",
  },
  defaultOptions: {},
  check(ctx) {
    for (const site of conditionSites(ctx)) {
      for (const n of nodesOf(site.ast)) {
        if (n.type !== "binary_check" || (n.op !== "icontains" && n.op !== "iglob") || n.right.type !== "value") continue;
        const value = n.right.value;
        // Only ASCII without letters: case folding leaves it as it is whatever the locale.
        if (value === "" || !/^[\x20-\x7e]*$/.test(value) || /[A-Za-z]/.test(value)) continue;
        const plain = PLAIN[n.op];
        const written = site.scalar.text.slice(n.right.range.start, n.right.range.end);
        const opRange = site.rangeOf(n.opRange);
        ctx.report({
          messageId: "noLetters",
          data: { op: n.op, value: written, plain },
          file: site.file,
          range: site.rangeOf(n),
          fix: { title: `Replace '${n.op}' with '${plain}'`, edits: [{ range: opRange, newText: plain }] },
        });
      }
    }
  },
};
