import { IvrsDiagnostic, ivrsError } from "./ivrs-diagnostics.js";
import type { IvrsReader } from "./ivrs-reader.js";
import type { IvmdBlock, IvmdType } from "./ivrs-types.js";

/** Every IVMD block is 32 bytes (amd-iommu.md §1.5). */
export const IVMD_LENGTH = 32;

export function isIvmdType(type: number): type is IvmdType {
  return type === 0x20 || type === 0x21 || type === 0x22;
}

/** Decodes one IVMD block (amd-iommu.md §1.5). */
export function parseIvmdBlock(block: IvrsReader, type: IvmdType, length: number): IvmdBlock {
  const at = block.start;
  if (length !== IVMD_LENGTH) {
    throw ivrsError(
      IvrsDiagnostic.IVMD_LENGTH,
      `IVMD ${type.toString(16)}h at 0x${at.toString(16)}: length ${length}, but an IVMD block is ${IVMD_LENGTH} bytes`,
      { file: block.file, offset: at + 2, field: "IVRS.ivmd.length" },
    );
  }
  return {
    kind: "ivmd",
    type,
    offset: at,
    length,
    flags: block.u8(at + 1, "ivmd.flags"),
    deviceId: block.u16(at + 4, "ivmd.deviceId"),
    auxiliaryData: block.u16(at + 6, "ivmd.auxiliaryData"),
    reserved: block.u64(at + 8, "ivmd.reserved"),
    startAddress: block.u64(at + 16, "ivmd.startAddress"),
    memoryLength: block.u64(at + 24, "ivmd.memoryLength"),
  };
}
