import { SELNUM } from "../abi/well-known-selectors.js";
import { NovakitError } from "../errors/novakit-error.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import type { Arch } from "../platform/platform.js";

/**
 * The Hypervisor Information Page (reference/nova.md §8.4, [SPEC-2024] = [REL-24.08]
 * inc/hip.hpp), byte-exact and little-endian:
 *
 * | 0x00 u32 signature "NOVA" | 0x04 u16 checksum | 0x06 u16 length |
 * | 0x08/0x10 NOVA image | 0x18/0x20 MBUF | 0x28/0x30 root image | 0x38 RSDP | 0x40 UEFI map |
 * | 0x48 u32 map size, u16 descriptor size, u16 descriptor version | 0x50 STC Hz | 0x58 SELNUM |
 * | 0x60 u16 SELHST/ARCH, SELHST/NOVA, SELGST/ARCH, SELGST/NOVA | 0x68 u16 CPUNUM, CPUBSP, INTPIN, INTMSI |
 * | 0x70 u8 MCO OBJ HST GST DMA PIO MSR, 0x76 u16 KIMAX | 0x78 u64 features |
 * | 0x80 arch: x86 u64 TPM log phys, u32 size, u32 end offset; Arm u16 SMGNUM, u16 CTXNUM |
 */
export const HIP_SIGNATURE = 0x41564f4e;
export const HIP_LENGTH_X86 = 0x90;
export const HIP_LENGTH_AARCH64 = 0x84;
/** "absent" for RSDP and UEFI map (~0) */
export const HIP_ABSENT = (1n << 64n) - 1n;

/** x86 platform feature bits at 0x78 ([REL-24.08]); Arm bit0 = SMMU. */
export const HipFeatureX86 = { IOMMU: 1n << 0n, VMX: 1n << 1n, SVM: 1n << 2n } as const;
export const HipFeatureAarch64 = { SMMU: 1n << 0n } as const;

/** Event selector counts (§2.6): x86 host 32+2, guest 256+2; Arm host 64+2, guest 64+3. */
export const EVENT_SELECTORS: Readonly<Record<Arch, { hostArch: number; hostNova: number; guestArch: number; guestNova: number }>> = {
  x86_64: { hostArch: 32, hostNova: 2, guestArch: 256, guestNova: 2 },
  aarch64: { hostArch: 64, hostNova: 2, guestArch: 64, guestNova: 3 },
};

export interface PhysicalRange {
  readonly start: bigint;
  readonly end: bigint;
}

export interface MaximumCapabilityOrders {
  readonly obj: number;
  readonly hst: number;
  readonly gst: number;
  readonly dma: number;
  readonly pio: number;
  readonly msr: number;
}

export interface HipContents {
  readonly arch: Arch;
  readonly novaImage: PhysicalRange;
  readonly mbuf: PhysicalRange;
  readonly rootImage: PhysicalRange;
  /** ACPI RSDP physical address; HIP_ABSENT when there is none */
  readonly rsdp: bigint;
  readonly uefiMap: { readonly address: bigint; readonly size: number; readonly descriptorSize: number; readonly descriptorVersion: number };
  readonly stcFrequencyHz: bigint;
  readonly selectors: bigint;
  readonly eventSelectors: { readonly hostArch: number; readonly hostNova: number; readonly guestArch: number; readonly guestNova: number };
  readonly cpuCount: number;
  readonly bootCpu: number;
  readonly interruptPins: number;
  readonly interruptMsis: number;
  readonly mco: MaximumCapabilityOrders;
  readonly keyIdMax: number;
  readonly features: bigint;
  /** x86 arch part */
  readonly tpmEventLog?: { readonly address: bigint; readonly size: number; readonly endOffset: number };
  /** Arm arch part */
  readonly smmu?: { readonly streamMatchGroups: number; readonly contexts: number };
}

