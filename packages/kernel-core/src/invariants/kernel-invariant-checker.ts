import type { NovakitKernel } from "../boot/novakit-kernel.js";
import { NovakitError } from "../errors/novakit-error.js";
import type { DmaReachReport } from "../hooks/hook-types.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import { CapabilityMirror } from "./capability-mirror.js";
import { snapshotCapabilities } from "./capability-snapshot.js";
import { checkDeviceReach, deviceTableReferences } from "./check-device-reach.js";
import { checkQuotas, unexplainedKernelCharge } from "./check-quota.js";
import { checkReferenceCounts } from "./check-reference-counts.js";
import { checkSpaceOwnership, currentKernelPages } from "./check-space-ownership.js";
import { DelegationLedger } from "./delegation-ledger.js";
import { SpaceChangeTracker, type ChangedRange } from "./space-change-tracker.js";
import { DmaSpace } from "../objects/dma-space.js";
import type { MemorySpace } from "../objects/memory-space.js";
import { INVARIANT_NAMES, type InvariantName, type InvariantViolation } from "./invariant-violation.js";

/** The name the checker's hook taps carry. */
export const INVARIANT_CHECKER_TAP = "@novakit/invariants";

/** Wall-clock milliseconds spent per invariant (diagnostics only; never used by the kernel). */
export type InvariantTimings = Record<InvariantName, number>;

export interface KernelInvariantCheckerOptions {
  /** the invariants to check (all by default) */
  readonly invariants?: readonly InvariantName[];
  /**
   * every n-th check walks every page table even where no hook reported a change (catches
   * writes that bypass the hooks within n checks); 1 = every check walks everything. Default 16.
   */
  readonly fullSweepInterval?: number;
}

/** the default of KernelInvariantCheckerOptions.fullSweepInterval */
export const DEFAULT_FULL_SWEEP_INTERVAL = 16;

/**
 * Checks the kernel invariants of a booted (or booting, past the `memory` phase) kernel after
 * every step of whatever drives it: reference counts balance, capability permissions never
 * grow beyond their source's, spaces map only frames their PD was given, devices reach only
 * their domain's frames, quotas add up. Creating the checker takes the current state as the
 * known-good baseline and taps the `mapped` and `delegated` hooks to record provenance from
 * then on (the DelegationLedger).
 *
 * Cost: each check walks every object space and page table once and asks the IOMMU plugin for
 * one device-reach walk; on the fuzzer's kernels that is well under a millisecond per check
 * (see `timings`).
 */
export class KernelInvariantChecker {
  readonly ledger: DelegationLedger;
  readonly timings: InvariantTimings = { refcount: 0, permission: 0, "space-ownership": 0, "device-reach": 0, quota: 0 };
  private readonly state: KernelState;
  private readonly mirror = new CapabilityMirror();
  private readonly enabled: ReadonlySet<InvariantName>;
  private readonly bootKernelPages: ReadonlySet<string>;
  private readonly kernelChargeBaseline: number;
  private readonly dmaDevices: readonly number[];
  private checks = 0;
  /** the last device-reach walk (null: no IOMMU answered; undefined: none yet) */
  private lastReach: DmaReachReport | null | undefined = undefined;
  private readonly changes: SpaceChangeTracker;
  /** page-table bytes of each space as last walked (for the quota check) */
  private readonly tableBytes = new Map<number, number>();

  constructor(
    private readonly kernel: NovakitKernel,
    options: KernelInvariantCheckerOptions = {},
  ) {
    const state = kernel.internals.state;
    if (state === undefined) {
      throw new NovakitError("NK-INV-001", "the invariant checker needs a kernel whose state exists (create it after the memory phase, e.g. in the root task)", { field: "kernel" });
    }
    this.state = state;
    this.enabled = new Set(options.invariants ?? INVARIANT_NAMES);
    this.ledger = new DelegationLedger(state);
    this.ledger.adoptCurrentMappings();
    this.ledger.attach(INVARIANT_CHECKER_TAP);
    this.changes = new SpaceChangeTracker(options.fullSweepInterval ?? DEFAULT_FULL_SWEEP_INTERVAL);
    this.changes.attach(state.hooks, INVARIANT_CHECKER_TAP);
    this.mirror.adopt(state, snapshotCapabilities(state));
    this.bootKernelPages = currentKernelPages(state);
    this.kernelChargeBaseline = unexplainedKernelCharge(state);
    // every PCI function, not only bus masters: any may have a device table entry holding a space
    this.dmaDevices = state.platform.pci.map((fn) => (fn.segment << 16) | (fn.bus << 8) | (fn.device << 3) | fn.function);
  }

