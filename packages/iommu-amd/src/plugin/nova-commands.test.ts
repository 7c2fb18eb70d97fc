import { describe, expect, it } from "vitest";
import { decodeCommand } from "../command/decode-command.js";
import { decodeInvalidationRange } from "../command/invalidation-range.js";
import {
  completionWaitPlain,
  completionWaitStore,
  invalidateDevtabEntry,
  invalidateDomainPages,
  invalidateInterruptTable,
  invalidateIommuAll,
  invalidatePageBlock,
} from "./nova-commands.js";

const support = { efr: 1n << 6n, iotlbSupported: true };

/** the driver's encodings against hand-computed bytes (amd-iommu.md §5.3, nova.md §4.5) and the model's decoder */
describe("NOVA's command encodings", () => {
  it("COMPLETION_WAIT with a store: opcode 1, S, address 51:3, data in the second quadword", () => {
    expect(completionWaitStore(0x1234_5678n, 42n)).toEqual([0x1000_0000_1234_5679n, 42n]);
    const decoded = decodeCommand(completionWaitStore(0x1234_5678n, 42n), support);
    expect(decoded).toMatchObject({ legal: true, command: { kind: "COMPLETION_WAIT", store: true, interrupt: false, storeAddress: 0x1234_5678n, storeData: 42n } });
    expect(decodeCommand(completionWaitPlain(), support)).toMatchObject({ legal: true, command: { kind: "COMPLETION_WAIT", store: false } });
  });

  it("INVALIDATE_DEVTAB_ENTRY and INVALIDATE_INTERRUPT_TABLE carry the DeviceID in 15:0", () => {
    expect(invalidateDevtabEntry(0x00fa)).toEqual([0x2000_0000_0000_00fan, 0n]);
    expect(invalidateInterruptTable(0xffff)).toEqual([0x5000_0000_0000_ffffn, 0n]);
    expect(decodeCommand(invalidateDevtabEntry(0x00fa), support)).toMatchObject({ legal: true, command: { deviceId: 0xfa } });
  });

  it("INVALIDATE_IOMMU_PAGES for a whole domain: DomainID 47:32, address 62:12 set, S and PDE", () => {
    expect(invalidateDomainPages(0x1234)).toEqual([0x3000_1234_0000_0000n, 0x7fff_ffff_ffff_f003n]);
    const decoded = decodeCommand(invalidateDomainPages(0x1234), support);
    expect(decoded).toMatchObject({ legal: true, command: { kind: "INVALIDATE_IOMMU_PAGES", domainId: 0x1234, size: true, pde: true } });
    if (!decoded.legal || decoded.command.kind !== "INVALIDATE_IOMMU_PAGES") throw new Error("not decoded");
    expect(decodeInvalidationRange(decoded.command.address, decoded.command.size)).toEqual({ first: 0n, last: (1n << 64n) - 1n });
  });

  it("INVALIDATE_IOMMU_PAGES for a block covers exactly the block", () => {
    for (const [page, order] of [[0x40000n, 0], [0x40002n, 1], [0x40200n, 9], [0x40000n, 18], [0x40010n, 4]] as const) {
      const command = invalidatePageBlock(7, page, order);
      const decoded = decodeCommand(command, support);
      if (!decoded.legal || decoded.command.kind !== "INVALIDATE_IOMMU_PAGES") throw new Error("not decoded");
      expect(decoded.command.domainId).toBe(7);
      expect(decoded.command.pde).toBe(true);
      const first = page << 12n;
      expect(decodeInvalidationRange(decoded.command.address, decoded.command.size)).toEqual({ first, last: first + (1n << BigInt(12 + order)) - 1n });
    }
    // a block beyond what S can encode becomes the whole domain
    expect(invalidatePageBlock(7, 0n, 52)).toEqual(invalidateDomainPages(7));
  });

  it("INVALIDATE_IOMMU_ALL is opcode 8 with nothing else", () => {
    expect(invalidateIommuAll()).toEqual([0x8000_0000_0000_0000n, 0n]);
    expect(decodeCommand(invalidateIommuAll(), support)).toMatchObject({ legal: true, command: { kind: "INVALIDATE_IOMMU_ALL" } });
  });
});
