import type { DmaReachReport } from "../hooks/hook-types.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import { MemoryCapabilityPermission } from "../abi/permissions.js";
import { DmaSpace } from "../objects/dma-space.js";
import type { DelegationLedger } from "./delegation-ledger.js";
import { InvariantViolation } from "./invariant-violation.js";

const hexSbdf = (sbdf: number): string => `0x${sbdf.toString(16)}`;

/**
 * Device reach (reference/nova.md §4.3, §4.6; the isolation walk of `check --isolation`): what
 * every DMA-capable device can reach, as the IOMMU plugin reads it from the real device table
 * and I/O page tables (the `dmaReach` hook; kernel-core has no IOMMU walker of its own), must
 * lie in frames the device's domain — the PD owning the DMA space its entry points at — was
 * given, with read/write only where given. Passthrough with an IOMMU present, or a translating
 * entry that points at no live DMA space, reaches memory no domain owns for it.
 */
export function checkDeviceReach(state: KernelState, ledger: DelegationLedger, report: DmaReachReport | undefined): InvariantViolation[] {
  if (report === undefined) return [];
  const violations: InvariantViolation[] = [];
  for (const device of report.devices) {
    if (device.mode === "blocked") continue;
    if (device.mode === "passthrough") {
      violations.push(new InvariantViolation("device-reach", { sbdf: device.sbdf }, `device ${hexSbdf(device.sbdf)} is untranslated (passthrough) although an IOMMU is on: it reaches all physical memory`));
      continue;
    }
    const space = device.spaceId === undefined ? undefined : state.objects.get(device.spaceId);
    if (!(space instanceof DmaSpace)) {
      if (device.ranges.length > 0) {
        violations.push(
          new InvariantViolation("device-reach", { sbdf: device.sbdf, ...(device.spaceId !== undefined ? { spaceId: device.spaceId } : {}) }, `device ${hexSbdf(device.sbdf)} translates through a table that belongs to no live DMA space and reaches ${device.ranges.length} range(s)`),
        );
      }
      continue;
    }
    const grants = ledger.grantsOf(space.pd.id);
    const format = space.table.format;
    for (const range of device.ranges) {
      const wanted = (range.read ? MemoryCapabilityPermission.R : 0) | (range.write ? MemoryCapabilityPermission.W : 0);
      const first = range.physicalAddress >> 12n;
      const uncovered = grants === undefined ? first : grants.firstUncovered(first, first + (range.size >> 12n), wanted, (given) => ledger.widen(format, given));
      if (uncovered === undefined) continue;
      violations.push(
        new InvariantViolation(
          "device-reach",
          { sbdf: device.sbdf, spaceId: space.id, pdId: space.pd.id, frame: uncovered },
          `device ${hexSbdf(device.sbdf)} (DMA space ${space.id} of PD ${space.pd.id}) can ${range.write ? "write" : "read"} frame 0x${uncovered.toString(16)}, which its domain was never given`,
        ),
      );
    }
  }
  return violations;
}

/** References the device tables hold: one per device whose entry points at a space (nova.md §4.6 step 4). */
export function deviceTableReferences(report: DmaReachReport | undefined): Map<number, number> {
  const references = new Map<number, number>();
  for (const device of report?.devices ?? []) {
    if (device.mode === "translated" && device.spaceId !== undefined) references.set(device.spaceId, (references.get(device.spaceId) ?? 0) + 1);
  }
  return references;
}