/** The HIP bytes for `contents`, checksum included (the 16-bit word sum over the HIP is 0). */
export function buildHip(contents: HipContents): Uint8Array {
  const length = contents.arch === "x86_64" ? HIP_LENGTH_X86 : HIP_LENGTH_AARCH64;
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  const u64 = (offset: number, value: bigint): void => view.setBigUint64(offset, BigInt.asUintN(64, value), true);
  const u32 = (offset: number, value: number, name: string): void => view.setUint32(offset, fit(value, 32, name), true);
  const u16 = (offset: number, value: number, name: string): void => view.setUint16(offset, fit(value, 16, name), true);
  const u8 = (offset: number, value: number, name: string): void => view.setUint8(offset, fit(value, 8, name));

  view.setUint32(0x00, HIP_SIGNATURE, true);
  u16(0x06, length, "length");
  u64(0x08, contents.novaImage.start);
  u64(0x10, contents.novaImage.end);
  u64(0x18, contents.mbuf.start);
  u64(0x20, contents.mbuf.end);
  u64(0x28, contents.rootImage.start);
  u64(0x30, contents.rootImage.end);
  u64(0x38, contents.rsdp);
  u64(0x40, contents.uefiMap.address);
  u32(0x48, contents.uefiMap.size, "uefiMap.size");
  u16(0x4c, contents.uefiMap.descriptorSize, "uefiMap.descriptorSize");
  u16(0x4e, contents.uefiMap.descriptorVersion, "uefiMap.descriptorVersion");
  u64(0x50, contents.stcFrequencyHz);
  u64(0x58, contents.selectors);
  u16(0x60, contents.eventSelectors.hostArch, "SELHST/ARCH");
  u16(0x62, contents.eventSelectors.hostNova, "SELHST/NOVA");
  u16(0x64, contents.eventSelectors.guestArch, "SELGST/ARCH");
  u16(0x66, contents.eventSelectors.guestNova, "SELGST/NOVA");
  u16(0x68, contents.cpuCount, "CPUNUM");
  u16(0x6a, contents.bootCpu, "CPUBSP");
  u16(0x6c, contents.interruptPins, "INTPIN");
  u16(0x6e, contents.interruptMsis, "INTMSI");
  const mco = contents.mco;
  [mco.obj, mco.hst, mco.gst, mco.dma, mco.pio, mco.msr].forEach((value, index) => u8(0x70 + index, value, `MCO[${index}]`));
  u16(0x76, contents.keyIdMax, "KIMAX");
  u64(0x78, contents.features);
  if (contents.arch === "x86_64") {
    const log = contents.tpmEventLog ?? { address: 0n, size: 0, endOffset: 0 };
    u64(0x80, log.address);
    u32(0x88, log.size, "tpmEventLog.size");
    u32(0x8c, log.endOffset, "tpmEventLog.endOffset");
  } else {
    const smmu = contents.smmu ?? { streamMatchGroups: 0, contexts: 0 };
    u16(0x80, smmu.streamMatchGroups, "SMGNUM");
    u16(0x82, smmu.contexts, "CTXNUM");
  }
  view.setUint16(0x04, (0x10000 - wordSum(bytes)) & 0xffff, true);
  return bytes;
}

/** 16-bit little-endian word sum modulo 2^16 (0 for a valid HIP). */
export function hipChecksum(bytes: Uint8Array): number {
  return wordSum(bytes);
}

/** Parse a HIP back (tests, `inspect`); NK-KRN-107 when signature, length or checksum is wrong. */
export function decodeHip(bytes: Uint8Array): HipContents {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (message: string, offset: number, field: string): NovakitError => new NovakitError("NK-KRN-107", `HIP: ${message}`, { offset, field });
  if (bytes.length < 0x84) throw bad(`${bytes.length} bytes is shorter than any HIP`, 0, "length");
  if (view.getUint32(0, true) !== HIP_SIGNATURE) throw bad(`signature 0x${view.getUint32(0, true).toString(16)} is not "NOVA"`, 0, "signature");
  const length = view.getUint16(6, true);
  if (length !== HIP_LENGTH_X86 && length !== HIP_LENGTH_AARCH64) throw bad(`length 0x${length.toString(16)} is neither x86 nor Arm`, 6, "length");
  if (length > bytes.length) throw bad(`length 0x${length.toString(16)} exceeds the ${bytes.length} bytes given`, 6, "length");
  const hip = bytes.subarray(0, length);
  if (wordSum(hip) !== 0) throw bad(`checksum does not make the word sum 0 (sum 0x${wordSum(hip).toString(16)})`, 4, "checksum");
  const arch: Arch = length === HIP_LENGTH_X86 ? "x86_64" : "aarch64";
  const u64 = (offset: number): bigint => view.getBigUint64(offset, true);
  const u16 = (offset: number): number => view.getUint16(offset, true);
  const common = {
    arch,
    novaImage: { start: u64(0x08), end: u64(0x10) },
    mbuf: { start: u64(0x18), end: u64(0x20) },
    rootImage: { start: u64(0x28), end: u64(0x30) },
    rsdp: u64(0x38),
    uefiMap: { address: u64(0x40), size: view.getUint32(0x48, true), descriptorSize: u16(0x4c), descriptorVersion: u16(0x4e) },
    stcFrequencyHz: u64(0x50),
    selectors: u64(0x58),
    eventSelectors: { hostArch: u16(0x60), hostNova: u16(0x62), guestArch: u16(0x64), guestNova: u16(0x66) },
    cpuCount: u16(0x68),
    bootCpu: u16(0x6a),
    interruptPins: u16(0x6c),
    interruptMsis: u16(0x6e),
    mco: { obj: bytes[0x70]!, hst: bytes[0x71]!, gst: bytes[0x72]!, dma: bytes[0x73]!, pio: bytes[0x74]!, msr: bytes[0x75]! },
    keyIdMax: u16(0x76),
    features: u64(0x78),
  };
  return arch === "x86_64"
    ? { ...common, tpmEventLog: { address: u64(0x80), size: view.getUint32(0x88, true), endOffset: view.getUint32(0x8c, true) } }
    : { ...common, smmu: { streamMatchGroups: u16(0x80), contexts: u16(0x82) } };
}

