import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { readFirmwareTables } from "@novakit/arch-x86_64";
import { describe, expect, it } from "vitest";
import { CLI_PACKAGE_DIR, makeProject, runIn, smallConfig } from "../test-support/cli-harness.js";

const ACPIDUMPS = join(CLI_PACKAGE_DIR, "../arch-x86_64/fixtures/acpidump");
const IVRS_TABLES = join(CLI_PACKAGE_DIR, "../iommu-amd/fixtures/ivrs");
const X570 = join(ACPIDUMPS, "Desktop-Gigabyte-Technology-X570-X570-AORUS-MASTER-DBD6D480B744.acpidump.txt");
const LENOVO = join(ACPIDUMPS, "Notebook-Lenovo-ThinkPad-ThinkPad-L14-Gen-3-21C60010BO-405067A82A69.acpidump.txt");
const ASROCK = join(ACPIDUMPS, "Desktop-ASRock-970M-970M-Pro3-75A2DB3F503A.acpidump.txt");
const LENOVO_IVRS = join(IVRS_TABLES, "Notebook-Lenovo-ThinkPad-ThinkPad-L14-Gen-3-21C60010BO-405067A82A69.ivrs.bin");

type Json = Record<string, unknown>;

describe("novakit import", () => {
  it.each([
    ["X570", X570, 32, "IVHD 11h: base 0xfd380000, segment 0, BDF 00:00.2"],
    ["Lenovo L14", LENOVO, 16, "IVHD 40h: base 0xfdf00000, segment 0, BDF 00:00.2"],
    ["ASRock 970M", ASROCK, 8, "IVHD 10h: base 0xfeb20000, segment 0, BDF 00:00.2"],
  ])("imports the %s acpidump whole", async (_label, file, cpus, iommuLine) => {
    const dir = await makeProject();
    const human = await runIn(dir, ["import", file]);
    expect(human.stderr).toBe("");
    expect(human.status).toBe(0);
    expect(human.stdout).toContain(`CPUs: ${cpus} (${cpus} enabled)`);
    expect(human.stdout).toMatch(/IOAPICs: 2 \(id \d+ at 0xfec00000/);
    expect(human.stdout).toMatch(/PCI segments: 1 \(0: ECAM 0x[ef][08]000000/);
    expect(human.stdout).toContain(iommuLine);
    expect(human.stdout).toContain("CPU model: unknown — vendor amd from the firmware tables");
    expect(human.stdout).toMatch(/device map: \d+ device IDs in 1 segment\(s\); 2 IOAPIC and 1 HPET bindings/);

    const json = await runIn(dir, ["import", file, "--json"]);
    expect(json.status).toBe(0);
    const platform = JSON.parse(json.stdout) as Json & { firmware: Json & { ivrs: Json & { blocks: Json[] } }; cpus: unknown[]; iommus: Json[] };
    expect(platform.cpus).toHaveLength(cpus);
    expect(platform["arch"]).toBe("x86_64");
    expect(platform.firmware.ivrs["revision"]).toBeTypeOf("number");
    const ivhd = platform.firmware.ivrs.blocks[0]!;
    expect(Object.keys(ivhd).sort()).toEqual(["baseAddress", "capabilityOffset", "deviceId", "efr", "efr2", "entries", "featureReporting", "flags", "iommuInfo", "length", "pciSegment", "type"]);
    expect(ivhd["baseAddress"]).toMatch(/^0x[0-9a-f]+$/);
    expect(platform.iommus).toHaveLength(1);
    expect(platform.iommus[0]).toMatchObject({ kind: "amd-vi", segment: 0, deviceId: 2 });
  });

  it("imports a raw IVRS table alone: the IOMMUs are known, the CPUs are not", async () => {
    const dir = await makeProject();
    const run = await runIn(dir, ["import", LENOVO_IVRS]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("1 tables (IVRS)");
    expect(run.stdout).toContain("CPUs: unknown (no MADT in the input)");
    expect(run.stdout).toContain("IVRS: revision 2, IVinfo 0x203043, 5 blocks (10h 11h 21h 40h 51h)");
    const json = JSON.parse((await runIn(dir, ["import", LENOVO_IVRS, "--json"])).stdout) as { firmware: { ivrs: { blocks: Json[] } } };
    expect(json.firmware.ivrs.blocks.map((block) => block["type"])).toEqual([0x10, 0x11, 0x21, 0x40, 0x51]);
    expect(json.firmware.ivrs.blocks[4]).toMatchObject({ unknown: true });
    // no MADT: a profile could not boot, so -o is refused
    const out = await runIn(dir, ["import", LENOVO_IVRS, "-o", "profile.json"]);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain("[NK-CLI-006]");
  });

  it("imports a folder of raw tables", async () => {
    const dir = await makeProject();
    const folder = join(dir, "tables");
    await mkdir(folder);
    const tables = readFirmwareTables(X570).tables;
    await Promise.all(tables.map((table, index) => writeFile(join(folder, `${String(index).padStart(2, "0")}-${table.signature.trim().replace(/\W/g, "_")}.bin`), table.bytes)));
    const run = await runIn(dir, ["import", "tables"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`${tables.length} tables`);
    expect(run.stdout).toContain("CPUs: 32 (32 enabled)");
    expect(run.stdout).toContain("IVHD 11h: base 0xfd380000, segment 0, BDF 00:00.2");
  });

  it("fails with exit 2 and an NK code for a missing file", async () => {
    const dir = await makeProject();
    const run = await runIn(dir, ["import", "no-such-dump.txt"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("no-such-dump.txt");
    expect(run.stderr).toMatch(/\[NK-ACPI-019\]/);
  });

  it("fails with exit 2 naming the file and the offset for a corrupt IVRS", async () => {
    const dir = await makeProject();
    const bytes = new Uint8Array(await readFile(LENOVO_IVRS));
    // the first IVHD's length field (offset 0x32) set to 0, checksum made right again
    bytes[0x32] = 0;
    bytes[0x33] = 0;
    bytes[9] = 0;
    let sum = 0;
    for (const byte of bytes) sum = (sum + byte) & 0xff;
    bytes[9] = (0x100 - sum) & 0xff;
    await writeFile(join(dir, "corrupt-ivrs.bin"), bytes);
    const run = await runIn(dir, ["import", "corrupt-ivrs.bin"]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("corrupt-ivrs.bin: offset 0x32: IVRS.block.length");
    expect(run.stderr).toContain("[NK-IVRS-003]");
  });

  it("takes the CPU model from a /proc/cpuinfo file", async () => {
    const cpuinfo = [
      "processor\t: 0",
      "vendor_id\t: AuthenticAMD",
      "cpu family\t: 23",
      "model\t\t: 113",
      "model name\t: AMD Ryzen 9 3950X 16-Core Processor",
      "stepping\t: 0",
      "flags\t\t: fpu vme de pse tsc msr pae nx pdpe1gb lm svm x2apic",
      "address sizes\t: 43 bits physical, 48 bits virtual",
      "",
      "processor\t: 1",
      "vendor_id\t: AuthenticAMD",
      "",
    ].join("\n");
    const dir = await makeProject({ cpuinfo: cpuinfo });
    const human = await runIn(dir, ["import", X570, "--cpu", "cpuinfo"]);
    expect(human.status).toBe(0);
    expect(human.stdout).toContain("CPU model: amd AMD Ryzen 9 3950X 16-Core Processor (family 0x17 model 0x71), features X2APIC SVM NX PDPE1GB");
    const json = JSON.parse((await runIn(dir, ["import", X570, "--cpu", "cpuinfo", "--json"])).stdout) as { cpu: Json };
    expect(json.cpu).toMatchObject({ vendor: "amd", family: 23, model: 113, physicalAddressBits: 43, virtualAddressBits: 48 });
  });

  it("saves a profile that a configuration names, and that configuration checks and boots", async () => {
    const dir = await makeProject();
    const saved = await runIn(dir, ["import", LENOVO, "-o", "profile.json"]);
    expect(saved.status).toBe(0);
    expect(saved.stdout).toContain('platform: "./profile.json"');
    const profile = JSON.parse(await readFile(join(dir, "profile.json"), "utf8")) as Json;
    expect(profile["format"]).toBe("novakit-platform-profile/1");
    expect(profile["firmwareTables"]).not.toMatch(/^\//);
    const config = { ...smallConfig(), platform: "./profile.json" };
    await writeFile(join(dir, "novakit.config.json"), JSON.stringify(config));
    const check = await runIn(dir, ["check"]);
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
    const boot = await runIn(dir, ["boot", "--json"]);
    expect(boot.status).toBe(0);
    expect(JSON.parse(boot.stdout)).toBeTypeOf("object");
  });
});
