import type { FrameAllocator } from "../memory/frame-allocator.js";
import { FRAME_SIZE, type PhysicalMemory } from "../memory/physical-memory.js";
import type { TableAllocator } from "../memory/radix-page-table.js";
import type { KernelQuota } from "./kernel-quota.js";
import { pageTableSite } from "./kernel-allocation-policy.js";
import { ObjectCost } from "./object-costs.js";

/**
 * The TableAllocator of a PD's page tables (reference/nova.md §2.2): every table page is charged
 * to the PD's quota before a frame is drawn from the FrameAllocator, so running out of either
 * surfaces as the engine's MEM_CAP. Pages are zeroed, as a reused frame may hold old entries.
 */
export class QuotaTableAllocator implements TableAllocator {
  /** `site` names these tables for fault injection and leak accounting ("pagetable:HST", ...) */
  constructor(
    private readonly quota: KernelQuota,
    private readonly frames: FrameAllocator,
    private readonly memory: PhysicalMemory,
    private readonly site: string = pageTableSite("unnamed"),
  ) {}

  allocateTable(): bigint | undefined {
    if (!this.quota.tryCharge(ObjectCost.TABLE, this.site)) return undefined;
    const frame = this.frames.allocate();
    if (frame === undefined) {
      this.quota.refund(ObjectCost.TABLE);
      return undefined;
    }
    this.memory.zeroFrame(frame);
    this.quota.allocationPolicy.framesTaken(this.site, frame, 1, this.quota);
    return frame;
  }

  freeTable(address: bigint): void {
    this.frames.free(address);
    this.quota.allocationPolicy.framesReturned(address, 1);
    this.quota.refund(ObjectCost.TABLE);
  }

  allocateTables(count: number): bigint | undefined {
    const bytes = ObjectCost.TABLE * count;
    if (!this.quota.tryCharge(bytes, this.site)) return undefined;
    const base = this.frames.allocateContiguous(count, count);
    if (base === undefined) {
      this.quota.refund(bytes);
      return undefined;
    }
    for (let i = 0; i < count; i++) this.memory.zeroFrame(base + BigInt(i * FRAME_SIZE));
    this.quota.allocationPolicy.framesTaken(this.site, base, count, this.quota);
    return base;
  }

  /** whether a table page could be allocated now (checked before creating a space: MEM_OBJ) */
  canAllocate(count = 1): boolean {
    return this.quota.available() >= ObjectCost.TABLE * count && this.frames.freeCount() >= count;
  }
}
