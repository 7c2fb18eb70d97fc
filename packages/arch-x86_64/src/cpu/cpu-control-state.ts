import type { CpuModel, CpuState } from "@novakit/kernel-core";
import { Cr0, Cr4, Efer, Msr } from "./control-registers.js";

export interface CpuControlChoice {
  /** 4 or 5 paging levels (5 sets CR4.LA57) */
  readonly levels: 4 | 5;
  /** CR4.PCIDE unless the CPU lacks PCID or the command line says `nopcid` */
  readonly pcid: boolean;
  /** IA32_PAT value (NOVA's, from the paging module) */
  readonly pat: bigint;
}

/** CR0/CR4/EFER/PAT for a CPU in NOVA's long-mode configuration. */
export function controlValues(cpu: CpuModel, choice: CpuControlChoice): { cr0: bigint; cr4: bigint; efer: bigint; pat: bigint } {
  const cr0 = Cr0.PE | Cr0.WP | Cr0.PG;
  let cr4 = Cr4.PAE | Cr4.PGE;
  if (choice.levels === 5) cr4 |= Cr4.LA57;
  if (choice.pcid) cr4 |= Cr4.PCIDE;
  let efer = Efer.SCE | Efer.LME | Efer.LMA;
  // NXE makes PTE bit 63 meaningful; without NX the bit is reserved and must stay clear
  if (cpu.features.includes("NX")) efer |= Efer.NXE;
  return { cr0, cr4, efer, pat: choice.pat };
}

/** Write the values into a CPU's state, as the boot path does before jumping to bootstrap. */
export function programCpuState(state: CpuState, cpu: CpuModel, choice: CpuControlChoice): { cr0: bigint; cr4: bigint; efer: bigint; pat: bigint } {
  const values = controlValues(cpu, choice);
  state.controlRegisters.set("CR0", values.cr0);
  state.controlRegisters.set("CR4", values.cr4);
  state.msrs.set(Msr.IA32_EFER, values.efer);
  state.msrs.set(Msr.IA32_PAT, values.pat);
  return values;
}
