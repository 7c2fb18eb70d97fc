import { readdirSync } from "node:fs";
import type { SeededRandom } from "@novakit/kernel-core";
import { buildPlatform, parseAcpidumpText, qemuQ35AmdIommuProfile, splitAcpidumpText } from "@novakit/arch-x86_64";
import { BYTE_MUTATIONS } from "../../mutate/byte-mutations.js";
import type { StructuredFuzzTarget } from "../../mutate/input-structure.js";
import { pickOne } from "../../mutate/random-choice.js";
import { latin1, latin1Bytes, packagePath, readPackageFile } from "../../seeds/package-files.js";
import { repairAcpiTable } from "../../structure/acpi-table-repair.js";
import { renderAcpidump, withoutLargeTables } from "../../structure/acpidump-text.js";

const DUMP_FOLDER = "arch-x86_64/fixtures/acpidump/";
const QEMU_FOLDER = "arch-x86_64/fixtures/qemu-q35-amd-iommu/";
const QEMU_TABLES: readonly (readonly [label: string, file: string])[] = [
  ["RSD PTR", "RSDP.bin"],
  ["RSDT", "RSDT.bin"],
  ["FACP", "FACP.bin"],
  ["APIC", "APIC.bin"],
  ["HPET", "HPET.bin"],
  ["MCFG", "MCFG.bin"],
  ["IVRS", "IVRS.bin"],
  ["WAET", "WAET.bin"],
];

/**
 * `novakit import` of an acpidump text file: the text importer, the table-set validation behind
 * it, and the x86 platform built from the tables (MADT CPUs, MCFG segments, FADT ports, TPM2).
 * Input bytes are read as Latin-1 so every byte string is some text.
 */
export const acpidumpTarget: StructuredFuzzTarget = {
  name: "acpidump",
  description: "acpidump text importer + ACPI table set + x86 platform build (arch-x86_64)",
  seeds() {
    const realDumps = readdirSync(packagePath(DUMP_FOLDER))
      .filter((name) => name.endsWith(".acpidump.txt"))
      .sort()
      .map((name) => latin1Bytes(withoutLargeTables(latin1(readPackageFile(`${DUMP_FOLDER}${name}`)))));
    const qemu = renderAcpidump(QEMU_TABLES.map(([label, file]) => ({ label, address: 0n, bytes: readPackageFile(`${QEMU_FOLDER}${file}`) })));
    return [...realDumps, latin1Bytes(qemu)];
  },
  execute(input) {
    const tables = parseAcpidumpText(latin1(input), "fuzz.acpidump.txt");
    buildPlatform(qemuQ35AmdIommuProfile(), tables);
  },
  structure: {
    dictionary: [" @ 0x", "0000: ", "RSD PTR", "APIC", "FACP", "MCFG", "IVRS", "\n\n", "FF ", "00 "],
    /**
     * Changes bytes inside one table (not the text around it), fixes that table's checksum and
     * writes the dump again: text mutations alone almost never get past the checksums.
     */
    mutate(parent: Uint8Array, random: SeededRandom): Uint8Array | undefined {
      let tables;
      try {
        tables = splitAcpidumpText(latin1(parent), "parent");
      } catch {
        // a parent that is not valid dump text gets byte mutations instead
        return undefined;
      }
      if (tables.length === 0) return undefined;
      const chosen = random.below(tables.length);
      const rewritten = tables.map((table, index) => {
        if (index !== chosen) return table;
        const mutated = pickOne(random, BYTE_MUTATIONS)(table.bytes, { random, others: [], dictionary: [] });
        return { ...table, bytes: repairAcpiTable(mutated, random) };
      });
      return latin1Bytes(renderAcpidump(rewritten));
    },
  },
};
