import type { BootResult, DeviceDmaReach, DmaReachRange, NovakitConfig, NovakitKernel, PciFunction } from "@novakit/kernel-core";
import { normalizePciDevice } from "../config/config-schema.js";
import { ISOLATION_CODES, type IsolationCode } from "./isolation-codes.js";
import { frameOwnership, KERNEL_OWNER, ownersOf, type OwnedSegment } from "./isolation-ownership.js";

/** What one DMA-capable PCI function can reach. */
export interface IsolationDevice {
  /** "0000:00:03.0" */
  readonly address: string;
  readonly name: string;
  readonly classCode?: number;
  /** the domain the configuration assigns it to (or whose DMA space its DTE points at) */
  readonly domain?: string;
  /** the IOMMU that translates it, when one does */
  readonly iommu?: string;
  readonly mode: DeviceDmaReach["mode"];
  readonly readablePages: number;
  readonly writablePages: number;
  /** reachable pages that belong to nobody (free RAM, holes): not violations, but counted */
  readonly unownedPages: number;
  readonly violations: number;
}

/** A merged run of physical memory a device should not reach. */
export interface IsolationViolation {
  readonly code: IsolationCode;
  readonly device: string;
  /** the device's domain, "(unassigned)" when none */
  readonly domain: string;
  /** who owns the frames: another domain, "kernel", "pd <id>" (the root task); shared owners joined by "+" */
  readonly owner: string;
  /** physical byte range [start, end) */
  readonly start: bigint;
  readonly end: bigint;
  readonly read: boolean;
  readonly write: boolean;
}

export interface IsolationReport {
  readonly ok: boolean;
  readonly configName: string;
  readonly seed: number;
  readonly platform: string;
  /** false when no plugin answered the dmaReach hook: no IOMMU translates DMA */
  readonly iommuAnswered: boolean;
  readonly devices: readonly IsolationDevice[];
  readonly violations: readonly IsolationViolation[];
  /** pages per owner, for the summary ("tenant-a": 16384, "kernel": 1234) */
  readonly ownedPages: Readonly<Record<string, number>>;
}

const PAGE_SHIFT = 12n;
const UNASSIGNED = "(unassigned)";

export const pciAddressText = (fn: Pick<PciFunction, "segment" | "bus" | "device" | "function">): string =>
  `${fn.segment.toString(16).padStart(4, "0")}:${fn.bus.toString(16).padStart(2, "0")}:${fn.device.toString(16).padStart(2, "0")}.${fn.function}`;

const sbdfOf = (fn: Pick<PciFunction, "segment" | "bus" | "device" | "function">): number => (fn.segment << 16) | (fn.bus << 8) | (fn.device << 3) | fn.function;

/**
 * `check --isolation` on a booted kernel: asks the IOMMU plugin (the `dmaReach` hook, which walks
 * the real device tables and I/O page tables) what every DMA-capable PCI function can reach,
 * and compares each reachable frame with its owner (frameOwnership). A frame reachable by a
 * device of one domain that another domain, the root task or the kernel owns, and that the
 * device's own domain does not share, is a violation. A device no IOMMU translates reaches all
 * of physical memory: every foreign frame is a violation (NK-ISO-003).
 */
