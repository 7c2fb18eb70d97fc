/**
 * Discrete-event queue ordered by simulated time. Ties are broken by insertion order (a
 * monotonically increasing sequence number), never by object identity or hash order, so two
 * runs with the same inputs pop events in exactly the same order.
 */
export interface QueuedEvent<T> {
  readonly timeNs: number;
  readonly sequence: number;
  readonly payload: T;
  /** set by cancel(); a cancelled event is skipped when it reaches the head */
  cancelled: boolean;
}

export class EventQueue<T> {
  private readonly heap: QueuedEvent<T>[] = [];
  private nextSequence = 0;

  get size(): number {
    return this.heap.length;
  }

  schedule(timeNs: number, payload: T): QueuedEvent<T> {
    const event: QueuedEvent<T> = { timeNs, sequence: this.nextSequence++, payload, cancelled: false };
    this.heap.push(event);
    this.siftUp(this.heap.length - 1);
    return event;
  }

  cancel(event: QueuedEvent<T> | undefined): void {
    if (event) event.cancelled = true;
  }

  /** the earliest live event without removing it */
  peek(): QueuedEvent<T> | undefined {
    this.dropCancelledHead();
    return this.heap[0];
  }

  pop(): QueuedEvent<T> | undefined {
    this.dropCancelledHead();
    return this.removeHead();
  }

  private dropCancelledHead(): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.removeHead();
  }

  private removeHead(): QueuedEvent<T> | undefined {
    const heap = this.heap;
    if (heap.length === 0) return undefined;
    const head = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      this.siftDown(0);
    }
    return head;
  }

  private before(a: QueuedEvent<T>, b: QueuedEvent<T>): boolean {
    return a.timeNs < b.timeNs || (a.timeNs === b.timeNs && a.sequence < b.sequence);
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(heap[index]!, heap[parent]!)) break;
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && this.before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && this.before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === index) return;
      [heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!];
      index = smallest;
    }
  }
}
