import {
  ET_EXEC,
  R_X86_64_32,
  R_X86_64_32S,
  R_X86_64_64,
  R_X86_64_GLOB_DAT,
  R_X86_64_GOTPCREL,
  R_X86_64_GOTPCRELX,
  R_X86_64_IRELATIVE,
  R_X86_64_JUMP_SLOT,
  R_X86_64_NONE,
  R_X86_64_PC32,
  R_X86_64_PLT32,
  R_X86_64_REX_GOTPCRELX,
  R_X86_64_RELATIVE,
  RELOCATION_NAMES,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHT_DYNAMIC,
  SHT_DYNSYM,
  SHT_FINI_ARRAY,
  SHT_INIT_ARRAY,
  SHT_NOBITS,
  SHT_PREINIT_ARRAY,
  SHT_PROGBITS,
  SHT_X86_64_UNWIND,
  STT_FUNC,
  STT_GNU_IFUNC,
  STT_SECTION,
} from "./elf-constants.js";
import type { Elf64File, ElfRelocation, ElfRelocationSection, ElfSection } from "./elf-types.js";
import { functionKey, isExportedVisibility, type FunctionEntry } from "./function-entries.js";
import { sectionOffsetLocation, virtualAddressLocation, type FileLocation } from "./image-bytes.js";

/**
 * How the analysis decided which functions can be reached by an indirect branch (and so need
 * ENDBR64 under IBT, cet.md §3). The rules, in the order they apply:
 *
 * Relocatable objects (relocations are complete for the object):
 *  - `global-symbol`: a function with global or weak binding can have its address taken, or be
 *    called through a PLT (an indirect jmp), by another object of the link. This is gcc's own
 *    rule for placing ENDBR64 (cet.md §6: "external linkage or address taken").
 *  - `relocation`: a relocation from an allocated section (not .eh_frame unwind data, which only
 *    describes code) that refers to a local function. The function is named by a function
 *    symbol, or by a section symbol + addend: R_X86_64_64/32/32S point at symbol + addend;
 *    PC-relative R_X86_64_PC32/PLT32/GOTPCREL(X) in code point at symbol + addend + 4, because
 *    their 4-byte field ends the instruction (lea/mov/call/jmp). PC-relative relocations with a
 *    section symbol in data are switch tables (entry = target − table), reached with `notrack
 *    jmp` (cet.md §3), and are not treated as function references.
 *    A reference is NOT address-taking when it is the rel32 of a direct branch: R_X86_64_PC32 or
 *    PLT32 whose field follows opcode E8 (call), E9 (jmp) or 0F 80..8F (jcc). No ModRM byte of a
 *    RIP-relative operand (mod 00, r/m 101: 05, 0D, ... 3D) can equal E8/E9, so this test does
 *    not misread a lea or mov as a branch.
 *  - `scan-lea`: the assembler resolves a RIP-relative LEA to a local function in the same
 *    section itself and leaves no relocation, so executable sections are also scanned for LEA
 *    (8D, ModRM mod 00 r/m 101) whose disp32 carries no relocation and whose target (end of the
 *    instruction + disp32) is a function entry of that section.
 *
 * Executables and shared objects (link-time references are resolved, so relocations alone miss
 * some; a documented heuristic scan completes them):
 *  - `relocation`: static relocations kept by `ld --emit-relocs`, with the object rules above.
 *  - `dynamic-relocation`: R_X86_64_RELATIVE / IRELATIVE whose addend is a function entry (a
 *    function pointer in data of a PIE or shared object; the IRELATIVE resolver is called by the
 *    loader), and R_X86_64_64 / GLOB_DAT / JUMP_SLOT (PLT slot: reached by the PLT's indirect jmp)
 *    or any other dynamic relocation against a defined function symbol.
 *  - `exported`: a function in .dynsym with default or protected visibility: other modules call
 *    it through their PLT, and dlsym hands out its address.
 *  - `scan-lea` (heuristic): a RIP-relative LEA (8D, ModRM mod 00 r/m 101) in executable code
 *    whose target is a function entry.
 *  - `scan-imm32` (heuristic, ET_EXEC only, where addresses are absolute): any 4-byte value in
 *    executable code equal to a function entry at or above 0x10000 (mov $f, %edi; push $f).
 *  - `scan-data` (heuristic): an 8-byte-aligned 64-bit word in allocated non-executable data
 *    (PROGBITS, init/fini arrays, .dynamic's DT_INIT/DT_FINI) equal to a function entry
 *    (function tables, .init_array of non-PIE images, what the loader calls indirectly).
 * The heuristics over-approximate: a byte pattern that happens to equal an entry makes that
 * function count as address-taken, which can only make the IBT verdict stricter, never laxer.
 */
