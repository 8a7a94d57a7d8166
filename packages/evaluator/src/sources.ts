/**
 * Field sources for the inputs replay understands besides captures: Kubernetes audit events
 * (the k8saudit plugin's `k8s_audit` source) and field-level fixtures.
 */
import type { FieldCatalog } from "@falcokit/fields";
import type { EventContext } from "@falcokit/scap";
import { compileCheck, parseOperator } from "./operators.js";
import { extractSyscallField, syscallCompareValues } from "./syscall/index.js";
import { extractAuditField, type AuditEvent } from "./k8saudit.js";
import type { Accessor, FieldRef, FieldSource, Predicate } from "./predicate.js";

/** Reads `ka.*`, `json.*`, `jevt.*` and the generic `evt.*` fields of audit events. */
export class AuditEventSource implements FieldSource<AuditEvent> {
  constructor(readonly catalog: FieldCatalog) {}

  accessor(field: FieldRef): Accessor<AuditEvent> {
    const { name, arg } = field;
    return (ev) => extractAuditField(ev, name, arg);
  }
}

/** Fields whose checks libs decides over several values (the parents, or both socket ends). */
const MULTI_VALUE_FIELDS = new Set(["proc.aname", "proc.aexe", "proc.aexepath", "proc.acmdline", "proc.apid", "proc.aenv", "fd.ip", "fd.port", "fd.proto", "fd.net"]);

/** Reads syscall fields from the state machine's event contexts (captures, syscall fixtures). */
export class SyscallEventSource implements FieldSource<EventContext> {
  constructor(readonly catalog: FieldCatalog) {}

  accessor(field: FieldRef): Accessor<EventContext> {
    const name = field.name;
    const arg = field.arg;
    return (ctx) => extractSyscallField(ctx, name, arg);
  }

  specialCheck(field: FieldRef, op: string, constants: readonly string[]): Predicate<EventContext> | undefined {
    if (!MULTI_VALUE_FIELDS.has(field.name)) return undefined;
    const { name, arg } = field;
    if (op === "exists") {
      return (ctx) => {
        const mv = syscallCompareValues(ctx, name, arg);
        return mv ? mv.exists : extractSyscallField(ctx, name, arg) !== undefined;
      };
    }
    // libs compares fd.ip without a value size (set membership never holds) and checks only
    // the first network of an `in` on fd.net.
    const options = name === "fd.ip" ? { unsizedValue: true } : {};
    const values = name === "fd.net" && parseOperator(op).op === "in" ? constants.slice(0, 1) : constants;
    const test = compileCheck(op, field.type, field.isList, values, options);
    const plain = compileCheck(op, field.type, field.isList, constants);
    const ne = parseOperator(op).op === "!=";
    return (ctx) => {
      const mv = syscallCompareValues(ctx, name, arg);
      if (!mv) {
        const v = extractSyscallField(ctx, name, arg);
        return v !== undefined && plain(v);
      }
      if (mv.values.length === 0) return false;
      if (ne && mv.neAll) {
        for (const v of mv.values) if (!test(v)) return false;
        return true;
      }
      for (const v of mv.values) if (test(v)) return true;
      return false;
    };
  }
}
