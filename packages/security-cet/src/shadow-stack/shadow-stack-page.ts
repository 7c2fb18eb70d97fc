import { NovakitError, MemoryPermission, type KernelServices, type MemoryAttributes, type PhysicalMemory, type TranslationTable } from "@novakit/kernel-core";
import { CetDiagnostic } from "../cet-diagnostics.js";
import { SHADOW_STACK_BASE, SHADOW_STACK_TOP } from "./shadow-stack-layout.js";
import { freeToken } from "./supervisor-token.js";

/**
 * NOVA maps the shadow-stack page with permissions SS | G | R (cet.md §7 step 3): supervisor,
 * global, readable, not executable; the format turns SS into the architecture's encoding (x86:
 * R/W = 0 and D = 1, cet.md §4.3).
 */
export const SHADOW_STACK_ATTRIBUTES: MemoryAttributes = Object.freeze({
  cache: "WB",
  keyId: 0,
  user: false,
  kernel: true,
  global: true,
  shadowStack: true,
});
export const SHADOW_STACK_PERMISSIONS = MemoryPermission.R;

/** One CPU's supervisor shadow stack: the frame behind it and the CPU-local table mapping it. */
export interface ShadowStackPage {
  /** physical address of the 4 KiB frame */
  readonly frame: bigint;
  /** the CPU-local kernel page table that maps SHADOW_STACK_BASE to the frame */
  readonly table: TranslationTable;
  readonly memory: PhysicalMemory;
}

/**
 * Allocate, map and prime one CPU's shadow stack as NOVA's start code does: a zeroed kernel
 * frame, mapped at SHADOW_STACK_BASE as a shadow-stack page, its top slot a free supervisor token
 * that points at itself.
 */
export function createShadowStackPage(kernel: KernelServices, cpu: number): ShadowStackPage {
  if (kernel.createKernelPageTable === undefined) {
    throw new NovakitError(
      CetDiagnostic.NO_KERNEL_PAGE_TABLE,
      "this kernel offers no kernel page table (KernelServices.createKernelPageTable), so the shadow-stack page cannot be mapped",
      { field: "kernel.createKernelPageTable" },
    );
  }
  const frame = kernel.allocateKernelFrames(1, 1);
  if (frame === undefined) throw outOfMemory(cpu, "its shadow-stack frame");
  const table = kernel.createKernelPageTable();
  const mapped = table.map(tableInput(table, SHADOW_STACK_BASE), frame, 0, SHADOW_STACK_PERMISSIONS, SHADOW_STACK_ATTRIBUTES);
  if (!mapped.ok) {
    if (mapped.status === "MEM_CAP") throw outOfMemory(cpu, "the page table mapping its shadow stack");
    throw new NovakitError(
      CetDiagnostic.NO_KERNEL_PAGE_TABLE,
      `CPU ${cpu}: the kernel page table (${table.format.name}) cannot map ${SHADOW_STACK_BASE.toString(16)}`,
      { field: "kernel page table" },
    );
  }
  const memory = kernel.physicalMemory;
  memory.write64(frame + (SHADOW_STACK_TOP - SHADOW_STACK_BASE), freeToken(SHADOW_STACK_TOP));
  return { frame, table, memory };
}

/**
 * The input address a page table walks for a canonical linear address: the sign-extension bits
 * above the table's input width are not part of the walk (bits 47:0 with 4 levels, 56:0 with 5).
 */
export function tableInput(table: TranslationTable, linear: bigint): bigint {
  return linear & ((1n << BigInt(table.format.inputBits)) - 1n);
}

function outOfMemory(cpu: number, what: string): NovakitError {
  return new NovakitError(CetDiagnostic.OUT_OF_KERNEL_MEMORY, `CPU ${cpu}: no kernel memory for ${what}`, { field: "kernel memory" }, "give the platform more RAM");
}
