import { NovakitError } from "@novakit/kernel-core";
import { LaunchDiagnostic } from "../launch-diagnostics.js";
import type { MtrrPair } from "./txt-environment.js";

/** Extended heap element types (txt-tpm.md §3.5). */
export const HeapElement = { END: 0, EVENT_LOG_POINTER2: 7, EVENT_LOG_POINTER2_1: 8 } as const;
export const OS_SINIT_DATA_VERSION = 7;
export const SINIT_MLE_DATA_VERSION = 9;
export const BIOS_DATA_VERSION = 6;

export interface BiosData {
  readonly version: number;
  readonly biosSinitSize: number;
  readonly numLogProcs: number;
  readonly sinitFlags: number;
  /** v6: bits 2:1 platform type (1 client, 2 server) */
  readonly mleFlags: number;
}

/** NOVA's OsMleData layout (txt-tpm.md §3.2). */
export interface OsMleData {
  readonly mtrrDefType: bigint;
  readonly miscEnable: bigint;
  readonly debugCtl: bigint;
  readonly variableMtrrs: readonly MtrrPair[];
}

/** OsSinitData version 7 (txt-tpm.md §3.3). */
export interface OsSinitData {
  /** bit 0: PCR-extend policy, 1 = maximum performance */
  readonly flags: number;
  readonly mlePageTableBase: bigint;
  readonly mleSize: bigint;
  readonly mleHeaderBase: bigint;
  readonly pmrLowBase: bigint;
  readonly pmrLowSize: bigint;
  readonly pmrHighBase: bigint;
  readonly pmrHighSize: bigint;
  readonly lcpPoBase: bigint;
  readonly lcpPoSize: bigint;
  readonly capabilities: number;
  readonly efiRsdpPtr: bigint;
  /** the TPM 2.0 event-log element: type 8 (TCG format) when the ACM has capability bit 9 */
  readonly eventLog: { readonly tcgFormat: boolean; readonly physicalAddress: bigint; readonly allocatedSize: number };
}

/** SINIT memory descriptor record (24 bytes, txt-tpm.md §3.4). */
export interface SinitMdr {
  readonly address: bigint;
  readonly length: bigint;
  /** 0 usable, 3 PCIe config, 4 persistent */
  readonly type: number;
}

/** SinitMleData version 9 (txt-tpm.md §3.4): what SINIT hands the MLE. */
export interface SinitMleData {
  readonly rlpWakeupAddr: number;
  readonly mdrs: readonly SinitMdr[];
  readonly processorScrtmStatus: number;
}

export interface TxtHeap {
  readonly biosData: BiosData;
  readonly osMleData: OsMleData;
  readonly osSinitData: OsSinitData;
  readonly sinitMleData: SinitMleData;
}

/** Offsets of the four tables' bodies in the encoded heap (after each u64 size). */
export interface TxtHeapLayout {
  readonly bytes: Uint8Array;
  readonly biosData: number;
  readonly osMleData: number;
  readonly osSinitData: number;
  readonly sinitMleData: number;
}

const END_ELEMENT = [HeapElement.END, 8];

/**
 * The TXT heap as bytes (txt-tpm.md §3): four tables, each preceded by a u64 size that includes
 * the size field itself, every size a multiple of 8; the total must fit TXT.HEAP.SIZE.
 */
export function encodeTxtHeap(heap: TxtHeap, heapSize: number): TxtHeapLayout {
  const tables = [encodeBiosData(heap.biosData), encodeOsMleData(heap.osMleData), encodeOsSinitData(heap.osSinitData), encodeSinitMleData(heap.sinitMleData)];
  const total = tables.reduce((sum, table) => sum + 8 + table.length, 0);
  if (total > heapSize) {
    throw new NovakitError(LaunchDiagnostic.BAD_HEAP, `the TXT heap tables need ${total} bytes, TXT.HEAP.SIZE is ${heapSize}`, { field: "HEAP.SIZE" });
  }
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  const bodies: number[] = [];
  let offset = 0;
  for (const table of tables) {
    view.setBigUint64(offset, BigInt(8 + table.length), true);
    bodies.push(offset + 8);
    bytes.set(table, offset + 8);
    offset += 8 + table.length;
  }
  return { bytes, biosData: bodies[0] as number, osMleData: bodies[1] as number, osSinitData: bodies[2] as number, sinitMleData: bodies[3] as number };
}

/** A table body padded so that body + its 8-byte size field is a multiple of 8. */
function padded(length: number): { readonly bytes: Uint8Array; readonly view: DataView } {
  const bytes = new Uint8Array(Math.ceil(length / 8) * 8);
  return { bytes, view: new DataView(bytes.buffer) };
}

function writeElements(view: DataView, offset: number, words: readonly number[]): number {
  words.forEach((word, index) => view.setUint32(offset + 4 * index, word, true));
  return offset + 4 * words.length;
}

