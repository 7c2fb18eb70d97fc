import { ENDBR64, SHN_ABS, SHN_LORESERVE, SHN_UNDEF, STB_GLOBAL, STB_LOCAL, STB_WEAK, STT_FUNC, STT_GNU_IFUNC } from "./elf-constants.js";
import type { Elf64File, ElfSymbol } from "./elf-types.js";
import { sectionOffsetLocation, virtualAddressLocation, type FileLocation } from "./image-bytes.js";

export type SymbolBinding = "local" | "global" | "weak" | "other";
export type SymbolVisibility = "default" | "internal" | "hidden" | "protected";

/** One function entry point: every defined STT_FUNC / STT_GNU_IFUNC symbol at one place. */
export interface FunctionEntry {
  /** the first name seen (.symtab before .dynsym) */
  readonly name: string;
  /** other symbols at the same entry */
  readonly aliases: readonly string[];
  /** "ifunc" for STT_GNU_IFUNC: the symbol is a resolver the dynamic loader calls indirectly */
  readonly kind: "function" | "ifunc";
  /** the widest binding of its symbols (global beats weak beats local) */
  readonly binding: SymbolBinding;
  readonly visibility: SymbolVisibility;
  /** symbol tables it appears in */
  readonly inSymtab: boolean;
  readonly inDynsym: boolean;
  /** st_shndx; SHN_ABS (0xfff1) for absolute symbols */
  readonly sectionIndex: number;
  /** name of that section ("" for SHN_ABS) */
  readonly section: string;
  /** st_value: an offset into the section in a relocatable object, a virtual address otherwise */
  readonly value: bigint;
  readonly size: bigint;
  /** where the entry's bytes are in the file; undefined when no file byte backs it */
  readonly location: FileLocation | undefined;
  /** up to 4 bytes at the entry, lower-case hex ("f30f1efa"); "" when there are none */
  readonly entryBytes: string;
  /** the entry starts with ENDBR64, F3 0F 1E FA (cet.md §3) */
  readonly endbr64: boolean;
}

/** key under which a function is found by (section, value): objects need both, images the address */
export function functionKey(relocatable: boolean, sectionIndex: number, value: bigint): string {
  return relocatable ? `${sectionIndex}:${value}` : `${value}`;
}

function bindingOf(symbol: ElfSymbol): SymbolBinding {
  if (symbol.binding === STB_LOCAL) return "local";
  if (symbol.binding === STB_GLOBAL) return "global";
  if (symbol.binding === STB_WEAK) return "weak";
  return "other";
}

const VISIBILITIES: readonly SymbolVisibility[] = Object.freeze(["default", "internal", "hidden", "protected"]);
const BINDING_RANK: Readonly<Record<SymbolBinding, number>> = Object.freeze({ local: 0, other: 1, weak: 2, global: 3 });

function isDefinedFunction(symbol: ElfSymbol): boolean {
  if (symbol.type !== STT_FUNC && symbol.type !== STT_GNU_IFUNC) return false;
  return symbol.sectionIndex !== SHN_UNDEF && (symbol.sectionIndex < SHN_LORESERVE || symbol.sectionIndex === SHN_ABS);
}

/**
 * Every defined function symbol of .symtab and .dynsym, merged by entry point, with the bytes
 * at the entry read from the section it points into: in a relocatable object st_value is an
 * offset into section st_shndx; in an executable or shared object it is a virtual address,
 * mapped to the file through the allocated section (or PT_LOAD segment) that holds it.
 * Sorted by section, then value, then name, so output is stable.
 */
export function collectFunctionEntries(elf: Elf64File): FunctionEntry[] {
  const relocatable = elf.header.fileType === "relocatable";
  const byKey = new Map<string, { entry: FunctionEntry; aliases: string[] }>();
  const tables = [
    { table: elf.symtab, dynamic: false },
    { table: elf.dynsym, dynamic: true },
  ];
  for (const { table, dynamic } of tables) {
    if (table === undefined) continue;
    for (const symbol of table.symbols) {
      if (!isDefinedFunction(symbol)) continue;
      const key = functionKey(relocatable, symbol.sectionIndex, symbol.value);
      const known = byKey.get(key);
      if (known !== undefined) {
        if (symbol.name !== known.entry.name && !known.aliases.includes(symbol.name)) known.aliases.push(symbol.name);
        const binding = bindingOf(symbol);
        known.entry = {
          ...known.entry,
          binding: BINDING_RANK[binding] > BINDING_RANK[known.entry.binding] ? binding : known.entry.binding,
          inSymtab: known.entry.inSymtab || !dynamic,
          inDynsym: known.entry.inDynsym || dynamic,
          kind: known.entry.kind === "ifunc" || symbol.type === STT_GNU_IFUNC ? "ifunc" : "function",
        };
        continue;
      }
      const section = symbol.sectionIndex === SHN_ABS ? undefined : elf.sections[symbol.sectionIndex];
      let location: FileLocation | undefined;
      if (relocatable) location = section === undefined ? undefined : sectionOffsetLocation(section, symbol.value);
      else location = virtualAddressLocation(elf, symbol.value);
      const entryBytes = location === undefined ? new Uint8Array(0) : elf.bytes.subarray(location.offset, location.offset + Math.min(4, location.available));
      byKey.set(key, {
        aliases: [],
        entry: {
          name: symbol.name,
          aliases: [],
          kind: symbol.type === STT_GNU_IFUNC ? "ifunc" : "function",
          binding: bindingOf(symbol),
          visibility: VISIBILITIES[symbol.visibility] ?? "default",
          inSymtab: !dynamic,
          inDynsym: dynamic,
          sectionIndex: symbol.sectionIndex,
          section: section?.name ?? "",
          value: symbol.value,
          size: symbol.size,
          location,
          entryBytes: Buffer.from(entryBytes).toString("hex"),
          endbr64: entryBytes.length === ENDBR64.length && ENDBR64.every((value, index) => entryBytes[index] === value),
        },
      });
    }
  }
  const entries = [...byKey.values()].map(({ entry, aliases }) => ({ ...entry, aliases: [...aliases].sort() }));
  return entries.sort((a, b) => a.sectionIndex - b.sectionIndex || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** visible to other modules: not hidden or internal */
export function isExportedVisibility(visibility: SymbolVisibility): boolean {
  return visibility !== "hidden" && visibility !== "internal";
}

