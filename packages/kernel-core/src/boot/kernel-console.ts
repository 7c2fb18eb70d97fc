/**
 * The boot log in NOVA's console style: the banner line
 * "NOVA Microhypervisor v<ver> (<arch>): <build> [<compiler>]" and trace lines prefixed with the
 * CPU number as "[%2u] " (NOVA's trace() macro). Nothing here reads a clock other than the
 * simulator's, so the same configuration and seed give a byte-identical log.
 */
export class KernelConsole {
  private readonly lines: string[] = [];

  /** a line without CPU prefix (the banner, the final summary) */
  print(line: string): void {
    this.lines.push(line);
  }

  /** a trace line of `cpu`: "[ 0] CORE: ..." */
  trace(cpu: number, line: string): void {
    this.lines.push(`[${String(cpu).padStart(2, " ")}] ${line}`);
  }

  get log(): readonly string[] {
    return this.lines;
  }
}

/** simulated time as NOVA-style seconds with microsecond precision: "0.012345" */
export function formatSimulatedTime(ns: number): string {
  const micros = Math.floor(ns / 1000);
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, "0")}`;
}
