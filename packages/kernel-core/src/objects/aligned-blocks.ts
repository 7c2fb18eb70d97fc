/**
 * Split the page range [start, end) into the largest naturally aligned power-of-two blocks,
 * in ascending order: the shape in which NOVA walks and writes memory ranges (reference/nova.md
 * §1.8 "largest naturally aligned blocks"). `maxOrder` caps the block size.
 */
export interface PageBlock {
  readonly page: bigint;
  readonly order: number;
}

export function alignedBlocks(start: bigint, end: bigint, maxOrder = 63): PageBlock[] {
  const blocks: PageBlock[] = [];
  let page = start;
  while (page < end) {
    let order = 0;
    while (order < maxOrder) {
      const next = 1n << BigInt(order + 1);
      if (page % next !== 0n || page + next > end) break;
      order += 1;
    }
    blocks.push({ page, order });
    page += 1n << BigInt(order);
  }
  return blocks;
}
