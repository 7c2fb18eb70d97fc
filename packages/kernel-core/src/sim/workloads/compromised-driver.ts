import { z } from "zod";
import type { DeviceHandle, DmaTransferResult, PhysicalMemoryMap } from "../devices/device-api.js";
import type { UserlandApi, WorkloadDefinition, WorkloadInstance } from "../workload.js";
import { parseWorkloadOptions } from "./parse-workload-options.js";

// kept a string (no transform): the root task's parsed options are parsed again by the body
const hexAddress = z.string().regex(/^0x[0-9a-fA-F]{1,16}$/, 'a physical address as a "0x..." hex string');

export const compromisedDriverOptionsSchema = z
  .object({
    /** which of the domain's devices to misuse ("SSSS:BB:DD.F"); default: the first bus master */
    device: z.string().optional(),
    /** domains whose memory to attack; default: every other domain */
    victims: z.array(z.string().min(1)).optional(),
    /** further kernel physical addresses to aim at (e.g. an IOMMU's device table base) */
    kernelTargets: z.array(hexAddress).default([]),
    /** aim at the kernel memory the simulator's physical memory map lists */
    attackKernel: z.boolean().default(true),
    /** aim at random (seeded) addresses outside the domain's own IOVA window */
    attackUnmapped: z.boolean().default(true),
    /** bytes per attempt (one transaction: it never crosses a 4 KiB page) */
    bytes: z.number().int().min(1).max(4096).default(64),
    /** CPU time between attempts, µs */
    intervalUs: z.number().min(0).max(1_000_000).default(20),
    /** stop after this many attempts (default: until the simulation ends) */
    maxAttempts: z.number().int().min(0).optional(),
    /** bits of the random unmapped addresses (the bus address width the attacker sprays) */
    addressBits: z.number().int().min(13).max(64).default(48),
  })
  .strict();
export type CompromisedDriverOptions = z.output<typeof compromisedDriverOptionsSchema>;

/** what an attempt aims at, in the order they take turns */
const CATEGORIES = ["victimHost", "victimGuest", "kernel", "unmapped"] as const;
type Category = (typeof CATEGORIES)[number];

interface Target {
  readonly category: Category;
  readonly address: bigint;
  readonly what: string;
}

/**
 * A driver whose domain was compromised: it programs its device's DMA engine at memory that is
 * not its own, as a malicious guest driver can, and reports what got through. Targets take turns:
 *  - victimHost: the host-physical frames where another domain's memory lies;
 *  - victimGuest: the guest/host-virtual addresses another tenant uses for its memory (the same
 *    numbers as the attacker's own window, and beyond it where the victim is larger);
 *  - kernel: kernel memory the simulator's physical memory map names (page-table roots, the NOVA
 *    image, kernel frames) plus `kernelTargets`;
 *  - unmapped: random addresses (kernel PRNG) outside the attacker's own IOVA window.
 * Reads and writes alternate; a write carries a recognisable pattern. Every attempt is one PCIe
 * transaction. With an IOMMU every one that is not the attacker's own memory must abort; without
 * one (nosmmu) they reach memory, and the results say whose.
 *
 * Results: attempts, aborted, succeeded, untranslated; per category <category>Attempts,
 * <category>Aborted; of the succeeded: foreignHits (another domain's memory), kernelHits,
 * ownHits, unownedHits, foreignBytesWritten, foreignBytesRead, kernelBytesWritten;
 * isolationHeld (no foreign or kernel hit), targets (victims attacked).
 */
export const compromisedDriverWorkload: WorkloadDefinition = {
  name: "compromised-driver",
  description: "a malicious driver aiming its device's DMA at other domains, kernel memory and unmapped addresses; reports what got through",
  optionsSchema: compromisedDriverOptionsSchema,
  async run(api, instance) {
    const options = parseWorkloadOptions(compromisedDriverOptionsSchema, instance, "compromised-driver");
    const device = pickDevice(api, options);
    if (!device || instance.ecIndex !== 0) {
      if (!device) api.log(`DMA ATTACK: ${instance.domain} has no bus-master device to misuse`);
      for (;;) await api.compute(Math.max(1000, options.intervalUs * 1000));
    }
    const map = api.physicalMemoryMap();
    const own = map.domains.find((domain) => domain.name === instance.domain);
    const victims = map.domains.filter((domain) => domain.name !== instance.domain && (options.victims === undefined || options.victims.includes(domain.name)));
    instance.report("targets", victims.map((victim) => victim.name).join(",") || "none");
    instance.report("isolationHeld", true);
    api.log(`DMA ATTACK: ${instance.domain} drives ${device.address} at ${victims.map((victim) => victim.name).join(", ") || "no domain"}, kernel memory and unmapped addresses`);
    const kernel = [
      ...options.kernelTargets.map((text) => ({ base: BigInt(text) & ~0xfffn, size: 4096n, label: `kernelTargets ${text}` })),
      ...(options.attackKernel ? map.kernel : []),
    ];
    const aim = new TargetPicker(api, options, victims, kernel, own);
    let reportedEscape = false;
    for (let attempt = 0; options.maxAttempts === undefined || attempt < options.maxAttempts; attempt++) {
      const target = aim.next(attempt);
      if (target) {
        // reads and writes take turns within each category (attempts cycle through the categories)
        const write = Math.floor(attempt / CATEGORIES.length) % 2 === 1;
        const result = write ? await device.dma(target.address, options.bytes, true, pattern(options.bytes, attempt)) : await device.dma(target.address, options.bytes, false);
        const escaped = record(instance, target, result);
        if (escaped && !reportedEscape) {
          reportedEscape = true;
          api.log(`DMA ATTACK: ${instance.domain} ${write ? "wrote" : "read"} ${target.what} at 0x${target.address.toString(16)} through ${device.address}: NOT isolated`);
        }
      }
      await api.compute(Math.max(1, options.intervalUs * 1000));
    }
  },
};

