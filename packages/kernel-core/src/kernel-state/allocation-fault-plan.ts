import type { FrameOwner, KernelAllocationPolicy } from "./kernel-allocation-policy.js";

export interface AllocationFaultPlanOptions {
  /** 1-based index of the allocation to fail; undefined = fail none (a counting run) */
  readonly failAt?: number;
  /** also fail every allocation after `failAt` (memory stays exhausted) instead of just that one */
  readonly failAllAfter?: boolean;
}

/** One allocation decision, in the order the boot made them. */
export interface AllocationRecord {
  /** 1-based */
  readonly index: number;
  readonly site: string;
  readonly injected: boolean;
}

/** Frames the kernel holds, by the allocation that took them. */
export interface LiveFrames {
  readonly site: string;
  readonly base: bigint;
  readonly count: number;
  readonly owner: FrameOwner | undefined;
}

/**
 * A KernelAllocationPolicy for fault injection: counts every allocation of a boot, records its
 * site, fails the k-th (and optionally all after it), and keeps a ledger of the frames the kernel
 * holds so a leak check can account for each. Deterministic: a boot with the same configuration
 * and seed makes the same allocations in the same order, so "the k-th" names the same one.
 * One plan per boot (it keeps the boot's records).
 */
export class AllocationFaultPlan implements KernelAllocationPolicy {
  private readonly records: AllocationRecord[] = [];
  private readonly frames = new Map<bigint, LiveFrames>();
  private readonly failAt: number | undefined;
  private readonly failAllAfter: boolean;

  constructor(options: AllocationFaultPlanOptions = {}) {
    this.failAt = options.failAt;
    this.failAllAfter = options.failAllAfter ?? false;
  }

  allow(site: string): boolean {
    const index = this.records.length + 1;
    const injected = this.failAt !== undefined && (index === this.failAt || (this.failAllAfter && index > this.failAt));
    this.records.push({ index, site, injected });
    return !injected;
  }

  framesTaken(site: string, base: bigint, count: number, owner: FrameOwner | undefined): void {
    for (let frame = 0; frame < count; frame++) {
      const address = base + BigInt(frame) * 4096n;
      this.frames.set(address, { site, base: address, count: 1, owner });
    }
  }

  framesReturned(base: bigint, count: number): void {
    for (let frame = 0; frame < count; frame++) this.frames.delete(base + BigInt(frame) * 4096n);
  }

  /** every allocation decision so far, in order */
  get allocations(): readonly AllocationRecord[] {
    return this.records;
  }

  /** the allocations this plan failed */
  get injected(): readonly AllocationRecord[] {
    return this.records.filter((record) => record.injected);
  }

  /** distinct sites in order of first occurrence */
  sites(): string[] {
    return [...new Set(this.records.map((record) => record.site))];
  }

  /** frames taken through the kernel's allocation sites and not returned, one entry per 4 KiB frame */
  liveFrames(): LiveFrames[] {
    return [...this.frames.values()].sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
  }
}
