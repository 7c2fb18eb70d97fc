import { FdtDiagnostic, fdtError } from "./fdt-diagnostics.js";
import type { FdtNode, FdtProperty, FdtTree } from "./fdt-types.js";

/**
 * Readers for property values (reference/platform.md §1.3): big-endian cells, NUL-terminated
 * strings and string lists, `reg` tuples sized by the parent's #address-cells / #size-cells
 * (defaults 2 and 1), phandles. Every reader throws NK-FDT-013 naming the file, the property's
 * offset and node path when the value does not have the required shape.
 */

/** reference/platform.md §1.3: defaults when #address-cells / #size-cells are absent */
export const DEFAULT_ADDRESS_CELLS = 2;
export const DEFAULT_SIZE_CELLS = 1;

export interface RegRange {
  readonly address: bigint;
  readonly size: bigint;
}

export function findProperty(node: FdtNode, name: string): FdtProperty | undefined {
  return node.properties.find((property) => property.name === name);
}

export function hasProperty(node: FdtNode, name: string): boolean {
  return findProperty(node, name) !== undefined;
}

function valueError(tree: FdtTree, node: FdtNode, property: FdtProperty, message: string) {
  return fdtError(FdtDiagnostic.BAD_PROPERTY_VALUE, `${property.name}: ${message}`, { file: tree.source, offset: property.offset, path: `${node.path}.${property.name}` });
}

export function requireProperty(tree: FdtTree, node: FdtNode, name: string): FdtProperty {
  const property = findProperty(node, name);
  if (property === undefined) {
    throw fdtError(FdtDiagnostic.MISSING, `property "${name}" is required`, { file: tree.source, offset: node.offset, path: `${node.path}.${name}` });
  }
  return property;
}

/** All cells of a value; its length must be a multiple of 4. */
export function cellsOf(tree: FdtTree, node: FdtNode, property: FdtProperty): number[] {
  const { value } = property;
  if (value.length % 4 !== 0) throw valueError(tree, node, property, `${value.length} bytes is not a whole number of 32-bit cells`);
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const cells: number[] = [];
  for (let offset = 0; offset < value.length; offset += 4) cells.push(view.getUint32(offset, false));
  return cells;
}

/** A one-cell property. */
export function u32Of(tree: FdtTree, node: FdtNode, property: FdtProperty): number {
  if (property.value.length !== 4) throw valueError(tree, node, property, `expected one cell (4 bytes), found ${property.value.length} bytes`);
  return new DataView(property.value.buffer, property.value.byteOffset, 4).getUint32(0, false);
}

/** A one- or two-cell number (two cells = hi, lo). */
export function u64Of(tree: FdtTree, node: FdtNode, property: FdtProperty): bigint {
  const cells = cellsOf(tree, node, property);
  if (cells.length !== 1 && cells.length !== 2) throw valueError(tree, node, property, `expected one or two cells, found ${cells.length}`);
  return combineCells(cells);
}

/** A number spread over `cells.length` cells, most significant first. */
export function combineCells(cells: readonly number[]): bigint {
  let value = 0n;
  for (const cell of cells) value = (value << 32n) | BigInt(cell);
  return value;
}

/**
 * The NUL-terminated strings of a string list; an empty value is an empty list. Bytes are read
 * one character each (Latin-1): the specification asks for printable ASCII, but dtc itself
 * accepts and escapes any byte (tabs in labels, for instance), so this reader does too.
 */
export function stringListOf(tree: FdtTree, node: FdtNode, property: FdtProperty): string[] {
  const { value } = property;
  if (value.length === 0) return [];
  if (value[value.length - 1] !== 0) throw valueError(tree, node, property, "the string (list) is not NUL-terminated");
  const strings: string[] = [];
  let start = 0;
  for (let index = 0; index < value.length; index++) {
    if (value[index] !== 0) continue;
    let text = "";
    for (let at = start; at < index; at++) text += String.fromCharCode(value[at] as number);
    strings.push(text);
    start = index + 1;
  }
  return strings;
}

/** A single string (a string list of exactly one entry). */
export function stringOf(tree: FdtTree, node: FdtNode, property: FdtProperty): string {
  const strings = stringListOf(tree, node, property);
  if (strings.length !== 1) throw valueError(tree, node, property, `expected one string, found ${strings.length}`);
  return strings[0] as string;
}

