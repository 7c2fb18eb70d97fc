/**
 * Where NOVA keeps each CPU's supervisor shadow stack (reference/cet.md §7 step 3, nova.md §5):
 * one 4 KiB page at the CPU-local address 0xFFFFFFFFBFFFE000 ([REL-24.08]); SSTK_TOP, the last
 * 8-byte slot, holds the supervisor token and is what IA32_PL0_SSP points at.
 */
export const SHADOW_STACK_BASE = 0xffff_ffff_bfff_e000n;
export const SHADOW_STACK_SIZE = 0x1000n;
export const SHADOW_STACK_TOP = SHADOW_STACK_BASE + SHADOW_STACK_SIZE - 8n;
