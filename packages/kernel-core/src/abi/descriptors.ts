import { NovakitError } from "../errors/novakit-error.js";

/**
 * Hypercall descriptors and argument words (reference/nova.md §2.1, §2.3, §2.5). Decoders only
 * extract bits (any 64-bit word decodes, as in NOVA, which validates afterwards); encoders
 * reject values that do not fit their field, so a test or a root task cannot build a word
 * that silently loses bits.
 */

const U64_MASK = (1n << 64n) - 1n;

function field(word: bigint, low: number, width: number): number {
  return Number((word >> BigInt(low)) & ((1n << BigInt(width)) - 1n));
}

function checkField(name: string, value: number | bigint, width: number): bigint {
  const v = BigInt(value);
  if (v < 0n || v >= 1n << BigInt(width)) {
    throw new NovakitError("NK-KRN-102", `descriptor field ${name} = ${v} does not fit in ${width} bits`, { field: name });
  }
  return v;
}

// ---- identifier word (§2.1): number 3:0, flags 7:4, selector 63:8 ----
export interface HypercallIdentifier {
  readonly number: number;
  readonly flags: number;
  readonly selector: bigint;
}
export function encodeIdentifier(id: HypercallIdentifier): bigint {
  return (checkField("selector", id.selector, 56) << 8n) | (checkField("flags", id.flags, 4) << 4n) | checkField("number", id.number, 4);
}
export function decodeIdentifier(word: bigint): HypercallIdentifier {
  const w = word & U64_MASK;
  return { number: field(w, 0, 4), flags: field(w, 4, 4), selector: w >> 8n };
}

// ---- SCD (§2.5): budget 15:0 (ms), prio 22:16, COS 38:23 ----
export interface SchedulingDescriptor {
  readonly budgetMs: number;
  readonly priority: number;
  readonly cos: number;
}
export function encodeScd(scd: SchedulingDescriptor): bigint {
  return (checkField("cos", scd.cos, 16) << 23n) | (checkField("priority", scd.priority, 7) << 16n) | checkField("budgetMs", scd.budgetMs, 16);
}
export function decodeScd(word: bigint): SchedulingDescriptor {
  return { budgetMs: field(word, 0, 16), priority: field(word, 16, 7), cos: field(word, 23, 16) };
}

// ---- MTD (§2.5) ----
/** Regular IPC: the kernel copies (mtd mod 512) + 1 message words; higher bits are ignored. */
export const UTCB_MESSAGE_WORDS = 512;
export function mtdWordCount(mtd: bigint): number {
  return Number(mtd % BigInt(UTCB_MESSAGE_WORDS)) + 1;
}
export function encodeMtdWords(words: number): bigint {
  if (!Number.isInteger(words) || words < 1 || words > UTCB_MESSAGE_WORDS) {
    throw new NovakitError("NK-KRN-102", `an IPC message has 1..512 words, not ${words}`, { field: "mtd" });
  }
  return BigInt(words - 1);
}

/** x86 architectural MTD bits ([REL-24.08] inc/x86_64/mtd_arch.hpp, §2.5). */
export const MtdArchX86 = {
  POISON: 1 << 0,
  GPR_0_7: 1 << 1,
  GPR_8_15: 1 << 2,
  RFLAGS: 1 << 3,
  RIP: 1 << 4,
  STA: 1 << 5,
  QUAL: 1 << 6,
  CTRL: 1 << 7,
  TPR: 1 << 8,
  INJ: 1 << 9,
  CS_SS: 1 << 10,
  DS_ES: 1 << 11,
  FS_GS: 1 << 12,
  TR: 1 << 13,
  LDTR: 1 << 14,
  GDTR: 1 << 15,
  IDTR: 1 << 16,
  PDPTE: 1 << 17,
  CR: 1 << 18,
  DR: 1 << 19,
  XSAVE: 1 << 20,
  APIC: 1 << 21,
  SYSCALL: 1 << 22,
  SYSENTER: 1 << 23,
  PAT: 1 << 24,
  EFER: 1 << 25,
  KERNEL_GS_BASE: 1 << 26,
  TSC: 1 << 27,
  TLB: 1 << 29,
  FPU: 1 << 30,
  SPACES: 2 ** 31,
} as const;

