/**
 * The plugin's stable diagnostic codes (docs/diagnostics.md, "Intel CET"). This part of the
 * plugin uses NK-CET-050 and up; the ELF analyzer of the same package numbers from NK-CET-001.
 */
export const CetDiagnostic = {
  /** the CFP level needs a CPU feature the platform's CPU lacks (check error, boot refusal) */
  UNSUPPORTED_LEVEL: "NK-CET-050",
  /** warning: cfp is unset and the CPU could run a CFP level */
  LEVEL_SUGGESTION: "NK-CET-051",
  /** CR4.CET would be set while CR0.WP is clear (the arch plugin left WP clear) */
  CR0_WP_CLEAR: "NK-CET-052",
  /** no kernel memory for a CPU's shadow-stack page or its page table */
  OUT_OF_KERNEL_MEMORY: "NK-CET-053",
  /** the kernel offers no kernel page table (KernelServices.createKernelPageTable) */
  NO_KERNEL_PAGE_TABLE: "NK-CET-054",
  /** a value with reserved bits 9:6 set written to IA32_S_CET / IA32_U_CET */
  RESERVED_CET_BITS: "NK-CET-055",
  /** the control-flow model was used on a CPU the cpu phase has not initialised */
  CPU_NOT_INITIALISED: "NK-CET-056",
  /** a modelled code address holds no instruction (outside the hypervisor image model) */
  NO_CODE_AT_ADDRESS: "NK-CET-057",
} as const;
export type CetDiagnosticCode = (typeof CetDiagnostic)[keyof typeof CetDiagnostic];
