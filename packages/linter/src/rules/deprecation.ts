/** The deprecation rules (syntax and fields Falco still reads but is moving away from). */
import type { AnyLintRule } from "../types.js";
import { appendTrue } from "./append-true.js";
import { containerInfoOutput } from "./container-info-output.js";
import { deprecatedField } from "./deprecated-field.js";
import { engineVersionSemver } from "./engine-version-semver.js";
import { evtDirCheck } from "./evt-dir-check.js";
import { skipIfUnknownFilter } from "./skip-if-unknown-filter.js";

export const DEPRECATION: readonly AnyLintRule[] = [appendTrue, evtDirCheck, deprecatedField, engineVersionSemver, containerInfoOutput, skipIfUnknownFilter];
