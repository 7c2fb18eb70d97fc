/**
 * The TXT public configuration space at 0xFED30000 (txt-tpm.md §4): the registers the launch
 * reads before GETSEC[SENTER], at their real offsets and widths, held as the bytes a 64 KiB MMIO
 * window would return (little-endian).
 */
export const TXT_PUBLIC_BASE = 0xfed30000n;
export const TXT_PRIVATE_BASE = 0xfed20000n;
const SPACE_SIZE = 0x1000;

export const TxtRegister = {
  STS: 0x000,
  ESTS: 0x008,
  THREADS_EXISTS: 0x010,
  THREADS_JOIN: 0x020,
  ERRORCODE: 0x030,
  VER_FSBIF: 0x100,
  DIDVID: 0x110,
  VER_QPIIF: 0x200,
  SINIT_BASE: 0x270,
  SINIT_SIZE: 0x278,
  MLE_JOIN: 0x290,
  HEAP_BASE: 0x300,
  HEAP_SIZE: 0x308,
  DPR: 0x330,
  PUBLIC_KEY: 0x400,
  E2STS: 0x8f0,
} as const;

/** TXT.ERRORCODE value SINIT writes on success (txt-tpm.md §4). */
export const TXT_ERRORCODE_SUCCESS = 0xc0000001;

/** What a platform's chipset and BIOS put in the public registers. */
export interface TxtRegisterValues {
  readonly sts: bigint;
  readonly ests: bigint;
  readonly threadsExist: bigint;
  readonly errorCode: number;
  readonly fsbif: number;
  /** VID 15:0, DID 31:16, RID 47:32, EXT 63:48 */
  readonly didvid: bigint;
  readonly qpiif: number;
  readonly sinitBase: number;
  readonly sinitSize: number;
  readonly heapBase: number;
  readonly heapSize: number;
  /** bit 0 lock, bits 11:4 size in MiB, bits 31:20 top */
  readonly dpr: number;
  /** SHA-256 of the ACM signing key modulus, fused in the chipset */
  readonly publicKeyHash: Uint8Array;
}

export class TxtPublicSpace {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  read32(offset: number): number {
    return this.view.getUint32(offset, true);
  }
  read64(offset: number): bigint {
    return this.view.getBigUint64(offset, true);
  }
  readBytes(offset: number, length: number): Uint8Array {
    return this.bytes.slice(offset, offset + length);
  }
}

/** Lays the register values out at their offsets (reserved bytes read as zero). */
export function buildTxtPublicSpace(values: TxtRegisterValues): TxtPublicSpace {
  const bytes = new Uint8Array(SPACE_SIZE);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(TxtRegister.STS, values.sts, true);
  view.setBigUint64(TxtRegister.ESTS, values.ests, true);
  view.setBigUint64(TxtRegister.THREADS_EXISTS, values.threadsExist, true);
  view.setUint32(TxtRegister.ERRORCODE, values.errorCode >>> 0, true);
  view.setUint32(TxtRegister.VER_FSBIF, values.fsbif >>> 0, true);
  view.setBigUint64(TxtRegister.DIDVID, values.didvid, true);
  view.setUint32(TxtRegister.VER_QPIIF, values.qpiif >>> 0, true);
  view.setUint32(TxtRegister.SINIT_BASE, values.sinitBase >>> 0, true);
  view.setUint32(TxtRegister.SINIT_SIZE, values.sinitSize >>> 0, true);
  view.setUint32(TxtRegister.HEAP_BASE, values.heapBase >>> 0, true);
  view.setUint32(TxtRegister.HEAP_SIZE, values.heapSize >>> 0, true);
  view.setUint32(TxtRegister.DPR, values.dpr >>> 0, true);
  bytes.set(values.publicKeyHash.subarray(0, 32), TxtRegister.PUBLIC_KEY);
  return new TxtPublicSpace(bytes);
}

/** The DPR-protected range [top - size, top) (txt-tpm.md §4, DPR register). */
export function dprRange(dpr: number): { readonly base: number; readonly top: number } {
  const top = (dpr >>> 20) * 0x100000;
  const size = ((dpr >>> 4) & 0xff) * 0x100000;
  return { base: top - size, top };
}