export type AddressTakenRule = "global-symbol" | "relocation" | "dynamic-relocation" | "exported" | "scan-lea" | "scan-imm32" | "scan-data";

export interface AddressTakenAnalysis {
  /** relocations, completed by the documented scans */
  readonly method: "relocations + scan";
  /** evidence per function (same objects as the input list), only for address-taken functions */
  readonly evidence: ReadonlyMap<FunctionEntry, readonly string[]>;
  /** the rules that contributed, for the report */
  readonly rulesApplied: readonly AddressTakenRule[];
}

const PC_RELATIVE_CODE_TYPES: ReadonlySet<number> = new Set([R_X86_64_PC32, R_X86_64_PLT32, R_X86_64_GOTPCREL, R_X86_64_GOTPCRELX, R_X86_64_REX_GOTPCRELX]);
const ABSOLUTE_TYPES: ReadonlySet<number> = new Set([R_X86_64_64, R_X86_64_32, R_X86_64_32S]);
const DIRECT_BRANCH_TYPES: ReadonlySet<number> = new Set([R_X86_64_PC32, R_X86_64_PLT32]);
/** evidence strings kept per function; the rest is counted */
const MAX_EVIDENCE = 6;
const MIN_IMM32_ADDRESS = 0x10000n;
/**
 * data sections whose words can be function pointers: program data (.data, .rodata, .got),
 * .init_array/.fini_array/.preinit_array, and .dynamic (DT_INIT/DT_FINI: the loader calls them
 * indirectly). Symbol tables, hash tables and relocation entries hold addresses as metadata.
 */
const SCANNED_DATA_TYPES: ReadonlySet<number> = new Set([SHT_PROGBITS, SHT_DYNAMIC, SHT_INIT_ARRAY, SHT_FINI_ARRAY, SHT_PREINIT_ARRAY]);

export function relocationName(type: number): string {
  return RELOCATION_NAMES[type] ?? `relocation type ${type}`;
}

class EvidenceCollector {
  readonly evidence = new Map<FunctionEntry, string[]>();
  readonly rules = new Set<AddressTakenRule>();
  private readonly extra = new Map<FunctionEntry, number>();

  add(entry: FunctionEntry, rule: AddressTakenRule, text: string): void {
    this.rules.add(rule);
    const list = this.evidence.get(entry) ?? [];
    this.evidence.set(entry, list);
    const line = `${rule}: ${text}`;
    if (list.includes(line)) return;
    if (list.length < MAX_EVIDENCE) list.push(line);
    else this.extra.set(entry, (this.extra.get(entry) ?? 0) + 1);
  }

  finish(): Map<FunctionEntry, readonly string[]> {
    const result = new Map<FunctionEntry, readonly string[]>();
    for (const [entry, list] of this.evidence) {
      const more = this.extra.get(entry);
      result.set(entry, more === undefined ? list : [...list, `... and ${more} more`]);
    }
    return result;
  }
}

/** Applies the rules above (see AddressTakenRule) to the functions of `elf`. */
export function findAddressTakenFunctions(elf: Elf64File, functions: readonly FunctionEntry[]): AddressTakenAnalysis {
  const relocatable = elf.header.fileType === "relocatable";
  const byKey = new Map<string, FunctionEntry>();
  for (const entry of functions) byKey.set(functionKey(relocatable, entry.sectionIndex, entry.value), entry);
  const collector = new EvidenceCollector();

  if (relocatable) {
    for (const entry of functions) {
      if (entry.binding === "global" || entry.binding === "weak") collector.add(entry, "global-symbol", `${entry.binding} symbol: other objects of the link may take its address or reach it through a PLT`);
    }
  } else {
    for (const entry of functions) {
      if (entry.inDynsym && entry.binding !== "local" && isExportedVisibility(entry.visibility)) {
        collector.add(entry, "exported", "exported in .dynsym: other modules reach it through their PLT (an indirect jmp) or dlsym");
      }
      if (entry.kind === "ifunc") collector.add(entry, "dynamic-relocation", "STT_GNU_IFUNC resolver: the dynamic loader calls it indirectly");
    }
  }

  for (const relocationSection of elf.relocationSections) {
    const dynamic = !relocatable && (relocationSection.symbolTable === undefined || relocationSection.symbolTable.section.type === SHT_DYNSYM);
    if (dynamic) dynamicRelocations(elf, relocationSection, byKey, collector);
    else staticRelocations(elf, relocationSection, byKey, collector);
  }
  if (relocatable) scanObjectCode(elf, byKey, collector);
  else scanImage(elf, byKey, collector);
  return { method: "relocations + scan", evidence: collector.finish(), rulesApplied: [...collector.rules].sort() };
}

