import type { KernelHooks, KernelServices } from "@novakit/kernel-core";
import { DomainIds } from "./domain-ids.js";
import type { IommuAmdOptions } from "./plugin-options.js";
import type { SmmuUnit } from "./smmu-unit.js";

/** The device table entry's translation half a device currently has, as the driver set it. */
export interface DeviceAssignment {
  readonly spaceId: number;
  readonly domainId: number;
  /** CTE quadwords 0 and 1 (DTE bits 127:0) the driver wrote: the expected value of the next CAS */
  readonly cte: readonly [bigint, bigint];
  /** drops the device table's reference on the space (taken with `retain`) */
  readonly release: () => void;
  /**
   * Earlier assignments of this device whose invalidation timed out: the unit may still hold
   * their DTE and IOTLB entries, so their space references and domain use are kept until a later
   * invalidation of this device completes (then they are released, oldest first).
   */
  readonly unsettled?: readonly SupersededAssignment[];
}

/** An assignment a device was moved away from, kept until the move's invalidation completed. */
export interface SupersededAssignment {
  readonly domainId: number;
  readonly release: () => void;
}

/** Counters the boot summary prints (IommuAmdDriver.statistics). */
export interface DriverCounters {
  /** events the fault handler consumed from the event logs */
  eventsLogged: number;
  /** event-log overflows the handler restarted the log after */
  overflowRestarts: number;
  /** command queues restarted after ILLEGAL_COMMAND_ERROR / COMMAND_HARDWARE_ERROR */
  commandQueueRestarts: number;
  /** invalidations (assign_dev or unmap) whose COMPLETION_WAIT did not arrive within 5 ms */
  invalidationTimeouts: number;
  assignments: number;
  /** unmapped DMA blocks whose IOTLB invalidation timed out: their tables stay quarantined */
  quarantinedBlocks: number;
}

/**
 * Per-kernel state of the driver (created in register(), so two kernels never share it): the
 * units by segment, who is assigned where, domain ids, and the counters.
 */
export class DriverState {
  readonly units: SmmuUnit[] = [];
  readonly unitsBySegment = new Map<number, SmmuUnit[]>();
  /** by SBDF (segment << 16 | BDF) */
  readonly assignments = new Map<number, DeviceAssignment>();
  readonly domainIds = new DomainIds();
  /** per segment: domain id -> number of devices of that segment assigned to it */
  readonly domainUse = new Map<number, Map<number, number>>();
  readonly counters: DriverCounters = { eventsLogged: 0, overflowRestarts: 0, commandQueueRestarts: 0, invalidationTimeouts: 0, assignments: 0, quarantinedBlocks: 0 };
  /** per unit name: the unit's dropped-event count when the handler last restarted its log */
  readonly droppedAtLastRestart = new Map<string, number>();
  /** DMA remapping is up (after the iommu phase, unless nosmmu) */
  enabled = false;
  /** a unit raised the SMMU interrupt since the handler last ran (delivered at the next tick) */
  interruptPending = false;
  /** NOVA's ptl = min(5, 4 + HATS) over the units (nova.md §4.6 step 2); the DTE Mode */
  pageTableLevels = 4;

  constructor(
    readonly kernel: KernelServices,
    readonly hooks: KernelHooks,
    readonly options: IommuAmdOptions,
  ) {}

  addUnit(unit: SmmuUnit): void {
    this.units.push(unit);
    const list = this.unitsBySegment.get(unit.segment);
    if (list === undefined) this.unitsBySegment.set(unit.segment, [unit]);
    else list.push(unit);
  }

  /** count a device of `segment` joining (+1) or leaving (-1) a domain */
  countDomainUse(segment: number, domainId: number, delta: 1 | -1): void {
    let bySegment = this.domainUse.get(segment);
    if (bySegment === undefined) {
      bySegment = new Map();
      this.domainUse.set(segment, bySegment);
    }
    const count = (bySegment.get(domainId) ?? 0) + delta;
    if (count > 0) bySegment.set(domainId, count);
    else bySegment.delete(domainId);
  }

  /** the segments on which some device is assigned to `domainId` */
  segmentsUsing(domainId: number): number[] {
    const segments: number[] = [];
    for (const [segment, domains] of this.domainUse) if (domains.has(domainId)) segments.push(segment);
    return segments;
  }
}
