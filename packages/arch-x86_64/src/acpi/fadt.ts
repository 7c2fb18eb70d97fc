import { readGenericAddress, GAS_SPACE_IO, type GenericAddress } from "./generic-address.js";
import { parseSdtHeader, type SdtHeader } from "./sdt-header.js";
import type { TableReader } from "./table-reader.js";

/**
 * Fixed ACPI Description Table ("FACP"). Offsets are those of ACPICA's
 * source/include/actbl.h `struct acpi_table_fadt`:
 *   36 Facs u32, 40 Dsdt u32, 46 SciInterrupt u16, 48 SmiCommand u32, 52 AcpiEnable u8,
 *   53 AcpiDisable u8, 56 Pm1aEventBlock u32, 60 Pm1bEventBlock u32, 64 Pm1aControlBlock u32,
 *   68 Pm1bControlBlock u32, 72 Pm2ControlBlock u32, 76 PmTimerBlock u32, 88 Pm1EventLength u8,
 *   89 Pm1ControlLength u8, 90 Pm2ControlLength u8, 91 PmTimerLength u8, 109 BootFlags u16,
 *   112 Flags u32 — the ACPI 1.0 table ends at 116 —
 *   116 ResetRegister GAS, 128 ResetValue u8, 129 ArmBootFlags u16, 131 MinorRevision u8,
 *   132 XFacs u64, 140 XDsdt u64, 148 XPm1aEventBlock, 160 XPm1bEventBlock,
 *   172 XPm1aControlBlock, 184 XPm1bControlBlock, 196 XPm2ControlBlock, 208 XPmTimerBlock,
 *   220 XGpe0Block, 232 XGpe1Block (GAS each; ACPI 2.0 ends at 244),
 *   244 SleepControl, 256 SleepStatus (ACPI 5.0, 268), 268 HypervisorId u64 (ACPI 6.0, 276).
 * Fields past the table's length are absent (older revisions), never read out of bounds.
 */
export interface Fadt {
  readonly header: SdtHeader;
  readonly facsAddress32: number;
  readonly dsdtAddress32: number;
  readonly xFacsAddress?: bigint;
  readonly xDsdtAddress?: bigint;
  /** the address to use: the X_ variant when present and non-zero (ACPI 2.0+) */
  readonly facsAddress: bigint;
  readonly dsdtAddress: bigint;
  readonly preferredPmProfile: number;
  readonly sciInterrupt: number;
  /** SMI command port; NOVA hides it from user space unless `insecure` (nova.md §8.1) */
  readonly smiCommandPort: number;
  readonly acpiEnable: number;
  readonly acpiDisable: number;
  readonly pm1aEventBlock: number;
  readonly pm1bEventBlock: number;
  readonly pm1aControlBlock: number;
  readonly pm1bControlBlock: number;
  readonly pm2ControlBlock: number;
  readonly pmTimerBlock: number;
  readonly pm1EventLength: number;
  readonly pm1ControlLength: number;
  readonly pm2ControlLength: number;
  readonly pmTimerLength: number;
  readonly bootFlags: number;
  readonly flags: number;
  readonly resetRegister?: GenericAddress;
  readonly resetValue?: number;
  readonly minorRevision?: number;
  readonly xPm1aControlBlock?: GenericAddress;
  readonly xPm1bControlBlock?: GenericAddress;
  readonly xPm2ControlBlock?: GenericAddress;
  readonly sleepControl?: GenericAddress;
  readonly sleepStatus?: GenericAddress;
  readonly hypervisorId?: bigint;
  /** flags bit 10 RESET_REG_SUP: the reset register may be used */
  readonly resetSupported: boolean;
  /** flags bit 20 HW_REDUCED_ACPI: no PM1 blocks; sleep via SleepControl */
  readonly hardwareReduced: boolean;
}

/** FADT flags bits (ACPI spec table "Fixed ACPI Description Table Fixed Feature Flags"). */
export const FADT_FLAG_RESET_REG_SUP = 1 << 10;
export const FADT_FLAG_HW_REDUCED_ACPI = 1 << 20;

/** An I/O port range NOVA keeps out of user space. */
export interface ProtectedPortRange {
  readonly name: "PM1a_CNT" | "PM1b_CNT" | "PM2_CNT" | "SMI_CMD";
  readonly port: number;
  readonly length: number;
}

function optionalGas(reader: TableReader, offset: number, field: string): GenericAddress | undefined {
  return reader.has(offset, 12) ? readGenericAddress(reader, offset, field) : undefined;
}

