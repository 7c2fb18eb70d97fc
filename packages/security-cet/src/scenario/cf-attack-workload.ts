import type { UserlandApi, WorkloadDefinition, WorkloadInstance } from "@novakit/kernel-core";
import { z } from "zod";
import type { CetRuntime } from "../control-flow/cet-runtime.js";
import { exceptionName, EcKilledByException } from "../control-flow/kernel-exception.js";
import type { ControlFlowAttack } from "../control-flow/hypercall-path.js";

export const CF_ATTACK_WORKLOAD = "cfAttack";

/** Simulated time of one modelled hypercall (kernel entry, dispatch, exit). */
const HYPERCALL_PATH_NS = 2_000;

export const cfAttackOptionsSchema = z
  .object({
    /**
     * "both": EC 0 (and every even EC) overwrites a return address, EC 1 (every odd EC) jumps to
     * a gadget; "return" / "branch": every EC runs that attack only.
     */
    attack: z.enum(["both", "return", "branch"]).default("both"),
    /** ordinary hypercalls through the same path before the attack, which must complete */
    benignCalls: z.number().int().min(0).max(1000).default(1),
  })
  .strict();
export type CfAttackOptions = z.output<typeof cfAttackOptionsSchema>;

/** Result keys in DomainReport.results (numbers, summed over the domain's ECs). */
export const CfAttackResult = {
  BENIGN_COMPLETED: "benignCompleted",
  RETURN_HIJACKED: "returnHijacked",
  RETURN_STOPPED: "returnStopped",
  BRANCH_HIJACKED: "branchHijacked",
  BRANCH_STOPPED: "branchStopped",
} as const;

function attackOf(options: CfAttackOptions, ecIndex: number): ControlFlowAttack {
  if (options.attack === "return") return "return-overwrite";
  if (options.attack === "branch") return "gadget-jump";
  return ecIndex % 2 === 0 ? "return-overwrite" : "gadget-jump";
}

/**
 * The `cfAttack` scenario : a domain whose ECs exploit memory-corruption bugs on the
 * hypervisor's hypercall path. A return-address overwrite is what supervisor shadow stacks stop
 * (#CP NEAR_RET); a jump to a gadget without ENDBR64 is what IBT stops (#CP ENDBRANCH). A stopped
 * attack kills the EC as NOVA's die("EXC") does; an unstopped one is reported as a hijack.
 */
export function cfAttackWorkload(runtime: CetRuntime): WorkloadDefinition {
  return {
    name: CF_ATTACK_WORKLOAD,
    description: "CET scenario: return-address overwrite (EC 0) and jump to a non-ENDBR gadget (EC 1) on the hypercall path",
    optionsSchema: cfAttackOptionsSchema,
    async run(api: UserlandApi, instance: WorkloadInstance): Promise<void> {
      const options = cfAttackOptionsSchema.parse(instance.options);
      const context = { ecId: api.ecId, domain: instance.domain, log: (line: string) => api.log(line) };
      for (let call = 0; call < options.benignCalls; call += 1) {
        await api.compute(HYPERCALL_PATH_NS);
        const outcome = runtime.hypercall(api.cpu, "none", context);
        if (outcome.kind === "stopped") throw new EcKilledByException(outcome.exception);
        if (outcome.kind === "completed") instance.report(CfAttackResult.BENIGN_COMPLETED, 1);
      }
      const attack = attackOf(options, instance.ecIndex);
      const label = attack === "return-overwrite" ? "return-address overwrite" : "jump to a non-ENDBR gadget";
      await api.compute(HYPERCALL_PATH_NS);
      const outcome = runtime.hypercall(api.cpu, attack, context);
      const isReturn = attack === "return-overwrite";
      switch (outcome.kind) {
        case "hijacked":
          instance.report(isReturn ? CfAttackResult.RETURN_HIJACKED : CfAttackResult.BRANCH_HIJACKED, 1);
          api.log(`cfAttack: ${label}: control-flow HIJACKED: ${outcome.description}`);
          return;
        case "stopped":
          instance.report(isReturn ? CfAttackResult.RETURN_STOPPED : CfAttackResult.BRANCH_STOPPED, 1);
          api.log(`cfAttack: ${label}: stopped by ${exceptionName(outcome.exception)}`);
          throw new EcKilledByException(outcome.exception);
        case "completed":
          // the corrupted value never reached a control transfer: nothing to report as either
          api.log(`cfAttack: ${label}: no effect`);
          return;
      }
    },
  };
}
