import { describe, expect, it } from "vitest";
import { bootTestKernel, createTestKernel, NovakitError, type WorkloadDefinition } from "@novakit/kernel-core";
import { createFaultExporterPlugin, faultEventToJsonLine, faultExporterPlugin, MemoryFaultSink } from "./index.js";

/** A workload that computes a little, then fails: the kernel kills its EC and reports a fault. */
const crashingWorkload: WorkloadDefinition = {
  name: "crash-after-work",
  description: "computes 50 µs, then throws",
  async run(api) {
    await api.compute(50_000);
    throw new Error("deliberate failure for the exporter test");
  },
};

describe("the fault exporter in a booted kernel", () => {
  it("exports exactly the kernel's faults, one JSON line each, by the end of the boot", async () => {
    const sink = new MemoryFaultSink();
    const { result } = await bootTestKernel({
      plugins: [createFaultExporterPlugin({ sink })],
      workloads: [crashingWorkload],
      durationMs: 5,
      domains: [
        { name: "fragile", kind: "native", memoryMiB: 2, vcpus: 2, cpus: [0, 1], priority: 10, budgetMs: 1, workload: "crash-after-work" },
      ],
    });
    expect(result.faults.length).toBe(2);
    expect(sink.isClosed).toBe(true);
    expect(sink.lines).toEqual(result.faults.map((fault, index) => faultEventToJsonLine(fault, index)));
    const parsed = sink.lines.map((line) => JSON.parse(line) as { kind: string; detail: string });
    for (const line of parsed) {
      expect(line.kind).toBe("exception");
      expect(line.detail).toContain("deliberate failure");
    }
  });

  it("rejects a misspelt option with the kernel's options diagnostic", () => {
    let error: unknown;
    try {
      createTestKernel({ plugins: [{ plugin: faultExporterPlugin, options: { file: "faults.jsonl" } }] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(NovakitError);
    expect((error as NovakitError).code).toBe("NK-PLG-010");
  });
});
