// The example of docs/cli/test.md ("In a TypeScript test suite"), run as written there.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { expectAlerts } from "../src/vitest.js";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));

it("the docs example of expectAlerts is the code in docs/cli/test.md, and passes", () => {
  const doc = readFileSync(`${REPO}docs/cli/test.md`, "utf8");
  const code = /```ts\n([\s\S]*?)```/.exec(doc)![1]!;
  // The body of the example's `it`, evaluated with the real expectAlerts and the repository's files.
  const body = /it\("[^"]+", \(\) => \{\n([\s\S]*?)\n\}\);/.exec(code)![1]!;
  const readFileSyncFromRepo = (p: string, enc: "utf8") => readFileSync(`${REPO}${p}`, enc);
  const fn = new Function("expectAlerts", "readFileSync", body) as (e: typeof expectAlerts, r: typeof readFileSyncFromRepo) => void;
  expect(() => fn(expectAlerts, readFileSyncFromRepo)).not.toThrow();
  // And it can fail: the same events outside a production namespace.
  const failing = body.replace('"k8s.ns.name": "checkout"', '"k8s.ns.name": "sandbox"');
  expect(failing).not.toBe(body);
  const bad = new Function("expectAlerts", "readFileSync", failing) as typeof fn;
  expect(() => bad(expectAlerts, readFileSyncFromRepo)).toThrow(/expected 'ACME Shell Spawned in Production Container' to fire/);
});
