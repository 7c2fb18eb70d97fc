import { a64Error, A64Diagnostic } from "../a64-diagnostics.js";
import type { FdtTree } from "../fdt/fdt-types.js";
import { cellsOf, findProperty, stringOf } from "../fdt/fdt-values.js";

/** /chosen (platform.md §2). */
export interface ChosenDescription {
  readonly bootargs?: string;
  readonly stdoutPath?: string;
  readonly initrdStart?: bigint;
  readonly initrdEnd?: bigint;
}

export function discoverChosen(tree: FdtTree): ChosenDescription {
  const node = tree.nodesByPath.get("/chosen");
  if (node === undefined) return {};
  const bootargs = findProperty(node, "bootargs");
  const stdoutPath = findProperty(node, "stdout-path");
  const initrdStart = findProperty(node, "linux,initrd-start");
  const initrdEnd = findProperty(node, "linux,initrd-end");
  const cellsNumber = (property: NonNullable<typeof initrdStart>): bigint => {
    const cells = cellsOf(tree, node, property);
    if (cells.length !== 1 && cells.length !== 2) throw a64Error(A64Diagnostic.BAD_VALUE, `${property.name} must be one or two cells`, { file: tree.source, field: `/chosen.${property.name}` });
    return cells.reduce((value, cell) => (value << 32n) | BigInt(cell), 0n);
  };
  return {
    ...(bootargs !== undefined ? { bootargs: stringOf(tree, node, bootargs) } : {}),
    ...(stdoutPath !== undefined ? { stdoutPath: stringOf(tree, node, stdoutPath) } : {}),
    ...(initrdStart !== undefined ? { initrdStart: cellsNumber(initrdStart) } : {}),
    ...(initrdEnd !== undefined ? { initrdEnd: cellsNumber(initrdEnd) } : {}),
  };
}
