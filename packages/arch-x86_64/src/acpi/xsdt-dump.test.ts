import { describe, expect, it } from "vitest";
import { makeTable, qemuTable, toAcpidumpText } from "../test-support/fixtures.js";
import { parseAcpidumpText } from "./acpidump-text.js";

/** An ACPI 2.0 RSDP pointing at an XSDT, with both checksums right. */
function rsdpV2(rsdt: number, xsdt: bigint): Uint8Array {
  const bytes = new Uint8Array(36);
  bytes.set([..."RSD PTR "].map((c) => c.charCodeAt(0)), 0);
  bytes[15] = 2;
  const view = new DataView(bytes.buffer);
  view.setUint32(16, rsdt, true);
  view.setUint32(20, 36, true);
  view.setBigUint64(24, xsdt, true);
  const sum = (end: number): number => bytes.subarray(0, end).reduce((total, byte) => (total + byte) & 0xff, 0);
  bytes[8] = (0x100 - sum(20)) & 0xff;
  bytes[32] = (0x100 - sum(36)) & 0xff;
  return bytes;
}

describe("an acpidump with an ACPI 2.0 RSDP", () => {
  it("prefers the XSDT and fills its address from the RSDP", () => {
    const xsdtBody = new Uint8Array(8);
    new DataView(xsdtBody.buffer).setBigUint64(0, 0x7ff0_1000n, true);
    const text = toAcpidumpText([
      { label: "RSD PTR", address: 0xf05b0n, bytes: rsdpV2(0x7ff0_0000, 0x1_7ff0_2000n) },
      { label: "XSDT", address: 0n, bytes: makeTable("XSDT", 1, [...xsdtBody]) },
      { label: "APIC", address: 0x7ff0_1000n, bytes: qemuTable("APIC") },
    ]);
    const set = parseAcpidumpText(text, "synthetic.txt");
    expect(set.rootTable).toBe("XSDT");
    expect(set.rsdpAddress).toBe(0xf05b0n);
    expect(set.find("XSDT")?.address).toBe(0x1_7ff0_2000n);
    expect(set.find("APIC")?.address).toBe(0x7ff0_1000n);
    expect(set.find("RSD PTR ")?.revision).toBe(2);
  });
});
