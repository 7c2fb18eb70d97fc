import { analyzeCetBytes } from "@novakit/security-cet";
import type { StructuredFuzzTarget } from "../../mutate/input-structure.js";
import { readPackageFiles } from "../../seeds/package-files.js";

/**
 * `novakit cet FILE`: security-cet's ELF64 reader (headers, sections, segments, notes, symbols,
 * relocations) and the CET analysis on top (GNU property notes, ENDBR64 at function entries,
 * address-taken functions, CFP verdicts). Seeds: the gcc-built objects, shared library and
 * executables in security-cet/fixtures.
 */
export const elfTarget: StructuredFuzzTarget = {
  name: "elf",
  description: "ELF64 reader + CET binary analysis (security-cet, `novakit cet`)",
  seeds: () => [".o", ".so", ".elf"].flatMap((suffix) => readPackageFiles("security-cet/fixtures/", suffix)),
  execute(input) {
    analyzeCetBytes(input, "fuzz.elf");
  },
  structure: { dictionary: ["\u007fELF", ".note.gnu.property", ".symtab", ".strtab", ".rela.text", "GNU\u0000"] },
};