function isUnwindData(section: ElfSection): boolean {
  return section.type === SHT_X86_64_UNWIND || section.name === ".eh_frame";
}

function siteName(elf: Elf64File, relocationSection: ElfRelocationSection, relocation: ElfRelocation): string {
  const target = relocationSection.target;
  if (elf.header.fileType === "relocatable" && target !== undefined) return `${target.name}+0x${relocation.offset.toString(16)}`;
  return `0x${relocation.offset.toString(16)}`;
}

function staticRelocations(elf: Elf64File, relocationSection: ElfRelocationSection, byKey: ReadonlyMap<string, FunctionEntry>, collector: EvidenceCollector): void {
  const target = relocationSection.target;
  if (target === undefined || (target.flags & SHF_ALLOC) === 0n || isUnwindData(target)) return;
  const relocatable = elf.header.fileType === "relocatable";
  const inCode = (target.flags & SHF_EXECINSTR) !== 0n;
  for (const relocation of relocationSection.relocations) {
    const symbol = relocation.symbol;
    if (symbol === undefined || relocation.type === R_X86_64_NONE) continue;
    let referenced: bigint | undefined;
    if (symbol.type === STT_FUNC || symbol.type === STT_GNU_IFUNC) referenced = symbol.value;
    else if (symbol.type === STT_SECTION) {
      if (ABSOLUTE_TYPES.has(relocation.type)) referenced = symbol.value + relocation.addend;
      else if (inCode && PC_RELATIVE_CODE_TYPES.has(relocation.type)) referenced = symbol.value + relocation.addend + 4n;
    }
    if (referenced === undefined) continue;
    const entry = byKey.get(functionKey(relocatable, symbol.sectionIndex, referenced));
    if (entry === undefined) continue;
    if (inCode && DIRECT_BRANCH_TYPES.has(relocation.type)) {
      const site = relocatable ? sectionOffsetLocation(target, relocation.offset) : virtualAddressLocation(elf, relocation.offset);
      if (site !== undefined && isDirectBranchField(elf.bytes, site)) continue;
    }
    collector.add(entry, "relocation", `${relocationName(relocation.type)} at ${siteName(elf, relocationSection, relocation)}`);
  }
}

/** the 4-byte field at `site` is the rel32 of call (E8), jmp (E9) or jcc (0F 80..8F) */
function isDirectBranchField(bytes: Uint8Array, site: FileLocation): boolean {
  const sectionStart = site.section?.offset ?? 0;
  const before = site.offset - 1;
  if (before < sectionStart) return false;
  const opcode = bytes[before];
  if (opcode === 0xe8 || opcode === 0xe9) return true;
  return before - 1 >= sectionStart && bytes[before - 1] === 0x0f && opcode !== undefined && opcode >= 0x80 && opcode <= 0x8f;
}

function dynamicRelocations(elf: Elf64File, relocationSection: ElfRelocationSection, byKey: ReadonlyMap<string, FunctionEntry>, collector: EvidenceCollector): void {
  for (const relocation of relocationSection.relocations) {
    const where = `${relocationName(relocation.type)} at 0x${relocation.offset.toString(16)} (${relocationSection.section.name})`;
    if (relocation.type === R_X86_64_RELATIVE || relocation.type === R_X86_64_IRELATIVE) {
      const entry = byKey.get(`${BigInt.asUintN(64, relocation.addend)}`);
      if (entry !== undefined) collector.add(entry, "dynamic-relocation", `${where}: a pointer to it in data${relocation.type === R_X86_64_IRELATIVE ? " (IFUNC resolver)" : ""}`);
      continue;
    }
    const symbol = relocation.symbol;
    if (symbol === undefined || (symbol.type !== STT_FUNC && symbol.type !== STT_GNU_IFUNC)) continue;
    const entry = byKey.get(`${symbol.value}`);
    if (entry === undefined || symbol.sectionIndex === 0) continue;
    const why =
      relocation.type === R_X86_64_JUMP_SLOT ? "its PLT slot: callers reach it by the PLT's indirect jmp" : relocation.type === R_X86_64_GLOB_DAT || relocation.type === R_X86_64_64 ? "its address in the GOT or data" : "a dynamic reference to it";
    collector.add(entry, "dynamic-relocation", `${where}: ${why}`);
  }
}

