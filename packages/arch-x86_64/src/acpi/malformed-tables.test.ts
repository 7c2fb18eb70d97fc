import { NovakitError } from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";
import { fixChecksum, makeTable, qemuTable, withU32 } from "../test-support/fixtures.js";
import { parseFadt } from "./fadt.js";
import { parseFacs } from "./facs.js";
import { parseMadt } from "./madt.js";
import { parseMcfg } from "./mcfg.js";
import { parseRsdt, parseXsdt } from "./root-tables.js";
import { parseRsdp, rootTableOf } from "./rsdp.js";
import { parseSdtHeader } from "./sdt-header.js";
import { parseTpm2, tpm2InterfaceAddress } from "./tpm2.js";

function captured(action: () => unknown): NovakitError {
  try {
    action();
  } catch (error) {
    if (error instanceof NovakitError) return error;
    throw error;
  }
  throw new Error("expected a NovakitError");
}

/** An ACPI 2.0 RSDP with both checksums right. */
function rsdpV2(xsdt: bigint): Uint8Array {
  const bytes = new Uint8Array(36);
  bytes.set([..."RSD PTR "].map((c) => c.charCodeAt(0)), 0);
  bytes.set([..."NOVAKT"].map((c) => c.charCodeAt(0)), 9);
  bytes[15] = 2;
  const view = new DataView(bytes.buffer);
  view.setUint32(16, 0x1000, true);
  view.setUint32(20, 36, true);
  view.setBigUint64(24, xsdt, true);
  let sum = 0;
  for (let i = 0; i < 20; i++) sum += bytes[i] ?? 0;
  bytes[8] = (0x100 - (sum & 0xff)) & 0xff;
  sum = 0;
  for (let i = 0; i < 36; i++) sum += bytes[i] ?? 0;
  bytes[32] = (0x100 - (sum & 0xff)) & 0xff;
  return bytes;
}

describe("SDT header checks", () => {
  it("rejects a checksum failure naming table, offset and field", () => {
    const bytes = new Uint8Array(qemuTable("APIC"));
    bytes[50] = (bytes[50] ?? 0) ^ 0x01;
    const error = captured(() => parseMadt(bytes, "APIC.bin"));
    expect(error.code).toBe("NK-ACPI-004");
    expect(error.location).toEqual({ file: "APIC.bin", offset: 9, field: "APIC.checksum" });
  });

  it("rejects a length field below 36 and beyond the data", () => {
    expect(captured(() => parseSdtHeader(withU32(qemuTable("MCFG"), 4, 20), { file: "m" })).code).toBe("NK-ACPI-002");
    const tooLong = captured(() => parseSdtHeader(withU32(qemuTable("MCFG"), 4, 61), { file: "m" }));
    expect(tooLong.code).toBe("NK-ACPI-003");
    expect(tooLong.location.field).toBe("MCFG.length");
  });

  it("rejects a truncated table (header cut short)", () => {
    const error = captured(() => parseFadt(qemuTable("FACP").subarray(0, 6), "FACP.bin"));
    expect(error.code).toBe("NK-ACPI-001");
    expect(error.location.field).toBe("FACP.length");
  });

  it("rejects a table with another signature", () => {
    const error = captured(() => parseMadt(qemuTable("MCFG"), "x.bin"));
    expect(error.code).toBe("NK-ACPI-005");
    expect(error.location.field).toBe("APIC.signature");
  });

  it("an FADT shorter than the fields it must have is a truncation error, not a wrong value", () => {
    const short = fixChecksum(withU32(qemuTable("FACP").slice(0, 100), 4, 100));
    const error = captured(() => parseFadt(short, "FACP.bin"));
    expect(error.code).toBe("NK-ACPI-001");
    expect(error.location).toMatchObject({ offset: 112, field: "FACP.flags" });
  });

  it("an ACPI 1.0-sized FADT (116 bytes) parses without the 2.0 fields", () => {
    const v1 = fixChecksum(withU32(qemuTable("FACP").slice(0, 116), 4, 116));
    const fadt = parseFadt(v1, "FACP.bin");
    expect(fadt.resetRegister).toBeUndefined();
    expect(fadt.xDsdtAddress).toBeUndefined();
    expect(fadt.dsdtAddress).toBe(0x1ffe0040n);
  });
});

