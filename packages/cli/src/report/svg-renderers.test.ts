import { describe, expect, it } from "vitest";
import type { CapabilityGraph, MemoryMapSpace } from "./report-model.js";
import { capabilityGraphSvg } from "./svg-capability-graph.js";
import { faultTimelineSvg } from "./svg-fault-timeline.js";
import { memoryMapSvg } from "./svg-memory-map.js";

const MiB = 1n << 20n;

describe("capabilityGraphSvg", () => {
  const graph: CapabilityGraph = {
    pds: [
      { id: 1, name: "NOVA", role: "nova", capabilities: 10 },
      { id: 2, name: "root", role: "root", capabilities: 5 },
      { id: 3, name: "<evil>", role: "domain", capabilities: 1 },
    ],
    objectGroups: [{ ownerPd: 3, type: "EC", subtype: "EC_GLOBAL", ids: [7, 9] }],
    delegations: [
      { sourcePd: 2, destinationPd: 3, kind: "OBJ", count: 2, items: 2n, masks: 0x1f },
      { sourcePd: 1, destinationPd: 3, kind: "HST", count: 8, items: 4096n, masks: 7 },
      { sourcePd: 3, destinationPd: 3, kind: "OBJ", count: 1, items: 1n, masks: 3 },
      // a PD that is gone: in the table, not drawn
      { sourcePd: 2, destinationPd: 99, kind: "OBJ", count: 1, items: 1n, masks: 3 },
    ],
    holdings: [],
  };
  const svg = capabilityGraphSvg(graph);

  it("draws one node per PD, one group per owned subtype and one arc per delegation between live PDs", () => {
    expect(svg.match(/<g class="pd-node /g)).toHaveLength(3);
    expect(svg.match(/<g class="object-group /g)).toHaveLength(1);
    expect(svg).toContain("EC_GLOBAL ×2");
    expect(svg.match(/<path class="delegation /g)).toHaveLength(3);
    expect(svg).not.toContain('data-destination="99"');
    expect(svg).toContain('marker-end="url(#arrow-HST)"');
  });

  it("escapes names", () => {
    expect(svg).toContain("&lt;evil&gt;");
    expect(svg).not.toContain("<evil>");
  });

  it("places arcs above the baseline of the PD boxes, the longer jump higher", () => {
    const apex = (kind: string, source: number): number => {
      const match = new RegExp(`data-source="${source}" data-destination="3" data-kind="${kind}" d="M[\\d.]+,([\\d.]+) C[\\d.]+,([\\d.]+)`).exec(svg);
      return Number(match?.[1]) - Number(match?.[2]);
    };
    expect(apex("HST", 1)).toBeGreaterThan(apex("OBJ", 2));
    expect(apex("OBJ", 2)).toBeGreaterThan(0);
  });
});

describe("memoryMapSvg", () => {
  const space: MemoryMapSpace = {
    spaceId: 5,
    kind: "GST",
    format: "x86_64-npt-4level",
    inputBits: 48,
    regions: [
      { start: 0x40000000n, end: 0x40000000n + 48n * MiB, outputStart: 0n, outputContiguous: true, permissions: 3, leavesByOrder: { 9: 24 } },
      { start: 0x40000000n + 56n * MiB, end: 0x40000000n + 64n * MiB, outputStart: 0n, outputContiguous: true, permissions: 1, leavesByOrder: { 9: 4 } },
    ],
    mappedBytes: 56n * MiB,
  };
  const svg = memoryMapSvg(space);
  const rects = [...svg.matchAll(/<g class="region ([a-z-]+)"><title>[^<]*<\/title><rect x="([\d.]+)" y="(\d+)" width="([\d.]+)"/g)].map((match) => ({
    tone: match[1],
    x: Number(match[2]),
    y: Number(match[3]),
    width: Number(match[4]),
  }));

  it("draws each region on the overview (tiny, at least 1 px) and on one zoom strip to scale", () => {
    expect(rects).toHaveLength(4);
    const [overviewA, overviewB, zoomA, zoomB] = rects;
    expect(overviewA?.width).toBe(1);
    expect(overviewB?.width).toBe(1);
    // the strip shows [1 GiB, 1 GiB + 64 MiB): 48 MiB is 3/4 of 880 px, the last 8 MiB 1/8
    expect(zoomA).toMatchObject({ tone: "perm-rw", x: 0, width: 660 });
    expect(zoomB).toMatchObject({ tone: "perm-r", x: 770, width: 110 });
    expect(svg).toContain("zoom 1: 64 MiB window, linear");
  });

  it("numbers each zoom strip's place under the overview, markers at least 14 px apart", () => {
    const far = memoryMapSvg({
      ...space,
      regions: [space.regions[0]!, { start: 1n << 40n, end: (1n << 40n) + MiB, outputStart: 0n, outputContiguous: true, permissions: 3, leavesByOrder: { 0: 256 } }],
    });
    const marks = [...far.matchAll(/<path class="zoom-mark" d="M([\d.]+),/g)].map((match) => Number(match[1]));
    expect(marks).toHaveLength(2);
    // both clusters lie in the first 1/256 of a 48-bit space, 3.4 px apart at scale: the second is nudged
    expect(marks[1]! - marks[0]!).toBeGreaterThanOrEqual(14);
    expect(far).toContain("zoom 2: 1 MiB window, linear");
  });

  it("draws an empty space as a bare bar", () => {
    const empty = memoryMapSvg({ ...space, regions: [], mappedBytes: 0n });
    expect(empty).not.toContain('class="region');
    expect(empty).toContain("0 mapped region(s)");
  });
});

describe("faultTimelineSvg", () => {
  it("gives each source a lane and bins its faults per pixel column, reads above writes", () => {
    const fault = (timeNs: number, access: "read" | "write", device = "0000:00:04.0") => ({ timeNs, kind: "dma", cpu: undefined, device, domain: "b (PD 3)", address: 0n, access, detail: "" });
    const svg = faultTimelineSvg({ simulatedNs: 1000, faults: [fault(0, "read"), fault(1, "read"), fault(500, "write"), fault(999, "write", "0000:00:06.0")] });
    expect(svg.match(/<g class="fault-lane"/g)).toHaveLength(2);
    expect(svg).toContain('data-lane="0000:00:04.0" data-faults="3"');
    // the two reads at 0 and 1 ns share the first pixel column
    expect(svg.match(/class="fault-read"/g)).toHaveLength(1);
    expect(svg.match(/class="fault-write"/g)).toHaveLength(2);
  });
});
