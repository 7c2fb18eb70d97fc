import { ObjectCost, type AllocationFaultPlan, type FrameOwner, type NovakitKernel, type TableMemoryStats } from "@novakit/kernel-core";

/** The kernel state a booted (or failed) kernel leaves behind (NovakitKernel.internals.state). */
export type KernelStateView = NonNullable<NovakitKernel["internals"]["state"]>;
type KernelObjectView = ReturnType<KernelStateView["objects"]["all"]> extends IterableIterator<infer T> ? T : never;
type QuotaView = KernelStateView["kernelQuota"];

/** One accounting mismatch: which quota or frame, and what was expected. */
export interface AccountingLeak {
  readonly kind: "quota" | "untracked-frame" | "unreachable-frame" | "unfreed-ledger-frame";
  readonly detail: string;
}

/**
 * The leak check after an injected allocation failure (reference/nova.md §1.1: objects are
 * charged to their PD's slab quota; §2.2 a failed creation leaves nothing behind):
 *
 * - quota: for the kernel quota and the quota of every live PD, used bytes equal the charges of
 *   the live objects charged to it, plus its object spaces' capability tables, plus the page-table
 *   frames the ledger says it paid for, plus what its children PDs' quotas use;
 * - frames: every frame the frame allocator has handed out is one the allocation ledger knows
 *   (no frame taken around the seam, none returned to the allocator but still in the ledger);
 * - reachability: page-table frames charged to a quota are exactly the tables of that quota's
 *   live memory spaces (their radix trees plus waitlisted tables), a UTCB frame belongs to a live
 *   EC; the HIP, kernel page tables and plugin frames (IOMMU tables, queues) live as long as the
 *   kernel, so they are reachable by construction.
 */
export function accountingLeaks(state: KernelStateView, plan: AllocationFaultPlan): AccountingLeak[] {
  const leaks: AccountingLeak[] = [];
  const objects = [...state.objects.all()];
  const ledger = plan.liveFrames();

  // ---- quotas
  const quotas = new Map<QuotaView, string>([[state.kernelQuota, "kernel"]]);
  for (const object of objects) {
    const own = ownQuotaOf(object);
    if (own !== undefined) quotas.set(own, `PD ${object.id}`);
  }
  const tableFramesByOwner = new Map<FrameOwner, number>();
  for (const frame of ledger) {
    if (!frame.site.startsWith("pagetable:") || frame.owner === undefined) continue;
    tableFramesByOwner.set(frame.owner, (tableFramesByOwner.get(frame.owner) ?? 0) + 1);
  }
  for (const [quota, name] of quotas) {
    let expected = (tableFramesByOwner.get(quota) ?? 0) * ObjectCost.TABLE;
    for (const object of objects) {
      if (object.quota === quota) expected += object.chargedBytes + capabilityTablesOf(object) * ObjectCost.TABLE;
    }
    for (const [child] of quotas) if (child.parent === quota) expected += child.usedBytes;
    if (expected !== quota.usedBytes) {
      leaks.push({ kind: "quota", detail: `${name}: ${quota.usedBytes} bytes used, live objects account for ${expected}` });
    }
  }

  // ---- frames: allocator vs ledger
  const ledgerFrames = new Set(ledger.map((frame) => frame.base));
  let allocatedCount = 0;
  for (const extent of state.frames.allocatedExtents()) {
    for (let frame = extent.start; frame < extent.end; frame++) {
      allocatedCount += 1;
      const address = BigInt(frame) * 4096n;
      if (!ledgerFrames.has(address)) leaks.push({ kind: "untracked-frame", detail: `frame 0x${address.toString(16)} is allocated but no allocation site took it` });
    }
  }
  if (allocatedCount < ledgerFrames.size) {
    leaks.push({ kind: "unfreed-ledger-frame", detail: `${ledgerFrames.size - allocatedCount} frame(s) in the ledger were returned to the allocator without telling the seam` });
  }

  // ---- reachability
  const liveTables = new Map<QuotaView, number>();
  const liveUtcbs = new Set<bigint>();
  for (const object of objects) {
    const tables = tableFramesOf(object);
    if (tables > 0) liveTables.set(object.quota, (liveTables.get(object.quota) ?? 0) + tables);
    const utcb = utcbFrameOf(object);
    if (utcb !== undefined) liveUtcbs.add(utcb);
  }
  for (const [owner, count] of tableFramesByOwner) {
    if (owner === state.kernelQuota) continue; // kernel page tables (shadow stacks) live with the kernel
    const reachable = liveTables.get(owner as QuotaView) ?? 0;
    if (reachable !== count) {
      leaks.push({ kind: "unreachable-frame", detail: `${quotas.get(owner as QuotaView) ?? "a dead PD"}: ${count} page-table frame(s) charged, ${reachable} reachable from live spaces` });
    }
  }
  for (const frame of ledger) {
    if (frame.site === "frame:utcb" && !liveUtcbs.has(frame.base)) {
      leaks.push({ kind: "unreachable-frame", detail: `UTCB frame 0x${frame.base.toString(16)} belongs to no live EC` });
    }
  }
  return leaks;
}

function ownQuotaOf(object: KernelObjectView): QuotaView | undefined {
  if (object.type !== "PD" || !("ownQuota" in object)) return undefined;
  return object.ownQuota as QuotaView;
}

function capabilityTablesOf(object: KernelObjectView): number {
  return "allocatedTables" in object && typeof object.allocatedTables === "number" ? object.allocatedTables : 0;
}

interface TableOwnerView {
  readonly table: { stats(): TableMemoryStats; waitlistedCount?: () => number };
}

function tableFramesOf(object: KernelObjectView): number {
  if (!("table" in object)) return 0;
  const { table } = object as unknown as TableOwnerView;
  return table.stats().bytesUsed / 4096 + (table.waitlistedCount?.() ?? 0);
}

function utcbFrameOf(object: KernelObjectView): bigint | undefined {
  return "utcbFrame" in object && typeof object.utcbFrame === "bigint" ? object.utcbFrame : undefined;
}
