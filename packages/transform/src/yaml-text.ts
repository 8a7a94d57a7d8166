/** Scalars for generated YAML that read back the same in the `yaml` package and in yaml-cpp. */
import { formatScalar } from "./yaml-scalar.js";

/** Plain when safe in that context, else double-quoted. */
export function yamlScalar(value: string, flow = true): string {
  return formatScalar(value, flow ? "flow" : "block", "plain", "double");
}

/** A flow sequence of scalars: `[a, "b c"]`. */
export function yamlFlowList(values: readonly string[]): string {
  return `[${values.map((v) => yamlScalar(v, true)).join(", ")}]`;
}
