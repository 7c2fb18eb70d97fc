/** Status register (MMIO 2020h) bits (reference/amd-iommu.md §2.5). */
export const IommuStatus = {
  /** W1C: an event was dropped because the log was full; logging stopped */
  EVENT_OVERFLOW: 1n << 0n,
  /** W1C: set whenever an event is written */
  EVENT_LOG_INT: 1n << 1n,
  /** W1C: set by COMPLETION_WAIT with I=1 */
  COM_WAIT_INT: 1n << 2n,
  /** RO: the event log is running */
  EVENT_LOG_RUN: 1n << 3n,
  /** RO: the command buffer is running; cleared when processing halts on an error */
  CMD_BUF_RUN: 1n << 4n,
} as const;

/**
 * The write-1-to-clear bits: 0, 1, 2, 5, 6, 9, 10, 11, 15, 17, 18 (§2.5; VirtualBox's mask
 * 0x68E67). The read-only bits (3, 4, 7, 8, 12, 16) are the model's own state and ignore writes.
 */
export const STATUS_W1C_MASK = 0x68e67n;