/** The #address-cells / #size-cells a node gives its children (defaults 2 / 1). */
export function childCellSizes(tree: FdtTree, node: FdtNode): { readonly addressCells: number; readonly sizeCells: number } {
  const address = findProperty(node, "#address-cells");
  const size = findProperty(node, "#size-cells");
  const addressCells = address === undefined ? DEFAULT_ADDRESS_CELLS : u32Of(tree, node, address);
  const sizeCells = size === undefined ? DEFAULT_SIZE_CELLS : u32Of(tree, node, size);
  if (addressCells > 4 && address !== undefined) throw valueError(tree, node, address, `${addressCells} address cells (at most 4)`);
  if (sizeCells > 4 && size !== undefined) throw valueError(tree, node, size, `${sizeCells} size cells (at most 4)`);
  return { addressCells, sizeCells };
}

export function parentOf(tree: FdtTree, node: FdtNode): FdtNode | undefined {
  return tree.parentOf.get(node.path);
}

/**
 * `reg` as (address, size) tuples, widths from the parent's #address-cells / #size-cells
 * (platform.md §1.3). Addresses wider than 64 bits are rejected (they do not fit a physical address).
 */
export function regOf(tree: FdtTree, node: FdtNode, property: FdtProperty = requireProperty(tree, node, "reg")): RegRange[] {
  const parent = parentOf(tree, node);
  const { addressCells, sizeCells } = parent === undefined ? { addressCells: DEFAULT_ADDRESS_CELLS, sizeCells: DEFAULT_SIZE_CELLS } : childCellSizes(tree, parent);
  const cells = cellsOf(tree, node, property);
  const tuple = addressCells + sizeCells;
  if (tuple === 0 || cells.length === 0 || cells.length % tuple !== 0) {
    throw valueError(tree, node, property, `${cells.length} cells is not a non-empty list of (${addressCells} address + ${sizeCells} size)-cell tuples`);
  }
  if (addressCells > 2 || sizeCells > 2) throw valueError(tree, node, property, `${addressCells}/${sizeCells} cells do not fit a 64-bit address/size`);
  const ranges: RegRange[] = [];
  for (let at = 0; at < cells.length; at += tuple) {
    ranges.push({
      address: combineCells(cells.slice(at, at + addressCells)),
      size: combineCells(cells.slice(at + addressCells, at + tuple)),
    });
  }
  return ranges;
}

/** The node a one-cell phandle property refers to. */
export function phandleTarget(tree: FdtTree, node: FdtNode, property: FdtProperty): FdtNode {
  const phandle = u32Of(tree, node, property);
  const target = tree.nodesByPhandle.get(phandle);
  if (target === undefined) {
    throw fdtError(FdtDiagnostic.UNKNOWN_PHANDLE, `${property.name}: phandle 0x${phandle.toString(16)} names no node`, { file: tree.source, offset: property.offset, path: `${node.path}.${property.name}` });
  }
  return target;
}

/** The interrupt parent of a node: its own `interrupt-parent`, else the nearest ancestor's. */
export function interruptParentOf(tree: FdtTree, node: FdtNode): FdtNode | undefined {
  for (let current: FdtNode | undefined = node; current !== undefined; current = parentOf(tree, current)) {
    const property = findProperty(current, "interrupt-parent");
    if (property !== undefined) return phandleTarget(tree, current, property);
  }
  return undefined;
}

/** A node by absolute path; NK-FDT-014 when absent. */
export function requireNode(tree: FdtTree, path: string): FdtNode {
  const node = tree.nodesByPath.get(path);
  if (node === undefined) throw fdtError(FdtDiagnostic.MISSING, `node ${path} is required`, { file: tree.source, path });
  return node;
}

/** The unit name without its unit address: "cpu@1" -> "cpu". */
export function nodeBaseName(node: FdtNode): string {
  const at = node.name.indexOf("@");
  return at < 0 ? node.name : node.name.slice(0, at);
}

/** Every node, depth first, root first. */
export function allNodes(tree: FdtTree): FdtNode[] {
  const nodes: FdtNode[] = [];
  const pending: FdtNode[] = [tree.root];
  while (pending.length > 0) {
    const node = pending.pop() as FdtNode;
    nodes.push(node);
    for (let i = node.children.length - 1; i >= 0; i--) pending.push(node.children[i] as FdtNode);
  }
  return nodes;
}

/** true when the node's `compatible` list holds `compatible`. */
export function isCompatible(tree: FdtTree, node: FdtNode, compatible: string): boolean {
  const property = findProperty(node, "compatible");
  return property !== undefined && stringListOf(tree, node, property).includes(compatible);
}
