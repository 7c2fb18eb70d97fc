// A NOVA configuration written in TypeScript. `novakit check`, `novakit compose` and
// `novakit boot` load it through tsx, so no build step is needed; defineConfig only gives the
// object its type (editor completion, and tsc catches a misspelt key before novakit does).
import { defineConfig } from "@novakit/cli";

// Plain TypeScript works here: constants, functions, loops. The result must be plain data.
const MEMORY_MIB = 16;

export default defineConfig({
  // shown in the boot log and the summary
  name: "x86-typescript",
  // the arch plugin for it (@novakit/arch-x86_64) is added by default
  arch: "x86_64",
  // a built-in profile: QEMU q35 with an AMD IOMMU, 4 CPUs, 512 MiB (`novakit plugins` lists profiles)
  platform: "qemu-q35-amd-iommu",
  plugins: [
    // naming a default plugin only to give it options; it would be added anyway
    { name: "@novakit/arch-x86_64", options: { pagingLevels: 4 } },
    { name: "@novakit/scheduler", options: { trace: false } },
  ],
  // NOVA's own command line; tokens NOVA does not know are reported by `novakit check`
  cmdline: "",
  // same configuration + seed = same boot log, byte for byte (`novakit boot --seed N` overrides)
  seed: 42,
  // simulated milliseconds to run the domains for (short: the echo pair makes ~5000 calls per ms)
  durationMs: 10,
  domains: [
    // an IPC echo server and its client on CPU 0. During a call the client's scheduling context
    // is donated to the server (NOVA's time donation), so the CPU time shows under "caller" and
    // the summary counts the round trips
    { name: "echo", kind: "native", memoryMiB: MEMORY_MIB, vcpus: 1, cpus: [0], priority: 20, budgetMs: 2, workload: "ipc-server" },
    {
      name: "caller",
      kind: "native",
      memoryMiB: MEMORY_MIB,
      vcpus: 1,
      cpus: [0],
      priority: 10,
      budgetMs: 5,
      workload: "ipc-client",
      // the client finds its server by domain name
      workloadOptions: { server: "echo" },
    },
    // a periodic task alone on CPU 1: 300 µs of work every millisecond, deadline misses reported
    {
      name: "control-loop",
      kind: "native",
      memoryMiB: MEMORY_MIB,
      vcpus: 1,
      cpus: [1],
      priority: 30,
      budgetMs: 1,
      workload: "periodic",
      workloadOptions: { periodUs: 1000, computeUs: 300 },
    },
  ],
});
