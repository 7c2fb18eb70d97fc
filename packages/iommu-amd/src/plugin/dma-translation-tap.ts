import type { DmaRequest, DmaResult } from "@novakit/kernel-core";
import type { DriverState } from "./driver-state.js";

const PAGE_BYTES = 4096;
const ADDRESS_LIMIT = 1n << 64n;

const aborted = (reason: string): DmaResult => ({ ok: false, reason });

/**
 * The `dma` hook: a device's request goes through the IOMMU of its segment (its IOTLB, then
 * the walk; a fault is written to the event log by the hardware). Answers undefined only where
 * no unit translates (remapping off, or a segment without an IOMMU: DMA is untranslated there).
 * Never throws on a device's bad request: a malformed request (PCIe never crosses 4 KiB) is
 * aborted, and an aborted DMA always aborts.
 */
export function translateDeviceDma(state: DriverState, request: DmaRequest): DmaResult | undefined {
  if (!state.enabled) return undefined;
  const { sbdf, address, length } = request;
  if (!Number.isInteger(sbdf) || sbdf < 0 || sbdf > 0xffff_ffff) return aborted(`malformed DMA request: SBDF ${String(sbdf)}`);
  const units = state.unitsBySegment.get(sbdf >>> 16);
  if (units === undefined) return undefined;
  if (typeof address !== "bigint" || address < 0n || address >= ADDRESS_LIMIT) return aborted(`malformed DMA request: address ${String(address)}`);
  if (!Number.isInteger(length) || length < 1 || Number(address & 0xfffn) + length > PAGE_BYTES) {
    return aborted(`malformed DMA request: ${String(length)} bytes at 0x${address.toString(16)} cross a 4 KiB boundary`);
  }
  const unit = units[0]!;
  try {
    const translation = unit.hardware.translate({ bdf: sbdf & 0xffff, iova: address, write: request.write === true, useCache: true });
    if (translation.ok) return { ok: true, physicalAddress: translation.physicalAddress };
    return aborted(`${unit.name} ${translation.fault.code} ${translation.fault.reason}`);
  } catch (error) {
    return aborted(`${unit.name} aborted the request: ${error instanceof Error ? error.message : String(error)}`);
  }
}
