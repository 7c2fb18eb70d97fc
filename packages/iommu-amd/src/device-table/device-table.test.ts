import { describe, expect, it } from "vitest";
import { PhysicalMemory } from "@novakit/kernel-core";
import { DeviceTable } from "./device-table.js";
import { IntCtl, NOVA_DENY_DTE, decodeDte, encodeDte, novaAssignedTranslation, type DeviceTableEntry } from "./device-table-entry.js";

const ASSIGNED: DeviceTableEntry = {
  valid: true,
  translationValid: true,
  mode: 3,
  pageTableRoot: 0x100000n,
  readPermission: true,
  writePermission: true,
  domainId: 0x1234,
  interruptValid: true,
  intTabLen: 8,
  intTableRoot: 0xfedc_b000n,
  intCtl: IntCtl.REMAP,
};

describe("device table entry (amd-iommu.md §3, nova.md §4.3)", () => {
  it("encodes the worked example's quadword 0 and NOVA's interrupt half", () => {
    const words = encodeDte(ASSIGNED);
    expect(words[0]).toBe(0x6000000000100603n); // §4.5
    expect(words[1]).toBe(0x1234n); // DomainID at DTE 79:64
    // IV | IntTabLen 8 << 1 | root | IntCtl 10b << 60 (§9.3: table | IntTabLen 8 | IntCtl 10b | IV)
    expect(words[2]).toBe(0x2000_0000_fedc_b011n);
    expect(words[3]).toBe(0n);
    expect(decodeDte(words)).toEqual(ASSIGNED);
  });

  it("round-trips field by field", () => {
    const variants: DeviceTableEntry[] = [
      { ...ASSIGNED, valid: false },
      { ...ASSIGNED, translationValid: false, mode: 0 },
      { ...ASSIGNED, readPermission: false, mode: 6, pageTableRoot: 0xf_ffff_ffff_f000n },
      { ...ASSIGNED, writePermission: false, domainId: 0xffff },
      { ...ASSIGNED, interruptValid: false, intCtl: IntCtl.FORWARD, intTabLen: 11, intTableRoot: 0xf_ffff_ffff_ffc0n },
    ];
    for (const entry of variants) expect(decodeDte(encodeDte(entry))).toEqual(entry);
  });

  it("NOVA's deny state is V=1 TV=0 and IV=1 IntCtl=0", () => {
    expect(NOVA_DENY_DTE).toEqual([1n, 0n, 1n, 0n]);
    expect(decodeDte(NOVA_DENY_DTE)).toMatchObject({ valid: true, translationValid: false, interruptValid: true, intCtl: IntCtl.ABORT, mode: 0 });
  });

  it("builds NOVA's assigned translation half", () => {
    expect(novaAssignedTranslation({ pageTableRoot: 0x100000n, mode: 3, domainId: 0x1234 })).toEqual([0x6000000000100603n, 0x1234n]);
    expect(() => novaAssignedTranslation({ pageTableRoot: 0x100000n, mode: 0, domainId: 1 })).toThrowError(expect.objectContaining({ code: "NK-IOMMU-105" }));
  });

  it("rejects fields that do not fit", () => {
    const bad: Partial<DeviceTableEntry>[] = [{ mode: 8 }, { pageTableRoot: 0x100800n }, { domainId: 0x10000 }, { intTabLen: 16 }, { intTableRoot: 0x20n }, { intCtl: 4 }];
    for (const change of bad) expect(() => encodeDte({ ...ASSIGNED, ...change })).toThrowError(expect.objectContaining({ code: "NK-IOMMU-105" }));
  });
});

describe("DeviceTable over PhysicalMemory", () => {
  it("stores entry BDF at base + BDF * 32, little-endian quadwords", () => {
    const memory = new PhysicalMemory();
    const table = new DeviceTable(memory, 0x400000n);
    table.write(0x0100, ASSIGNED);
    expect(memory.read64(0x400000n + 0x100n * 32n)).toBe(0x6000000000100603n);
    expect(memory.read64(0x400000n + 0x100n * 32n + 8n)).toBe(0x1234n);
    expect(table.read(0x0100)).toEqual(ASSIGNED);
    expect(table.read(0x0101).valid).toBe(false); // untouched memory: V=0
  });

  it("denyAll puts every DeviceID in NOVA's deny state", () => {
    const memory = new PhysicalMemory();
    const table = new DeviceTable(memory, 0x200000n);
    table.denyAll();
    for (const bdf of [0, 0x0100, 0x00a5, 0xffff]) expect(table.readWords(bdf)).toEqual(NOVA_DENY_DTE);
  });

  it("rejects a bad base or DeviceID", () => {
    const memory = new PhysicalMemory();
    expect(() => new DeviceTable(memory, 0x1234n)).toThrowError(expect.objectContaining({ code: "NK-IOMMU-106" }));
    const table = new DeviceTable(memory, 0n);
    expect(() => table.read(0x10000)).toThrowError(expect.objectContaining({ code: "NK-IOMMU-107" }));
    expect(() => table.read(-1)).toThrowError(expect.objectContaining({ code: "NK-IOMMU-107" }));
  });
});
