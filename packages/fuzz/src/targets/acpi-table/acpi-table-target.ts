import { parseSdtHeader } from "@novakit/kernel-core";
import {
  AcpiTableSet,
  cpusFromMadt,
  parseFacs,
  parseFadt,
  parseHpet,
  parseMadt,
  parseMcfg,
  parseRsdp,
  parseRsdt,
  parseTpm2,
  parseXsdt,
  pm1aControlPort,
  protectedPortRanges,
  rootTableOf,
  tpm2InterfaceAddress,
} from "@novakit/arch-x86_64";
import { parseIvrs, resolveDeviceMap } from "@novakit/iommu-amd";
import type { StructuredFuzzTarget } from "../../mutate/input-structure.js";
import { latin1 } from "../../seeds/package-files.js";
import { repairAcpiTable } from "../../structure/acpi-table-repair.js";
import { acpiTableSeeds } from "./acpi-table-seeds.js";

const FILE = "fuzz-table.bin";

/**
 * The parser each signature goes to, and what the platform build then does with the result:
 * a mutant whose signature changed is simply fuzzed against another parser.
 */
const PARSERS: Readonly<Record<string, (bytes: Uint8Array) => void>> = {
  "RSD PTR ": (bytes) => void rootTableOf(parseRsdp(bytes, FILE)),
  RSDT: (bytes) => void parseRsdt(bytes, FILE),
  XSDT: (bytes) => void parseXsdt(bytes, FILE),
  FACP: (bytes) => {
    const fadt = parseFadt(bytes, FILE);
    protectedPortRanges(fadt);
    pm1aControlPort(fadt);
  },
  FACS: (bytes) => void parseFacs(bytes, FILE),
  APIC: (bytes) => void cpusFromMadt(parseMadt(bytes, FILE)),
  MCFG: (bytes) => void parseMcfg(bytes, FILE),
  HPET: (bytes) => void parseHpet(bytes, FILE),
  TPM2: (bytes) => void tpm2InterfaceAddress(parseTpm2(bytes, FILE)),
  IVRS: (bytes) => void resolveDeviceMap(parseIvrs(bytes, FILE)),
};

/** The binary ACPI table parsers of arch-x86_64 (and IVRS of iommu-amd), then table-set validation. */
export const acpiTableTarget: StructuredFuzzTarget = {
  name: "acpi-table",
  description: "binary ACPI tables: RSDP, RSDT/XSDT, FADT, FACS, MADT, MCFG, HPET, TPM2, IVRS, any SDT header; then AcpiTableSet",
  seeds: acpiTableSeeds,
  execute(input) {
    const rsdp = latin1(input.subarray(0, 8)) === "RSD PTR ";
    const signature = rsdp ? "RSD PTR " : latin1(input.subarray(0, 4));
    const parse = PARSERS[signature];
    if (parse !== undefined) parse(input);
    else parseSdtHeader(input, { file: FILE });
    AcpiTableSet.fromRaw([{ label: rsdp ? "RSD PTR" : signature, address: 0n, bytes: input, source: FILE }], FILE);
  },
  structure: {
    dictionary: ["RSD PTR ", "RSDT", "XSDT", "FACP", "FACS", "APIC", "MCFG", "HPET", "TPM2", "IVRS", "DSDT"],
    repair: repairAcpiTable,
  },
};
