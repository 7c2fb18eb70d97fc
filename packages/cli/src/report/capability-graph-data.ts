import type { BootResult, DelegationEvent, ObjectCreatedEvent } from "@novakit/kernel-core";
import { isObjectSpace, isProtectionDomain, isSpace, type KernelObjectView, type KernelStateView } from "./kernel-views.js";
import type { CapabilityGraph, CapabilityHolding, GraphDelegation, GraphObjectGroup, GraphPd } from "./report-model.js";

/** Display order of object subtypes inside a PD: its spaces first, then execution, then the rest. */
export const SUBTYPE_ORDER: readonly string[] = ["OBJ", "HST", "GST", "DMA", "PIO", "MSR", "EC_GLOBAL", "EC_LOCAL", "EC_VCPU_REAL", "EC_VCPU_OFFS", "SC", "PT", "SM_REG", "SM_INT"];
const orderOf = (subtype: string): number => {
  const index = SUBTYPE_ORDER.indexOf(subtype);
  return index === -1 ? SUBTYPE_ORDER.length : index;
};

/**
 * The capability graph after the boot: every live PD, the live objects each owns grouped by
 * subtype, what every object space holds (by holder, owner and subtype), and the ctrl_pd
 * delegations the `delegated` hook saw, summed per (source, destination, space kind).
 *
 * Ownership: a space belongs to its PD (the reference it holds, nova.md §1.1); any other object
 * to the PD it was created in (`objectCreated`); objects the kernel made before any hypercall
 * (interrupt SMs, idle ECs/SCs, the NOVA spaces) to the NOVA PD.
 */
export function capabilityGraphOf(
  state: KernelStateView,
  result: BootResult,
  created: readonly ObjectCreatedEvent[],
  delegated: readonly DelegationEvent[],
): CapabilityGraph {
  const createdIn = new Map(created.map((event) => [event.id, event.ownerPd]));
  const novaPd = state.novaPd.id;
  const rootPd = state.rootPd?.id;
  const domainNames = new Map(result.domains.map((domain) => [domain.pd, domain.name]));
  const live = [...state.objects.all()].filter((object) => !object.dying).sort((a, b) => a.id - b.id);
  const ownerOf = (object: KernelObjectView): number => (isSpace(object) ? object.pd.id : isProtectionDomain(object) ? object.id : (createdIn.get(object.id) ?? novaPd));

  const groups = new Map<string, { ownerPd: number; type: string; subtype: string; ids: number[] }>();
  const holdings = new Map<string, { holderPd: number; ownerPd: number; subtype: string; count: number; permissions: number }>();
  const capabilityCount = new Map<number, number>();
  for (const object of live) {
    if (!isProtectionDomain(object)) {
      const ownerPd = ownerOf(object);
      const key = `${ownerPd}/${object.subtypeName}`;
      const group = groups.get(key) ?? { ownerPd, type: object.type, subtype: object.subtypeName, ids: [] };
      group.ids.push(object.id);
      groups.set(key, group);
    }
    if (!isObjectSpace(object)) continue;
    const holderPd = object.pd.id;
    for (const [, capability] of object.entries()) {
      capabilityCount.set(holderPd, (capabilityCount.get(holderPd) ?? 0) + 1);
      const held = capability.object;
      const ownerPd = ownerOf(held);
      const key = `${holderPd}/${ownerPd}/${held.subtypeName}`;
      const holding = holdings.get(key) ?? { holderPd, ownerPd, subtype: held.subtypeName, count: 0, permissions: 0 };
      holding.count += 1;
      holding.permissions |= capability.permissions;
      holdings.set(key, holding);
    }
  }

  const pds: GraphPd[] = live.filter(isProtectionDomain).map((pd) => ({
    id: pd.id,
    name: pd.id === novaPd ? "NOVA" : pd.id === rootPd ? "root" : (domainNames.get(pd.id) ?? pd.name),
    role: pd.id === novaPd ? "nova" : pd.id === rootPd ? "root" : domainNames.has(pd.id) ? "domain" : "other",
    capabilities: capabilityCount.get(pd.id) ?? 0,
  }));

  const delegations = new Map<string, { sourcePd: number; destinationPd: number; kind: GraphDelegation["kind"]; count: number; items: bigint; masks: number }>();
  for (const event of delegated) {
    const key = `${event.sourcePd}/${event.destinationPd}/${event.kind}`;
    const entry = delegations.get(key) ?? { sourcePd: event.sourcePd, destinationPd: event.destinationPd, kind: event.kind, count: 0, items: 0n, masks: 0 };
    entry.count += 1;
    entry.items += 1n << BigInt(event.order);
    entry.masks |= event.mask;
    delegations.set(key, entry);
  }

  const bySubtype = (a: { subtype: string }, b: { subtype: string }): number => orderOf(a.subtype) - orderOf(b.subtype) || (a.subtype < b.subtype ? -1 : a.subtype > b.subtype ? 1 : 0);
  return {
    pds,
    objectGroups: [...groups.values()].sort((a, b) => a.ownerPd - b.ownerPd || bySubtype(a, b)) satisfies GraphObjectGroup[],
    delegations: [...delegations.values()].sort((a, b) => a.sourcePd - b.sourcePd || a.destinationPd - b.destinationPd || orderOf(a.kind) - orderOf(b.kind)),
    holdings: [...holdings.values()].sort((a, b) => a.holderPd - b.holderPd || a.ownerPd - b.ownerPd || bySubtype(a, b)) satisfies CapabilityHolding[],
  };
}
