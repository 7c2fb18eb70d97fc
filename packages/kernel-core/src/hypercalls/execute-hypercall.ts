import { Hypercall, type HypercallName } from "../abi/hypercall-numbers.js";
import { Status } from "../abi/status.js";
import { NovakitError } from "../errors/novakit-error.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import { assignDev } from "./assign-dev.js";
import { assignInt } from "./assign-int.js";
import { createEc } from "./create-ec.js";
import { createPd } from "./create-pd.js";
import { createPt } from "./create-pt.js";
import { createSc } from "./create-sc.js";
import { createSm } from "./create-sm.js";
import { ctrlEc } from "./ctrl-ec.js";
import { ctrlHw } from "./ctrl-hw.js";
import { ctrlPd } from "./ctrl-pd.js";
import { ctrlPt } from "./ctrl-pt.js";
import { ctrlSc } from "./ctrl-sc.js";
import { result, type HypercallCaller, type HypercallRequest, type HypercallResult } from "./hypercall-types.js";

type Handler = (state: KernelState, request: HypercallRequest) => HypercallResult;

/** The calls that block (IPC, semaphores) are the runtime's; this layer is synchronous. */
export const RUNTIME_HYPERCALLS: ReadonlySet<number> = new Set([Hypercall.ipc_call, Hypercall.ipc_reply, Hypercall.ctrl_sm]);

/** NOVA's 16-entry dispatch table (§2.1); slot 0xF is reserved (BAD_HYP). */
const HANDLERS: ReadonlyMap<number, Handler> = new Map<number, Handler>([
  [Hypercall.create_pd, createPd],
  [Hypercall.create_ec, createEc],
  [Hypercall.create_sc, createSc],
  [Hypercall.create_pt, createPt],
  [Hypercall.create_sm, createSm],
  [Hypercall.ctrl_pd, ctrlPd],
  [Hypercall.ctrl_ec, ctrlEc],
  [Hypercall.ctrl_sc, ctrlSc],
  [Hypercall.ctrl_pt, ctrlPt],
  [Hypercall.ctrl_hw, ctrlHw],
  [Hypercall.assign_int, assignInt],
  [Hypercall.assign_dev, assignDev],
]);

const NAMES: ReadonlyMap<number, HypercallName> = new Map(Object.entries(Hypercall).map(([name, number]) => [number, name as HypercallName]));

/**
 * Execute one synchronous hypercall (reference/nova.md §2). `identifier` is the low byte of the
 * first register (number 3:0, flags 7:4); `selector` its bits 63:8; `args` are p1..p4.
 * ipc_call, ipc_reply and ctrl_sm block and must go to the runtime: passing them here is a
 * programming error (NK-KRN-101).
 */
export function executeHypercall(
  state: KernelState,
  caller: HypercallCaller,
  identifier: number,
  selector: bigint,
  args: readonly bigint[],
): HypercallResult {
  const number = identifier & 0xf;
  const flags = (identifier >> 4) & 0xf;
  if (RUNTIME_HYPERCALLS.has(number)) {
    throw new NovakitError(
      "NK-KRN-101",
      `${NAMES.get(number) ?? number} blocks and is executed by the runtime, not by executeHypercall`,
      { field: "identifier" },
      "dispatch ipc_call, ipc_reply and ctrl_sm in the simulator; use the capability helpers (portalFor, semaphoreFor) there",
    );
  }
  const handler = HANDLERS.get(number);
  if (handler === undefined) return result(Status.BAD_HYP);
  return handler(state, { caller, flags, selector: BigInt.asUintN(56, selector), args });
}
