import { MAX_LOCALITY, PCR_COUNT } from "../tpm.js";

/**
 * Which locality may extend and reset which PCR: the PC Client access matrix as measured on
 * libtpms (txt-tpm.md §5, [verified]). Bit L of a mask = locality L allowed.
 *
 * | locality | may extend   | may TPM2_PCR_Reset |
 * | 0        | 0-16, 23     | 16, 23             |
 * | 1        | 0-16, 20, 23 | 16, 23             |
 * | 2        | 0-23         | 16, 20-23          |
 * | 3        | 0-20, 23     | 16, 23             |
 * | 4        | 0-18, 23     | none               |
 *
 * PCRs 17-22 are reset only by the locality-4 hash sequence (the DRTM event), never by
 * TPM2_PCR_Reset at locality 4.
 */
interface PcrAccess {
  readonly extend: number;
  readonly reset: number;
}

const ALL_LOCALITIES = 0b11111;
const LOCALITIES_0_TO_3 = 0b01111;

function accessOf(pcr: number): PcrAccess {
  if (pcr <= 15) return { extend: ALL_LOCALITIES, reset: 0 };
  if (pcr === 16 || pcr === 23) return { extend: ALL_LOCALITIES, reset: LOCALITIES_0_TO_3 };
  if (pcr === 17 || pcr === 18) return { extend: 0b11100, reset: 0 };
  if (pcr === 19) return { extend: 0b01100, reset: 0 };
  if (pcr === 20) return { extend: 0b01110, reset: 0b00100 };
  return { extend: 0b00100, reset: 0b00100 }; // 21, 22: the dynamic OS at locality 2 only
}

const ACCESS: readonly PcrAccess[] = Array.from({ length: PCR_COUNT }, (_, pcr) => accessOf(pcr));

export function mayExtend(pcr: number, locality: number): boolean {
  return locality >= 0 && locality <= MAX_LOCALITY && ((ACCESS[pcr]?.extend ?? 0) & (1 << locality)) !== 0;
}

export function mayReset(pcr: number, locality: number): boolean {
  return locality >= 0 && locality <= MAX_LOCALITY && ((ACCESS[pcr]?.reset ?? 0) & (1 << locality)) !== 0;
}

/** PCRs the DRTM hash sequence resets to zero (txt-tpm.md §5; 16 and 23 untouched). */
export const DRTM_PCRS: readonly number[] = [17, 18, 19, 20, 21, 22];

/** The PCR the DRTM hash sequence extends with H(data). */
export const DRTM_MEASUREMENT_PCR = 17;

/** After TPM2_Startup(CLEAR) PCRs 17-22 hold all-ones until a DRTM (txt-tpm.md §5, [verified]). */
export function startsAllOnes(pcr: number): boolean {
  return DRTM_PCRS.includes(pcr);
}
