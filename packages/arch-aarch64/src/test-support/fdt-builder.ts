/**
 * TEST ONLY: writes small device-tree blobs word by word, so a test can build exactly the
 * malformed structure it wants. Layout as dtc: header, reservation map at 0x28, structure,
 * strings (or the map last, to let it run off the end).
 */
export const Token = { BEGIN_NODE: 1, END_NODE: 2, PROP: 3, NOP: 4, END: 9 } as const;

export class StructureWriter {
  readonly words: number[] = [];
  readonly strings: string[] = [];

  nameOffset(name: string): number {
    let offset = 0;
    for (const existing of this.strings) {
      if (existing === name) return offset;
      offset += existing.length + 1;
    }
    this.strings.push(name);
    return offset;
  }

  begin(name: string): this {
    this.words.push(Token.BEGIN_NODE, ...stringWords(name));
    return this;
  }

  end(): this {
    this.words.push(Token.END_NODE);
    return this;
  }

  prop(name: string, value: Uint8Array | readonly number[] | string, nameOffset?: number): this {
    const bytes = typeof value === "string" ? ascii(`${value}\0`) : value instanceof Uint8Array ? value : cellBytes(value);
    this.words.push(Token.PROP, bytes.length, nameOffset ?? this.nameOffset(name), ...padWords(bytes));
    return this;
  }

  raw(...words: number[]): this {
    this.words.push(...words);
    return this;
  }

  finish(): this {
    this.words.push(Token.END);
    return this;
  }

  stringsBlock(): Uint8Array {
    return ascii(this.strings.map((name) => `${name}\0`).join(""));
  }
}

export interface BlobOptions {
  readonly reservations?: readonly (readonly [bigint, bigint])[];
  /** false: leave out the (0, 0) terminator and put the map at the end of the blob */
  readonly terminateReservations?: boolean;
  /** header fields to overwrite after layout, by byte offset */
  readonly headerOverrides?: Readonly<Record<number, number>>;
}

export function buildBlob(structure: StructureWriter, options: BlobOptions = {}): Uint8Array {
  const reservations = options.reservations ?? [];
  const terminate = options.terminateReservations ?? true;
  const rsvBytes = (reservations.length + (terminate ? 1 : 0)) * 16;
  const structBytes = structure.words.length * 4;
  const strings = structure.stringsBlock();
  const rsvFirst = terminate;
  const rsvOffset = rsvFirst ? 0x28 : 0x28 + structBytes + strings.length + ((8 - ((0x28 + structBytes + strings.length) % 8)) % 8);
  const structOffset = rsvFirst ? 0x28 + rsvBytes : 0x28;
  const stringsOffset = structOffset + structBytes;
  const total = Math.max(stringsOffset + strings.length, rsvOffset + rsvBytes);
  const blob = new Uint8Array(total);
  const view = new DataView(blob.buffer);
  const header = [0xd00dfeed, total, structOffset, stringsOffset, rsvOffset, 17, 16, 0, strings.length, structBytes];
  header.forEach((value, index) => view.setUint32(index * 4, value, false));
  reservations.forEach(([address, size], index) => {
    view.setBigUint64(rsvOffset + index * 16, address, false);
    view.setBigUint64(rsvOffset + index * 16 + 8, size, false);
  });
  structure.words.forEach((word, index) => view.setUint32(structOffset + index * 4, word >>> 0, false));
  blob.set(strings, stringsOffset);
  for (const [offset, value] of Object.entries(options.headerOverrides ?? {})) view.setUint32(Number(offset), value >>> 0, false);
  return blob;
}

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

function cellBytes(cells: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(cells.length * 4);
  const view = new DataView(bytes.buffer);
  cells.forEach((cell, index) => view.setUint32(index * 4, cell >>> 0, false));
  return bytes;
}

function padWords(bytes: Uint8Array): number[] {
  const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
  padded.set(bytes);
  const view = new DataView(padded.buffer);
  const words: number[] = [];
  for (let offset = 0; offset < padded.length; offset += 4) words.push(view.getUint32(offset, false));
  return words;
}

function stringWords(name: string): number[] {
  return padWords(ascii(`${name}\0`));
}

/** A minimal valid tree: root with #address-cells 2, #size-cells 2, one child. */
export function minimalTree(): StructureWriter {
  return new StructureWriter()
    .begin("")
    .prop("#address-cells", [2])
    .prop("#size-cells", [2])
    .begin("memory@40000000")
    .prop("device_type", "memory")
    .prop("reg", [0, 0x4000_0000, 0, 0x1000_0000])
    .end()
    .end()
    .finish();
}