function encodeBiosData(data: BiosData): Uint8Array {
  const { bytes, view } = padded(36 + 8);
  view.setUint32(0, data.version, true);
  view.setUint32(4, data.biosSinitSize, true);
  // LcpPdBase/LcpPdSize (8, 16) stay 0: no platform-default LCP data
  view.setUint32(24, data.numLogProcs, true);
  view.setUint32(28, data.sinitFlags, true);
  view.setUint32(32, data.mleFlags, true);
  writeElements(view, 36, END_ELEMENT);
  return bytes;
}

function encodeOsMleData(data: OsMleData): Uint8Array {
  const { bytes, view } = padded(32 + 16 * data.variableMtrrs.length);
  view.setUint32(0, 0, true); // NOVA's version 0, then a pad word
  view.setBigUint64(8, data.mtrrDefType, true);
  view.setBigUint64(16, data.miscEnable, true);
  view.setBigUint64(24, data.debugCtl, true);
  data.variableMtrrs.forEach((pair, index) => {
    view.setBigUint64(32 + 16 * index, pair.base, true);
    view.setBigUint64(40 + 16 * index, pair.mask, true);
  });
  return bytes;
}

function encodeOsSinitData(data: OsSinitData): Uint8Array {
  const elementSize = data.eventLog.tcgFormat ? 8 + 20 : 8 + 4 + 24;
  const { bytes, view } = padded(92 + elementSize + 8);
  view.setUint32(0, OS_SINIT_DATA_VERSION, true);
  view.setUint32(4, data.flags, true);
  const u64s = [data.mlePageTableBase, data.mleSize, data.mleHeaderBase, data.pmrLowBase, data.pmrLowSize, data.pmrHighBase, data.pmrHighSize, data.lcpPoBase, data.lcpPoSize];
  u64s.forEach((value, index) => view.setBigUint64(8 + 8 * index, value, true));
  view.setUint32(80, data.capabilities, true);
  view.setBigUint64(84, data.efiRsdpPtr, true); // unaligned, as the MLE DG lays it out
  let offset = 92;
  if (data.eventLog.tcgFormat) {
    offset = writeElements(view, offset, [HeapElement.EVENT_LOG_POINTER2_1, elementSize]);
    view.setBigUint64(offset, data.eventLog.physicalAddress, true);
    view.setUint32(offset + 8, data.eventLog.allocatedSize, true);
    // FirstRecordOffset and NextRecordOffset start at 0: SINIT writes the Spec ID header itself
    offset += 20;
  } else {
    offset = writeElements(view, offset, [HeapElement.EVENT_LOG_POINTER2, elementSize, 1]);
    view.setUint16(offset, 0x000b, true); // NOVA's type-7 fallback: one SHA-256 log
    view.setBigUint64(offset + 4, data.eventLog.physicalAddress, true);
    view.setUint32(offset + 12, data.eventLog.allocatedSize, true);
    offset += 24;
  }
  writeElements(view, offset, END_ELEMENT);
  return bytes;
}

/** Fixed part of SinitMleData v9 before its extended elements. */
const SINIT_MLE_FIXED = 148;

function encodeSinitMleData(data: SinitMleData): Uint8Array {
  const mdrBody = SINIT_MLE_FIXED + 8;
  const { bytes, view } = padded(mdrBody + 24 * data.mdrs.length);
  view.setUint32(0, SINIT_MLE_DATA_VERSION, true);
  // v9 reserves the SHA-1 fields of older versions (BiosAcmID .. PolicyControl): zero
  view.setUint32(120, data.rlpWakeupAddr, true);
  view.setUint32(128, data.mdrs.length, true);
  // the MDR offset counts from the table's 8-byte size field (txt-tpm.md §3.4)
  view.setUint32(132, mdrBody + 8, true);
  view.setUint32(144, data.processorScrtmStatus, true);
  writeElements(view, SINIT_MLE_FIXED, END_ELEMENT);
  data.mdrs.forEach((mdr, index) => {
    const at = mdrBody + 24 * index;
    view.setBigUint64(at, mdr.address, true);
    view.setBigUint64(at + 8, mdr.length, true);
    bytes[at + 16] = mdr.type;
  });
  return bytes;
}

/** Table sizes and versions of an encoded heap, checked the way NOVA walks it after launch. */
export function parseTxtHeapTables(bytes: Uint8Array, file = "TXT heap"): { readonly bodies: readonly Uint8Array[]; readonly versions: readonly number[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bodies: Uint8Array[] = [];
  const versions: number[] = [];
  let offset = 0;
  for (const name of ["BiosData", "OsMleData", "OsSinitData", "SinitMleData"]) {
    if (offset + 8 > bytes.length) throw new NovakitError(LaunchDiagnostic.BAD_HEAP, `the heap ends before ${name}`, { file, offset, field: name });
    const size = view.getBigUint64(offset, true);
    if (size < 12n || size % 8n !== 0n || BigInt(offset) + size > BigInt(bytes.length)) {
      throw new NovakitError(LaunchDiagnostic.BAD_HEAP, `${name} size ${size} is not a multiple of 8 that fits the heap`, { file, offset, field: `${name}.Size` });
    }
    const body = bytes.subarray(offset + 8, offset + Number(size));
    bodies.push(body);
    versions.push(view.getUint32(offset + 8, true));
    offset += Number(size);
  }
  return { bodies, versions };
}
