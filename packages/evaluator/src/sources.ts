/**
 * Field sources for the inputs replay understands besides captures: Kubernetes audit events
 * (the k8saudit plugin's `k8s_audit` source) and field-level fixtures.
 */
import type { FieldCatalog } from "@falcokit/fields";
import type { EventContext } from "@falcokit/scap";
import { compileCheck, parseOperator } from "./operators.js";
import { extractSyscallField, fdIpNameCheck, FD_IP_NAME_FIELDS, syscallCompareValues, type DnsTable, type SyscallExtractOptions } from "./syscall/index.js";
import { extractAuditField, type AuditEvent } from "./k8saudit.js";
import type { Accessor, FieldRef, FieldSource, Predicate } from "./predicate.js";
import type { Extracted } from "./value.js";

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

/** Options of `SyscallEventSource`. */
export interface SyscallSourceOptions extends SyscallExtractOptions {
  /**
   * The resolver of the machine that replays, which libs asks when `fd.cip.name`, `fd.sip.name`,
   * `fd.lip.name` or `fd.rip.name` is compared with a host name: each name and its addresses. For
   * events that bring no table of their own (a syscall fixture's events bring its `dns:`
   * section); empty by default, so names resolve to nothing. Never a real lookup.
   */
  dns?: DnsTable;
}

/** Reads syscall fields from the state machine's event contexts (captures, syscall fixtures). */
export class SyscallEventSource implements FieldSource<EventContext> {
  /** Per compilation (rule) and field: the extraction shared by its checks within an event. */
  private readonly sharedExtractions = new WeakMap<object, Map<string, (ctx: EventContext) => Extracted>>();

  constructor(
    readonly catalog: FieldCatalog,
    readonly options: SyscallSourceOptions = {},
  ) {}

  accessor(field: FieldRef): Accessor<EventContext> {
    const name = field.name;
    const arg = field.arg;
    const options = this.options;
    return (ctx) => extractSyscallField(ctx, name, arg, options);
  }

  specialCheck(field: FieldRef, op: string, constants: readonly string[], compilation?: object): Predicate<EventContext> | undefined {
    if (FD_IP_NAME_FIELDS.has(field.name)) {
      const checkOptions = this.options.dns ? { dns: this.options.dns } : {};
      return fdIpNameCheck(field.name, op, constants, { ...checkOptions, extract: this.sharedExtraction(compilation, field.name) });
    }
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

  /**
   * libs' extraction cache: within one rule's filter, every check of a field reads the value
   * extracted for the event by the first of them, whatever happened since (see syscall/dns.ts).
   */
  private sharedExtraction(compilation: object | undefined, name: string): (ctx: EventContext) => Extracted {
    const options = this.options;
    const plain = (ctx: EventContext): Extracted => extractSyscallField(ctx, name, undefined, options);
    if (!compilation) return plain;
    let byField = this.sharedExtractions.get(compilation);
    if (!byField) this.sharedExtractions.set(compilation, (byField = new Map()));
    let shared = byField.get(name);
    if (!shared) {
      let last: EventContext | undefined;
      let value: Extracted;
      shared = (ctx) => {
        if (ctx !== last) {
          last = ctx;
          value = plain(ctx);
        }
        return value;
      };
      byField.set(name, shared);
    }
    return shared;
  }
}
