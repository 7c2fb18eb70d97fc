import { readFileSync } from "node:fs";
import { ENDBR64, GNU_PROPERTY_X86_FEATURE_1_IBT, GNU_PROPERTY_X86_FEATURE_1_SHSTK, PF_X, PT_INTERP, PT_LOAD, SHF_EXECINSTR, SHT_NOBITS } from "./elf-constants.js";
import { ElfDiagnostic, elfError } from "./elf-diagnostics.js";
import type { Elf64File } from "./elf-types.js";
import { findAddressTakenFunctions, type AddressTakenRule } from "./address-taken.js";
import { cfpVerdicts, type CfpVerdict } from "./cfp-verdict.js";
import { collectFunctionEntries, type FunctionEntry } from "./function-entries.js";
import { parseElf64 } from "./parse-elf64.js";
import { virtualAddressLocation } from "./image-bytes.js";

export type ElfImageKind = "relocatable object" | "executable" | "position-independent executable" | "shared object";

/** The X86 feature bits of the image (cet.md §5). */
export interface CetProperty {
  /** "PT_GNU_PROPERTY" or ".note.gnu.property"; undefined: the file has no GNU property note */
  readonly source: string | undefined;
  /** GNU_PROPERTY_X86_FEATURE_1_AND, undefined when absent (then IBT and SHSTK are off) */
  readonly x86Feature1And: number | undefined;
  readonly ibt: boolean;
  readonly shstk: boolean;
  /** every property of the note: pr_type and pr_data as hex */
  readonly properties: readonly { readonly type: number; readonly data: string }[];
}

/** One function of the report. */
export interface CetFunction extends FunctionEntry {
  readonly addressTaken: boolean;
  /** why it counts as address-taken (rule: detail), empty when it does not */
  readonly addressTakenBy: readonly string[];
}

export interface CetElfAnalysis {
  readonly file: string;
  readonly kind: ElfImageKind;
  readonly entry: bigint;
  /** whether the ELF entry point starts with ENDBR64 (undefined: objects, or no bytes there) */
  readonly entryEndbr64: boolean | undefined;
  readonly property: CetProperty;
  readonly functions: readonly CetFunction[];
  readonly addressTaken: { readonly method: string; readonly rulesApplied: readonly AddressTakenRule[] };
  readonly summary: {
    readonly functions: number;
    readonly withEndbr64: number;
    readonly addressTaken: number;
    readonly addressTakenWithoutEndbr64: number;
  };
  /** F3 0F 1E FA byte sequences in executable sections (a stripped image's only ENDBR64 figure) */
  readonly codeEndbr64Count: number;
  readonly verdicts: readonly CfpVerdict[];
}

function imageKind(elf: Elf64File): ElfImageKind {
  if (elf.header.fileType === "relocatable") return "relocatable object";
  if (elf.header.fileType === "executable") return "executable";
  return elf.segments.some((segment) => segment.type === PT_INTERP) ? "position-independent executable" : "shared object";
}

/**
 * CET analysis of a parsed ELF64 x86-64 file: the IBT/SHSTK property bits, every function entry
 * and whether it starts with ENDBR64, which functions are address-taken (rules in
 * address-taken.ts) and the verdict per CFP level (cfp-verdict.ts).
 */
export function analyzeCetElf(elf: Elf64File): CetElfAnalysis {
  const bits = elf.gnuProperty?.x86Feature1And ?? 0;
  const property: CetProperty = {
    source: elf.gnuProperty?.source,
    x86Feature1And: elf.gnuProperty?.x86Feature1And,
    ibt: (bits & GNU_PROPERTY_X86_FEATURE_1_IBT) !== 0,
    shstk: (bits & GNU_PROPERTY_X86_FEATURE_1_SHSTK) !== 0,
    properties: (elf.gnuProperty?.properties ?? []).map((entry) => ({ type: entry.type, data: Buffer.from(entry.data).toString("hex") })),
  };
  const entries = collectFunctionEntries(elf);
  const taken = findAddressTakenFunctions(elf, entries);
  const functions: CetFunction[] = entries.map((entry) => {
    const evidence = taken.evidence.get(entry) ?? [];
    return { ...entry, addressTaken: evidence.length > 0, addressTakenBy: evidence };
  });
  let entryEndbr64: boolean | undefined;
  if (elf.header.fileType !== "relocatable" && elf.header.entry !== 0n) {
    const location = virtualAddressLocation(elf, elf.header.entry);
    if (location !== undefined) entryEndbr64 = location.available >= 4 && ENDBR64.every((value, index) => elf.bytes[location.offset + index] === value);
  }
  const addressTakenCount = functions.filter((entry) => entry.addressTaken).length;
  const codeEndbr64Count = countCodeEndbr64(elf);
  return {
    file: elf.file,
    kind: imageKind(elf),
    entry: elf.header.entry,
    entryEndbr64,
    property,
    functions,
    addressTaken: { method: taken.method, rulesApplied: taken.rulesApplied },
    summary: {
      functions: functions.length,
      withEndbr64: functions.filter((entry) => entry.endbr64).length,
      addressTaken: addressTakenCount,
      addressTakenWithoutEndbr64: functions.filter((entry) => entry.addressTaken && !entry.endbr64).length,
    },
    codeEndbr64Count,
    verdicts: cfpVerdicts({ ibt: property.ibt, shstk: property.shstk, propertySource: property.source, functions: entries, addressTaken: taken.evidence, codeEndbr64Count, hasSymtab: elf.symtab !== undefined }),
  };
}

/** ENDBR64 byte sequences in executable sections (PT_LOAD segments with PF_X when there are no sections) */
function countCodeEndbr64(elf: Elf64File): number {
  const ranges =
    elf.sections.length > 0
      ? elf.sections.filter((section) => (section.flags & SHF_EXECINSTR) !== 0n && section.type !== SHT_NOBITS).map((section) => [section.offset, section.offset + section.fileSize] as const)
      : elf.segments.filter((segment) => segment.type === PT_LOAD && (segment.flags & PF_X) !== 0).map((segment) => [segment.offset, segment.offset + segment.fileSize] as const);
  let count = 0;
  for (const [start, end] of ranges) {
    for (let at = elf.bytes.indexOf(ENDBR64[0]!, start); at >= 0 && at + 4 <= end; at = elf.bytes.indexOf(ENDBR64[0]!, at + 1)) {
      if (elf.bytes[at + 1] === ENDBR64[1] && elf.bytes[at + 2] === ENDBR64[2] && elf.bytes[at + 3] === ENDBR64[3]) count++;
    }
  }
  return count;
}

/** Parses and analyses the bytes of an ELF file; `file` names it in diagnostics. */
export function analyzeCetBytes(bytes: Uint8Array, file: string): CetElfAnalysis {
  return analyzeCetElf(parseElf64(bytes, file));
}

/** Reads `path` and analyses it, naming it `name` in the report and diagnostics; an unreadable path is NK-ELF-019. */
export function analyzeCetFile(path: string, name: string = path): CetElfAnalysis {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (error) {
    throw elfError(ElfDiagnostic.UNREADABLE, `cannot read the file: ${(error as Error).message}`, { file: name });
  }
  return analyzeCetBytes(bytes, name);
}
