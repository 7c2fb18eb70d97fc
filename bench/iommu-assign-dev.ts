import { archX86_64Plugin } from "@novakit/arch-x86_64";
import {
  createKernel,
  CreatePdOp,
  MemoryCapabilityPermission,
  NovakitError,
  NovaObjectSelector,
  RootObjectSelector,
  SpacePermission,
  Status,
  type EcBody,
} from "@novakit/kernel-core";
import { iommuAmdPlugin } from "@novakit/iommu-amd";
import { schedulerPlugin } from "@novakit/scheduler";
import { result, type BenchResult } from "./bench-result.js";

/**
 * iommu.assign_dev: assign_dev hypercalls on a booted qemu-q35-amd-iommu kernel (real x86_64
 * arch and scheduler plugins, the iommu-amd plugin driving the AmdIommu model). The root task makes two DMA
 * spaces with one page each and moves the AHCI controller (00:1f.2) between them: every call is
 * NOVA's full path (nova.md §4.6): the CTE compare-and-swap, INVALIDATE_DEVTAB_ENTRY +
 * INVALIDATE_IOMMU_PAGES(old domain) + COMPLETION_WAIT through the command queue, the doorbell
 * wait and the reference moves. ops = assignments; no native ratio.
 */
export const IOMMU_ASSIGN_DEV_BENCH = "iommu.assign_dev";

const IOMMU_BASE = 0xfed8_0000n;
const AHCI_DAD = 0x00fan;
/** hypercalls cost 200 simulated ns each: plenty of simulated time for the loop */
const SIMULATED_MS = 100_000;

function failed(message: string): NovakitError {
  return new NovakitError("NK-BEN-001", `${IOMMU_ASSIGN_DEV_BENCH}: ${message}`, { field: IOMMU_ASSIGN_DEV_BENCH }, "an assignment failed; the figure is void");
}

export async function iommuAssignDevBench(assignments: number): Promise<BenchResult> {
  let elapsed = 0n;
  let failures = 0;
  let done = 0;
  const rootTask: EcBody = async (api) => {
    const host = 0x200;
    const spaces = [0x201, 0x202];
    await api.ctrlPd(RootObjectSelector.NOVA_OBJ, RootObjectSelector.ROOT_OBJ, { sourceBase: NovaObjectSelector.NOVA_HST, destinationBase: host, order: 0, permissionMask: SpacePermission.TAKE });
    for (const [index, space] of spaces.entries()) {
      if ((await api.createPd(space, RootObjectSelector.ROOT_PD, CreatePdOp.DMA)).status !== Status.SUCCESS) failures++;
      const frame = 0x18000n + BigInt(index);
      const mapped = await api.ctrlPd(host, space, { sourceBase: frame, destinationBase: 0x40000n, order: 0, permissionMask: MemoryCapabilityPermission.R | MemoryCapabilityPermission.W });
      if (mapped.status !== Status.SUCCESS) failures++;
    }
    const start = process.hrtime.bigint();
    for (let i = 0; i < assignments; i++) {
      const outcome = await api.assignDev(spaces[i & 1]!, IOMMU_BASE, AHCI_DAD);
      if (outcome.status !== Status.SUCCESS) failures++;
      done++;
    }
    elapsed = process.hrtime.bigint() - start;
  };
  const kernel = createKernel({
    config: { name: "bench-assign-dev", arch: "x86_64", platform: "qemu-q35-amd-iommu", domains: [], durationMs: SIMULATED_MS },
    plugins: [
      { plugin: archX86_64Plugin, source: "bench" },
      { plugin: schedulerPlugin, source: "bench" },
      { plugin: iommuAmdPlugin, options: { faultLog: false }, source: "bench" },
    ],
    configDir: ".",
    rootTask,
  });
  await kernel.boot();
  if (failures > 0 || done !== assignments) throw failed(`${failures} failures, ${done} of ${assignments} assignments done`);
  return result(IOMMU_ASSIGN_DEV_BENCH, assignments, elapsed, "00:1f.2 moved between two DMA spaces: CAS + DEVTAB + PAGES + COMPLETION_WAIT each");
}