/** the 8D opcode at `at` with a RIP-relative ModRM (mod 00, r/m 101): lea disp32(%rip), reg */
function isRipRelativeLea(bytes: Uint8Array, at: number): boolean {
  return bytes[at] === 0x8d && ((bytes[at + 1] ?? 0) & 0xc7) === 0x05;
}

/** where the instruction starts: one byte earlier when a REX prefix (40..4F) precedes the opcode */
function instructionStart(bytes: Uint8Array, at: number, sectionStart: number): number {
  const prefix = bytes[at - 1];
  return at - 1 >= sectionStart && prefix !== undefined && prefix >= 0x40 && prefix <= 0x4f ? at - 1 : at;
}

function scanObjectCode(elf: Elf64File, byKey: ReadonlyMap<string, FunctionEntry>, collector: EvidenceCollector): void {
  const bytes = elf.bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const relocated = new Map<number, Set<bigint>>();
  for (const relocationSection of elf.relocationSections) {
    const target = relocationSection.target;
    if (target === undefined) continue;
    const fields = relocated.get(target.index) ?? new Set<bigint>();
    relocated.set(target.index, fields);
    for (const relocation of relocationSection.relocations) fields.add(relocation.offset);
  }
  for (const section of elf.sections) {
    if ((section.flags & SHF_EXECINSTR) === 0n || section.type === SHT_NOBITS || section.fileSize === 0) continue;
    const start = section.offset;
    const end = section.offset + section.fileSize;
    const fields = relocated.get(section.index);
    for (let at = start; at + 6 <= end; at++) {
      if (!isRipRelativeLea(bytes, at)) continue;
      const field = BigInt(at + 2 - start);
      if (fields?.has(field) === true) continue;
      const target = BigInt(at + 6 - start) + BigInt(view.getInt32(at + 2, true));
      const entry = byKey.get(functionKey(true, section.index, target));
      if (entry !== undefined) collector.add(entry, "scan-lea", `lea at ${section.name}+0x${(instructionStart(bytes, at, start) - start).toString(16)} loads its address (resolved by the assembler, no relocation)`);
    }
  }
}

function scanImage(elf: Elf64File, byKey: ReadonlyMap<string, FunctionEntry>, collector: EvidenceCollector): void {
  if (byKey.size === 0) return;
  const bytes = elf.bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const absolute = elf.header.type === ET_EXEC;
  const low32 = new Map<number, FunctionEntry>();
  // an entry at address 0 would match every zero word and every null pointer: not evidence
  const candidates = new Map([...byKey].filter(([key]) => key !== "0"));
  for (const [key, entry] of candidates) {
    const address = BigInt(key);
    if (absolute && address >= MIN_IMM32_ADDRESS && address <= 0xffff_ffffn) low32.set(Number(address), entry);
  }
  for (const section of elf.sections) {
    if ((section.flags & SHF_ALLOC) === 0n || section.type === SHT_NOBITS || section.fileSize === 0 || isUnwindData(section)) continue;
    const start = section.offset;
    const end = section.offset + section.fileSize;
    if ((section.flags & SHF_EXECINSTR) !== 0n) {
      for (let at = start; at + 6 <= end; at++) {
        // lea disp32(%rip), reg: 8D, ModRM mod 00 r/m 101; the target is relative to the end (at + 6)
        if (isRipRelativeLea(bytes, at)) {
          const next = section.address + BigInt(at + 6 - start);
          const target = BigInt.asUintN(64, next + BigInt(view.getInt32(at + 2, true)));
          const entry = candidates.get(`${target}`);
          if (entry !== undefined) collector.add(entry, "scan-lea", `lea at 0x${(section.address + BigInt(instructionStart(bytes, at, start) - start)).toString(16)} loads its address`);
        }
      }
      if (low32.size > 0) {
        for (let at = start; at + 4 <= end; at++) {
          const entry = low32.get(view.getUint32(at, true));
          if (entry !== undefined) collector.add(entry, "scan-imm32", `its absolute address appears in code at 0x${(section.address + BigInt(at - start)).toString(16)}`);
        }
      }
    } else if (SCANNED_DATA_TYPES.has(section.type)) {
      const first = start + Number((8n - (section.address % 8n)) % 8n);
      for (let at = first; at + 8 <= end; at += 8) {
        const entry = candidates.get(`${view.getBigUint64(at, true)}`);
        if (entry !== undefined) collector.add(entry, "scan-data", `a 64-bit pointer to it in ${section.name || "data"} at 0x${(section.address + BigInt(at - start)).toString(16)}`);
      }
    }
  }
}
