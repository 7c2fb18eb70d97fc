/**
 * The decoded IVRS table (amd-iommu.md §1). Every type comes in two flavours: `...Input` is what
 * the encoder needs (no offsets, no lengths: those follow from the contents), and the decoded
 * type adds where the structure was found and the length the firmware wrote. A decoded table is
 * therefore always a valid encoder input, which is what the byte-identical round trip relies on.
 * 64-bit fields are bigint.
 */

/** IVinfo, the dword at offset 36 (amd-iommu.md §1.1 "IVinfo"). */
export interface Ivinfo {
  /** the whole dword as the firmware wrote it (reserved bits included) */
  readonly raw: number;
  /** bit 0 EFRSup: IVHD 11h/40h blocks carry a valid EFR image */
  readonly efrSupported: boolean;
  /** bit 1: firmware used pre-boot DMA protection, keep remapping on */
  readonly dmaRemapSupported: boolean;
  /** bits 7:5 GVAsize code (2 = 48 bits) */
  readonly gvaSize: number;
  /** bits 14:8 physical address bits */
  readonly paSize: number;
  /** bits 21:15 virtual (DMA) address bits */
  readonly vaSize: number;
  /** bit 22 HtAtsResv */
  readonly htAtsReserved: boolean;
}

/** The SDT header fields the encoder writes (length and checksum are computed). */
export interface IvrsHeaderInput {
  readonly revision: number;
  readonly oemId: string;
  readonly oemTableId: string;
  readonly oemRevision: number;
  readonly creatorId: string;
  readonly creatorRevision: number;
}

export interface IvrsHeader extends IvrsHeaderInput {
  readonly signature: string;
  readonly length: number;
  readonly checksum: number;
}

/** Fields every device entry has: byte 0 type, bytes 1-2 DeviceID, byte 3 DTE setting (§1.4). */
interface DeviceEntryCommon {
  readonly type: number;
  readonly deviceId: number;
  readonly setting: number;
}

/** 00h/40h padding and the reserved-but-sized types (4-byte 05h-3Fh; 8-byte 41h, 44h, 45h, 49h-7Fh). */
export interface PaddingEntryInput extends DeviceEntryCommon {
  readonly kind: "padding" | "reserved";
  /** 8-byte types: bytes 4-7 as a little-endian dword, kept so the table re-encodes exactly */
  readonly data?: number;
}

/** 01h ALL, 02h SELECT, 03h START of range, 04h END of range. */
export interface BasicEntryInput extends DeviceEntryCommon {
  readonly kind: "all" | "select" | "range-start" | "range-end";
}

/** 42h ALIAS SELECT, 43h ALIAS START of range: byte 4 reserved, bytes 5-6 source, byte 7 reserved. */
export interface AliasEntryInput extends DeviceEntryCommon {
  readonly kind: "alias-select" | "alias-range-start";
  readonly sourceDeviceId: number;
  readonly reserved4?: number;
  readonly reserved7?: number;
}

/** 46h EXTENDED SELECT, 47h EXTENDED START of range: bytes 4-7 extended setting. */
export interface ExtendedEntryInput extends DeviceEntryCommon {
  readonly kind: "ext-select" | "ext-range-start";
  readonly extendedSetting: number;
}

/** 48h SPECIAL: byte 4 handle, bytes 5-6 source DeviceID, byte 7 variety (1 IOAPIC, 2 HPET). */
export interface SpecialEntryInput extends DeviceEntryCommon {
  readonly kind: "special";
  readonly handle: number;
  readonly sourceDeviceId: number;
  readonly variety: number;
}

/** F0h ACPI HID device: HID (8 bytes), CID (8 bytes), UID format, UID length, UID bytes. */
export interface AcpiHidEntryInput extends DeviceEntryCommon {
  readonly kind: "acpi-hid";
  /** 8 bytes: ASCII ("AMDI0020") or an EISA id in the low dword */
  readonly hid: Uint8Array;
  /** 8 bytes, all zero = none */
  readonly cid: Uint8Array;
  /** 0 none, 1 integer, 2 string */
  readonly uidFormat: number;
  /** the UID bytes; their count is the UID length byte */
  readonly uid: Uint8Array;
}

