import { FdtDiagnostic, fdtError } from "./fdt-diagnostics.js";
import { parseFdtHeader } from "./fdt-header.js";
import type { FdtHeader, FdtNode, FdtProperty, FdtReservation, FdtTree } from "./fdt-types.js";

/** Structure-block tokens (reference/platform.md §1.2). */
export const FdtToken = {
  BEGIN_NODE: 0x1,
  END_NODE: 0x2,
  PROP: 0x3,
  NOP: 0x4,
  END: 0x9,
} as const;

const RESERVATION_ENTRY_SIZE = 16;

interface NodeUnderConstruction {
  readonly name: string;
  readonly path: string;
  readonly offset: number;
  readonly properties: FdtProperty[];
  readonly children: FdtNode[];
  readonly propertyNames: Set<string>;
  readonly childNames: Set<string>;
}

/**
 * Parses a flattened device tree strictly (reference/platform.md §1): the header and every
 * offset and size in it are checked against totalsize, the reservation map must be terminated,
 * the structure block must hold exactly one root node followed by FDT_END as its last token,
 * every name offset must lie in the strings block, properties come before child nodes, names are
 * unique per node. Anything else is a NovakitError (NK-FDT-*) naming the file, the byte offset
 * and the node path. The contents of alignment padding are not checked (libfdt does not either).
 */
