import { describe, expect, it } from "vitest";
import { parseElf64 } from "./parse-elf64.js";
import { caught, fixture, view } from "./test-support/elf-fixtures.js";

describe("ELF header", () => {
  it("reads a relocatable object, a static executable, a PIE and a shared object", () => {
    expect(parseElf64(fixture("cet-demo-full.o"), "o").header).toMatchObject({ fileType: "relocatable", type: 1, machine: 62, entry: 0n, programHeaderCount: 0 });
    const exe = parseElf64(fixture("cet-start-full.elf"), "exe").header;
    expect(exe).toMatchObject({ fileType: "executable", type: 2, entry: 0x40104fn });
    expect(exe.programHeaderCount).toBeGreaterThan(0);
    expect(parseElf64(fixture("cet-main-full-pie.elf"), "pie").header.fileType).toBe("shared-object");
    expect(parseElf64(fixture("cet-lib-full.so"), "so").header.fileType).toBe("shared-object");
  });

  it("names an empty file, a text file and a short magic as not ELF", () => {
    for (const bytes of [new Uint8Array(0), new TextEncoder().encode("int main;"), new Uint8Array([0x7f, 0x45, 0x4c])]) {
      const error = caught(() => parseElf64(bytes, "x"));
      expect(error.code).toBe("NK-ELF-002");
      expect(error.location).toEqual({ file: "x", offset: 0, field: "e_ident[EI_MAG]" });
    }
  });

  it("reports a 32-bit ELF and an invalid class by EI_CLASS", () => {
    const bytes = fixture("cet-demo-full.o");
    bytes[4] = 1;
    const error = caught(() => parseElf64(bytes, "i386.o"));
    expect(error.code).toBe("NK-ELF-003");
    expect(error.message).toContain("32-bit");
    expect(error.location.offset).toBe(4);
    bytes[4] = 7;
    expect(caught(() => parseElf64(bytes, "x")).message).toContain("invalid EI_CLASS 7");
  });

  it("reports a big-endian ELF by EI_DATA", () => {
    const bytes = fixture("cet-demo-full.o");
    bytes[5] = 2;
    const error = caught(() => parseElf64(bytes, "be.o"));
    expect(error.code).toBe("NK-ELF-004");
    expect(error.message).toContain("big-endian");
  });

  it("names the machine of a non-x86-64 file", () => {
    const bytes = fixture("cet-demo-full.o");
    view(bytes).setUint16(18, 183, true);
    const error = caught(() => parseElf64(bytes, "arm64.o"));
    expect(error.code).toBe("NK-ELF-005");
    expect(error.message).toContain("AArch64");
    expect(error.location.field).toBe("e_machine");
    view(bytes).setUint16(18, 3, true);
    expect(caught(() => parseElf64(bytes, "x")).message).toContain("80386");
  });

  it("rejects EI_VERSION and e_version other than 1", () => {
    const a = fixture("cet-demo-full.o");
    a[6] = 0;
    expect(caught(() => parseElf64(a, "x")).code).toBe("NK-ELF-006");
    const b = fixture("cet-demo-full.o");
    view(b).setUint32(20, 2, true);
    expect(caught(() => parseElf64(b, "x")).location.field).toBe("e_version");
  });

  it("rejects core files and unknown e_type", () => {
    const bytes = fixture("cet-demo-full.o");
    view(bytes).setUint16(16, 4, true);
    expect(caught(() => parseElf64(bytes, "core")).message).toContain("core dump");
    view(bytes).setUint16(16, 0xfe00, true);
    expect(caught(() => parseElf64(bytes, "x")).code).toBe("NK-ELF-007");
  });

  it("checks e_ehsize, e_shentsize and e_phentsize", () => {
    for (const [offset, field] of [
      [52, "e_ehsize"],
      [58, "e_shentsize"],
    ] as const) {
      const bytes = fixture("cet-demo-full.o");
      view(bytes).setUint16(offset, 40, true);
      const error = caught(() => parseElf64(bytes, "x"));
      expect(error.code).toBe("NK-ELF-008");
      expect(error.location.field).toBe(field);
    }
    const exe = fixture("cet-start-full.elf");
    view(exe).setUint16(54, 32, true);
    expect(caught(() => parseElf64(exe, "x")).location.field).toBe("e_phentsize");
  });

  it("truncation inside the header is NK-ELF-001 with the offset of the missing bytes", () => {
    const error = caught(() => parseElf64(fixture("cet-demo-full.o").subarray(0, 40), "cut.o"));
    expect(error.code).toBe("NK-ELF-001");
    expect(error.location.file).toBe("cut.o");
  });

  it("a section or program header table outside the file is NK-ELF-009", () => {
    const object = fixture("cet-demo-full.o");
    expect(caught(() => parseElf64(object.subarray(0, object.length - 10), "x")).code).toBe("NK-ELF-009");
    const exe = fixture("cet-start-full.elf");
    view(exe).setBigUint64(32, BigInt(exe.length - 8), true);
    expect(caught(() => parseElf64(exe, "x")).code).toBe("NK-ELF-009");
    const noTable = fixture("cet-demo-full.o");
    view(noTable).setBigUint64(40, 0n, true);
    expect(caught(() => parseElf64(noTable, "x")).location.field).toBe("e_shnum");
  });

  it("e_shstrndx beyond the sections is NK-ELF-011", () => {
    const bytes = fixture("cet-demo-full.o");
    view(bytes).setUint16(62, 200, true);
    expect(caught(() => parseElf64(bytes, "x")).code).toBe("NK-ELF-011");
  });

  it("follows extended section numbering (e_shnum 0: count in section 0's sh_size)", () => {
    const bytes = fixture("cet-demo-full.o");
    const shoff = Number(view(bytes).getBigUint64(40, true));
    const count = view(bytes).getUint16(60, true);
    view(bytes).setUint16(60, 0, true);
    view(bytes).setBigUint64(shoff + 32, BigInt(count), true);
    expect(parseElf64(bytes, "x").sections).toHaveLength(count);
  });
});
