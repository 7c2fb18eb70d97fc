import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { encodeIvrs } from "./encode-ivrs.js";
import { ivrsToJson } from "./ivrs-json.js";
import { parseIvrs } from "./parse-ivrs.js";
import { syntheticIvrs } from "./synthetic-ivrs.js";

const FIXTURES = fileURLToPath(new URL("../../fixtures/ivrs/", import.meta.url));

describe("ivrsToJson", () => {
  it("gives the firmware.ivrs shape with 64-bit values as hex strings", () => {
    const json = ivrsToJson(parseIvrs(encodeIvrs(syntheticIvrs()), "synthetic"));
    expect(json.revision).toBe(2);
    expect(json.ivinfo).toEqual({ value: 0x203041, efrSupported: true, dmaRemapSupported: false, gvaSize: 2, paSize: 48, vaSize: 64, htAtsReserved: false });
    expect(Object.keys(json.blocks[0]!)).toEqual(["type", "flags", "length", "deviceId", "capabilityOffset", "baseAddress", "pciSegment", "iommuInfo", "featureReporting", "efr", "efr2", "entries"]);
    expect(json.blocks[0]).toMatchObject({ type: 0x11, baseAddress: "0xfd200000", efr: "0xf77ef22294ada", efr2: "0x0", featureReporting: 0x40200 });
    const entries = json.blocks[0]!["entries"] as readonly Record<string, unknown>[];
    expect(entries[0]).toEqual({ type: 2, deviceId: 0x10, setting: 0 });
    expect(entries[3]).toEqual({ type: 0x42, deviceId: 0x300, setting: 0, sourceDeviceId: 0xa4 });
    expect(entries[8]).toEqual({ type: 0x48, deviceId: 0, setting: 0xd7, handle: 0x21, sourceDeviceId: 0xa0, variety: 1 });
    expect(json.blocks[1]).toEqual({ type: 0x21, flags: 7, length: 32, deviceId: 0x300, auxiliaryData: 0, startAddress: "0xc9f42000", memoryLength: "0x26000" });
    // plain JSON: survives a round trip through JSON text unchanged
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it("renders 10h without EFR images, F0h entries with text ids, and unknown blocks with their offset", () => {
    const bytes = new Uint8Array(readFileSync(`${FIXTURES}Notebook-Lenovo-ThinkPad-ThinkPad-L14-Gen-3-21C60010BO-405067A82A69.ivrs.bin`));
    const json = ivrsToJson(parseIvrs(bytes, "l14"));
    expect(json.blocks[0]).toMatchObject({ type: 0x10, efr: null, efr2: null, featureReporting: 0x80048f6f });
    const mixed = json.blocks[3]!["entries"] as readonly Record<string, unknown>[];
    expect(mixed.at(-1)).toEqual({ type: 0xf0, deviceId: 0xa5, setting: 0x40, hid: "AMDI0020", cid: "0x0", uidFormat: 2, uidLength: 9, uid: "\\_SB.FUR3" });
    expect(json.blocks[4]).toEqual({ type: 0x51, flags: 8, length: 32, deviceId: 0x100, unknown: true, offset: bytes.length - 32 });
  });
});
