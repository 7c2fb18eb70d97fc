import { defineConfig } from "@novakit/kernel-core";

/**
 * What `novakit boot` (and `npm start`) runs when there is no novakit.config.* : an x86_64
 * machine (QEMU q35 with an AMD IOMMU, four CPUs) with three native domains. `control` serves
 * IPC and `worker` calls it, so the boot shows portals and round trips; `batch` busy-loops at the
 * same priority as `worker` on the same CPU, so the summary shows that the scheduler's budgets
 * keep it from starving its neighbour (temporal isolation). The arch plugin and the NOVA
 * scheduler are added by default.
 */
export const defaultConfig = defineConfig({
  name: "novakit-default",
  arch: "x86_64",
  platform: "qemu-q35-amd-iommu",
  cmdline: "",
  seed: 1,
  durationMs: 100,
  domains: [
    { name: "control", kind: "native", memoryMiB: 16, vcpus: 1, cpus: [0], priority: 20, budgetMs: 5, workload: "ipc-server" },
    { name: "worker", kind: "native", memoryMiB: 16, vcpus: 1, cpus: [0], priority: 10, budgetMs: 10, workload: "ipc-client", workloadOptions: { server: "control" } },
    { name: "batch", kind: "native", memoryMiB: 16, vcpus: 1, cpus: [0], priority: 10, budgetMs: 10, workload: "busy-loop" },
  ],
});
