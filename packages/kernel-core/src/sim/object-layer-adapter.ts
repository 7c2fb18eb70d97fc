import { NovakitError } from "../errors/novakit-error.js";
import { lookupCapability } from "../hypercalls/capability-lookup.js";
import { executeHypercall } from "../hypercalls/execute-hypercall.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import { ExecutionContext } from "../objects/execution-context.js";
import { Portal } from "../objects/portal.js";
import { ProtectionDomain } from "../objects/protection-domain.js";
import { SchedulingContext } from "../objects/scheduling-context.js";
import { Semaphore } from "../objects/semaphore.js";
import type { CapabilityInfo, EcInfo, ObjectLayer, PortalInfo, ScInfo } from "./object-layer.js";
import type { HypercallResult } from "./workload.js";

/** The simulator's ObjectLayer over KernelState and executeHypercall (the object layer's API). */
export class KernelStateObjectLayer implements ObjectLayer {
  constructor(private readonly state: KernelState) {}

  capability(pd: number, selector: bigint): CapabilityInfo | undefined {
    const holder = this.state.objects.get(pd);
    if (!(holder instanceof ProtectionDomain)) return undefined;
    const capability = lookupCapability(holder, selector);
    if (!capability) return undefined;
    return { type: capability.object.type, objectId: capability.object.id, permissions: capability.permissions };
  }

  ec(id: number): EcInfo | undefined {
    const ec = this.state.objects.get(id);
    if (!(ec instanceof ExecutionContext)) return undefined;
    return {
      id,
      pd: ec.pd.id,
      cpu: ec.cpu,
      kind: ec.isVcpu ? "vcpu" : ec.kind === "local" ? "local" : "global",
      eventBase: Number(ec.eventBase),
      utcb: ec.utcb,
    };
  }

  portal(id: number): PortalInfo | undefined {
    const pt = this.state.objects.get(id);
    if (!(pt instanceof Portal)) return undefined;
    return { id, ec: pt.ec.id, pid: pt.pid, mtd: pt.mtd, ip: pt.ip };
  }

  sc(id: number): ScInfo | undefined {
    const sc = this.state.objects.get(id);
    if (!(sc instanceof SchedulingContext)) return undefined;
    return { ec: sc.ec.id, context: sc };
  }

  semaphoreIncrement(id: number): boolean {
    return this.semaphore(id).increment();
  }

  semaphoreTryDecrement(id: number, zero: boolean): boolean {
    return this.semaphore(id).tryDecrement(zero);
  }

  semaphoreRouteCpu(id: number): number | undefined {
    return this.semaphore(id).route?.cpu;
  }

  hypercall(callerEc: number, identifier: number, selector: bigint, args: readonly bigint[]): HypercallResult {
    const ec = this.state.objects.get(callerEc);
    if (!(ec instanceof ExecutionContext)) {
      throw new NovakitError("NK-KRN-207", `hypercall from EC ${callerEc}, which is not a live EC`);
    }
    return executeHypercall(this.state, { pd: ec.pd, ec, cpu: ec.cpu }, identifier, selector, args);
  }

  objectCount(): number {
    return this.state.objects.size;
  }

  private semaphore(id: number): Semaphore {
    const sm = this.state.objects.get(id);
    if (!(sm instanceof Semaphore)) throw new NovakitError("NK-KRN-206", `object ${id} is not a semaphore`);
    return sm;
  }
}
