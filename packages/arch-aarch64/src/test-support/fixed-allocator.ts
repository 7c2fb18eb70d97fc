import type { TableAllocator } from "@novakit/kernel-core";

/**
 * Hands out table frames at the addresses a worked example names, in order, so the tables sit
 * exactly where the reference's walk expects them.
 */
export class FixedTableAllocator implements TableAllocator {
  private next = 0;
  constructor(private readonly addresses: readonly bigint[]) {}

  allocateTable(): bigint | undefined {
    return this.addresses[this.next++];
  }

  allocateTables(count: number): bigint | undefined {
    const address = this.addresses[this.next];
    this.next += 1;
    return count >= 1 ? address : undefined;
  }

  freeTable(): void {
    // the examples never free
  }
}
