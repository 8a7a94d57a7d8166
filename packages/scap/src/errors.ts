/**
 * The one error type the reader throws. Every problem found in the input (truncation, a corrupt
 * length, an impossible conversion...) is reported as a ScapError naming the absolute byte offset
 * in the (decompressed) stream and, when known, the block it happened in.
 */
export class ScapError extends Error {
  /** Absolute byte offset in the decompressed stream where the problem was found. */
  readonly offset: number;
  /** Name of the block type being read (e.g. "EV_V2", "PL_V9"), if any. */
  readonly block: string | undefined;
  /** Absolute byte offset of the start of that block, if any. */
  readonly blockOffset: number | undefined;
  /** The message without the location suffix. */
  readonly reason: string;

  constructor(reason: string, offset: number, block?: string, blockOffset?: number) {
    const where =
      block === undefined
        ? `at byte offset ${offset}`
        : `at byte offset ${offset}, in the ${block} block starting at byte offset ${blockOffset ?? offset}`;
    super(`${reason} (${where})`);
    this.name = "ScapError";
    this.offset = offset;
    this.block = block;
    this.blockOffset = blockOffset;
    this.reason = reason;
  }
}
