import { NovakitError } from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";
import { parseFdt } from "../fdt/fdt-parse.js";
import { builtInProfiles, loadBuiltInProfile, resolveProfile } from "../profiles/built-in-profiles.js";
import { fixturesPath } from "../profiles/fixtures-path.js";
import { buildBlob, StructureWriter } from "../test-support/fdt-builder.js";
import { fdtFactsOf, platformFromFdt } from "./fdt-platform.js";
import type { Gicv2Description, Gicv3Description } from "./gic.js";

function profile(name: string) {
  const entry = builtInProfiles.find((candidate) => candidate.name === name);
  if (entry === undefined) throw new Error(`no profile ${name}`);
  return loadBuiltInProfile(entry);
}

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return error instanceof NovakitError ? error.code : "not a NovakitError";
  }
  return undefined;
}

describe("discovery from the QEMU virt DTBs (platform.md §2-4, §7.2)", () => {
  it("GICv3 with EL2: distributor, 123 redistributors, ITS, maintenance interrupt, Cortex-A57", () => {
    const { platform, facts } = profile("qemu-virt-gicv3");
    expect(platform).toMatchObject({ name: "qemu-virt-gicv3", arch: "aarch64" });
    expect(platform.cpu).toEqual({
      vendor: "arm",
      name: "Arm Cortex-A57 r1p0 (QEMU cortex-a57)",
      family: 8,
      model: 0xd07,
      stepping: 0x10,
      features: ["EL2", "GICV3_SYSREG"],
      physicalAddressBits: 44,
      virtualAddressBits: 48,
    });
    expect(platform.cpus.map((cpu) => [cpu.index, cpu.hardwareId, cpu.source])).toEqual([
      [0, 0, "FDT /cpus/cpu@0"],
      [1, 1, "FDT /cpus/cpu@1"],
      [2, 2, "FDT /cpus/cpu@2"],
      [3, 3, "FDT /cpus/cpu@3"],
    ]);
    expect(platform.memory).toEqual([{ base: 0x4000_0000n, size: 0x8000_0000n, kind: "ram" }]);
    expect(platform.pciSegments).toEqual([{ segment: 0, ecamBase: 0x40_1000_0000n, startBus: 0, endBus: 255 }]);
    const gic = facts.gic as Gicv3Description;
    expect(gic).toMatchObject({
      version: 3,
      distributor: { address: 0x800_0000n, size: 0x1_0000n },
      redistributorRegions: [{ address: 0x80a_0000n, size: 0xf6_0000n }],
      redistributorCount: 123,
      its: [{ address: 0x808_0000n, size: 0x2_0000n, path: "/intc@8000000/its@8080000" }],
      maintenanceInterrupt: { type: "PPI", number: 9, intid: 25, trigger: "level-high" },
      phandle: 0x8005,
    });
    expect(platform.interruptControllers.map((controller) => [controller.kind, controller.baseAddress])).toEqual([
      ["gicv3", 0x800_0000n],
      ["gic-its", 0x808_0000n],
    ]);
    expect(facts.psci).toMatchObject({ method: "smc", version: { major: 1, minor: 0 }, functionIds: { cpu_on: 0xc400_0003, cpu_off: 0x8400_0002, cpu_suspend: 0xc400_0001, migrate: 0xc400_0005 } });
    expect(facts.el2).toBe(true);
    expect(facts.timer).toMatchObject({
      securePhysical: { intid: 29 },
      nonSecurePhysical: { intid: 30 },
      virtual: { intid: 27 },
      hypervisorPhysical: { intid: 26 },
      alwaysOn: true,
    });
    expect(facts.uarts).toEqual([{ path: "/pl011@9000000", base: 0x900_0000n, size: 0x1000n, interrupt: expect.objectContaining({ type: "SPI", number: 1, intid: 33 }), clockHz: 24_000_000 }]);
    expect(facts.chosen).toEqual({ stdoutPath: "/pl011@9000000" });
    expect(platform.firmware).toMatchObject({ kind: "fdt", properties: { "stdout-path": "/pl011@9000000", "psci.method": "smc", "psci.version": "1.0", "gic.version": 3, el2: true, model: "linux,dummy-virt" } });
    expect(platform.firmware.tables).toHaveLength(1);
    expect(platform.firmware.tables[0]).toMatchObject({ signature: "FDT", length: 7962, revision: 17 });
    expect(fdtFactsOf(platform)).toBe(facts);
  });

  it("GICv2 with EL2: GICC, GICH, GICV, the v2m frame and the PPI CPU mask", () => {
    const { platform, facts } = profile("qemu-virt-gicv2");
    const gic = facts.gic as Gicv2Description;
    expect(gic).toMatchObject({
      version: 2,
      compatible: "arm,cortex-a15-gic",
      distributor: { address: 0x800_0000n },
      cpuInterface: { address: 0x801_0000n, size: 0x1_0000n },
      virtualInterfaceControl: { address: 0x803_0000n },
      virtualCpuInterface: { address: 0x804_0000n },
      msiFrames: [{ address: 0x802_0000n, size: 0x1000n, path: "/intc@8000000/v2m@8020000" }],
      maintenanceInterrupt: { intid: 25 },
    });
    expect(facts.timer?.virtual).toMatchObject({ intid: 27, cpuMask: 0xf, flags: 0xf04 });
    expect(platform.cpu.features).toEqual(["EL2"]);
    expect(platform.interruptControllers[0]?.details).toMatchObject({ gicc: "0x8010000", gich: "0x8030000", gicv: "0x8040000", maintenanceIntid: 25 });
  });

  it("GICv3 + SMMUv3 without EL2: the SMMU as an IommuUnit, PSCI over HVC, Cortex-A72", () => {
    const { platform, facts } = profile("qemu-virt-gicv3-smmuv3");
    expect(platform.iommus).toEqual([{ kind: "arm-smmu-v3", baseAddress: 0x905_0000n, segment: 0, source: "FDT /smmuv3@9050000" }]);
    expect(facts.smmus[0]).toMatchObject({
      size: 0x2_0000n,
      iommuCells: 1,
      dmaCoherent: true,
      interrupts: [
        { name: "eventq", interrupt: { type: "SPI", number: 74, trigger: "edge-rising" } },
        { name: "priq", interrupt: { number: 75 } },
        { name: "cmdq-sync", interrupt: { number: 76 } },
        { name: "gerror", interrupt: { number: 77 } },
      ],
    });
    expect(facts.psci?.method).toBe("hvc");
    expect(facts.el2).toBe(false);
    expect(platform.cpu).toMatchObject({ name: "Arm Cortex-A72 r0p3 (QEMU cortex-a72)", model: 0xd08, stepping: 3, features: ["GICV3_SYSREG"], physicalAddressBits: 44 });
    expect(platform.memory).toEqual([{ base: 0x4000_0000n, size: 0x4000_0000n, kind: "ram" }]);
  });

  it("resolves built-in names and .dtb paths; an unknown name lists the profiles", () => {
    expect(resolveProfile("qemu-virt-gicv2", "/nowhere").platform.name).toBe("qemu-virt-gicv2");
    const byPath = resolveProfile("qemu-virt-gicv3-el2.dtb", fixturesPath("."));
    expect(byPath.platform.name).toBe("qemu-virt-gicv3-el2");
    expect(byPath.platform.interruptControllers[0]?.kind).toBe("gicv3");
    let error: unknown;
    try {
      resolveProfile("no-such-board", "/tmp");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(NovakitError);
    expect((error as NovakitError).code).toBe("NK-A64-001");
    expect((error as NovakitError).message).toContain("qemu-virt-gicv2, qemu-virt-gicv3, qemu-virt-gicv3-smmuv3");
  });

  it("reports what a NOVA platform lacks", () => {
    interface Synthetic {
      readonly cpus?: boolean;
      readonly method?: string;
      readonly core?: string;
      readonly psci?: boolean;
      readonly gic?: string;
      readonly memory?: boolean;
    }
    const synthesize = (options: Synthetic) => {
      const writer = new StructureWriter().begin("").prop("#address-cells", [2]).prop("#size-cells", [2]);
      if (options.psci !== false) writer.begin("psci").prop("compatible", "arm,psci-1.0").prop("method", "smc").end();
      if (options.memory !== false) writer.begin("memory@40000000").prop("device_type", "memory").prop("reg", [0, 0x4000_0000, 0, 0x1000_0000]).end();
      if (options.gic !== "") {
        writer.begin("intc@8000000").prop("compatible", options.gic ?? "arm,gic-v3").prop("interrupt-controller", new Uint8Array()).prop("reg", [0, 0x800_0000, 0, 0x1_0000, 0, 0x80a_0000, 0, 0x4_0000]).end();
      }
      if (options.cpus !== false) {
        writer.begin("cpus").prop("#address-cells", [1]).prop("#size-cells", [0]);
        writer.begin("cpu@0").prop("device_type", "cpu").prop("compatible", options.core ?? "arm,cortex-a57").prop("reg", [0]).prop("enable-method", options.method ?? "psci").end();
        writer.end();
      }
      const blob = buildBlob(writer.end().finish());
      return () => platformFromFdt(parseFdt(blob, "synthetic.dtb"), blob, { name: "synthetic" });
    };
    // no maintenance interrupt: no EL2
    expect(synthesize({})().platform.cpu.features).toEqual(["GICV3_SYSREG"]);
    expect(synthesize({})().facts.gic).toMatchObject({ version: 3, redistributorCount: 2 });
    expect(codeOf(synthesize({ cpus: false }))).toBe("NK-FDT-014");
    expect(codeOf(synthesize({ method: "spin-table" }))).toBe("NK-A64-007");
    expect(codeOf(synthesize({ psci: false }))).toBe("NK-A64-006");
    expect(codeOf(synthesize({ core: "arm,cortex-x9000" }))).toBe("NK-A64-009");
    expect(codeOf(synthesize({ gic: "" }))).toBe("NK-A64-008");
    expect(codeOf(synthesize({ gic: "arm,gic-v5" }))).toBe("NK-A64-008");
    expect(codeOf(synthesize({ memory: false }))).toBe("NK-A64-006");
  });
});
