import type { KernelServices } from "@novakit/kernel-core";
import type { CfpGate } from "../gating/cfp-gate.js";
import { cpuNotInitialised, type CetCpu } from "./cet-cpu.js";
import { runHypercallPath, type ControlFlowAttack, type PathOutcome } from "./hypercall-path.js";
import type { HypervisorImage } from "./hypervisor-image.js";
import { handleHypervisorException, type FaultingContext } from "./kernel-exception.js";

/**
 * The CET side of one kernel instance: the gate decided at boot, the image of that build and the
 * CET state of every CPU. Created in the plugin's register(), so kernels never share it.
 */
export class CetRuntime {
  private readonly cpus = new Map<number, CetCpu>();
  private configuration: { readonly gate: CfpGate; readonly image: HypervisorImage } | undefined;

  constructor(private readonly kernel: KernelServices) {}

  configure(gate: CfpGate, image: HypervisorImage): void {
    this.configuration = { gate, image };
  }

  get gate(): CfpGate | undefined {
    return this.configuration?.gate;
  }

  get image(): HypervisorImage | undefined {
    return this.configuration?.image;
  }

  addCpu(index: number, cpu: CetCpu): void {
    this.cpus.set(index, cpu);
  }

  /** Every initialised CPU, by index. */
  allCpus(): readonly CetCpu[] {
    return [...this.cpus.values()];
  }

  cpu(index: number): CetCpu {
    const cpu = this.cpus.get(index);
    if (cpu === undefined) throw cpuNotInitialised(index);
    return cpu;
  }

  /**
   * One hypercall through the modelled hypervisor on `cpuIndex`, with `attack` applied. A stopped
   * path is handled as NOVA handles an exception in its own code (the trace, the `fault` hook, the
   * shadow stack unwound); the caller kills the EC. After a hijack the model resumes the EC in user
   * mode as if the gadget had returned there, so the CPU's shadow stack is unwound the same way.
   */
  hypercall(cpuIndex: number, attack: ControlFlowAttack, context: FaultingContext): PathOutcome {
    const configuration = this.configuration;
    const cpu = this.cpu(cpuIndex);
    if (configuration === undefined) throw cpuNotInitialised(cpuIndex);
    const outcome = runHypercallPath(cpu, configuration.image, { sss: configuration.gate.live.sss }, attack);
    if (outcome.kind === "stopped") {
      handleHypervisorException(this.kernel, cpu, outcome.exception, context);
    } else if (outcome.kind === "hijacked" && cpu.shadowStacksOn) {
      cpu.unwindToToken(outcome.target);
      cpu.iretToUser(outcome.target);
    }
    return outcome;
  }
}
