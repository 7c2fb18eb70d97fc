import { describe, expect, it } from "vitest";
import { analyzeCetBytes, analyzeCetFile, type CetElfAnalysis } from "./analyze-cet-elf.js";
import { caught, fixture, FIXTURE_DIR, view } from "./test-support/elf-fixtures.js";

function analyze(name: string): CetElfAnalysis {
  return analyzeCetBytes(fixture(name), name);
}

/** name -> [ENDBR64, address-taken] */
function table(analysis: CetElfAnalysis): Record<string, [boolean, boolean]> {
  return Object.fromEntries(analysis.functions.map((entry) => [entry.name, [entry.endbr64, entry.addressTaken]]));
}

function fit(analysis: CetElfAnalysis): Record<string, boolean> {
  return Object.fromEntries(analysis.verdicts.map((verdict) => [verdict.level, verdict.fit]));
}

describe("CET analysis of gcc-built objects", () => {
  it("-fcf-protection=full: ENDBR64 on global and address-taken functions, none on a static direct-call-only function", () => {
    const analysis = analyze("cet-demo-full.o");
    expect(analysis.kind).toBe("relocatable object");
    expect(analysis.property).toMatchObject({ source: ".note.gnu.property", x86Feature1And: 3, ibt: true, shstk: true });
    expect(table(analysis)).toEqual({
      twice: [false, false],
      square: [true, true],
      negate: [true, true],
      add: [true, true],
      classify: [true, true],
      dispatch: [true, true],
    });
    const square = analysis.functions.find((entry) => entry.name === "square");
    expect(square?.addressTakenBy).toEqual(["relocation: R_X86_64_64 at .data.rel.local+0x0"]);
    expect(square).toMatchObject({ section: ".text", value: 4n, entryBytes: "f30f1efa", binding: "local" });
    expect(fit(analysis)).toEqual({ none: true, branch: true, return: true, full: true });
    expect(analysis.summary).toEqual({ functions: 6, withEndbr64: 5, addressTaken: 5, addressTakenWithoutEndbr64: 0 });
  });

  it("-fcf-protection=none/branch/return: the verdicts follow the property bits", () => {
    expect(fit(analyze("cet-demo-none.o"))).toEqual({ none: true, branch: false, return: false, full: false });
    expect(fit(analyze("cet-demo-branch.o"))).toEqual({ none: true, branch: true, return: false, full: false });
    expect(fit(analyze("cet-demo-return.o"))).toEqual({ none: true, branch: false, return: true, full: false });
    const none = analyze("cet-demo-none.o");
    expect(none.property).toMatchObject({ source: undefined, ibt: false, shstk: false });
    expect(none.functions.every((entry) => !entry.endbr64)).toBe(true);
    expect(none.verdicts.find((verdict) => verdict.level === "branch")?.because[0]).toContain("the file has no .note.gnu.property");
  });

  it("an address-taken nocf_check function makes the object unfit for CFP=branch and full, and says which", () => {
    const analysis = analyze("cet-demo-nocf-hole.o");
    expect(table(analysis)["hole"]).toEqual([false, true]);
    expect(fit(analysis)).toEqual({ none: true, branch: false, return: true, full: false });
    const branch = analysis.verdicts.find((verdict) => verdict.level === "branch");
    expect(branch?.because).toEqual(["1 of 6 address-taken function(s) do not start with ENDBR64: hole (an indirect branch there raises #CP(ENDBRANCH))"]);
  });

  it("a PC32 on a call across sections is a direct branch, not an address-taking reference", () => {
    const analysis = analyze("cet-demo-sections-full.o");
    expect(table(analysis)["twice"]).toEqual([false, false]);
    expect(analysis.functions.find((entry) => entry.name === "square")?.section).toBe(".text.square");
    expect(fit(analysis).branch).toBe(true);
  });

  it("a same-section lea the assembler resolved (no relocation) is found by the code scan", () => {
    const analysis = analyze("cet-start-pic-full.o");
    expect(table(analysis)).toEqual({ inc: [true, true], dec: [true, true], helper: [false, false], run: [true, true], _start: [true, true] });
    expect(analysis.functions.find((entry) => entry.name === "inc")?.addressTakenBy[0]).toMatch(/^scan-lea: lea at \.text\+0x2a /);
  });

  it("without ENDBR64 on that lea target the verdict would fail: patching inc's ENDBR64 away is caught", () => {
    const bytes = fixture("cet-start-pic-full.o");
    const original = analyzeCetBytes(bytes, "o");
    const inc = original.functions.find((entry) => entry.name === "inc")!;
    bytes.fill(0x90, inc.location!.offset, inc.location!.offset + 4);
    const patched = analyzeCetBytes(bytes, "o");
    expect(table(patched)["inc"]).toEqual([false, true]);
    expect(fit(patched).branch).toBe(false);
  });
});

