import { formatPciAddress, sbdfOf, type DmaReachRange, type DmaReachReport, type NovakitConfig, type Platform } from "@novakit/kernel-core";
import { normalizePciDevice } from "../config/config-schema.js";
import type { DteReader } from "./amd-dte-reader.js";
import type { DeviceAssignmentRow, IommuAssignments, IommuUnitAssignments } from "./report-model.js";

const PAGE_SHIFT = 12n;

/**
 * The device assignment table per IOMMU unit: every DMA-capable PCI function of the unit's
 * segment, the domain the configuration gives it, what the `dmaReach` walk of the real device
 * table and I/O page tables says it can do (blocked, translated, passthrough; pages it can read
 * and write), and the fields of its device table entry. Functions no unit translates are listed
 * apart: their DMA reaches all of physical memory.
 */
export function iommuAssignmentsOf(
  platform: Platform,
  config: NovakitConfig,
  reach: DmaReachReport | undefined,
  readDte: DteReader,
  spaceOwners: ReadonlyMap<number, string>,
): IommuAssignments {
  const assigned = new Map<string, string>();
  for (const domain of config.domains) for (const device of domain.devices ?? []) assigned.set(normalizePciDevice(device), domain.name);
  const rowsByUnit = new Map<string, DeviceAssignmentRow[]>();
  const untranslated: DeviceAssignmentRow[] = [];
  for (const fn of platform.pci.filter((candidate) => candidate.dmaCapable)) {
    const sbdf = sbdfOf(fn);
    const address = formatPciAddress(fn);
    const answer = reach?.devices.find((device) => device.sbdf === sbdf);
    const ranges = answer?.ranges ?? [];
    const row: DeviceAssignmentRow = {
      address,
      name: fn.name,
      domain: assigned.get(address) ?? (answer?.spaceId === undefined ? undefined : spaceOwners.get(answer.spaceId)),
      mode: answer?.mode ?? "passthrough",
      dte: readDte(sbdf),
      spaceId: answer?.spaceId,
      readablePages: pagesOf(ranges, (range) => range.read),
      writablePages: pagesOf(ranges, (range) => range.write),
    };
    const unit = answer?.iommu;
    if (unit === undefined) untranslated.push(row);
    else rowsByUnit.set(unit, [...(rowsByUnit.get(unit) ?? []), row]);
  }
  const units: IommuUnitAssignments[] = platform.iommus.map((unit) => {
    const name = `${unit.kind}@0x${unit.baseAddress.toString(16)}`;
    return { name, kind: unit.kind, segment: unit.segment, devices: rowsByUnit.get(name) ?? [] };
  });
  // a unit the reach walk names that the platform does not list still gets its table
  for (const [name, devices] of rowsByUnit) {
    if (!units.some((unit) => unit.name === name)) units.push({ name, kind: name.split("@")[0] ?? name, segment: -1, devices });
  }
  return { units, untranslated };
}

function pagesOf(ranges: readonly DmaReachRange[], keep: (range: DmaReachRange) => boolean): number {
  return Number(ranges.filter(keep).reduce((sum, range) => sum + (range.size >> PAGE_SHIFT), 0n));
}
