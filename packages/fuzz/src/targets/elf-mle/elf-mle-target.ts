import { hypervisorElf, hypervisorImageText, mleImageFromElf, readElf64, rootElf, rootImageText, rootMeasuredSegment } from "@novakit/txt-launch";
import { defaultConfig } from "@novakit/cli";
import type { StructuredFuzzTarget } from "../../mutate/input-structure.js";
import { readPackageFiles } from "../../seeds/package-files.js";
import { runEither } from "../run-either.js";

const FILE = "fuzz-image.elf";

/**
 * The measured-launch side of ELF (`novakit measure --mle FILE`, the root task): txt-launch's
 * ELF64 program-header reader, the MLE header search and MLE image, the root task's measured
 * segment. Seeds: the images the plugin composes, and the executables of security-cet/fixtures.
 */
export const elfMleTarget: StructuredFuzzTarget = {
  name: "elf-mle",
  description: "ELF64 program headers, Intel TXT MLE header and image, root-task segment (txt-launch)",
  seeds() {
    return [
      hypervisorElf(hypervisorImageText(defaultConfig, [])),
      rootElf(rootImageText(defaultConfig)),
      ...readPackageFiles("security-cet/fixtures/", ".elf"),
    ];
  },
  execute(input) {
    readElf64(input, FILE);
    // an image is either a hypervisor (it has an MLE header) or a root task: accepted when it
    // is one of them; both readers see every input, so a crash in either is found
    runEither([() => mleImageFromElf(input, FILE), () => rootMeasuredSegment(input, FILE)]);
  },
  structure: { dictionary: ["\u007fELF"] },
};
