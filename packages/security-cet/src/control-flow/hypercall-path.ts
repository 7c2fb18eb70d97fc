import { SHADOW_STACK_TOP } from "../shadow-stack/shadow-stack-layout.js";
import type { CetCpu } from "./cet-cpu.js";
import { hex, type CpuException } from "./cpu-exception.js";
import { ImageAddress, type HypervisorImage } from "./hypervisor-image.js";

/** The two hijacks of the `cfAttack` scenario, or none. */
export type ControlFlowAttack = "none" | "return-overwrite" | "gadget-jump";

export type PathOutcome =
  | { readonly kind: "completed" }
  /** the CPU raised an exception: CET (or something else) stopped the path */
  | { readonly kind: "stopped"; readonly exception: CpuException }
  /** control reached the attacker's target */
  | { readonly kind: "hijacked"; readonly via: "ret" | "indirect call"; readonly target: bigint; readonly description: string };

/** Which CET instruction sites of the image are live (not patched to NOPs) on this CPU (cet.md §7 step 1). */
export interface LivePatches {
  readonly sss: boolean;
}

/**
 * A hypercall through the modelled hypervisor, as NOVA's x86_64 entry runs it (cet.md §7 step 4):
 * SYSCALL lands on the entry (ENDBR64 in IBT builds); the entry activates the shadow stack with
 * SETSSBSY; it calls dispatch, which calls the handler indirectly through the hypercall table;
 * the handler and dispatch return; CLRSSBSY releases the token; SYSRET.
 *
 * The attacks are the memory-corruption bugs of the scenario: "gadget-jump" overwrote the table
 * entry with the address of a gadget; "return-overwrite" overwrites dispatch's return address on
 * the data stack while the handler runs.
 */
export function runHypercallPath(cpu: CetCpu, image: HypervisorImage, patches: LivePatches, attack: ControlFlowAttack): PathOutcome {
  const stack: bigint[] = [];
  const stopped = (exception: CpuException): PathOutcome => ({ kind: "stopped", exception });

  const entered = cpu.syscall(ImageAddress.SYSCALL_ENTRY);
  if (!entered.ok) return stopped(entered.exception);
  if (patches.sss) {
    const activated = cpu.setssbsy(ImageAddress.SYSCALL_ENTRY + 0x10n);
    if (!activated.ok) return stopped(activated.exception);
  }

  const called = cpu.call(ImageAddress.DISPATCH, ImageAddress.ENTRY_RETURN_SITE, stack);
  if (!called.ok) return stopped(called.exception);

  // dispatch: call *hypercall_table(,%rax,8)
  const handler = attack === "gadget-jump" ? ImageAddress.GADGET : ImageAddress.HANDLER;
  const dispatched = cpu.callIndirect(handler, ImageAddress.DISPATCH_RETURN_SITE, stack);
  if (!dispatched.ok) return stopped(dispatched.exception);
  if (handler === ImageAddress.GADGET) {
    return { kind: "hijacked", via: "indirect call", target: handler, description: `indirect call in dispatch reached ${image.describe(handler)}` };
  }

  // the handler's bug: a write through an attacker-controlled pointer hits dispatch's return address
  if (attack === "return-overwrite") stack[0] = ImageAddress.GADGET;
  const handlerReturn = cpu.ret(stack, ImageAddress.HANDLER_RET);
  if (!handlerReturn.ok) return stopped(handlerReturn.exception);

  const dispatchReturn = cpu.ret(stack, ImageAddress.DISPATCH_RET);
  if (!dispatchReturn.ok) return stopped(dispatchReturn.exception);
  if (dispatchReturn.value !== ImageAddress.ENTRY_RETURN_SITE) {
    return { kind: "hijacked", via: "ret", target: dispatchReturn.value, description: `ret of dispatch went to ${image.describe(dispatchReturn.value)} instead of ${hex(ImageAddress.ENTRY_RETURN_SITE)}` };
  }

  if (patches.sss) {
    // Cet::sss_deactivate before SYSRET: CLRSSBSY on SSTK_TOP
    const released = cpu.clrssbsy(SHADOW_STACK_TOP, ImageAddress.ENTRY_RETURN_SITE + 0x10n);
    if (!released.ok) return stopped(released.exception);
  }
  cpu.sysret();
  return { kind: "completed" };
}
