import { NovakitError } from "@novakit/kernel-core";

/**
 * The 256-bit device table entry, four little-endian quadwords (reference/amd-iommu.md §3):
 * q0 = DTE bits 63:0 (DMA translation), q1 = 127:64, q2 = 191:128 (interrupt remapping),
 * q3 = 255:192 (vIOMMU/SNP, zero here).
 */
export type DteWords = readonly [bigint, bigint, bigint, bigint];

/** IntCtl (DTE 189:188, §3.3): what happens to fixed/arbitrated interrupts. */
export const IntCtl = { ABORT: 0, FORWARD: 1, REMAP: 2 } as const;
export type IntCtl = (typeof IntCtl)[keyof typeof IntCtl];

/** The fields NOVA uses (nova.md §4.3), decoded. Every other bit is kept in `words` on decode. */
export interface DeviceTableEntry {
  /** V, bit 0 */
  readonly valid: boolean;
  /** TV, bit 1 */
  readonly translationValid: boolean;
  /** Mode, bits 11:9: 0 no translation, 1-6 levels, 7 reserved */
  readonly mode: number;
  /** Host Page Table Root Pointer, bits 51:12, as a byte address */
  readonly pageTableRoot: bigint;
  /** IR, bit 61 */
  readonly readPermission: boolean;
  /** IW, bit 62 */
  readonly writePermission: boolean;
  /** DomainID, bits 79:64 */
  readonly domainId: number;
  /** IV, bit 128 */
  readonly interruptValid: boolean;
  /** IntTabLen, bits 132:129: the table holds 2^IntTabLen IRTEs */
  readonly intTabLen: number;
  /** Interrupt Table Root Pointer, bits 179:134, as a byte address (64-byte aligned) */
  readonly intTableRoot: bigint;
  /** IntCtl, bits 189:188 */
  readonly intCtl: number;
}

// quadword 0 (§3.1)
const V = 1n << 0n;
const TV = 1n << 1n;
const MODE_SHIFT = 9n;
const ROOT_MASK = 0x000f_ffff_ffff_f000n;
const IR = 1n << 61n;
const IW = 1n << 62n;
// quadword 1 (§3.2)
const DOMAIN_MASK = 0xffffn;
// quadword 2 (§3.3)
const IV = 1n << 0n;
const INT_TAB_LEN_SHIFT = 1n;
const INT_ROOT_MASK = 0x000f_ffff_ffff_ffc0n;
const INT_CTL_SHIFT = 60n;

function fieldError(field: string, message: string): NovakitError {
  return new NovakitError("NK-IOMMU-105", `device table entry: ${message}`, { field });
}

/** Encode a DTE from its fields; every bit not named here is zero, as NOVA writes it (nova.md §4.3). */
export function encodeDte(entry: DeviceTableEntry): DteWords {
  if ((entry.pageTableRoot & ~ROOT_MASK) !== 0n) throw fieldError("pageTableRoot", `root 0x${entry.pageTableRoot.toString(16)} is not a 4 KiB aligned 52-bit address`);
  if (!Number.isInteger(entry.domainId) || entry.domainId < 0 || entry.domainId > 0xffff) throw fieldError("domainId", `DomainID ${entry.domainId} is not 16 bits`);
  if (!Number.isInteger(entry.intTabLen) || entry.intTabLen < 0 || entry.intTabLen > 15) throw fieldError("intTabLen", `IntTabLen ${entry.intTabLen} does not fit 4 bits`);
  if ((entry.intTableRoot & ~INT_ROOT_MASK) !== 0n) throw fieldError("intTableRoot", `interrupt table 0x${entry.intTableRoot.toString(16)} is not a 64-byte aligned 52-bit address`);
  if (!Number.isInteger(entry.intCtl) || entry.intCtl < 0 || entry.intCtl > 3) throw fieldError("intCtl", `IntCtl ${entry.intCtl} does not fit 2 bits`);
  if (!Number.isInteger(entry.mode) || entry.mode < 0 || entry.mode > 7) throw fieldError("mode", `Mode ${entry.mode} does not fit bits 11:9`);
  let q0 = entry.pageTableRoot | (BigInt(entry.mode) << MODE_SHIFT);
  if (entry.valid) q0 |= V;
  if (entry.translationValid) q0 |= TV;
  if (entry.readPermission) q0 |= IR;
  if (entry.writePermission) q0 |= IW;
  const q1 = BigInt(entry.domainId);
  let q2 = entry.intTableRoot | (BigInt(entry.intTabLen) << INT_TAB_LEN_SHIFT) | (BigInt(entry.intCtl) << INT_CTL_SHIFT);
  if (entry.interruptValid) q2 |= IV;
  return [q0, q1, q2, 0n];
}

/** Decode the fields NOVA uses from the four quadwords. */
export function decodeDte(words: DteWords): DeviceTableEntry {
  const [q0, q1, q2] = words;
  return {
    valid: (q0 & V) !== 0n,
    translationValid: (q0 & TV) !== 0n,
    mode: Number((q0 >> MODE_SHIFT) & 7n),
    pageTableRoot: q0 & ROOT_MASK,
    readPermission: (q0 & IR) !== 0n,
    writePermission: (q0 & IW) !== 0n,
    domainId: Number(q1 & DOMAIN_MASK),
    interruptValid: (q2 & IV) !== 0n,
    intTabLen: Number((q2 >> INT_TAB_LEN_SHIFT) & 0xfn),
    intTableRoot: q2 & INT_ROOT_MASK,
    intCtl: Number((q2 >> INT_CTL_SHIFT) & 3n),
  };
}

/**
 * NOVA's initial state of every DTE (nova.md §4.3): both 128-bit halves "deny", only their bit 0
 * set: V=1, TV=0 (DMA blocked) and IV=1, IntCtl=0 (interrupts aborted).
 */
export const NOVA_DENY_DTE: DteWords = Object.freeze([V, 0n, IV, 0n]) as DteWords;

export interface AssignedDteOptions {
  /** physical address of the root table (the level-Mode table) */
  readonly pageTableRoot: bigint;
  /** Mode = number of levels; NOVA uses min(5, 4 + HATS) */
  readonly mode: number;
  readonly domainId: number;
}

/**
 * The lower half NOVA writes for an assigned device (nova.md §4.3, amd-iommu.md §9.3):
 * DomainID<<64 | IR | IW | root | Mode<<9 | TV | V; the interrupt half stays as it was.
 */
export function novaAssignedTranslation(options: AssignedDteOptions): readonly [bigint, bigint] {
  if (!Number.isInteger(options.mode) || options.mode < 1 || options.mode > 6) throw fieldError("mode", `an assigned device needs Mode 1..6, not ${options.mode}`);
  const [q0, q1] = encodeDte({
    valid: true,
    translationValid: true,
    mode: options.mode,
    pageTableRoot: options.pageTableRoot,
    readPermission: true,
    writePermission: true,
    domainId: options.domainId,
    interruptValid: false,
    intTabLen: 0,
    intTableRoot: 0n,
    intCtl: 0,
  });
  return [q0, q1];
}
