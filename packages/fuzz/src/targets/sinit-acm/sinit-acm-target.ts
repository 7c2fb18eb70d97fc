import { parseSinitAcm } from "@novakit/txt-launch";
import type { StructuredFuzzTarget } from "../../mutate/input-structure.js";
import { readPackageFile } from "../../seeds/package-files.js";

/**
 * An Intel SINIT authenticated code module (`txt-launch` option `sinitAcm: FILE`): txt-launch's
 * ACM header, info table, chipset/processor ID lists and TPM info reader. Seed: the test ACM
 * the package ships.
 */
export const sinitAcmTarget: StructuredFuzzTarget = {
  name: "sinit-acm",
  description: "Intel TXT SINIT ACM header, info table, chipset/processor/TPM lists (txt-launch)",
  seeds: () => [readPackageFile("txt-launch/fixtures/sinit-acm-novakit-test.bin")],
  execute(input) {
    parseSinitAcm(input, "fuzz-sinit.bin");
  },
  structure: { dictionary: [Uint8Array.of(0x86, 0x80), Uint8Array.of(0xaa, 0x3a, 0xc0, 0x7f)] },
};
