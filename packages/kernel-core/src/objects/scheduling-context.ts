import { SC_PERMISSIONS_DEFINED } from "../abi/permissions.js";
import type { SchedulableContext } from "../hooks/scheduler-policy.js";
import type { KernelQuota } from "../kernel-state/kernel-quota.js";
import type { ExecutionContext } from "./execution-context.js";
import { KernelObject } from "./kernel-object.js";

export interface SchedulingContextInit {
  readonly ec: ExecutionContext;
  readonly priority: number;
  readonly budgetNs: number;
  readonly cos: number;
}

/**
 * A scheduling context (reference/nova.md §1.1, §7): priority, budget and class of service,
 * bound for life to one EC (which it holds) and to that EC's CPU. The runtime charges `leftNs`
 * and accumulates `usedNs` (what ctrl_sc reports); the scheduler policy sees it as a
 * SchedulableContext.
 */
export class SchedulingContext extends KernelObject implements SchedulableContext {
  readonly ec: ExecutionContext;
  readonly cpu: number;
  readonly priority: number;
  readonly budgetNs: number;
  readonly cos: number;
  leftNs: number;
  usedNs = 0;

  constructor(id: number, init: SchedulingContextInit, quota: KernelQuota, chargedBytes: number) {
    super(id, "SC", 0, quota, chargedBytes);
    this.ec = init.ec;
    this.cpu = init.ec.cpu;
    this.priority = init.priority;
    this.budgetNs = init.budgetNs;
    this.cos = init.cos;
    this.leftNs = init.budgetNs;
  }

  get definedPermissions(): number {
    return SC_PERMISSIONS_DEFINED;
  }

  get subtypeName(): string {
    return "SC";
  }

  heldReferences(): readonly KernelObject[] {
    return [this.ec];
  }
}
