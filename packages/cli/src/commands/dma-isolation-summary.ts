import type { BootResult, DomainReport } from "@novakit/kernel-core";

/** the IOMMU plugin whose counters (filed on the `report` hook) the summary shows */
const IOMMU_PLUGIN = "@novakit/iommu-amd";
/** the root task's line for each device it assigned, and its warning for those it could not (boot/root-task.ts#assignDevices) */
const ASSIGNED = /DMA: (\S+) -> (\S+)$/;
const UNASSIGNED = /DMA: WARNING (\S+): no IOMMU(?: covers segment \d+)?, DMA of (.+) is NOT isolated$/;
const ATTACK_CATEGORIES: readonly { key: string; what: string }[] = [
  { key: "victimHost", what: "victim's host frames" },
  { key: "victimGuest", what: "victim's guest addresses (the attacker's own IOVAs too)" },
  { key: "kernel", what: "kernel memory" },
  { key: "unmapped", what: "unmapped addresses" },
];

const full = (text: string): string => (/^[0-9a-f]{4}:/i.test(text) ? text : `0000:${text}`).toLowerCase();
const short = (hash: string | number | boolean | undefined): string => (typeof hash === "string" ? `${hash.slice(0, 16)}…` : "-");
const count = (value: string | number | boolean | undefined): number => (typeof value === "number" ? value : 0);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * The DMA part of the boot summary (the shared AI host's story), empty when no domain has
 * devices: per domain its devices and the IOMMU that translates them (or that none does), the
 * DMA it did; each compromised driver's attempts by target, how many aborted and what got
 * through; the IOMMU's fault and event counts (logged, dropped because the log was full); and
 * whether each attacked domain's memory is what its own work made it (the hash the device models
 * keep, results memorySha256 / memorySha256Expected / memoryFramesChangedByOthers).
 */
export function dmaIsolationSummary(result: BootResult): string[] {
  const devicesOf = new Map<string, string[]>();
  const add = (domain: string, devices: readonly string[]): void => {
    devicesOf.set(domain, [...(devicesOf.get(domain) ?? []), ...devices.map(full)]);
  };
  for (const line of result.log) {
    const assigned = ASSIGNED.exec(line);
    if (assigned !== null) add(assigned[2] ?? "", [assigned[1] ?? ""]);
    const unassigned = UNASSIGNED.exec(line);
    if (unassigned !== null) add(unassigned[1] ?? "", (unassigned[2] ?? "").split(", "));
  }
  const withDevices = result.domains.filter((domain) => devicesOf.has(domain.name) || domain.results["dmaIsolated"] !== undefined);
  if (withDevices.length === 0) return [];
  const lines = ["", "DMA isolation"];
  for (const domain of withDevices) lines.push(...domainLines(result, domain, devicesOf.get(domain.name) ?? []));
  for (const attacker of result.domains.filter((domain) => domain.results["attempts"] !== undefined)) lines.push(...attackLines(attacker));
  const totals = result.pluginReports[IOMMU_PLUGIN];
  if (totals !== undefined) {
    lines.push(
      `  IOMMU: ${plural(count(totals["faults"]), "DMA fault")}, ${count(totals["eventsLogged"])} logged as events, ${count(totals["eventsDropped"])} dropped (event log full), ${plural(count(totals["overflowRestarts"]), "overflow restart")}`,
    );
  } else {
    lines.push("  IOMMU: none translates DMA (no IOMMU plugin, or nosmmu)");
  }
  const attacked = new Set(result.domains.flatMap((domain) => String(domain.results["targets"] ?? "").split(",")).filter((name) => name !== "" && name !== "none"));
  for (const victim of result.domains.filter((domain) => attacked.has(domain.name))) lines.push(memoryLine(victim));
  return lines;
}

function domainLines(result: BootResult, domain: DomainReport, devices: readonly string[]): string[] {
  const names = devices.map((address) => {
    const fn = result.platform.pci.find((candidate) => pciText(candidate) === address);
    return fn ? `${address} ${fn.name}` : address;
  });
  const isolated = domain.results["dmaIsolated"] !== false;
  const units = result.platform.iommus.filter((unit) => devices.some((address) => Number.parseInt(address.slice(0, 4), 16) === unit.segment));
  const via = isolated && units.length > 0 ? `via ${units.map((unit) => `${unit.kind}@0x${unit.baseAddress.toString(16)}`).join(", ")}` : "NO IOMMU: DMA untranslated, NOT isolated";
  const dma =
    domain.results["dmaTransactions"] === undefined
      ? ""
      : `, ${count(domain.results["dmaTransactions"])} DMA transactions, ${count(domain.results["dmaAborted"])} aborted, ${count(domain.results["dmaUntranslated"])} untranslated`;
  return [`  ${domain.name} (pd ${domain.pd}): ${names.join(", ") || "no devices"}`, `    ${via}${dma}`];
}

function attackLines(attacker: DomainReport): string[] {
  const r = attacker.results;
  const targets = typeof r["targets"] === "string" ? r["targets"] : "?";
  const lines = [
    `  attack by ${attacker.name}'s compromised driver on ${targets}: ${plural(count(r["attempts"]), "attempt")}, ${count(r["aborted"])} aborted, ${count(r["succeeded"])} completed` +
      ` (${count(r["ownHits"])} into its own memory, ${count(r["foreignHits"])} into another domain's, ${count(r["kernelHits"])} into the kernel's)`,
  ];
  const parts = ATTACK_CATEGORIES.filter((category) => r[`${category.key}Attempts`] !== undefined).map(
    (category) => `${category.what} ${count(r[`${category.key}Aborted`])}/${count(r[`${category.key}Attempts`])} aborted`,
  );
  if (parts.length > 0) lines.push(`    ${parts.join(", ")}`);
  lines.push(`    isolation ${r["isolationHeld"] === false ? "BROKEN: the driver reached memory that is not its own" : "held"}`);
  return lines;
}

function memoryLine(victim: DomainReport): string {
  const r = victim.results;
  const changed = count(r["memoryFramesChangedByOthers"]);
  const intact = r["memoryIntact"] === true && changed === 0;
  return (
    `  ${victim.name} memory: sha256 ${short(r["memorySha256"])} ${intact ? "unchanged by others" : `CHANGED by others (${plural(changed, "frame")})`}` +
    ` (expected from its own work ${short(r["memorySha256Expected"])}, at start ${short(r["memorySha256AtStart"])})`
  );
}

function pciText(fn: { segment: number; bus: number; device: number; function: number }): string {
  return `${fn.segment.toString(16).padStart(4, "0")}:${fn.bus.toString(16).padStart(2, "0")}:${fn.device.toString(16).padStart(2, "0")}.${fn.function}`;
}
