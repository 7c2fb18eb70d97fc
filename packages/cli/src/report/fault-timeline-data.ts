import type { BootResult } from "@novakit/kernel-core";
import type { FaultTimeline } from "./report-model.js";

/**
 * Every fault of the boot (the `fault` hook's events as BootResult keeps them, in simulated-time
 * order), with the "PD 259" an IOMMU plugin knows named after its domain where it is one.
 */
export function faultTimelineOf(result: BootResult): FaultTimeline {
  const domainNames = new Map(result.domains.map((domain) => [domain.pd, domain.name]));
  const label = (domain: string | undefined): string | undefined => {
    if (domain === undefined) return undefined;
    const match = /^PD (\d+)$/.exec(domain);
    const name = match === null ? undefined : domainNames.get(Number(match[1]));
    return name === undefined ? domain : `${name} (${domain})`;
  };
  return {
    simulatedNs: result.stats.simulatedNs,
    faults: result.faults.map((fault) => ({
      timeNs: fault.timeNs,
      kind: fault.kind,
      cpu: fault.cpu,
      device: fault.device,
      domain: label(fault.domain),
      address: fault.address,
      access: fault.access,
      detail: fault.detail,
    })),
  };
}
