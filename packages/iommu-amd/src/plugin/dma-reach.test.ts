import { describe, expect, it } from "vitest";
import { PhysicalMemory } from "@novakit/kernel-core";
import { DPT_IR, DPT_IW, DPT_PR } from "../dpt/amd-dpt-bits.js";
import { encodeExplicitPageSize } from "../dpt/explicit-page-size.js";
import { walkDeviceReach } from "./dma-reach.js";

const DEVICE_TABLE = 0x10_0000n;
const L3 = 0x30_0000n;
const L2 = 0x30_1000n;
const L1 = 0x30_2000n;
const BDF = 0x0100;

const table = (address: bigint, level: number) => address | DPT_PR | DPT_IR | DPT_IW | (BigInt(level) << 9n);
const leaf = (address: bigint, read: boolean, write: boolean) => address | DPT_PR | (read ? DPT_IR : 0n) | (write ? DPT_IW : 0n);

function dte(memory: PhysicalMemory, q0: bigint): void {
  memory.write64(DEVICE_TABLE + BigInt(BDF * 32), q0);
}

describe("walkDeviceReach: the device table and I/O page tables as bytes (amd-iommu.md §3.4, §4.3, §4.4)", () => {
  it("follows skipped levels, default and explicit large leaves, ANDs IR/IW and merges contiguous runs", () => {
    const memory = new PhysicalMemory();
    dte(memory, L3 | (3n << 9n) | DPT_IR | DPT_IW | 3n);
    // L3[0] -> L2; L2[1]: a 2 MiB leaf, write only; L2[0] -> L1
    memory.write64(L3, table(L2, 2));
    memory.write64(L2 + 8n, leaf(0x4000_0000n, false, true));
    memory.write64(L2, table(L1, 1));
    // L1[0], L1[1]: two contiguous read/write 4 KiB pages; L1[4..7]: one 16 KiB explicit-size page
    memory.write64(L1, leaf(0x5000n, true, true));
    memory.write64(L1 + 8n, leaf(0x6000n, true, true));
    for (let i = 4n; i < 8n; i++) memory.write64(L1 + i * 8n, encodeExplicitPageSize(0x8_0000n, 0x4000n) | DPT_PR | DPT_IR | (7n << 9n));
    // L3[1] skips level 2: NextLevel 1, straight to a level-1 table
    const skipping = 0x30_3000n;
    memory.write64(L3 + 8n, table(skipping, 1));
    memory.write64(skipping + 5n * 8n, leaf(0x9000n, true, false));

    const reach = walkDeviceReach(memory, DEVICE_TABLE, BDF, "test", 6);
    expect(reach.mode).toBe("translated");
    expect(reach.ranges).toEqual([
      { iova: 0n, physicalAddress: 0x5000n, size: 0x2000n, read: true, write: true },
      { iova: 0x4000n, physicalAddress: 0x8_0000n, size: 0x4000n, read: true, write: false },
      { iova: 0x20_0000n, physicalAddress: 0x4000_0000n, size: 0x20_0000n, read: false, write: true },
      { iova: (1n << 30n) + 0x5000n, physicalAddress: 0x9000n, size: 0x1000n, read: true, write: false },
    ]);
  });

  it("classifies V=0, V=1 TV=0, Mode 0 and a Mode beyond the unit's reach", () => {
    const memory = new PhysicalMemory();
    expect(walkDeviceReach(memory, DEVICE_TABLE, BDF, "u", 4).mode).toBe("passthrough");
    dte(memory, 1n);
    expect(walkDeviceReach(memory, DEVICE_TABLE, BDF, "u", 4)).toEqual({ sbdf: BDF, iommu: "u", mode: "blocked", ranges: [] });
    dte(memory, 3n | DPT_IR);
    expect(walkDeviceReach(memory, DEVICE_TABLE, BDF, "u", 4).mode).toBe("passthrough");
    dte(memory, 3n);
    expect(walkDeviceReach(memory, DEVICE_TABLE, BDF, "u", 4).mode).toBe("blocked");
    dte(memory, L3 | (5n << 9n) | 3n | DPT_IR);
    expect(walkDeviceReach(memory, DEVICE_TABLE, BDF, "u", 4).mode).toBe("blocked");
  });
});
