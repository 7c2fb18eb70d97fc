import { describe, expect, it } from "vitest";
import { PT_GNU_PROPERTY, SHT_NOTE, SHT_REL, SHT_RELA, SHT_SYMTAB, STT_FUNC } from "./elf-constants.js";
import type { Elf64File, ElfSection } from "./elf-types.js";
import { parseElf64 } from "./parse-elf64.js";
import { caught, fixture, fixtureNames, view } from "./test-support/elf-fixtures.js";

function sectionNamed(elf: Elf64File, name: string): ElfSection {
  const section = elf.sections.find((entry) => entry.name === name);
  if (section === undefined) throw new Error(`no section ${name}`);
  return section;
}

/** parse, patch with `edit` (given the parsed original), parse again and return the error */
function broken(name: string, edit: (bytes: Uint8Array, elf: Elf64File) => void) {
  const bytes = fixture(name);
  edit(bytes, parseElf64(fixture(name), name));
  return caught(() => parseElf64(bytes, name));
}

describe("parseElf64 on the gcc fixtures", () => {
  it("parses every committed fixture", () => {
    for (const name of fixtureNames()) expect(() => parseElf64(fixture(name), name), name).not.toThrow();
  });

  it("reads sections with names, as readelf -S shows them for cet-demo-full.o", () => {
    const elf = parseElf64(fixture("cet-demo-full.o"), "o");
    expect(elf.sections.map((section) => section.name)).toEqual([
      "",
      ".text",
      ".rela.text",
      ".data",
      ".bss",
      ".rodata",
      ".rela.rodata",
      ".data.rel.local",
      ".rela.data.rel.local",
      ".comment",
      ".note.GNU-stack",
      ".note.gnu.property",
      ".eh_frame",
      ".rela.eh_frame",
      ".symtab",
      ".strtab",
      ".shstrtab",
    ]);
    expect(sectionNamed(elf, ".symtab").type).toBe(SHT_SYMTAB);
    expect(sectionNamed(elf, ".note.gnu.property")).toMatchObject({ type: SHT_NOTE, addressAlign: 8n, fileSize: 32 });
  });

  it("reads the symbol table and relocations of an object", () => {
    const elf = parseElf64(fixture("cet-demo-full.o"), "o");
    const functions = elf.symtab?.symbols.filter((symbol) => symbol.type === STT_FUNC).map((symbol) => symbol.name);
    expect(functions?.sort()).toEqual(["add", "classify", "dispatch", "negate", "square", "twice"]);
    expect(elf.dynsym).toBeUndefined();
    const data = elf.relocationSections.find((entry) => entry.section.name === ".rela.data.rel.local");
    expect(data?.target?.name).toBe(".data.rel.local");
    // handlers[] = { square, negate }: two R_X86_64_64 against the .text section symbol
    expect(data?.relocations.map((relocation) => [relocation.offset, relocation.type, relocation.symbol?.name, relocation.addend])).toEqual([
      [0n, 1, "", 4n],
      [8n, 1, "", 14n],
    ]);
    const text = elf.relocationSections.find((entry) => entry.section.name === ".rela.text");
    expect(text?.relocations.map((relocation) => relocation.type)).toEqual([2, 2, 4]);
  });

  it("reads program headers, .dynsym and dynamic relocations of linked images", () => {
    const exe = parseElf64(fixture("cet-start-full.elf"), "exe");
    expect(exe.segments.filter((segment) => segment.type === PT_GNU_PROPERTY)).toHaveLength(1);
    expect(exe.gnuProperty?.source).toBe("PT_GNU_PROPERTY");
    const lib = parseElf64(fixture("cet-lib-full.so"), "so");
    expect(lib.dynsym?.symbols.map((symbol) => symbol.name)).toEqual(expect.arrayContaining(["lib_entry", "lib_other", "exported_pointer"]));
    expect(lib.relocationSections.map((entry) => entry.section.name).sort()).toEqual([".rela.dyn", ".rela.plt"]);
    expect(lib.relocationSections.every((entry) => entry.symbolTable?.section.name === ".dynsym")).toBe(true);
  });

  it("reads every note section (build-id, GNU property)", () => {
    const exe = parseElf64(fixture("cet-main-full-pie.elf"), "pie");
    const where = exe.notes.map((group) => group.where);
    expect(where).toEqual(expect.arrayContaining([".note.gnu.property", ".note.gnu.build-id", ".note.ABI-tag", "PT_GNU_PROPERTY"]));
    const buildId = exe.notes.find((group) => group.where === ".note.gnu.build-id")?.notes[0];
    expect(buildId).toMatchObject({ owner: "GNU", type: 3 });
    expect(buildId?.descriptor.length).toBe(20);
  });
});

