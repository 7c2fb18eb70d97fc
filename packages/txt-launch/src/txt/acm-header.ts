import { NovakitError } from "@novakit/kernel-core";
import { LaunchDiagnostic } from "../launch-diagnostics.js";

/** ACM header type 2 = chipset; subtype 0 = SINIT (txt-tpm.md §2.2). */
export const ACM_TYPE_CHIPSET = 2;
export const ACM_SUBTYPE_SINIT = 0;
export const ACM_HEADER_SIZE = 128;
export const ACM_INFO_TABLE_SIZE = 48;
/** Info table UUID as four little-endian u32 (txt-tpm.md §2.2). */
export const ACM_INFO_UUID: readonly number[] = [0x7fc03aaa, 0x18db46a7, 0x8f69ac2e, 0x5a7f418d];
export const ACM_VENDOR_INTEL = 0x8086;
/** ChipsetACMType of the information table: 1 = SINIT. */
export const CHIPSET_ACM_TYPE_SINIT = 1;
export const CHIPSET_ID_ENTRY_SIZE = 16;
export const PROCESSOR_ID_ENTRY_SIZE = 24;
/** Sanity bound on list counts: real ACMs list a handful of chipsets and CPUs. */
const MAX_LIST_ENTRIES = 256;

/** Chipset ID entry (16 bytes): matched against TXT.DIDVID. */
export interface AcmChipsetId {
  /** bit 0: revisionId is a mask */
  readonly flags: number;
  readonly vendorId: number;
  readonly deviceId: number;
  readonly revisionId: number;
  readonly extendedId: number;
}

/** Processor ID entry (24 bytes): matched against CPUID.1:EAX and IA32_PLATFORM_ID. */
export interface AcmProcessorId {
  readonly fms: number;
  readonly fmsMask: number;
  readonly platformId: bigint;
  readonly platformMask: bigint;
}

export interface AcmTpmInfo {
  /** bit 0 max-agility, bit 1 max-performance, bit 3 discrete TPM 2.0, ... */
  readonly capabilities: number;
  /** TPM_ALG_IDs the ACM can hash in software */
  readonly algorithms: readonly number[];
}

/** A SINIT ACM: the header fields Novakit checks and the information table with its lists. */
export interface SinitAcm {
  readonly moduleType: number;
  readonly moduleSubType: number;
  /** dwords */
  readonly headerLength: number;
  readonly headerVersion: number;
  readonly chipsetId: number;
  readonly flags: number;
  readonly moduleVendor: number;
  /** BCD yyyymmdd */
  readonly date: number;
  /** total size in bytes (the header stores dwords) */
  readonly size: number;
  readonly txtSvn: number;
  readonly entryPoint: number;
  /** dwords */
  readonly keySize: number;
  /** dwords */
  readonly scratchSize: number;
  readonly publicKeyModulus: Uint8Array;
  readonly publicKeyExponent: number;
  readonly signature: Uint8Array;
  readonly info: {
    readonly chipsetAcmType: number;
    readonly version: number;
    readonly osSinitTableVersion: number;
    readonly minMleHeaderVersion: number;
    readonly capabilities: number;
    readonly acmVersion: number;
  };
  readonly chipsets: readonly AcmChipsetId[];
  readonly processors: readonly AcmProcessorId[];
  readonly tpm: AcmTpmInfo;
}

/** Everything an encoder needs beyond the parsed view: the code bytes after the tables. */
export interface SinitAcmLayout extends Omit<SinitAcm, "headerLength" | "size"> {
  /** filler standing in for the ACM's code, placed after the lists */
  readonly code: Uint8Array;
}

/**
 * Writes a SINIT ACM (txt-tpm.md §2.2): the 128-byte header, the RSA key, exponent and signature
 * (header version 0 layout), the scratch area, the information table (v6, 48 bytes) at
 * 4 x (HeaderLen + ScratchSize), then the chipset, processor and TPM info lists, then the code.
 */
