import { describe, it } from "vitest";
import { sweepQ35Shard } from "./q35-sweep-shard.js";

describe("kernel memory exhaustion: q35 two-domain example, every allocation (shard 0 of 3)", () => {
  it("fails allocation k (k % 3 = 0) cleanly and leaks nothing", { timeout: 120_000 }, async () => {
    await sweepQ35Shard(0);
  });
});
