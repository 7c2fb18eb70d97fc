import { defineConfig } from "@novakit/kernel-core";

/**
 * What `novakit boot` (and `npm start`) runs when there is no novakit.config.* : the shared AI
 * host. QEMU q35 with an AMD IOMMU and five bus masters (platform
 * qemu-q35-amd-iommu-ai-host); the arch plugin, the NOVA scheduler and, because the firmware has
 * an IVRS, the AMD IOMMU plugin are added by default.
 *
 * - tenant-a, a VM, owns accelerator 00:03.0 and NIC 00:05.0 and runs `ai-tenant`: accelerator
 *   jobs and NIC traffic on its own memory (every transfer translates, none aborts).
 * - tenant-b, a VM, owns accelerator 00:04.0 and NIC 00:06.0, but its driver is compromised:
 *   `compromised-driver` aims 00:04.0's DMA at tenant-a's memory (its host frames and its guest
 *   addresses), at kernel memory and at unmapped addresses, reads and writes. The IOMMU aborts
 *   and logs every access outside tenant-b's own memory (tenant-a's guest addresses are tenant-b's
 *   own IOVAs too, so those land in tenant-b's memory); tenant-a's memory hash stays what
 *   tenant-a's own work makes it.
 * - control / worker / batch (native, on CPU 2) keep what the earlier default showed: IPC round
 *   trips through a portal, and two equal-priority domains whose budgets keep the busy loop from
 *   starving its neighbour (temporal isolation). They cost little and need no device.
 * The NVMe controller 00:07.0 is assigned to nobody: its DMA stays blocked (DTE V=1, TV=0).
 * The launch is measured (txt-launch, SKINIT on this AMD CPU) into the embedded TPM.
 */
export const defaultConfig = defineConfig({
  name: "shared-ai-host",
  arch: "x86_64",
  platform: "qemu-q35-amd-iommu-ai-host",
  // a measured launch: on this AMD CPU the plugin's "auto" method is SKINIT (PCR 17), then NOVA's
  // own measurement of the root image (PCR 19), into the embedded TPM; `novakit measure` predicts it
  plugins: [{ name: "@novakit/txt-launch" }],
  cmdline: "",
  seed: 1,
  durationMs: 50,
  domains: [
    {
      name: "tenant-a",
      kind: "vm",
      memoryMiB: 64,
      vcpus: 1,
      cpus: [0],
      priority: 20,
      budgetMs: 5,
      devices: ["00:03.0", "00:05.0"],
      workload: "ai-tenant",
    },
    {
      name: "tenant-b",
      kind: "vm",
      memoryMiB: 64,
      vcpus: 1,
      cpus: [1],
      priority: 20,
      budgetMs: 5,
      devices: ["00:04.0", "00:06.0"],
      workload: "compromised-driver",
      workloadOptions: { device: "00:04.0", victims: ["tenant-a"] },
    },
    { name: "control", kind: "native", memoryMiB: 16, vcpus: 1, cpus: [2], priority: 20, budgetMs: 5, workload: "ipc-server" },
    { name: "worker", kind: "native", memoryMiB: 16, vcpus: 1, cpus: [2], priority: 10, budgetMs: 10, workload: "ipc-client", workloadOptions: { server: "control", thinkNs: 10_000 } },
    { name: "batch", kind: "native", memoryMiB: 16, vcpus: 1, cpus: [2], priority: 10, budgetMs: 10, workload: "busy-loop" },
  ],
});
