import { readdirSync } from "node:fs";
import { splitAcpidumpText } from "@novakit/arch-x86_64";
import { latin1, packagePath, readPackageFile, readPackageFiles } from "../../seeds/package-files.js";
import { withoutLargeTables } from "../../structure/acpidump-text.js";

const QEMU_FOLDERS = ["arch-x86_64/fixtures/qemu-q35-amd-iommu/", "arch-x86_64/fixtures/qemu-q35-amd-iommu-ai-host/"];
const DUMP_FOLDER = "arch-x86_64/fixtures/acpidump/";

/**
 * Every binary ACPI table the project holds: the QEMU q35 tables as .bin files and every non-AML
 * table of the three real machines' acpidump texts, without duplicates (same bytes).
 */
export function acpiTableSeeds(): Uint8Array[] {
  const tables = QEMU_FOLDERS.flatMap((folder) => readPackageFiles(folder, ".bin"));
  for (const name of readdirSync(packagePath(DUMP_FOLDER)).filter((file) => file.endsWith(".acpidump.txt")).sort()) {
    const text = withoutLargeTables(latin1(readPackageFile(`${DUMP_FOLDER}${name}`)));
    tables.push(...splitAcpidumpText(text, name).map((table) => table.bytes));
  }
  const unique = new Map<string, Uint8Array>();
  for (const table of tables) unique.set(Buffer.from(table).toString("base64"), table);
  return [...unique.values()];
}
