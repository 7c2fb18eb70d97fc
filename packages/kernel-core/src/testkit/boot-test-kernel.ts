import type { BootResult, PluginRequest } from "../boot/kernel-api.js";
import { createKernel } from "../boot/create-kernel.js";
import type { NovakitKernel } from "../boot/novakit-kernel.js";
import type { DomainConfig, NovakitConfig } from "../config/config-types.js";
import type { Platform } from "../platform/platform.js";
import type { NovakitPlugin } from "../plugin/plugin-definition.js";
import type { EcBody, WorkloadDefinition } from "../sim/workload.js";
import { testArchPlugin } from "./test-arch-plugin.js";
import { createTestPlatform, type TestPlatformOptions } from "./test-platform.js";
import { testSchedulerPlugin } from "./test-scheduler.js";
import { definePlugin } from "../plugin/plugin-definition.js";

export interface TestKernelOptions {
  /** plugins under test (with options), besides the test arch and scheduler */
  readonly plugins?: readonly (NovakitPlugin<unknown> | { readonly plugin: NovakitPlugin<unknown>; readonly options?: unknown })[];
  /** a real scheduler plugin replaces the test-only round-robin one */
  readonly scheduler?: NovakitPlugin<unknown>;
  /** raw options of `scheduler` (a scheduler plugin cannot go in `plugins`: one scheduler per kernel) */
  readonly schedulerOptions?: unknown;
  /** a real arch plugin replaces the test arch (then `platform` is ignored) */
  readonly arch?: NovakitPlugin<unknown>;
  readonly platform?: Platform | TestPlatformOptions;
  /** register GST / DMA formats in the test arch */
  readonly guestSpaces?: boolean;
  readonly dmaSpaces?: boolean;
  readonly domains?: readonly DomainConfig[];
  /** extra workloads available to the domains */
  readonly workloads?: readonly WorkloadDefinition[];
  readonly durationMs?: number;
  readonly seed?: number;
  readonly cmdline?: string;
  readonly name?: string;
  /** replaces the built-in root task: runs on the root EC with the root PD's capabilities */
  readonly rootTask?: EcBody;
}

function isPlatform(value: Platform | TestPlatformOptions | undefined): value is Platform {
  return value !== undefined && "cpus" in value && Array.isArray((value as Platform).cpus);
}

/** A kernel around the given plugins on a synthetic platform, not booted yet. */
export function createTestKernel(options: TestKernelOptions = {}): NovakitKernel {
  const platform = isPlatform(options.platform) ? options.platform : createTestPlatform(options.platform);
  const config: NovakitConfig = {
    name: options.name ?? "testkit",
    arch: options.arch ? (options.arch.constraints?.arch?.[0] ?? platform.arch) : platform.arch,
    platform: platform.name,
    domains: options.domains ?? [],
    durationMs: options.durationMs ?? 10,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.cmdline !== undefined ? { cmdline: options.cmdline } : {}),
  };
  const requests: PluginRequest[] = [
    { plugin: options.arch ?? testArchPlugin({ platform, guestSpaces: options.guestSpaces ?? false, dmaSpaces: options.dmaSpaces ?? false }), source: "testkit: arch" },
    {
      plugin: options.scheduler ?? testSchedulerPlugin(),
      ...(options.scheduler !== undefined && options.schedulerOptions !== undefined ? { options: options.schedulerOptions } : {}),
      source: "testkit: scheduler",
    },
  ];
  for (const [index, entry] of (options.plugins ?? []).entries()) {
    const request = "plugin" in entry ? entry : { plugin: entry };
    requests.push({ plugin: request.plugin, ...(request.options !== undefined ? { options: request.options } : {}), source: `testkit: plugins[${index}]` });
  }
  if (options.workloads && options.workloads.length > 0) {
    const workloads = options.workloads;
    requests.push({
      plugin: definePlugin({
        name: "@novakit/testkit-workloads",
        version: "0.0.0-test",
        kind: "extension",
        register(context) {
          for (const workload of workloads) context.registerWorkload(workload);
        },
      }),
      source: "testkit: workloads",
    });
  }
  return createKernel({ config, plugins: requests, configDir: ".", ...(options.rootTask ? { rootTask: options.rootTask } : {}) });
}

/** Create and boot a test kernel; the kernel is returned too, for hooks and tap timings. */
export async function bootTestKernel(options: TestKernelOptions = {}): Promise<{ readonly kernel: NovakitKernel; readonly result: BootResult }> {
  const kernel = createTestKernel(options);
  const result = await kernel.boot();
  return { kernel, result };
}
