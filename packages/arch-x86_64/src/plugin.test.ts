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
import { Cr4, Efer, Msr } from "./cpu/control-registers.js";
import { NOVA_IA32_PAT } from "./paging/index.js";
import { archX86_64Options, archX86_64Plugin, type ArchX86_64Options } from "./plugin.js";
import { fixturePath } from "./test-support/fixtures.js";

const config: NovakitConfig = { arch: "x86_64", platform: "qemu-q35-amd-iommu", domains: [] };

/** A hand-built kernel around the plugin: real hooks, a console, a settable platform. */
function harness(rawOptions: unknown = {}, cmdline: readonly string[] = []) {
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
    cmdlineOption: (option) => cmdline.includes(option),
    get physicalMemory(): never {
      throw new NovakitError("NK-TEST-001", "no physical memory in this arch-plugin test");
    },
    allocateKernelFrames: () => undefined,
  };
  const options: ArchX86_64Options = archX86_64Options.parse(rawOptions);
  archX86_64Plugin.register({ pluginName: archX86_64Plugin.name, options, hooks, kernel, registerWorkload: () => undefined });
  return {
    hooks,
    log,
    kernel,
    async discover(platformName = config.platform, configDir = "."): Promise<Platform> {
      const context = { config: { ...config, platform: platformName }, configDir, platform: undefined as Platform | undefined };
      await hooks.discover.promise(context);
      if (context.platform === undefined) throw new Error("discover set no platform");
      platform = context.platform;
      return context.platform;
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
    ctrlHw(op: number, desc: bigint, extra: Partial<HypercallInvocation> = {}) {
      return hooks.hypercall.get("ctrl_hw")?.call({ name: "ctrl_hw", flags: op, selector: desc, args: [], callerPd: 1, callerIsRoot: true, cpu: 0, ...extra });
    },
  };
}