export function parseFadt(bytes: Uint8Array, file: string): Fadt {
  const { header, reader } = parseSdtHeader(bytes, { file, expectedSignature: "FACP" });
  const facsAddress32 = reader.u32(36, "facs");
  const dsdtAddress32 = reader.u32(40, "dsdt");
  const flags = reader.u32(112, "flags");
  const xFacsAddress = reader.has(132, 8) ? reader.u64(132, "xFacs") : undefined;
  const xDsdtAddress = reader.has(140, 8) ? reader.u64(140, "xDsdt") : undefined;
  const hasReset = reader.has(116, 13);
  return {
    header,
    facsAddress32,
    dsdtAddress32,
    ...(xFacsAddress !== undefined ? { xFacsAddress } : {}),
    ...(xDsdtAddress !== undefined ? { xDsdtAddress } : {}),
    facsAddress: xFacsAddress !== undefined && xFacsAddress !== 0n ? xFacsAddress : BigInt(facsAddress32),
    dsdtAddress: xDsdtAddress !== undefined && xDsdtAddress !== 0n ? xDsdtAddress : BigInt(dsdtAddress32),
    preferredPmProfile: reader.u8(45, "preferredPmProfile"),
    sciInterrupt: reader.u16(46, "sciInterrupt"),
    smiCommandPort: reader.u32(48, "smiCommand"),
    acpiEnable: reader.u8(52, "acpiEnable"),
    acpiDisable: reader.u8(53, "acpiDisable"),
    pm1aEventBlock: reader.u32(56, "pm1aEventBlock"),
    pm1bEventBlock: reader.u32(60, "pm1bEventBlock"),
    pm1aControlBlock: reader.u32(64, "pm1aControlBlock"),
    pm1bControlBlock: reader.u32(68, "pm1bControlBlock"),
    pm2ControlBlock: reader.u32(72, "pm2ControlBlock"),
    pmTimerBlock: reader.u32(76, "pmTimerBlock"),
    pm1EventLength: reader.u8(88, "pm1EventLength"),
    pm1ControlLength: reader.u8(89, "pm1ControlLength"),
    pm2ControlLength: reader.u8(90, "pm2ControlLength"),
    pmTimerLength: reader.u8(91, "pmTimerLength"),
    bootFlags: reader.u16(109, "bootFlags"),
    flags,
    ...(hasReset
      ? { resetRegister: readGenericAddress(reader, 116, "resetRegister"), resetValue: reader.u8(128, "resetValue") }
      : {}),
    ...(reader.has(131, 1) ? { minorRevision: reader.u8(131, "minorRevision") } : {}),
    ...optionalField("xPm1aControlBlock", optionalGas(reader, 172, "xPm1aControlBlock")),
    ...optionalField("xPm1bControlBlock", optionalGas(reader, 184, "xPm1bControlBlock")),
    ...optionalField("xPm2ControlBlock", optionalGas(reader, 196, "xPm2ControlBlock")),
    ...optionalField("sleepControl", optionalGas(reader, 244, "sleepControl")),
    ...optionalField("sleepStatus", optionalGas(reader, 256, "sleepStatus")),
    ...(reader.has(268, 8) ? { hypervisorId: reader.u64(268, "hypervisorId") } : {}),
    resetSupported: (flags & FADT_FLAG_RESET_REG_SUP) !== 0,
    hardwareReduced: (flags & FADT_FLAG_HW_REDUCED_ACPI) !== 0,
  };
}

function optionalField<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The effective I/O port of a PM block: the X_ GAS when it is a non-zero I/O address. */
function ioPort(legacy: number, extended: GenericAddress | undefined): number {
  if (extended !== undefined && extended.spaceId === GAS_SPACE_IO && extended.address !== 0n) {
    return Number(extended.address & 0xffffn);
  }
  return legacy;
}

/**
 * The port ranges NOVA protects (nova.md §8.1 `insecure`, §8.3 Acpi::init): PM1a/PM1b/PM2
 * control blocks and the SMI command port. Absent (zero) blocks are left out.
 */
export function protectedPortRanges(fadt: Fadt): readonly ProtectedPortRange[] {
  const ranges: ProtectedPortRange[] = [];
  const pm1a = ioPort(fadt.pm1aControlBlock, fadt.xPm1aControlBlock);
  const pm1b = ioPort(fadt.pm1bControlBlock, fadt.xPm1bControlBlock);
  const pm2 = ioPort(fadt.pm2ControlBlock, fadt.xPm2ControlBlock);
  if (pm1a !== 0) ranges.push({ name: "PM1a_CNT", port: pm1a, length: fadt.pm1ControlLength });
  if (pm1b !== 0) ranges.push({ name: "PM1b_CNT", port: pm1b, length: fadt.pm1ControlLength });
  if (pm2 !== 0) ranges.push({ name: "PM2_CNT", port: pm2, length: fadt.pm2ControlLength });
  if (fadt.smiCommandPort !== 0) ranges.push({ name: "SMI_CMD", port: fadt.smiCommandPort, length: 1 });
  return ranges;
}

/** PM1a control port used for sleep transitions (0 when the platform has none). */
export function pm1aControlPort(fadt: Fadt): number {
  return ioPort(fadt.pm1aControlBlock, fadt.xPm1aControlBlock);
}
