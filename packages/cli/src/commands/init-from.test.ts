import { copyFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI_PACKAGE_DIR, makeProject, runIn, runInProcess } from "../test-support/cli-harness.js";

const GIGABYTE = join(CLI_PACKAGE_DIR, "../arch-x86_64/fixtures/acpidump/Desktop-Gigabyte-Technology-X570-X570-AORUS-MASTER-DBD6D480B744.acpidump.txt");
const VIRT_DTB = join(CLI_PACKAGE_DIR, "../arch-aarch64/fixtures/qemu-virt-gicv3-el2.dtb");
const PROFILE = "imported-Desktop-Gigabyte-Technology-X570-X570-AORUS-MASTER-DBD6D480B744.acpidump.profile.json";

describe("novakit init --from FILE", () => {
  it("starts an x86_64 configuration from a real acpidump: profile saved beside it, AMD IOMMU explained, checks clean and boots", async () => {
    const dir = await makeProject();
    const made = await runIn(dir, ["init", "--from", GIGABYTE, "--json"]);
    expect(made.status).toBe(0);
    expect(JSON.parse(made.stdout)).toEqual({ file: join(dir, "novakit.config.ts"), profile: join(dir, PROFILE) });
    const config = await readFile(join(dir, "novakit.config.ts"), "utf8");
    expect(config).toContain('arch: "x86_64"');
    expect(config).toContain(`platform: "./${PROFILE}"`);
    expect(config).toContain("AMD with an IVRS: @novakit/iommu-amd (DMA remapping) is added by default");
    // the CPU model is not in the tables: the launch is suggested, not enabled
    expect(config).toContain('// { name: "@novakit/txt-launch", options: { method: "auto" } },');
    expect((JSON.parse(await readFile(join(dir, PROFILE), "utf8")) as { name: string }).name).toBe(PROFILE.replace(/\.profile\.json$/, ""));
    expect((await runInProcess(dir, ["check"])).status).toBe(0);
    const boot = await runInProcess(dir, ["boot", "--json"]);
    expect(boot.status).toBe(0);
    expect((JSON.parse(boot.stdout) as { plugins: { name: string }[] }).plugins.map((plugin) => plugin.name)).toContain("@novakit/iommu-amd");
  });

  it("with --cpu enables what the CPU can do: SVM gives the SKINIT launch", async () => {
    const dir = await makeProject();
    await writeFile(join(dir, "cpuinfo"), "vendor_id\t: AuthenticAMD\ncpu family\t: 23\nmodel\t\t: 113\nmodel name\t: AMD Ryzen 9 3950X 16-Core Processor\nstepping\t: 0\nflags\t\t: fpu svm nx pdpe1gb x2apic\n\n");
    expect((await runIn(dir, ["init", "--from", GIGABYTE, "--cpu", "cpuinfo"])).status).toBe(0);
    const config = await readFile(join(dir, "novakit.config.ts"), "utf8");
    expect(config).toContain("the CPU has SVM: a measured launch (SKINIT)");
    expect(config).toMatch(/^ {4}\{ name: "@novakit\/txt-launch", options: \{ method: "auto" \} \},$/m);
    expect((await runInProcess(dir, ["check"])).status).toBe(0);
  });

  it("starts an AArch64 configuration from a device tree that it names, and boots it", async () => {
    const dir = await makeProject();
    await copyFile(VIRT_DTB, join(dir, "board.dtb"));
    expect((await runIn(dir, ["init", "--from", "board.dtb"])).status).toBe(0);
    const config = await readFile(join(dir, "novakit.config.ts"), "utf8");
    expect(config).toContain('arch: "aarch64"');
    expect(config).toContain('platform: "./board.dtb"');
    expect((await runInProcess(dir, ["boot", "--quiet"])).status).toBe(0);
  });

  it("refuses to overwrite, rejects bad input with a code and writes nothing", async () => {
    const dir = await makeProject({ "novakit.config.ts": "// mine\n", "garbage.txt": "not firmware\n" });
    const refused = await runIn(dir, ["init", "--from", GIGABYTE]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("[NK-CLI-004]");
    expect(await readFile(join(dir, "novakit.config.ts"), "utf8")).toBe("// mine\n");
    const bad = await runIn(dir, ["init", "--from", "garbage.txt", "--force"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^novakit: error: .*garbage\.txt.*\[NK-ACPI-\d{3}\]/);
    expect(await readFile(join(dir, "novakit.config.ts"), "utf8")).toBe("// mine\n");
    const cpuAlone = await runIn(dir, ["init", "--cpu", "x"]);
    expect(cpuAlone.status).toBe(2);
    expect(cpuAlone.stderr).toContain("[NK-CLI-002]");
  });
});
