import { MemoryCapabilityPermission, PtPermission, SmPermission, SpacePermission } from "../abi/permissions.js";
import { Status, statusName } from "../abi/status.js";
import { NovaObjectSelector, RootObjectSelector } from "../abi/well-known-selectors.js";
import type { DomainConfig, NovakitConfig } from "../config/config-types.js";
import { NotImplementedError, NovakitError } from "../errors/novakit-error.js";
import type { PciFunction, Platform } from "../platform/platform.js";
import { usableRam } from "./usable-ram.js";
import { parsePciAddress, x86DeviceAssignmentDescriptor } from "./pci-address.js";
import { CreatePdOp } from "../sim/userland-api.js";
import type { WorkloadRegistry } from "../sim/workload-registry.js";
import type { EcBody, HypercallResult, UserlandApi, WorkloadDefinition, WorkloadInstance } from "../sim/workload.js";
import type { DeviceHandle } from "../sim/devices/device-api.js";
import type { DeviceEnvironment } from "../sim/devices/device-environment.js";
import type { DomainDevices } from "../sim/devices/domain-devices.js";
import { MachineDevices } from "../sim/devices/machine-devices.js";
import { formatPciAddress } from "../sim/devices/pci-device-kind.js";

/**
 * Selectors the root task prepares in every domain's object space, by role
 * (WorkloadInstance.selectors). Event portals sit at SELEVT + event with SELEVT = cpu * 0x200,
 * so each CPU has its own window of 512 selectors (room for the 256+2 guest events, §2.6).
 */
export const DomainSelector = {
  /** a semaphore the workload may sleep on (CTRL_UP | CTRL_DN) */
  SLEEP_SM: 0x10000,
  /** the portal of the configured IPC server on the EC's CPU (CALL) */
  SERVER_PT: 0x10001,
} as const;
const EVENT_WINDOW = 0x200;
/** root object-space selectors the root task allocates from (well below the well-known ones) */
const ROOT_SELECTOR_BASE = 0x100;
/** domains' memory starts at this host-virtual / guest-physical page (1 GiB) */
const DOMAIN_MEMORY_BASE_PAGE = 0x40000n;
/** largest delegation block: 2 MiB (order 9), which every format here can map */
const MAX_DELEGATION_ORDER = 9;
const PAGES_PER_MIB = 256n;

export interface RootTaskDomainRecord {
  readonly config: DomainConfig;
  /** root selector of the domain's PD, resolved to its object id after the run */
  pdSelector: number;
  /** root selector of the domain's object space */
  objSelector: number;
  /** root selectors of the global ECs / vCPUs (local ECs of a serving domain have no SC) */
  readonly ecSelectors: number[];
  /** root selectors of the SCs, read with ctrl_sc semantics after the run */
  readonly scSelectors: number[];
  ecCount: number;
  memoryBytes: number;
  readonly results: Record<string, string | number | boolean>;
  /** the domain's memory ledger and device models, once built */
  hardware?: DomainDevices;
  /** workloadOptions as the workload's schema parsed them (defaults filled in) */
  options?: Readonly<Record<string, unknown>>;
}

/** one block of a domain's memory: NOVA host page -> domain page, 2^order pages */
interface DelegatedBlock {
  readonly sourcePage: bigint;
  readonly destinationPage: bigint;
  readonly order: number;
}

export interface RootTaskEnvironment {
  readonly config: NovakitConfig;
  readonly platform: Platform;
  readonly workloads: WorkloadRegistry;
  /** event selector counts of this architecture (§2.6) */
  readonly events: { readonly hostArch: number; readonly guestArch: number };
  readonly log: (line: string) => void;
  /** the `dma` hook, memory and PRNG the device models of the domains use */
  readonly devices: DeviceEnvironment;
}

export interface RootTask {
  readonly body: EcBody;
  readonly domains: readonly RootTaskDomainRecord[];
  /** set when the root task failed: the boot fails with it */
  failure: NovakitError | undefined;
  /**
   * Called once the simulation ended: in a configuration where any domain has
   * devices, every domain's memory hashes and DMA totals go into its results (memorySha256AtStart, memorySha256, memorySha256Expected, memoryIntact,
   * memoryFramesChangedByOthers; dmaTransactions, dmaCompleted, dmaAborted, dmaUntranslated).
   */
  finish(): void;
}

