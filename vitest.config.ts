import { readdirSync, existsSync } from "node:fs";
import { defineConfig } from "vitest/config";

// One vitest project per workspace package; sources are resolved through the
// "@falcokit/source" export condition so tests never need a prior build.
const packages = readdirSync(new URL("./packages", import.meta.url)).filter((name) =>
  existsSync(new URL(`./packages/${name}/package.json`, import.meta.url)),
);

export default defineConfig({
  test: {
    reporters: ["default", "./vitest.summary-reporter.ts"],
    projects: packages.map((name) => ({
      resolve: { conditions: ["@falcokit/source"] },
      ssr: { resolve: { conditions: ["@falcokit/source"] } },
      test: {
        name,
        root: `./packages/${name}`,
        include: ["src/**/*.test.ts", "test/**/*.test.ts"],
        testTimeout: 60_000,
      },
    })),
  },
});
