import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The read-only material beside the repository (`../shared`). */
export const SHARED = fileURLToPath(new URL("../../../../shared/", import.meta.url));

export function readShared(path: string): string {
  return readFileSync(SHARED + path, "utf8");
}

export interface ParserCase {
  kind: string;
  condition: string | null;
  input?: string;
  expect_parse?: boolean;
  error_message?: string;
  end_pos?: { idx: number; line: number; col: number | string };
  expected_ast?: unknown;
  expect_as_string?: string;
  expect_positions?: string;
  expect_positions_contains?: string;
  expect_escape_str?: string;
  expect_roundtrip?: boolean;
  expect_unescape_str?: string;
  expect_error?: boolean;
  whitespace_variants_also_accepted?: boolean;
  "in_release_0.25.4": boolean;
  test: string;
}

export function parserCases(): ParserCase[] {
  return JSON.parse(readShared("conformance/filter-parser-cases.json")).cases as ParserCase[];
}
