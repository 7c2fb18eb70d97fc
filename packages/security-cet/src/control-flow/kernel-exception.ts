import type { FaultEvent, KernelServices } from "@novakit/kernel-core";
import type { CetCpu } from "./cet-cpu.js";
import { CP_VECTOR, hex, type CpuException } from "./cpu-exception.js";
import { KERNEL_CS } from "./cet-cpu.js";

/** Who was running when the hypervisor faulted. */
export interface FaultingContext {
  readonly ecId: number;
  readonly domain?: string;
  /** the console of the faulting CPU (NOVA traces on the CPU that faulted); kernel.log otherwise */
  readonly log?: (line: string) => void;
}

/**
 * Thrown out of an EC's body to end it, the way NOVA's Ec::die ends the current EC: the simulator
 * kills the EC and its partners see ABORTED.
 */
export class EcKilledByException extends Error {
  override readonly name = "EcKilledByException";
  constructor(readonly exception: CpuException) {
    super(`${exception.mnemonic} in the hypervisor (EXC)`);
  }
}

/** "#CP(NEAR_RET)", "#UD", ... */
export function exceptionName(exception: CpuException): string {
  return exception.vector === CP_VECTOR ? `#CP(${exception.cause})` : exception.mnemonic;
}

/**
 * What NOVA does with an exception raised by its own code (Ec::handle_exc, src/x86_64/ec_exc.cpp,
 * cet.md §7 / nova.md §5): only #NM, #GP (TSS reload) and kernel #PF in the PIO window are
 * handled; #CP is none of them and the fault is not from user mode, so `die("EXC")` traces
 * "Killed EC:... V:... ERR:... (EXC)" and kills the current EC; the rest of the system runs on.
 *
 * Here: the trace line, the `fault` hook (kind "cp" for #CP), and the shadow stack put back as
 * the switch to the next context does (Cet::sss_unwind, then the IRET to user frees the token), so
 * the CPU's next kernel entry finds a free token. The caller then throws EcKilledByException.
 */
export function handleHypervisorException(kernel: KernelServices, cpu: CetCpu, exception: CpuException, context: FaultingContext): FaultEvent {
  const errorCode = "errorCode" in exception ? exception.errorCode : 0;
  (context.log ?? ((line: string) => kernel.log(line)))(
    `Killed EC:${context.ecId} V:${hex(exception.vector)} CS:${hex(KERNEL_CS)} IP:${hex(exception.ip)} ERR:${hex(errorCode)} (EXC) ${exceptionName(exception)}: ${exception.detail}`,
  );
  const event: FaultEvent = {
    kind: exception.vector === CP_VECTOR ? "cp" : exception.vector === 14 ? "page" : "exception",
    timeNs: kernel.nowNs(),
    cpu: cpu.state.cpu.index,
    ...(context.domain !== undefined ? { domain: context.domain } : {}),
    address: exception.vector === 14 ? exception.address : exception.ip,
    access: "execute",
    detail: `${exceptionName(exception)} vector ${exception.vector} error code ${hex(errorCode)} in the hypervisor on behalf of EC ${context.ecId}: ${exception.detail}; EC killed (EXC)`,
  };
  kernel.hooks.fault.call(event);
  if (cpu.shadowStacksOn) {
    cpu.unwindToToken(exception.ip);
    cpu.iretToUser(exception.ip);
  }
  return event;
}