function pickDevice(api: UserlandApi, options: CompromisedDriverOptions): DeviceHandle | undefined {
  if (options.device !== undefined) return api.device(options.device);
  // a function without a DMA engine cannot be misused for DMA: the first bus master it is
  return api.devices().find((device) => device.busMaster);
}

/** Count one attempt; true when it reached memory that is another domain's or the kernel's. */
function record(instance: WorkloadInstance, target: Target, result: DmaTransferResult): boolean {
  instance.report("attempts", result.transactions);
  instance.report("aborted", result.aborted);
  instance.report("succeeded", result.completed);
  instance.report("untranslated", result.untranslated);
  instance.report(`${target.category}Attempts`, result.transactions);
  instance.report(`${target.category}Aborted`, result.aborted);
  let escaped = false;
  for (const landing of result.landed) {
    switch (landing.owner.kind) {
      case "domain":
        escaped = true;
        instance.report("foreignHits", 1);
        instance.report(landing.write ? "foreignBytesWritten" : "foreignBytesRead", landing.length);
        break;
      case "kernel":
        escaped = true;
        instance.report("kernelHits", 1);
        if (landing.write) instance.report("kernelBytesWritten", landing.length);
        break;
      case "own":
        instance.report("ownHits", 1);
        break;
      case "unowned":
        instance.report("unownedHits", 1);
        break;
    }
  }
  if (escaped) instance.report("isolationHeld", false);
  return escaped;
}

/** the bytes a malicious write leaves behind: "PWNED" and the attempt number, repeated */
function pattern(length: number, attempt: number): Uint8Array {
  const text = new TextEncoder().encode(`PWNED#${attempt.toString(16).padStart(8, "0")};`);
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = text[i % text.length]!;
  return bytes;
}

type MemoryDomain = PhysicalMemoryMap["domains"][number];

class TargetPicker {
  private readonly mask: bigint;

  constructor(
    private readonly api: UserlandApi,
    private readonly options: CompromisedDriverOptions,
    private readonly victims: readonly MemoryDomain[],
    private readonly kernel: readonly { readonly base: bigint; readonly size: bigint; readonly label: string }[],
    private readonly own: MemoryDomain | undefined,
  ) {
    this.mask = (1n << BigInt(options.addressBits)) - 1n;
  }

  /** the target of attempt `attempt`, or undefined when its category has nothing to aim at */
  next(attempt: number): Target | undefined {
    const category = CATEGORIES[attempt % CATEGORIES.length]!;
    const turn = Math.floor(attempt / CATEGORIES.length);
    switch (category) {
      case "victimHost": {
        const victim = this.victims[turn % Math.max(1, this.victims.length)];
        const range = victim?.hostRanges[this.random(victim.hostRanges.length)];
        return victim && range ? { category, address: this.inside(range.base, range.size), what: `${victim.name}'s memory (host-physical)` } : undefined;
      }
      case "victimGuest": {
        const victim = this.victims[turn % Math.max(1, this.victims.length)];
        return victim ? { category, address: this.inside(victim.base, victim.size), what: `${victim.name}'s guest addresses` } : undefined;
      }
      case "kernel": {
        const range = this.kernel[turn % Math.max(1, this.kernel.length)];
        return range ? { category, address: this.inside(range.base, range.size), what: `kernel memory (${range.label})` } : undefined;
      }
      case "unmapped": {
        if (!this.options.attackUnmapped) return undefined;
        for (;;) {
          const page = ((BigInt(this.api.randomU32()) << 32n) | BigInt(this.api.randomU32())) & this.mask & ~0xfffn;
          const address = page + this.pageOffset();
          const inOwnWindow = this.own !== undefined && address + BigInt(this.options.bytes) > this.own.base && address < this.own.base + this.own.size;
          if (!inOwnWindow) return { category, address, what: "an unmapped address" };
        }
      }
    }
  }

  /** a random address in [base, base + size) whose access stays inside one 4 KiB page */
  private inside(base: bigint, size: bigint): bigint {
    const pages = Number(size >> 12n);
    const page = base + (BigInt(this.random(Math.max(1, pages))) << 12n);
    return page + this.pageOffset();
  }

  private pageOffset(): bigint {
    const slots = Math.floor((4096 - this.options.bytes) / 8) + 1;
    return BigInt(this.random(slots) * 8);
  }

  private random(bound: number): number {
    return bound <= 1 ? 0 : this.api.randomU32() % bound;
  }
}
