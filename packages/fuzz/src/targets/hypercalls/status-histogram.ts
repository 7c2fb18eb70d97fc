import { hypercallNames, statusName, type HypercallName } from "@novakit/kernel-core";

/** The outcome recorded for an ipc_reply: it never returns to its caller, so it has no status. */
export const REPLIED = "REPLIED";

/** How often each hypercall returned each status: hypercall name -> status name -> count. */
export class StatusHistogram {
  private readonly counts = new Map<HypercallName, Map<string, number>>();
  private readonly reservedCalls = new Map<string, number>();

  record(name: HypercallName, status: number | typeof REPLIED): void {
    this.add(name, typeof status === "number" ? statusName(status) : status, 1);
  }

  /** a call of the reserved slot 0xF (nova.md §2.1: BAD_HYP) */
  recordReserved(status: number): void {
    this.reservedCalls.set(statusName(status), (this.reservedCalls.get(statusName(status)) ?? 0) + 1);
  }

  /** statuses of calls to the reserved slot 0xF */
  get reserved(): ReadonlyMap<string, number> {
    return this.reservedCalls;
  }

  /** add another histogram's counts */
  merge(other: StatusHistogram): void {
    for (const [name, byStatus] of other.counts) for (const [label, count] of byStatus) this.add(name, label, count);
    for (const [label, count] of other.reservedCalls) this.reservedCalls.set(label, (this.reservedCalls.get(label) ?? 0) + count);
  }

  private add(name: HypercallName, label: string, count: number): void {
    let byStatus = this.counts.get(name);
    if (byStatus === undefined) {
      byStatus = new Map();
      this.counts.set(name, byStatus);
    }
    byStatus.set(label, (byStatus.get(label) ?? 0) + count);
  }

  count(name: HypercallName, status?: string): number {
    const byStatus = this.counts.get(name);
    if (byStatus === undefined) return 0;
    if (status !== undefined) return byStatus.get(status) ?? 0;
    let sum = 0;
    for (const count of byStatus.values()) sum += count;
    return sum;
  }

  get total(): number {
    let sum = 0;
    for (const name of this.counts.keys()) sum += this.count(name);
    return sum;
  }

  /** calls that succeeded (SUCCESS, or an ipc_reply that was delivered) */
  get successful(): number {
    let sum = 0;
    for (const byStatus of this.counts.values()) sum += (byStatus.get("SUCCESS") ?? 0) + (byStatus.get(REPLIED) ?? 0);
    return sum;
  }

  /** the hypercalls that were issued at least once */
  exercised(): HypercallName[] {
    return hypercallNames.filter((name) => this.count(name) > 0);
  }

  toJSON(): Record<string, Record<string, number>> {
    const result: Record<string, Record<string, number>> = {};
    for (const name of hypercallNames) {
      const byStatus = this.counts.get(name);
      if (byStatus !== undefined) result[name] = Object.fromEntries([...byStatus].sort(([a], [b]) => a.localeCompare(b)));
    }
    return result;
  }
}
