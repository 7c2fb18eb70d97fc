import { closeSync, openSync, writeSync } from "node:fs";
import type { FaultLineSink } from "./fault-line-sink.js";
import { cannotOpen, writeFailed } from "./exporter-diagnostics.js";

/**
 * Appends JSON lines to a file. The file is opened (and truncated) when the sink is made, at the
 * start of the boot, so an unwritable path fails before any domain runs, not at the end.
 * Lines are buffered and written in batches: the `fault` hook is on the simulator's hot path.
 */
export class FileFaultSink implements FaultLineSink {
  private readonly fd: number;
  private buffer: string[] = [];
  private open = true;

  constructor(
    readonly destination: string,
    /** flush once this many lines are waiting, to bound memory on fault storms */
    private readonly batchLines: number = 256,
  ) {
    try {
      this.fd = openSync(destination, "w");
    } catch (error) {
      throw cannotOpen(destination, error);
    }
  }

  write(line: string): void {
    if (!this.open) throw writeFailed(this.destination, new Error("the fault log is already closed"));
    this.buffer.push(line);
    if (this.buffer.length >= this.batchLines) this.flush();
  }

  flush(): void {
    if (!this.open || this.buffer.length === 0) return;
    const bytes = Buffer.from(`${this.buffer.join("\n")}\n`, "utf8");
    this.buffer = [];
    try {
      // writeSync may write less than asked (e.g. a pipe given as the path); loop until all is out
      for (let written = 0; written < bytes.length; ) written += writeSync(this.fd, bytes, written);
    } catch (error) {
      throw writeFailed(this.destination, error);
    }
  }

  close(): void {
    if (!this.open) return;
    this.flush();
    this.open = false;
    try {
      closeSync(this.fd);
    } catch (error) {
      throw writeFailed(this.destination, error);
    }
  }
}
