import type { TableReader } from "./table-reader.js";

/**
 * ACPI Generic Address Structure, 12 bytes: space id u8, register bit width u8, bit offset u8,
 * access size u8, address u64 (ACPICA source/include/actbl.h `struct acpi_generic_address`).
 */
export interface GenericAddress {
  /** 0 system memory, 1 system I/O, 2 PCI config, ... */
  readonly spaceId: number;
  readonly bitWidth: number;
  readonly bitOffset: number;
  readonly accessSize: number;
  readonly address: bigint;
}

export const GAS_LENGTH = 12;
export const GAS_SPACE_MEMORY = 0;
export const GAS_SPACE_IO = 1;

export function readGenericAddress(reader: TableReader, offset: number, field: string): GenericAddress {
  reader.require(offset, GAS_LENGTH, field);
  return {
    spaceId: reader.u8(offset, `${field}.spaceId`),
    bitWidth: reader.u8(offset + 1, `${field}.bitWidth`),
    bitOffset: reader.u8(offset + 2, `${field}.bitOffset`),
    accessSize: reader.u8(offset + 3, `${field}.accessSize`),
    address: reader.u64(offset + 4, `${field}.address`),
  };
}
