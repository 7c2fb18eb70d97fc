import { parseProfileJson } from "@novakit/arch-x86_64";
import type { StructuredFuzzTarget } from "../../mutate/input-structure.js";
import { exampleConfigFiles } from "../../seeds/example-files.js";
import { readPackageFile, readPackageFiles, utf8 } from "../../seeds/package-files.js";
import { JSON_TOKENS } from "../../structure/json-dictionary.js";
import { mutateJsonDocument } from "../../structure/json-tree-mutation.js";

/**
 * A platform profile JSON file (`platform: "my-board.profile.json"`, written by `novakit import
 * -o`): arch-x86_64's JSON reader, profile schema, CPU model and memory-map validation.
 */
export const platformProfileTarget: StructuredFuzzTarget = {
  name: "platform-profile",
  description: "x86 platform profile JSON: reader, schema, CPU model and memory map checks (arch-x86_64)",
  seeds: () => [
    readPackageFile("arch-x86_64/fixtures/qemu-q35-amd-iommu.profile.json"),
    ...readPackageFiles("security-cet/fixtures/", ".profile.json"),
    ...exampleConfigFiles(".profile.json"),
  ],
  execute(input) {
    parseProfileJson(utf8(input), "/fuzz/board.profile.json");
  },
  structure: {
    mutate: mutateJsonDocument,
    dictionary: [...JSON_TOKENS, '"cpu"', '"memory"', '"pci"', '"base"', '"size"', '"kind"', '"features"', '"address"', '"0000:00:00.0"', '"ffff:ff:1f.7"', '"firmwareTables"', '"0x0"', '"0xffffffffffffffff"'],
  },
};
