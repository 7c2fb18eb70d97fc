import type { Status } from "../abi/status.js";
import type { ExecutionContext } from "../objects/execution-context.js";
import type { ProtectionDomain } from "../objects/protection-domain.js";

/** Who issues a hypercall: the calling EC, its PD and the CPU it runs on. */
export interface HypercallCaller {
  readonly pd: ProtectionDomain;
  readonly ec: ExecutionContext;
  readonly cpu: number;
}

/** One decoded hypercall (reference/nova.md §2.1, §2.3): flags nibble, selector (63:8), p1..p4. */
export interface HypercallRequest {
  readonly caller: HypercallCaller;
  readonly flags: number;
  readonly selector: bigint;
  /** p1..p4; missing words read as 0 */
  readonly args: readonly bigint[];
}

export interface HypercallResult {
  readonly status: Status;
  /** values returned in p1, p2 ... */
  readonly results: readonly bigint[];
}

export function result(status: Status, results: readonly bigint[] = []): HypercallResult {
  return { status, results };
}

/** p<n> of a request (1-based as in the reference), 0 when absent. */
export function arg(request: HypercallRequest, n: number): bigint {
  return BigInt.asUintN(64, request.args[n - 1] ?? 0n);
}
