import {
  createKernelHooks,
  NovakitError,
  Status,
  type CpuState,
  type HypercallInvocation,
  type KernelHooks,
  type KernelServices,
  type NovakitConfig,
  type PageTableFormat,
  type Platform,
} from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";
import { NOVA_MAIR_EL2 } from "./paging/memory-attributes.js";
import { archAarch64Options, archAarch64Plugin, chooseAddressBits, type ArchAarch64Options } from "./plugin.js";

const config: NovakitConfig = { arch: "aarch64", platform: "qemu-virt-gicv3", domains: [] };

/** A hand-built kernel around the plugin: real hooks, a console, a settable platform. */
function harness(rawOptions: unknown = {}) {
  const hooks: KernelHooks = createKernelHooks();
  const log: string[] = [];
  let platform: Platform | undefined;
  const kernel: KernelServices = {
    hooks,
    get platform(): Platform {
      if (platform === undefined) throw new NovakitError("NK-TEST-001", "platform not discovered");
      return platform;
    },
    log: (line) => log.push(line),
    nowNs: () => 0,
    randomU32: () => 4,
    cmdlineOption: () => false,
    get physicalMemory(): never {
      throw new NovakitError("NK-TEST-001", "no physical memory in this arch-plugin test");
    },
    allocateKernelFrames: () => undefined,
  };
  const options: ArchAarch64Options = archAarch64Options.parse(rawOptions);
  archAarch64Plugin.register({ pluginName: archAarch64Plugin.name, options, hooks, kernel, registerWorkload: () => undefined });
  return {
    log,
    async discover(platformName = config.platform, override?: (platform: Platform) => Platform): Promise<Platform> {
      const context = { config: { ...config, platform: platformName }, configDir: ".", platform: undefined as Platform | undefined };
      await hooks.discover.promise(context);
      if (context.platform === undefined) throw new Error("discover set no platform");
      platform = override === undefined ? context.platform : override(context.platform);
      return platform;
    },
    async memory(): Promise<Map<string, PageTableFormat>> {
      const formats = new Map<string, PageTableFormat>();
      await hooks.memory.promise({ config, platform: kernel.platform, kernel, registerFormat: (kind, format) => formats.set(kind, format) });
      return formats;
    },
    async cpus(): Promise<CpuState[]> {
      const states: CpuState[] = [];
      for (const cpu of kernel.platform.cpus) {
        const state: CpuState = { cpu, controlRegisters: new Map(), msrs: new Map() };
        await hooks.cpu.promise({ config, platform: kernel.platform, kernel, state });
        states.push(state);
      }
      return states;
    },
    ctrlHw(op: number, desc: bigint, overrides: Partial<HypercallInvocation> = {}) {
      const invocation: HypercallInvocation = { name: "ctrl_hw", flags: op, selector: desc, args: [], callerPd: 1, callerIsRoot: true, cpu: 0, ...overrides };
      return hooks.hypercall.get("ctrl_hw")?.call(invocation);
    },
  };
}

const withLpa2 = (platform: Platform): Platform => ({ ...platform, cpu: { ...platform.cpu, features: [...platform.cpu.features, "LPA2"], physicalAddressBits: 52, virtualAddressBits: 52 } });

