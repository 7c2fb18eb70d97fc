import { readGenericAddress, type GenericAddress } from "./generic-address.js";
import { parseSdtHeader, type SdtHeader } from "./sdt-header.js";

/**
 * HPET description table (ACPICA actbl1.h `struct acpi_table_hpet`): 36 event timer block id u32
 * (bits 7:0 hardware revision, 12:8 number of comparators - 1, 13 64-bit counter, 15 legacy
 * replacement capable, 31:16 PCI vendor id), 40 base address GAS, 52 sequence number u8,
 * 53 minimum tick u16, 55 page protection/OEM attributes u8; 56 bytes in all.
 */
export interface Hpet {
  readonly header: SdtHeader;
  readonly eventTimerBlockId: number;
  readonly hardwareRevision: number;
  readonly comparators: number;
  readonly counter64Bit: boolean;
  readonly legacyReplacement: boolean;
  readonly vendorId: number;
  readonly baseAddress: GenericAddress;
  readonly sequence: number;
  readonly minimumTick: number;
  readonly pageProtection: number;
}

export function parseHpet(bytes: Uint8Array, file: string): Hpet {
  const { header, reader } = parseSdtHeader(bytes, { file, expectedSignature: "HPET" });
  const id = reader.u32(36, "eventTimerBlockId");
  return {
    header,
    eventTimerBlockId: id,
    hardwareRevision: id & 0xff,
    comparators: ((id >>> 8) & 0x1f) + 1,
    counter64Bit: (id & (1 << 13)) !== 0,
    legacyReplacement: (id & (1 << 15)) !== 0,
    vendorId: id >>> 16,
    baseAddress: readGenericAddress(reader, 40, "baseAddress"),
    sequence: reader.u8(52, "sequence"),
    minimumTick: reader.u16(53, "minimumTick"),
    pageProtection: reader.u8(55, "pageProtection"),
  };
}
