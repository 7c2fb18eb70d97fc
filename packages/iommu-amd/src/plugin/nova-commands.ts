/**
 * The 128-bit commands NOVA's driver writes into a command queue (reference/amd-iommu.md §5.2,
 * §5.3; nova.md §4.5): opcode in bits 63:60 of the first quadword, every unused bit zero (a set
 * reserved bit makes a command illegal). The driver encodes them itself, as NOVA's smmu_amd.hpp
 * does, rather than borrowing the hardware model's encoders: two readings of §5.3 that must agree.
 */
export type CommandWords = readonly [bigint, bigint];

const opcode = (code: number): bigint => BigInt(code) << 60n;
const ADDRESS_51_3 = 0x000f_ffff_ffff_fff8n;
/** INVALIDATE_IOMMU_PAGES "whole domain": address bits 62:12 set, S=1, PDE=1 (nova.md §4.5) */
const ALL_PAGES_ADDRESS = 0x7fff_ffff_ffff_f000n;
const PAGES_S = 1n << 0n;
const PAGES_PDE = 1n << 1n;
/** S=1 encodings reach bit 51 at most: a block at least that large means "everything" (§5.3) */
const LARGEST_ENCODED_SHIFT = 51;

/** COMPLETION_WAIT (01h) with S=1: store `data` at the 8-byte aligned `storeAddress` when every earlier command is done. */
export function completionWaitStore(storeAddress: bigint, data: bigint): CommandWords {
  return [opcode(1) | (storeAddress & ADDRESS_51_3) | 1n, BigInt.asUintN(64, data)];
}

/** COMPLETION_WAIT (01h) with S=I=0: what NOVA writes over a bad command so the queue can restart (nova.md §4.7). */
export function completionWaitPlain(): CommandWords {
  return [opcode(1), 0n];
}

/** INVALIDATE_DEVTAB_ENTRY (02h): the DeviceID in bits 15:0. */
export function invalidateDevtabEntry(bdf: number): CommandWords {
  return [opcode(2) | BigInt(bdf & 0xffff), 0n];
}

/** INVALIDATE_IOMMU_PAGES (03h) for the whole domain, page directories included (nova.md §4.5). */
export function invalidateDomainPages(domainId: number): CommandWords {
  return [opcode(3) | (BigInt(domainId & 0xffff) << 32n), ALL_PAGES_ADDRESS | PAGES_S | PAGES_PDE];
}

/**
 * INVALIDATE_IOMMU_PAGES (03h) for the naturally aligned block of 2^order pages at `page`
 * (§5.3 S encoding: ones below the block's top bit, first zero at bit 12 + order - 1), PDE=1
 * because the kernel frees emptied tables after the invalidation. A block too large to encode
 * becomes the whole domain.
 */
export function invalidatePageBlock(domainId: number, page: bigint, order: number): CommandWords {
  if (12 + order > LARGEST_ENCODED_SHIFT) return invalidateDomainPages(domainId);
  const first = opcode(3) | (BigInt(domainId & 0xffff) << 32n);
  const base = (page << 12n) & ~((1n << BigInt(12 + order)) - 1n);
  if (order === 0) return [first, base | PAGES_PDE];
  const ones = ((1n << BigInt(order - 1)) - 1n) << 12n;
  return [first, base | ones | PAGES_S | PAGES_PDE];
}

/** INVALIDATE_INTERRUPT_TABLE (05h): the DeviceID in bits 15:0. */
export function invalidateInterruptTable(bdf: number): CommandWords {
  return [opcode(5) | BigInt(bdf & 0xffff), 0n];
}

/** INVALIDATE_IOMMU_ALL (08h): no operands (needs EFR.IASup). */
export function invalidateIommuAll(): CommandWords {
  return [opcode(8), 0n];
}