/** aarch64 architectural MTD bits ([REL-24.08] inc/aarch64/mtd_arch.hpp, §2.5). */
export const MtdArchAarch64 = {
  POISON: 1 << 0,
  ICI: 1 << 1,
  GPR: 1 << 2,
  FPR: 1 << 3,
  EL0_SP: 1 << 4,
  EL0_IDR: 1 << 5,
  A32_SPSR: 1 << 7,
  A32_DIH: 1 << 8,
  EL1_SP: 1 << 10,
  EL1_IDR: 1 << 11,
  EL1_ELR_SPSR: 1 << 12,
  EL1_ESR_FAR: 1 << 13,
  EL1_AFSR: 1 << 14,
  EL1_TTBR: 1 << 15,
  EL1_TCR: 1 << 16,
  EL1_MAIR: 1 << 17,
  EL1_VBAR: 1 << 18,
  EL1_SCTLR: 1 << 19,
  EL1_MDSCR: 1 << 20,
  EL2_HCR: 1 << 23,
  EL2_IDR: 1 << 24,
  EL2_ELR_SPSR: 1 << 25,
  EL2_ESR_FAR: 1 << 26,
  EL2_HPFAR: 1 << 27,
  TMR: 1 << 29,
  GIC: 1 << 30,
  SPACES: 2 ** 31,
} as const;

// ---- MAD (§2.5) ----
/** x86 MAD cache attributes, CA bits 2:0; 5-7 reserved. */
export const MadCacheX86 = { WB: 0, WT: 1, WC: 2, UC: 3, WP: 4 } as const;
export interface MadX86 {
  readonly cacheAttribute: number;
  /** memory-encryption key id, bits 17:3, must be <= KIMAX */
  readonly keyId: number;
}
export function encodeMadX86(mad: MadX86): bigint {
  return (checkField("keyId", mad.keyId, 15) << 3n) | checkField("cacheAttribute", mad.cacheAttribute, 3);
}
export function decodeMadX86(word: bigint): MadX86 {
  return { cacheAttribute: field(word, 0, 3), keyId: field(word, 3, 15) };
}
export function isValidX86CacheAttribute(ca: number): boolean {
  return ca <= MadCacheX86.WP;
}

/** Arm MAD: CA bits 2:0 (4 reserved), SH bits 4:3 (1 reserved). */
export const MadCacheArm = { DEV: 0, DEV_E: 1, DEV_RE: 2, DEV_GRE: 3, MEM_NC: 5, MEM_WT: 6, MEM_WB: 7 } as const;
export const MadShareabilityArm = { NONE: 0, OUTER: 2, INNER: 3 } as const;
export interface MadArm {
  readonly cacheAttribute: number;
  readonly shareability: number;
}
export function encodeMadArm(mad: MadArm): bigint {
  return (checkField("shareability", mad.shareability, 2) << 3n) | checkField("cacheAttribute", mad.cacheAttribute, 3);
}
export function decodeMadArm(word: bigint): MadArm {
  return { cacheAttribute: field(word, 0, 3), shareability: field(word, 3, 2) };
}
export function isValidArmMad(mad: MadArm): boolean {
  return mad.cacheAttribute !== 4 && mad.shareability !== 1;
}

// ---- DAD (§2.4 assign_dev) ----
/** x86 DAD: PCI segment 31:16, bus 15:8, device 7:3, function 2:0. */
export interface DadX86 {
  readonly segment: number;
  readonly bus: number;
  readonly device: number;
  readonly function: number;
}
export function encodeDadX86(dad: DadX86): bigint {
  return (
    (checkField("segment", dad.segment, 16) << 16n) |
    (checkField("bus", dad.bus, 8) << 8n) |
    (checkField("device", dad.device, 5) << 3n) |
    checkField("function", dad.function, 3)
  );
}
export function decodeDadX86(word: bigint): DadX86 {
  return { segment: field(word, 16, 16), bus: field(word, 8, 8), device: field(word, 3, 5), function: field(word, 0, 3) };
}
/** The 32-bit SBDF a DAD names (segment << 16 | bus << 8 | device << 3 | function). */
export function dadX86Sbdf(dad: DadX86): number {
  return ((dad.segment << 16) | (dad.bus << 8) | (dad.device << 3) | dad.function) >>> 0;
}

