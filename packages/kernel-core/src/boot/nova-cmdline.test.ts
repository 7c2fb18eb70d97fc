import { describe, expect, it } from "vitest";
import { createTestPlatform } from "../testkit/test-platform.js";
import { NovaCmdline } from "./nova-cmdline.js";
import { usableRam } from "./usable-ram.js";

describe("NOVA command line (reference/nova.md §8.1)", () => {
  it("a token sets every recognised option it is a prefix of; unknown tokens are ignored", () => {
    const cmdline = new NovaCmdline("  nosm  bogus nov insecure ");
    expect(cmdline.has("nosmmu")).toBe(true);
    expect(cmdline.has("novpid")).toBe(true);
    expect(cmdline.has("insecure")).toBe(true);
    expect(cmdline.has("nopcid")).toBe(false);
    expect(cmdline.has("bogus")).toBe(false);
    expect(new NovaCmdline("").options).toEqual([]);
  });
});

describe("usableRam", () => {
  it("shrinks RAM to whole pages and cuts out the kernel image", () => {
    const platform = {
      ...createTestPlatform(),
      memory: [
        { base: 0n, size: 0x9fc00n, kind: "ram" as const },
        { base: 0x100000n, size: 0x7f00000n, kind: "ram" as const },
        { base: 0x400000n, size: 0x200000n, kind: "kernel" as const },
      ],
    };
    expect(usableRam(platform)).toEqual([
      { base: 0n, size: 0x9f000n },
      { base: 0x100000n, size: 0x300000n },
      { base: 0x600000n, size: 0x7a00000n },
    ]);
  });
});
