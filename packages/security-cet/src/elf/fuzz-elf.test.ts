import { isNovakitError, SeededRandom } from "@novakit/kernel-core";
import { describe, expect, it } from "vitest";
import { analyzeCetBytes } from "./analyze-cet-elf.js";
import type { Elf64File } from "./elf-types.js";
import { parseElf64 } from "./parse-elf64.js";
import { fixture, fixtureNames, view } from "./test-support/elf-fixtures.js";

const MUTATIONS = 10_000;
const SEED = 0xce7_2026;

/** where the structures of a fixture are, so mutations hit fields rather than only code bytes */
interface Layout {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly sectionHeaders: readonly number[];
  readonly programHeaders: readonly number[];
  readonly symbols: readonly number[];
  readonly relocations: readonly number[];
  readonly notes: readonly number[];
}

function layoutOf(name: string): Layout {
  const bytes = fixture(name);
  const elf: Elf64File = parseElf64(bytes, name);
  return {
    name,
    bytes,
    sectionHeaders: elf.sections.map((section) => section.headerOffset),
    programHeaders: elf.segments.map((segment) => segment.headerOffset),
    symbols: [elf.symtab, elf.dynsym].flatMap((table) => table?.symbols.map((symbol) => symbol.entryOffset) ?? []),
    relocations: elf.relocationSections.flatMap((section) => section.relocations.map((relocation) => relocation.entryOffset)),
    notes: elf.notes.flatMap((group) => group.notes.flatMap((note) => [note.offset, note.descriptorOffset])),
  };
}

function mutate(layout: Layout, random: SeededRandom): Uint8Array {
  const pick = (n: number): number => (n <= 0 ? 0 : random.below(n));
  const choose = <T>(items: readonly T[], fallback: T): T => (items.length === 0 ? fallback : (items[pick(items.length)] ?? fallback));
  let bytes = layout.bytes.slice();
  const interesting32 = [0, 1, 2, 3, 4, 5, 7, 8, 9, 11, 12, 16, 17, 24, 32, 56, 64, 0xff, 0xffff, 0xfff1, 0xffffffff, bytes.length, bytes.length + 1, pick(0x1_0000_0000)];
  const interesting64 = [0n, 1n, 8n, 24n, 64n, BigInt(bytes.length), BigInt(bytes.length - 1), 0x7fff_ffff_ffff_ffffn, 0xffff_ffff_ffff_ffffn, BigInt(pick(0x1_0000_0000))];
  const set32 = (at: number) => at + 4 <= bytes.length && view(bytes).setUint32(at, choose(interesting32, 0) >>> 0, true);
  const set64 = (at: number) => at + 8 <= bytes.length && view(bytes).setBigUint64(at, choose(interesting64, 0n), true);
  switch (pick(8)) {
    case 0: // random bytes anywhere
      for (let flips = 1 + pick(8); flips > 0; flips--) bytes[pick(bytes.length)] = pick(256);
      break;
    case 1: // truncation
      bytes = bytes.slice(0, pick(bytes.length));
      break;
    case 2: {
      // ELF header fields: class/data/version bytes, sizes, counts, table offsets
      const field = choose([4, 5, 6, 16, 18, 20, 32, 40, 52, 54, 56, 58, 60, 62], 40);
      if (field < 16) bytes[field] = pick(4);
      else if (field === 32 || field === 40) set64(field);
      else if (field === 20) set32(field);
      else view(bytes).setUint16(field, choose(interesting32, 0) & 0xffff, true);
      break;
    }
    case 3: {
      // one section header field
      const header = choose(layout.sectionHeaders, 0);
      const field = choose([0, 4, 8, 24, 32, 40, 44, 48, 56], 4);
      if (field === 0 || field === 4 || field === 40 || field === 44) set32(header + field);
      else set64(header + field);
      break;
    }
    case 4: {
      // a note header or property word
      const at = choose(layout.notes, 0) + 4 * pick(6);
      set32(at);
      break;
    }
    case 5: {
      // a symbol: st_name, st_info/st_other/st_shndx, st_value
      const entry = choose(layout.symbols, 0);
      const part = pick(4);
      if (part === 0) set32(entry);
      else if (part === 1) bytes[entry + 4] = pick(256);
      else if (part === 2 && entry + 8 <= bytes.length) view(bytes).setUint16(entry + 6, choose(interesting32, 0) & 0xffff, true);
      else set64(entry + 8);
      break;
    }
    case 6: {
      // a relocation: r_offset, r_info (symbol and type), r_addend
      const entry = choose(layout.relocations, 0);
      const part = pick(3);
      if (part === 1) set32(entry + 8 + 4 * pick(2));
      else set64(entry + 8 * part);
      break;
    }
    default: {
      // a program header field
      const header = choose(layout.programHeaders, 52);
      const field = choose([0, 4, 8, 16, 32, 40, 48], 0);
      if (field < 8) set32(header + field);
      else set64(header + field);
      break;
    }
  }
  return bytes;
}

describe("ELF reader and CET analysis under mutation", () => {
  it(`gives an analysis or a NovakitError for ${MUTATIONS} seeded mutations of the gcc fixtures, never another exception`, () => {
    const layouts = fixtureNames().map(layoutOf);
    const random = new SeededRandom(SEED);
    const outcomes = new Map<string, number>();
    for (let i = 0; i < MUTATIONS; i++) {
      const layout = layouts[i % layouts.length]!;
      const bytes = mutate(layout, random);
      const file = `mutation-${i}-${layout.name}`;
      let outcome: string;
      try {
        const analysis = analyzeCetBytes(bytes, file);
        expect(analysis.verdicts).toHaveLength(4);
        outcome = "analysed";
      } catch (error) {
        if (!isNovakitError(error)) throw new Error(`${file}: ${error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error)}`);
        expect(error.location.file).toBe(file);
        outcome = error.code;
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    console.info(`ELF fuzz: ${MUTATIONS} mutations -> ${[...outcomes].sort().map(([key, count]) => `${key} ${count}`).join(", ")}`);
    expect([...outcomes.values()].reduce((sum, count) => sum + count, 0)).toBe(MUTATIONS);
    // the mutations reach deep: many analyse fully, and the structural checks all fire
    expect(outcomes.get("analysed") ?? 0).toBeGreaterThan(1000);
    for (const code of ["NK-ELF-001", "NK-ELF-002", "NK-ELF-003", "NK-ELF-004", "NK-ELF-009", "NK-ELF-010", "NK-ELF-011", "NK-ELF-012", "NK-ELF-013", "NK-ELF-014", "NK-ELF-015", "NK-ELF-016", "NK-ELF-017"]) {
      expect(outcomes.get(code) ?? 0, code).toBeGreaterThan(0);
    }
  });
});
