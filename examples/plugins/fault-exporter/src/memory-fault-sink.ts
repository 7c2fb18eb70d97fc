import { writeFailed } from "./exporter-diagnostics.js";
import type { FaultLineSink } from "./fault-line-sink.js";

/** Keeps lines in memory: for tests, and for tools that post-process faults in-process. */
export class MemoryFaultSink implements FaultLineSink {
  readonly destination = "memory";
  /** lines that have been flushed, in order */
  readonly lines: string[] = [];
  private pending: string[] = [];
  private closed = false;

  write(line: string): void {
    if (this.closed) throw writeFailed(this.destination, new Error("the sink is already closed"));
    this.pending.push(line);
  }

  flush(): void {
    this.lines.push(...this.pending);
    this.pending = [];
  }

  close(): void {
    this.flush();
    this.closed = true;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** lines written but not yet flushed */
  get pendingCount(): number {
    return this.pending.length;
  }
}
