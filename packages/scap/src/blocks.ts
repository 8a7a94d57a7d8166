// Block type ids of the scap savefile format (libs userspace/libscap/scap_savefile.h).

export const SHB_BLOCK_TYPE = 0x0a0d0d0a;
/** The SHB byte-order magic as read in the writer's byte order. */
export const SHB_MAGIC = 0x1a2b3c4d;
/** The SHB magic as it reads when the writer's byte order is the other one. */
export const SHB_MAGIC_SWAPPED = 0x4d3c2b1a;
export const CURRENT_MAJOR_VERSION = 1;

export const MI_BLOCK_TYPE = 0x201;
export const MI_BLOCK_TYPE_INT = 0x8002abcd;
export const PL_BLOCK_TYPE_V1 = 0x202;
export const PL_BLOCK_TYPE_V1_INT = 0x8000abcd;
export const PL_BLOCK_TYPE_V2 = 0x207;
export const PL_BLOCK_TYPE_V2_INT = 0x8013abcd;
export const PL_BLOCK_TYPE_V3 = 0x209;
export const PL_BLOCK_TYPE_V3_INT = 0x8014abcd;
export const PL_BLOCK_TYPE_V4 = 0x210;
export const PL_BLOCK_TYPE_V5 = 0x211;
export const PL_BLOCK_TYPE_V6 = 0x212;
export const PL_BLOCK_TYPE_V7 = 0x213;
export const PL_BLOCK_TYPE_V8 = 0x214;
export const PL_BLOCK_TYPE_V9 = 0x215;
export const FDL_BLOCK_TYPE = 0x203;
export const FDL_BLOCK_TYPE_INT = 0x8001abcd;
export const FDL_BLOCK_TYPE_V2 = 0x218;
export const EV_BLOCK_TYPE = 0x204;
export const EV_BLOCK_TYPE_INT = 0x8010abcd;
export const EV_BLOCK_TYPE_V2 = 0x216;
export const EV_BLOCK_TYPE_V2_LARGE = 0x221;
export const EVF_BLOCK_TYPE = 0x208;
export const EVF_BLOCK_TYPE_V2 = 0x217;
export const EVF_BLOCK_TYPE_V2_LARGE = 0x222;
export const IL_BLOCK_TYPE = 0x205;
export const IL_BLOCK_TYPE_INT = 0x8011abcd;
export const IL_BLOCK_TYPE_V2 = 0x219;
export const UL_BLOCK_TYPE = 0x206;
export const UL_BLOCK_TYPE_INT = 0x8012abcd;
export const UL_BLOCK_TYPE_V2 = 0x220;

const NAMES = new Map<number, string>([
  [SHB_BLOCK_TYPE, "SHB"],
  [MI_BLOCK_TYPE, "MI"],
  [MI_BLOCK_TYPE_INT, "MI_INT"],
  [PL_BLOCK_TYPE_V1, "PL_V1"],
  [PL_BLOCK_TYPE_V1_INT, "PL_V1_INT"],
  [PL_BLOCK_TYPE_V2, "PL_V2"],
  [PL_BLOCK_TYPE_V2_INT, "PL_V2_INT"],
  [PL_BLOCK_TYPE_V3, "PL_V3"],
  [PL_BLOCK_TYPE_V3_INT, "PL_V3_INT"],
  [PL_BLOCK_TYPE_V4, "PL_V4"],
  [PL_BLOCK_TYPE_V5, "PL_V5"],
  [PL_BLOCK_TYPE_V6, "PL_V6"],
  [PL_BLOCK_TYPE_V7, "PL_V7"],
  [PL_BLOCK_TYPE_V8, "PL_V8"],
  [PL_BLOCK_TYPE_V9, "PL_V9"],
  [FDL_BLOCK_TYPE, "FDL"],
  [FDL_BLOCK_TYPE_INT, "FDL_INT"],
  [FDL_BLOCK_TYPE_V2, "FDL_V2"],
  [EV_BLOCK_TYPE, "EV"],
  [EV_BLOCK_TYPE_INT, "EV_INT"],
  [EV_BLOCK_TYPE_V2, "EV_V2"],
  [EV_BLOCK_TYPE_V2_LARGE, "EV_V2_LARGE"],
  [EVF_BLOCK_TYPE, "EVF"],
  [EVF_BLOCK_TYPE_V2, "EVF_V2"],
  [EVF_BLOCK_TYPE_V2_LARGE, "EVF_V2_LARGE"],
  [IL_BLOCK_TYPE, "IL"],
  [IL_BLOCK_TYPE_INT, "IL_INT"],
  [IL_BLOCK_TYPE_V2, "IL_V2"],
  [UL_BLOCK_TYPE, "UL"],
  [UL_BLOCK_TYPE_INT, "UL_INT"],
  [UL_BLOCK_TYPE_V2, "UL_V2"],
]);

/**
 * Name of a block type as MANIFEST.md and the reader's block counts spell it ("EV_V2", "PL_V6",
 * "FDL"...); unknown types are named by their hex id ("0x1234").
 */
export function blockTypeName(type: number): string {
  return NAMES.get(type) ?? "0x" + (type >>> 0).toString(16);
}

/** True for the event block types (EV, EV_INT, EV_V2, EV_V2_LARGE, EVF, EVF_V2, EVF_V2_LARGE). */
export function isEventBlock(type: number): boolean {
  switch (type) {
    case EV_BLOCK_TYPE:
    case EV_BLOCK_TYPE_INT:
    case EV_BLOCK_TYPE_V2:
    case EV_BLOCK_TYPE_V2_LARGE:
    case EVF_BLOCK_TYPE:
    case EVF_BLOCK_TYPE_V2:
    case EVF_BLOCK_TYPE_V2_LARGE:
      return true;
    default:
      return false;
  }
}
