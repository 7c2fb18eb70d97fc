import type { ScaffoldKind } from "./template-context.js";

/**
 * What a freshly scaffolded plugin of each kind does: one hook a plugin of that kind typically
 * taps (docs/plugins.md explains each), counted per kernel and filed on the `report` hook, so the
 * generated test can assert that the hook really fired in a booted kernel. Code is given as lines
 * (generated code contains `${...}` and backticks, which plain strings keep literal).
 */
export interface KindStarter {
  /** one sentence: the package description and the README's first line */
  readonly summary: string;
  /** the hook tapped: its name in KernelHooks and its anchor in docs/plugins.md */
  readonly hook: string;
  /** the figure filed on the `report` hook (BootResult.pluginReports[name][figure]) */
  readonly figure: string;
  /** register() body before the report tap: state and the hook tap (indented 4 spaces); POLICY stands for the policy class */
  readonly registerLines: readonly string[];
  /** expression filed as the figure's value */
  readonly figureValue: string;
  /** title of the generated test's first case */
  readonly testTitle: string;
  /** assertions about `result` (a BootResult) in that case (indented 4 spaces) */
  readonly assertionLines: readonly string[];
  /** the kernel the generated test boots: scheduler plugins replace the test kit's scheduler */
  readonly mount: "plugins" | "scheduler";
  /** the workload of the test's domains; "crash-after-work" is defined in the test itself */
  readonly workload: "busy-loop" | "crash-after-work";
}

const verboseLog = (message: string): string => `      if (context.options.verbose) context.kernel.log(\`\${context.pluginName}: ${message}\`);`;

export const KIND_STARTERS: Readonly<Record<ScaffoldKind, KindStarter>> = Object.freeze({
  extension: {
    summary: "counts the kernel objects created during a boot",
    hook: "objectCreated",
    figure: "objectsCreated",
    registerLines: [
      "    let objectsCreated = 0;",
      "    // docs/plugins.md#objectcreated: sync, called each time the kernel creates a PD, EC, SC, PT",
      "    // or SM. Runtime hooks sit on the simulator's hot path, so keep taps cheap.",
      "    context.hooks.objectCreated.tap(context.pluginName, (event) => {",
      "      objectsCreated++;",
      verboseLog("${event.type} ${event.id} created"),
      "    });",
    ],
    figureValue: "objectsCreated",
    testTitle: "counts the objects the kernel creates (its objectCreated tap fires)",
    assertionLines: ['    expect(report?.["objectsCreated"]).toBeGreaterThan(0);'],
    mount: "plugins",
    workload: "busy-loop",
  },
  exporter: {
    summary: "counts the faults of a boot",
    hook: "fault",
    figure: "faults",
    registerLines: [
      "    let faults = 0;",
      "    // docs/plugins.md#fault: sync, called for every fault of the boot: DMA faults an IOMMU",
      "    // reports, #CP, page faults, an EC killed by an exception. Exporters tap it.",
      "    context.hooks.fault.tap(context.pluginName, (event) => {",
      "      faults++;",
      verboseLog("${event.kind} fault: ${event.detail}"),
      "    });",
    ],
    figureValue: "faults",
    testTitle: "sees every fault of the boot (its fault tap fires)",
    assertionLines: [
      "    expect(result.faults.length).toBeGreaterThan(0);",
      '    expect(report?.["faults"]).toBe(result.faults.length);',
    ],
    mount: "plugins",
    workload: "crash-after-work",
  },
  iommu: {
    summary: "watches the leaves written into host, guest and DMA spaces",
    hook: "mapped",
    figure: "mappings",
    registerLines: [
      "    let mappings = 0;",
      "    // docs/plugins.md#mapped: sync, a leaf was written into a host, guest or DMA space. An IOMMU",
      "    // watches its DMA spaces here, and on `unmapped` invalidates its IOTLB before frames are reused.",
      "    context.hooks.mapped.tap(context.pluginName, (event) => {",
      "      mappings++;",
      verboseLog("${event.kind} space ${event.spaceId}: page 0x${event.page.toString(16)} mapped"),
      "    });",
    ],
    figureValue: "mappings",
    testTitle: "sees the mappings the kernel makes (its mapped tap fires)",
    assertionLines: ['    expect(report?.["mappings"]).toBeGreaterThan(0);'],
    mount: "plugins",
    workload: "busy-loop",
  },
  security: {
    summary: "initialises every CPU in the cpu boot phase",
    hook: "cpu",
    figure: "cpusInitialised",
    registerLines: [
      "    let cpusInitialised = 0;",
      "    // docs/plugins.md#cpu: async boot phase, once per enabled CPU in index order, after `memory`",
      "    // and before `iommu`; program the CPU's control registers and MSRs in cpuContext.state.",
      "    context.hooks.cpu.tapPromise(context.pluginName, async (cpuContext) => {",
      "      cpusInitialised++;",
      verboseLog("CPU ${cpuContext.state.cpu.index} initialised"),
      "    });",
    ],
    figureValue: "cpusInitialised",
    testTitle: "initialises each enabled CPU once (its cpu tap fires)",
    assertionLines: ['    expect(report?.["cpusInitialised"]).toBe(result.platform.cpus.filter((cpu) => cpu.enabled).length);'],
    mount: "plugins",
    workload: "busy-loop",
  },
  launch: {
    summary: "measures the plugins of the composed hypervisor at launch",
    hook: "launch",
    figure: "pluginsMeasured",
    registerLines: [
      "    let pluginsMeasured = 0;",
      "    // docs/plugins.md#launch: async boot phase right after `discover`: measure what is launched",
      "    // (launch.plugins is the composed hypervisor) and publish measurements on the `measure` hook.",
      "    context.hooks.launch.tapPromise(context.pluginName, async (launch) => {",
      "      for (const entry of launch.plugins ?? []) {",
      "        pluginsMeasured++;",
      `  ${verboseLog("measured ${entry.name}@${entry.version}")}`,
      "      }",
      "    });",
    ],
    figureValue: "pluginsMeasured",
    testTitle: "measures every plugin of the kernel (its launch tap fires)",
    assertionLines: ['    expect(report?.["pluginsMeasured"]).toBe(result.plugins.length);'],
    mount: "plugins",
    workload: "busy-loop",
  },
  scheduler: {
    summary: "schedules every CPU fixed-priority round robin",
    hook: "scheduler",
    figure: "picks",
    registerLines: [
      "    let policy: POLICY | undefined;",
      "    // docs/plugins.md#scheduler: bail, called once per boot after `discover` with the CPU count;",
      "    // the policy the first tap returns schedules every SC of the kernel.",
      "    context.hooks.scheduler.tap(context.pluginName, (request) => {",
      verboseLog("scheduling ${request.cpus} CPUs"),
      "      policy = new POLICY(request.cpus);",
      "      return policy;",
      "    });",
    ],
    figureValue: "policy?.picks ?? 0",
    testTitle: "is the kernel's scheduler and runs every domain (its scheduler tap answers)",
    assertionLines: [
      '    expect(result.plugins.map((plugin) => plugin.name)).not.toContain("@novakit/testkit-scheduler");',
      "    for (const domain of result.domains) expect(domain.scUsedNs.reduce((sum, ns) => sum + ns, 0)).toBeGreaterThan(0);",
      '    expect(report?.["picks"]).toBeGreaterThan(0);',
    ],
    mount: "scheduler",
    workload: "busy-loop",
  },
});
