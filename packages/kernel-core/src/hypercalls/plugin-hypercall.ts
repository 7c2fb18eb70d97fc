import type { HypercallName } from "../abi/hypercall-numbers.js";
import type { HypercallOutcome, HypercallTarget } from "../hooks/hook-types.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import type { HypercallRequest } from "./hypercall-types.js";

/**
 * Hand a hypercall the kernel has checked generically to the plugin that implements it
 * (hooks.hypercall, a HookMap of bail hooks). undefined = no plugin answered.
 */
export function callPlugin(state: KernelState, name: HypercallName, request: HypercallRequest, target?: HypercallTarget): HypercallOutcome | undefined {
  return state.hooks.hypercall.get(name)?.call({
    name,
    flags: request.flags,
    selector: request.selector,
    args: request.args.slice(0, 4),
    callerPd: request.caller.pd.id,
    callerIsRoot: isRoot(state, request),
    cpu: request.caller.cpu,
    ...(target !== undefined ? { target } : {}),
  });
}

/** Root-only calls (ctrl_hw, assign_dev) compare the caller's PD with the root PD (§8.5). */
export function isRoot(state: KernelState, request: HypercallRequest): boolean {
  return state.rootPd !== undefined && request.caller.pd === state.rootPd;
}
