import { archX86_64Plugin } from "@novakit/arch-x86_64";
import {
  createKernel,
  MemoryCapabilityPermission,
  NovaObjectSelector,
  RootObjectSelector,
  SpacePermission,
  testSchedulerPlugin,
  type BootResult,
  type DomainConfig,
  type EcBody,
  type NovakitKernel,
  type UserlandApi,
  type WorkloadDefinition,
  definePlugin,
} from "@novakit/kernel-core";
import type { AmdIommuDriver } from "../amd-iommu-driver.js";
import type { HardwareFactory } from "../bring-up.js";
import { createIommuAmdPlugin } from "../../plugin.js";

/** the q35 machine's AMD IOMMU (fixtures/qemu-q35-amd-iommu IVRS, IVHD 10h) */
export const Q35_IOMMU_BASE = 0xfed80000n;
/** 00:1f.2, the ICH9 AHCI controller: the profile's bus master */
export const AHCI_BDF = 0x00fa;
/** 00:1f.3, the SMBus controller */
export const SMBUS_BDF = 0x00fb;

export interface IommuTestKernelOptions {
  readonly domains?: readonly DomainConfig[];
  /** replaces the built-in root task; gets the kernel and the driver for device stand-ins */
  readonly rootTask?: (api: UserlandApi, harness: { readonly kernel: NovakitKernel; readonly driver: AmdIommuDriver }) => Promise<void>;
  readonly cmdline?: string;
  readonly pluginOptions?: unknown;
  readonly createHardware?: HardwareFactory;
  readonly durationMs?: number;
  /** called with the kernel before it boots (tap hooks here) */
  readonly beforeBoot?: (kernel: NovakitKernel) => void;
  /** workloads the domains may name, besides the built-in ones */
  readonly workloads?: readonly WorkloadDefinition[];
}

export interface IommuTestKernel {
  readonly kernel: NovakitKernel;
  readonly result: BootResult;
  readonly driver: AmdIommuDriver;
}

/** Boot the qemu-q35-amd-iommu profile with the real x86_64 arch plugin and this plugin. */
export async function bootIommuKernel(options: IommuTestKernelOptions = {}): Promise<IommuTestKernel> {
  let driver: AmdIommuDriver | undefined;
  const plugin = createIommuAmdPlugin({
    onDriver: (created) => {
      driver = created;
    },
    ...(options.createHardware !== undefined ? { createHardware: options.createHardware } : {}),
  });
  const custom = options.rootTask;
  const rootTask: EcBody | undefined =
    custom === undefined
      ? undefined
      : async (api) => {
          if (driver === undefined) throw new Error("the plugin did not register a driver");
          await custom(api, { kernel, driver });
        };
  const kernel: NovakitKernel = createKernel({
    config: {
      name: "iommu-test",
      arch: "x86_64",
      platform: "qemu-q35-amd-iommu",
      domains: options.domains ?? [],
      durationMs: options.durationMs ?? 5,
      ...(options.cmdline !== undefined ? { cmdline: options.cmdline } : {}),
    },
    plugins: [
      { plugin: archX86_64Plugin, source: "test: arch" },
      { plugin: testSchedulerPlugin(), source: "test: scheduler" },
      ...(options.workloads !== undefined ? [{ plugin: workloadPlugin(options.workloads), source: "test: workloads" }] : []),
      { plugin, ...(options.pluginOptions !== undefined ? { options: options.pluginOptions } : {}), source: "test: iommu" },
    ],
    configDir: ".",
    ...(rootTask !== undefined ? { rootTask } : {}),
  });
  options.beforeBoot?.(kernel);
  const result = await kernel.boot();
  if (driver === undefined) throw new Error("the plugin did not register a driver");
  return { kernel, result, driver };
}

/** A root task's view of DMA: spaces with memory mapped 1:1 to chosen frames, and assign_dev. */
export class RootDma {
  private next = 0x200;
  private novaHost = -1;

  constructor(readonly api: UserlandApi) {}

  /** copy the NOVA host space capability (TAKE) into the root's object space */
  async takeNovaHost(): Promise<void> {
    this.novaHost = this.next++;
    await this.api.ctrlPd(RootObjectSelector.NOVA_OBJ, RootObjectSelector.ROOT_OBJ, {
      sourceBase: NovaObjectSelector.NOVA_HST,
      destinationBase: this.novaHost,
      order: 0,
      permissionMask: SpacePermission.TAKE,
    });
  }

  /** a DMA space of the root PD; returns its selector */
  async dmaSpace(): Promise<number> {
    const selector = this.next++;
    const created = await this.api.createPd(selector, RootObjectSelector.ROOT_PD, 4);
    if (created.status !== 0) throw new Error(`create_pd(DMA) failed with ${created.status}`);
    return selector;
  }

  /** map 2^order frames at `frame` to IOVA page `iovaPage` (R|W by default); returns the status */
  async map(dma: number, frame: bigint, iovaPage: bigint, order: number, permissions: number = MemoryCapabilityPermission.R | MemoryCapabilityPermission.W): Promise<number> {
    const outcome = await this.api.ctrlPd(this.novaHost, dma, { sourceBase: frame, destinationBase: iovaPage, order, permissionMask: permissions });
    return outcome.status;
  }

  async assign(dma: number, bdf: number, smmu: bigint = Q35_IOMMU_BASE): Promise<number> {
    return (await this.api.assignDev(dma, smmu, BigInt(bdf))).status;
  }
}

function workloadPlugin(workloads: readonly WorkloadDefinition[]) {
  return definePlugin({
    name: "@novakit/iommu-amd-test-workloads",
    version: "0.0.0-test",
    kind: "extension",
    register(context) {
      for (const workload of workloads) context.registerWorkload(workload);
    },
  });
}
