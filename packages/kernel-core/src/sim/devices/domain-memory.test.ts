import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { PhysicalMemory } from "../../memory/physical-memory.js";
import { DomainMemory } from "./domain-memory.js";

/** 3 frames in two blocks: domain pages 0x40000.. map host frames 0x500 (order 1) and 0x300 (order 0) */
function sample(memory = new PhysicalMemory()): DomainMemory {
  return new DomainMemory(
    "tenant",
    [
      { hostPage: 0x500n, domainPage: 0x40000n, order: 1 },
      { hostPage: 0x300n, domainPage: 0x40002n, order: 0 },
    ],
    memory,
  );
}

describe("DomainMemory (the memory ledger)", () => {
  it("hashes the delegated frames in delegation order with SHA-256", () => {
    const memory = new PhysicalMemory();
    memory.writeBytes(0x300000n, Uint8Array.of(1, 2, 3));
    const domain = sample(memory);
    const frames = [new Uint8Array(4096), new Uint8Array(4096), new Uint8Array(4096)];
    frames[2]!.set([1, 2, 3]);
    const expected = createHash("sha256");
    for (const frame of frames) expected.update(frame);
    const digest = expected.digest("hex");
    expect(domain.snapshotStart()).toBe(digest);
    // stable: the same memory hashes the same, in a fresh ledger too
    expect(domain.digest()).toEqual({ atStart: digest, now: digest, expected: digest, framesChangedByOthers: 0 });
    expect(sample(memory).snapshotStart()).toBe(digest);
    expect(domain.base).toBe(0x40000000n);
    expect(domain.size).toBe(3n * 4096n);
    expect(domain.hostRanges()).toEqual([
      { base: 0x500000n, size: 0x2000n },
      { base: 0x300000n, size: 0x1000n },
    ]);
  });

  it("keeps the expected hash equal to the real one while only the domain writes", () => {
    const memory = new PhysicalMemory();
    const domain = sample(memory);
    domain.snapshotStart();
    // a CPU store across the block boundary (domain page 0x40001 -> 0x501, 0x40002 -> 0x300)
    domain.view().write(0x40001ffen, Uint8Array.of(0xa, 0xb, 0xc, 0xd));
    expect([...memory.readBytes(0x501ffen, 2)]).toEqual([0xa, 0xb]);
    expect([...memory.readBytes(0x300000n, 2)]).toEqual([0xc, 0xd]);
    expect([...domain.view().read(0x40001ffen, 4)]).toEqual([0xa, 0xb, 0xc, 0xd]);
    // the domain's own device writing its own frame
    memory.writeBytes(0x500010n, Uint8Array.of(7));
    domain.recordOwnWrite(0x500010n, Uint8Array.of(7));
    const digest = domain.digest();
    expect(digest.now).toBe(digest.expected);
    expect(digest.now).not.toBe(digest.atStart);
    expect(digest.framesChangedByOthers).toBe(0);
  });

  it("shows a write by anyone else: the real hash leaves the expected one", () => {
    const memory = new PhysicalMemory();
    const domain = sample(memory);
    const start = domain.snapshotStart();
    memory.writeBytes(0x300800n, new TextEncoder().encode("PWNED"));
    const digest = domain.digest();
    expect(digest.expected).toBe(start);
    expect(digest.now).not.toBe(digest.expected);
    expect(digest.framesChangedByOthers).toBe(1);
    expect(domain.owns(0x300800n, 5)).toBe(true);
    expect(domain.owns(0x302000n, 1)).toBe(false);
  });

  it("confines CPU accesses to the domain's memory", () => {
    const domain = sample();
    expect(() => domain.view().write(0x3ffffffen, Uint8Array.of(1, 2, 3))).toThrow(expect.objectContaining({ code: "NK-DEV-041" }));
    expect(() => domain.view().read(0x40002ffen, 4)).toThrow(expect.objectContaining({ code: "NK-DEV-041" }));
    expect(
      () =>
        new DomainMemory(
          "holes",
          [
            { hostPage: 0x500n, domainPage: 0x40000n, order: 0 },
            { hostPage: 0x600n, domainPage: 0x40004n, order: 0 },
          ],
          new PhysicalMemory(),
        ),
    ).toThrow(expect.objectContaining({ code: "NK-DEV-040" }));
  });
});
