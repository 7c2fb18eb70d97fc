import { NovakitError } from "../errors/novakit-error.js";
import type { NovakitConfig } from "../config/config-types.js";
import type { CpuContext, DiscoverContext, FaultEvent, PhaseName, PluginReportValue } from "../hooks/hook-types.js";
import type { KernelHooks } from "../hooks/kernel-hooks.js";
import type { KernelServices } from "../hooks/kernel-services.js";
import type { TapInterceptor } from "../hooks/tap-interceptor.js";
import { FrameAllocator } from "../memory/frame-allocator.js";
import { kernelMemoryWindow } from "../memory/kernel-memory-window.js";
import { PhysicalMemory } from "../memory/physical-memory.js";
import { KernelState, type TableSpaceKind } from "../kernel-state/kernel-state.js";
import type { Platform } from "../platform/platform.js";
import { checkPlatformConstraints, type ResolvedPlugin } from "../plugin/resolve-plugins.js";
import { KernelStateObjectLayer } from "../sim/object-layer-adapter.js";
import type { SeededRandom } from "../sim/seeded-random.js";
import { Simulator } from "../sim/simulator.js";
import { createUserlandApi } from "../sim/userland-api.js";
import type { WorkloadRegistry } from "../sim/workload-registry.js";
import type { EcBody } from "../sim/workload.js";
import type { KernelAllocationPolicy } from "../kernel-state/kernel-allocation-policy.js";
import { buildHip, EVENT_SELECTORS, hipContentsFor } from "./hip.js";
import type { BootResult, DomainReport } from "./kernel-api.js";
import { formatSimulatedTime, type KernelConsole } from "./kernel-console.js";
import type { KernelSession } from "./kernel-session.js";
import { createRootPd } from "./root-pd.js";
import { createRootTask } from "./root-task.js";
import { kernelMemoryMap } from "../sim/devices/kernel-memory-map.js";
import { usableRam } from "./usable-ram.js";

/** NOVA's version number in the banner (CFG_VER); Novakit models [REL-24.08]. */
export const NOVA_MODEL_VERSION = 24;
/** how long the domains run when the configuration does not say (simulated ms) */
export const DEFAULT_DURATION_MS = 100;
/** where the boot facts the HIP needs sit when the platform does not say (§8.2: load address 0x400000) */
const DEFAULT_NOVA_IMAGE = { start: 0x400000n, end: 0x600000n };

export interface BootParts {
  readonly config: NovakitConfig;
  readonly configDir: string;
  readonly seed: number;
  readonly plugins: readonly ResolvedPlugin[];
  readonly hooks: KernelHooks;
  readonly services: KernelServices;
  readonly console: KernelConsole;
  readonly session: KernelSession;
  readonly interceptor: TapInterceptor;
  readonly workloads: WorkloadRegistry;
  readonly random: SeededRandom;
  /** replaces the built-in root task (CreateKernelOptions.rootTask) */
  readonly rootTask?: EcBody;
  /** CreateKernelOptions.allocationPolicy */
  readonly allocationPolicy?: KernelAllocationPolicy;
}

/**
 * The boot of one kernel (reference/nova.md §8.3): the phases of BOOT_PHASES through the hooks —
 * discover, platform constraints, launch, memory, cpu (once per CPU), iommu, root (createRootPd +
 * HIP), start — then the simulation for config.durationMs, and the result.
 */