  /** number of checks run so far */
  get checkCount(): number {
    return this.checks;
  }

  /** Run every enabled invariant; the violations found (empty when the kernel is sound). */
  check(): InvariantViolation[] {
    this.checks++;
    const violations: InvariantViolation[] = [];
    const findings = this.ledger.drainFindings();
    const { fullSweep, ranges: changed, devicesReassigned } = this.changes.begin();
    // a new space is walked whole, a changed one where it changed, all of them on a full sweep
    const scope = (spaceId: number): "all" | readonly ChangedRange[] | undefined =>
      fullSweep || !this.tableBytes.has(spaceId) ? "all" : changed.get(spaceId);
    const tableBytes = (space: MemorySpace): number => {
      const cached = this.tableBytes.get(space.id);
      if (cached !== undefined && !fullSweep && !changed.has(space.id)) return cached;
      const bytes = space.table.stats().bytesUsed;
      this.tableBytes.set(space.id, bytes);
      return bytes;
    };
    const copies = this.ledger.drainObjectCopies();
    // the device tables are walked again when a device moved, a DMA space changed, or on a sweep
    const walkStarted = performance.now();
    const dmaChanged = [...changed.keys()].some((id) => this.state.objects.get(id) instanceof DmaSpace || !this.state.objects.get(id));
    const rewalk = fullSweep || devicesReassigned || dmaChanged || this.lastReach === undefined;
    if (rewalk && (this.enabled.has("device-reach") || this.enabled.has("refcount"))) this.lastReach = this.kernel.hooks.dmaReach.call({ devices: this.dmaDevices }) ?? null;
    const reach = this.lastReach ?? undefined;
    // the IOMMU plugin's walk is the device-reach invariant's cost
    this.timings["device-reach"] += performance.now() - walkStarted;
    const capabilities = this.enabled.has("refcount") || this.enabled.has("permission") ? snapshotCapabilities(this.state) : [];
    this.timed("refcount", violations, () => checkReferenceCounts(this.state, capabilities, deviceTableReferences(reach)));
    this.timed("permission", violations, () => this.mirror.check(this.state, capabilities, copies));
    this.timed("space-ownership", violations, () => [...findings, ...checkSpaceOwnership(this.state, this.ledger, this.bootKernelPages, scope)]);
    this.timed("device-reach", violations, () => (rewalk ? checkDeviceReach(this.state, this.ledger, reach) : []));
    this.timed("quota", violations, () => {
      const found = checkQuotas(this.state, this.kernelChargeBaseline, tableBytes);
      if (found.length === 0) return found;
      // a page-table update that failed part way (BAD_PAR, MEM_CAP) keeps the tables it allocated
      // without firing a hook: before reporting, recount every space's tables afresh
      this.tableBytes.clear();
      return checkQuotas(this.state, this.kernelChargeBaseline, tableBytes);
    });
    if (fullSweep) this.forgetDestroyedSpaces();
    return violations;
  }

  /** check() and throw the first violation: for drivers that stop at the first finding */
  assertSound(): void {
    const [first] = this.check();
    if (first !== undefined) throw first;
  }

  private forgetDestroyedSpaces(): void {
    for (const id of this.tableBytes.keys()) if (this.state.objects.get(id) === undefined) this.tableBytes.delete(id);
  }

  private timed(name: InvariantName, into: InvariantViolation[], run: () => InvariantViolation[]): void {
    if (!this.enabled.has(name)) return;
    const started = performance.now();
    into.push(...run());
    this.timings[name] += performance.now() - started;
  }
}
