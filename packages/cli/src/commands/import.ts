import { readFileSync } from "node:fs";
import { basename, dirname, isAbsolute, resolve } from "node:path";
import {
  buildPlatform,
  featuresFromCpuinfoFlags,
  readFirmwareTables,
  saveProfile,
  type AcpiTableSet,
  type PlatformProfile,
  type X86CpuModel,
} from "@novakit/arch-x86_64";
import { formatDeviceId, ivrsToJson, parseIvrs, resolveDeviceMap, selectIvhdBlocks, type IvrsTable } from "@novakit/iommu-amd";
import { NovakitError, type IommuUnit, type MemoryRegion, type PciFunction, type Platform } from "@novakit/kernel-core";
import { CLI_CODES } from "../args/cli-codes.js";
import { parseCommandArgs } from "../args/parse-command-args.js";
import { stableJsonText } from "../output/canonical-json.js";
import { toJsonValue, type JsonValue } from "../output/json-value.js";
import { writeFileAtomic } from "../output/write-file-atomic.js";
import type { Command } from "./command.js";

const MIB = 0x10_0000n;
/** the top of low RAM we assume when no table address bounds it */
const ASSUMED_LOW_RAM_TOP = 0x8000_0000n;

/** What the import learnt, before it is printed or saved. */
export interface ImportResult {
  readonly input: string;
  readonly tables: AcpiTableSet;
  readonly profile: PlatformProfile;
  /** undefined when the input has no MADT: no CPUs, nothing to boot */
  readonly platform: Platform | undefined;
  readonly ivrs: IvrsTable | undefined;
  readonly cpuKnown: boolean;
}

