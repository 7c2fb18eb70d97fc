import { describe, expect, it } from "vitest";
import type { DomainConfig } from "../config/config-types.js";
import { isNovakitError } from "../errors/novakit-error.js";
import { PluginTapError } from "../hooks/tap-interceptor.js";
import { definePlugin } from "../plugin/plugin-definition.js";
import type { WorkloadDefinition } from "../sim/workload.js";
import { bootTestKernel, createTestKernel } from "../testkit/boot-test-kernel.js";
import { createTestPlatform } from "../testkit/test-platform.js";

/** computes a random number of µs per round: the result depends on the seed */
const randomCompute: WorkloadDefinition = {
  name: "random-compute",
  description: "test: seeded random compute",
  async run(api, instance) {
    for (;;) {
      const us = (api.randomU32() % 500) + 1;
      await api.compute(us * 1000);
      instance.report("computedUs", us);
    }
  },
};

const domains: DomainConfig[] = [
  { name: "rand-a", kind: "native", memoryMiB: 2, vcpus: 2, cpus: [0, 1], priority: 10, budgetMs: 2, workload: "random-compute" },
  { name: "rand-b", kind: "native", memoryMiB: 2, vcpus: 1, priority: 10, budgetMs: 1, workload: "random-compute" },
  { name: "srv", kind: "native", memoryMiB: 1, vcpus: 2, cpus: [0, 1], priority: 5, budgetMs: 1, workload: "ipc-server" },
  { name: "cli", kind: "native", memoryMiB: 1, vcpus: 2, cpus: [0, 1], priority: 10, budgetMs: 1, workload: "ipc-client", workloadOptions: { server: "srv", thinkNs: 2000 } },
];

const boot = (seed: number, name = "determinism") =>
  bootTestKernel({ name, seed, durationMs: 20, domains, workloads: [randomCompute] });

describe("createKernel + boot", () => {
  it("same config + seed gives a byte-identical log; another seed gives another log", async () => {
    const first = (await boot(7)).result;
    const second = (await boot(7)).result;
    const other = (await boot(8)).result;
    expect(first.log.join("\n")).toBe(second.log.join("\n"));
    expect(first.domains).toEqual(second.domains);
    expect(other.log.join("\n")).not.toBe(first.log.join("\n"));
    const body = (log: readonly string[]) => log.slice(1).join("\n"); // beyond the banner, which names the seed
    expect(body(other.log)).not.toBe(body(first.log));
  });

  it("runs the IPC echo between domains and counts round trips", async () => {
    const { result } = await boot(1);
    const client = result.domains.find((domain) => domain.name === "cli")!;
    const server = result.domains.find((domain) => domain.name === "srv")!;
    expect(client.results["roundTrips"]).toBeGreaterThan(100);
    expect(client.results["badEchoes"]).toBeUndefined();
    expect(client.results["errors"]).toBeUndefined();
    expect(server.results["served"]).toBe(client.results["roundTrips"]);
    expect(result.stats.ipcCalls).toBe(client.results["roundTrips"]);
    expect(result.faults).toEqual([]);
  });

  it("two kernels booted concurrently stay independent", async () => {
    const alone = [(await boot(3, "k1")).result, (await boot(4, "k2")).result];
    const together = await Promise.all([boot(3, "k1"), boot(4, "k2")]);
    expect(together.map((entry) => entry.result.log)).toEqual(alone.map((result) => result.log));
    expect(together.map((entry) => entry.result.stats)).toEqual(alone.map((result) => result.stats));
  });

  it("a tap that throws is reported with plugin, hook and phase", async () => {
    const faulty = definePlugin({
      name: "@example/faulty",
      version: "1.0.0",
      kind: "extension",
      register(context) {
        context.hooks.cpu.tapPromise("some-label", async (cpu) => {
          if (cpu.state.cpu.index === 1) throw new Error("MSR 0x1b is read-only");
        });
      },
    });
    const kernel = createTestKernel({ plugins: [faulty] });
    const error = await kernel.boot().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PluginTapError);
    const tapError = error as PluginTapError;
    expect(tapError.code).toBe("NK-KRN-201");
    expect(tapError.plugin).toBe("@example/faulty");
    expect(tapError.hook).toBe("cpu");
    expect(tapError.phase).toBe("cpu");
    expect(tapError.message).toContain("MSR 0x1b is read-only");
    expect(kernel.tapTimings().some((timing) => timing.plugin === "@example/faulty" && timing.hook === "cpu" && timing.calls === 2)).toBe(true);
  });

  it("taps are named after their plugin", async () => {
    const kernel = createTestKernel({
      plugins: [
        definePlugin({
          name: "@example/observer",
          version: "1.0.0",
          kind: "exporter",
          register(context) {
            context.hooks.objectCreated.tap("whatever", () => undefined);
          },
        }),
      ],
    });
    expect(kernel.hooks.objectCreated.taps.map((tap) => tap.name)).toEqual(["@example/observer"]);
    await kernel.boot();
    expect(kernel.tapTimings().find((timing) => timing.hook === "objectCreated")?.calls).toBeGreaterThan(0);
  });

  it("fails clearly without a scheduler plugin, and for a VM domain without a guest-space format", async () => {
    const noScheduler = definePlugin({ name: "@example/not-a-scheduler", version: "1.0.0", kind: "scheduler", register() {} });
    await expect(createTestKernel({ scheduler: noScheduler }).boot()).rejects.toMatchObject({ code: "NK-KRN-208", message: "no scheduler plugin is configured" });
    const vm: DomainConfig = { name: "guest", kind: "vm", memoryMiB: 4, vcpus: 1, priority: 10, budgetMs: 1, workload: "busy-loop" };
    const error = await createTestKernel({ domains: [vm] }).boot().catch((e: unknown) => e);
    expect(isNovakitError(error) && error.code).toBe("NK-KRN-217");
    expect((error as Error).message).toMatch(/no guest-space format/);
    const { result } = await bootTestKernel({ guestSpaces: true, domains: [vm], durationMs: 2 });
    expect(result.domains[0]!.results["slices"]).toBeGreaterThan(0);
  });

  it("a kernel boots once, and the platform is unknown before discover", async () => {
    const kernel = createTestKernel({ platform: createTestPlatform({ cpus: 1 }) });
    expect(() => kernel.services.platform).toThrow(/before the discover phase/);
    await kernel.boot();
    expect(kernel.services.platform.cpus).toHaveLength(1);
    await expect(kernel.boot()).rejects.toMatchObject({ code: "NK-KRN-216" });
  });

  it("names the plugin whose register() throws, and refuses a second workload of the same name", () => {
    const broken = definePlugin({
      name: "@example/broken",
      version: "1.0.0",
      kind: "extension",
      register() {
        throw new Error("bad wiring");
      },
    });
    expect(() => createTestKernel({ plugins: [broken] })).toThrow(expect.objectContaining({ code: "NK-KRN-209", message: expect.stringContaining("@example/broken") }));
    const duplicate = { ...randomCompute, name: "busy-loop" };
    expect(() => createTestKernel({ workloads: [duplicate] })).toThrow(
      expect.objectContaining({ code: "NK-KRN-209", message: expect.stringMatching(/workload "busy-loop" .* already registered by kernel-core \[NK-KRN-212\]/) }),
    );
  });
});
