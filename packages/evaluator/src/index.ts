export type { NetValue, Scalar, Extracted } from "./value.js";
