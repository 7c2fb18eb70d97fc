import type { SchedulableContext } from "@novakit/kernel-core";
import type { HeapSlot } from "./indexed-min-heap.js";

/** What the EDF policy remembers about one SC of its CPU. */
export interface EdfEntry extends HeapSlot {
  readonly sc: SchedulableContext;
  /** absolute deadline in simulated ns; +Infinity for priority 0 (the idle SC runs in the background) */
  deadlineNs: number;
  /** enqueue order on this CPU, the last tie-breaker */
  sequence: number;
}

/**
 * The EDF order, a strict total order so ties are deterministic: higher priority class first
 * (priorities stay strict classes, so the root SC at 127 finishes building domains before they
 * compete), then earlier deadline, then lower SC id, then earlier enqueue.
 */
export function runsBefore(a: EdfEntry, b: EdfEntry): boolean {
  if (a.sc.priority !== b.sc.priority) return a.sc.priority > b.sc.priority;
  if (a.deadlineNs !== b.deadlineNs) return a.deadlineNs < b.deadlineNs;
  if (a.sc.id !== b.sc.id) return a.sc.id < b.sc.id;
  return a.sequence < b.sequence;
}
