import { parseDeviceEntries } from "./device-entries.js";
import { IvrsDiagnostic, ivrsError } from "./ivrs-diagnostics.js";
import type { IvrsReader } from "./ivrs-reader.js";
import type { IvhdBlock, IvhdType } from "./ivrs-types.js";

/** IVHD header sizes (amd-iommu.md §1.2): 24 bytes for 10h, 40 for 11h and 40h. */
export function ivhdHeaderLength(type: IvhdType): 24 | 40 {
  return type === 0x10 ? 24 : 40;
}

export function isIvhdType(type: number): type is IvhdType {
  return type === 0x10 || type === 0x11 || type === 0x40;
}

/** Decodes one IVHD block; `block` is limited to the block's own length (amd-iommu.md §1.3). */
export function parseIvhdBlock(block: IvrsReader, type: IvhdType, length: number): IvhdBlock {
  const at = block.start;
  const headerLength = ivhdHeaderLength(type);
  if (length < headerLength) {
    throw ivrsError(
      IvrsDiagnostic.BLOCK_LENGTH,
      `IVHD ${type.toString(16)}h at 0x${at.toString(16)}: length ${length} is smaller than its ${headerLength}-byte header`,
      { file: block.file, offset: at + 2, field: "IVRS.ivhd.length" },
    );
  }
  const withEfr = type !== 0x10;
  return {
    kind: "ivhd",
    type,
    offset: at,
    length,
    flags: block.u8(at + 1, "ivhd.flags"),
    deviceId: block.u16(at + 4, "ivhd.deviceId"),
    capabilityOffset: block.u16(at + 6, "ivhd.capabilityOffset"),
    baseAddress: block.u64(at + 8, "ivhd.baseAddress"),
    pciSegment: block.u16(at + 16, "ivhd.pciSegment"),
    iommuInfo: block.u16(at + 18, "ivhd.iommuInfo"),
    featureReporting: block.u32(at + 20, "ivhd.featureReporting"),
    ...(withEfr ? { efr: block.u64(at + 24, "ivhd.efr"), efr2: block.u64(at + 32, "ivhd.efr2") } : {}),
    entries: parseDeviceEntries(block, at + headerLength),
  };
}
