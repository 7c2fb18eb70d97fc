import { describe, expect, it } from "vitest";
import { busyToken, freeToken, isTokenAligned, previousSspToken, restoreToken, tokenState } from "./supervisor-token.js";
import { SHADOW_STACK_BASE, SHADOW_STACK_TOP } from "./shadow-stack-layout.js";

describe("shadow-stack tokens (cet.md §4.2) and NOVA's layout (§7 step 3)", () => {
  it("puts the token in the last slot of the page at 0xFFFFFFFFBFFFE000", () => {
    expect(SHADOW_STACK_BASE).toBe(0xffff_ffff_bfff_e000n);
    expect(SHADOW_STACK_TOP).toBe(0xffff_ffff_bfff_eff8n);
  });

  it("a free supervisor token is its own address, a busy one address | 1", () => {
    expect(freeToken(SHADOW_STACK_TOP)).toBe(SHADOW_STACK_TOP);
    expect(busyToken(SHADOW_STACK_TOP)).toBe(SHADOW_STACK_TOP | 1n);
    expect(tokenState(SHADOW_STACK_TOP, SHADOW_STACK_TOP)).toBe("free");
    expect(tokenState(SHADOW_STACK_TOP | 1n, SHADOW_STACK_TOP)).toBe("busy");
    expect(tokenState(SHADOW_STACK_TOP - 8n, SHADOW_STACK_TOP)).toBe("invalid");
    expect(tokenState(0n, SHADOW_STACK_TOP)).toBe("invalid");
  });

  it("checks 8-byte alignment", () => {
    expect(isTokenAligned(SHADOW_STACK_TOP)).toBe(true);
    expect(isTokenAligned(SHADOW_STACK_TOP + 4n)).toBe(false);
  });

  it("encodes restore (bit 1 = 0) and previous-SSP (bit 1 = 1) tokens with the mode bit 0", () => {
    expect(restoreToken(0x7000n, true)).toBe(0x7001n);
    expect(restoreToken(0x7000n, false)).toBe(0x7000n);
    expect(previousSspToken(0x7000n, true)).toBe(0x7003n);
  });
});
