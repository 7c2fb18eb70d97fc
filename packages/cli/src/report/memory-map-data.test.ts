import type { LeafBlock, MemoryAttributes } from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";
import { mergeLeaves } from "./memory-map-data.js";
import { clustersOf } from "./svg-memory-map.js";

const attributes: MemoryAttributes = { cache: "WB", keyId: 0, user: true, kernel: false, global: false, shadowStack: false };
const leaf = (input: bigint, output: bigint, order: number, permissions = 3): LeafBlock => ({ inputAddress: input, outputAddress: output, order, permissions, attributes });
const MiB = 1n << 20n;

describe("mergeLeaves", () => {
  it("merges input-contiguous leaves of equal permissions and says whether the output is contiguous too", () => {
    const regions = mergeLeaves([
      leaf(0x40000000n, 0x1ec00000n, 9),
      leaf(0x40200000n, 0x1ea00000n, 9), // output runs downwards: not contiguous
      leaf(0x40400000n, 0x1e800000n, 9),
    ]);
    expect(regions).toEqual([{ start: 0x40000000n, end: 0x40600000n, outputStart: 0x1ec00000n, outputContiguous: false, permissions: 3, leavesByOrder: { 9: 3 } }]);
  });

  it("starts a new region at a gap or a permission change, and sorts by input", () => {
    const regions = mergeLeaves([leaf(0x3000n, 0x9000n, 0, 1), leaf(0x0n, 0x10000n, 0), leaf(0x1000n, 0x11000n, 0)]);
    expect(regions.map((region) => [region.start, region.end, region.outputContiguous, region.permissions])).toEqual([
      [0x0n, 0x2000n, true, 3],
      [0x3000n, 0x4000n, true, 1],
    ]);
    expect(regions[0]?.leavesByOrder).toEqual({ 0: 2 });
  });

  it("gives nothing for nothing", () => {
    expect(mergeLeaves([])).toEqual([]);
  });
});

describe("clustersOf (zoom strips of the memory map)", () => {
  const region = (start: bigint, end: bigint) => ({ start, end, outputStart: 0n, outputContiguous: true, permissions: 3, leavesByOrder: {} });

  it("keeps regions together while the gap is no larger than the cluster so far (or 64 KiB)", () => {
    const clusters = clustersOf([region(0n, 4096n), region(0x8000n, 0x9000n), region(64n * MiB, 128n * MiB), region(130n * MiB, 131n * MiB), region(1n << 50n, (1n << 50n) + 4096n)]);
    expect(clusters.map((cluster) => [cluster.start, cluster.end, cluster.regions.length])).toEqual([
      [0n, 0x9000n, 2],
      [64n * MiB, 131n * MiB, 2],
      [1n << 50n, (1n << 50n) + 4096n, 1],
    ]);
  });
});
