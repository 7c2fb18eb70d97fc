import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { builtInProfiles, platformFromProfile, qemuQ35AmdIommuProfile } from "@novakit/arch-x86_64";
import { parseIvrs, resolveDeviceMap } from "@novakit/iommu-amd";
import { describe, expect, it } from "vitest";
import { AI_HOST_ADDED_DEVICES, deriveAiHostFirmware } from "./derive-ai-host-firmware.js";

const aiHost = builtInProfiles.find((entry) => entry.name === "qemu-q35-amd-iommu-ai-host");
if (aiHost === undefined) throw new Error("the AI-host profile is not registered");
const AI_HOST_FOLDER = aiHost.create().firmwareTables;
const Q35_FOLDER = qemuQ35AmdIommuProfile().firmwareTables;

describe("the AI host's derived firmware (qemu-q35-amd-iommu-ai-host)", () => {
  const derived = deriveAiHostFirmware(Q35_FOLDER);

  it("re-derives every committed table byte for byte, and the address manifest", () => {
    const committed = readdirSync(AI_HOST_FOLDER).filter((name) => name.endsWith(".bin")).sort();
    expect(derived.tables.map((table) => table.file)).toEqual(committed);
    for (const table of derived.tables) {
      const bytes = new Uint8Array(readFileSync(join(AI_HOST_FOLDER, table.file)));
      expect(Buffer.from(bytes).equals(Buffer.from(table.bytes)), table.file).toBe(true);
    }
    expect(readFileSync(join(AI_HOST_FOLDER, "addresses.json"), "utf8")).toBe(derived.addressesJson);
  });

  it("the IVRS is the q35 IVRS plus one SELECT per added function, in devfn order, 20 bytes longer", () => {
    const q35 = parseIvrs(new Uint8Array(readFileSync(join(Q35_FOLDER, "IVRS.bin"))), "q35");
    const ivrs = parseIvrs(new Uint8Array(readFileSync(join(AI_HOST_FOLDER, "IVRS.bin"))), "ai-host");
    expect(ivrs.header.length).toBe(q35.header.length + 4 * AI_HOST_ADDED_DEVICES.length);
    expect(ivrs.header.revision).toBe(q35.header.revision);
    expect(ivrs.ivinfo.raw).toBe(q35.ivinfo.raw);
    const [block] = ivrs.blocks;
    const [q35Block] = q35.blocks;
    if (block?.kind !== "ivhd" || q35Block?.kind !== "ivhd") throw new Error("expected one IVHD");
    expect({ ...block, entries: [], length: 0 }).toEqual({ ...q35Block, entries: [], length: 0 });
    const selects = block.entries.flatMap((entry) => (entry.kind === "select" ? [entry.deviceId] : []));
    // 00:00.0 00:01.0 00:02.0, then the added 00:03.0 .. 00:07.0, then 00:1f.0 00:1f.2 00:1f.3
    expect(selects).toEqual([0x00, 0x08, 0x10, 0x18, 0x20, 0x28, 0x30, 0x38, 0xf8, 0xfa, 0xfb]);
    expect(block.entries.at(-1)).toMatchObject({ kind: "special", variety: 1, handle: 0, sourceDeviceId: 0x00a0 });
    let sum = 0;
    for (const byte of readFileSync(join(AI_HOST_FOLDER, "IVRS.bin"))) sum = (sum + byte) & 0xff;
    expect(sum).toBe(0);
  });

  it("covers every PCI function of the profile, as QEMU's IVRS covers its devices", () => {
    const { platform } = platformFromProfile(aiHost.create());
    const ivrsTable = platform.firmware.tables.find((table) => table.signature === "IVRS");
    if (ivrsTable === undefined) throw new Error("no IVRS");
    const map = resolveDeviceMap(parseIvrs(ivrsTable.bytes, "ai-host"));
    const devices = map.segments.get(0)?.devices;
    for (const fn of platform.pci) {
      const deviceId = (fn.bus << 8) | (fn.device << 3) | fn.function;
      expect(devices?.get(deviceId)?.source, fn.name).toBe("select");
    }
    expect(platform.pci.filter((fn) => fn.dmaCapable).map((fn) => fn.classCode)).toEqual([0x120000, 0x120000, 0x020000, 0x020000, 0x010802, 0x010601]);
  });
});
