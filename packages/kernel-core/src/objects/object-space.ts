import { NovakitError } from "../errors/novakit-error.js";
import type { KernelQuota } from "../kernel-state/kernel-quota.js";
import { ObjectCost } from "../kernel-state/object-costs.js";
import { AllocationSite } from "../kernel-state/kernel-allocation-policy.js";
import { SELNUM } from "../abi/well-known-selectors.js";
import type { Capability } from "./capability.js";
import type { KernelObject } from "./kernel-object.js";
import type { ProtectionDomain } from "./protection-domain.js";
import { Space } from "./space.js";

/** Resolves object ids stored in capability slots back to objects (the KernelState registry). */
export interface ObjectResolver {
  get(id: number): KernelObject | undefined;
}

const LEVEL_BITS = 9;
const ENTRIES = 1 << LEVEL_BITS;
const PERMISSION_BITS = 5;
/** slots hold id << 5 | perms in an Int32Array, so ids stay below 2^26 */
export const MAX_OBJECT_ID = (1 << (31 - PERMISSION_BITS)) - 1;

/**
 * The object space (reference/nova.md §1.2, [REL-24.08] space_obj): a 2-level radix tree of
 * 9 + 9 bits = 2^18 capability slots. A slot is one 32-bit word `object id << 5 | permissions`
 * (0 = null), written with Atomics.exchange so the tables could move into a SharedArrayBuffer
 * and be updated from workers without changing the design. Second-level tables are allocated
 * on first use and charged to the owning PD's quota (MEM_CAP when it is exhausted).
 */
export class ObjectSpace extends Space {
  readonly kind = "OBJ" as const;
  private readonly tables: (Int32Array | undefined)[] = new Array<Int32Array | undefined>(ENTRIES).fill(undefined);
  private tableCount = 0;

  constructor(
    id: number,
    pd: ProtectionDomain,
    quota: KernelQuota,
    chargedBytes: number,
    private readonly resolver: ObjectResolver,
  ) {
    super(id, "OBJ", pd, quota, chargedBytes);
  }

  get selectorCount(): bigint {
    return BigInt(SELNUM);
  }

  /** number of second-level tables currently allocated */
  get allocatedTables(): number {
    return this.tableCount;
  }

  /** the capability in slot `selector`; null (undefined) for an empty or out-of-range slot */
  lookup(selector: number): Capability | undefined {
    if (!isSelector(selector)) return undefined;
    const table = this.tables[selector >>> LEVEL_BITS];
    if (table === undefined) return undefined;
    return this.decode(Atomics.load(table, selector & (ENTRIES - 1)));
  }

  /** Whether the slot holds a capability. */
  occupied(selector: number): boolean {
    return this.lookup(selector) !== undefined;
  }

  /**
   * Make sure the second-level table of `selector` exists, charging its page to the quota.
   * false = quota exhausted (the caller returns MEM_CAP).
   */
  ensureTable(selector: number): boolean {
    const index = selector >>> LEVEL_BITS;
    if (this.tables[index] !== undefined) return true;
    if (!this.quota.tryCharge(ObjectCost.TABLE, AllocationSite.CAPABILITY_TABLE)) return false;
    this.tables[index] = new Int32Array(ENTRIES);
    this.tableCount += 1;
    return true;
  }

  /**
   * Store `capability` in the slot and return what was there (exchange semantics). The caller
   * has already taken the reference for the new capability and must release the old one.
   * Storing a non-null capability requires the slot's table (ensureTable).
   */
  exchange(selector: number, capability: Capability | undefined): Capability | undefined {
    if (!isSelector(selector)) {
      throw new NovakitError("NK-KRN-104", `selector ${selector} is outside the object space (0..${SELNUM - 1})`, { field: "selector" });
    }
    const table = this.tables[selector >>> LEVEL_BITS];
    if (table === undefined) {
      if (capability === undefined) return undefined;
      throw new NovakitError("NK-KRN-104", `object-space table for selector ${selector} was not allocated`, { field: "selector" });
    }
    const word = capability === undefined ? 0 : encode(capability);
    return this.decode(Atomics.exchange(table, selector & (ENTRIES - 1), word));
  }

  /** every non-null slot, in selector order (for teardown, leak checks and inspection) */
  *entries(): Generator<[number, Capability]> {
    for (let t = 0; t < ENTRIES; t++) {
      const table = this.tables[t];
      if (table === undefined) continue;
      for (let i = 0; i < ENTRIES; i++) {
        const capability = this.decode(Atomics.load(table, i));
        if (capability !== undefined) yield [(t << LEVEL_BITS) | i, capability];
      }
    }
  }

  /** Free every second-level table (teardown, after all slots were cleared); refunds the quota. */
  releaseTables(): void {
    for (let t = 0; t < ENTRIES; t++) {
      if (this.tables[t] === undefined) continue;
      this.tables[t] = undefined;
      this.tableCount -= 1;
      this.quota.refund(ObjectCost.TABLE);
    }
  }

  private decode(word: number): Capability | undefined {
    if (word === 0) return undefined;
    const object = this.resolver.get(word >>> PERMISSION_BITS);
    if (object === undefined) {
      throw new NovakitError("NK-KRN-104", `capability slot names object ${word >>> PERMISSION_BITS}, which no longer exists`, { field: "slot" });
    }
    return { object, permissions: word & ((1 << PERMISSION_BITS) - 1) };
  }
}

function isSelector(selector: number): boolean {
  return Number.isInteger(selector) && selector >= 0 && selector < SELNUM;
}

function encode(capability: Capability): number {
  if (capability.object.id > MAX_OBJECT_ID) {
    throw new NovakitError("NK-KRN-104", `object id ${capability.object.id} exceeds the slot encoding`, { field: "object" });
  }
  return (capability.object.id << PERMISSION_BITS) | capability.permissions;
}
