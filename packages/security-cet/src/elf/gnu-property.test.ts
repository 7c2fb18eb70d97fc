import { describe, expect, it } from "vitest";
import { GNU_PROPERTY_X86_FEATURE_1_AND, GNU_PROPERTY_X86_ISA_1_NEEDED, PT_GNU_PROPERTY } from "./elf-constants.js";
import type { Elf64File } from "./elf-types.js";
import { parseElf64 } from "./parse-elf64.js";
import { caught, fixture, view } from "./test-support/elf-fixtures.js";

/** file offset of the .note.gnu.property section's first note (cet.md §5 layout starts there) */
function propertyNoteOffset(elf: Elf64File): number {
  const section = elf.sections.find((entry) => entry.name === ".note.gnu.property");
  if (section === undefined) throw new Error("no .note.gnu.property");
  return section.offset;
}

function patched(name: string, edit: (bytes: Uint8Array, note: number, elf: Elf64File) => void): Uint8Array {
  const bytes = fixture(name);
  const elf = parseElf64(fixture(name), name);
  edit(bytes, propertyNoteOffset(elf), elf);
  return bytes;
}

describe(".note.gnu.property (cet.md §5)", () => {
  it("has the byte layout of cet.md §5 in a -fcf-protection=full object", () => {
    const elf = parseElf64(fixture("cet-demo-full.o"), "o");
    const at = propertyNoteOffset(elf);
    const bytes = fixture("cet-demo-full.o");
    const words = view(bytes);
    expect(words.getUint32(at, true)).toBe(4); // namesz
    expect(words.getUint32(at + 4, true)).toBe(16); // descsz: one property
    expect(words.getUint32(at + 8, true)).toBe(5); // NT_GNU_PROPERTY_TYPE_0
    expect([...bytes.subarray(at + 12, at + 16)]).toEqual([0x47, 0x4e, 0x55, 0]); // "GNU\0"
    expect(words.getUint32(at + 16, true)).toBe(0xc0000002); // GNU_PROPERTY_X86_FEATURE_1_AND
    expect(words.getUint32(at + 20, true)).toBe(4); // pr_datasz
    expect(words.getUint32(at + 24, true)).toBe(3); // IBT | SHSTK
    expect(words.getUint32(at + 28, true)).toBe(0); // padding to 8
    expect(elf.gnuProperty).toMatchObject({ source: ".note.gnu.property", offset: at, x86Feature1And: 3 });
    expect(elf.gnuProperty?.properties).toHaveLength(1);
  });

  it("reads the bits gcc sets per -fcf-protection level: none (no note), branch 1, return 2, full 3", () => {
    const bits = (name: string) => parseElf64(fixture(name), name).gnuProperty?.x86Feature1And;
    expect(parseElf64(fixture("cet-demo-none.o"), "o").gnuProperty).toBeUndefined();
    expect(bits("cet-demo-branch.o")).toBe(1);
    expect(bits("cet-demo-return.o")).toBe(2);
    expect(bits("cet-demo-full.o")).toBe(3);
  });

  it("prefers PT_GNU_PROPERTY in linked images and keeps every property (ISA needed too)", () => {
    const forced = parseElf64(fixture("cet-main-full-pie-zibt.elf"), "pie");
    expect(forced.gnuProperty?.source).toBe("PT_GNU_PROPERTY");
    expect(forced.gnuProperty?.properties.map((property) => property.type)).toEqual([GNU_PROPERTY_X86_FEATURE_1_AND, GNU_PROPERTY_X86_ISA_1_NEEDED]);
    expect(forced.gnuProperty?.x86Feature1And).toBe(3);
    // the normal link drops the feature bits (Debian's start files lack them, cet.md §9)
    const normal = parseElf64(fixture("cet-main-full-pie.elf"), "pie");
    expect(normal.gnuProperty?.properties.map((property) => property.type)).toEqual([GNU_PROPERTY_X86_ISA_1_NEEDED]);
    expect(normal.gnuProperty?.x86Feature1And).toBeUndefined();
  });

  it("keeps bits beyond IBT and SHSTK in the raw value", () => {
    const bytes = patched("cet-demo-full.o", (data, note) => view(data).setUint32(note + 24, 0x7, true));
    expect(parseElf64(bytes, "o").gnuProperty?.x86Feature1And).toBe(7);
  });

  it("n_descsz not a multiple of 8 is NK-ELF-016", () => {
    const error = caught(() => parseElf64(patched("cet-demo-full.o", (data, note) => view(data).setUint32(note + 4, 12, true)), "o"));
    expect(error.code).toBe("NK-ELF-016");
    expect(error.location.field).toBe(".note.gnu.property.n_descsz");
  });

  it("n_descsz beyond the section is a bad note (NK-ELF-015)", () => {
    expect(caught(() => parseElf64(patched("cet-demo-full.o", (data, note) => view(data).setUint32(note + 4, 24, true)), "o")).code).toBe("NK-ELF-015");
  });

  it("FEATURE_1_AND with pr_datasz other than 4 is NK-ELF-016", () => {
    const error = caught(() => parseElf64(patched("cet-demo-full.o", (data, note) => view(data).setUint32(note + 20, 8, true)), "o"));
    expect(error.code).toBe("NK-ELF-016");
    expect(error.message).toContain("expected 4");
  });

  it("pr_datasz running past the descriptor is NK-ELF-016", () => {
    const error = caught(() => parseElf64(patched("cet-demo-full.o", (data, note) => view(data).setUint32(note + 20, 12, true)), "o"));
    expect(error.code).toBe("NK-ELF-016");
    expect(error.location.field).toBe(".note.gnu.property.properties[0].pr_datasz");
  });

  it("a wrong owner or note type is NK-ELF-016", () => {
    const owner = caught(() => parseElf64(patched("cet-demo-full.o", (data, note) => void (data[note + 14] = 0x58)), "o"));
    expect(owner.code).toBe("NK-ELF-016");
    expect(owner.message).toContain('"GNX"');
    const type = caught(() => parseElf64(patched("cet-demo-full.o", (data, note) => view(data).setUint32(note + 8, 1, true)), "o"));
    expect(type.location.field).toBe(".note.gnu.property.n_type");
  });

  it("properties out of order or repeated are NK-ELF-016", () => {
    const descending = patched("cet-main-full-pie-zibt.elf", (data, note) => {
      view(data).setUint32(note + 16, GNU_PROPERTY_X86_ISA_1_NEEDED, true);
      view(data).setUint32(note + 32, GNU_PROPERTY_X86_FEATURE_1_AND, true);
    });
    expect(caught(() => parseElf64(descending, "pie")).message).toMatch(/unique and sorted/);
    const repeated = patched("cet-main-full-pie-zibt.elf", (data, note) => view(data).setUint32(note + 32, GNU_PROPERTY_X86_FEATURE_1_AND, true));
    expect(caught(() => parseElf64(repeated, "pie")).code).toBe("NK-ELF-016");
  });

  it("a .note.gnu.property not aligned to 8, or a PT_GNU_PROPERTY with p_align 4, is NK-ELF-016", () => {
    const section = patched("cet-demo-full.o", (data, _note, elf) => {
      const header = elf.sections.find((entry) => entry.name === ".note.gnu.property")!.headerOffset;
      view(data).setBigUint64(header + 48, 4n, true);
    });
    expect(caught(() => parseElf64(section, "o")).code).toBe("NK-ELF-016");
    const segment = patched("cet-start-full.elf", (data, _note, elf) => {
      const header = elf.segments.find((entry) => entry.type === PT_GNU_PROPERTY)!.headerOffset;
      view(data).setBigUint64(header + 48, 4n, true);
    });
    const error = caught(() => parseElf64(segment, "exe"));
    expect(error.code).toBe("NK-ELF-016");
    expect(error.message).toContain("p_align");
  });
});
