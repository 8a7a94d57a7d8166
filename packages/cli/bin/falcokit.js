#!/usr/bin/env node
// The bundle (dist/falcokit.mjs, built by scripts/bundle.mjs) starts much faster than the
// module tree it is made from; without it, the CLI runs from dist/main.js.
let main;
try {
  ({ main } = await import("../dist/falcokit.mjs"));
} catch (e) {
  if (e?.code !== "ERR_MODULE_NOT_FOUND") throw e;
  ({ main } = await import("../dist/main.js"));
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  // A bug, not a user error: say so in one line rather than with a stack trace.
  process.stderr.write(`falcokit: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.stderr.write("Please report it with the command and the input that caused it.\n");
  process.exitCode = 2;
}