describe("@novakit/arch-x86_64 plugin", () => {
  it("declares itself as the x86_64 arch plugin with a defaulting options schema", () => {
    expect(archX86_64Plugin).toMatchObject({ name: "@novakit/arch-x86_64", kind: "arch", constraints: { arch: ["x86_64"] } });
    expect(archX86_64Options.parse({})).toEqual({ pagingLevels: "auto" });
    expect(archX86_64Options.safeParse({ pagingLevels: 3 }).success).toBe(false);
  });

  it("discover: resolves the built-in profile into the Platform", async () => {
    const kernel = harness();
    const platform = await kernel.discover();
    expect(platform.name).toBe("qemu-q35-amd-iommu");
    expect(platform.cpus).toHaveLength(4);
    expect(platform.cpu.name).toBe("AMD EPYC-Genoa Processor");
  });

  it("discover: an unknown profile is NK-PRF-001", async () => {
    await expect(harness().discover("no-such-machine")).rejects.toMatchObject({ code: "NK-PRF-001" });
  });

  it("discover: a profile path relative to the configuration directory", async () => {
    const kernel = harness();
    const platform = await kernel.discover("../qemu-q35-amd-iommu.profile.json", fixturePath("acpidump"));
    expect(platform.name).toBe("qemu-q35-amd-iommu-json");
  });

  it("memory: auto = 5 levels on EPYC-Genoa (LA57), with an NPT guest format (SVM)", async () => {
    const kernel = harness();
    await kernel.discover();
    const formats = await kernel.memory();
    expect(formats.get("HST")).toMatchObject({ levels: 5, inputBits: 57, maxLeafLevel: 2 });
    expect(formats.get("GST")?.name).toContain("npt");
    expect(kernel.log.some((line) => line.startsWith("PAGING: 5-level"))).toBe(true);
  });

  it("memory: pagingLevels 4 is honoured; 5 without LA57 is NK-PRF-007; no GST without SVM", async () => {
    const four = harness({ pagingLevels: 4 });
    await four.discover();
    expect((await four.memory()).get("HST")).toMatchObject({ levels: 4, inputBits: 48 });

    const x570 = harness({ pagingLevels: 5 });
    await x570.discover("gigabyte-x570-aorus-master");
    await expect(x570.memory()).rejects.toMatchObject({ code: "NK-PRF-007" });

    const noSvm = harness();
    await noSvm.discover("../qemu-q35-amd-iommu.profile.json", fixturePath("acpidump"));
    const formats = await noSvm.memory();
    expect(formats.has("HST")).toBe(true);
    expect(formats.has("GST")).toBe(false);
  });

  it("cpu: programs CR0/CR4/EFER/PAT per CPU and logs one line each", async () => {
    const kernel = harness();
    await kernel.discover();
    await kernel.memory();
    const states = await kernel.cpus();
    expect(states).toHaveLength(4);
    for (const state of states) {
      expect(state.controlRegisters.get("CR0")).toBe(0x8001_0001n);
      expect(state.controlRegisters.get("CR4")).toBe(Cr4.PAE | Cr4.PGE | Cr4.LA57 | Cr4.PCIDE);
      expect(state.msrs.get(Msr.IA32_EFER)).toBe(Efer.SCE | Efer.LME | Efer.LMA | Efer.NXE);
      expect(state.msrs.get(0xc000_0080)).toBe(0xd01n);
      expect(state.msrs.get(0x277)).toBe(NOVA_IA32_PAT);
    }
    expect(kernel.log.filter((line) => line.startsWith("CPU "))).toHaveLength(4);
  });

  it("cpu: nopcid and 4-level paging leave PCIDE and LA57 clear", async () => {
    const kernel = harness({ pagingLevels: 4 }, ["nopcid"]);
    await kernel.discover();
    await kernel.memory();
    const [state] = await kernel.cpus();
    expect(state?.controlRegisters.get("CR4")).toBe(Cr4.PAE | Cr4.PGE);
  });

  it("ctrl_hw: root only, bad OP, S-states against the FADT", async () => {
    const kernel = harness();
    await kernel.discover();
    expect(kernel.ctrlHw(0, 5n, { callerIsRoot: false })).toEqual({ status: Status.BAD_HYP });
    expect(kernel.ctrlHw(1, 0n)).toEqual({ status: Status.BAD_PAR });
    expect(kernel.ctrlHw(0, 0n)).toEqual({ status: Status.BAD_PAR });
    // reset must have A = B = 0
    expect(kernel.ctrlHw(0, 7n | (1n << 3n))).toEqual({ status: Status.BAD_PAR });
    // S3 with SLP_TYPa 1: shallow, returns
    expect(kernel.ctrlHw(0, 3n | (1n << 3n))).toEqual({ status: Status.SUCCESS });
    // S5 deep; any later transition is ABORTED
    expect(kernel.ctrlHw(0, 5n)).toEqual({ status: Status.SUCCESS });
    expect(kernel.ctrlHw(0, 7n)).toEqual({ status: Status.ABORTED });
    expect(kernel.log.some((line) => line.includes("entering S5"))).toBe(true);
  });

  it("ctrl_hw: QoS on a CPU without it is BAD_FTR", async () => {
    const kernel = harness();
    await kernel.discover();
    expect(kernel.ctrlHw(4, 0n)).toEqual({ status: Status.BAD_FTR });
    expect(kernel.ctrlHw(5, 0x1_0000n)).toEqual({ status: Status.BAD_FTR });
    expect(kernel.ctrlHw(7, 0n)).toEqual({ status: Status.BAD_FTR });
  });

  it("two kernels do not share ctrl_hw state", async () => {
    const first = harness();
    const second = harness();
    await first.discover();
    await second.discover();
    expect(first.ctrlHw(0, 5n)).toEqual({ status: Status.SUCCESS });
    expect(second.ctrlHw(0, 5n)).toEqual({ status: Status.SUCCESS });
  });
});
