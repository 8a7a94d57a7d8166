import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SHARED } from "./shared.js";

/* The generated data modules are what their scripts produce from the inputs at hand. */

const script = (name: string) => fileURLToPath(new URL(`../scripts/${name}`, import.meta.url));
const run = (name: string, env: Record<string, string> = {}) =>
  execFileSync(process.execPath, [script(name), "--check"], { env: { ...process.env, FALCOKIT_SHARED: SHARED, ...env }, encoding: "utf8" });

describe("generated data", () => {
  it("syscall fields and event parameters match the shared corpus", () => {
    expect(() => run("gen-syscall-fields.mjs")).not.toThrow();
  });

  const plugins = process.env.PLUGINS_REPO ?? "/work/.mirror/falcosecurity+plugins/repo";
  it.skipIf(!existsSync(plugins))("plugin fields match the plugins' sources", () => {
    expect(() => run("gen-plugin-fields.mjs", { PLUGINS_REPO: plugins })).not.toThrow();
  });
});