export function encodeSinitAcm(layout: SinitAcmLayout): Uint8Array {
  const headerLength = (ACM_HEADER_SIZE + layout.keySize * 4 + 4 + layout.signature.length) / 4;
  const infoOffset = 4 * (headerLength + layout.scratchSize);
  const chipsetOffset = infoOffset + ACM_INFO_TABLE_SIZE;
  const processorOffset = chipsetOffset + 4 + CHIPSET_ID_ENTRY_SIZE * layout.chipsets.length;
  const tpmOffset = processorOffset + 4 + PROCESSOR_ID_ENTRY_SIZE * layout.processors.length;
  const codeOffset = align(tpmOffset + 6 + 2 * layout.tpm.algorithms.length, 64);
  const size = align(codeOffset + layout.code.length, 4096);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, layout.moduleType, true);
  view.setUint16(2, layout.moduleSubType, true);
  view.setUint32(4, headerLength, true);
  view.setUint32(8, layout.headerVersion, true);
  view.setUint16(12, layout.chipsetId, true);
  view.setUint16(14, layout.flags, true);
  view.setUint32(16, layout.moduleVendor, true);
  view.setUint32(20, layout.date, true);
  view.setUint32(24, size / 4, true);
  view.setUint16(28, layout.txtSvn, true);
  view.setUint32(52, layout.entryPoint, true);
  view.setUint32(120, layout.keySize, true);
  view.setUint32(124, layout.scratchSize, true);
  bytes.set(layout.publicKeyModulus, ACM_HEADER_SIZE);
  view.setUint32(ACM_HEADER_SIZE + layout.keySize * 4, layout.publicKeyExponent, true);
  bytes.set(layout.signature, ACM_HEADER_SIZE + layout.keySize * 4 + 4);
  ACM_INFO_UUID.forEach((word, index) => view.setUint32(infoOffset + 4 * index, word, true));
  bytes[infoOffset + 16] = layout.info.chipsetAcmType;
  bytes[infoOffset + 17] = layout.info.version;
  view.setUint16(infoOffset + 18, ACM_INFO_TABLE_SIZE, true);
  view.setUint32(infoOffset + 20, chipsetOffset, true);
  view.setUint32(infoOffset + 24, layout.info.osSinitTableVersion, true);
  view.setUint32(infoOffset + 28, layout.info.minMleHeaderVersion, true);
  view.setUint32(infoOffset + 32, layout.info.capabilities, true);
  bytes[infoOffset + 36] = layout.info.acmVersion;
  view.setUint32(infoOffset + 40, processorOffset, true);
  view.setUint32(infoOffset + 44, tpmOffset, true);
  view.setUint32(chipsetOffset, layout.chipsets.length, true);
  layout.chipsets.forEach((chipset, index) => {
    const at = chipsetOffset + 4 + index * CHIPSET_ID_ENTRY_SIZE;
    view.setUint32(at, chipset.flags, true);
    view.setUint16(at + 4, chipset.vendorId, true);
    view.setUint16(at + 6, chipset.deviceId, true);
    view.setUint16(at + 8, chipset.revisionId, true);
    view.setUint32(at + 12, chipset.extendedId, true);
  });
  view.setUint32(processorOffset, layout.processors.length, true);
  layout.processors.forEach((processor, index) => {
    const at = processorOffset + 4 + index * PROCESSOR_ID_ENTRY_SIZE;
    view.setUint32(at, processor.fms, true);
    view.setUint32(at + 4, processor.fmsMask, true);
    view.setBigUint64(at + 8, processor.platformId, true);
    view.setBigUint64(at + 16, processor.platformMask, true);
  });
  view.setUint32(tpmOffset, layout.tpm.capabilities, true);
  view.setUint16(tpmOffset + 4, layout.tpm.algorithms.length, true);
  layout.tpm.algorithms.forEach((algorithm, index) => view.setUint16(tpmOffset + 6 + 2 * index, algorithm, true));
  bytes.set(layout.code, codeOffset);
  return bytes;
}

/**
 * Parses a SINIT ACM strictly (txt-tpm.md §2.2, nova.md §6.1 step 3): type 2 subtype 0, vendor
 * 0x8086, header and total sizes consistent with the bytes, the information table's UUID, type
 * SINIT and version >= 4 (for the processor list), and every list inside the module.
 */