/** Arm DAD: SID 15:0, SID mask 31:16, SMG 39:32, CTX 47:40. */
export interface DadArm {
  readonly streamId: number;
  readonly streamIdMask: number;
  readonly streamMatchGroup: number;
  readonly context: number;
}
export function encodeDadArm(dad: DadArm): bigint {
  return (
    (checkField("context", dad.context, 8) << 40n) |
    (checkField("streamMatchGroup", dad.streamMatchGroup, 8) << 32n) |
    (checkField("streamIdMask", dad.streamIdMask, 16) << 16n) |
    checkField("streamId", dad.streamId, 16)
  );
}
export function decodeDadArm(word: bigint): DadArm {
  return { streamId: field(word, 0, 16), streamIdMask: field(word, 16, 16), streamMatchGroup: field(word, 32, 8), context: field(word, 40, 8) };
}

// ---- argument words of create_ec and ctrl_pd (§2.3) ----
/** create_ec p2: hvp (UTCB / vAPIC page address) in 63:12, cpu in 11:0. */
export interface EcPlacement {
  readonly hostAddress: bigint;
  readonly cpu: number;
}
export function encodeEcPlacement(p: EcPlacement): bigint {
  if (p.hostAddress < 0n || (p.hostAddress & 0xfffn) !== 0n || p.hostAddress > U64_MASK) {
    throw new NovakitError("NK-KRN-102", `create_ec host address 0x${p.hostAddress.toString(16)} is not a page address`, { field: "hva" });
  }
  return p.hostAddress | checkField("cpu", p.cpu, 12);
}
export function decodeEcPlacement(word: bigint): EcPlacement {
  const w = word & U64_MASK;
  return { hostAddress: w & ~0xfffn & U64_MASK, cpu: field(w, 0, 12) };
}

/** ctrl_pd p2 / p3: a selector base in 63:12 and a 5-bit order (p2) or permission mask (p3) in 4:0. */
export interface SelectorRange {
  readonly base: bigint;
  readonly low: number;
}
export function encodeSelectorWord(base: bigint, low5: number): bigint {
  return (checkField("selectorBase", base, 52) << 12n) | checkField("order/pmm", low5, 5);
}
export function decodeSelectorWord(word: bigint): SelectorRange {
  const w = word & U64_MASK;
  return { base: w >> 12n, low: field(w, 0, 5) };
}

/** ctrl_hw operations, the OP in the flag nibble (reference/nova.md §2.4). */
export const CtrlHwOp = {
  /** ACPI sleep state or platform reset */
  SLEEP: 0,
  QOS_CONFIG: 4,
  L3_CAT_MASK: 5,
  L2_CAT_MASK: 6,
  MBA_DELAY: 7,
} as const;

/** ctrl_hw OP 0 descriptor (§2.4): S = bits 2:0, the _Sx[0] value 5:3, the _Sx[1] value 8:6. */
export interface SleepDescriptor {
  /** 1-3 shallow (returns on wake), 4-5 deep, 7 platform reset */
  readonly state: number;
  readonly slpTypA: number;
  readonly slpTypB: number;
}

export function decodeSleepDescriptor(descriptor: bigint): SleepDescriptor {
  return {
    state: Number(descriptor & 7n),
    slpTypA: Number((descriptor >> 3n) & 7n),
    slpTypB: Number((descriptor >> 6n) & 7n),
  };
}

/** S values NOVA has no meaning for (0, 6), and a reset (7) with A or B set, are BAD_PAR on every arch. */
export function isMalformedSleepDescriptor({ state, slpTypA, slpTypB }: SleepDescriptor): boolean {
  return state === 0 || state === 6 || (state === 7 && (slpTypA !== 0 || slpTypB !== 0));
}
