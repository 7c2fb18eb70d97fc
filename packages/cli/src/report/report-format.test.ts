import { describe, expect, it } from "vitest";
import { byteSize, hex, memoryPermissionLetters, simulatedTime } from "./report-format.js";

describe("report formatting", () => {
  it("sizes in binary units, exact where they divide", () => {
    expect(byteSize(0n)).toBe("0 B");
    expect(byteSize(4096n)).toBe("4 KiB");
    expect(byteSize(64n << 20n)).toBe("64 MiB");
    expect(byteSize(1536n << 20n)).toBe("1.5 GiB");
    expect(byteSize(1n << 57n)).toBe("128 PiB");
    expect(byteSize(1000n)).toBe("1000 B");
  });

  it("writes NOVA memory permissions as letters (R W XU XS, nova.md §1.4)", () => {
    expect(memoryPermissionLetters(0x1)).toBe("R-----");
    expect(memoryPermissionLetters(0x3)).toBe("RW----");
    expect(memoryPermissionLetters(0xf)).toBe("RWXuXs");
  });

  it("prints hex and simulated time", () => {
    expect(hex(0xfed80000n)).toBe("0xfed80000");
    expect(simulatedTime(850)).toBe("850 ns");
    expect(simulatedTime(43_200)).toBe("43.2 µs");
    expect(simulatedTime(50_000_000)).toBe("50.000 ms");
  });
});
