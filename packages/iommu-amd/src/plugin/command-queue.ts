import type { PhysicalMemory } from "@novakit/kernel-core";
import type { CompletionDoorbells } from "./completion-doorbells.js";
import type { IommuHardware } from "./iommu-hardware.js";
import { MmioRegister, QUEUE_ENTRIES, QUEUE_ENTRY_BYTES, QUEUE_POINTER_MASK } from "./mmio-registers.js";
import { completionWaitPlain, completionWaitStore, type CommandWords } from "./nova-commands.js";
import { spinUntil } from "./spin-wait.js";

/** commands per batch: the queue's usable 255 entries minus the COMPLETION_WAIT slot (nova.md §4.4 step 11) */
export const COMMANDS_PER_BATCH = QUEUE_ENTRIES - 2;

/**
 * One unit's 4 KiB command queue as NOVA drives it (nova.md §4.5): under the queue lock (the
 * simulator runs one hypercall at a time, so a submission is never interleaved with another),
 * wait for room for n+1 entries, write the n commands and a COMPLETION_WAIT that stores a per-CPU
 * sequence number into that CPU's doorbell, write CMD_TAIL, spin until the doorbell shows the
 * number. Either wait running out is a timeout (the hypercall answers TIMEOUT).
 */
export class CommandQueue {
  /** the software tail, an entry index (the register holds it as a byte offset) */
  private tail = 0;

  constructor(
    private readonly hardware: IommuHardware,
    private readonly memory: PhysicalMemory,
    /** physical base of the 256-entry ring */
    readonly base: bigint,
    private readonly doorbells: CompletionDoorbells,
  ) {}

  /** The queue registers were just programmed (a base write resets head and tail, nova.md §4.4 step 7). */
  reset(): void {
    this.tail = 0;
  }

  /**
   * Submit `commands` (split into batches of COMMANDS_PER_BATCH), each batch completed with a
   * COMPLETION_WAIT on `cpu`'s doorbell. false when a wait timed out; later batches are not sent.
   */
  submit(commands: readonly CommandWords[], cpu: number): boolean {
    if (commands.length === 0) return this.submitBatch([], cpu);
    for (let start = 0; start < commands.length; start += COMMANDS_PER_BATCH) {
      if (!this.submitBatch(commands.slice(start, start + COMMANDS_PER_BATCH), cpu)) return false;
    }
    return true;
  }

  private submitBatch(batch: readonly CommandWords[], cpu: number): boolean {
    const needed = batch.length + 1;
    if (!spinUntil(() => this.freeEntries() >= needed)) return false;
    for (const command of batch) this.append(command);
    const doorbell = this.doorbells.next(cpu);
    this.append(completionWaitStore(doorbell.address, doorbell.sequence));
    this.hardware.mmioWrite64(MmioRegister.CMD_TAIL, BigInt(this.tail * QUEUE_ENTRY_BYTES));
    return spinUntil(() => this.doorbells.rang(doorbell.address, doorbell.sequence));
  }

  /** entries software may still write: one stays empty so that a full ring differs from an empty one (§5.1) */
  private freeEntries(): number {
    const head = Number((this.hardware.mmioRead64(MmioRegister.CMD_HEAD) & QUEUE_POINTER_MASK) / BigInt(QUEUE_ENTRY_BYTES));
    return (head - this.tail - 1 + QUEUE_ENTRIES) % QUEUE_ENTRIES;
  }

  private append(command: CommandWords): void {
    const at = this.base + BigInt(this.tail * QUEUE_ENTRY_BYTES);
    this.memory.write64(at, command[0]);
    this.memory.write64(at + 8n, command[1]);
    this.tail = (this.tail + 1) % QUEUE_ENTRIES;
  }

  /**
   * After ILLEGAL_COMMAND_ERROR / COMMAND_HARDWARE_ERROR the queue halted with CMD_HEAD on the bad
   * command: NOVA overwrites it with a plain COMPLETION_WAIT so the restarted queue goes on
   * (nova.md §4.7). Returns the physical address that was repaired.
   */
  replaceCommandAtHead(): bigint {
    const head = this.hardware.mmioRead64(MmioRegister.CMD_HEAD) & QUEUE_POINTER_MASK;
    const at = this.base + head;
    const [low, high] = completionWaitPlain();
    this.memory.write64(at, low);
    this.memory.write64(at + 8n, high);
    return at;
  }

  /** Write raw 128-bit commands and the tail, without a completion wait: fault injection for tests and tools. */
  writeRaw(commands: readonly CommandWords[]): void {
    for (const command of commands) this.append(command);
    this.hardware.mmioWrite64(MmioRegister.CMD_TAIL, BigInt(this.tail * QUEUE_ENTRY_BYTES));
  }
}