describe("RSDP", () => {
  it("rejects a bad signature and a bad v1 checksum", () => {
    const bad = new Uint8Array(qemuTable("RSDP"));
    bad[0] = 0x58;
    expect(captured(() => parseRsdp(bad, "r")).code).toBe("NK-ACPI-006");
    const sum = new Uint8Array(qemuTable("RSDP"));
    sum[16] = (sum[16] ?? 0) + 1;
    expect(captured(() => parseRsdp(sum, "r")).code).toBe("NK-ACPI-007");
    expect(captured(() => parseRsdp(qemuTable("RSDP").subarray(0, 19), "r")).code).toBe("NK-ACPI-001");
  });

  it("revision 2: extended checksum, length and XSDT preference", () => {
    const good = rsdpV2(0x2000n);
    const rsdp = parseRsdp(good, "r");
    expect(rootTableOf(rsdp)).toEqual({ signature: "XSDT", address: 0x2000n });
    expect(rootTableOf(parseRsdp(rsdpV2(0n), "r"))).toEqual({ signature: "RSDT", address: 0x1000n });
    const broken = new Uint8Array(good);
    broken[30] = 1;
    expect(captured(() => parseRsdp(broken, "r")).code).toBe("NK-ACPI-008");
    const shortLength = new Uint8Array(good);
    shortLength[20] = 24; // keep the v1 checksum valid: byte 20 is outside the first 20 bytes
    expect(captured(() => parseRsdp(shortLength, "r")).code).toBe("NK-ACPI-009");
  });
});

describe("RSDT / XSDT", () => {
  it("XSDT entries are 64-bit and only 4-byte aligned", () => {
    const xsdt = parseXsdt(makeTable("XSDT", 1, [0x10, 0, 0, 0, 1, 0, 0, 0, 0x20, 0, 0, 0, 0, 0, 0, 0]), "x");
    expect(xsdt.entries).toEqual([0x1_0000_0010n, 0x20n]);
  });

  it("rejects a partial entry", () => {
    const error = captured(() => parseRsdt(makeTable("RSDT", 1, [1, 2, 3, 4, 5, 6]), "r"));
    expect(error.code).toBe("NK-ACPI-010");
  });
});