describe("CET analysis of linked images", () => {
  it("a freestanding static executable: virtual addresses mapped through .text, lea references found", () => {
    const analysis = analyze("cet-start-full.elf");
    expect(analysis.kind).toBe("executable");
    expect(analysis.entry).toBe(0x40104fn);
    expect(analysis.entryEndbr64).toBe(true);
    expect(table(analysis)).toEqual({ inc: [true, true], dec: [true, true], helper: [false, false], run: [true, false], _start: [true, false] });
    expect(analysis.functions.find((entry) => entry.name === "inc")?.addressTakenBy).toEqual(["scan-lea: lea at 0x40102a loads its address"]);
    expect(fit(analysis)).toEqual({ none: true, branch: true, return: true, full: true });
    const none = analyze("cet-start-none.elf");
    expect(table(none)["inc"]).toEqual([false, true]);
    expect(fit(none)).toEqual({ none: true, branch: false, return: false, full: false });
  });

  it("a shared object: exports, RELATIVE pointers and DT_INIT/DT_FINI count as address-taken", () => {
    const analysis = analyze("cet-lib-full.so");
    expect(analysis.kind).toBe("shared object");
    const rows = table(analysis);
    expect(rows["lib_entry"]).toEqual([true, true]);
    expect(rows["lib_other"]).toEqual([true, true]);
    expect(rows["scale"]).toEqual([true, true]);
    expect(rows["_init"]).toEqual([false, true]);
    expect(rows["deregister_tm_clones"]).toEqual([false, false]);
    const byName = new Map(analysis.functions.map((entry) => [entry.name, entry]));
    expect(byName.get("lib_entry")?.addressTakenBy.some((line) => line.startsWith("exported:"))).toBe(true);
    expect(byName.get("lib_entry")?.addressTakenBy.some((line) => line.includes("R_X86_64_JUMP_SLOT"))).toBe(true);
    expect(byName.get("scale")?.addressTakenBy[0]).toMatch(/^dynamic-relocation: R_X86_64_RELATIVE/);
    expect(byName.get("_init")?.addressTakenBy).toEqual(["scan-data: a 64-bit pointer to it in .dynamic at 0x3e50"]);
    expect(fit(analysis)).toEqual({ none: true, branch: false, return: true, full: false });
  });

  it("a PIE: the normal link lost the bits; -z ibt -z shstk forces them but _init/_fini still lack ENDBR64", () => {
    const normal = analyze("cet-main-full-pie.elf");
    expect(normal.kind).toBe("position-independent executable");
    expect(normal.property).toMatchObject({ source: "PT_GNU_PROPERTY", x86Feature1And: undefined, ibt: false, shstk: false });
    const forced = analyze("cet-main-full-pie-zibt.elf");
    expect(forced.property).toMatchObject({ ibt: true, shstk: true });
    expect(table(forced)["hello"]).toEqual([true, true]);
    expect(table(forced)["main"]).toEqual([true, true]);
    expect(fit(forced)).toEqual({ none: true, branch: false, return: true, full: false });
    expect(forced.verdicts.find((verdict) => verdict.level === "branch")?.because[0]).toContain("_init, _fini");
  });

  it("a stripped image (no symbol tables): the branch verdict rests on the IBT bit, as a loader's does, and says so", () => {
    const bytes = fixture("cet-start-full.elf");
    expect(analyzeCetBytes(bytes, "exe").functions.length).toBeGreaterThan(0);
    // turn .symtab into an unrelated PROGBITS section: no function symbols remain
    const shoff = Number(view(bytes).getBigUint64(40, true));
    const count = view(bytes).getUint16(60, true);
    for (let index = 0; index < count; index++) {
      if (view(bytes).getUint32(shoff + index * 64 + 4, true) === 2) view(bytes).setUint32(shoff + index * 64 + 4, 1, true);
    }
    const stripped = analyzeCetBytes(bytes, "exe");
    expect(stripped.functions).toEqual([]);
    // inc, dec, run, _start: four ENDBR64 in .text
    expect(stripped.codeEndbr64Count).toBe(4);
    expect(fit(stripped)).toEqual({ none: true, branch: true, return: true, full: true });
    expect(stripped.verdicts.find((verdict) => verdict.level === "branch")?.because).toEqual([
      "the IBT property bit is set (PT_GNU_PROPERTY)",
      "the file has no function symbols (stripped), so ENDBR64 at function entries cannot be checked and this rests on the IBT bit alone, as an ELF loader's decision does (4 ENDBR64 byte sequence(s) in its code)",
    ]);
    // without the IBT bit a stripped image is not fit
    const none = fixture("cet-start-none.elf");
    const noneShoff = Number(view(none).getBigUint64(40, true));
    for (let index = 0; index < view(none).getUint16(60, true); index++) {
      if (view(none).getUint32(noneShoff + index * 64 + 4, true) === 2) view(none).setUint32(noneShoff + index * 64 + 4, 1, true);
    }
    expect(fit(analyzeCetBytes(none, "exe"))).toEqual({ none: true, branch: false, return: false, full: false });
    // an IBT bit on code without any ENDBR64 (as -z ibt forces it onto -fcf-protection=none code) is not believed
    const lying = fixture("cet-start-full.elf");
    const lyingShoff = Number(view(lying).getBigUint64(40, true));
    for (let index = 0; index < view(lying).getUint16(60, true); index++) {
      if (view(lying).getUint32(lyingShoff + index * 64 + 4, true) === 2) view(lying).setUint32(lyingShoff + index * 64 + 4, 1, true);
    }
    for (let at = 0; at + 4 <= lying.length; at++) {
      if (lying[at] === 0xf3 && lying[at + 1] === 0x0f && lying[at + 2] === 0x1e && lying[at + 3] === 0xfa) lying.fill(0x90, at, at + 4);
    }
    const contradicted = analyzeCetBytes(lying, "exe");
    expect(contradicted.codeEndbr64Count).toBe(0);
    expect(fit(contradicted)).toEqual({ none: true, branch: false, return: true, full: false });
    expect(contradicted.verdicts.find((verdict) => verdict.level === "branch")?.because).toEqual([expect.stringContaining("holds no ENDBR64 at all")]);
  });

  it("a shared object without .symtab says that only .dynsym functions were checked", () => {
    const bytes = fixture("cet-lib-full.so");
    const shoff = Number(view(bytes).getBigUint64(40, true));
    for (let index = 0; index < view(bytes).getUint16(60, true); index++) {
      if (view(bytes).getUint32(shoff + index * 64 + 4, true) === 2) view(bytes).setUint32(shoff + index * 64 + 4, 1, true);
    }
    const analysis = analyzeCetBytes(bytes, "so");
    expect(analysis.functions.map((entry) => entry.name).sort()).toEqual(["lib_entry", "lib_other"]);
    expect(fit(analysis).branch).toBe(true);
    expect(analysis.verdicts.find((verdict) => verdict.level === "branch")?.because[1]).toBe(
      "all 2 address-taken function(s) start with ENDBR64 (no .symtab: only the 2 function(s) of .dynsym could be checked)",
    );
  });
});

describe("analyzeCetFile", () => {
  it("reads a file by path and names it as given", () => {
    expect(analyzeCetFile(`${FIXTURE_DIR}cet-demo-full.o`, "cet-demo-full.o").file).toBe("cet-demo-full.o");
  });

  it("an unreadable path is NK-ELF-019", () => {
    const error = caught(() => analyzeCetFile(`${FIXTURE_DIR}does-not-exist.o`, "does-not-exist.o"));
    expect(error.code).toBe("NK-ELF-019");
    expect(error.location.file).toBe("does-not-exist.o");
    expect(caught(() => analyzeCetFile(FIXTURE_DIR)).code).toBe("NK-ELF-019");
  });
});
