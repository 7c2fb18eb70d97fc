import type { KernelQuota } from "../kernel-state/kernel-quota.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import { ObjectCost } from "../kernel-state/object-costs.js";
import { MemorySpace } from "../objects/memory-space.js";
import { ObjectSpace } from "../objects/object-space.js";
import { ProtectionDomain } from "../objects/protection-domain.js";
import { InvariantViolation } from "./invariant-violation.js";

/**
 * Kernel memory stays within quota (reference/nova.md §1.1, §2.2 MEM_OBJ/MEM_CAP): every quota's
 * used bytes are at most its limit and equal what live objects charged directly to it (their
 * object bytes, object-space tables, page-table pages) plus what its child quotas use, up the
 * tree to the kernel-wide quota. `baseline` is the kernel-wide quota's charge no object explains
 * when checking begins (kernel allocations of the boot), which must not change.
 */
export function checkQuotas(state: KernelState, baseline: number, tableBytes: TableBytes = currentTableBytes): InvariantViolation[] {
  const direct = directCharges(state, tableBytes);
  const children = new Map<KernelQuota, KernelQuota[]>();
  const all = new Set<KernelQuota>([state.kernelQuota, ...direct.keys()]);
  for (const object of state.objects.all()) if (object instanceof ProtectionDomain) all.add(object.ownQuota);
  for (const quota of [...all]) for (let q = quota.parent; q !== undefined; q = q.parent) all.add(q);
  for (const quota of all) {
    if (quota.parent === undefined) continue;
    const list = children.get(quota.parent);
    if (list === undefined) children.set(quota.parent, [quota]);
    else list.push(quota);
  }
  const expected = new Map<KernelQuota, number>();
  const total = (quota: KernelQuota): number => {
    const known = expected.get(quota);
    if (known !== undefined) return known;
    let sum = (direct.get(quota) ?? 0) + (quota === state.kernelQuota ? baseline : 0);
    for (const child of children.get(quota) ?? []) sum += total(child);
    expected.set(quota, sum);
    return sum;
  };
  const violations: InvariantViolation[] = [];
  const owners = quotaOwners(state);
  for (const quota of all) {
    const pdId = owners.get(quota);
    const subject = pdId === undefined ? {} : { pdId };
    const name = pdId === undefined ? (quota === state.kernelQuota ? "the kernel quota" : "a quota of a destroyed PD") : `the quota of PD ${pdId}`;
    const limit = quota.limitBytes;
    if (limit !== undefined && quota.usedBytes > limit) violations.push(new InvariantViolation("quota", subject, `${name} uses ${quota.usedBytes} bytes, over its limit of ${limit}`));
    const want = total(quota);
    if (quota.usedBytes !== want) violations.push(new InvariantViolation("quota", subject, `${name} records ${quota.usedBytes} bytes used, but its live objects and children account for ${want}`));
  }
  return violations;
}

/** The kernel-wide quota's charge that no live object accounts for. */
export function unexplainedKernelCharge(state: KernelState): number {
  const direct = directCharges(state, currentTableBytes);
  let children = 0;
  for (const object of state.objects.all()) {
    if (object instanceof ProtectionDomain && object.ownQuota.parent === state.kernelQuota) children += object.ownQuota.usedBytes;
  }
  return state.kernelQuota.usedBytes - (direct.get(state.kernelQuota) ?? 0) - children;
}

/** bytes charged straight to each quota by the live objects */
function directCharges(state: KernelState, tableBytes: TableBytes): Map<KernelQuota, number> {
  const direct = new Map<KernelQuota, number>();
  const charge = (quota: KernelQuota, bytes: number): void => {
    if (bytes !== 0) direct.set(quota, (direct.get(quota) ?? 0) + bytes);
  };
  for (const object of state.objects.all()) {
    charge(object.quota, object.chargedBytes);
    if (object instanceof ObjectSpace) charge(object.quota, object.allocatedTables * ObjectCost.TABLE);
    else if (object instanceof MemorySpace) charge(object.quota, tableBytes(object));
  }
  return direct;
}

/** bytes of page-table pages a space holds (a cache may answer for unchanged spaces) */
export type TableBytes = (space: MemorySpace) => number;

const currentTableBytes: TableBytes = (space) => space.table.stats().bytesUsed;

function quotaOwners(state: KernelState): Map<KernelQuota, number> {
  const owners = new Map<KernelQuota, number>();
  for (const object of state.objects.all()) if (object instanceof ProtectionDomain) owners.set(object.ownQuota, object.id);
  return owners;
}
