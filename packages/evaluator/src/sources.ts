/**
 * Field sources for the inputs replay understands besides captures: Kubernetes audit events
 * (the k8saudit plugin's `k8s_audit` source) and field-level fixtures.
 */
import type { FieldCatalog } from "@falcokit/fields";
import { extractAuditField, type AuditEvent } from "./k8saudit.js";
import type { Accessor, FieldRef, FieldSource } from "./predicate.js";

/** Reads `ka.*`, `json.*`, `jevt.*` and the generic `evt.*` fields of audit events. */
export class AuditEventSource implements FieldSource<AuditEvent> {
  constructor(readonly catalog: FieldCatalog) {}

  accessor(field: FieldRef): Accessor<AuditEvent> {
    const { name, arg } = field;
    return (ev) => extractAuditField(ev, name, arg);
  }
}
