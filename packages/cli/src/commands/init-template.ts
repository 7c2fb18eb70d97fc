/**
 * The commented novakit.config.ts that `novakit init` writes: a small starting point (three native
 * domains on q35) rather than the built-in default's AI host, whose devices need the AI-host profile.
 */
export const INIT_TEMPLATE = `// novakit configuration: \`novakit check\` validates it, \`novakit boot\` runs it in the simulator.
import { defineConfig } from "@novakit/cli";

export default defineConfig({
  // shown in the boot log and reports
  name: "my-nova",
  // "x86_64" or "aarch64"; the arch plugin for it is added by default
  arch: "x86_64",
  // a built-in platform profile (\`novakit plugins\` lists them) or a profile JSON path
  platform: "qemu-q35-amd-iommu",
  // plugins by package name or path ("./plugins/x"), optionally with options:
  //   { name: "@novakit/scheduler", options: { ... } }
  // { name, enabled: false } removes a default plugin (arch, @novakit/scheduler, and on an AMD
  // platform with an IVRS @novakit/iommu-amd; NOVA's own switch for that is cmdline "nosmmu")
  plugins: [],
  // NOVA's command line (nosmmu, nopcid, ...); unknown tokens are ignored, as NOVA does
  cmdline: "",
  // simulator PRNG seed and simulated run time in ms: same config + seed = same boot log
  seed: 1,
  durationMs: 100,
  domains: [
    // priority 1..127, budgetMs 1..65535, cpus: CPU indices of the platform,
    // devices: PCI functions "SSSS:BB:DD.F" or "BB:DD.F"
    { name: "control", kind: "native", memoryMiB: 16, vcpus: 1, cpus: [0], priority: 20, budgetMs: 5, workload: "ipc-server" },
    {
      name: "worker", kind: "native", memoryMiB: 16, vcpus: 1, cpus: [0], priority: 10, budgetMs: 10,
      workload: "ipc-client", workloadOptions: { server: "control" },
    },
    // same priority as "worker": the scheduler's budgets keep it from starving its neighbour
    { name: "batch", kind: "native", memoryMiB: 16, vcpus: 1, cpus: [0], priority: 10, budgetMs: 10, workload: "busy-loop" },
  ],
});
`;
