import { NovakitError } from "../../../errors/novakit-error.js";
import type { DomainMemoryView } from "../../devices/device-api.js";

/**
 * A driver's bump allocator over its domain's memory: rings, descriptors and buffers are placed
 * in the domain's own memory, whose addresses are also the IOVAs its devices use.
 */
export class BufferArena {
  private next: bigint;

  constructor(private readonly memory: DomainMemoryView) {
    this.next = memory.base;
  }

  /** `bytes` bytes aligned to `alignment` (a power of two), zeroed by the caller if it must be */
  take(bytes: number, alignment = 4096): bigint {
    const mask = BigInt(alignment - 1);
    const start = (this.next + mask) & ~mask;
    const end = start + BigInt(bytes);
    if (end > this.memory.base + this.memory.size) {
      throw new NovakitError(
        "NK-DEV-051",
        `the driver's buffers need more than the domain's ${this.memory.size / 1024n} KiB of memory`,
        { field: "memoryMiB" },
        "give the domain more memory or choose smaller workload options",
      );
    }
    this.next = end;
    return start;
  }
}
