import { describe, expect, it } from "vitest";
import { parseTpm2 } from "./tpm2.js";

/** A TPM2 table of the given revision with bytes 36..39 set to 0xAA (reserved in revision 3). */
function tpm2Table(revision: number): Uint8Array {
  const bytes = new Uint8Array(52);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode("TPM2"), 0);
  view.setUint32(4, bytes.length, true);
  bytes[8] = revision;
  bytes.fill(0xaa, 36, 40);
  view.setBigUint64(40, 0xfed40040n, true);
  view.setUint32(48, 7, true);
  const sum = bytes.reduce((total, byte) => total + byte, 0);
  bytes[9] = (256 - (sum % 256)) % 256;
  return bytes;
}

describe("TPM2 layouts by revision (ACPICA acpi_table_tpm23 / acpi_table_tpm2)", () => {
  it("revision 3 has a reserved word at 36: no platform class is read", () => {
    const tpm2 = parseTpm2(tpm2Table(3), "tpm2-rev3.bin");
    expect(tpm2.platformClass).toBeUndefined();
    expect(tpm2.controlAreaAddress).toBe(0xfed40040n);
    expect(tpm2.interfaceName).toBe("crb");
  });

  it("revision 4 has the platform class u16 at 36", () => {
    expect(parseTpm2(tpm2Table(4), "tpm2-rev4.bin").platformClass).toBe(0xaaaa);
  });
});
