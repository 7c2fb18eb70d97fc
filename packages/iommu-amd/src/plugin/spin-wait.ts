/**
 * NOVA bounds every SMMU wait by 5 ms (nova.md §4.1). The simulated kernel cannot let simulated
 * time pass inside a hypercall or a boot phase, so a wait is a spin loop that accounts its own
 * time: each poll stands for POLL_INTERVAL_NS of spinning, and the loop gives up once the polls
 * add up to the timeout. Deterministic, and the timeout path is reachable (a stalled queue).
 */
export const SMMU_TIMEOUT_NS = 5_000_000;
export const POLL_INTERVAL_NS = 1_000;

/** true as soon as `done()` holds; false after SMMU_TIMEOUT_NS of simulated polling */
export function spinUntil(done: () => boolean, timeoutNs: number = SMMU_TIMEOUT_NS): boolean {
  for (let spentNs = 0; spentNs <= timeoutNs; spentNs += POLL_INTERVAL_NS) {
    if (done()) return true;
  }
  return false;
}
