import { decodeMadArm, decodeMadX86, isValidArmMad, isValidX86CacheAttribute } from "../abi/descriptors.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import type { CacheAttribute, MemoryAttributes } from "../memory/page-table-format.js";

const X86_CACHE: readonly CacheAttribute[] = ["WB", "WT", "WC", "UC", "WP"];
/** Arm CA 0-3 are Device types; 5 Normal non-cacheable (write-combining-like), 6 WT, 7 WB. */
const ARM_CACHE: readonly (CacheAttribute | undefined)[] = ["DEV", "DEV", "DEV", "DEV", undefined, "WC", "WT", "WB"];

/**
 * The attributes a MAD gives memory delegated from the NOVA host space (reference/nova.md §1.8,
 * §2.5), or undefined when the MAD is invalid (x86: CA reserved or KI > KIMAX; Arm: CA 4 or
 * SH 1 reserved): ctrl_pd then fails with BAD_PAR.
 */
export function madAttributes(state: KernelState, mad: bigint): MemoryAttributes | undefined {
  if (state.platform.arch === "x86_64") {
    const decoded = decodeMadX86(mad);
    if (!isValidX86CacheAttribute(decoded.cacheAttribute) || decoded.keyId > state.keyIdMax) return undefined;
    return { cache: X86_CACHE[decoded.cacheAttribute] as CacheAttribute, keyId: decoded.keyId, user: true, kernel: false, global: false, shadowStack: false };
  }
  const decoded = decodeMadArm(mad);
  const cache = ARM_CACHE[decoded.cacheAttribute];
  if (!isValidArmMad(decoded) || cache === undefined) return undefined;
  return { cache, keyId: 0, user: true, kernel: false, global: false, shadowStack: false };
}
