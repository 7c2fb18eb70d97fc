/**
 * Bytes charged to a PD's quota per object (reference/nova.md §1.1 slab caches). NOVA's slab
 * sizes depend on the build; these round figures keep the accounting meaningful (a UTCB or a
 * table really is a 4 KiB page) without pretending to match a particular binary.
 */
export const PAGE_BYTES = 4096;
export const ObjectCost = {
  PD: 256,
  SPACE: 128,
  EC: 512,
  /** local and global ECs own a 4 KiB UTCB */
  UTCB: PAGE_BYTES,
  /** FPU save area of an EC created with F=1 */
  FPU: 1024,
  SC: 128,
  PT: 64,
  SM: 64,
  /** 65536 ports, one bit each */
  PIO_BITMAP: 8192,
  /** VMX-style MSR bitmap */
  MSR_BITMAP: PAGE_BYTES,
  /** one object-space or page-table page */
  TABLE: PAGE_BYTES,
} as const;
