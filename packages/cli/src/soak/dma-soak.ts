import { createKernel, SeededRandom, type NovakitKernel, type PluginRequest } from "@novakit/kernel-core";
import { createIommuAmdPlugin, IOMMU_AMD_PLUGIN_NAME, type AmdIommuDriver } from "@novakit/iommu-amd";
import { frameOwnership, KERNEL_OWNER } from "../commands/isolation-ownership.js";
import { prepareFromSource } from "../config/prepare-configuration.js";
import { defaultConfig } from "../defaults/default-config.js";

/** The DMA isolation soak: one million requests. */
export const SOAK_REQUESTS = 1_000_000;

/** What a soak run found; the report quotes these figures. */
export interface SoakFigures {
  readonly requests: number;
  /** requests the IOMMU translated (into the attacker's own memory) */
  readonly translated: number;
  /** requests the IOMMU aborted */
  readonly aborted: number;
  /** translated requests whose frame is not the attacker domain's own, or answered by no IOMMU */
  readonly escaped: number;
  /** translated requests whose frame differs from the domain's own mapping of that address */
  readonly mistranslated: number;
  /** events of the soak the fault handler consumed from the event log */
  readonly logged: number;
  /** events of the soak the hardware dropped because the log was full */
  readonly dropped: number;
  /** aborts the hardware counted during the soak */
  readonly hardwareFaults: number;
  /** event-log restarts after an overflow during the soak */
  readonly overflowRestarts: number;
  /** times the CPU took the SMMU interrupt (the fault handler ran) */
  readonly interrupts: number;
}

export interface SoakOptions {
  readonly requests: number;
  readonly seed: number;
  /** requests between two runs of the SMMU interrupt handler (default 384: more than the 256-entry log holds at worst) */
  readonly interruptEvery?: number;
}

/** tenant-b's accelerator, 00:04.0, the compromised driver's device in the default configuration */
const ATTACKER = { domain: "tenant-b", victim: "tenant-a", sbdf: (0 << 16) | (0 << 8) | (0x04 << 3) | 0 };
const PAGE = 4096n;

/**
 * Boot the default configuration (the shared AI host) with the real iommu-amd plugin (fault
 * lines off, so a million events do not fill the console; the hardware log and the counters
 * are the same), then drive `requests` DMA requests from tenant-b's accelerator through the
 * kernel's `dma` hook at seeded addresses: its own guest range, just past it, tenant-a's host
 * frames, kernel frames (device table, page tables), anything below 4 GiB, 48-bit and 64-bit
 * garbage. Every translated address is compared with tenant-b's own mapping; every abort must
 * show up in the hardware's fault count and as a logged or dropped event.
 */
