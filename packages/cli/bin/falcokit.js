#!/usr/bin/env node
import { main } from "../dist/main.js";

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  // A bug, not a user error: say so in one line rather than with a stack trace.
  process.stderr.write(`falcokit: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.stderr.write("Please report it with the command and the input that caused it.\n");
  process.exitCode = 2;
}
