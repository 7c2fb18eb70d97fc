import type { DeviceDmaReach, DmaReachReport, DmaReachRequest } from "@novakit/kernel-core";
import { walkDeviceReach } from "./dma-reach.js";
import type { DriverState } from "./driver-state.js";
import { hatsOf } from "./mmio-registers.js";

/**
 * The `dmaReach` hook (`novakit check --isolation`): for each requested SBDF, the unit of its
 * segment and what the device table and I/O page tables in memory let it reach. A device on a
 * segment without a unit is untranslated ("passthrough", no IOMMU named). The walk reads memory
 * only: DTE Mode beyond the unit's 4 + HATS is an illegal entry (every request aborts).
 */
export function dmaReachReport(state: DriverState, request: DmaReachRequest): DmaReachReport | undefined {
  if (!state.enabled) return undefined;
  const memory = state.kernel.physicalMemory;
  const devices: DeviceDmaReach[] = request.devices.map((sbdf) => {
    const unit = state.unitsBySegment.get(sbdf >>> 16)?.[0];
    if (unit === undefined) return { sbdf, mode: "passthrough", ranges: [] };
    const reach = walkDeviceReach(memory, unit.deviceTable.base, sbdf, unit.name, 4 + Math.min(hatsOf(unit.efr), 2));
    if (reach.mode !== "translated") return reach;
    // the space id names what the entry points at only while memory holds the entry the driver wrote
    const assignment = state.assignments.get(sbdf);
    const entry = memory.read64(unit.deviceTable.entryAddress(sbdf & 0xffff));
    return assignment !== undefined && assignment.cte[0] === entry ? { ...reach, spaceId: assignment.spaceId } : reach;
  });
  return { devices };
}
