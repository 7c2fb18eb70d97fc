import { AsyncSeriesHook, HookMap, SyncBailHook, SyncHook } from "tapable";
import type { HypercallName } from "../abi/hypercall-numbers.js";
import type {
  CpuContext,
  DelegationEvent,
  DiscoverContext,
  DmaReachReport,
  DmaReachRequest,
  DmaRequest,
  DmaResult,
  FaultEvent,
  HypercallInvocation,
  HypercallOutcome,
  IommuContext,
  LaunchContext,
  MappingEvent,
  MeasureEvent,
  MemoryContext,
  ObjectCreatedEvent,
  PhaseName,
  PluginReportCollector,
  RootContext,
  ShutdownEvent,
  StartContext,
  TickEvent,
} from "./hook-types.js";
import type { SchedulerPolicy, SchedulerRequest } from "./scheduler-policy.js";

/**
 * The whole plugin surface of a kernel, in one place (as webpack's Compiler.hooks).
 * A fresh, frozen set is made for every kernel instance; nothing here is shared between kernels.
 *
 * Boot phases run in the order of BOOT_PHASES. Runtime hooks are synchronous and sit on hot
 * paths: keep taps cheap.
 */
export function createKernelHooks() {
  return Object.freeze({
    // ---- boot phases (AsyncSeriesHook, in this order) ----
    /** firmware tables (ACPI or FDT) become the Platform */
    discover: new AsyncSeriesHook<[DiscoverContext]>(["context"]),
    /** measured launch (DRTM): measure what is launched, record the event log */
    launch: new AsyncSeriesHook<[LaunchContext]>(["context"]),
    /** kernel memory; page-table formats of each space kind */
    memory: new AsyncSeriesHook<[MemoryContext]>(["context"]),
    /** per-CPU init (paging mode, CET), called once per CPU */
    cpu: new AsyncSeriesHook<[CpuContext]>(["context"]),
    /** IOMMU units up; every device's DMA blocked until assigned */
    iommu: new AsyncSeriesHook<[IommuContext]>(["context"]),
    /** root PD with its initial capabilities, the HIP */
    root: new AsyncSeriesHook<[RootContext]>(["context"]),
    /** scheduler starts; the root task runs the configured domains */
    start: new AsyncSeriesHook<[StartContext]>(["context"]),

    // ---- runtime hooks (sync) ----
    /**
     * Hypercalls a plugin implements, by name (assign_dev, ctrl_hw, ...). Bail: the first tap
     * that returns an outcome decides; with no answer the kernel returns NOVA's status for a
     * missing feature (BAD_FTR, or BAD_DEV for assign_dev).
     */
    hypercall: new HookMap<SyncBailHook<[HypercallInvocation], HypercallOutcome | undefined>>(
      () => new SyncBailHook<[HypercallInvocation], HypercallOutcome | undefined>(["invocation"]),
    ),
    /** a kernel object was created */
    objectCreated: new SyncHook<[ObjectCreatedEvent]>(["event"]),
    /** ctrl_pd copied a range of capabilities */
    delegated: new SyncHook<[DelegationEvent]>(["event"]),
    /** a leaf was written into a host, guest or DMA space */
    mapped: new SyncHook<[MappingEvent]>(["event"]),
    /** a leaf was removed; an IOMMU invalidates its IOTLB here, before frames are reused */
    unmapped: new SyncHook<[MappingEvent]>(["event"]),
    /** Bail: a device's DMA request; the IOMMU translates or aborts. No answer = untranslated. */
    dma: new SyncBailHook<[DmaRequest], DmaResult | undefined>(["request"]),
    /**
     * Bail: an IOMMU plugin walks its real device tables and I/O page tables and reports what each
     * device can reach (`novakit check --isolation`). No answer = no IOMMU translates DMA.
     */
    dmaReach: new SyncBailHook<[DmaReachRequest], DmaReachReport | undefined>(["request"]),
    /** DMA faults, #CP, page faults; exporters tap it */
    fault: new SyncHook<[FaultEvent]>(["event"]),
    /** Bail: the scheduler plugin returns its policy; exactly one scheduler answers */
    scheduler: new SyncBailHook<[SchedulerRequest], SchedulerPolicy | undefined>(["request"]),
    /** the simulator advanced a CPU's clock to a timer event */
    tick: new SyncHook<[TickEvent]>(["event"]),
    /** a measurement was extended into a PCR */
    measure: new SyncHook<[MeasureEvent]>(["event"]),
    /** the simulation ended */
    shutdown: new SyncHook<[ShutdownEvent]>(["event"]),
    /** after shutdown: plugins file their figures for BootResult.pluginReports */
    report: new SyncHook<[PluginReportCollector]>(["collector"]),
  });
}

export type KernelHooks = ReturnType<typeof createKernelHooks>;
export type HookName = keyof KernelHooks;

export const BOOT_PHASES: readonly PhaseName[] = Object.freeze([
  "discover",
  "launch",
  "memory",
  "cpu",
  "iommu",
  "root",
  "start",
]);

export type { HypercallName };
