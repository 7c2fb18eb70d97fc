/**
 * Simulated cost of device work, charged to the driver's SC while it waits for the device (a
 * polling driver), so device traffic advances the clock and the ticks. Round numbers of the
 * right order of magnitude; the simulation needs them to be deterministic, not exact.
 */
export const DeviceTiming = {
  /** per PCIe transaction: TLP header, IOMMU lookup, completion round trip */
  DMA_TRANSACTION_NS: 100,
  /** per byte moved: ~4 GB/s, a PCIe Gen3 x4 link */
  DMA_NS_PER_BYTE: 0.25,
  /** accelerator SHA-256 throughput: ~2 GB/s */
  SHA256_NS_PER_BYTE: 0.5,
  /** accelerator matrix unit: ~20 G multiply-accumulates per second */
  MATMUL_NS_PER_MAC: 0.05,
  /** NIC wire time at 10 Gb/s: 0.8 ns per byte */
  NIC_WIRE_NS_PER_BYTE: 0.8,
  /** NVMe media access per command (a fast flash read) */
  NVME_COMMAND_NS: 10_000,
} as const;

/** the cost of `transactions` transactions moving `bytes` bytes */
export function dmaCostNs(transactions: number, bytes: number): number {
  return transactions * DeviceTiming.DMA_TRANSACTION_NS + bytes * DeviceTiming.DMA_NS_PER_BYTE;
}

/** a driver's CPU filling or checking buffers: ~10 GB/s memory copy */
export const CPU_COPY_NS_PER_BYTE = 0.1;