describe("archAarch64Plugin", () => {
  it("declares itself and validates its options", () => {
    expect(archAarch64Plugin).toMatchObject({ name: "@novakit/arch-aarch64", kind: "arch", constraints: { arch: ["aarch64"] } });
    expect(archAarch64Options.parse({})).toEqual({ addressBits: "auto", ipaBits: 40 });
    expect(archAarch64Options.safeParse({ addressBits: 57 }).success).toBe(false);
    expect(archAarch64Options.safeParse({ ipaBits: 20 }).success).toBe(false);
    expect(archAarch64Options.safeParse({ levels: 4 }).success).toBe(false);
  });

  it("discovers a built-in profile; an unknown one is NK-A64-001", async () => {
    const platform = await harness().discover();
    expect(platform.cpus).toHaveLength(4);
    await expect(harness().discover("no-such-board")).rejects.toMatchObject({ code: "NK-A64-001" });
  });

  it("registers the stage-1 EL2 host format and the stage-2 guest format with EL2", async () => {
    const kernel = harness();
    await kernel.discover();
    const formats = await kernel.memory();
    expect(formats.get("HST")).toMatchObject({ name: "aarch64-s1-el2-48bit", levels: 4, inputBits: 48, outputBits: 44 });
    expect(formats.get("GST")).toMatchObject({ name: "aarch64-s2-40bit", levels: 3, rootEntries: 1024 });
    expect(kernel.log[0]).toBe("PAGING: VMSAv8-64 stage-1 EL2 48-bit VA (4 levels, root 512 entries), 44-bit PA, stage-2 40-bit IPA (3 levels, root 1024 entries)");
  });

  it("has no guest format without EL2", async () => {
    const kernel = harness();
    await kernel.discover("qemu-virt-gicv3-smmuv3");
    const formats = await kernel.memory();
    expect(formats.has("HST")).toBe(true);
    expect(formats.has("GST")).toBe(false);
  });

  it("uses 52-bit LPA2 tables when the CPU has LPA2, and refuses 52 without it", async () => {
    const lpa2 = harness({ addressBits: "auto", ipaBits: 52 });
    await lpa2.discover("qemu-virt-gicv3", withLpa2);
    const formats = await lpa2.memory();
    expect(formats.get("HST")).toMatchObject({ levels: 5, rootEntries: 16, inputBits: 52, outputBits: 52 });
    expect(formats.get("GST")).toMatchObject({ levels: 4, rootEntries: 8192, inputBits: 52 });
    const states = await lpa2.cpus();
    expect(states[0]?.controlRegisters.get("TCR_EL2")).toBe(0x1_8086_350cn);
    const refused = harness({ addressBits: 52 });
    const a57 = await refused.discover();
    await expect(refused.memory()).rejects.toMatchObject({ code: "NK-A64-002" });
    expect(() => chooseAddressBits(a57.cpu, 52)).toThrow(NovakitError);
    expect(chooseAddressBits(a57.cpu, "auto")).toBe(48);
    expect(chooseAddressBits(withLpa2(a57).cpu, "auto")).toBe(52);
  });

  it("programs the EL2 registers and brings secondaries up with PSCI CPU_ON", async () => {
    const kernel = harness();
    await kernel.discover();
    await kernel.memory();
    const states = await kernel.cpus();
    for (const state of states) {
      expect(state.controlRegisters.get("SCTLR_EL2")).toBe(0x30c5_183dn);
      expect(state.controlRegisters.get("TCR_EL2")).toBe(0x8084_3510n);
      expect(state.controlRegisters.get("MAIR_EL2")).toBe(NOVA_MAIR_EL2);
      expect(state.controlRegisters.get("VTCR_EL2")).toBe(0x8004_3558n);
      expect(state.controlRegisters.get("HCR_EL2")).toBe(0x8008_203bn);
    }
    expect(kernel.log.filter((line) => line.startsWith("PSCI:"))).toEqual([
      "PSCI: CPU_ON mpidr 0x0 -> ALREADY_ON (boot CPU)",
      "PSCI: CPU_ON mpidr 0x1 -> SUCCESS",
      "PSCI: CPU_ON mpidr 0x2 -> SUCCESS",
      "PSCI: CPU_ON mpidr 0x3 -> SUCCESS",
    ]);
  });

  it("implements ctrl_hw: S5 -> SYSTEM_OFF, reset -> SYSTEM_RESET, QoS BAD_FTR", async () => {
    const kernel = harness();
    await kernel.discover();
    expect(kernel.ctrlHw(0, 5n, { callerIsRoot: false })).toEqual({ status: Status.BAD_HYP });
    expect(kernel.ctrlHw(1, 5n)).toEqual({ status: Status.BAD_PAR });
    expect(kernel.ctrlHw(0, 0n)).toEqual({ status: Status.BAD_PAR });
    expect(kernel.ctrlHw(0, 7n | (1n << 3n))).toEqual({ status: Status.BAD_PAR });
    expect(kernel.ctrlHw(0, 3n)).toEqual({ status: Status.BAD_FTR });
    for (const op of [4, 5, 6, 7]) expect(kernel.ctrlHw(op, 0n)).toEqual({ status: Status.BAD_FTR });
    expect(kernel.ctrlHw(0, 5n)).toEqual({ status: Status.SUCCESS });
    expect(kernel.log).toContain("PSCI: SYSTEM_OFF from CPU 0 (S5) -> SUCCESS");
    expect(kernel.ctrlHw(0, 7n)).toEqual({ status: Status.ABORTED });
    const hibernate = harness();
    await hibernate.discover();
    expect(hibernate.ctrlHw(0, 4n)).toEqual({ status: Status.SUCCESS });
    expect(hibernate.log).toContain("PSCI: SYSTEM_OFF from CPU 0 (S4) -> SUCCESS");
    const reset = harness();
    await reset.discover();
    expect(reset.ctrlHw(0, 7n, { cpu: 2 })).toEqual({ status: Status.SUCCESS });
    expect(reset.log).toContain("PSCI: SYSTEM_RESET from CPU 2 (reset) -> SUCCESS");
  });

  it("two kernels do not share PSCI state", async () => {
    const first = harness();
    const second = harness();
    await first.discover();
    await second.discover();
    expect(first.ctrlHw(0, 5n)).toEqual({ status: Status.SUCCESS });
    expect(second.ctrlHw(0, 5n)).toEqual({ status: Status.SUCCESS });
  });
});
