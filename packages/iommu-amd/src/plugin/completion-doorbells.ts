import type { PhysicalMemory } from "@novakit/kernel-core";

/**
 * NOVA's per-CPU completion doorbells (nova.md §4.5 step 2): one 8-byte word per CPU in kernel
 * memory, and a per-CPU sequence number incremented once per submitted batch. A batch ends with
 * a COMPLETION_WAIT that stores the sequence number there; the submitter spins until it appears.
 */
export class CompletionDoorbells {
  private readonly sequences: bigint[];

  constructor(
    private readonly memory: PhysicalMemory,
    /** physical address of CPU 0's doorbell; CPU n's is 8 * n above it */
    readonly base: bigint,
    cpus: number,
  ) {
    this.sequences = Array.from({ length: Math.max(1, cpus) }, () => 0n);
  }

  /** the doorbell of `cpu` and the next sequence number it will be rung with */
  next(cpu: number): { readonly address: bigint; readonly sequence: bigint } {
    const index = cpu >= 0 && cpu < this.sequences.length ? cpu : 0;
    const sequence = BigInt.asUintN(64, (this.sequences[index] as bigint) + 1n);
    this.sequences[index] = sequence;
    return { address: this.base + BigInt(index * 8), sequence };
  }

  rang(address: bigint, sequence: bigint): boolean {
    return this.memory.read64(address) === sequence;
  }
}
