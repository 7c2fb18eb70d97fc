import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { encodeIvrs } from "./encode-ivrs.js";
import type { IvhdBlockInput, IvrsTableInput } from "./ivrs-types.js";
import { parseIvrs } from "./parse-ivrs.js";
import { resolveDeviceMap } from "./resolve-device-map.js";
import { selectIvhdBlocks } from "./select-ivhd-blocks.js";
import { syntheticIvrs } from "./synthetic-ivrs.js";

const FIXTURES = fileURLToPath(new URL("../../fixtures/ivrs/", import.meta.url));
const fixture = (name: string) => parseIvrs(new Uint8Array(readFileSync(`${FIXTURES}${name}.ivrs.bin`)), name);

function withBlocks(ivinfo: number, blocks: IvrsTableInput["blocks"]) {
  const input = syntheticIvrs();
  return parseIvrs(encodeIvrs({ ...input, ivinfo: { raw: ivinfo }, blocks }), "synthetic");
}

function ivhd(type: 0x10 | 0x11 | 0x40, baseAddress: bigint, entries: IvhdBlockInput["entries"], pciSegment = 0): IvhdBlockInput {
  return { kind: "ivhd", type, flags: 0, deviceId: 2, capabilityOffset: 0x40, baseAddress, pciSegment, iommuInfo: 0, featureReporting: 0, entries };
}

describe("selectIvhdBlocks (nova.md §4.2)", () => {
  it("takes 40h first, then 11h, then 10h, skipping an IOMMU base already taken", () => {
    const laptop = fixture("Notebook-Lenovo-ThinkPad-ThinkPad-L14-Gen-3-21C60010BO-405067A82A69");
    expect(selectIvhdBlocks(laptop).map((block) => block.type)).toEqual([0x40]);
    const desktop = fixture("Desktop-Gigabyte-Technology-X570-X570-AORUS-MASTER-DBD6D480B744");
    expect(selectIvhdBlocks(desktop).map((block) => block.type)).toEqual([0x11]);
  });

  it("parses only 10h when IVinfo has no EFRSup", () => {
    const table = withBlocks(0x0020_3040, [ivhd(0x10, 0xfd20_0000n, []), ivhd(0x11, 0xfd20_0000n, []), ivhd(0x40, 0xfd30_0000n, [])]);
    expect(selectIvhdBlocks(table).map((block) => [block.type, block.baseAddress])).toEqual([[0x10, 0xfd20_0000n]]);
  });

  it("keeps one block per distinct base: two IOMMUs described in different flavours", () => {
    const table = withBlocks(0x0020_3041, [ivhd(0x10, 0xa000_0000n, []), ivhd(0x10, 0xb000_0000n, []), ivhd(0x11, 0xa000_0000n, [])]);
    expect(selectIvhdBlocks(table).map((block) => [block.type, block.baseAddress])).toEqual([
      [0x11, 0xa000_0000n],
      [0x10, 0xb000_0000n],
    ]);
  });
});

