import type { SeededRandom } from "@novakit/kernel-core";
import { parseFdt, platformFromFdt } from "@novakit/arch-aarch64";
import type { StructuredFuzzTarget } from "../../mutate/input-structure.js";
import { readPackageFiles } from "../../seeds/package-files.js";
import { mutateFdtProperty } from "../../structure/fdt-property-mutation.js";

const FILE = "fuzz.dtb";
/** FDT header (reference/platform.md §1.1): big-endian u32 fields; totalsize at 0x04 */
const TOTALSIZE_OFFSET = 0x04;
const FDT_HEADER_SIZE = 0x28;

/** The flattened-device-tree parser of arch-aarch64 and the platform discovery behind it. */
export const fdtTarget: StructuredFuzzTarget = {
  name: "fdt",
  description: "flattened device tree parser + AArch64 platform discovery (arch-aarch64)",
  seeds: () => readPackageFiles("arch-aarch64/fixtures/", ".dtb"),
  execute(input) {
    platformFromFdt(parseFdt(input, FILE), input, { name: FILE });
  },
  structure: {
    mutate: mutateFdtProperty,
    dictionary: ["compatible", "reg", "#address-cells", "#size-cells", "interrupts", "phandle", "psci", "arm,gic-v3", "memory", Uint8Array.of(0, 0, 0, 1), Uint8Array.of(0, 0, 0, 2), Uint8Array.of(0, 0, 0, 3), Uint8Array.of(0, 0, 0, 9)],
    /** truncating or growing the blob makes totalsize disagree; setting it back reaches the structure block */
    repair(input: Uint8Array, random: SeededRandom): Uint8Array {
      if (input.length < FDT_HEADER_SIZE || random.below(2) === 0) return input;
      const bytes = input.slice();
      new DataView(bytes.buffer).setUint32(TOTALSIZE_OFFSET, bytes.length, false);
      return bytes;
    },
  },
};
