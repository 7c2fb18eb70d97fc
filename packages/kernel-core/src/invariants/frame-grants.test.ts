import { describe, expect, it } from "vitest";
import { FrameGrants } from "./frame-grants.js";

describe("FrameGrants", () => {
  it("merges overlapping grants, ORs their permissions and finds the first frame not covered", () => {
    const grants = new FrameGrants();
    grants.grant(0x100n, 0x110n, 0x1);
    grants.grant(0x108n, 0x120n, 0x2);
    expect(grants.permissionsOf(0x100n)).toBe(0x1);
    expect(grants.permissionsOf(0x10an)).toBe(0x3);
    expect(grants.permissionsOf(0x118n)).toBe(0x2);
    expect(grants.permissionsOf(0x120n)).toBe(0);
    expect(grants.firstUncovered(0x100n, 0x120n, 0x1)).toBe(0x110n);
    expect(grants.firstUncovered(0x108n, 0x110n, 0x3)).toBeUndefined();
    expect(grants.firstUncovered(0x0fen, 0x102n, 0x1)).toBe(0x0fen);
    expect(grants.firstUncovered(0x110n, 0x121n, 0x2)).toBe(0x120n);
    // a widener stands for the format: here W implies R, as on x86 host tables
    expect(grants.firstUncovered(0x110n, 0x120n, 0x3, (given) => (given & 0x2 ? given | 0x1 : given))).toBeUndefined();
  });

  it("ignores empty and permissionless grants and coalesces adjacent runs with equal permissions", () => {
    const grants = new FrameGrants();
    grants.grant(5n, 5n, 0x1);
    grants.grant(5n, 9n, 0);
    expect(grants.size).toBe(0);
    grants.grant(0n, 4n, 0x3);
    grants.grant(4n, 8n, 0x3);
    expect(grants.size).toBe(1);
    expect(grants.firstUncovered(0n, 8n, 0x3)).toBeUndefined();
  });
});
