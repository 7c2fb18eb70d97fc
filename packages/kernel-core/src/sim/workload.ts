/**
 * A workload is what the ECs of a configured domain run. Its body is an async function over a
 * small userland API (hypercall wrappers, a UTCB view, compute(ns)).
 *
 * PLACEHOLDER CONTRACT: the simulator owner fills in UserlandApi.
 */
export interface UserlandApi {
  /** consume `ns` of the current SC's budget */
  compute(ns: number): Promise<void>;
}

export interface WorkloadInstance {
  readonly domain: string;
  readonly ecIndex: number;
  readonly options: Readonly<Record<string, unknown>>;
}

export interface WorkloadDefinition {
  readonly name: string;
  readonly description: string;
  /** the body of EC `instance.ecIndex` of a domain */
  run(api: UserlandApi, instance: WorkloadInstance): Promise<void>;
}