export async function runBoot(parts: BootParts): Promise<BootResult> {
  const { config, hooks, services, console: kernelConsole, session, interceptor } = parts;
  const phase = async <T>(name: PhaseName, run: () => Promise<T>): Promise<T> => {
    interceptor.phase = name;
    return run();
  };
  const arch = config.arch;
  kernelConsole.print(`NOVA Microhypervisor v${NOVA_MODEL_VERSION}-novakit (${arch}): ${config.name ?? "unnamed"} [seed ${parts.seed}] [novakit-sim]`);

  // ---- discover
  const discoverContext: DiscoverContext = { config, configDir: parts.configDir, platform: undefined };
  await phase("discover", () => hooks.discover.promise(discoverContext));
  const platform: Platform | undefined = discoverContext.platform;
  if (!platform) {
    throw new NovakitError("NK-KRN-213", "no plugin discovered the platform in the discover phase", { field: "platform" }, "an architecture plugin must set context.platform");
  }
  if (platform.arch !== arch) {
    throw new NovakitError("NK-KRN-224", `the discovered platform is ${platform.arch}, but the configuration says ${arch}`, { field: "arch" });
  }
  session.platform = platform;
  checkPlatformConstraints(parts.plugins, platform);
  const enabledCpus = platform.cpus.filter((cpu) => cpu.enabled);
  session.logCpu = enabledCpus[0]?.index ?? 0;

  // ---- the kernel's state and simulator
  const policy = hooks.scheduler.call({ cpus: platform.cpus.length });
  if (!policy) {
    throw new NovakitError("NK-KRN-208", "no scheduler plugin is configured", { field: "plugins" }, "add a scheduler plugin such as @novakit/scheduler");
  }
  // every fault published on the hook is a fault of this boot: the simulator's (#CP, page
  // faults, crashed workloads) and those plugins publish themselves (an IOMMU's DMA faults)
  const faults: FaultEvent[] = [];
  hooks.fault.tap("novakit-kernel", (event) => {
    faults.push(event);
  });
  const events = EVENT_SELECTORS[arch];
  const simulator = new Simulator({
    cpus: platform.cpus.length,
    policy,
    events: { hostArch: events.hostArch, guestArch: events.guestArch },
    log: (cpu, line) => kernelConsole.trace(cpu ?? session.logCpu, `${formatSimulatedTime(simulator.nowNs())} ${line}`),
    fault: (event) => hooks.fault.call(event),
    tick: (cpu, timeNs) => hooks.tick.call({ cpu, timeNs }),
  });
  session.simulator = simulator;
  const ram = usableRam(platform);
  // the kernel's own frames come first out of the lowest RAM: one flat buffer for the walkers
  const memory = new PhysicalMemory(kernelMemoryWindow(ram));
  const frames = new FrameAllocator(ram);
  const state = new KernelState({
    platform,
    hooks,
    runtime: simulator,
    memory,
    frames,
    insecure: services.cmdlineOption("insecure"),
    ...(parts.allocationPolicy !== undefined ? { allocationPolicy: parts.allocationPolicy } : {}),
  });
  session.state = state;
  simulator.attachObjectLayer(new KernelStateObjectLayer(state));
  simulator.userlandFactory = (ec) => createUserlandApi(simulator, ec, (cpu, line) => kernelConsole.trace(cpu, `${formatSimulatedTime(simulator.nowNs())} ${line}`), () => parts.random.nextU32());

  // ---- launch, memory, cpu, iommu
  const launchPlugins = parts.plugins.map((entry) => ({ name: entry.plugin.name, version: entry.plugin.version, options: entry.options }));
  await phase("launch", () => hooks.launch.promise({ config, platform, kernel: services, plugins: launchPlugins }));
  await phase("memory", () =>
    hooks.memory.promise({
      config,
      platform,
      kernel: services,
      registerFormat: (kind: TableSpaceKind, format) => state.registerFormat(kind, format),
    }),
  );
  if (!state.formatFor("HST")) {
    throw new NovakitError("NK-KRN-214", "no plugin registered a page-table format for host spaces in the memory phase", { field: "plugins" });
  }
  for (const cpu of enabledCpus) {
    const context: CpuContext = { config, platform, kernel: services, state: { cpu, controlRegisters: new Map(), msrs: new Map() } };
    session.logCpu = cpu.index;
    await phase("cpu", () => hooks.cpu.promise(context));
    kernelConsole.trace(cpu.index, coreLine(platform, cpu.hardwareId));
  }
  session.logCpu = enabledCpus[0]?.index ?? 0;
  await phase("iommu", () => hooks.iommu.promise({ config, platform, kernel: services }));

  // ---- root
  const kernelRegion = platform.memory.find((region) => region.kind === "kernel");
  const novaImage = kernelRegion ? { start: kernelRegion.base, end: kernelRegion.base + kernelRegion.size } : DEFAULT_NOVA_IMAGE;
  const hip = buildHip(hipContentsFor(state, { novaImage, mbuf: { start: 0n, end: 0n }, rootImage: { start: 0n, end: 0n } }));
  const root = createRootPd(state, { hip });
  await phase("root", () => hooks.root.promise({ config, platform, kernel: services, hip }));
  kernelConsole.trace(session.logCpu, `ROOT: PD ${root.pd.id} EC ${root.ec.id} SC ${root.sc.id} HIP 0x${root.hipAddress.toString(16)}`);

  // ---- start
  const rootTask = createRootTask({
    config,
    platform,
    workloads: parts.workloads,
    events: { hostArch: events.hostArch, guestArch: events.guestArch },
    log: (line) => kernelConsole.trace(root.ec.cpu, `${formatSimulatedTime(simulator.nowNs())} ${line}`),
    // what the domains' device models are connected to
    devices: {
      dma: (request) => hooks.dma.call(request),
      memory: state.memory,
      memoryRegions: platform.memory.map((region) => ({ base: region.base, size: region.size })),
      randomU32: () => parts.random.nextU32(),
      kernelMemory: () => kernelMemoryMap(state),
    },
  });
  simulator.startEc(root.ec.id, parts.rootTask ?? rootTask.body);
  await phase("start", () => hooks.start.promise({ config, platform, kernel: services }));

  interceptor.phase = "runtime";
  session.running = true;
  const durationNs = Math.round((config.durationMs ?? DEFAULT_DURATION_MS) * 1_000_000);
  await simulator.run(durationNs, () => rootTask.failure !== undefined);
  session.running = false;
  if (rootTask.failure) throw rootTask.failure;
  hooks.shutdown.call({ timeNs: simulator.nowNs(), reason: "simulation time elapsed" });
  // memory hashes and DMA totals of every domain, after the last device access
  rootTask.finish();
  const pluginReports: Record<string, Record<string, PluginReportValue>> = {};
  hooks.report.call({
    file(plugin, figures) {
      pluginReports[plugin] = { ...(pluginReports[plugin] ?? {}), ...sortedRecord(figures) };
    },
  });

  const objects = new KernelStateObjectLayer(state);
  const domains: DomainReport[] = rootTask.domains.map((domain) => {
    const pd = objects.capability(root.pd.id, BigInt(domain.pdSelector));
    return {
      name: domain.config.name,
      pd: pd?.objectId ?? -1,
      ecs: domain.ecCount,
      scUsedNs: domain.scSelectors.map((selector) => {
        const sc = objects.capability(root.pd.id, BigInt(selector));
        return sc ? simulator.scUsedNs(sc.objectId) : 0;
      }),
      memoryBytes: domain.memoryBytes,
      results: sortedRecord(domain.results),
    };
  });
  for (const domain of domains) {
    const used = domain.scUsedNs.reduce((sum, ns) => sum + ns, 0);
    const results = Object.entries(domain.results)
      .map(([key, value]) => `${key}=${String(value)}`)
      .join(" ");
    kernelConsole.trace(session.logCpu, `${formatSimulatedTime(simulator.nowNs())} DOM: ${domain.name} used ${used} ns${results ? ` ${results}` : ""}`);
  }
  kernelConsole.print(
    `SIM: ${formatSimulatedTime(simulator.nowNs())} s, ${simulator.stats.hypercalls} hypercalls, ${simulator.stats.ipcCalls} IPC calls, ${simulator.stats.contextSwitches} context switches`,
  );
  return {
    configName: config.name ?? "unnamed",
    seed: parts.seed,
    platform,
    log: [...kernelConsole.log],
    hip,
    domains,
    faults,
    stats: {
      simulatedNs: simulator.nowNs(),
      hypercalls: simulator.stats.hypercalls,
      ipcCalls: simulator.stats.ipcCalls,
      contextSwitches: simulator.stats.contextSwitches,
      objects: state.objects.size,
    },
    plugins: parts.plugins.map((entry) => ({ name: entry.plugin.name, version: entry.plugin.version })),
    pluginReports: Object.fromEntries(Object.entries(pluginReports).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}

function sortedRecord(record: Readonly<Record<string, string | number | boolean>>): Record<string, string | number | boolean> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * NOVA's per-CPU line: x86 "CORE: pkg:core:thread family:model:stepping:platform [patch] name",
 * Arm "CORE: aff2:aff1:aff0 part rXpY name" (an Arm CpuModel carries the MIDR PartNum as model
 * and variant << 4 | revision as stepping).
 */
function coreLine(platform: Platform, hardwareId: number): string {
  const cpu = platform.cpu;
  const hex = (value: number) => value.toString(16);
  if (platform.arch === "x86_64") {
    return `CORE: 0:0:${hex(hardwareId)} ${hex(cpu.family)}:${hex(cpu.model)}:${hex(cpu.stepping)}:0 [0] ${cpu.name.slice(0, 48)}`;
  }
  return `CORE: ${hex((hardwareId >> 16) & 0xff)}:${hex((hardwareId >> 8) & 0xff)}:${hex(hardwareId & 0xff)} ${hex(cpu.model)} r${cpu.stepping >> 4}p${cpu.stepping & 0xf} ${cpu.name}`;
}
