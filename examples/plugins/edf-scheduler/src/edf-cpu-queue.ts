import type { SchedulableContext } from "@novakit/kernel-core";
import { deadlineOnEnqueue } from "./deadline-rule.js";
import { alreadyQueued } from "./edf-diagnostics.js";
import { runsBefore, type EdfEntry } from "./edf-entry.js";
import { IndexedMinHeap } from "./indexed-min-heap.js";

const PRIORITY_COUNT = 128;

/** The ready SCs of one CPU, in EDF order. Knows nothing of other CPUs. */
export class EdfCpuQueue {
  private readonly ready = new IndexedMinHeap<EdfEntry>(runsBefore);
  /** every SC this CPU has seen and not forgotten (ready or running): their deadlines */
  private readonly entries = new Map<number, EdfEntry>();
  /** the virtual clock of each priority class: the deadline of the last SC picked in it */
  private readonly virtualNowNs = new Float64Array(PRIORITY_COUNT);
  private nextSequence = 0;

  enqueue(sc: SchedulableContext): EdfEntry {
    const known = this.entries.get(sc.id);
    if (known !== undefined && known.heapIndex >= 0) throw alreadyQueued(sc);
    const { deadlineNs, refill } = deadlineOnEnqueue(sc, known?.deadlineNs, this.virtualNowNs[sc.priority]!);
    if (refill) sc.leftNs = sc.budgetNs;
    const entry: EdfEntry = { sc, deadlineNs, sequence: this.nextSequence++, heapIndex: -1 };
    this.entries.set(sc.id, entry);
    this.ready.push(entry);
    return entry;
  }

  /** Remove the SC with the earliest deadline; its entry stays, as the running SC's deadline. */
  takeNext(): EdfEntry | undefined {
    const entry = this.ready.pop();
    if (entry !== undefined && Number.isFinite(entry.deadlineNs)) {
      const priority = entry.sc.priority;
      this.virtualNowNs[priority] = Math.max(this.virtualNowNs[priority]!, entry.deadlineNs);
    }
    return entry;
  }

  /** A blocked or destroyed SC: out of the queue, and its deadline forgotten. */
  forget(scId: number): boolean {
    const entry = this.entries.get(scId);
    if (entry === undefined) return false;
    this.ready.remove(entry);
    this.entries.delete(scId);
    return true;
  }

  /** The deadline `sc` has while queued, or would get if it were enqueued now. */
  effectiveDeadline(sc: SchedulableContext): number {
    const known = this.entries.get(sc.id);
    if (known !== undefined && known.heapIndex >= 0) return known.deadlineNs;
    return deadlineOnEnqueue(sc, known?.deadlineNs, this.virtualNowNs[sc.priority]!).deadlineNs;
  }

  /** The deadline of an SC that is running (picked), or +Infinity when unknown. */
  currentDeadline(sc: SchedulableContext): number {
    return this.entries.get(sc.id)?.deadlineNs ?? Number.POSITIVE_INFINITY;
  }

  deadlineOf(scId: number): number | undefined {
    return this.entries.get(scId)?.deadlineNs;
  }

  virtualTime(priority: number): number {
    return this.virtualNowNs[priority]!;
  }

  get readyCount(): number {
    return this.ready.size;
  }
}
