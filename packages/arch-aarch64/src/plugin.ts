import { definePlugin, type CpuModel, type PageTableFormat, type Platform } from "@novakit/kernel-core";
import { z } from "zod";
import { a64Error, A64Diagnostic } from "./a64-diagnostics.js";
import { hcrEl2ForGuest, sctlrEl2 } from "./cpu/el2-system-registers.js";
import { fdtFactsOf } from "./discovery/fdt-platform.js";
import { Aarch64CtrlHw } from "./hypercalls/ctrl-hw.js";
import { NOVA_MAIR_EL2 } from "./paging/memory-attributes.js";
import { createStage1El2Format } from "./paging/stage1-el2-format.js";
import { createStage2Format } from "./paging/stage2-format.js";
import { tcrEl2, vtcrEl2 } from "./paging/translation-control.js";
import { resolveProfile } from "./profiles/built-in-profiles.js";
import { PsciFirmware } from "./psci/psci-firmware.js";
import { psci64, PsciFunction, PsciReturn, psciReturnName } from "./psci/smccc.js";

export const ARCH_AARCH64_PLUGIN_NAME = "@novakit/arch-aarch64";

/** NOVA's stage-2 IPA size in [REL-24.08] (nova.md §9): 40 bits, start level 1, 2 concatenated tables. */
export const NOVA_STAGE2_IPA_BITS = 40;

export const archAarch64Options = z
  .object({
    /** host VA bits: "auto" = 52 with LPA2, else 48; 52 needs FEAT_LPA2 */
    addressBits: z.union([z.literal(48), z.literal(52), z.literal("auto")]).default("auto"),
    /** guest IPA bits of the stage-2 tables (32..48, 52 with LPA2) */
    ipaBits: z.number().int().min(32).max(52).default(NOVA_STAGE2_IPA_BITS),
  })
  .strict();
export type ArchAarch64Options = z.output<typeof archAarch64Options>;

/** Host VA bits for a CPU under the option; 52 without LPA2 is an input error (NK-A64-002). */
export function chooseAddressBits(cpu: CpuModel, option: ArchAarch64Options["addressBits"]): 48 | 52 {
  const lpa2 = cpu.features.includes("LPA2");
  if (option === "auto") return lpa2 ? 52 : 48;
  if (option === 52 && !lpa2) {
    throw a64Error(
      A64Diagnostic.NO_LPA2,
      `addressBits 52 needs FEAT_LPA2, which ${cpu.name} does not have`,
      { field: `plugins["${ARCH_AARCH64_PLUGIN_NAME}"].options.addressBits` },
      'use 48 or "auto"',
    );
  }
  return option;
}

/** What the memory phase decided; the cpu phase programs the registers from it. */
export interface Aarch64PagingPlan {
  readonly addressBits: 48 | 52;
  readonly lpa2: boolean;
  /** physical address bits the tables output (PARange, capped at 48 without LPA2) */
  readonly outputBits: number;
  readonly physicalAddressBits: number;
  /** stage-2 IPA bits, undefined without EL2 */
  readonly ipaBits?: number;
}

export function planPaging(cpu: CpuModel, options: ArchAarch64Options): Aarch64PagingPlan {
  const addressBits = chooseAddressBits(cpu, options.addressBits);
  const lpa2 = addressBits === 52;
  const outputBits = Math.min(cpu.physicalAddressBits, lpa2 ? 52 : 48);
  return {
    addressBits,
    lpa2,
    outputBits,
    physicalAddressBits: cpu.physicalAddressBits,
    ...(cpu.features.includes("EL2") ? { ipaBits: options.ipaBits } : {}),
  };
}

export function hostFormatOf(plan: Aarch64PagingPlan): PageTableFormat {
  return createStage1El2Format({ inputBits: plan.addressBits, outputBits: plan.outputBits, lpa2: plan.lpa2 });
}

export function guestFormatOf(plan: Aarch64PagingPlan): PageTableFormat | undefined {
  return plan.ipaBits === undefined ? undefined : createStage2Format({ ipaBits: plan.ipaBits, outputBits: plan.outputBits, lpa2: plan.lpa2 });
}

/** Per-kernel state of the plugin; created in register(), so two kernels never share it. */
interface ArchState {
  plan: Aarch64PagingPlan | undefined;
  psci: PsciFirmware | undefined;
  ctrlHw: Aarch64CtrlHw | undefined;
}

function hex(value: bigint): string {
  return `0x${value.toString(16)}`;
}

/** PSCI firmware for the platform: every CPU's MPIDR, the FDT's boot CPU, the /psci version. */
function psciFor(platform: Platform): PsciFirmware {
  const facts = fdtFactsOf(platform);
  const version = facts?.psci?.version ?? { major: 0, minor: 2 };
  const bootCpuId = Number(platform.firmware.properties["fdt.bootCpuIdPhys"] ?? platform.cpus[0]?.hardwareId ?? 0);
  return new PsciFirmware({
    cpus: platform.cpus.map((cpu) => BigInt(cpu.hardwareId)),
    bootCpu: BigInt(bootCpuId),
    version,
    ram: platform.memory.filter((region) => region.kind === "ram"),
  });
}