export function parseFdt(bytes: Uint8Array, file: string): FdtTree {
  const header = parseFdtHeader(bytes, file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const reservations = readReservations(view, header, file);
  const root = new StructureReader(bytes, view, header, file).read();
  const nodesByPath = new Map<string, FdtNode>();
  const nodesByPhandle = new Map<number, FdtNode>();
  const parentOf = new Map<string, FdtNode>();
  indexTree(root, { nodesByPath, nodesByPhandle, parentOf }, file);
  return { source: file, header, reservations, root, nodesByPath, nodesByPhandle, parentOf };
}

/**
 * The map ends at its (0, 0) entry, which must come before the next block (structure or
 * strings, when one follows the map) and before totalsize.
 */
function readReservations(view: DataView, header: FdtHeader, file: string): FdtReservation[] {
  const entries: FdtReservation[] = [];
  const start = header.reservationMapOffset;
  const following = [header.structOffset, header.stringsOffset].filter((offset) => offset > start);
  const limit = Math.min(header.totalSize, ...following);
  for (let offset = start; ; offset += RESERVATION_ENTRY_SIZE) {
    if (offset + RESERVATION_ENTRY_SIZE > limit) {
      throw fdtError(
        FdtDiagnostic.UNTERMINATED_RESERVATIONS,
        `the memory reservation map runs into ${limit === header.totalSize ? "the end of the blob" : `the block at 0x${limit.toString(16)}`} without a (0, 0) terminator`,
        { file, offset },
      );
    }
    const address = view.getBigUint64(offset, false);
    const size = view.getBigUint64(offset + 8, false);
    if (address === 0n && size === 0n) return entries;
    entries.push({ address, size });
  }
}

class StructureReader {
  private readonly end: number;
  private cursor: number;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly view: DataView,
    private readonly header: FdtHeader,
    private readonly file: string,
  ) {
    this.cursor = header.structOffset;
    this.end = header.structOffset + header.structSize;
  }

  read(): FdtNode {
    const first = this.nextTokenSkippingNops("/");
    if (first !== FdtToken.BEGIN_NODE) {
      throw this.error(FdtDiagnostic.BAD_NESTING, `the structure block must start with the root FDT_BEGIN_NODE, found token 0x${first.toString(16)}`, "/", this.cursor - 4);
    }
    const root = this.readNodeTree(this.cursor - 4);
    const last = this.nextTokenSkippingNops("/");
    if (last !== FdtToken.END) {
      throw this.error(FdtDiagnostic.BAD_NESTING, `expected FDT_END after the root node, found token 0x${last.toString(16)}`, "/", this.cursor - 4);
    }
    if (this.cursor !== this.end) {
      throw this.error(FdtDiagnostic.BAD_NESTING, `FDT_END is not the last token: ${this.end - this.cursor} bytes follow it in the structure block`, "/", this.cursor - 4);
    }
    return root;
  }

  /** Reads the root node and everything below it with an explicit stack (no recursion depth limit). */
  private readNodeTree(rootOffset: number): FdtNode {
    const rootName = this.readNodeName("/");
    if (rootName !== "") {
      throw this.error(FdtDiagnostic.BAD_NODE_NAME, `the root node's name must be empty, found "${rootName}"`, "/", rootOffset + 4);
    }
    const stack: NodeUnderConstruction[] = [newNode("", "/", rootOffset)];
    for (;;) {
      const current = stack[stack.length - 1] as NodeUnderConstruction;
      const tokenOffset = this.cursor;
      const token = this.nextToken(current.path);
      switch (token) {
        case FdtToken.NOP:
          break;
        case FdtToken.PROP: {
          if (current.children.length > 0) {
            throw this.error(FdtDiagnostic.PROPERTY_AFTER_CHILD, "a property follows a child node; properties must come first", current.path, tokenOffset);
          }
          const property = this.readProperty(tokenOffset, current.path);
          if (current.propertyNames.has(property.name)) {
            throw this.error(FdtDiagnostic.DUPLICATE, `property "${property.name}" appears twice`, `${current.path}.${property.name}`, tokenOffset);
          }
          current.propertyNames.add(property.name);
          current.properties.push(property);
          break;
        }
        case FdtToken.BEGIN_NODE: {
          const name = this.readNodeName(current.path);
          if (name === "" || name.includes("/")) {
            throw this.error(FdtDiagnostic.BAD_NODE_NAME, `node name "${name}" is empty or holds '/'`, current.path, tokenOffset + 4);
          }
          if (current.childNames.has(name)) {
            throw this.error(FdtDiagnostic.DUPLICATE, `two child nodes named "${name}"`, current.path, tokenOffset);
          }
          current.childNames.add(name);
          stack.push(newNode(name, current.path === "/" ? `/${name}` : `${current.path}/${name}`, tokenOffset));
          break;
        }
        case FdtToken.END_NODE: {
          stack.pop();
          const node: FdtNode = Object.freeze({
            name: current.name,
            path: current.path,
            offset: current.offset,
            properties: Object.freeze(current.properties),
            children: Object.freeze(current.children),
          });
          const parent = stack[stack.length - 1];
          if (parent === undefined) return node;
          parent.children.push(node);
          break;
        }
        case FdtToken.END:
          throw this.error(FdtDiagnostic.BAD_NESTING, `FDT_END inside node ${current.path}: ${stack.length} node(s) still open`, current.path, tokenOffset);
        default:
          throw this.error(FdtDiagnostic.UNKNOWN_TOKEN, `unknown structure token 0x${token.toString(16)}`, current.path, tokenOffset);
      }
    }
  }

  /** FDT_NOP may appear anywhere a token may (platform.md §1.2), also around the root node. */
  private nextTokenSkippingNops(path: string): number {
    for (;;) {
      const token = this.nextToken(path);
      if (token !== FdtToken.NOP) return token;
    }
  }

  private nextToken(path: string): number {
    if (this.cursor + 4 > this.end) {
      throw this.error(FdtDiagnostic.TRUNCATED_STRUCTURE, "the structure block ends before FDT_END", path, this.cursor);
    }
    const token = this.view.getUint32(this.cursor, false);
    this.cursor += 4;
    return token;
  }

  private readNodeName(path: string): string {
    const start = this.cursor;
    const nul = this.bytes.indexOf(0, start);
    if (nul < 0 || nul >= this.end) {
      throw this.error(FdtDiagnostic.TRUNCATED_STRUCTURE, "a node name runs past the end of the structure block", path, start);
    }
    const name = decodeAscii(this.bytes, start, nul);
    if (name === undefined) {
      throw this.error(FdtDiagnostic.BAD_NODE_NAME, "a node name holds non-printable bytes", path, start);
    }
    this.cursor = align4(nul + 1);
    if (this.cursor > this.end) {
      throw this.error(FdtDiagnostic.TRUNCATED_STRUCTURE, "the padding of a node name runs past the end of the structure block", path, start);
    }
    return name;
  }

  private readProperty(tokenOffset: number, path: string): FdtProperty {
    if (this.cursor + 8 > this.end) {
      throw this.error(FdtDiagnostic.TRUNCATED_STRUCTURE, "an FDT_PROP header runs past the end of the structure block", path, tokenOffset);
    }
    const length = this.view.getUint32(this.cursor, false);
    const nameOffset = this.view.getUint32(this.cursor + 4, false);
    const valueStart = this.cursor + 8;
    const name = this.readPropertyName(nameOffset, path, this.cursor + 4);
    if (length > this.end - valueStart) {
      throw this.error(FdtDiagnostic.TRUNCATED_STRUCTURE, `property "${name}" of ${length} bytes runs past the end of the structure block`, `${path}.${name}`, this.cursor);
    }
    const valueEnd = valueStart + length;
    this.cursor = align4(valueEnd);
    if (this.cursor > this.end) {
      throw this.error(FdtDiagnostic.TRUNCATED_STRUCTURE, `the padding of property "${name}" runs past the end of the structure block`, `${path}.${name}`, valueEnd);
    }
    return Object.freeze({ name, value: this.bytes.slice(valueStart, valueEnd), offset: tokenOffset });
  }

  private readPropertyName(nameOffset: number, path: string, fieldOffset: number): string {
    const { stringsOffset, stringsSize } = this.header;
    if (nameOffset >= stringsSize) {
      throw this.error(FdtDiagnostic.BAD_NAME_OFFSET, `nameoff 0x${nameOffset.toString(16)} lies outside the ${stringsSize}-byte strings block`, path, fieldOffset);
    }
    const start = stringsOffset + nameOffset;
    const stringsEnd = stringsOffset + stringsSize;
    const nul = this.bytes.indexOf(0, start);
    if (nul < 0 || nul >= stringsEnd) {
      throw this.error(FdtDiagnostic.BAD_NAME_OFFSET, `the property name at nameoff 0x${nameOffset.toString(16)} is not terminated inside the strings block`, path, fieldOffset);
    }
    const name = decodeAscii(this.bytes, start, nul);
    if (name === undefined || name === "") {
      throw this.error(FdtDiagnostic.BAD_NAME_OFFSET, `the property name at nameoff 0x${nameOffset.toString(16)} is empty or not printable`, path, fieldOffset);
    }
    return name;
  }

  private error(code: (typeof FdtDiagnostic)[keyof typeof FdtDiagnostic], message: string, path: string, offset: number) {
    return fdtError(code, message, { file: this.file, offset, path });
  }
}

