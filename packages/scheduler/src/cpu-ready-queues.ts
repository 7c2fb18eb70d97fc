import type { SchedulableContext } from "@novakit/kernel-core";
import { CircularReadyQueue } from "./circular-ready-queue.js";
import { NOVA_PRIORITY_COUNT, PriorityBitmap } from "./priority-bitmap.js";
import { ReadyNode } from "./ready-node.js";
import { alreadyQueued } from "./scheduler-diagnostics.js";

/**
 * The ready queues of one CPU (reference/nova.md §7, `Scheduler::Ready`): one circular FIFO
 * per priority and a bitmap of the non-empty ones. Nothing here refers to another CPU, which
 * is what makes the policy partitioned like NOVA's.
 */
export class CpuReadyQueues {
  private readonly queues: CircularReadyQueue[] = Array.from(
    { length: NOVA_PRIORITY_COUNT },
    () => new CircularReadyQueue(),
  );
  private readonly nonEmpty = new PriorityBitmap();
  /** queued SCs by id, so dequeue finds a node in O(1) */
  private readonly queued = new Map<number, ReadyNode>();

  /**
   * NOVA's enqueue rule: budget left (preempted) → head, keeping the remainder; no budget left
   * (expired or new) → tail, refilled to the full budget. A negative `leftNs` (the kernel
   * charged past the timeout) counts as expired.
   */
  enqueue(sc: SchedulableContext): void {
    if (this.queued.has(sc.id)) throw alreadyQueued(sc);
    const budgetLeft = sc.leftNs > 0;
    const node = new ReadyNode(sc, sc.priority, budgetLeft);
    this.queues[sc.priority]!.insert(node, budgetLeft);
    this.nonEmpty.set(sc.priority);
    this.queued.set(sc.id, node);
    if (!budgetLeft) sc.leftNs = sc.budgetNs;
  }

  /** Remove the head of the highest non-empty priority. */
  takeNext(): SchedulableContext | undefined {
    const priority = this.nonEmpty.highest();
    if (priority < 0) return undefined;
    const queue = this.queues[priority]!;
    const node = queue.removeHead()!;
    if (queue.isEmpty()) this.nonEmpty.clear(priority);
    this.queued.delete(node.sc.id);
    return node.sc;
  }

  /** Remove `sc` wherever it is queued; false when it is not queued (already running or blocked). */
  remove(scId: number): boolean {
    const node = this.queued.get(scId);
    if (node === undefined) return false;
    const queue = this.queues[node.priority]!;
    queue.remove(node);
    if (queue.isEmpty()) this.nonEmpty.clear(node.priority);
    this.queued.delete(scId);
    return true;
  }

  /** The node of a queued SC, or undefined. */
  find(scId: number): ReadyNode | undefined {
    return this.queued.get(scId);
  }

  highestReadyPriority(): number {
    return this.nonEmpty.highest();
  }

  get size(): number {
    return this.queued.size;
  }

  /** SC ids of one priority in queue order, head first (O(n); tests and tracing). */
  idsAt(priority: number): number[] {
    return Array.from(this.queues[priority]!.nodes(), (node) => node.sc.id);
  }
}
