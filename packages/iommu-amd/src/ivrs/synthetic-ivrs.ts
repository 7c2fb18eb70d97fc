import type { IvrsTableInput } from "./ivrs-types.js";

/**
 * A hand-built IVRS in the shape real Zen firmware writes (amd-iommu.md "Typical Zen device
 * list"), with every device-entry kind the decoder knows, for tests, examples and the iasl
 * round trip. Creator "INTL"/20200925 is what iasl writes, so iasl's recompiled table can be
 * compared whole.
 */
export function syntheticIvrs(): IvrsTableInput {
  const efr = 0x000f_77ef_2229_4adan;
  return {
    header: { revision: 2, oemId: "NOVAKT", oemTableId: "SYNTHIVR", oemRevision: 1, creatorId: "INTL", creatorRevision: 0x20200925 },
    ivinfo: { raw: 0x0020_3041 },
    reserved: 0n,
    blocks: [
      {
        kind: "ivhd",
        type: 0x11,
        flags: 0x30,
        deviceId: 0x0002,
        capabilityOffset: 0x40,
        baseAddress: 0xfd20_0000n,
        pciSegment: 0,
        iommuInfo: 0,
        featureReporting: 0x0004_0200,
        efr,
        efr2: 0n,
        entries: [
          { kind: "select", type: 0x02, deviceId: 0x0010, setting: 0 },
          { kind: "range-start", type: 0x03, deviceId: 0x0100, setting: 0 },
          { kind: "range-end", type: 0x04, deviceId: 0x01ff, setting: 0 },
          { kind: "alias-select", type: 0x42, deviceId: 0x0300, setting: 0, sourceDeviceId: 0x00a4 },
          { kind: "alias-range-start", type: 0x43, deviceId: 0xff00, setting: 0, sourceDeviceId: 0x00a5 },
          { kind: "range-end", type: 0x04, deviceId: 0xff1f, setting: 0 },
          { kind: "padding", type: 0x00, deviceId: 0, setting: 0 },
          { kind: "special", type: 0x48, deviceId: 0, setting: 0x00, handle: 0x00, sourceDeviceId: 0x00a0, variety: 2 },
          { kind: "special", type: 0x48, deviceId: 0, setting: 0xd7, handle: 0x21, sourceDeviceId: 0x00a0, variety: 1 },
          { kind: "special", type: 0x48, deviceId: 0, setting: 0x00, handle: 0x22, sourceDeviceId: 0x0001, variety: 1 },
        ],
      },
      { kind: "ivmd", type: 0x21, flags: 0x07, deviceId: 0x0300, auxiliaryData: 0, reserved: 0n, startAddress: 0xc9f4_2000n, memoryLength: 0x2_6000n },
      { kind: "ivmd", type: 0x22, flags: 0x08, deviceId: 0x0000, auxiliaryData: 0x0fff, reserved: 0n, startAddress: 0xfd00_0000n, memoryLength: 0x1000n },
    ],
  };
}
