/**
 * @falcokit/test-runner: rule unit tests. Reads `*.test.yaml` files, replays their inputs
 * against the rules as Falco would, checks which rules fire, explains failures and measures
 * coverage. Pure: the host given to `runTestFile` reads the files.
 */
export { parseTestFile } from "./test-file.js";
export type { TestSuite, TestCase, TestInput, FireExpectation, TestFileProblem, Position } from "./test-file.js";
export { testFileSchema } from "./schema.js";
export { runTestFile } from "./runner.js";
export type { TestHost, RunOptions, SuiteResult, TestResult, Failure, ExplainRecord, EventAlert } from "./runner.js";
export { prettyReport, jsonReport, junitReport, totals, explainText } from "./report.js";
export type { Totals } from "./report.js";
export { inputKind, forEachEvent, Rulesets } from "./events.js";
export type { InputKind, TestEvent, InputProblem } from "./events.js";
export { memoryHost } from "./memory-host.js";
