// Bundles the compiled CLI (dist/main.js and every workspace package and dependency it
// imports) into one ES module, dist/falcokit.mjs, which bin/falcokit.js loads. Node 20 has no
// ESM compile cache, and loading the several hundred small modules of the dependencies took
// half a second of every run; one file loads in a tenth of that.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
await build({
  entryPoints: [root + "dist/main.js"],
  outfile: root + "dist/falcokit.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Dependencies published as CommonJS call require(); give the bundle one.
  banner: { js: "import { createRequire as __falcokitRequire } from 'node:module'; const require = __falcokitRequire(import.meta.url);" },
  legalComments: "linked",
  logLevel: "warning",
});
