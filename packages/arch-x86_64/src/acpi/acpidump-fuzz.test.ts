import { NovakitError } from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";
import { qemuTable, toAcpidumpText, xorshift32 } from "../test-support/fixtures.js";
import { parseAcpidumpText } from "./acpidump-text.js";

const NAMES = ["RSDP", "RSDT", "FACP", "APIC", "HPET", "MCFG", "IVRS", "WAET"] as const;
const MUTATIONS = 600;

describe("random corruptions of acpidump text give only NovakitErrors", () => {
  it(`${MUTATIONS} corrupted dumps of the QEMU tables`, () => {
    const text = toAcpidumpText(NAMES.map((name) => ({ label: name === "RSDP" ? "RSD PTR" : name, address: 0n, bytes: qemuTable(name) })));
    expect(parseAcpidumpText(text, "qemu.txt").tables).toHaveLength(NAMES.length);
    const next = xorshift32(0xacd);
    const alphabet = "0123456789ABCDEF :@x\n\r\tZ.";
    let rejected = 0;
    for (let i = 0; i < MUTATIONS; i++) {
      const characters = [...text];
      const edits = 1 + (next() % 3);
      for (let e = 0; e < edits; e++) {
        const at = next() % characters.length;
        const kind = next() % 3;
        const replacement = alphabet[next() % alphabet.length] ?? " ";
        if (kind === 0) characters[at] = replacement;
        else if (kind === 1) characters.splice(at, 1);
        else characters.splice(at, 0, replacement);
      }
      try {
        parseAcpidumpText(characters.join(""), "qemu.txt");
      } catch (error) {
        if (!(error instanceof NovakitError)) throw new Error(`mutation ${i} threw ${String(error)}`);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(MUTATIONS / 2);
  });
});