/**
 * A type at 80h or above other than F0h: no defined length (§1.4), so decoding stops here and the
 * rest of the block is kept as raw bytes rather than guessed at.
 */
export interface UnknownEntryInput {
  readonly kind: "unknown";
  readonly type: number;
  readonly unknown: true;
  /** the bytes from this entry's type byte to the end of the block */
  readonly bytes: Uint8Array;
}

export type DeviceEntryInput =
  | PaddingEntryInput
  | BasicEntryInput
  | AliasEntryInput
  | ExtendedEntryInput
  | SpecialEntryInput
  | AcpiHidEntryInput
  | UnknownEntryInput;

/** Where a decoded entry was found (absolute table offset) and how many bytes it spans. */
interface Located {
  readonly offset: number;
  readonly length: number;
}

export type DeviceEntry = DeviceEntryInput & Located;

export type IvhdType = 0x10 | 0x11 | 0x40;
export type IvmdType = 0x20 | 0x21 | 0x22;

/** IVHD 10h/11h/40h (amd-iommu.md §1.3). */
export interface IvhdBlockInput {
  readonly kind: "ivhd";
  readonly type: IvhdType;
  readonly flags: number;
  /** DeviceID of the IOMMU itself */
  readonly deviceId: number;
  readonly capabilityOffset: number;
  readonly baseAddress: bigint;
  readonly pciSegment: number;
  /** bits 4:0 MSInum, 12:8 UnitID */
  readonly iommuInfo: number;
  /** +20: Feature Reporting for 10h, IOMMU Attributes for 11h/40h */
  readonly featureReporting: number;
  /** +24 EFR image (11h/40h only) */
  readonly efr?: bigint;
  /** +32 EFR2 image (11h/40h only; ACPICA calls it reserved) */
  readonly efr2?: bigint;
  readonly entries: readonly DeviceEntryInput[];
}

export interface IvhdBlock extends Omit<IvhdBlockInput, "entries">, Located {
  readonly entries: readonly DeviceEntry[];
}

/** IVMD 20h/21h/22h (amd-iommu.md §1.5). */
export interface IvmdBlockInput {
  readonly kind: "ivmd";
  readonly type: IvmdType;
  /** bit 0 Unity, 1 IR, 2 IW, 3 ExclusionRange */
  readonly flags: number;
  /** 21h: the device; 22h: first device; 20h: reserved */
  readonly deviceId: number;
  /** 22h: last device (inclusive); otherwise 0 */
  readonly auxiliaryData: number;
  /** bytes 8-15, reserved */
  readonly reserved: bigint;
  readonly startAddress: bigint;
  readonly memoryLength: bigint;
}

export type IvmdBlock = IvmdBlockInput & Located;

/**
 * A block type neither IVHD nor IVMD (e.g. the undefined 51h seen on Ryzen 6000/7000 laptops):
 * skipped by its length as ACPICA does (§1.1), kept whole so the table re-encodes exactly.
 */
export interface UnknownBlockInput {
  readonly kind: "unknown";
  readonly type: number;
  readonly flags: number;
  /** the u16 at +4 where the block is at least 6 bytes long, else 0 */
  readonly deviceId: number;
  /** the whole block, header included */
  readonly bytes: Uint8Array;
}

export type UnknownBlock = UnknownBlockInput & Located;

export type IvrsBlockInput = IvhdBlockInput | IvmdBlockInput | UnknownBlockInput;
export type IvrsBlock = IvhdBlock | IvmdBlock | UnknownBlock;

export interface IvrsTableInput {
  readonly header: IvrsHeaderInput;
  /** the raw IVinfo dword */
  readonly ivinfo: Pick<Ivinfo, "raw">;
  /** bytes 40-47, reserved */
  readonly reserved: bigint;
  readonly blocks: readonly IvrsBlockInput[];
}

export interface IvrsTable extends IvrsTableInput {
  readonly header: IvrsHeader;
  readonly ivinfo: Ivinfo;
  readonly blocks: readonly IvrsBlock[];
  /** the file the table came from, for messages */
  readonly file: string;
}
