import { NovakitError } from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";
import { buildBlob, minimalTree, StructureWriter, Token } from "../test-support/fdt-builder.js";
import { fixtureBytes } from "../test-support/fixtures.js";
import { parseFdt } from "./fdt-parse.js";
import { cellsOf, findProperty, interruptParentOf, regOf, requireNode, stringListOf, u32Of, u64Of } from "./fdt-values.js";

function failure(action: () => unknown): NovakitError {
  try {
    action();
  } catch (error) {
    if (error instanceof NovakitError) return error;
    throw error;
  }
  throw new Error("expected a NovakitError");
}

describe("FDT header and blocks (platform.md §1.1)", () => {
  it("reads the headers of the three QEMU virt blobs (packed by dtc)", () => {
    const gicv2 = parseFdt(fixtureBytes("qemu-virt-gicv2-el2.dtb"), "gicv2");
    expect(gicv2.header).toEqual({
      magic: 0xd00dfeed,
      totalSize: 7940,
      structOffset: 0x38,
      stringsOffset: 0x1d44,
      reservationMapOffset: 0x28,
      version: 17,
      lastCompatibleVersion: 16,
      bootCpuIdPhys: 0,
      stringsSize: 0x1c0,
      structSize: 0x1d0c,
    });
    expect(gicv2.reservations).toEqual([]);
    expect(gicv2.nodesByPath.size).toBe(62);
    const smmu = parseFdt(fixtureBytes("qemu-virt-gicv3-smmuv3.dtb"), "smmu");
    expect(smmu.header).toMatchObject({ totalSize: 7941, stringsSize: 0x209, structSize: 0x1cc4 });
  });

  it("decodes nodes, properties and phandles", () => {
    const tree = parseFdt(fixtureBytes("qemu-virt-gicv3-el2.dtb"), "gicv3");
    expect(tree.root.path).toBe("/");
    const intc = requireNode(tree, "/intc@8000000");
    expect(intc.children.map((child) => child.path)).toEqual(["/intc@8000000/its@8080000"]);
    expect(regOf(tree, intc)).toEqual([
      { address: 0x800_0000n, size: 0x1_0000n },
      { address: 0x80a_0000n, size: 0xf6_0000n },
    ]);
    expect(tree.nodesByPhandle.get(0x8005)).toBe(intc);
    const psci = requireNode(tree, "/psci");
    expect(stringListOf(tree, psci, findProperty(psci, "compatible")!)).toEqual(["arm,psci-1.0", "arm,psci-0.2", "arm,psci"]);
    expect(u32Of(tree, psci, findProperty(psci, "cpu_on")!)).toBe(0xc400_0003);
    const pl011 = requireNode(tree, "/pl011@9000000");
    expect(interruptParentOf(tree, pl011)).toBe(intc);
    const cpu1 = requireNode(tree, "/cpus/cpu@1");
    // /cpus has #address-cells 1, #size-cells 0: reg is one address cell
    expect(cellsOf(tree, cpu1, findProperty(cpu1, "reg")!)).toEqual([1]);
    const pcie = requireNode(tree, "/pcie@10000000");
    expect(regOf(tree, pcie)).toEqual([{ address: 0x40_1000_0000n, size: 0x1000_0000n }]);
    expect(u64Of(tree, pcie, findProperty(pcie, "linux,pci-domain")!)).toBe(0n);
  });

  it("reads a reservation map and NOPs", () => {
    const writer = new StructureWriter().raw(Token.NOP).begin("").raw(Token.NOP).prop("a", [1]).end().raw(Token.NOP).finish();
    const tree = parseFdt(buildBlob(writer, { reservations: [[0x4800_0000n, 0x1000n]] }), "t.dtb");
    expect(tree.reservations).toEqual([{ address: 0x4800_0000n, size: 0x1000n }]);
    expect(tree.root.properties.map((property) => property.name)).toEqual(["a"]);
  });

  const cases: readonly [string, string, () => Uint8Array][] = [
    ["a blob shorter than the header", "NK-FDT-001", () => buildBlob(minimalTree()).slice(0, 39)],
    ["a bad magic", "NK-FDT-002", () => buildBlob(minimalTree(), { headerOverrides: { 0: 0xfeedd00d } })],
    ["version 16", "NK-FDT-003", () => buildBlob(minimalTree(), { headerOverrides: { 0x14: 16 } })],
    ["last_comp_version 18", "NK-FDT-003", () => buildBlob(minimalTree(), { headerOverrides: { 0x18: 18 } })],
    ["totalsize beyond the data", "NK-FDT-004", () => buildBlob(minimalTree(), { headerOverrides: { 4: 0x10000 } })],
    ["a structure block beyond totalsize", "NK-FDT-005", () => buildBlob(minimalTree(), { headerOverrides: { 0x24: 0x10000 } })],
    ["a strings block inside the header", "NK-FDT-005", () => buildBlob(minimalTree(), { headerOverrides: { 0x0c: 0x10 } })],
    ["a misaligned reservation map", "NK-FDT-006", () => buildBlob(minimalTree(), { headerOverrides: { 0x10: 0x2c } })],
    ["an unterminated reservation map", "NK-FDT-007", () => buildBlob(minimalTree(), { reservations: [[1n, 2n]], terminateReservations: false })],
    ["a reservation map running into the structure block", "NK-FDT-007", () => buildBlob(minimalTree(), { headerOverrides: { 0x10: 0x30 } })],
    ["an unknown token", "NK-FDT-008", () => buildBlob(new StructureWriter().begin("").raw(7).end().finish())],
    ["a structure without FDT_END", "NK-FDT-009", () => buildBlob(new StructureWriter().begin("").end())],
    ["a property running past the block", "NK-FDT-009", () => {
      const writer = new StructureWriter();
      return buildBlob(writer.begin("").raw(Token.PROP, 400, writer.nameOffset("x")).end().finish());
    }],
    ["no root node", "NK-FDT-010", () => buildBlob(new StructureWriter().finish())],
    ["two root nodes", "NK-FDT-010", () => buildBlob(new StructureWriter().begin("").end().begin("").end().finish())],
    ["FDT_END inside a node", "NK-FDT-010", () => buildBlob(new StructureWriter().begin("").begin("a").finish())],
    ["a nameoff outside the strings block", "NK-FDT-011", () => buildBlob(new StructureWriter().begin("").prop("x", [1], 0x999).end().finish())],
    ["an empty child name", "NK-FDT-012", () => buildBlob(new StructureWriter().begin("").begin("").end().end().finish())],
    ["a named root", "NK-FDT-012", () => buildBlob(new StructureWriter().begin("root").end().finish())],
    ["a short phandle", "NK-FDT-013", () => buildBlob(new StructureWriter().begin("").prop("phandle", Uint8Array.of(0, 1)).end().finish())],
    ["a duplicate property", "NK-FDT-015", () => buildBlob(new StructureWriter().begin("").prop("a", [1]).prop("a", [2]).end().finish())],
    ["a duplicate child", "NK-FDT-015", () => buildBlob(new StructureWriter().begin("").begin("n").end().begin("n").end().end().finish())],
    ["a duplicate phandle", "NK-FDT-015", () => buildBlob(new StructureWriter().begin("").begin("a").prop("phandle", [5]).end().begin("b").prop("phandle", [5]).end().end().finish())],
    ["a property after a child node", "NK-FDT-017", () => buildBlob(new StructureWriter().begin("").begin("a").end().prop("late", [1]).end().finish())],
  ];
  for (const [what, code, blob] of cases) {
    it(`rejects ${what} with ${code}, naming file and offset`, () => {
      const error = failure(() => parseFdt(blob(), "bad.dtb"));
      expect(error.code).toBe(code);
      expect(error.location.file).toBe("bad.dtb");
      expect(error.location.offset).toBeTypeOf("number");
    });
  }

  it("names the node path in structure errors", () => {
    const error = failure(() => parseFdt(buildBlob(new StructureWriter().begin("").begin("soc").begin("uart@1").raw(0x77).end().end().end().finish()), "p.dtb"));
    expect(error).toMatchObject({ code: "NK-FDT-008", location: { file: "p.dtb", field: "/soc/uart@1" } });
    expect(error.describe()).toContain("p.dtb: offset 0x");
  });

  it("checks value shapes: reg tuples, cells, strings, phandle references", () => {
    const writer = new StructureWriter()
      .begin("")
      .prop("#address-cells", [2])
      .prop("#size-cells", [1])
      .prop("interrupt-parent", [0x42])
      .begin("dev@0")
      .prop("reg", [0, 0x1000, 0x100, 0])
      .prop("odd", Uint8Array.of(1, 2, 3))
      .prop("unterminated", Uint8Array.of(0x41, 0x42))
      .end()
      .end()
      .finish();
    const tree = parseFdt(buildBlob(writer), "v.dtb");
    const dev = requireNode(tree, "/dev@0");
    expect(failure(() => regOf(tree, dev)).code).toBe("NK-FDT-013");
    expect(failure(() => cellsOf(tree, dev, findProperty(dev, "odd")!)).code).toBe("NK-FDT-013");
    expect(failure(() => stringListOf(tree, dev, findProperty(dev, "unterminated")!)).code).toBe("NK-FDT-013");
    expect(failure(() => interruptParentOf(tree, dev)).code).toBe("NK-FDT-016");
    expect(failure(() => requireNode(tree, "/cpus")).code).toBe("NK-FDT-014");
  });
});
