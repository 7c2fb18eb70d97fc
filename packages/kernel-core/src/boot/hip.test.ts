import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createTestKernel } from "../kernel-state/test-support/test-kernel.js";
import { buildHip, decodeHip, HIP_ABSENT, HIP_SIGNATURE, hipChecksum, hipContentsFor, HipFeatureX86, type HipContents } from "./hip.js";

const x86: HipContents = {
  arch: "x86_64",
  novaImage: { start: 0x400000n, end: 0x600000n },
  mbuf: { start: 0x600000n, end: 0x601000n },
  rootImage: { start: 0x1000000n, end: 0x1200000n },
  rsdp: 0xf5a30n,
  uefiMap: { address: HIP_ABSENT, size: 0, descriptorSize: 0, descriptorVersion: 0 },
  stcFrequencyHz: 2_400_000_000n,
  selectors: 1n << 18n,
  eventSelectors: { hostArch: 32, hostNova: 2, guestArch: 256, guestNova: 2 },
  cpuCount: 4,
  bootCpu: 0,
  interruptPins: 24,
  interruptMsis: 193,
  mco: { obj: 9, hst: 27, gst: 27, dma: 27, pio: 16, msr: 16 },
  keyIdMax: 0,
  features: HipFeatureX86.IOMMU | HipFeatureX86.SVM,
  tpmEventLog: { address: 0x7f000000n, size: 0x10000, endOffset: 0x2a0 },
};

describe("HIP (nova.md §8.4)", () => {
  it("lays out every x86 field at its offset, little-endian", () => {
    const bytes = buildHip(x86);
    const view = new DataView(bytes.buffer);
    expect(bytes.length).toBe(0x90);
    expect(view.getUint32(0, true)).toBe(HIP_SIGNATURE);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x4e, 0x4f, 0x56, 0x41]); // "NOVA"
    expect(view.getUint16(6, true)).toBe(0x90);
    expect(view.getBigUint64(0x08, true)).toBe(0x400000n);
    expect(view.getBigUint64(0x30, true)).toBe(0x1200000n);
    expect(view.getBigUint64(0x38, true)).toBe(0xf5a30n);
    expect(view.getBigUint64(0x40, true)).toBe(HIP_ABSENT);
    expect(view.getBigUint64(0x50, true)).toBe(2_400_000_000n);
    expect(view.getBigUint64(0x58, true)).toBe(262144n);
    expect([0x60, 0x62, 0x64, 0x66].map((o) => view.getUint16(o, true))).toEqual([32, 2, 256, 2]);
    expect([0x68, 0x6a, 0x6c, 0x6e].map((o) => view.getUint16(o, true))).toEqual([4, 0, 24, 193]);
    expect(Array.from(bytes.subarray(0x70, 0x76))).toEqual([9, 27, 27, 27, 16, 16]);
    expect(view.getBigUint64(0x78, true)).toBe(0b101n);
    expect(view.getBigUint64(0x80, true)).toBe(0x7f000000n);
    expect(view.getUint32(0x88, true)).toBe(0x10000);
    expect(view.getUint32(0x8c, true)).toBe(0x2a0);
    expect(hipChecksum(bytes)).toBe(0);
  });

  it("builds the Arm variant (SMGNUM, CTXNUM) with its own length", () => {
    const { tpmEventLog: _unused, ...common } = x86;
    const arm: HipContents = { ...common, arch: "aarch64", eventSelectors: { hostArch: 64, hostNova: 2, guestArch: 64, guestNova: 3 }, smmu: { streamMatchGroups: 128, contexts: 64 } };
    const bytes = buildHip(arm);
    expect(bytes.length).toBe(0x84);
    expect(new DataView(bytes.buffer).getUint16(0x80, true)).toBe(128);
    expect(decodeHip(bytes)).toEqual(arm);
  });

  it("decodes what it builds and always checksums to zero (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.integer({ min: 1, max: 128 }), fc.integer({ min: 0, max: 0xffff }), fc.bigInt({ min: 0n, max: 7n }), (rsdp, cpus, ki, features) => {
        const contents: HipContents = { ...x86, rsdp, cpuCount: cpus, bootCpu: cpus - 1, keyIdMax: ki, features };
        const bytes = buildHip(contents);
        expect(hipChecksum(bytes)).toBe(0);
        expect(decodeHip(bytes)).toEqual(contents);
      }),
      { numRuns: 100 },
    );
  });

  it("rejects a corrupted HIP with NK-KRN-107 and an out-of-range field with NK-KRN-108", () => {
    const bytes = buildHip(x86);
    const flipped = bytes.slice();
    flipped[0x68] ^= 1;
    expect(() => decodeHip(flipped)).toThrow(expect.objectContaining({ code: "NK-KRN-107", location: expect.objectContaining({ field: "checksum" }) }));
    const badSignature = bytes.slice();
    badSignature[0] = 0;
    expect(() => decodeHip(badSignature)).toThrow(expect.objectContaining({ code: "NK-KRN-107" }));
    expect(() => buildHip({ ...x86, cpuCount: 0x10000 })).toThrow(expect.objectContaining({ code: "NK-KRN-108" }));
  });

  it("derives the contents from a kernel state: MCOs from the formats, features, interrupts", () => {
    const k = createTestKernel();
    const contents = hipContentsFor(k.state, { novaImage: { start: 0n, end: 0n }, mbuf: { start: 0n, end: 0n }, rootImage: { start: 0n, end: 0n } });
    expect(contents.mco).toEqual({ obj: 9, hst: 27, gst: 27, dma: 27, pio: 16, msr: 16 });
    expect(contents.features).toBe(HipFeatureX86.IOMMU | HipFeatureX86.SVM);
    expect([contents.cpuCount, contents.bootCpu, contents.interruptPins, contents.interruptMsis]).toEqual([2, 0, 24, 193]);
    expect(contents.rsdp).toBe(0xf0000n);
    const bare = createTestKernel({ formats: ["HST"] });
    const bareContents = hipContentsFor(bare.state, { novaImage: { start: 0n, end: 0n }, mbuf: { start: 0n, end: 0n }, rootImage: { start: 0n, end: 0n } });
    expect(bareContents.features).toBe(0n);
    expect(bareContents.mco.gst).toBe(0);
  });
});