export function parseSinitAcm(bytes: Uint8Array, file: string): SinitAcm {
  const fail = (message: string, offset: number, field: string): NovakitError => new NovakitError(LaunchDiagnostic.BAD_ACM, message, { file, offset, field });
  if (bytes.length < ACM_HEADER_SIZE) throw fail(`${bytes.length} bytes is too short for an ACM header (128 bytes)`, 0, "AcmHeader");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const moduleType = view.getUint16(0, true);
  const moduleSubType = view.getUint16(2, true);
  if (moduleType !== ACM_TYPE_CHIPSET) throw fail(`ACM module type ${moduleType}, a SINIT ACM is type 2 (chipset)`, 0, "AcmHeader.ModuleType");
  if (moduleSubType !== ACM_SUBTYPE_SINIT) throw fail(`ACM module subtype ${moduleSubType}, a SINIT ACM is subtype 0 (1 = BIOS ACM, 3 = Boot Guard)`, 2, "AcmHeader.ModuleSubType");
  const headerLength = view.getUint32(4, true);
  const moduleVendor = view.getUint32(16, true);
  if (moduleVendor !== ACM_VENDOR_INTEL) throw fail(`ACM module vendor 0x${moduleVendor.toString(16)}, expected 0x8086`, 16, "AcmHeader.ModuleVendor");
  const sizeDwords = view.getUint32(24, true);
  const size = sizeDwords * 4;
  if (size !== bytes.length) throw fail(`the ACM header says ${size} bytes (0x${sizeDwords.toString(16)} dwords), the module is ${bytes.length} bytes`, 24, "AcmHeader.Size");
  const keySize = view.getUint32(120, true);
  const scratchSize = view.getUint32(124, true);
  if (keySize === 0 || keySize > 1024 || ACM_HEADER_SIZE + keySize * 4 + 4 > headerLength * 4) throw fail(`key size ${keySize} dwords does not fit the header length of ${headerLength} dwords`, 120, "AcmHeader.KeySize");
  const signatureLength = headerLength * 4 - ACM_HEADER_SIZE - keySize * 4 - 4;
  const infoOffset = 4 * (headerLength + scratchSize);
  if (infoOffset + ACM_INFO_TABLE_SIZE > size) throw fail(`the information table at 4 x (HeaderLen + ScratchSize) = 0x${infoOffset.toString(16)} lies outside the module`, 124, "AcmHeader.ScratchSize");
  if (!ACM_INFO_UUID.every((word, index) => view.getUint32(infoOffset + 4 * index, true) === word)) throw fail("the information table has not the TXT ACM UUID", infoOffset, "AcmInfo.UUID");
  const chipsetAcmType = bytes[infoOffset + 16] as number;
  const version = bytes[infoOffset + 17] as number;
  if (chipsetAcmType !== CHIPSET_ACM_TYPE_SINIT) throw fail(`ChipsetACMType ${chipsetAcmType}, a SINIT is 1`, infoOffset + 16, "AcmInfo.ChipsetACMType");
  if (version < 4) throw fail(`information table version ${version}: a processor ID list needs version 4 or later`, infoOffset + 17, "AcmInfo.Version");
  const listAt = (at: number, field: string): number => {
    const offset = view.getUint32(at, true);
    if (offset < ACM_HEADER_SIZE || offset + 4 > size) throw fail(`${field} offset 0x${offset.toString(16)} lies outside the module`, at, field);
    return offset;
  };
  const countAt = (offset: number, entrySize: number, field: string): number => {
    const count = view.getUint32(offset, true);
    if (count > MAX_LIST_ENTRIES || offset + 4 + count * entrySize > size) throw fail(`${field} claims ${count} entries, which do not fit the module`, offset, field);
    return count;
  };
  const chipsetOffset = listAt(infoOffset + 20, "AcmInfo.ChipsetIDList");
  const chipsets: AcmChipsetId[] = [];
  for (let index = 0, count = countAt(chipsetOffset, CHIPSET_ID_ENTRY_SIZE, "ChipsetIDList.Count"); index < count; index++) {
    const at = chipsetOffset + 4 + index * CHIPSET_ID_ENTRY_SIZE;
    chipsets.push({ flags: view.getUint32(at, true), vendorId: view.getUint16(at + 4, true), deviceId: view.getUint16(at + 6, true), revisionId: view.getUint16(at + 8, true), extendedId: view.getUint32(at + 12, true) });
  }
  const processorOffset = listAt(infoOffset + 40, "AcmInfo.ProcessorIDList");
  const processors: AcmProcessorId[] = [];
  for (let index = 0, count = countAt(processorOffset, PROCESSOR_ID_ENTRY_SIZE, "ProcessorIDList.Count"); index < count; index++) {
    const at = processorOffset + 4 + index * PROCESSOR_ID_ENTRY_SIZE;
    processors.push({ fms: view.getUint32(at, true), fmsMask: view.getUint32(at + 4, true), platformId: view.getBigUint64(at + 8, true), platformMask: view.getBigUint64(at + 16, true) });
  }
  let tpm: AcmTpmInfo = { capabilities: 0, algorithms: [] };
  if (version >= 5) {
    const tpmOffset = listAt(infoOffset + 44, "AcmInfo.TPMInfoList");
    if (tpmOffset + 6 > size) throw fail("the TPM info list lies outside the module", tpmOffset, "TPMInfoList");
    const count = view.getUint16(tpmOffset + 4, true);
    if (tpmOffset + 6 + 2 * count > size) throw fail(`the TPM info list claims ${count} algorithms, which do not fit the module`, tpmOffset + 4, "TPMInfoList.Count");
    tpm = { capabilities: view.getUint32(tpmOffset, true), algorithms: Array.from({ length: count }, (_, index) => view.getUint16(tpmOffset + 6 + 2 * index, true)) };
  }
  return {
    moduleType,
    moduleSubType,
    headerLength,
    headerVersion: view.getUint32(8, true),
    chipsetId: view.getUint16(12, true),
    flags: view.getUint16(14, true),
    moduleVendor,
    date: view.getUint32(20, true),
    size,
    txtSvn: view.getUint16(28, true),
    entryPoint: view.getUint32(52, true),
    keySize,
    scratchSize,
    publicKeyModulus: bytes.slice(ACM_HEADER_SIZE, ACM_HEADER_SIZE + keySize * 4),
    publicKeyExponent: view.getUint32(ACM_HEADER_SIZE + keySize * 4, true),
    signature: bytes.slice(ACM_HEADER_SIZE + keySize * 4 + 4, ACM_HEADER_SIZE + keySize * 4 + 4 + signatureLength),
    info: {
      chipsetAcmType,
      version,
      osSinitTableVersion: view.getUint32(infoOffset + 24, true),
      minMleHeaderVersion: view.getUint32(infoOffset + 28, true),
      capabilities: view.getUint32(infoOffset + 32, true),
      acmVersion: bytes[infoOffset + 36] as number,
    },
    chipsets,
    processors,
    tpm,
  };
}

function align(value: number, to: number): number {
  return Math.ceil(value / to) * to;
}
