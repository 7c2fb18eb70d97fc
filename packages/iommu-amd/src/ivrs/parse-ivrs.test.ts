import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isNovakitError, type NovakitError } from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";
import { encodeIvrs } from "./encode-ivrs.js";
import type { IvrsTableInput } from "./ivrs-types.js";
import { parseIvrs } from "./parse-ivrs.js";
import { syntheticIvrs } from "./synthetic-ivrs.js";

const FIXTURES = fileURLToPath(new URL("../../fixtures/ivrs/", import.meta.url));
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(`${FIXTURES}${name}.ivrs.bin`));

function errorOf(action: () => unknown): NovakitError {
  try {
    action();
  } catch (error) {
    if (isNovakitError(error)) return error;
    throw error;
  }
  throw new Error("expected a NovakitError");
}

/** patch bytes of a table and make its checksum right again, so the parser gets past the header */
function patched(bytes: Uint8Array, patch: (view: DataView) => void): Uint8Array {
  const copy = bytes.slice();
  patch(new DataView(copy.buffer));
  copy[9] = 0;
  let sum = 0;
  for (const byte of copy) sum = (sum + byte) & 0xff;
  copy[9] = (0x100 - sum) & 0xff;
  return copy;
}

describe("parseIvrs", () => {
  it("decodes the SR5690 (990FX) table field by field", () => {
    const ivrs = parseIvrs(fixture("Desktop-ASRock-970M-970M-Pro3-75A2DB3F503A"), "970m");
    expect(ivrs.header).toMatchObject({ signature: "IVRS", length: 0xd8, revision: 1, oemTableId: "RD890S" });
    expect(ivrs.ivinfo).toEqual({ raw: 0x203400, efrSupported: false, dmaRemapSupported: false, gvaSize: 0, paSize: 52, vaSize: 64, htAtsReserved: false });
    expect(ivrs.blocks).toHaveLength(1);
    const ivhd = ivrs.blocks[0]!;
    expect(ivhd).toMatchObject({ kind: "ivhd", type: 0x10, flags: 0x3e, length: 0xa8, deviceId: 2, capabilityOffset: 0x40, baseAddress: 0xfeb2_0000n, pciSegment: 0, iommuInfo: 0x1300, featureReporting: 0 });
    expect("efr" in ivhd).toBe(false);
    if (ivhd.kind !== "ivhd") throw new Error("not an IVHD");
    expect(ivhd.entries[0]).toMatchObject({ kind: "range-start", type: 3, deviceId: 0, setting: 0, offset: 0x48, length: 4 });
    expect(ivhd.entries.find((entry) => entry.offset === 0x98)).toMatchObject({ kind: "alias-range-start", deviceId: 0x400, sourceDeviceId: 0xa4 });
    expect(ivhd.entries.find((entry) => entry.offset === 0x80)).toMatchObject({ kind: "select", deviceId: 0xa0, setting: 0xd7 });
  });

  it("decodes 11h/40h EFR images, F0h entries at odd offsets and the undefined 51h block", () => {
    const ivrs = parseIvrs(fixture("Notebook-Lenovo-ThinkPad-ThinkPad-L14-Gen-3-21C60010BO-405067A82A69"), "l14");
    expect(ivrs.ivinfo).toMatchObject({ efrSupported: true, dmaRemapSupported: true, gvaSize: 2, paSize: 48, vaSize: 64 });
    expect(ivrs.blocks.map((block) => block.type)).toEqual([0x10, 0x11, 0x21, 0x40, 0x51]);
    expect(ivrs.blocks[1]).toMatchObject({ type: 0x11, featureReporting: 0x40200, efr: 0x206d_73ef_2225_4aden, efr2: 0n });
    expect(ivrs.blocks[2]).toMatchObject({ kind: "ivmd", flags: 8, deviceId: 0x100, startAddress: 0xc9f4_2000n, memoryLength: 0x2_6000n });
    const mixed = ivrs.blocks[3]!;
    if (mixed.kind !== "ivhd") throw new Error("not an IVHD");
    const hids = mixed.entries.filter((entry) => entry.kind === "acpi-hid");
    expect(hids).toHaveLength(4);
    expect(hids[1]!.offset % 2).toBe(1);
    expect(hids.map((entry) => (entry.kind === "acpi-hid" ? new TextDecoder().decode(entry.uid) : ""))).toEqual(["\\_SB.FUR0", "\\_SB.FUR1", "\\_SB.FUR2", "\\_SB.FUR3"]);
    expect(ivrs.blocks[4]).toMatchObject({ kind: "unknown", type: 0x51, length: 32 });
  });

  it("reports an entry type with no defined length and keeps the rest of the block instead of guessing", () => {
    const input = syntheticIvrs();
    const ivhd = input.blocks[0]!;
    if (ivhd.kind !== "ivhd") throw new Error("not an IVHD");
    const withUnknown: IvrsTableInput = {
      ...input,
      blocks: [{ ...ivhd, entries: [...ivhd.entries.slice(0, 2), { kind: "unknown", type: 0x85, unknown: true, bytes: Uint8Array.of(0x85, 1, 2, 3, 4, 5) }] }],
    };
    const bytes = encodeIvrs(withUnknown);
    const ivrs = parseIvrs(bytes, "unknown-entry");
    const block = ivrs.blocks[0]!;
    if (block.kind !== "ivhd") throw new Error("not an IVHD");
    expect(block.entries.at(-1)).toMatchObject({ kind: "unknown", type: 0x85, unknown: true, offset: 48 + 40 + 8, length: 6 });
    expect(encodeIvrs(ivrs)).toEqual(bytes);
  });

  it("rejects a table that is not an IVRS or fails its checksum (arch-x86_64 header checks)", () => {
    const bytes = encodeIvrs(syntheticIvrs());
    const notIvrs = bytes.slice();
    notIvrs.set([0x44, 0x4d, 0x41, 0x52], 0);
    expect(errorOf(() => parseIvrs(notIvrs, "x")).code).toBe("NK-ACPI-005");
    const badSum = bytes.slice();
    badSum[9] = (badSum[9]! + 1) & 0xff;
    expect(errorOf(() => parseIvrs(badSum, "x")).code).toBe("NK-ACPI-004");
  });

  it("rejects a header shorter than 48 bytes", () => {
    const bytes = encodeIvrs({ ...syntheticIvrs(), blocks: [] }).slice(0, 40);
    const short = patched(bytes, (view) => view.setUint32(4, 40, true));
    const error = errorOf(() => parseIvrs(short, "short.bin"));
    expect(error.code).toBe("NK-IVRS-002");
    expect(error.location).toMatchObject({ file: "short.bin", offset: 4 });
  });

  it("rejects a zero block length instead of looping", () => {
    const bytes = patched(encodeIvrs(syntheticIvrs()), (view) => view.setUint16(48 + 2, 0, true));
    const error = errorOf(() => parseIvrs(bytes, "zero.bin"));
    expect(error.code).toBe("NK-IVRS-003");
    expect(error.location).toMatchObject({ file: "zero.bin", offset: 50, field: "IVRS.block.length" });
  });

  it("rejects an IVHD shorter than its header and a block past the table end", () => {
    expect(errorOf(() => parseIvrs(patched(encodeIvrs(syntheticIvrs()), (view) => view.setUint16(50, 30, true)), "x")).code).toBe("NK-IVRS-003");
    const error = errorOf(() => parseIvrs(patched(encodeIvrs(syntheticIvrs()), (view) => view.setUint16(50, 0x400, true)), "x"));
    expect(error.code).toBe("NK-IVRS-004");
  });

  it("rejects device entries that do not end exactly at the block end", () => {
    // shorten the IVHD by 2 bytes: its last 8-byte entry now runs past the block end
    const bytes = encodeIvrs(syntheticIvrs());
    const view = new DataView(bytes.buffer);
    const ivhdLength = view.getUint16(50, true);
    const shorter = patched(bytes, (patch) => patch.setUint16(50, ivhdLength - 2, true));
    const error = errorOf(() => parseIvrs(shorter, "overrun.bin"));
    expect(error.code).toBe("NK-IVRS-005");
    expect(error.location.offset).toBe(48 + ivhdLength - 8);
  });

  it("rejects an IVMD whose length is not 32 and a block header cut by the table end", () => {
    const bytes = encodeIvrs(syntheticIvrs());
    const ivmdAt = 48 + new DataView(bytes.buffer).getUint16(50, true);
    expect(errorOf(() => parseIvrs(patched(bytes, (view) => view.setUint16(ivmdAt + 2, 24, true)), "x")).code).toBe("NK-IVRS-006");
    const cut = patched(bytes.slice(0, bytes.length - 30), (view) => view.setUint32(4, bytes.length - 30, true));
    const error = errorOf(() => parseIvrs(cut, "cut.bin"));
    // two bytes of the last block's header remain: its length field is cut
    expect(error.code).toBe("NK-IVRS-001");
    expect(error.location).toMatchObject({ file: "cut.bin", offset: bytes.length - 32 + 2, field: "IVRS.block.length" });
  });
});