function newNode(name: string, path: string, offset: number): NodeUnderConstruction {
  return { name, path, offset, properties: [], children: [], propertyNames: new Set(), childNames: new Set() };
}

function align4(offset: number): number {
  return (offset + 3) & ~3;
}

/** Printable ASCII (0x20-0x7e) or undefined: names in a DTB are ASCII by the specification. */
function decodeAscii(bytes: Uint8Array, start: number, end: number): string | undefined {
  let text = "";
  for (let index = start; index < end; index++) {
    const byte = bytes[index] as number;
    if (byte < 0x20 || byte > 0x7e) return undefined;
    text += String.fromCharCode(byte);
  }
  return text;
}

interface TreeIndex {
  readonly nodesByPath: Map<string, FdtNode>;
  readonly nodesByPhandle: Map<number, FdtNode>;
  readonly parentOf: Map<string, FdtNode>;
}

function indexTree(root: FdtNode, index: TreeIndex, file: string): void {
  const pending: { node: FdtNode; parent: FdtNode | undefined }[] = [{ node: root, parent: undefined }];
  while (pending.length > 0) {
    const { node, parent } = pending.pop() as { node: FdtNode; parent: FdtNode | undefined };
    index.nodesByPath.set(node.path, node);
    if (parent !== undefined) index.parentOf.set(node.path, parent);
    for (const property of node.properties) {
      if (property.name !== "phandle" && property.name !== "linux,phandle") continue;
      if (property.value.length !== 4) {
        throw fdtError(FdtDiagnostic.BAD_PROPERTY_VALUE, `${property.name} must be one cell, found ${property.value.length} bytes`, { file, offset: property.offset, path: `${node.path}.${property.name}` });
      }
      const phandle = new DataView(property.value.buffer, property.value.byteOffset, 4).getUint32(0, false);
      if (phandle === 0 || phandle === 0xffff_ffff) {
        throw fdtError(FdtDiagnostic.BAD_PROPERTY_VALUE, `phandle 0x${phandle.toString(16)} is reserved`, { file, offset: property.offset, path: `${node.path}.${property.name}` });
      }
      const other = index.nodesByPhandle.get(phandle);
      if (other !== undefined && other !== node) {
        throw fdtError(FdtDiagnostic.DUPLICATE, `phandle 0x${phandle.toString(16)} is also used by ${other.path}`, { file, offset: property.offset, path: `${node.path}.${property.name}` });
      }
      index.nodesByPhandle.set(phandle, node);
    }
    for (let i = node.children.length - 1; i >= 0; i--) pending.push({ node: node.children[i] as FdtNode, parent: node });
  }
}
