import { describe, expect, it } from "vitest";
import { isNovakitError } from "@novakit/kernel-core";
import { hypervisorElf } from "../measure/composed-image.js";
import { encodeMleHeader, findMleHeader, parseMleHeader } from "./mle-header.js";
import { mleImageFromElf } from "./mle-image.js";
import { dprRange } from "./txt-config-space.js";
import { encodeTxtHeap, parseTxtHeapTables, type TxtHeap } from "./txt-heap.js";

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isNovakitError(error)) return error.code;
    throw error;
  }
  return "no error";
}

const heap: TxtHeap = {
  biosData: { version: 6, biosSinitSize: 0, numLogProcs: 4, sinitFlags: 0, mleFlags: 2 },
  osMleData: { mtrrDefType: 0xc06n, miscEnable: 0x850089n, debugCtl: 0n, variableMtrrs: [{ base: 6n, mask: 0xff80000800n }] },
  osSinitData: {
    flags: 1,
    mlePageTableBase: 0x401000n,
    mleSize: 0x1234n,
    mleHeaderBase: 0n,
    pmrLowBase: 0x400000n,
    pmrLowSize: 0x200000n,
    pmrHighBase: 0n,
    pmrHighSize: 0n,
    lcpPoBase: 0n,
    lcpPoSize: 0n,
    capabilities: 0x347,
    efiRsdpPtr: 0xf5a40n,
    eventLog: { tcgFormat: true, physicalAddress: 0x400000n, allocatedSize: 0x1000 },
  },
  sinitMleData: { rlpWakeupAddr: 0, mdrs: [{ address: 0x100000n, length: 0x1fc00000n, type: 0 }], processorScrtmStatus: 1 },
};

describe("MLE header (txt-tpm.md §2.1)", () => {
  it("is 52 bytes: UUID 5aac8290 6f47a774 0f5c55a2 cb51b642, then HeaderLen 52 and version 0x20003", () => {
    const bytes = encodeMleHeader({ version: 0x20003, entryPoint: 0x40, firstValidPage: 0, mleStart: 0, mleEnd: 0x2000, capabilities: 0x7ff, cmdlineStart: 0, cmdlineEnd: 0 });
    expect(Buffer.from(bytes.subarray(0, 16)).toString("hex")).toBe("5aac82906f47a7740f5c55a2cb51b642");
    expect(Buffer.from(bytes.subarray(16, 24)).toString("hex")).toBe("3400000003000200");
    expect(parseMleHeader(bytes, 0, "x")).toMatchObject({ version: 0x20003, mleEnd: 0x2000, capabilities: 0x7ff });
    expect(codeOf(() => findMleHeader(new Uint8Array(256), "x"))).toBe("NK-TXT-007");
  });

  it("measures a hypervisor ELF as NOVA's cmd/digest does: MleEnd - MleStart bytes of PT_LOAD contents", () => {
    const elf = hypervisorElf('{"hello":"nova"}');
    const image = mleImageFromElf(elf, "x");
    expect(image.headerOffset).toBe(0x1000);
    expect(image.headerLinearOffset).toBe(0); // the MLE starts with its header, as NOVA's .head
    expect(image.measured.length).toBe(0x40 + 16);
    expect(new TextDecoder().decode(image.measured.subarray(0x40))).toBe('{"hello":"nova"}');
    const broken = Uint8Array.from(elf);
    new DataView(broken.buffer).setUint32(0x1000 + 36, 0x100000, true); // MleEnd beyond the segments
    expect(codeOf(() => mleImageFromElf(broken, "x"))).toBe("NK-TXT-007");
  });
});

describe("TXT heap (txt-tpm.md §3)", () => {
  it("lays out four size-prefixed tables, sizes including the size field and multiples of 8", () => {
    const layout = encodeTxtHeap(heap, 0x100000);
    const view = new DataView(layout.bytes.buffer);
    const { bodies, versions } = parseTxtHeapTables(layout.bytes);
    expect(versions).toEqual([6, 0, 7, 9]);
    for (const offset of [0, layout.osMleData - 8, layout.osSinitData - 8, layout.sinitMleData - 8]) expect(Number(view.getBigUint64(offset, true)) % 8).toBe(0);
    expect(view.getBigUint64(0, true)).toBe(BigInt(8 + (bodies[0]?.length ?? 0)));
    // BiosData: NumLogProcs at 24, MleFlags at 32
    expect(view.getUint32(layout.biosData + 24, true)).toBe(4);
    expect(view.getUint32(layout.biosData + 32, true)).toBe(2);
    // OsSinitData v7: MlePageTableBase at 8, MleSize at 16, Capabilities at 80, unaligned RSDP at 84, then a type-8 element
    const os = layout.osSinitData;
    expect(view.getBigUint64(os + 8, true)).toBe(0x401000n);
    expect(view.getBigUint64(os + 16, true)).toBe(0x1234n);
    expect(view.getUint32(os + 80, true)).toBe(0x347);
    expect(view.getBigUint64(os + 84, true)).toBe(0xf5a40n);
    expect([view.getUint32(os + 92, true), view.getUint32(os + 96, true)]).toEqual([8, 28]);
    expect(view.getBigUint64(os + 100, true)).toBe(0x400000n);
    expect([view.getUint32(os + 120, true), view.getUint32(os + 124, true)]).toEqual([0, 8]); // END
    // SinitMleData v9: MDR count at 128, offset from the size field at 132, S-CRTM status at 144
    const sm = layout.sinitMleData;
    expect(view.getUint32(sm + 128, true)).toBe(1);
    const mdrOffset = view.getUint32(sm + 132, true);
    expect(view.getBigUint64(sm - 8 + mdrOffset, true)).toBe(0x100000n);
    expect(view.getUint32(sm + 144, true)).toBe(1);
  });

  it("refuses tables that do not fit TXT.HEAP.SIZE (NK-TXT-008)", () => {
    expect(codeOf(() => encodeTxtHeap(heap, 64))).toBe("NK-TXT-008");
    expect(codeOf(() => parseTxtHeapTables(new Uint8Array(12)))).toBe("NK-TXT-008");
  });

  it("decodes the DPR register: top in bits 31:20, size in MiB in bits 11:4", () => {
    expect(dprRange(0x1ff00021)).toEqual({ base: 0x1fd00000, top: 0x1ff00000 });
    expect(dprRange(0xfff00031)).toEqual({ base: 0xffc00000, top: 0xfff00000 });
  });
});