describe("MADT subtables", () => {
  const header = [0, 0, 0xe0, 0xfe, 1, 0, 0, 0];

  it("reports unknown subtable types as unknown, with offset and length", () => {
    const madt = parseMadt(makeTable("APIC", 5, [...header, 0x0b, 4, 0, 0, 0x7f, 3, 9]), "m");
    expect(madt.entries).toEqual([
      { type: "unknown", subtype: 0x0b, offset: 44, length: 4 },
      { type: "unknown", subtype: 0x7f, offset: 48, length: 3 },
    ]);
  });

  it("a subtable length of 0 is an error, not an endless loop", () => {
    const error = captured(() => parseMadt(makeTable("APIC", 5, [...header, 0, 0, 0, 0]), "m"));
    expect(error.code).toBe("NK-ACPI-011");
    expect(error.location).toEqual({ file: "m", offset: 45, field: "APIC.entries[0].length" });
  });

  it("a subtable shorter than its type needs is an error", () => {
    const error = captured(() => parseMadt(makeTable("APIC", 5, [...header, 1, 8, 0, 0, 0, 0, 0, 0]), "m"));
    expect(error.code).toBe("NK-ACPI-011");
  });

  it("a subtable past the end of the table is an error", () => {
    const error = captured(() => parseMadt(makeTable("APIC", 5, [...header, 0, 8, 0, 0, 1, 0, 0, 0, 9, 16, 0, 0]), "m"));
    expect(error.code).toBe("NK-ACPI-012");
    expect(error.location.field).toBe("APIC.entries[1].length");
  });

  it("decodes x2APIC, x2APIC NMI, NMI source and LAPIC address override", () => {
    const x2apic = [9, 16, 0, 0, 0x00, 0x01, 0, 0, 2, 0, 0, 0, 7, 0, 0, 0];
    const x2nmi = [0xa, 12, 0x0f, 0, 0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0];
    const nmiSource = [3, 8, 0x0d, 0, 2, 0, 0, 0];
    const override = [5, 12, 0, 0, 0, 0, 0xe0, 0xfe, 1, 0, 0, 0];
    const madt = parseMadt(makeTable("APIC", 5, [...header, ...x2apic, ...x2nmi, ...nmiSource, ...override]), "m");
    expect(madt.entries[0]).toEqual({ type: "x2apic", offset: 44, length: 16, x2apicId: 0x100, flags: 2, enabled: false, onlineCapable: true, processorUid: 7 });
    expect(madt.entries[1]).toMatchObject({ type: "x2apic-nmi", processorUid: 0xffffffff, lint: 1, polarity: "active-low", trigger: "level" });
    expect(madt.entries[2]).toMatchObject({ type: "nmi-source", gsi: 2, polarity: "active-high", trigger: "level" });
    expect(madt.localApicAddress).toBe(0x1_fee0_0000n);
    expect(madt.localApicAddress32).toBe(0xfee00000);
  });
});

describe("MCFG, FACS, TPM2", () => {
  it("MCFG: partial entry and inverted bus range", () => {
    expect(captured(() => parseMcfg(makeTable("MCFG", 1, [0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3]), "m")).code).toBe("NK-ACPI-013");
    const entry = [0, 0, 0, 0xe0, 0, 0, 0, 0, 0, 0, 9, 3, 0, 0, 0, 0];
    const error = captured(() => parseMcfg(makeTable("MCFG", 1, [0, 0, 0, 0, 0, 0, 0, 0, ...entry]), "m"));
    expect(error.code).toBe("NK-ACPI-014");
    expect(error.location).toMatchObject({ offset: 54, field: "MCFG.allocations[0].startBus" });
  });

  it("FACS: length checks", () => {
    const facs = new Uint8Array(64);
    facs.set([0x46, 0x41, 0x43, 0x53, 64], 0);
    facs[32] = 2;
    expect(parseFacs(facs, "f").version).toBe(2);
    facs[4] = 32;
    expect(captured(() => parseFacs(facs, "f")).code).toBe("NK-ACPI-021");
  });

  it("TPM2: start method to interface; TIS at the fixed address; unknown methods not guessed", () => {
    const body = (method: number, control: number): number[] => {
      const bytes = new Uint8Array(16);
      const view = new DataView(bytes.buffer);
      view.setBigUint64(4, BigInt(control), true);
      view.setUint32(12, method, true);
      return [...bytes, ...new Array<number>(12).fill(0)];
    };
    const crb = parseTpm2(makeTable("TPM2", 4, body(7, 0xfed40040)), "t");
    expect(crb.interfaceName).toBe("crb");
    expect(tpm2InterfaceAddress(crb)).toBe(0xfed40040n);
    const tis = parseTpm2(makeTable("TPM2", 4, body(6, 0)), "t");
    expect(tis.interfaceName).toBe("tis");
    expect(tpm2InterfaceAddress(tis)).toBe(0xfed40000n);
    expect(parseTpm2(makeTable("TPM2", 4, body(9, 0)), "t").interfaceName).toBe("unknown");
    expect(captured(() => parseTpm2(makeTable("TPM2", 4, [0, 0, 0, 0]), "t")).code).toBe("NK-ACPI-001");
  });
});
