import { nodesOf } from "@falcokit/condition";
import { conditionSites } from "../items.js";
import type { LintRule } from "../types.js";

const IP_NAME_FIELDS = new Set(["fd.cip.name", "fd.sip.name", "fd.lip.name", "fd.rip.name"]);
/** What libs' domain comparison handles; any other operator throws while events are evaluated. */
const SUPPORTED = new Set(["=", "==", "!=", "in", "exists"]);

export const ipNameOperator: LintRule = {
  meta: {
    id: "ip-name-operator",
    category: "correctness",
    description: "An `fd.*ip.name` field compared with an operator other than `=`, `!=`, `in` or `exists`: Falco stops with a filter error on the first event that reaches the check.",
    severity: "error",
    fixable: false,
    recommended: true,
  },
  messages: {
    unsupported: "'{field} {op}': libs resolves {field} only for =, != and in, and throws 'fd.*ip.name filter only supports '=' and '!=' operators' at run time, which stops Falco",
  },
  defaultOptions: {},
  check(ctx) {
    for (const site of conditionSites(ctx)) {
      for (const n of nodesOf(site.ast)) {
        if ((n.type !== "binary_check" && n.type !== "unary_check") || n.left.type !== "field" || !IP_NAME_FIELDS.has(n.left.name)) continue;
        if (SUPPORTED.has(n.op)) continue;
        ctx.report({ messageId: "unsupported", data: { field: n.left.name, op: n.op }, file: site.file, range: site.rangeOf(n) });
      }
    }
  },
};
