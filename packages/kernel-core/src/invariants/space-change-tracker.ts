import type { KernelHooks } from "../hooks/kernel-hooks.js";

/** A range of input pages of a space that changed: [page, page + 2^order). */
export interface ChangedRange {
  readonly page: bigint;
  readonly order: number;
}

/** What changed since the last check. */
export interface SpaceChanges {
  /** this check walks every page table and the device tables regardless of the hooks */
  readonly fullSweep: boolean;
  /** changed input ranges by space id */
  readonly ranges: ReadonlyMap<number, readonly ChangedRange[]>;
  /** assign_dev ran: device table entries may point elsewhere */
  readonly devicesReassigned: boolean;
}

/**
 * Which ranges of which host, guest and DMA spaces changed since the last check, from the
 * `mapped` and `unmapped` hooks every legitimate page-table update fires (delegation, UTCB
 * pages, teardown), and whether assign_dev ran (an interceptor on its hypercall hook). Walks
 * of unchanged ranges are skipped; every `fullSweepInterval`-th check walks everything anyway,
 * because a corruption that bypasses the hooks (a rogue write through the engine, a rogue device
 * table entry) is exactly what the checker exists to find.
 */
export class SpaceChangeTracker {
  private ranges = new Map<number, ChangedRange[]>();
  private reassigned = false;
  private checks = 0;

  constructor(private readonly fullSweepInterval: number) {}

  attach(hooks: KernelHooks, tapName: string): void {
    const record = (spaceId: number, page: bigint, order: number): void => {
      const list = this.ranges.get(spaceId);
      if (list === undefined) this.ranges.set(spaceId, [{ page, order }]);
      else list.push({ page, order });
    };
    hooks.mapped.tap(tapName, (event) => record(event.spaceId, event.page, event.order));
    hooks.unmapped.tap(tapName, (event) => record(event.spaceId, event.page, event.order));
    hooks.hypercall.for("assign_dev").intercept({
      call: () => {
        this.reassigned = true;
      },
    });
  }

  /** Start a check: take what changed since the last one. */
  begin(): SpaceChanges {
    this.checks++;
    const changes: SpaceChanges = {
      fullSweep: this.fullSweepInterval <= 1 || this.checks % this.fullSweepInterval === 1,
      ranges: this.ranges,
      devicesReassigned: this.reassigned,
    };
    this.ranges = new Map();
    this.reassigned = false;
    return changes;
  }
}
