import { NovakitError, type InputLocation } from "@novakit/kernel-core";

/**
 * Stable diagnostic codes of the FDT parser (prefix NK-FDT). Never reuse a number for another
 * meaning; docs/diagnostics.md lists them.
 */
export const FdtDiagnostic = {
  /** the blob is shorter than the 40-byte version-17 header */
  TRUNCATED_HEADER: "NK-FDT-001",
  /** magic is not 0xD00DFEED */
  BAD_MAGIC: "NK-FDT-002",
  /** version / last_comp_version cannot be read by a version-17 parser */
  UNSUPPORTED_VERSION: "NK-FDT-003",
  /** totalsize is larger than the data or smaller than the header */
  BAD_TOTAL_SIZE: "NK-FDT-004",
  /** a block's offset or size lies outside totalsize or overlaps the header */
  BLOCK_OUT_OF_RANGE: "NK-FDT-005",
  /** a block or token is not aligned as the format requires */
  MISALIGNED: "NK-FDT-006",
  /** the memory reservation map has no terminating (0, 0) entry inside the blob */
  UNTERMINATED_RESERVATIONS: "NK-FDT-007",
  /** a structure-block token is not one of BEGIN_NODE, END_NODE, PROP, NOP, END */
  UNKNOWN_TOKEN: "NK-FDT-008",
  /** a token, a name or a property value runs past the end of the structure block */
  TRUNCATED_STRUCTURE: "NK-FDT-009",
  /** nodes are not properly nested (no root, two roots, END inside a node, data after END) */
  BAD_NESTING: "NK-FDT-010",
  /** a property's nameoff points outside the strings block or at an unterminated name */
  BAD_NAME_OFFSET: "NK-FDT-011",
  /** a node name is empty (below the root), unterminated or holds a '/' */
  BAD_NODE_NAME: "NK-FDT-012",
  /** a property value does not have the length or shape its binding requires */
  BAD_PROPERTY_VALUE: "NK-FDT-013",
  /** a node or property the binding requires is absent */
  MISSING: "NK-FDT-014",
  /** two properties of one node, or two children of one node, share a name; two nodes share a phandle */
  DUPLICATE: "NK-FDT-015",
  /** a phandle reference names no node */
  UNKNOWN_PHANDLE: "NK-FDT-016",
  /** a property appears after a child node began (properties must come first) */
  PROPERTY_AFTER_CHILD: "NK-FDT-017",
} as const;
export type FdtDiagnosticCode = (typeof FdtDiagnostic)[keyof typeof FdtDiagnostic];

/** Where in a blob something went wrong: the file, the byte offset and the node path. */
export interface FdtLocation {
  readonly file: string;
  readonly offset?: number;
  /** node path, e.g. "/intc@8000000", optionally with ".property" */
  readonly path?: string;
}

export function fdtError(code: FdtDiagnosticCode, message: string, where: FdtLocation, hint?: string): NovakitError {
  const location: InputLocation = {
    file: where.file,
    ...(where.offset !== undefined ? { offset: where.offset } : {}),
    ...(where.path !== undefined ? { field: where.path } : {}),
  };
  return new NovakitError(code, message, location, hint);
}
