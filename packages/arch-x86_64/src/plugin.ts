import {
  definePlugin,
  type CpuModel,
  type PageTableFormat,
  type Platform,
} from "@novakit/kernel-core";
import { z } from "zod";
import { parseFadt, type Fadt } from "./acpi/fadt.js";
import { programCpuState } from "./cpu/cpu-control-state.js";
import { CtrlHwController } from "./hypercalls/ctrl-hw.js";
import {
  createEptFormat,
  createHostPageTableFormat,
  createNptFormat,
  NOVA_IA32_PAT,
  type X86PagingOptions,
} from "./paging/index.js";
import { platformFromProfile } from "./platform/profile-platform.js";
import { resolveProfile } from "./profiles/built-in-profiles.js";
import { ProfileDiagnostic, profileError } from "./profiles/profile-diagnostics.js";
import type { X86CpuModel } from "./profiles/x86-cpu-model.js";

export const ARCH_X86_64_PLUGIN_NAME = "@novakit/arch-x86_64";

export const archX86_64Options = z
  .object({
    /** "auto": 5 levels (LA57) when the CPU has LA57, else 4 */
    pagingLevels: z.union([z.literal(4), z.literal(5), z.literal("auto")]).default("auto"),
  })
  .strict();
export type ArchX86_64Options = z.output<typeof archX86_64Options>;

/** Paging levels for a CPU under the option; 5 without LA57 is an input error. */
export function choosePagingLevels(cpu: CpuModel, option: ArchX86_64Options["pagingLevels"]): 4 | 5 {
  const la57 = cpu.features.includes("LA57");
  if (option === "auto") return la57 ? 5 : 4;
  if (option === 5 && !la57) {
    throw profileError(
      ProfileDiagnostic.PAGING_LEVELS,
      `pagingLevels 5 needs LA57, which ${cpu.name} does not have`,
      { field: `plugins["${ARCH_X86_64_PLUGIN_NAME}"].options.pagingLevels` },
      'use 4 or "auto"',
    );
  }
  return option;
}

/**
 * The guest-space format for the CPU: NPT on AMD with SVM, EPT on Intel with VMX (same number of
 * levels as the host tables). Never a guest format for a CPU without SVM/VMX.
 */
export function guestPageTableFormat(cpu: CpuModel, options: X86PagingOptions): PageTableFormat | undefined {
  if (cpu.vendor === "amd" && cpu.features.includes("SVM")) return createNptFormat(options);
  if (cpu.vendor === "intel" && cpu.features.includes("VMX")) return createEptFormat(options);
  return undefined;
}

/** Per-kernel state of the plugin; created in register(), so two kernels never share it. */
interface ArchState {
  cpu: X86CpuModel | undefined;
  levels: 4 | 5 | undefined;
  ctrlHw: CtrlHwController | undefined;
}

function fadtOf(platform: Platform): Fadt | undefined {
  const table = platform.firmware.tables.find((candidate) => candidate.signature === "FACP");
  return table === undefined ? undefined : parseFadt(table.bytes, "platform.firmware.tables FACP");
}

export const archX86_64Plugin = definePlugin<ArchX86_64Options>({
  name: ARCH_X86_64_PLUGIN_NAME,
  version: "0.1.0",
  kind: "arch",
  description: "x86_64: ACPI discovery (RSDP/RSDT/XSDT/FADT/MADT/MCFG/HPET/TPM2), platform profiles, 4/5-level host paging, ctrl_hw",
  constraints: { arch: ["x86_64"] },
  options: archX86_64Options,
  register(context) {
    const name = context.pluginName;
    const state: ArchState = { cpu: undefined, levels: undefined, ctrlHw: undefined };

    context.hooks.discover.tapPromise(name, async (discover) => {
      const profile = resolveProfile(discover.config.platform, discover.configDir);
      const { platform } = platformFromProfile(profile);
      state.cpu = profile.cpu;
      discover.platform = platform;
    });

    context.hooks.memory.tapPromise(name, async (memory) => {
      const cpu = state.cpu ?? memory.platform.cpu;
      const levels = choosePagingLevels(cpu, context.options.pagingLevels);
      state.levels = levels;
      const options: X86PagingOptions = {
        levels,
        physicalAddressBits: cpu.physicalAddressBits,
        has1GbPages: cpu.features.includes("PDPE1GB"),
      };
      memory.registerFormat("HST", createHostPageTableFormat(options));
      const guest = guestPageTableFormat(cpu, options);
      if (guest !== undefined) memory.registerFormat("GST", guest);
      memory.kernel.log(
        `PAGING: ${levels}-level host tables, ${cpu.physicalAddressBits}-bit physical, ${options.has1GbPages ? "1G" : "2M"} leaves${guest !== undefined ? `, guest ${cpu.vendor === "amd" ? "NPT" : "EPT"}` : ""}`,
      );
    });

    context.hooks.cpu.tapPromise(name, async (cpuContext) => {
      const cpu = state.cpu ?? cpuContext.platform.cpu;
      const levels = state.levels ?? choosePagingLevels(cpu, context.options.pagingLevels);
      const pcid = cpu.features.includes("PCID") && !cpuContext.kernel.cmdlineOption("nopcid");
      const values = programCpuState(cpuContext.state, cpu, { levels, pcid, pat: NOVA_IA32_PAT });
      const id = cpuContext.state.cpu.hardwareId;
      cpuContext.kernel.log(
        `CPU ${cpuContext.state.cpu.index}: APIC ${id} ${cpu.name} ${levels}-level CR0=0x${values.cr0.toString(16)} CR4=0x${values.cr4.toString(16)} EFER=0x${values.efer.toString(16)} PAT=0x${values.pat.toString(16)}`,
      );
    });

    context.hooks.hypercall.for("ctrl_hw").tap(name, (invocation) => {
      if (state.ctrlHw === undefined) {
        const platform = context.kernel.platform;
        state.ctrlHw = new CtrlHwController({
          fadt: fadtOf(platform),
          cpu: state.cpu ?? platform.cpu,
          log: (line) => context.kernel.log(line),
        });
      }
      return state.ctrlHw.handle(invocation);
    });
  },
});
