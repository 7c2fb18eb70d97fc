/**
 * The one decision point every kernel memory allocation of a boot goes through (reference/nova.md
 * §1.1 "objects come from slab caches that belong to the owning PD", §2.2 MEM_OBJ / MEM_CAP):
 * object slab charges (KernelQuota.tryCharge), capability-table growth, page-table frames,
 * UTCB and HIP frames, and the frames plugins take with KernelServices.allocateKernelFrames
 * (an IOMMU's device table, command buffer, event log).
 *
 * A policy can refuse an allocation (`allow` returns false): the caller then fails exactly as if
 * kernel memory had run out at that point, so fault injection exercises the real error paths.
 * It also sees which frames were handed out and returned, so a leak check can tell every frame
 * the kernel holds from the allocation that took it. Reachable from the kernel state
 * (KernelState.allocationPolicy, set through CreateKernelOptions.allocationPolicy); the default
 * policy allows everything and records nothing.
 */
export interface KernelAllocationPolicy {
  /** Called once before each allocation, `site` naming where it happens; false = fail it. */
  allow(site: string): boolean;
  /** `count` frames from `base` were handed out for `site`, charged to `owner` when a quota paid for them. */
  framesTaken(site: string, base: bigint, count: number, owner: FrameOwner | undefined): void;
  /** `count` frames from `base` went back to the frame allocator. */
  framesReturned(base: bigint, count: number): void;
}

/** What the quota that paid for frames is, as far as a leak check needs to know (a KernelQuota). */
export interface FrameOwner {
  readonly usedBytes: number;
}

/** The default: allocations fail only when memory really runs out; nothing is recorded. */
export const UNRESTRICTED_ALLOCATIONS: KernelAllocationPolicy = Object.freeze({
  allow: (): boolean => true,
  framesTaken: (): void => undefined,
  framesReturned: (): void => undefined,
});

/**
 * The stable names of the kernel's allocation sites, as the fault-injection report lists them.
 * Plugins name their own (the AMD IOMMU: "iommu:devtab", "iommu:cmdbuf", "iommu:evtlog").
 */
export const AllocationSite = {
  /** create_pd OP=0: the PD object */
  CREATE_PD: "quota:create_pd",
  /** create_pd OP=1..6: the space object (and the PIO/MSR bitmaps) */
  SPACE_OBJ: "quota:space_obj",
  SPACE_HST: "quota:space_hst",
  SPACE_GST: "quota:space_gst",
  SPACE_DMA: "quota:space_dma",
  SPACE_PIO: "quota:space_pio",
  SPACE_MSR: "quota:space_msr",
  /** create_ec: EC object, UTCB and FPU area charged together */
  CREATE_EC: "quota:create_ec",
  /** the frame behind a local/global EC's UTCB */
  UTCB_FRAME: "frame:utcb",
  CREATE_SC: "quota:create_sc",
  CREATE_PT: "quota:create_pt",
  CREATE_SM: "quota:create_sm",
  /** a second-level capability table of an object space (MEM_CAP) */
  CAPABILITY_TABLE: "captable",
  /** the frame holding the root PD's HIP */
  HIP_FRAME: "frame:hip",
  /** a quota charge whose caller named no site */
  UNNAMED_CHARGE: "quota:unnamed",
  /** frames a plugin took with allocateKernelFrames and did not name */
  KERNEL_FRAMES: "kernel-frames",
} as const;

/** "pagetable:HST", "pagetable:GST", "pagetable:DMA", "pagetable:kernel": page-table pages of a space kind */
export function pageTableSite(kind: string): string {
  return `pagetable:${kind}`;
}
