import { describe, expect, it } from "vitest";
import { qemuTable } from "../test-support/fixtures.js";
import { parseFadt, protectedPortRanges } from "./fadt.js";
import { parseHpet } from "./hpet.js";
import { parseMadt } from "./madt.js";
import { parseMcfg } from "./mcfg.js";
import { parseRsdt } from "./root-tables.js";
import { parseRsdp, rootTableOf } from "./rsdp.js";
import { parseSdtHeader } from "./sdt-header.js";

// Expected values: platform.md §7.4 (QEMU 7.2 q35 + amd-iommu, SeaBIOS), 512 MiB run.
describe("QEMU q35 + amd-iommu tables", () => {
  it("RSDP: revision 0, RSDT only, OEM BOCHS", () => {
    const rsdp = parseRsdp(qemuTable("RSDP"), "RSDP.bin");
    expect(rsdp.revision).toBe(0);
    expect(rsdp.oemId).toBe("BOCHS ");
    expect(rsdp.rsdtAddress).toBe(0x1ffe2460n);
    expect(rsdp.xsdtAddress).toBeUndefined();
    expect(rootTableOf(rsdp)).toEqual({ signature: "RSDT", address: 0x1ffe2460n });
  });

  it("RSDT: 60 bytes, 6 entries", () => {
    const rsdt = parseRsdt(qemuTable("RSDT"), "RSDT.bin");
    expect(rsdt.header.length).toBe(60);
    expect(rsdt.header.oemTableId).toBe("BXPC    ");
    expect(rsdt.entries).toEqual([0x1ffe21d8n, 0x1ffe22ccn, 0x1ffe235cn, 0x1ffe2394n, 0x1ffe23d0n, 0x1ffe2438n]);
  });

  it("FACP: 244 bytes, revision 3, FACS and DSDT addresses, protected ports", () => {
    const fadt = parseFadt(qemuTable("FACP"), "FACP.bin");
    expect(fadt.header.length).toBe(244);
    expect(fadt.header.revision).toBe(3);
    expect(fadt.facsAddress32).toBe(0x1ffe0000);
    expect(fadt.dsdtAddress32).toBe(0x1ffe0040);
    expect(fadt.xFacsAddress).toBe(0n);
    expect(fadt.xDsdtAddress).toBe(0x1ffe0040n);
    expect(fadt.facsAddress).toBe(0x1ffe0000n);
    expect(fadt.dsdtAddress).toBe(0x1ffe0040n);
    expect(fadt.sciInterrupt).toBe(9);
    expect(fadt.smiCommandPort).toBe(0xb2);
    expect(fadt.pm1aEventBlock).toBe(0x600);
    expect(fadt.pm1aControlBlock).toBe(0x604);
    expect(fadt.pm1bControlBlock).toBe(0);
    expect(fadt.pm2ControlBlock).toBe(0);
    expect(fadt.pmTimerBlock).toBe(0x608);
    expect(fadt.pm1ControlLength).toBe(2);
    expect(fadt.resetSupported).toBe(true);
    expect(fadt.resetRegister).toEqual({ spaceId: 1, bitWidth: 8, bitOffset: 0, accessSize: 0, address: 0xcf9n });
    expect(fadt.resetValue).toBe(0x0f);
    expect(fadt.hardwareReduced).toBe(false);
    expect(fadt.sleepControl).toBeUndefined();
    expect(protectedPortRanges(fadt)).toEqual([
      { name: "PM1a_CNT", port: 0x604, length: 2 },
      { name: "SMI_CMD", port: 0xb2, length: 1 },
    ]);
  });

  it("MADT: 4 LAPICs, IOAPIC 0 at 0xFEC00000 GSI 0, overrides, LAPIC NMI", () => {
    const madt = parseMadt(qemuTable("APIC"), "APIC.bin");
    expect(madt.header.length).toBe(144);
    expect(madt.header.revision).toBe(1);
    expect(madt.localApicAddress).toBe(0xfee00000n);
    expect(madt.pcatCompat).toBe(true);
    const lapics = madt.entries.filter((entry) => entry.type === "lapic");
    expect(lapics.map((entry) => [entry.processorUid, entry.apicId, entry.enabled])).toEqual([
      [0, 0, true],
      [1, 1, true],
      [2, 2, true],
      [3, 3, true],
    ]);
    const ioapics = madt.entries.filter((entry) => entry.type === "ioapic");
    expect(ioapics).toEqual([{ type: "ioapic", offset: 76, length: 12, ioApicId: 0, address: 0xfec00000n, gsiBase: 0 }]);
    const overrides = madt.entries.flatMap((entry) => (entry.type === "interrupt-override" ? [entry] : []));
    expect(overrides.map((entry) => [entry.bus, entry.sourceIrq, entry.gsi, entry.flags])).toEqual([
      [0, 0, 2, 0],
      [0, 5, 5, 0xd],
      [0, 9, 9, 0xd],
      [0, 10, 10, 0xd],
      [0, 11, 11, 0xd],
    ]);
    expect(overrides[1]?.polarity).toBe("active-high");
    expect(overrides[1]?.trigger).toBe("level");
    expect(overrides[0]?.polarity).toBe("bus-default");
    const nmis = madt.entries.filter((entry) => entry.type === "lapic-nmi");
    expect(nmis).toEqual([{ type: "lapic-nmi", offset: 138, length: 6, processorUid: 0xff, flags: 0, lint: 1, polarity: "bus-default", trigger: "bus-default" }]);
    expect(madt.entries).toHaveLength(11);
  });

  it("MCFG: base 0xB0000000, segment 0, buses 0-255", () => {
    const mcfg = parseMcfg(qemuTable("MCFG"), "MCFG.bin");
    expect(mcfg.header.length).toBe(60);
    expect(mcfg.allocations).toEqual([{ baseAddress: 0xb0000000n, segment: 0, startBus: 0, endBus: 255 }]);
  });

  it("HPET: Intel vendor id, 3 comparators, 64-bit, legacy capable, at 0xFED00000", () => {
    const hpet = parseHpet(qemuTable("HPET"), "HPET.bin");
    expect(hpet.eventTimerBlockId).toBe(0x8086a201);
    expect(hpet.vendorId).toBe(0x8086);
    expect(hpet.hardwareRevision).toBe(1);
    expect(hpet.comparators).toBe(3);
    expect(hpet.counter64Bit).toBe(true);
    expect(hpet.legacyReplacement).toBe(true);
    expect(hpet.baseAddress).toEqual({ spaceId: 0, bitWidth: 0, bitOffset: 0, accessSize: 0, address: 0xfed00000n });
    expect(hpet.minimumTick).toBe(0);
  });

  it("every other table has a valid header: DSDT 8600 bytes, IVRS 104, WAET 40", () => {
    expect(parseSdtHeader(qemuTable("DSDT"), { file: "DSDT.bin" }).header.length).toBe(8600);
    expect(parseSdtHeader(qemuTable("IVRS"), { file: "IVRS.bin", expectedSignature: "IVRS" }).header.length).toBe(104);
    expect(parseSdtHeader(qemuTable("WAET"), { file: "WAET.bin" }).header.signature).toBe("WAET");
  });
});
