import { describe, expect, it } from "vitest";
import { Status } from "../abi/status.js";
import type { DomainConfig } from "../config/config-types.js";
import type { HypercallInvocation } from "../hooks/hook-types.js";
import { definePlugin } from "../plugin/plugin-definition.js";
import { bootTestKernel, createTestKernel } from "../testkit/boot-test-kernel.js";
import { parsePciAddress, x86DeviceAssignmentDescriptor } from "./pci-address.js";

const nic = { segment: 0, bus: 0, device: 3, function: 0, name: "nic", dmaCapable: true };
const platform = {
  cpus: 2,
  pci: [nic],
  iommus: [{ kind: "amd-vi" as const, baseAddress: 0xfeb80000n, segment: 0, source: "test" }],
};
const withNic: DomainConfig = { name: "net", kind: "native", memoryMiB: 4, vcpus: 1, priority: 10, budgetMs: 1, workload: "busy-loop", devices: ["00:03.0"] };

describe("built-in root task", () => {
  it("assigns a domain's devices to a DMA space holding the domain's memory (assign_dev)", async () => {
    const calls: HypercallInvocation[] = [];
    const fakeIommu = definePlugin({
      name: "@example/fake-iommu",
      version: "1.0.0",
      kind: "iommu",
      register(context) {
        context.hooks.hypercall.for("assign_dev").tap(context.pluginName, (invocation) => {
          calls.push(invocation);
          return { status: Status.SUCCESS };
        });
      },
    });
    const mapped: number[] = [];
    const observer = definePlugin({
      name: "@example/dma-observer",
      version: "1.0.0",
      kind: "exporter",
      register(context) {
        context.hooks.mapped.tap(context.pluginName, (event) => {
          if (event.kind === "DMA") mapped.push(2 ** event.order);
        });
      },
    });
    const { kernel, result } = await bootTestKernel({ platform, dmaSpaces: true, plugins: [fakeIommu, observer], domains: [withNic], durationMs: 1 });
    expect(kernel.tapTimings().find((timing) => timing.hook === "hypercall.assign_dev")).toMatchObject({ plugin: "@example/fake-iommu", calls: 1 });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0]).toBe(0xfeb80000n);
    expect(calls[0]!.args[1]).toBe(x86DeviceAssignmentDescriptor(parsePciAddress("00:03.0", "t")));
    expect(calls[0]!.callerIsRoot).toBe(true);
    expect(mapped.reduce((sum, pages) => sum + pages, 0)).toBe(4 * 256);
    expect(result.domains[0]!.results["dmaIsolated"]).toBe(true);
    expect(result.log.some((line) => /^\[ 0\] \d\.\d{6} DMA: 00:03\.0 -> net$/.test(line))).toBe(true);
  });

  it("says loudly when there is no IOMMU, and rejects unknown or malformed devices", async () => {
    const { result } = await bootTestKernel({ platform, domains: [withNic], durationMs: 1 });
    expect(result.domains[0]!.results["dmaIsolated"]).toBe(false);
    expect(result.log.some((line) => /DMA: WARNING net: no IOMMU, DMA of 00:03.0 is NOT isolated/.test(line))).toBe(true);
    await expect(createTestKernel({ platform, domains: [{ ...withNic, devices: ["00:04.0"] }] }).boot()).rejects.toMatchObject({ code: "NK-KRN-228" });
    await expect(createTestKernel({ platform, domains: [{ ...withNic, devices: ["0:3"] }] }).boot()).rejects.toMatchObject({
      code: "NK-KRN-227",
      location: { field: "domains[0].devices[0]" },
    });
  });

  it("fails with the workload's name when nobody registered it, and with NOT-enough-RAM", async () => {
    await expect(createTestKernel({ domains: [{ ...withNic, devices: [], workload: "nope" }] }).boot()).rejects.toMatchObject({ code: "NK-KRN-220" });
    await expect(
      createTestKernel({ platform: { ramMiB: 8 }, domains: [{ ...withNic, devices: [], memoryMiB: 64 }] }).boot(),
    ).rejects.toMatchObject({ code: "NK-KRN-222", location: { field: "domains[0].memoryMiB" } });
  });
});