export function isolationReport(kernel: NovakitKernel, result: BootResult, config: NovakitConfig): IsolationReport {
  const platform = result.platform;
  const functions = platform.pci.filter((fn) => fn.dmaCapable);
  const reach = kernel.hooks.dmaReach.call({ devices: functions.map(sbdfOf) });
  const segments = frameOwnership(kernel, result);
  const assigned = new Map<string, string>();
  for (const domain of config.domains) for (const device of domain.devices ?? []) assigned.set(normalizePciDevice(device), domain.name);
  const pdNames = new Map(result.domains.map((domain) => [domain.pd, domain.name]));
  const spaceOwners = new Map(kernel.memorySpaces().map((space) => [space.id, pdNames.get(space.pdId) ?? `pd ${space.pdId}`]));
  const wholeMemory: DmaReachRange = { iova: 0n, physicalAddress: 0n, size: 1n << BigInt(platform.cpu.physicalAddressBits), read: true, write: true };

  const devices: IsolationDevice[] = [];
  const violations: IsolationViolation[] = [];
  for (const fn of functions) {
    const address = pciAddressText(fn);
    const answer = reach?.devices.find((device) => device.sbdf === sbdfOf(fn));
    const mode: DeviceDmaReach["mode"] = answer?.mode ?? "passthrough";
    const ranges = mode === "passthrough" ? [wholeMemory] : mode === "blocked" ? [] : (answer?.ranges ?? []);
    const fromSpace = answer?.spaceId === undefined ? undefined : spaceOwners.get(answer.spaceId);
    const domain = assigned.get(address) ?? fromSpace;
    // an IOMMU that answers but leaves this device out is taken at its worst: untranslated
    const code = reach !== undefined && answer === undefined ? ISOLATION_CODES.incompleteReport : mode === "passthrough" ? ISOLATION_CODES.passthrough : undefined;
    const found = violationsOf(address, domain, code, ranges, segments);
    violations.push(...found.violations);
    devices.push({
      address,
      name: fn.name,
      ...(fn.classCode === undefined ? {} : { classCode: fn.classCode }),
      ...(domain === undefined ? {} : { domain }),
      ...(answer?.iommu === undefined ? {} : { iommu: answer.iommu }),
      mode,
      readablePages: pagesOf(ranges, (range) => range.read),
      writablePages: pagesOf(ranges, (range) => range.write),
      unownedPages: found.unownedPages,
      violations: found.violations.length,
    });
  }
  const ownedPages: Record<string, number> = {};
  for (const segment of segments) {
    for (const owner of segment.owners) ownedPages[owner] = (ownedPages[owner] ?? 0) + Number(segment.end - segment.start);
  }
  return {
    ok: violations.length === 0,
    configName: result.configName,
    seed: result.seed,
    platform: platform.name,
    iommuAnswered: reach !== undefined,
    devices,
    violations,
    ownedPages: Object.fromEntries(Object.entries(ownedPages).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}

function pagesOf(ranges: readonly DmaReachRange[], keep: (range: DmaReachRange) => boolean): number {
  return Number(ranges.filter(keep).reduce((sum, range) => sum + (range.size >> PAGE_SHIFT), 0n));
}

/** Every foreign piece of the device's reach, merged into runs of one owner and one access. */
function violationsOf(
  device: string,
  domain: string | undefined,
  /** the code of every violation of this device (passthrough, incomplete report); undefined: by owner */
  fixedCode: IsolationCode | undefined,
  ranges: readonly DmaReachRange[],
  segments: readonly OwnedSegment[],
): { violations: IsolationViolation[]; unownedPages: number } {
  const pieces: IsolationViolation[] = [];
  let unownedPages = 0;
  for (const range of ranges) {
    const first = range.physicalAddress >> PAGE_SHIFT;
    const last = (range.physicalAddress + range.size + 0xfffn) >> PAGE_SHIFT;
    for (const piece of ownersOf(segments, first, last)) {
      if (piece.owners.length === 0) {
        unownedPages += Number(piece.end - piece.start);
        continue;
      }
      if (domain !== undefined && piece.owners.includes(domain)) continue;
      const owner = piece.owners.join("+");
      const code = fixedCode ?? (owner === KERNEL_OWNER ? ISOLATION_CODES.kernelMemory : ISOLATION_CODES.foreignDomainMemory);
      pieces.push({ code, device, domain: domain ?? UNASSIGNED, owner, start: piece.start << PAGE_SHIFT, end: piece.end << PAGE_SHIFT, read: range.read, write: range.write });
    }
  }
  pieces.sort((a, b) => (a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const merged: IsolationViolation[] = [];
  for (const piece of pieces) {
    const last = merged.at(-1);
    if (last !== undefined && last.owner === piece.owner && last.read === piece.read && last.write === piece.write && last.end >= piece.start) {
      merged[merged.length - 1] = { ...last, end: piece.end > last.end ? piece.end : last.end };
    } else {
      merged.push(piece);
    }
  }
  return { violations: merged, unownedPages };
}
