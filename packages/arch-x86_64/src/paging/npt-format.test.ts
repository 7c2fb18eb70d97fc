import { DEFAULT_ATTRIBUTES, MemoryPermission } from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";
import { createHostPageTableFormat } from "./host-page-table-format.js";
import { createNptFormat } from "./npt-format.js";

const { R, W } = MemoryPermission;

describe("AMD NPT format", () => {
  it("is the host format with U/S set in every entry", () => {
    const npt = createNptFormat({ levels: 4, physicalAddressBits: 48, has1GbPages: true });
    const hpt = createHostPageTableFormat({ levels: 4, physicalAddressBits: 48, has1GbPages: true });
    expect(npt.name).toBe("x86_64-npt-4level");
    const supervisor = { ...DEFAULT_ATTRIBUTES, user: false };
    expect(npt.encodeLeaf(0x1000n, 0, R | W, supervisor)).toBe(hpt.encodeLeaf(0x1000n, 0, R | W, supervisor) | 0x4n);
    expect(npt.encodeLeaf(0x1000n, 0, R | W, supervisor) & 0x4n).toBe(0x4n);
    expect(npt.encodeTable(0x2000n, 1) & 0x4n).toBe(0x4n);
    expect(npt.decode(npt.encodeLeaf(0x20_0000n, 1, R, supervisor), 1)).toMatchObject({ type: "leaf", attributes: { user: true } });
  });
});
