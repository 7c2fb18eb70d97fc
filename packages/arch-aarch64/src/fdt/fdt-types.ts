/**
 * The decoded form of a flattened device tree (reference/platform.md §1). Values stay raw
 * bytes; fdt-values.ts reads them as cells, strings or `reg` tuples on demand, so the tree
 * itself never guesses what a property means.
 */

/** reference/platform.md §1.1: the version-17 header, ten big-endian u32. */
export interface FdtHeader {
  readonly magic: number;
  readonly totalSize: number;
  readonly structOffset: number;
  readonly stringsOffset: number;
  readonly reservationMapOffset: number;
  readonly version: number;
  readonly lastCompatibleVersion: number;
  readonly bootCpuIdPhys: number;
  readonly stringsSize: number;
  readonly structSize: number;
}

/** One {u64 address, u64 size} entry of the memory reservation block (platform.md §1.1). */
export interface FdtReservation {
  readonly address: bigint;
  readonly size: bigint;
}

export interface FdtProperty {
  readonly name: string;
  readonly value: Uint8Array;
  /** byte offset of the FDT_PROP token in the blob */
  readonly offset: number;
}

export interface FdtNode {
  /** unit name as stored, "name@unit-address"; "" for the root */
  readonly name: string;
  /** full path, "/" for the root */
  readonly path: string;
  /** byte offset of the FDT_BEGIN_NODE token in the blob */
  readonly offset: number;
  readonly properties: readonly FdtProperty[];
  readonly children: readonly FdtNode[];
}

export interface FdtTree {
  /** file name or label used in diagnostics */
  readonly source: string;
  readonly header: FdtHeader;
  readonly reservations: readonly FdtReservation[];
  readonly root: FdtNode;
  /** every node by path */
  readonly nodesByPath: ReadonlyMap<string, FdtNode>;
  /** nodes with a `phandle` (or legacy `linux,phandle`) property, by that value */
  readonly nodesByPhandle: ReadonlyMap<number, FdtNode>;
  /** parent of every node but the root, by path */
  readonly parentOf: ReadonlyMap<string, FdtNode>;
}
