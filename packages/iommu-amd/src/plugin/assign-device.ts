import { Status, type HypercallInvocation, type HypercallOutcome } from "@novakit/kernel-core";
import { novaAssignedTranslation } from "../device-table/device-table-entry.js";
import type { DeviceAssignment, DriverState, SupersededAssignment } from "./driver-state.js";
import { formatSbdf } from "./fault-report.js";
import { invalidateDevtabEntry, invalidateDomainPages, type CommandWords } from "./nova-commands.js";

/** the CTE half of NOVA's deny state: V=1, TV=0, nothing else (nova.md §4.3) */
const DENY_CTE: readonly [bigint, bigint] = [1n, 0n];
/** DAD bits above 31 are not defined on x86 (nova.md §2.4: S 31:16, B 15:8, D 7:3, F 2:0) */
const DAD_MASK = 0xffff_ffffn;

const outcome = (status: Status): HypercallOutcome => ({ status });

/**
 * assign_dev(dma, smmu, dad) as NOVA's Smmu_amd::assign_dev does it (nova.md §4.6, §2.4). The
 * kernel has checked root-only and the DMA capability's ASSIGN permission; the old space `o` is
 * the driver's record of the device's current assignment (deny when none), the new `n` the
 * capability's space.
 *
 * 1. the unit by its MMIO address (none: BAD_DEV); the DAD's segment must be the unit's (BAD_DEV),
 *    bits above 31 set: BAD_PAR;
 * 2-3. ptl = min(5, 4 + HATS); the space's root table is its level-ptl table (MEM_OBJ without one);
 * 4. n.try_inc(): ABORTED when the space is dying;
 * 5-6. the 128-bit compare-and-swap of the CTE from expected-old to new: a stale expectation
 *    drops n's reference and answers BAD_PAR (the simulator runs one hypercall at a time, so a
 *    compare followed by the two stores cannot be interleaved);
 * 7. o != n: DEVTAB(bdf) (+ PAGES(old domain)) on every unit of the segment, TIMEOUT when the
 *    COMPLETION_WAIT does not arrive in 5 ms ("Faulty HW?"; o's reference is then kept, as NOVA).
 *    The DTE already holds n, but the unit may still use o's cached entry: o's reference and its
 *    domain's use count (so unmaps from o still invalidate) stay with the device's record as
 *    "unsettled", and the next assign_dev of the device repeats DEVTAB + PAGES for each of them,
 *    even for the same space, so a retry after the unit recovered really invalidates;
 * 8. o's reference (and every unsettled one) dropped last, once the invalidation completed;
 * 9. SUCCESS with the supported bit width sbw = min(45, 9 * ptl) in p1 (nova.md §4.6 step 9).
 */
export function assignDevice(state: DriverState, invocation: HypercallInvocation): HypercallOutcome {
  if (!invocation.callerIsRoot) return outcome(Status.BAD_HYP);
  const target = invocation.target;
  if (target === undefined || target.type !== "space" || target.kind !== "DMA") return outcome(Status.BAD_CAP);
  const smmuAddress = invocation.args[0] ?? 0n;
  const dad = invocation.args[1] ?? 0n;
  // p1 names the SMMU by its physical (page) address
  const unit = state.units.find((candidate) => candidate.mmioBase >> 12n === smmuAddress >> 12n);
  if (unit === undefined) return outcome(Status.BAD_DEV);
  if ((dad & ~DAD_MASK) !== 0n) return outcome(Status.BAD_PAR);
  const segment = Number(dad >> 16n);
  const bdf = Number(dad & 0xffffn);
  if (segment !== unit.segment) return outcome(Status.BAD_DEV);

  const table = target.table;
  if (table === undefined || table.format.levels !== state.pageTableLevels) return outcome(Status.MEM_OBJ);
  if (target.retain !== undefined && !target.retain()) return outcome(Status.ABORTED);
  const releaseNew = target.release ?? (() => undefined);
  const domainId = state.domainIds.idFor({ spaceId: target.id, ownerPd: target.ownerPd });
  if (domainId === undefined) {
    releaseNew();
    return outcome(Status.MEM_OBJ);
  }

  const sbdf = (segment << 16) | bdf;
  const old = state.assignments.get(sbdf);
  const expected = old?.cte ?? DENY_CTE;
  const next = novaAssignedTranslation({ pageTableRoot: table.rootAddress, mode: state.pageTableLevels, domainId });
  // linearization point (step 6)
  const memory = state.kernel.physicalMemory;
  const at = unit.deviceTable.entryAddress(bdf);
  if (memory.read64(at) !== expected[0] || memory.read64(at + 8n) !== expected[1]) {
    releaseNew();
    return outcome(Status.BAD_PAR);
  }
  // quadword 1 first: quadword 0 holds V/TV, so the entry never pairs the new V with the old rest
  memory.write64(at + 8n, next[1]);
  memory.write64(at, next[0]);
  state.countDomainUse(segment, domainId, 1);
  state.counters.assignments++;
  const moved = old === undefined || old.spaceId !== target.id;
  // what the unit may still cache for this device: assignments whose invalidation timed out
  // earlier, and the one it moves away from now; their references and domain use stay until an
  // invalidation of the device completes (a careful driver: NOVA keeps o's reference on TIMEOUT)
  const unsettled: SupersededAssignment[] = [...(old?.unsettled ?? [])];
  if (old !== undefined) {
    if (moved) unsettled.push({ domainId: old.domainId, release: old.release });
    else {
      // the same space again: the new reference replaces the old one at once
      state.countDomainUse(segment, old.domainId, -1);
      old.release();
    }
  }
  const settled: DeviceAssignment = { spaceId: target.id, domainId, cte: [next[0], next[1]], release: releaseNew };
  state.assignments.set(sbdf, settled);

  if (moved || unsettled.length > 0) {
    const commands: CommandWords[] = [invalidateDevtabEntry(bdf), ...unsettled.map((entry) => invalidateDomainPages(entry.domainId))];
    for (const sibling of state.unitsBySegment.get(segment) ?? []) {
      if (!sibling.submit(commands, invocation.cpu)) {
        state.counters.invalidationTimeouts++;
        state.assignments.set(sbdf, { ...settled, unsettled });
        state.kernel.log(`SMMU: ${sibling.name} assign ${formatSbdf(segment, bdf)}: invalidation timed out (Faulty HW?)`);
        return outcome(Status.TIMEOUT);
      }
    }
  }
  for (const entry of unsettled) {
    state.countDomainUse(segment, entry.domainId, -1);
    entry.release();
  }
  return { status: Status.SUCCESS, results: [BigInt(Math.min(45, 9 * state.pageTableLevels))] };
}
