import { NovakitError, type CpuContext } from "@novakit/kernel-core";
import { CetDiagnostic } from "../cet-diagnostics.js";
import { CetCpu } from "../control-flow/cet-cpu.js";
import { hex } from "../control-flow/cpu-exception.js";
import type { HypervisorImage } from "../control-flow/hypervisor-image.js";
import type { CfpGate } from "../gating/cfp-gate.js";
import { CetMsr, CR0_WP, CR4_CET, supervisorCetValue } from "../msr/cet-registers.js";
import { writeCetControl } from "../msr/write-cet-control.js";
import { SHADOW_STACK_TOP } from "../shadow-stack/shadow-stack-layout.js";
import { createShadowStackPage } from "../shadow-stack/shadow-stack-page.js";

/**
 * NOVA's per-CPU CET enabling (reference/cet.md §7 steps 2-3, nova.md §5 "Enabling on each CPU"),
 * after the arch plugin programmed the CPU's paging state:
 *  1. S_CET from the live protections: IBT -> ENDBR_EN|NO_TRACK_EN|SUPPRESS_DIS, SSS -> SH_STK_EN;
 *  2. if non-zero: CR4.CET (bit 23), then WRMSR IA32_S_CET; IA32_U_CET untouched;
 *  3. SSS only: the CPU-local shadow-stack page with its free token at SSTK_TOP,
 *     IA32_PL0_SSP = SSTK_TOP, then SETSSBSY (token busy, SSP = SSTK_TOP).
 * Returns the CPU as the control-flow model runs it.
 */
export function initialiseCpuCet(context: CpuContext, gate: CfpGate, image: HypervisorImage): CetCpu {
  const { state, kernel } = context;
  const index = state.cpu.index;
  const sCet = supervisorCetValue(gate.live);
  const shadowStack = gate.live.sss ? createShadowStackPage(kernel, index) : undefined;
  const cpu = new CetCpu(state, image, shadowStack);
  if (sCet === 0n) return cpu;

  const cr0 = state.controlRegisters.get("CR0");
  // the test arch programs no control registers at all; a real arch that left WP clear is a bug
  if (cr0 !== undefined && (cr0 & CR0_WP) === 0n) {
    throw new NovakitError(CetDiagnostic.CR0_WP_CLEAR, `CPU ${index}: CR4.CET cannot be set while CR0.WP is clear (CR0=${hex(cr0)})`, { field: "CR0.WP" });
  }
  state.controlRegisters.set("CR4", (state.controlRegisters.get("CR4") ?? 0n) | CR4_CET);
  writeCetControl(state, CetMsr.IA32_S_CET, sCet);
  if (shadowStack !== undefined) {
    state.msrs.set(CetMsr.IA32_PL0_SSP, SHADOW_STACK_TOP);
    const activated = cpu.setssbsy(SHADOW_STACK_TOP);
    if (!activated.ok) {
      // a token primed a line above cannot be busy: this is a model bug, not an input error
      throw new NovakitError(CetDiagnostic.CPU_NOT_INITIALISED, `CPU ${index}: SETSSBSY at boot failed: ${activated.exception.detail}`, { field: "IA32_PL0_SSP" });
    }
  }
  return cpu;
}

/** The boot-log line for one CPU: what is live, what is patched out and why. */
export function cpuCetLogLine(index: number, gate: CfpGate, cpu: CetCpu, cpuName: string): string {
  if (!gate.built.ibt && !gate.built.sss) return `CET: CPU ${index}: CFP=none, no CET instructions in the image; CR4.CET clear`;
  const parts: string[] = [`CET: CPU ${index}: CFP=${gate.level}`];
  if (gate.built.ibt) parts.push(gate.live.ibt ? "IBT on" : `IBT patched out (${cpuName} lacks CET_IBT; ENDBR64 runs as a NOP)`);
  if (gate.built.sss) {
    parts.push(
      gate.live.sss
        ? `SSS on (PL0_SSP=${hex(SHADOW_STACK_TOP)}, token ${cpu.peekShadow(SHADOW_STACK_TOP) === (SHADOW_STACK_TOP | 1n) ? "busy" : "not busy"})`
        : `SSS patched out (${cpuName} lacks ${gate.missing.filter((feature) => feature !== "CET_IBT").join(", ")}; SETSSBSY/CLRSSBSY/INCSSP/RDSSP sites are NOPs)`,
    );
  }
  const cr4 = cpu.state.controlRegisters.get("CR4") ?? 0n;
  parts.push(`CR4.CET=${(cr4 & CR4_CET) !== 0n ? 1 : 0} S_CET=${hex(cpu.sCet)}`);
  return parts.join(", ");
}
