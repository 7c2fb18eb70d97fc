import { AcpiDiagnostic, acpiError } from "./acpi-diagnostics.js";
import { parseSdtHeader, type SdtHeader } from "./sdt-header.js";

/**
 * PCI Express memory-mapped configuration table (platform.md §5.4): header, 8 reserved bytes,
 * then 16-byte entries from offset 44: base u64, segment u16, start bus u8, end bus u8, 4 reserved.
 */
export interface McfgAllocation {
  readonly baseAddress: bigint;
  readonly segment: number;
  readonly startBus: number;
  readonly endBus: number;
}
export interface Mcfg {
  readonly header: SdtHeader;
  readonly allocations: readonly McfgAllocation[];
}

export const MCFG_ENTRIES_OFFSET = 44;
const MCFG_ENTRY_LENGTH = 16;

export function parseMcfg(bytes: Uint8Array, file: string): Mcfg {
  const { header, reader } = parseSdtHeader(bytes, { file, expectedSignature: "MCFG" });
  reader.require(36, 8, "reserved");
  const area = header.length - MCFG_ENTRIES_OFFSET;
  if (area % MCFG_ENTRY_LENGTH !== 0) {
    throw acpiError(
      AcpiDiagnostic.MCFG_ENTRIES,
      `MCFG: ${area} allocation bytes are not a whole number of 16-byte entries`,
      reader.location(4, "length"),
    );
  }
  const allocations: McfgAllocation[] = [];
  for (let offset = MCFG_ENTRIES_OFFSET; offset < header.length; offset += MCFG_ENTRY_LENGTH) {
    const field = `allocations[${allocations.length}]`;
    const allocation: McfgAllocation = {
      baseAddress: reader.u64(offset, `${field}.baseAddress`),
      segment: reader.u16(offset + 8, `${field}.segment`),
      startBus: reader.u8(offset + 10, `${field}.startBus`),
      endBus: reader.u8(offset + 11, `${field}.endBus`),
    };
    if (allocation.startBus > allocation.endBus) {
      throw acpiError(
        AcpiDiagnostic.MCFG_BUS_RANGE,
        `MCFG: allocation ${allocations.length} starts at bus ${allocation.startBus} after its end bus ${allocation.endBus}`,
        reader.location(offset + 10, `${field}.startBus`),
      );
    }
    allocations.push(allocation);
  }
  return { header, allocations };
}
