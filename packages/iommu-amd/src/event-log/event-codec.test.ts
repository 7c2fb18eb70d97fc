import { describe, expect, it } from "vitest";
import { decodeEvent, encodeEvent } from "./event-codec.js";
import { EventCode, type EventWords, type IommuEvent } from "./event-types.js";

/** Hand-computed from amd-iommu.md §6.2/§6.3: code 63:60, flags 59:48, DomainID/PASID 47:32 (+19:16), DeviceID 15:0. */
const VECTORS: ReadonlyArray<{ readonly event: IommuEvent; readonly words: EventWords }> = [
  {
    // the §4.5 write fault: PR (52) | RW (53) | PE (54) = flags 0x070
    event: { kind: "IO_PAGE_FAULT", deviceId: 0x0100, domainId: 0x42, flags: 0x070, address: 0x12_3456_7abcn },
    words: [0x2070_0042_0000_0100n, 0x12_3456_7abcn],
  },
  {
    // PASID 0x51234: 15:0 at 47:32, 19:16 at 19:16; RW | RZ
    event: { kind: "ILLEGAL_DEV_TABLE_ENTRY", deviceId: 0x0100, pasid: 0x5_1234, flags: 0x0a0, address: 0x1000n },
    words: [0x10a0_1234_0005_0100n, 0x1000n],
  },
  {
    // Type 2 (target abort) at 58:57 = field bits 10:9, RW
    event: { kind: "DEV_TAB_HARDWARE_ERROR", deviceId: 0x00a5, flags: 0x420, address: 0x20_14a0n },
    words: [0x3420_0000_0000_00a5n, 0x20_14a0n],
  },
  {
    event: { kind: "PAGE_TAB_HARDWARE_ERROR", deviceId: 1, domainId: 9, flags: 0x601, address: 0x10_0240n },
    words: [0x4601_0009_0000_0001n, 0x10_0240n],
  },
  { event: { kind: "ILLEGAL_COMMAND_ERROR", address: 0x10_0030n }, words: [0x5000_0000_0000_0000n, 0x10_0030n] },
  { event: { kind: "COMMAND_HARDWARE_ERROR", flags: 0x600, address: 0x12000n }, words: [0x6600_0000_0000_0000n, 0x12000n] },
  { event: { kind: "IOTLB_INV_TIMEOUT", deviceId: 0x300, address: 0x10_0040n }, words: [0x7000_0000_0000_0300n, 0x10_0040n] },
  {
    // US at 49 (field bit 1), Type 4 at 59:57 (field bits 11:9)
    event: { kind: "INVALID_DEVICE_REQUEST", deviceId: 0x10, pasid: 0, flags: 0x802, address: 0xfee0_0000n },
    words: [0x8802_0000_0000_0010n, 0xfee0_0000n],
  },
  {
    event: { kind: "INVALID_PPR_REQUEST", deviceId: 0x10, pasid: 0x1_0002, flags: 0x020, address: 0x11ffn },
    words: [0x9020_0002_0001_0010n, 0x11ffn],
  },
  {
    // counter 51:32 at 83:64, 31:0 at 127:96
    event: { kind: "EVENT_COUNTER_ZERO", counter: 0x1_2345_6789_abcdn },
    words: [0xa000_0000_0000_0000n, 0x6789_abcd_0001_2345n],
  },
  { event: { kind: "GUEST_EVENT_FAULT", deviceId: 1, tag: 2, flags: 3, address: 4n }, words: [0xb003_0002_0000_0001n, 4n] },
  { event: { kind: "VIOMMU_HARDWARE_ERROR", deviceId: 2, tag: 0, flags: 0, address: 0x8000n }, words: [0xc000_0000_0000_0002n, 0x8000n] },
  { event: { kind: "RMP_PAGE_FAULT", deviceId: 0x100, tag: 0xffff, flags: 0, address: 0x1_0000_0000n }, words: [0xd000_ffff_0000_0100n, 0x1_0000_0000n] },
  { event: { kind: "RMP_HARDWARE_ERROR", deviceId: 0x100, tag: 0xf_0000, flags: 0xfff, address: 0n }, words: [0xefff_0000_000f_0100n, 0n] },
];

describe("event encode/decode (amd-iommu.md §6.3)", () => {
  it("covers every event code", () => {
    expect(new Set(VECTORS.map((vector) => vector.event.kind))).toEqual(new Set(Object.keys(EventCode)));
  });

  it.each(VECTORS.map((vector) => [vector.event.kind, vector] as const))("%s round-trips against hand-computed words", (_kind, vector) => {
    expect(encodeEvent(vector.event)).toEqual(vector.words);
    expect(decodeEvent(vector.words)).toEqual(vector.event);
  });

  it("rejects fields an event does not have or that do not fit (NK-IOMMU-206)", () => {
    const fault = { kind: "IO_PAGE_FAULT", deviceId: 1, domainId: 1, flags: 0, address: 0n } as const;
    expect(() => encodeEvent({ ...fault, flags: 0x200 })).toThrowError(expect.objectContaining({ code: "NK-IOMMU-206", location: { field: "flags" } }));
    expect(() => encodeEvent({ ...fault, deviceId: 0x10000 })).toThrowError(expect.objectContaining({ code: "NK-IOMMU-206" }));
    expect(() => encodeEvent({ ...fault, domainId: 0x10_0000 })).toThrowError(expect.objectContaining({ code: "NK-IOMMU-206" }));
    expect(() => encodeEvent({ ...fault, address: 1n << 64n })).toThrowError(expect.objectContaining({ code: "NK-IOMMU-206" }));
    expect(() => encodeEvent({ kind: "ILLEGAL_DEV_TABLE_ENTRY", deviceId: 1, pasid: 0, flags: 0, address: 2n })).toThrowError(expect.objectContaining({ code: "NK-IOMMU-206" }));
    expect(() => encodeEvent({ kind: "IOTLB_INV_TIMEOUT", deviceId: 1, address: 8n })).toThrowError(expect.objectContaining({ code: "NK-IOMMU-206" }));
    expect(() => encodeEvent({ kind: "EVENT_COUNTER_ZERO", counter: 1n << 52n })).toThrowError(expect.objectContaining({ code: "NK-IOMMU-206" }));
  });

  it("code 0 (an entry not yet written) and 0Fh are not events (NK-IOMMU-207)", () => {
    expect(() => decodeEvent([0n, 0n])).toThrowError(expect.objectContaining({ code: "NK-IOMMU-207" }));
    expect(() => decodeEvent([0xfn << 60n, 0n])).toThrowError(expect.objectContaining({ code: "NK-IOMMU-207" }));
    expect(() => decodeEvent([-1n, 0n])).toThrowError(expect.objectContaining({ code: "NK-IOMMU-207" }));
  });

  it("decoding ignores bits the event does not define", () => {
    expect(decodeEvent([0x5fff_ffff_ffff_ffffn, 0x10n])).toEqual({ kind: "ILLEGAL_COMMAND_ERROR", address: 0x10n });
  });
});
