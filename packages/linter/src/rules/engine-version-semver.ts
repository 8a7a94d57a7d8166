import { decodeUint32 } from "@falcokit/rules-model";
import type { LintRule } from "../types.js";

export const engineVersionSemver: LintRule = {
  meta: {
    id: "engine-version-semver",
    category: "deprecation",
    description: "`required_engine_version` written as a bare integer (the form before Falco 0.37): write the semver Falco reads it as (`2` is `0.2.0`).",
    severity: "info",
    fixable: true,
    recommended: true,
  },
  messages: {
    integer: "required_engine_version '{value}' is the pre-0.37 integer form: Falco reads it as '{semver}'",
  },
  defaultOptions: {},
  check(ctx) {
    for (const f of ctx.files) {
      for (const item of f.model.items) {
        if (item.kind !== "required_engine_version" || !item.version) continue;
        const v = item.version;
        // The engine reads an integer N as 0.N.0 (rules-model's reader, as libs' falco_engine).
        if (decodeUint32(v.text) === undefined) continue;
        const semver = `${v.value.major}.${v.value.minor}.${v.value.patch}`;
        ctx.report({
          messageId: "integer",
          data: { value: v.text.trim(), semver },
          file: f.name,
          range: v.range,
          fix: { title: `Write '${semver}'`, edits: [{ range: v.range, newText: semver }] },
        });
      }
    }
  },
};