export async function runDmaSoak(options: SoakOptions): Promise<SoakFigures> {
  let driver: AmdIommuDriver | undefined;
  const { kernel, result } = await bootAiHost((created) => {
    driver = created;
  });
  if (driver === undefined) throw new Error("the iommu-amd plugin did not hand out its driver");
  const iommu = driver;
  const pdOf = (name: string): number | undefined => result.domains.find((domain) => domain.name === name)?.pd;
  const guest = kernel.memorySpaces().find((space) => space.kind === "GST" && space.pdId === pdOf(ATTACKER.domain));
  if (guest === undefined) throw new Error(`${ATTACKER.domain} has no guest space`);
  const owned = frameOwnership(kernel, result);
  const framesOf = (owner: string): bigint[] => owned.filter((segment) => segment.owners.includes(owner)).flatMap((segment) => [segment.start, segment.end]);
  // frame numbers fit a double exactly (2^52 bytes / 4 KiB); a number set is far cheaper than bigints
  const ownFrames = new Set<number>();
  for (const segment of owned) if (segment.owners.includes(ATTACKER.domain)) for (let frame = segment.start; frame < segment.end; frame++) ownFrames.add(Number(frame));
  const ownLeaves = guest.table.leaves(0n, guest.table.format.inputBits - 12);
  const ownStart = ownLeaves[0]?.inputAddress ?? 0n;
  const ownEnd = ownLeaves.reduce((end, leaf) => {
    const leafEnd = leaf.inputAddress + (PAGE << BigInt(leaf.order));
    return leafEnd > end ? leafEnd : end;
  }, ownStart);
  const victimRuns = framesOf(ATTACKER.victim);
  const kernelRuns = framesOf(KERNEL_OWNER);

  const random = new SeededRandom(options.seed);
  const u32 = (): bigint => BigInt(random.nextU32());
  const below = (limit: bigint): bigint => ((u32() << 32n) | u32()) % limit;
  const inRuns = (runs: readonly bigint[]): bigint => {
    const run = Number(below(BigInt(runs.length / 2))) * 2;
    const start = runs[run] as bigint;
    return (start + below((runs[run + 1] as bigint) - start)) * PAGE;
  };
  const targets: readonly (() => bigint)[] = [
    () => ownStart + below(ownEnd - ownStart),
    () => ownStart + below(ownEnd - ownStart),
    () => inRuns(victimRuns),
    () => inRuns(kernelRuns),
    () => ownEnd + below(16n << 20n),
    () => below(1n << 32n),
    () => below(1n << 48n),
    () => (u32() << 32n) | u32(),
  ];

  const every = options.interruptEvery ?? 384;
  iommu.handleInterrupt(true);
  const before = iommu.statistics();
  let translated = 0;
  let aborted = 0;
  let escaped = 0;
  let mistranslated = 0;
  let interrupts = 0;
  for (let index = 0; index < options.requests; index++) {
    const pick = targets[random.nextU32() % targets.length] as () => bigint;
    const address = pick();
    const offset = Number(address & (PAGE - 1n));
    const length = 1 + (random.nextU32() % Math.min(64, 4096 - offset));
    const write = (random.nextU32() & 1) === 1;
    const answer = kernel.hooks.dma.call({ sbdf: ATTACKER.sbdf, address, length, write });
    if (answer === undefined) {
      escaped++; // no IOMMU answered: untranslated
    } else if (answer.ok) {
      translated++;
      if (!ownFrames.has(Number(answer.physicalAddress >> 12n))) escaped++;
      if (guest.table.lookup(address)?.outputAddress !== answer.physicalAddress) mistranslated++;
    } else {
      aborted++;
    }
    if ((index + 1) % every === 0) {
      iommu.handleInterrupt(true);
      interrupts++;
    }
  }
  iommu.handleInterrupt(true);
  interrupts++;
  const after = iommu.statistics();
  return {
    requests: options.requests,
    translated,
    aborted,
    escaped,
    mistranslated,
    logged: after.eventsLogged - before.eventsLogged,
    dropped: after.eventsDropped - before.eventsDropped,
    hardwareFaults: after.faults - before.faults,
    overflowRestarts: after.overflowRestarts - before.overflowRestarts,
    interrupts,
  };
}

/**
 * The default configuration, booted with an iommu-amd plugin whose driver the soak can reach. The
 * domains run 5 simulated ms instead of the default's 50: the soak needs the machine built (spaces,
 * device table, assignments), not a long run before it.
 */
async function bootAiHost(onDriver: (driver: AmdIommuDriver) => void): Promise<{ kernel: NovakitKernel; result: Awaited<ReturnType<NovakitKernel["boot"]>> }> {
  const prepared = await prepareFromSource({ value: defaultConfig, label: "soak: built-in default configuration", dir: "." }, defaultConfig);
  const observed: PluginRequest = {
    plugin: createIommuAmdPlugin({ onDriver }) as PluginRequest["plugin"],
    options: { faultLog: false },
    source: "soak: @novakit/iommu-amd with its driver observed",
  };
  const others = prepared.requests.filter((request) => request.plugin.name !== IOMMU_AMD_PLUGIN_NAME);
  const kernel = createKernel({ config: { ...defaultConfig, durationMs: 5 }, plugins: [...others, observed], configDir: "." });
  return { kernel, result: await kernel.boot() };
}