describe("resolveDeviceMap", () => {
  it("resolves the synthetic table: select, range, alias, alias range and specials", () => {
    const map = resolveDeviceMap(parseIvrs(encodeIvrs(syntheticIvrs()), "synthetic"));
    const segment = map.segments.get(0)!;
    expect(segment.iommus).toHaveLength(1);
    expect(segment.devices.get(0x0010)).toMatchObject({ setting: 0, source: "select", iommuBase: 0xfd20_0000n });
    expect(segment.devices.get(0x0150)).toMatchObject({ source: "range" });
    expect(segment.devices.has(0x0200)).toBe(false);
    expect(segment.devices.get(0x0300)).toMatchObject({ source: "alias-select", aliasTo: 0x00a4 });
    expect(segment.devices.get(0x00a4)).toMatchObject({ source: "alias-source" });
    expect(segment.devices.get(0xff1f)).toMatchObject({ source: "alias-range", aliasTo: 0x00a5 });
    expect(segment.devices.has(0xff20)).toBe(false);
    // 1 select + 256 range + alias X and Y + 32 alias range + its source
    expect(map.size).toBe(1 + 256 + 2 + 32 + 1);
    expect(segment.specials).toEqual([
      { kind: "hpet", variety: 2, handle: 0, sourceDeviceId: 0xa0, setting: 0, iommuBase: 0xfd20_0000n },
      { kind: "ioapic", variety: 1, handle: 0x21, sourceDeviceId: 0xa0, setting: 0xd7, iommuBase: 0xfd20_0000n },
      { kind: "ioapic", variety: 1, handle: 0x22, sourceDeviceId: 0x01, setting: 0, iommuBase: 0xfd20_0000n },
    ]);
  });

  it("applies later entries over earlier ones, the start entry's setting to a range, and ignores unclosed ranges", () => {
    const table = withBlocks(0x0020_3041, [
      ivhd(0x11, 0xa000_0000n, [
        { kind: "range-start", type: 3, deviceId: 0x10, setting: 0x01 },
        { kind: "range-end", type: 4, deviceId: 0x1f, setting: 0xff },
        { kind: "select", type: 2, deviceId: 0x12, setting: 0x40 },
        { kind: "ext-select", type: 0x46, deviceId: 0x30, setting: 0, extendedSetting: 0x8000_0000 },
        { kind: "ext-range-start", type: 0x47, deviceId: 0x40, setting: 2, extendedSetting: 5 },
        { kind: "range-end", type: 4, deviceId: 0x41, setting: 0 },
        { kind: "range-end", type: 4, deviceId: 0x50, setting: 0 },
        { kind: "range-start", type: 3, deviceId: 0x60, setting: 0 },
      ]),
      ivhd(0x11, 0xb000_0000n, [{ kind: "select", type: 2, deviceId: 0x12, setting: 0x80 }], 1),
    ]);
    const map = resolveDeviceMap(table);
    const zero = map.segments.get(0)!;
    expect(zero.devices.get(0x11)?.setting).toBe(0x01);
    expect(zero.devices.get(0x12)?.setting).toBe(0x40);
    expect(zero.devices.get(0x30)).toMatchObject({ source: "ext-select", extendedSetting: 0x8000_0000 });
    expect(zero.devices.get(0x41)).toMatchObject({ source: "ext-range", setting: 2, extendedSetting: 5 });
    expect(zero.devices.has(0x50)).toBe(false);
    expect(zero.devices.has(0x60)).toBe(false);
    expect(map.segments.get(1)!.devices.get(0x12)).toMatchObject({ setting: 0x80, iommuBase: 0xb000_0000n });
    expect(map.size).toBe(16 + 1 + 2 + 1);
  });

  it("expands ALL to every DeviceID and keeps F0h devices only from a 40h block", () => {
    const hid = new TextEncoder().encode("AMDI0020");
    const acpi = { kind: "acpi-hid" as const, type: 0xf0, deviceId: 0xa5, setting: 0x40, hid, cid: new Uint8Array(8), uidFormat: 2, uid: new TextEncoder().encode("\\_SB.FUR0") };
    const table = withBlocks(0x0020_3041, [ivhd(0x40, 0xa000_0000n, [{ kind: "all", type: 1, deviceId: 0, setting: 0x30 }, acpi]), ivhd(0x11, 0xb000_0000n, [acpi], 2)]);
    const map = resolveDeviceMap(table);
    expect(map.segments.get(0)!.devices.size).toBe(0x10000);
    expect(map.segments.get(0)!.devices.get(0xffff)).toMatchObject({ setting: 0x30, source: "all" });
    expect(map.segments.get(0)!.acpiDevices).toHaveLength(1);
    expect(map.segments.get(2)!.acpiDevices).toHaveLength(0);
  });

  it("maps a real laptop: IOMMU at 00:00.2, FCH alias range, IOAPIC/HPET specials", () => {
    const map = resolveDeviceMap(fixture("Notebook-Lenovo-ThinkPad-ThinkPad-L14-Gen-3-21C60010BO-405067A82A69"));
    const segment = map.segments.get(0)!;
    expect(segment.iommus.map((block) => block.type)).toEqual([0x40]);
    expect(segment.devices.get(0xff00)).toMatchObject({ aliasTo: 0x00a5 });
    expect(segment.specials.map((special) => special.kind)).toEqual(["hpet", "ioapic", "ioapic"]);
    expect(segment.acpiDevices).toHaveLength(4);
  });
});