export const importCommand: Command = {
  name: "import",
  summary: "import a real machine's firmware tables (acpidump, raw tables) as a platform",
  help: `Usage: novakit import FILE [--json] [-o PROFILE.json] [--cpu CPUINFO]

Reads firmware tables from FILE: an \`acpidump\` text output, a single raw table, or a folder of
raw tables (*.bin, *.dat; an optional addresses.json gives their physical addresses). Checks every
table (headers, checksums), decodes the MADT, MCFG, HPET, TPM2 and the AMD IVRS, and builds the
platform NOVA would see. Prints a summary: tables, CPUs, IOAPICs, PCI segments, IOMMUs and the size
of the IVRS device map.

Firmware tables do not describe the CPU model: pass --cpu with a copy of the machine's
/proc/cpuinfo, or the vendor is taken from the tables (IVRS: AMD, DMAR: Intel) with no features.
The memory map is an assumption too (RAM from 1 MiB up to the lowest table address, at most
2 GiB); edit the saved profile to match the machine.

Options:
  --json               print the Platform as JSON (firmware.ivrs holds the decoded IVRS;
                       64-bit values as "0x..." strings)
  -o, --out FILE       save a platform profile a configuration can name: platform: "./FILE"
  --cpu CPUINFO        a /proc/cpuinfo file of the machine (vendor, family, model, flags)
  -h, --help           show this help
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      "import",
      argv,
      { json: { type: "boolean" }, out: { type: "string", short: "o" }, cpu: { type: "string" } },
      1,
    );
    if (values["help"] === true) {
      io.stdout(this.help);
      return 0;
    }
    const file = positionals[0];
    if (file === undefined) throw new NovakitError(CLI_CODES.badOption, "import: FILE is required", {}, "run `novakit import --help`");
    const cpuPath = typeof values["cpu"] === "string" ? resolve(io.cwd, values["cpu"]) : undefined;
    const result = importFirmware(resolve(io.cwd, file), cpuPath);
    const out = values["out"];
    let written: string | undefined;
    if (typeof out === "string") {
      if (result.platform === undefined) {
        throw new NovakitError(
          CLI_CODES.badOptionValue,
          `import: ${file} has no MADT (APIC table), so the platform has no CPUs and a profile of it could not boot`,
          { file: result.input, field: "--out" },
          "import a full acpidump or a folder with all tables",
        );
      }
      written = resolve(io.cwd, out);
      await writeFileAtomic(written, saveProfile(result.profile, dirname(written)));
    }
    if (values["json"] === true) {
      io.stdout(stableJsonText(platformJson(result)));
      return 0;
    }
    io.stdout(humanSummary(result));
    if (written !== undefined) {
      const reference = typeof out === "string" && !out.startsWith(".") && !isAbsolute(out) ? `./${out}` : String(out);
      io.stdout(`wrote profile ${written} (a configuration names it as platform: "${reference}")\n`);
    }
    return 0;
  },
};

export function importFirmware(input: string, cpuPath: string | undefined): ImportResult {
  const tables = readFirmwareTables(input);
  const ivrsTable = tables.find("IVRS");
  const ivrs = ivrsTable === undefined ? undefined : parseIvrs(ivrsTable.bytes, tables.sourceOf(ivrsTable));
  const cpu = cpuPath === undefined ? unknownCpu(tables, ivrs, input) : cpuFromCpuinfo(cpuPath);
  const profile: PlatformProfile = {
    name: `imported-${basename(input).replace(/\.[^.]*$/, "").replace(/[^A-Za-z0-9._-]+/g, "-")}`,
    description: `imported by novakit import from ${basename(input)}`,
    cpu,
    memory: assumedMemoryMap(tables),
    pci: iommuFunctions(ivrs),
    firmwareTables: input,
    notes: [
      cpuPath === undefined
        ? `CPU model unknown: vendor ${cpu.vendor} from the ${cpu.vendor === "amd" ? "IVRS" : "DMAR"} table, no CPU features (pass --cpu /proc/cpuinfo)`
        : `CPU model from ${basename(cpuPath)}`,
      "memory map assumed: RAM 0-0x9F000 and from 1 MiB up to the lowest firmware table (at most 2 GiB)",
      "PCI functions: only the IOMMU functions named by the IVRS",
    ],
  };
  const platform = tables.has("APIC") ? withIommus(buildPlatform(profile, tables), ivrs) : undefined;
  return { input, tables, profile, platform, ivrs, cpuKnown: cpuPath !== undefined };
}

/** A CPU model that says only what the firmware implies: the vendor (IVRS: AMD, DMAR: Intel). */
function unknownCpu(tables: AcpiTableSet, ivrs: IvrsTable | undefined, input: string): X86CpuModel {
  const vendor = tables.has("IVRS") ? "amd" : tables.has("DMAR") ? "intel" : undefined;
  if (vendor === undefined) {
    throw new NovakitError(
      CLI_CODES.badOption,
      "import: the tables have neither an IVRS nor a DMAR, so the CPU vendor is unknown",
      { file: input },
      "pass --cpu with the machine's /proc/cpuinfo",
    );
  }
  // IVinfo PAsize is the machine's physical address width as the IOMMU sees it (amd-iommu.md §1.1)
  const paSize = ivrs?.ivinfo.paSize ?? 0;
  return {
    vendor,
    name: "unknown CPU (imported firmware tables)",
    family: 0,
    model: 0,
    stepping: 0,
    features: [],
    physicalAddressBits: paSize >= 32 && paSize <= 52 ? paSize : 48,
    virtualAddressBits: 48,
  };
}

/** The first processor of a /proc/cpuinfo file. */
function cpuFromCpuinfo(path: string): X86CpuModel {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new NovakitError(CLI_CODES.badOptionValue, `import: cannot read --cpu file: ${(error as Error).message}`, { file: path, field: "--cpu" });
  }
  const first = text.split(/\r?\n\s*\r?\n/)[0] ?? "";
  const fields = new Map<string, string>();
  for (const line of first.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0) fields.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  const need = (key: string): string => {
    const value = fields.get(key);
    if (value === undefined) {
      throw new NovakitError(CLI_CODES.badOptionValue, `import: --cpu file has no "${key}" line in its first processor block`, { file: path, field: "--cpu" }, "pass a copy of /proc/cpuinfo");
    }
    return value;
  };
  const vendorId = need("vendor_id");
  const vendor = vendorId === "AuthenticAMD" ? "amd" : vendorId === "GenuineIntel" ? "intel" : undefined;
  if (vendor === undefined) throw new NovakitError(CLI_CODES.badOptionValue, `import: --cpu vendor_id "${vendorId}" is neither AuthenticAMD nor GenuineIntel`, { file: path, field: "--cpu" });
  const features = featuresFromCpuinfoFlags(need("flags"));
  const sizes = /(\d+) bits physical, (\d+) bits virtual/.exec(fields.get("address sizes") ?? "");
  const number = (key: string): number => {
    const value = Number.parseInt(need(key), 10);
    if (!Number.isInteger(value)) throw new NovakitError(CLI_CODES.badOptionValue, `import: --cpu "${key}" is not a number`, { file: path, field: "--cpu" });
    return value;
  };
  return {
    vendor,
    name: need("model name"),
    family: number("cpu family"),
    model: number("model"),
    stepping: number("stepping"),
    features,
    physicalAddressBits: sizes === null ? 48 : Number(sizes[1]),
    virtualAddressBits: sizes !== null && Number(sizes[2]) >= 57 && features.includes("LA57") ? 57 : 48,
  };
}

/** RAM below 640 KiB, and from 1 MiB to the lowest table address above it (at most 2 GiB). */
function assumedMemoryMap(tables: AcpiTableSet): MemoryRegion[] {
  let top = ASSUMED_LOW_RAM_TOP;
  for (const table of tables.tables) {
    if (table.address > 2n * MIB && table.address < top) top = table.address & ~0xfffn;
  }
  return [
    { base: 0n, size: 0x9f000n, kind: "ram" },
    { base: 0x9f000n, size: MIB - 0x9f000n, kind: "reserved" },
    { base: MIB, size: top - MIB, kind: "ram" },
  ];
}

/** The IOMMUs' own PCI functions, from the IVHD blocks NOVA would use (class 0806h: IOMMU). */
function iommuFunctions(ivrs: IvrsTable | undefined): PciFunction[] {
  if (ivrs === undefined) return [];
  return selectIvhdBlocks(ivrs).map((block) => ({
    segment: block.pciSegment,
    bus: block.deviceId >>> 8,
    device: (block.deviceId >>> 3) & 0x1f,
    function: block.deviceId & 7,
    name: `AMD IOMMU at 0x${block.baseAddress.toString(16)}`,
    classCode: 0x080600,
    dmaCapable: false,
  }));
}

function withIommus(platform: Platform, ivrs: IvrsTable | undefined): Platform {
  if (ivrs === undefined) return platform;
  const iommus: IommuUnit[] = selectIvhdBlocks(ivrs).map((block) => ({
    kind: "amd-vi",
    baseAddress: block.baseAddress,
    segment: block.pciSegment,
    deviceId: block.deviceId,
    source: `IVRS.blocks[${ivrs.blocks.indexOf(block)}] IVHD type 0x${block.type.toString(16)}`,
  }));
  return { ...platform, iommus };
}

/** The Platform as JSON: table bytes left out (they are in the input), firmware.ivrs added. */
function platformJson(result: ImportResult): JsonValue {
  const firmwareTables = result.tables.tables.map((table) => ({
    signature: table.signature,
    address: table.address,
    length: table.length,
    revision: table.revision,
    oemId: table.oemId,
    oemTableId: table.oemTableId,
  }));
  const ivrs = result.ivrs === undefined ? null : ivrsToJson(result.ivrs);
  const notes = result.profile.notes ?? [];
  if (result.platform === undefined) {
    return toJsonValue({ name: result.profile.name, arch: "x86_64", cpu: result.profile.cpu, notes, firmware: { kind: "acpi", tables: firmwareTables, ivrs } });
  }
  const { firmware, ...rest } = result.platform;
  return toJsonValue({ ...rest, notes, firmware: { ...firmware, tables: firmwareTables, ivrs } });
}

function humanSummary(result: ImportResult): string {
  const lines: string[] = [];
  const { tables, platform, ivrs } = result;
  lines.push(`${result.input}: ${tables.tables.length} tables (${tables.tables.map((table) => table.signature.trim()).join(", ")})`);
  const cpu = result.profile.cpu;
  lines.push(
    result.cpuKnown
      ? `CPU model: ${cpu.vendor} ${cpu.name} (family 0x${cpu.family.toString(16)} model 0x${cpu.model.toString(16)}), features ${cpu.features.join(" ") || "none"}`
      : `CPU model: unknown — vendor ${cpu.vendor} from the firmware tables, no features (pass --cpu /proc/cpuinfo)`,
  );
  if (platform === undefined) {
    lines.push("CPUs: unknown (no MADT in the input)");
  } else {
    lines.push(`CPUs: ${platform.cpus.length} (${platform.cpus.filter((entry) => entry.enabled).length} enabled)`);
    const ioapics = platform.interruptControllers.filter((controller) => controller.kind === "ioapic");
    lines.push(`IOAPICs: ${ioapics.length}${ioapics.length > 0 ? ` (${ioapics.map((entry) => `id ${entry.id} at 0x${entry.baseAddress.toString(16)}`).join(", ")})` : ""}`);
    lines.push(
      `PCI segments: ${platform.pciSegments.length}${platform.pciSegments.length > 0 ? ` (${platform.pciSegments.map((segment) => `${segment.segment}: ECAM 0x${segment.ecamBase.toString(16)} buses ${segment.startBus}-${segment.endBus}`).join(", ")})` : ""}`,
    );
  }
  if (ivrs === undefined) {
    lines.push("IOMMUs: none described (no IVRS)");
  } else {
    const selected = selectIvhdBlocks(ivrs);
    lines.push(`IVRS: revision ${ivrs.header.revision}, IVinfo 0x${ivrs.ivinfo.raw.toString(16)}, ${ivrs.blocks.length} blocks (${ivrs.blocks.map((block) => `${block.type.toString(16)}h`).join(" ")})`);
    lines.push(`IOMMUs: ${selected.length}`);
    for (const block of selected) {
      lines.push(`  IVHD ${block.type.toString(16)}h: base 0x${block.baseAddress.toString(16)}, segment ${block.pciSegment}, BDF ${formatDeviceId(block.deviceId)}, ${block.entries.length} device entries`);
    }
    const map = resolveDeviceMap(ivrs);
    const specials = [...map.segments.values()].flatMap((segment) => segment.specials);
    lines.push(`device map: ${map.size} device IDs in ${map.segments.size} segment(s); ${specials.filter((entry) => entry.kind === "ioapic").length} IOAPIC and ${specials.filter((entry) => entry.kind === "hpet").length} HPET bindings`);
  }
  return `${lines.join("\n")}\n`;
}
