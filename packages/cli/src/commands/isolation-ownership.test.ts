import { describe, expect, it } from "vitest";
import { merge, ownersOf, type OwnedSegment } from "./isolation-ownership.js";

describe("frame ownership helpers of check --isolation", () => {
  it("merge sorts and coalesces touching and overlapping runs", () => {
    expect(merge([{ start: 10n, end: 12n }, { start: 0n, end: 4n }, { start: 4n, end: 6n }, { start: 11n, end: 15n }])).toEqual([
      { start: 0n, end: 6n },
      { start: 10n, end: 15n },
    ]);
    expect(merge([])).toEqual([]);
  });

  it("ownersOf cuts a range at every owner boundary, nobody's gaps included", () => {
    const segments: OwnedSegment[] = [
      { start: 4n, end: 8n, owners: ["tenant-a"] },
      { start: 8n, end: 9n, owners: ["tenant-a", "tenant-b"] },
      { start: 12n, end: 20n, owners: ["kernel"] },
    ];
    expect(ownersOf(segments, 0n, 30n)).toEqual([
      { start: 0n, end: 4n, owners: [] },
      { start: 4n, end: 8n, owners: ["tenant-a"] },
      { start: 8n, end: 9n, owners: ["tenant-a", "tenant-b"] },
      { start: 9n, end: 12n, owners: [] },
      { start: 12n, end: 20n, owners: ["kernel"] },
      { start: 20n, end: 30n, owners: [] },
    ]);
    // a range inside one segment, and one that starts in the middle of another
    expect(ownersOf(segments, 5n, 6n)).toEqual([{ start: 5n, end: 6n, owners: ["tenant-a"] }]);
    expect(ownersOf(segments, 7n, 13n)).toEqual([
      { start: 7n, end: 8n, owners: ["tenant-a"] },
      { start: 8n, end: 9n, owners: ["tenant-a", "tenant-b"] },
      { start: 9n, end: 12n, owners: [] },
      { start: 12n, end: 13n, owners: ["kernel"] },
    ]);
    expect(ownersOf([], 1n, 2n)).toEqual([{ start: 1n, end: 2n, owners: [] }]);
  });
});
