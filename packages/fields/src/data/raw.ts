/**
 * The compact shape field data is stored in. Each field is `[name, type, flags]`, where flags is
 * a space-separated set of words: `list`, `deprecated`, `hidden` (libs' EPF_TABLE_ONLY),
 * `print-only`, `filter-only`, `no-rhs`, `no-transformer`, `arg-required`, `arg-allowed`,
 * `arg-index`, `arg-key`.
 */
export type RawField = readonly [name: string, type: string, flags: string];

/** How libs turns a field name written in a filter into a field of a class. */
export type ResolveStrategy = "base" | "event" | "thread" | "fd" | "plugin";

/** A field class (libs' `filter_check_info`) in compact form. */
export interface RawFieldClass {
  name: string;
  shortDescription?: string;
  strategy: ResolveStrategy;
  /** The class is never listed (libs' FL_HIDDEN). */
  hidden?: boolean;
  fields: readonly RawField[];
}
