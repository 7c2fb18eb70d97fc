import { definePlugin } from "@novakit/kernel-core";
import { cpuNotInitialised } from "./control-flow/cet-cpu.js";
import { CetRuntime } from "./control-flow/cet-runtime.js";
import { HypervisorImage, ImageAddress } from "./control-flow/hypervisor-image.js";
import { cpuCetLogLine, initialiseCpuCet } from "./cpu-init/per-cpu-init.js";
import { unsupportedLevelError } from "./gating/cet-findings.js";
import { gateCfpLevel } from "./gating/cfp-gate.js";
import { cetOptionsSchema, type CetOptions } from "./options/cet-options.js";
import { cfAttackWorkload } from "./scenario/cf-attack-workload.js";

export const SECURITY_CET_PLUGIN_NAME = "@novakit/security-cet";

/** After the arch plugin's taps in the same phase: CET goes on top of the paging state it programs. */
const AFTER_ARCH_STAGE = 100;

/**
 * Intel CET for NOVA (reference/cet.md, nova.md §5): the CFP build level, gated by the platform's
 * CPU; per-CPU CR4.CET / IA32_S_CET / supervisor shadow stack in the cpu phase; a control-flow
 * model of the hypervisor's hypercall path that raises #CP, and the `cfAttack` scenario.
 */
export const securityCetPlugin = definePlugin<CetOptions>({
  name: SECURITY_CET_PLUGIN_NAME,
  version: "0.1.0",
  kind: "security",
  description: "Intel CET: CFP levels (IBT, supervisor shadow stacks) gated by the CPU, per-CPU init, #CP model, cfAttack scenario",
  constraints: { arch: ["x86_64"] },
  options: cetOptionsSchema,
  register(context) {
    const name = context.pluginName;
    const options = context.options;
    const runtime = new CetRuntime(context.kernel);

    // memory: decide the level before anything CPU-local is built; refuse what the CPU cannot do
    context.hooks.memory.tapPromise({ name, stage: AFTER_ARCH_STAGE }, async (memory) => {
      const gate = gateCfpLevel(options.cfp, memory.platform.cpu);
      if (!gate.supported && options.unsupported === "refuse") {
        throw unsupportedLevelError(options.cfp, memory.platform, { field: `plugins["${SECURITY_CET_PLUGIN_NAME}"].options.cfp` });
      }
      runtime.configure(gate, new HypervisorImage(gate.built));
    });

    context.hooks.cpu.tapPromise({ name, stage: AFTER_ARCH_STAGE }, async (cpuContext) => {
      const gate = runtime.gate;
      const image = runtime.image;
      // the memory tap always ran first (boot phases run in order); a direct cpu call is a misuse
      if (gate === undefined || image === undefined) throw cpuNotInitialised(cpuContext.state.cpu.index);
      const cpu = initialiseCpuCet(cpuContext, gate, image);
      runtime.addCpu(cpuContext.state.cpu.index, cpu);
      cpuContext.kernel.log(cpuCetLogLine(cpuContext.state.cpu.index, gate, cpu, cpuContext.platform.cpu.name));
    });

    // boot is over: every CPU leaves its start code for user mode by SYSRET, releasing its token
    context.hooks.start.tapPromise({ name, stage: AFTER_ARCH_STAGE }, async () => {
      for (const cpu of runtime.allCpus()) {
        const left = cpu.exitToUserBySysret(ImageAddress.SYSCALL_ENTRY);
        if (!left.ok) throw cpuNotInitialised(cpu.state.cpu.index);
      }
    });

    context.registerWorkload(cfAttackWorkload(runtime));
  },
});
