import { encodeIvrs, ivrsFields, ivrsToJson, parseIvrs, selectIvhdBlocks } from "@novakit/iommu-amd";
import type { StructuredFuzzTarget } from "../../mutate/input-structure.js";
import { readPackageFile, readPackageFiles } from "../../seeds/package-files.js";
import { repairAcpiTable } from "../../structure/acpi-table-repair.js";

const FILE = "fuzz-ivrs.bin";

/**
 * The IVRS decoder of iommu-amd and what the plugin derives from a decoded table: the IVHD
 * selection NOVA makes, the JSON and field views. (The device map, resolveDeviceMap, expands
 * ranges to all 65 536 DeviceIDs and costs ~60 ms a table; the acpi-table target runs it on its
 * IVRS inputs so this target can run at parser speed.) Oracle beyond "no exception":
 * a decoded table must re-encode to exactly its bytes (a decode that loses or invents a field
 * would otherwise go unnoticed), as the package's own fuzz test checks at its one seed.
 */
export const ivrsTarget: StructuredFuzzTarget = {
  name: "ivrs",
  description: "AMD IVRS decoder, IVHD selection, JSON and field views, re-encode round trip (iommu-amd)",
  seeds() {
    return [...readPackageFiles("iommu-amd/fixtures/ivrs/", ".ivrs.bin"), readPackageFile("arch-x86_64/fixtures/qemu-q35-amd-iommu-ai-host/IVRS.bin")];
  },
  execute(input) {
    const ivrs = parseIvrs(input, FILE);
    selectIvhdBlocks(ivrs);
    ivrsToJson(ivrs);
    ivrsFields(ivrs);
    const encoded = encodeIvrs(ivrs);
    const original = input.subarray(0, ivrs.header.length);
    if (!Buffer.from(encoded).equals(Buffer.from(original))) {
      throw new Error(`IVRS round trip: decoding then encoding ${original.length} bytes gave ${encoded.length} different bytes`);
    }
  },
  structure: { dictionary: ["IVRS"], repair: repairAcpiTable },
};