/** What the kernel state does not know and the boot code supplies. */
export interface HipBootFacts {
  readonly novaImage: PhysicalRange;
  readonly mbuf: PhysicalRange;
  readonly rootImage: PhysicalRange;
  readonly uefiMap?: HipContents["uefiMap"];
  readonly tpmEventLog?: HipContents["tpmEventLog"];
  readonly smmu?: HipContents["smmu"];
}

/**
 * The HIP contents of a kernel: CPUs, interrupts, KIMAX, STC and features from the state and
 * platform; MCOs from the registered formats (§1.2: OBJ 9; HST/GST/DMA = 9 x (max leaf level + 1),
 * 27 with 1 GiB leaves; PIO/MSR 16; 0 for a kind the kernel does not support).
 */
export function hipContentsFor(state: KernelState, facts: HipBootFacts): HipContents {
  const platform = state.platform;
  const x86 = platform.arch === "x86_64";
  const memoryMco = (kind: "HST" | "GST" | "DMA"): number => {
    const format = state.formatFor(kind);
    return format === undefined ? 0 : 9 * (Math.min(format.maxLeafLevel, format.levels - 1) + 1);
  };
  const features = platform.cpu.features;
  let featureBits = 0n;
  if (x86) {
    if (state.formatFor("DMA") !== undefined) featureBits |= HipFeatureX86.IOMMU;
    if (features.includes("VMX") && state.formatFor("GST") !== undefined) featureBits |= HipFeatureX86.VMX;
    if (features.includes("SVM") && state.formatFor("GST") !== undefined) featureBits |= HipFeatureX86.SVM;
  } else if (state.formatFor("DMA") !== undefined) {
    featureBits |= HipFeatureAarch64.SMMU;
  }
  return {
    arch: platform.arch,
    novaImage: facts.novaImage,
    mbuf: facts.mbuf,
    rootImage: facts.rootImage,
    rsdp: platform.firmware.kind === "acpi" && platform.firmware.rootPointer !== undefined ? platform.firmware.rootPointer : HIP_ABSENT,
    uefiMap: facts.uefiMap ?? { address: HIP_ABSENT, size: 0, descriptorSize: 0, descriptorVersion: 0 },
    stcFrequencyHz: BigInt(Math.round(state.stcFrequencyHz)),
    selectors: BigInt(SELNUM),
    eventSelectors: EVENT_SELECTORS[platform.arch],
    cpuCount: state.cpuCount,
    bootCpu: state.bootCpu,
    interruptPins: state.interruptPins,
    interruptMsis: state.interruptMsis,
    mco: { obj: 9, hst: memoryMco("HST"), gst: memoryMco("GST"), dma: memoryMco("DMA"), pio: x86 ? 16 : 0, msr: x86 ? 16 : 0 },
    keyIdMax: state.keyIdMax,
    features: featureBits,
    ...(x86 ? { tpmEventLog: facts.tpmEventLog ?? { address: 0n, size: 0, endOffset: 0 } } : { smmu: facts.smmu ?? { streamMatchGroups: 0, contexts: 0 } }),
  };
}

function wordSum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i + 1 < bytes.length; i += 2) sum = (sum + (bytes[i]! | (bytes[i + 1]! << 8))) & 0xffff;
  return sum;
}

function fit(value: number, bits: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) {
    throw new NovakitError("NK-KRN-108", `HIP field ${field} = ${value} does not fit in ${bits} bits`, { field });
  }
  return value;
}