/**
 * The secondary entry point handed to CPU_ON. NOVA passes its PSCI init entry; this model has no
 * kernel image, so it uses the first byte of RAM, where a QEMU virt kernel is loaded (a model
 * choice, logged).
 */
function secondaryEntryOf(platform: Platform): bigint {
  const ram = platform.memory.find((region) => region.kind === "ram");
  return ram?.base ?? 0n;
}

export const archAarch64Plugin = definePlugin<ArchAarch64Options>({
  name: ARCH_AARCH64_PLUGIN_NAME,
  version: "0.1.0",
  kind: "arch",
  description: "AArch64: strict FDT discovery (GICv2/v3, PSCI, SMMU), QEMU virt profiles, VMSAv8-64 stage-1 EL2 and stage-2 tables (48-bit, 52-bit LPA2), PSCI, ctrl_hw",
  constraints: { arch: ["aarch64"] },
  options: archAarch64Options,
  register(context) {
    const name = context.pluginName;
    const state: ArchState = { plan: undefined, psci: undefined, ctrlHw: undefined };
    const psciOf = (platform: Platform): PsciFirmware => (state.psci ??= psciFor(platform));

    context.hooks.discover.tapPromise(name, async (discover) => {
      discover.platform = resolveProfile(discover.config.platform, discover.configDir).platform;
    });

    context.hooks.memory.tapPromise(name, async (memory) => {
      const plan = planPaging(memory.platform.cpu, context.options);
      state.plan = plan;
      const host = hostFormatOf(plan);
      memory.registerFormat("HST", host);
      const guest = guestFormatOf(plan);
      if (guest !== undefined) memory.registerFormat("GST", guest);
      memory.kernel.log(
        `PAGING: VMSAv8-64 stage-1 EL2 ${plan.addressBits}-bit VA (${host.levels} levels, root ${host.rootEntries} entries)${plan.lpa2 ? " LPA2" : ""}, ${plan.outputBits}-bit PA` +
          (guest === undefined ? ", no EL2: no guest stage 2" : `, stage-2 ${guest.inputBits}-bit IPA (${guest.levels} levels, root ${guest.rootEntries} entries)`),
      );
    });

    context.hooks.cpu.tapPromise(name, async (cpuContext) => {
      const platform = cpuContext.platform;
      const plan = state.plan ?? planPaging(platform.cpu, context.options);
      const registers = cpuContext.state.controlRegisters;
      const tcr = tcrEl2({ inputBits: plan.addressBits, physicalAddressBits: plan.physicalAddressBits, lpa2: plan.lpa2 });
      registers.set("SCTLR_EL2", sctlrEl2());
      registers.set("TCR_EL2", tcr);
      registers.set("MAIR_EL2", NOVA_MAIR_EL2);
      if (plan.ipaBits !== undefined) {
        registers.set("VTCR_EL2", vtcrEl2({ ipaBits: plan.ipaBits, physicalAddressBits: plan.physicalAddressBits, lpa2: plan.lpa2 }));
        registers.set("HCR_EL2", hcrEl2ForGuest());
      }
      // secondaries come up through PSCI CPU_ON; the boot CPU answers ALREADY_ON (nova.md §9)
      const psci = psciOf(platform);
      const cpu = cpuContext.state.cpu;
      const mpidr = BigInt(cpu.hardwareId);
      const outcome = psci.call(psci64(PsciFunction.CPU_ON), [mpidr, secondaryEntryOf(platform), BigInt(cpu.index)], BigInt(platform.cpus[0]?.hardwareId ?? 0));
      cpuContext.kernel.log(`PSCI: CPU_ON mpidr ${hex(mpidr)} -> ${psciReturnName(outcome.value)}${outcome.value === PsciReturn.ALREADY_ON ? " (boot CPU)" : ""}`);
      if (outcome.value === PsciReturn.SUCCESS) psci.cpuStarted(mpidr);
      cpuContext.kernel.log(
        `CPU ${cpu.index}: MPIDR ${hex(mpidr)} ${platform.cpu.name} SCTLR_EL2=${hex(sctlrEl2())} TCR_EL2=${hex(tcr)} MAIR_EL2=${hex(NOVA_MAIR_EL2)}` +
          (plan.ipaBits === undefined ? "" : ` VTCR_EL2=${hex(registers.get("VTCR_EL2") ?? 0n)} HCR_EL2=${hex(hcrEl2ForGuest())}`),
      );
    });

    context.hooks.hypercall.for("ctrl_hw").tap(name, (invocation) => {
      if (state.ctrlHw === undefined) {
        const platform = context.kernel.platform;
        state.ctrlHw = new Aarch64CtrlHw({
          psci: psciOf(platform),
          mpidrOf: (cpu) => BigInt(platform.cpus[cpu]?.hardwareId ?? 0),
          log: (line) => context.kernel.log(line),
        });
      }
      return state.ctrlHw.handle(invocation);
    });
  },
});