/**
 * The built-in root task (reference/nova.md §8.5): turns the configuration's domains into PDs,
 * spaces, ECs, SCs, portals and delegated memory using hypercalls only, then lets each domain's
 * workload run. Startup/recall events of domain ECs go to a per-CPU local EC of the root PD.
 */
export function createRootTask(environment: RootTaskEnvironment): RootTask {
  const domains: RootTaskDomainRecord[] = environment.config.domains.map((config) => ({
    config,
    pdSelector: -1,
    objSelector: -1,
    ecSelectors: [],
    scSelectors: [],
    ecCount: 0,
    memoryBytes: 0,
    results: {},
  }));
  const machine = new MachineDevices(environment.devices);
  const task: RootTask = {
    domains,
    failure: undefined,
    finish: () => {
      for (const domain of domains) reportHardware(domain);
    },
    body: async (api) => {
      try {
        await new RootTaskRun(api, environment, domains, machine).run();
      } catch (error) {
        task.failure =
          error instanceof NovakitError ? error : new NovakitError("NK-KRN-218", `root task failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
  return task;
}

class RootTaskRun {
  private nextSelector = ROOT_SELECTOR_BASE;
  /** root selector of the NOVA host space capability (TAKE), copied from the NOVA object space */
  private novaHostSelector = 0;
  /** root selector of the event portal per CPU */
  private readonly eventPortal = new Map<number, number>();
  /** root selectors of server portals per domain name and CPU */
  private readonly serverPortals = new Map<string, Map<number, number>>();
  private readonly x86: boolean;
  /** RAM pages not yet given to a domain, highest first (kernel allocations grow from the bottom) */
  private readonly freeRam: { start: bigint; end: bigint }[];

  constructor(
    private readonly api: UserlandApi,
    private readonly environment: RootTaskEnvironment,
    private readonly domains: RootTaskDomainRecord[],
    private readonly machine: MachineDevices,
  ) {
    this.x86 = environment.platform.arch === "x86_64";
    this.freeRam = usableRam(environment.platform)
      .map((region) => ({ start: region.base >> 12n, end: (region.base + region.size) >> 12n }))
      .filter((range) => range.end > range.start)
      .sort((a, b) => (a.start < b.start ? 1 : -1));
  }

  async run(): Promise<void> {
    await this.takeNovaHostSpace();
    const cpus = new Set<number>();
    for (const domain of this.domains) for (const cpu of this.cpusOf(domain.config)) cpus.add(cpu);
    for (const cpu of [...cpus].sort((a, b) => a - b)) await this.createEventHandler(cpu);
    // servers first, so that clients can be given their portals
    const order = [...this.domains].sort((a, b) => Number(this.isServer(b.config)) - Number(this.isServer(a.config)));
    for (const domain of order) await this.buildDomain(domain);
    // every space exists now: what an attacker may know of kernel memory is fixed before anyone runs
    this.machine.freezeKernelMemory();
    for (const domain of this.domains) await this.startDomain(domain);
    this.environment.log(`ROOT: ${this.domains.length} domain(s) started`);
  }

  private allocate(count = 1): number {
    const selector = this.nextSelector;
    this.nextSelector += count;
    return selector;
  }

  private async must(what: string, call: Promise<HypercallResult>, field: string): Promise<HypercallResult> {
    const result = await call;
    if (result.status !== Status.SUCCESS) {
      throw new NovakitError("NK-KRN-219", `root task: ${what} failed with ${statusName(result.status)}`, { field });
    }
    return result;
  }

  private async takeNovaHostSpace(): Promise<void> {
    this.novaHostSelector = this.allocate();
    await this.must(
      "copying the NOVA host space capability",
      this.api.ctrlPd(RootObjectSelector.NOVA_OBJ, RootObjectSelector.ROOT_OBJ, {
        sourceBase: NovaObjectSelector.NOVA_HST,
        destinationBase: this.novaHostSelector,
        order: 0,
        permissionMask: SpacePermission.TAKE,
      }),
      "root",
    );
  }

  /** A local EC of the root PD per CPU serves STARTUP/RECALL of the domains' ECs on that CPU. */
  private async createEventHandler(cpu: number): Promise<void> {
    const ec = this.allocate();
    const pt = this.allocate();
    await this.must(
      `creating the event handler EC of CPU ${cpu}`,
      this.api.createEc(ec, RootObjectSelector.ROOT_PD, {
        kind: "local",
        cpu,
        eventBase: cpu * EVENT_WINDOW,
        // reply with an empty MTD: the EC starts (STARTUP) or continues (RECALL) as it is
        handler: async () => 0n,
      }),
      "root",
    );
    await this.must(`creating the event portal of CPU ${cpu}`, this.api.createPt(pt, RootObjectSelector.ROOT_PD, ec, 0), "root");
    this.eventPortal.set(cpu, pt);
  }

  private isServer(config: DomainConfig): boolean {
    return this.environment.workloads.get(config.workload)?.serve !== undefined;
  }

  private cpusOf(config: DomainConfig): number[] {
    const cpus = config.cpus && config.cpus.length > 0 ? config.cpus : [0];
    return Array.from({ length: config.vcpus }, (_, index) => cpus[index % cpus.length]!);
  }

  private workloadOf(domain: RootTaskDomainRecord, index: number): WorkloadDefinition {
    const workload = this.environment.workloads.get(domain.config.workload);
    if (!workload) {
      throw new NovakitError(
        "NK-KRN-220",
        `domain "${domain.config.name}" names workload "${domain.config.workload}", which no one registered`,
        { field: `domains[${index}].workload` },
        `known workloads: ${this.environment.workloads.names().join(", ")}`,
      );
    }
    return workload;
  }

  private async buildDomain(domain: RootTaskDomainRecord): Promise<void> {
    const index = this.domains.indexOf(domain);
    const config = domain.config;
    const field = `domains[${index}]`;
    const workload = this.workloadOf(domain, index);
    domain.options = validateWorkloadOptions(workload, config, field);
    const api = this.api;
    const ROOT_PD = RootObjectSelector.ROOT_PD;

    const pd = this.allocate();
    domain.pdSelector = pd;
    await this.must(`create_pd for domain "${config.name}"`, api.createPd(pd, ROOT_PD, CreatePdOp.PD), field);
    const obj = this.allocate();
    domain.objSelector = obj;
    await this.must(`object space of "${config.name}"`, api.createPd(obj, pd, CreatePdOp.OBJ), field);
    const hst = this.allocate();
    await this.must(`host space of "${config.name}"`, api.createPd(hst, pd, CreatePdOp.HST), field);
    if (this.x86) await this.must(`PIO space of "${config.name}"`, api.createPd(this.allocate(), pd, CreatePdOp.PIO), field);
    let memorySpace = hst;
    if (config.kind === "vm") {
      const gst = this.allocate();
      const created = await api.createPd(gst, pd, CreatePdOp.GST);
      if (created.status === Status.BAD_FTR) {
        throw new NovakitError(
          "NK-KRN-217",
          `domain "${config.name}" is a VM, but the platform has no guest-space format yet (create_pd(GST) answered BAD_FTR)`,
          { field: `${field}.kind` },
          "use an architecture plugin that registers a GST (EPT/NPT/stage-2) format, or make the domain native",
        );
      }
      if (created.status !== Status.SUCCESS) {
        throw new NovakitError("NK-KRN-219", `root task: guest space of "${config.name}" failed with ${statusName(created.status)}`, { field });
      }
      memorySpace = gst;
    }
    const blocks: DelegatedBlock[] = [];
    domain.memoryBytes = await this.delegateMemory(config, memorySpace, field, blocks);
    if (config.devices && config.devices.length > 0) await this.assignDevices(domain, pd, blocks, field);
    const hardware = this.machine.addDomain(
      config.name,
      blocks.map((block) => ({ hostPage: block.sourcePage, domainPage: block.destinationPage, order: block.order })),
      this.functionsOf(config, field),
    );
    domain.hardware = hardware;
    // The ledger runs when the machine has bus masters assigned: only then can memory change
    // behind a domain's back (a configuration without devices skips the hashing and its results
    // stay as they were). Taken before any workload runs (no SC exists yet).
    if (this.environment.config.domains.some((candidate) => (candidate.devices ?? []).length > 0)) {
      domain.results["memorySha256AtStart"] = hardware.memory.snapshotStart();
    }

    // the sleep semaphore, delegated into the domain
    const sm = this.allocate();
    await this.must(`semaphore of "${config.name}"`, api.createSm(sm, pd, 0), field);
    await this.copyInto(obj, sm, DomainSelector.SLEEP_SM, SmPermission.CTRL_UP | SmPermission.CTRL_DN, field);

    const cpus = this.cpusOf(config);
    const serve = workload.serve;
    for (const [ecIndex, cpu] of cpus.entries()) {
      const eventBase = cpu * EVENT_WINDOW;
      const instance = this.instance(domain, ecIndex);
      const ec = this.allocate();
      if (serve) {
        await this.must(
          `local EC ${ecIndex} of "${config.name}"`,
          api.createEc(ec, pd, { kind: "local", cpu, eventBase, handler: (calleeApi, call) => serve.call(workload, withDomainHardware(calleeApi, hardware, this.machine), call, instance) }),
          field,
        );
        const pt = this.allocate();
        await this.must(`portal ${ecIndex} of "${config.name}"`, api.createPt(pt, pd, ec, ecIndex), field);
        let byCpu = this.serverPortals.get(config.name);
        if (!byCpu) {
          byCpu = new Map();
          this.serverPortals.set(config.name, byCpu);
        }
        if (!byCpu.has(cpu)) byCpu.set(cpu, pt);
      } else {
        await this.must(
          `EC ${ecIndex} of "${config.name}"`,
          api.createEc(ec, pd, {
            kind: config.kind === "vm" ? "vcpu" : "global",
            cpu,
            eventBase,
            fpu: true,
            body: (ecApi) => workload.run(withDomainHardware(ecApi, hardware, this.machine), instance),
          }),
          field,
        );
        // STARTUP and RECALL of this EC go to the root's handler on its CPU (§2.6)
        const arch = config.kind === "vm" ? this.environment.events.guestArch : this.environment.events.hostArch;
        const portal = this.eventPortal.get(cpu)!;
        await this.copyInto(obj, portal, eventBase + arch, PtPermission.EVENT, field);
        await this.copyInto(obj, portal, eventBase + arch + 1, PtPermission.EVENT, field);
      }
      domain.ecCount++;
      if (!serve) domain.ecSelectors.push(ec);
    }
  }

  /** Create the SCs: each global EC's first SC raises STARTUP and the workload begins. */
  private async startDomain(domain: RootTaskDomainRecord): Promise<void> {
    const index = this.domains.indexOf(domain);
    const config = domain.config;
    const field = `domains[${index}]`;
    const cpus = this.cpusOf(config);
    const server = config.workloadOptions?.["server"];
    if (typeof server === "string") {
      const portals = this.serverPortals.get(server);
      if (!portals) {
        throw new NovakitError("NK-KRN-221", `domain "${config.name}" names server "${server}", which serves no portal`, {
          field: `${field}.workloadOptions.server`,
        });
      }
      // the server's portal on the client's CPU; another CPU's portal makes calls fail with BAD_CPU (§2.4)
      for (const cpu of new Set(cpus)) {
        const portal = portals.get(cpu) ?? [...portals.values()][0]!;
        await this.copyInto(domain.objSelector, portal, DomainSelector.SERVER_PT + cpu * EVENT_WINDOW, PtPermission.CALL, field);
      }
    }
    for (const [ecIndex, ec] of domain.ecSelectors.entries()) {
      const sc = this.allocate();
      await this.must(
        `SC ${ecIndex} of "${config.name}"`,
        this.api.createSc(sc, domain.pdSelector, ec, { priority: config.priority, budgetMs: config.budgetMs }),
        field,
      );
      domain.scSelectors.push(sc);
    }
  }

  private instance(domain: RootTaskDomainRecord, ecIndex: number): WorkloadInstance {
    const cpu = this.cpusOf(domain.config)[ecIndex]!;
    return {
      domain: domain.config.name,
      ecIndex,
      options: domain.options ?? domain.config.workloadOptions ?? {},
      selectors: {
        sleep: DomainSelector.SLEEP_SM,
        server: DomainSelector.SERVER_PT + cpu * EVENT_WINDOW,
      },
      report: (key, value) => {
        const previous = domain.results[key];
        domain.results[key] = typeof value === "number" && typeof previous === "number" ? previous + value : value;
      },
    };
  }

  /** The platform's PCI functions named by the domain's `devices`, in configuration order. */
  private functionsOf(config: DomainConfig, field: string): PciFunction[] {
    return (config.devices ?? []).map((text, index) => {
      const address = parsePciAddress(text, `${field}.devices[${index}]`);
      const fn = this.environment.platform.pci.find(
        (candidate) => candidate.segment === address.segment && candidate.bus === address.bus && candidate.device === address.device && candidate.function === address.function,
      );
      if (!fn) {
        throw new NovakitError("NK-KRN-228", `device ${text} of domain "${config.name}" is not a PCI function of platform ${this.environment.platform.name}`, {
          field: `${field}.devices[${index}]`,
        });
      }
      return fn;
    });
  }

  /** Copy root capability `source` into the domain's object space at `destination` (ctrl_pd OBJ -> OBJ). */
  private async copyInto(domainObj: number, source: number, destination: number, mask: number, field: string): Promise<void> {
    await this.must(
      `delegating capability 0x${source.toString(16)} to 0x${destination.toString(16)}`,
      this.api.ctrlPd(RootObjectSelector.ROOT_OBJ, domainObj, { sourceBase: source, destinationBase: destination, order: 0, permissionMask: mask }),
      field,
    );
  }

  /**
   * The domain's devices (§2.4 assign_dev): a DMA space with the domain's memory at the same
   * addresses, each device bound to it at the IOMMU of its PCI segment. Without a DMA-space
   * format (no IOMMU) the devices stay unassigned and their DMA is NOT isolated: said loudly.
   */
  private async assignDevices(domain: RootTaskDomainRecord, pd: number, blocks: readonly DelegatedBlock[], field: string): Promise<void> {
    const config = domain.config;
    const platform = this.environment.platform;
    const addresses = (config.devices ?? []).map((text, index) => {
      const address = parsePciAddress(text, `${field}.devices[${index}]`);
      const known = platform.pci.some(
        (fn) => fn.segment === address.segment && fn.bus === address.bus && fn.device === address.device && fn.function === address.function,
      );
      if (!known) {
        throw new NovakitError("NK-KRN-228", `device ${text} of domain "${config.name}" is not a PCI function of platform ${platform.name}`, {
          field: `${field}.devices[${index}]`,
        });
      }
      return { text, address };
    });
    const dma = this.allocate();
    const created = await this.api.createPd(dma, pd, CreatePdOp.DMA);
    if (created.status === Status.BAD_FTR) {
      this.environment.log(`DMA: WARNING ${config.name}: no IOMMU, DMA of ${addresses.map((a) => a.text).join(", ")} is NOT isolated`);
      domain.results["dmaIsolated"] = false;
      return;
    }
    if (created.status !== Status.SUCCESS) {
      throw new NovakitError("NK-KRN-219", `root task: DMA space of "${config.name}" failed with ${statusName(created.status)}`, { field });
    }
    if (platform.arch !== "x86_64") throw new NotImplementedError("device assignment on aarch64 (SID/SMG/CTX device assignment descriptors)");
    for (const block of blocks) {
      await this.must(
        `mapping the memory of "${config.name}" for DMA`,
        this.api.ctrlPd(this.novaHostSelector, dma, {
          sourceBase: block.sourcePage,
          destinationBase: block.destinationPage,
          order: block.order,
          permissionMask: MemoryCapabilityPermission.R | MemoryCapabilityPermission.W,
        }),
        `${field}.devices`,
      );
    }
    let isolated = true;
    for (const [index, { text, address }] of addresses.entries()) {
      const unit = platform.iommus.find((candidate) => candidate.segment === address.segment);
      if (!unit) {
        this.environment.log(`DMA: WARNING ${config.name}: no IOMMU covers segment ${address.segment}, DMA of ${text} is NOT isolated`);
        isolated = false;
        continue;
      }
      const result = await this.api.assignDev(dma, unit.baseAddress, x86DeviceAssignmentDescriptor(address));
      if (result.status !== Status.SUCCESS) {
        throw new NovakitError(
          "NK-KRN-226",
          `assigning device ${text} to domain "${config.name}" failed with ${statusName(result.status)}`,
          { field: `${field}.devices[${index}]` },
          "is an IOMMU plugin configured for this platform?",
        );
      }
      this.environment.log(`DMA: ${text} -> ${config.name}`);
    }
    domain.results["dmaIsolated"] = isolated;
  }

  /** Delegate memoryMiB of RAM frames from the NOVA host space into `space`, in aligned blocks. */
  private async delegateMemory(config: DomainConfig, space: number, field: string, blocks: DelegatedBlock[]): Promise<number> {
    let pages = BigInt(config.memoryMiB) * PAGES_PER_MIB;
    let destination = DOMAIN_MEMORY_BASE_PAGE;
    let delegated = 0n;
    const permissions = MemoryCapabilityPermission.R | MemoryCapabilityPermission.W | MemoryCapabilityPermission.XU;
    while (pages > 0n) {
      const range = this.freeRam.find((candidate) => candidate.end - candidate.start >= 1n);
      if (!range) {
        throw new NovakitError("NK-KRN-222", `not enough RAM for domain "${config.name}" (${config.memoryMiB} MiB)`, {
          field: `${field}.memoryMiB`,
        });
      }
      // take from the top of the highest free range, in the largest naturally aligned block
      let order = MAX_DELEGATION_ORDER;
      for (;;) {
        const size = 1n << BigInt(order);
        const start = (range.end - size) & ~(size - 1n);
        const fitsRange = start >= range.start && size <= pages;
        const alignedDestination = (destination & (size - 1n)) === 0n;
        if ((fitsRange && alignedDestination) || order === 0) {
          if (start < range.start) {
            this.freeRam.splice(this.freeRam.indexOf(range), 1);
            break;
          }
          await this.must(
            `delegating memory to "${config.name}"`,
            this.api.ctrlPd(this.novaHostSelector, space, {
              sourceBase: start,
              destinationBase: destination,
              order,
              permissionMask: permissions,
            }),
            `${field}.memoryMiB`,
          );
          blocks.push({ sourcePage: start, destinationPage: destination, order });
          // pages above an aligned block that did not fit at the top are left unused
          range.end = start;
          if (range.end <= range.start) this.freeRam.splice(this.freeRam.indexOf(range), 1);
          pages -= size;
          destination += size;
          delegated += size;
          break;
        }
        order--;
      }
    }
    return Number(delegated * 4096n);
  }
}

/** Validate a domain's workloadOptions with the workload's zod schema (defaults filled in). */
function validateWorkloadOptions(workload: WorkloadDefinition, config: DomainConfig, field: string): Readonly<Record<string, unknown>> {
  const raw = config.workloadOptions ?? {};
  if (!workload.optionsSchema) return raw;
  const parsed = workload.optionsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue && issue.path.length > 0 ? `.${issue.path.map(String).join(".")}` : "";
  throw new NovakitError(
    "NK-DEV-050",
    `workload "${workload.name}" of domain "${config.name}": ${issue?.message ?? "invalid options"}`,
    { field: `${field}.workloadOptions${path}` },
  );
}

/**
 * The API a domain's EC gets: the kernel's userland API plus the domain's own devices, its memory
 * and the simulator's physical memory map. Handles are made once per EC, on first use.
 */
function withDomainHardware(api: UserlandApi, hardware: DomainDevices, machine: MachineDevices): UserlandApi {
  let handles: readonly DeviceHandle[] | undefined;
  const devices = (): readonly DeviceHandle[] => (handles ??= hardware.handlesFor(api));
  return {
    ...api,
    devices,
    device: (text) => {
      const address = formatPciAddress(parsePciAddress(text, "device"));
      const handle = devices().find((candidate) => candidate.address === address);
      if (!handle) {
        throw new NovakitError(
          "NK-DEV-006",
          `device ${text} is not assigned to domain "${hardware.name}"`,
          { field: "devices" },
          `its devices: ${hardware.addresses().join(", ") || "none"}`,
        );
      }
      return handle;
    },
    domainMemory: () => hardware.memory.view(),
    physicalMemoryMap: () => machine.physicalMemoryMap(),
  };
}

/** Memory hashes of the ledger and DMA totals into a domain's results (RootTask.finish). */
function reportHardware(domain: RootTaskDomainRecord): void {
  const hardware = domain.hardware;
  if (!hardware || domain.results["memorySha256AtStart"] === undefined) return;
  const digest = hardware.memory.digest();
  domain.results["memorySha256"] = digest.now;
  domain.results["memorySha256Expected"] = digest.expected;
  domain.results["memoryIntact"] = digest.now === digest.expected;
  domain.results["memoryFramesChangedByOthers"] = digest.framesChangedByOthers;
  if (hardware.addresses().length === 0) return;
  const totals = hardware.totals();
  domain.results["dmaTransactions"] = totals.attempted;
  domain.results["dmaCompleted"] = totals.completed;
  domain.results["dmaAborted"] = totals.aborted;
  domain.results["dmaUntranslated"] = totals.untranslated;
}
