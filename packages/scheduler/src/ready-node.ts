import type { SchedulableContext } from "@novakit/kernel-core";

/**
 * One SC's place in a circular ready queue. The kernel owns SchedulableContext, so the links
 * cannot live inside it; the policy keeps one node per queued SC instead (found by SC id), which
 * keeps insertion and removal O(1) like NOVA's intrusive `Queue<Sc>` (inc/queue.hpp).
 */
export class ReadyNode {
  /** a lone node links to itself, the circular list's empty-neighbour convention */
  prev: ReadyNode = this;
  next: ReadyNode = this;

  constructor(
    readonly sc: SchedulableContext,
    /** the queue it is in; captured so a later priority change by the kernel cannot mislead removal */
    readonly priority: number,
    /**
     * The SC arrived with budget left (it was preempted), so it went to the head. Remembered
     * because enqueue refills `leftNs` of expired SCs, and a later `preempts()` must still know
     * which case it was (NOVA tests `sc->left` before the refill, src/scheduler.cpp).
     */
    readonly arrivedWithBudgetLeft: boolean,
  ) {}
}
