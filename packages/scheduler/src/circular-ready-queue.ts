import type { ReadyNode } from "./ready-node.js";

/**
 * A circular doubly-linked FIFO of one priority, as NOVA's ready queue (reference/nova.md §7):
 * `head.prev` is the tail, so both ends are reachable in O(1).
 */
export class CircularReadyQueue {
  private head: ReadyNode | undefined;
  private count = 0;

  get size(): number {
    return this.count;
  }

  isEmpty(): boolean {
    return this.head === undefined;
  }

  /** Insert at the head (a preempted SC resumes first) or the tail (round robin). */
  insert(node: ReadyNode, atHead: boolean): void {
    const head = this.head;
    if (head === undefined) {
      node.prev = node;
      node.next = node;
      this.head = node;
    } else {
      // Both cases link the node between the tail and the head; only where `head` points differs.
      const tail = head.prev;
      node.prev = tail;
      node.next = head;
      tail.next = node;
      head.prev = node;
      if (atHead) this.head = node;
    }
    this.count++;
  }

  removeHead(): ReadyNode | undefined {
    const head = this.head;
    if (head !== undefined) this.remove(head);
    return head;
  }

  /** Unlink a node known to be in this queue. */
  remove(node: ReadyNode): void {
    if (node.next === node) {
      this.head = undefined;
    } else {
      node.prev.next = node.next;
      node.next.prev = node.prev;
      if (this.head === node) this.head = node.next;
    }
    node.prev = node;
    node.next = node;
    this.count--;
  }

  /** The SCs in queue order, head first (for tests and tracing; O(n)). */
  *nodes(): IterableIterator<ReadyNode> {
    const head = this.head;
    if (head === undefined) return;
    let node = head;
    do {
      yield node;
      node = node.next;
    } while (node !== head);
  }
}
