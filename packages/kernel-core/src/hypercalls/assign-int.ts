import { SmPermission } from "../abi/permissions.js";
import { Status } from "../abi/status.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import { semaphoreFor } from "./capability-lookup.js";
import { arg, result, type HypercallRequest, type HypercallResult } from "./hypercall-types.js";
import { callPlugin } from "./plugin-hypercall.js";

/**
 * assign_int(sm, cpu, dev) (reference/nova.md §2.4): cpu below the CPU count (BAD_CPU), SM
 * capability with ASSIGN, which only interrupt SMs carry (BAD_CAP). Programming the
 * interrupt controller (and the MSI address/data returned in p1/p2) is the arch plugin's; with
 * no plugin the call is BAD_FTR. On success the SM remembers its routing for ctrl_sm down.
 */
export function assignInt(state: KernelState, request: HypercallRequest): HypercallResult {
  const cpu = arg(request, 1);
  if (cpu >= BigInt(state.cpuCount)) return result(Status.BAD_CPU);
  const sm = semaphoreFor(request.caller.ec.objectSpace, request.selector, SmPermission.ASSIGN);
  if (!sm.ok) return result(sm.status);
  const target = { type: "semaphore", id: sm.object.id, ...(sm.object.interruptId !== undefined ? { interruptId: sm.object.interruptId } : {}) } as const;
  const outcome = callPlugin(state, "assign_int", request, target);
  if (outcome === undefined) return result(Status.BAD_FTR);
  if (outcome.status === Status.SUCCESS) sm.object.route = { cpu: Number(cpu), flags: request.flags, device: arg(request, 2) };
  return result(outcome.status, outcome.results ?? []);
}
