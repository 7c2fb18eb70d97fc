/** Where the exporter's JSON lines go. */
export interface FaultLineSink {
  /** a description for messages: a path, or "memory" */
  readonly destination: string;
  /** take one line (without its newline); may buffer */
  write(line: string): void;
  /** make everything written so far durable */
  flush(): void;
  /** flush and release the destination; later writes are an error */
  close(): void;
}
