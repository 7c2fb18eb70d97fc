import { describe, expect, it } from "vitest";
import { DmaEngine, PCIE_BOUNDARY } from "./dma-engine.js";
import { testBus, windowIommu } from "./test-support/test-bus.js";

const SBDF = 0x0028; // 00:05.0

describe("DmaEngine", () => {
  it("splits a transfer into transactions that never cross a 4 KiB boundary (PCIe r4.0 §2.2.7)", () => {
    const bus = testBus();
    const engine = new DmaEngine(SBDF, bus);
    const data = Uint8Array.from({ length: 0x2020 }, (_, i) => i & 0xff);
    const result = engine.write(0x10ff0n, data);
    expect(bus.requests.map((request) => [request.address, request.length])).toEqual([
      [0x10ff0n, 0x10],
      [0x11000n, 0x1000],
      [0x12000n, 0x1000],
      [0x13000n, 0x10],
    ]);
    for (const request of bus.requests) {
      expect(request.sbdf).toBe(SBDF);
      expect(request.write).toBe(true);
      expect(Number(request.address % BigInt(PCIE_BOUNDARY)) + request.length).toBeLessThanOrEqual(PCIE_BOUNDARY);
    }
    // each write request carries exactly its piece of the data
    expect([...bus.requests[1]!.data!.subarray(0, 2)]).toEqual([0x10, 0x11]);
    expect(result).toMatchObject({ transactions: 4, completed: 4, aborted: 0, untranslated: 4 });
    expect([...bus.memory.readBytes(0x10ff0n, 0x2020)]).toEqual([...data]);
    expect(engine.read(0x11000n, 4096).transactions).toBe(1);
    expect(engine.read(0x11001n, 4096).transactions).toBe(2);
    expect(engine.read(0x11000n, 0).transactions).toBe(0);
  });

  it("reads and writes at the translated physical address", () => {
    const bus = testBus(windowIommu(0x20_0000n, 0x2000n));
    const engine = new DmaEngine(SBDF, bus);
    engine.write(0x8000_1ffcn, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
    expect([...bus.memory.readBytes(0x20_1ffcn, 4)]).toEqual([1, 2, 3, 4]);
    // the second half was beyond the window: aborted, never written anywhere
    expect([...bus.memory.readBytes(0x20_2000n, 4)]).toEqual([0, 0, 0, 0]);
    expect([...bus.memory.readBytes(0x8000_2000n, 4)]).toEqual([0, 0, 0, 0]);
    expect(engine.counters()).toEqual({ attempted: 2, completed: 1, aborted: 1, untranslated: 0, bytesRead: 0, bytesWritten: 4, bytesAborted: 4 });
  });

  it("completes an aborted read with all-ones data and leaves memory alone", () => {
    const bus = testBus(windowIommu(0x20_0000n, 0x1000n));
    bus.memory.writeBytes(0x20_0ffen, Uint8Array.of(0xaa, 0xbb));
    const engine = new DmaEngine(SBDF, bus);
    const read = engine.read(0x8000_0ffen, 6);
    expect([...read.data!]).toEqual([0xaa, 0xbb, 0xff, 0xff, 0xff, 0xff]);
    expect(read).toMatchObject({ transactions: 2, completed: 1, aborted: 1 });
    const write = engine.write(0x9000_0000n, Uint8Array.of(9, 9, 9));
    expect(write).toMatchObject({ transactions: 1, completed: 0, aborted: 1 });
    expect(bus.memory.touchedFrames()).toBe(1);
    expect(engine.counters().bytesAborted).toBe(4 + 3);
  });

  it("without an IOMMU passes the bus address through untranslated and counts it", () => {
    const bus = testBus();
    const engine = new DmaEngine(SBDF, bus);
    engine.write(0x5000n, Uint8Array.of(0x42));
    expect(bus.memory.readBytes(0x5000n, 1)[0]).toBe(0x42);
    expect(engine.counters()).toMatchObject({ attempted: 1, completed: 1, untranslated: 1, aborted: 0 });
    // an address no memory decodes completes with Unsupported Request: aborted, all-ones
    const unmapped = engine.read(0x1_0000_0000n, 2);
    expect([...unmapped.data!]).toEqual([0xff, 0xff]);
    expect(engine.counters()).toMatchObject({ attempted: 2, completed: 1, untranslated: 2, aborted: 1 });
  });

  it("tells the observer where completed transactions landed", () => {
    const bus = testBus();
    const seen: [bigint, number, boolean, number | undefined][] = [];
    const engine = new DmaEngine(SBDF, bus, {
      completed: (physical, length, write, data) => {
        seen.push([physical, length, write, data?.[0]]);
        return physical < 0x1000n ? { kind: "own" } : { kind: "domain", name: "victim" };
      },
    });
    const result = engine.write(0xff8n, Uint8Array.of(7, 7, 7, 7, 7, 7, 7, 7, 8, 8));
    expect(seen).toEqual([
      [0xff8n, 8, true, 7],
      [0x1000n, 2, true, 8],
    ]);
    expect(result.landed.map((landing) => landing.owner)).toEqual([{ kind: "own" }, { kind: "domain", name: "victim" }]);
  });

  it("rejects lengths and addresses a bus cannot carry", () => {
    const engine = new DmaEngine(SBDF, testBus());
    expect(() => engine.read(0n, -1)).toThrow(expect.objectContaining({ code: "NK-DEV-001" }));
    expect(() => engine.read(0n, 1.5)).toThrow(expect.objectContaining({ code: "NK-DEV-001" }));
    expect(() => engine.read((1n << 64n) - 2n, 4)).toThrow(expect.objectContaining({ code: "NK-DEV-002" }));
    expect(() => engine.read(-1n, 1)).toThrow(expect.objectContaining({ code: "NK-DEV-002" }));
  });
});
