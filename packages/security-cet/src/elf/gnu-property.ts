import { GNU_PROPERTY_ALIGN_64, GNU_PROPERTY_X86_FEATURE_1_AND, NT_GNU_PROPERTY_TYPE_0 } from "./elf-constants.js";
import { ElfDiagnostic, elfError } from "./elf-diagnostics.js";
import type { ElfReader } from "./elf-reader.js";
import type { ElfNote, GnuProperty, GnuPropertyNote } from "./elf-types.js";

/** a property's header: pr_type, pr_datasz (cet.md §5) */
const PROPERTY_HEADER_SIZE = 8;

/**
 * Decodes the one NT_GNU_PROPERTY_TYPE_0 note of a .note.gnu.property section or PT_GNU_PROPERTY
 * segment (cet.md §5), with the rules the Linux ELF loader enforces: owner "GNU", note type 5,
 * descsz a multiple of 8, each property's data padded to 8 and inside the descriptor, pr_type
 * strictly ascending (unique and sorted), and GNU_PROPERTY_X86_FEATURE_1_AND exactly 4 bytes.
 */
export function decodeGnuPropertyNotes(reader: ElfReader, notes: readonly ElfNote[], source: string): GnuPropertyNote {
  const { file } = reader;
  const first = notes[0];
  if (first === undefined || notes.length !== 1) {
    const offset = notes[1]?.offset ?? 0;
    throw elfError(ElfDiagnostic.BAD_GNU_PROPERTY, `${source} holds ${notes.length} notes, expected exactly one NT_GNU_PROPERTY_TYPE_0 note`, {
      file,
      ...(notes.length > 0 ? { offset } : {}),
      field: source,
    });
  }
  if (first.namesz !== 4 || first.owner !== "GNU") {
    throw elfError(ElfDiagnostic.BAD_GNU_PROPERTY, `${source}: note owner is "${first.owner}" (n_namesz ${first.namesz}), expected "GNU" (n_namesz 4)`, {
      file,
      offset: first.offset,
      field: `${source}.n_namesz`,
    });
  }
  if (first.type !== NT_GNU_PROPERTY_TYPE_0) {
    throw elfError(ElfDiagnostic.BAD_GNU_PROPERTY, `${source}: note type is ${first.type}, expected ${NT_GNU_PROPERTY_TYPE_0} (NT_GNU_PROPERTY_TYPE_0)`, {
      file,
      offset: first.offset + 8,
      field: `${source}.n_type`,
    });
  }
  const size = first.descriptor.length;
  if (size % GNU_PROPERTY_ALIGN_64 !== 0) {
    throw elfError(ElfDiagnostic.BAD_GNU_PROPERTY, `${source}: n_descsz ${size} is not a multiple of 8 (ELF64 properties are 8-byte aligned)`, {
      file,
      offset: first.offset + 4,
      field: `${source}.n_descsz`,
    });
  }
  const properties: GnuProperty[] = [];
  let x86Feature1And: number | undefined;
  let at = 0;
  while (at < size) {
    const offset = first.descriptorOffset + at;
    const field = (name: string) => `${source}.properties[${properties.length}].${name}`;
    if (size - at < PROPERTY_HEADER_SIZE) {
      throw elfError(ElfDiagnostic.BAD_GNU_PROPERTY, `${source}: ${size - at} byte(s) left, too few for a property header`, { file, offset, field: field("pr_type") });
    }
    const type = reader.u32(offset, field("pr_type"));
    const dataSize = reader.u32(offset + 4, field("pr_datasz"));
    const step = Math.ceil(dataSize / GNU_PROPERTY_ALIGN_64) * GNU_PROPERTY_ALIGN_64;
    if (dataSize > size - at - PROPERTY_HEADER_SIZE || step > size - at - PROPERTY_HEADER_SIZE) {
      throw elfError(ElfDiagnostic.BAD_GNU_PROPERTY, `${source}: pr_datasz ${dataSize} (padded to ${step}) runs past the end of the descriptor`, {
        file,
        offset: offset + 4,
        field: field("pr_datasz"),
      });
    }
    const previous = properties.at(-1);
    if (previous !== undefined && type <= previous.type) {
      throw elfError(
        ElfDiagnostic.BAD_GNU_PROPERTY,
        `${source}: pr_type 0x${type.toString(16)} follows 0x${previous.type.toString(16)}; properties must be unique and sorted by pr_type`,
        { file, offset, field: field("pr_type") },
      );
    }
    if (type === GNU_PROPERTY_X86_FEATURE_1_AND) {
      if (dataSize !== 4) {
        throw elfError(ElfDiagnostic.BAD_GNU_PROPERTY, `${source}: GNU_PROPERTY_X86_FEATURE_1_AND has pr_datasz ${dataSize}, expected 4`, {
          file,
          offset: offset + 4,
          field: field("pr_datasz"),
        });
      }
      x86Feature1And = reader.u32(offset + PROPERTY_HEADER_SIZE, field("pr_data"));
    }
    properties.push({ type, data: reader.slice(offset + PROPERTY_HEADER_SIZE, dataSize, field("pr_data")), offset });
    at += PROPERTY_HEADER_SIZE + step;
  }
  return { source, offset: first.offset, properties, x86Feature1And };
}