describe("parseElf64 rejects malformed sections, symbols and relocations", () => {
  it("a section running past the end of the file is NK-ELF-010", () => {
    const error = broken("cet-demo-full.o", (bytes, elf) => view(bytes).setBigUint64(sectionNamed(elf, ".text").headerOffset + 32, 0x10_0000n, true));
    expect(error.code).toBe("NK-ELF-010");
    expect(error.location.field).toBe("section[1].sh_offset");
  });

  it("a section name outside .shstrtab, or without NUL, is NK-ELF-012", () => {
    expect(broken("cet-demo-full.o", (bytes, elf) => view(bytes).setUint32(sectionNamed(elf, ".text").headerOffset, 0xffff, true)).code).toBe("NK-ELF-012");
    const error = broken("cet-demo-full.o", (bytes, elf) => {
      const names = sectionNamed(elf, ".shstrtab");
      bytes.fill(0x41, names.offset, names.offset + names.fileSize);
    });
    expect(error.code).toBe("NK-ELF-012");
    expect(error.message).toContain("no terminating NUL");
  });

  it("a symbol table with the wrong entry size, sh_info or st_shndx is NK-ELF-013", () => {
    expect(broken("cet-demo-full.o", (bytes, elf) => view(bytes).setBigUint64(sectionNamed(elf, ".symtab").headerOffset + 56, 16n, true)).code).toBe("NK-ELF-013");
    expect(broken("cet-demo-full.o", (bytes, elf) => view(bytes).setUint32(sectionNamed(elf, ".symtab").headerOffset + 44, 999, true)).location.field).toBe("section[14].sh_info");
    const error = broken("cet-demo-full.o", (bytes, elf) => {
      const table = sectionNamed(elf, ".symtab");
      view(bytes).setUint16(table.offset + 24 * 3 + 6, 0x200, true);
    });
    expect(error.code).toBe("NK-ELF-013");
    expect(error.location.field).toBe(".symtab[3].st_shndx");
  });

  it("a second SHT_SYMTAB is NK-ELF-013; a symtab linked to a non-string table is NK-ELF-011", () => {
    expect(broken("cet-demo-full.o", (bytes, elf) => view(bytes).setUint32(sectionNamed(elf, ".strtab").headerOffset + 4, SHT_SYMTAB, true)).message).toContain("a second SHT_SYMTAB");
    expect(broken("cet-demo-full.o", (bytes, elf) => view(bytes).setUint32(sectionNamed(elf, ".symtab").headerOffset + 40, 1, true)).code).toBe("NK-ELF-011");
  });

  it("a symbol name outside .strtab is NK-ELF-012", () => {
    const error = broken("cet-demo-full.o", (bytes, elf) => view(bytes).setUint32(sectionNamed(elf, ".symtab").offset + 24 * 2, 0x7fff, true));
    expect(error.code).toBe("NK-ELF-012");
    expect(error.location.field).toBe(".symtab[2].st_name");
  });

  it("relocation sections: wrong entry size, symbol index out of range, bad links", () => {
    expect(broken("cet-demo-full.o", (bytes, elf) => view(bytes).setBigUint64(sectionNamed(elf, ".rela.text").headerOffset + 56, 16n, true)).code).toBe("NK-ELF-014");
    const error = broken("cet-demo-full.o", (bytes, elf) => view(bytes).setUint32(sectionNamed(elf, ".rela.text").offset + 12, 5000, true));
    expect(error.code).toBe("NK-ELF-014");
    expect(error.location.field).toBe(".rela.text[0].r_info");
    expect(broken("cet-demo-full.o", (bytes, elf) => view(bytes).setUint32(sectionNamed(elf, ".rela.text").headerOffset + 40, 1, true)).code).toBe("NK-ELF-011");
    expect(broken("cet-demo-full.o", (bytes, elf) => view(bytes).setUint32(sectionNamed(elf, ".rela.text").headerOffset + 44, 77, true)).code).toBe("NK-ELF-011");
  });

  it("an SHT_REL section is NK-ELF-018 (x86-64 uses RELA only)", () => {
    const error = broken("cet-demo-full.o", (bytes, elf) => view(bytes).setUint32(sectionNamed(elf, ".rela.text").headerOffset + 4, SHT_REL, true));
    expect(error.code).toBe("NK-ELF-018");
    expect(SHT_RELA).toBe(4);
  });

  it("notes whose sizes overrun their section are NK-ELF-015", () => {
    const name = broken("cet-main-full-pie.elf", (bytes, elf) => view(bytes).setUint32(sectionNamed(elf, ".note.gnu.build-id").offset, 200, true));
    expect(name.code).toBe("NK-ELF-015");
    expect(name.location.field).toBe(".note.gnu.build-id.notes[0].n_namesz");
    const desc = broken("cet-main-full-pie.elf", (bytes, elf) => view(bytes).setUint32(sectionNamed(elf, ".note.gnu.build-id").offset + 4, 21, true));
    expect(desc.location.field).toBe(".note.gnu.build-id.notes[0].n_descsz");
    const align = broken("cet-main-full-pie.elf", (bytes, elf) => view(bytes).setBigUint64(sectionNamed(elf, ".note.gnu.build-id").headerOffset + 48, 16n, true));
    expect(align.code).toBe("NK-ELF-015");
  });

  it("program headers: a segment beyond the file, p_filesz > p_memsz, two PT_GNU_PROPERTY (NK-ELF-017)", () => {
    const exe = parseElf64(fixture("cet-start-full.elf"), "exe");
    const load = exe.segments.find((segment) => segment.type === 1 && segment.fileSize > 0);
    if (load === undefined) throw new Error("no PT_LOAD");
    const beyond = fixture("cet-start-full.elf");
    view(beyond).setBigUint64(load.headerOffset + 32, 0x100_0000n, true);
    expect(caught(() => parseElf64(beyond, "x")).code).toBe("NK-ELF-017");
    const memsz = fixture("cet-start-full.elf");
    view(memsz).setBigUint64(load.headerOffset + 40, 0n, true);
    expect(caught(() => parseElf64(memsz, "x")).location.field).toBe(`segment[${load.index}].p_filesz`);
    const twice = fixture("cet-start-full.elf");
    view(twice).setUint32(exe.segments[0]!.headerOffset, PT_GNU_PROPERTY, true);
    expect(caught(() => parseElf64(twice, "x")).message).toMatch(/second PT_GNU_PROPERTY/);
  });

  it("errors never escape as RangeError: every truncation of every fixture is a NovakitError or parses", () => {
    for (const name of fixtureNames()) {
      const bytes = fixture(name);
      for (let length = 0; length < bytes.length; length += Math.max(1, Math.floor(bytes.length / 97))) {
        try {
          parseElf64(bytes.subarray(0, length), name);
        } catch (error) {
          expect((error as Error).name, `${name} cut at ${length}: ${(error as Error).message}`).toBe("NovakitError");
        }
      }
    }
  });
});
