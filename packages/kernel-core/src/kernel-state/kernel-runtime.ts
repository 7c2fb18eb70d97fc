/**
 * INTERNAL CONTRACT between the object/hypercall layer (objects/, hypercalls/, kernel-state/)
 * and the runtime (sim/, boot/). The object layer is synchronous and knows nothing of time or
 * coroutines; when an object operation has a runtime consequence it calls back through here.
 * The runtime keeps its own per-object state (EC run state, SC ready-queue membership, SM wait
 * queues) in side tables keyed by object id.
 */
export interface KernelRuntime {
  /** create_ec made an EC (any kind) */
  ecCreated(ecId: number): void;
  /** create_sc made an SC bound to an EC; it must become ready on its CPU now (NOVA: runnable at once) */
  scCreated(scId: number): void;
  /** ctrl_ec set the RECALL hazard on an EC; strong = wait for the remote CPU to acknowledge */
  recall(ecId: number, strong: boolean): void;
  /** an object's last reference went away; the runtime drops its side-table state */
  objectDestroyed(objectId: number): void;
  /** simulated time in ns */
  nowNs(): number;
}
