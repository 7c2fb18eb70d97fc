import { NovakitError } from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";
import { fixChecksum, qemuTable, xorshift32 } from "../test-support/fixtures.js";
import { AcpiTableSet } from "./acpi-table-set.js";
import { parseFadt } from "./fadt.js";
import { parseHpet } from "./hpet.js";
import { parseMadt } from "./madt.js";
import { parseMcfg } from "./mcfg.js";
import { parseRsdt } from "./root-tables.js";
import { parseRsdp } from "./rsdp.js";
import { parseSdtHeader } from "./sdt-header.js";

type Parser = (bytes: Uint8Array, file: string) => unknown;
const PARSERS: Readonly<Record<string, Parser>> = {
  RSDP: parseRsdp,
  RSDT: parseRsdt,
  FACP: parseFadt,
  APIC: parseMadt,
  MCFG: parseMcfg,
  HPET: parseHpet,
  DSDT: (bytes, file) => parseSdtHeader(bytes, { file }),
  IVRS: (bytes, file) => parseSdtHeader(bytes, { file, expectedSignature: "IVRS" }),
  WAET: (bytes, file) => parseSdtHeader(bytes, { file }),
};

const MUTATIONS = 2000;

/**
 * One random mutation: flip bytes, overwrite the length field, truncate or extend. Half of the
 * mutants get their checksum repaired so the parsers behind the checksum check are exercised.
 */
function mutate(original: Uint8Array, next: () => number): Uint8Array {
  let bytes: Uint8Array = new Uint8Array(original);
  switch (next() % 4) {
    case 0: {
      const flips = 1 + (next() % 4);
      for (let i = 0; i < flips; i++) bytes[next() % bytes.length] = next() & 0xff;
      break;
    }
    case 1:
      if (bytes.length >= 8) new DataView(bytes.buffer).setUint32(4, next() % (bytes.length + 64), true);
      break;
    case 2:
      bytes = bytes.slice(0, next() % bytes.length);
      break;
    default: {
      const extended = new Uint8Array(bytes.length + 1 + (next() % 32));
      extended.set(bytes);
      for (let i = bytes.length; i < extended.length; i++) extended[i] = next() & 0xff;
      bytes = extended;
    }
  }
  if (bytes.length > 10 && next() % 2 === 0) {
    const declared = new DataView(bytes.buffer).getUint32(4, true);
    bytes = fixChecksum(bytes, 9, Math.min(declared, bytes.length));
  }
  return bytes;
}

describe("random mutations of every QEMU table give only NovakitErrors", () => {
  for (const [name, parse] of Object.entries(PARSERS)) {
    it(`${name}: ${MUTATIONS} mutations`, () => {
      const original = qemuTable(name === "FACP" ? "FACP" : name);
      const next = xorshift32(0x5eed + name.charCodeAt(0) * 31 + name.charCodeAt(1));
      let rejected = 0;
      let accepted = 0;
      for (let i = 0; i < MUTATIONS; i++) {
        const mutant = mutate(original, next);
        for (const action of [() => parse(mutant, name), () => AcpiTableSet.fromRaw([{ label: name === "RSDP" ? "RSD PTR" : name, address: 0n, bytes: mutant, source: name }], name)]) {
          try {
            action();
            accepted++;
          } catch (error) {
            if (!(error instanceof NovakitError)) throw new Error(`${name} mutation ${i} threw ${String(error)}`);
            expect(error.code).toMatch(/^NK-ACPI-\d{3}$/);
            rejected++;
          }
        }
      }
      expect(rejected + accepted).toBe(MUTATIONS * 2);
      expect(rejected).toBeGreaterThan(0);
    });
  }
});
