import type { DelegationEvent, MappingEvent } from "../hooks/hook-types.js";
import type { KernelState } from "../kernel-state/kernel-state.js";
import type { PageTableFormat } from "../memory/page-table-format.js";
import { MemorySpace } from "../objects/memory-space.js";
import { ProtectionDomain } from "../objects/protection-domain.js";
import { FrameGrants } from "./frame-grants.js";
import { permissionWidener } from "./format-permissions.js";
import { InvariantViolation } from "./invariant-violation.js";

/**
 * Provenance of memory and object capabilities, filled from the kernel's own hooks at the time
 * of each delegation (reference/nova.md §1.8): every `mapped` event that a `delegated` event of
 * a host space closes is checked against what the *source* PD was given at that moment (the NOVA
 * host space: the identity of every unprotected page) and then given to the destination PD.
 * Object-space copies are queued for the permission check, which replays them on its mirror.
 *
 * Mappings no delegation closes are the kernel's own pages (UTCB, HIP: K pages); the space
 * ownership check accounts for those by the ECs that own them.
 */
export class DelegationLedger {
  private readonly grants = new Map<number, FrameGrants>();
  private pendingMappings: MappingEvent[] = [];
  private objectCopies: DelegationEvent[] = [];
  private findings: InvariantViolation[] = [];
  private readonly wideners = new Map<PageTableFormat, (given: number) => number>();

  constructor(private readonly state: KernelState) {}

  /** Tap the hooks under `tapName`; from now on every delegation is recorded. */
  attach(tapName: string): void {
    this.state.hooks.mapped.tap(tapName, (event) => {
      this.pendingMappings.push(event);
    });
    this.state.hooks.delegated.tap(tapName, (event) => this.onDelegated(event));
  }

  /** What exists now was given: the boot's and the root task's mappings before checking started. */
  adoptCurrentMappings(): void {
    for (const object of this.state.objects.all()) {
      if (!(object instanceof MemorySpace) || object.dying) continue;
      for (const leaf of object.table.leaves(0n, object.table.format.inputBits - 12)) {
        if (leaf.attributes.kernel) continue;
        const frame = leaf.outputAddress >> 12n;
        this.grantsFor(object.pd.id).grant(frame, frame + (1n << BigInt(leaf.order)), leaf.permissions);
      }
    }
  }

  grantsOf(pdId: number): FrameGrants | undefined {
    return this.grants.get(pdId);
  }

  /** give `pdId` frames [start, end) with `permissions` (tests, and seeding a known-good state) */
  grant(pdId: number, start: bigint, end: bigint, permissions: number): void {
    this.grantsFor(pdId).grant(start, end, permissions);
  }

  /** the memory permissions `given` reads back as in `format` */
  widen(format: PageTableFormat, given: number): number {
    let widener = this.wideners.get(format);
    if (widener === undefined) {
      widener = permissionWidener(format);
      this.wideners.set(format, widener);
    }
    return widener(given);
  }

  /** violations found while recording delegations since the last call */
  drainFindings(): InvariantViolation[] {
    const findings = this.findings;
    this.findings = [];
    // mappings without a delegation are kernel pages; the walk accounts for them
    this.pendingMappings = [];
    return findings;
  }

  /** object-space copies (OBJ -> OBJ) since the last call, in order */
  drainObjectCopies(): DelegationEvent[] {
    const copies = this.objectCopies;
    this.objectCopies = [];
    return copies;
  }

  private grantsFor(pdId: number): FrameGrants {
    let grants = this.grants.get(pdId);
    if (grants === undefined) {
      grants = new FrameGrants();
      this.grants.set(pdId, grants);
    }
    return grants;
  }

  private onDelegated(event: DelegationEvent): void {
    if (event.kind === "OBJ") {
      this.objectCopies.push(event);
      return;
    }
    const mappings = this.pendingMappings;
    this.pendingMappings = [];
    if (event.kind !== "HST") return;
    const source = this.state.objects.get(event.sourcePd);
    const fromNova = event.sourcePd === this.state.novaPd.id;
    const hostFormat = this.state.formatFor("HST");
    for (const mapping of mappings) {
      if (mapping.frame === undefined) continue;
      const pages = 1n << BigInt(mapping.order);
      const sourcePage = mapping.page - event.destinationBase + event.sourceBase;
      let uncovered: bigint | undefined;
      if (fromNova) {
        // NOVA host space: selector N is physical page N, protected pages are null (§1.5)
        const covered = this.state.novaHostSpace.leaves(sourcePage << 12n, mapping.order).reduce((sum, leaf) => sum + (1n << BigInt(leaf.order)), 0n);
        if (mapping.frame !== sourcePage || covered !== pages) uncovered = mapping.frame;
      } else if (!(source instanceof ProtectionDomain)) {
        uncovered = mapping.frame;
      } else {
        const widen = (given: number): number => (hostFormat === undefined ? given : this.widen(hostFormat, given));
        uncovered = this.grantsFor(source.id).firstUncovered(mapping.frame, mapping.frame + pages, mapping.permissions, widen);
      }
      if (uncovered !== undefined) {
        this.findings.push(
          new InvariantViolation(
            "space-ownership",
            { pdId: mapping.ownerPd, spaceId: mapping.spaceId, page: mapping.page, frame: uncovered },
            `ctrl_pd from PD ${event.sourcePd} mapped frame 0x${uncovered.toString(16)} (permissions 0x${mapping.permissions.toString(16)}) into space ${mapping.spaceId} of PD ${mapping.ownerPd}, but the source was never given it`,
          ),
        );
        continue;
      }
      this.grantsFor(mapping.ownerPd).grant(mapping.frame, mapping.frame + pages, mapping.permissions);
    }
  }
}
