import { Status } from "../abi/status.js";
import {
  MemoryCapabilityPermission,
  PIO_PERMISSIONS_DEFINED,
  ScPermission,
  SmPermission,
  SpacePermission,
} from "../abi/permissions.js";
import { NovaObjectSelector } from "../abi/well-known-selectors.js";
import { NovakitError } from "../errors/novakit-error.js";
import type { SpaceKind } from "../hooks/hook-types.js";
import type { KernelHooks } from "../hooks/kernel-hooks.js";
import type { FrameAllocator } from "../memory/frame-allocator.js";
import type { MemoryAttributes, PageTableFormat } from "../memory/page-table-format.js";
import type { PhysicalMemory } from "../memory/physical-memory.js";
import { RadixPageTable } from "../memory/radix-page-table.js";
import type { TranslationTable } from "../memory/translation-table.js";
import { makeCapability, type Capability } from "../objects/capability.js";
import { DmaSpace } from "../objects/dma-space.js";
import { ExecutionContext, type EcKind } from "../objects/execution-context.js";
import { GuestSpace } from "../objects/guest-space.js";
import { HostSpace } from "../objects/host-space.js";
import type { KernelObject } from "../objects/kernel-object.js";
import { MemorySpace } from "../objects/memory-space.js";
import { MsrSpace } from "../objects/msr-space.js";
import { NovaHostSpace } from "../objects/nova-host-space.js";
import { ObjectSpace } from "../objects/object-space.js";
import { PioSpace, PIO_PORTS } from "../objects/pio-space.js";
import { Portal } from "../objects/portal.js";
import { ProtectionDomain } from "../objects/protection-domain.js";
import { SchedulingContext } from "../objects/scheduling-context.js";
import { Semaphore } from "../objects/semaphore.js";
import type { Space } from "../objects/space.js";
import type { Platform } from "../platform/platform.js";
import { created, failed, type Creation } from "./creation.js";
import { KernelQuota } from "./kernel-quota.js";
import { AllocationSite, pageTableSite, UNRESTRICTED_ALLOCATIONS, type KernelAllocationPolicy } from "./kernel-allocation-policy.js";
import type { KernelRuntime } from "./kernel-runtime.js";
import type { KernelStateOptions, TranslationTableFactory } from "./kernel-state-options.js";
import { NOVA_MSR_ALLOW_LIST } from "./nova-msr-policy.js";
import { deniedPorts } from "./nova-pio-policy.js";
import { ObjectCost } from "./object-costs.js";
import { ObjectRegistry } from "./object-registry.js";
import { protectedMemory } from "./protected-memory.js";
import { QuotaTableAllocator } from "./quota-table-allocator.js";

/** Page-table-backed space kinds, whose formats the `memory` phase registers. */
export type TableSpaceKind = "HST" | "GST" | "DMA";

/** x86 [REL-24.08]: 256 vectors hold 217 GSIs (pin + MSI), §8.4. */
const X86_GSI_COUNT = 217;
const DEFAULT_IOAPIC_PINS = 24;
/** the idle SC never runs out: its budget is effectively unbounded */
const IDLE_BUDGET_NS = Number.MAX_SAFE_INTEGER;

export interface NewExecutionContext {
  readonly kind: EcKind;
  readonly cpu: number;
  readonly fpu: boolean;
  readonly eventBase: bigint;
  readonly hostAddress: bigint;
  readonly stackPointer: bigint;
}

/**
 * The kernel's whole object world (reference/nova.md §1): the registry of objects by id, the
 * NOVA PD with its object/host/PIO/MSR spaces and well-known objects (§1.5), the quotas, the
 * page-table format per space kind, physical memory and frames, the hooks, and the runtime
 * callbacks. It is synchronous and knows nothing about time; hypercalls/ operate on it.
 *
 * Created by the runtime (A2) after `discover`; formats are registered in `memory`; the root PD
 * is made in `root` by createRootPd, which sets `rootPd`.
 */
export class KernelState {
  readonly platform: Platform;
  readonly hooks: KernelHooks;
  readonly runtime: KernelRuntime;
  readonly memory: PhysicalMemory;
  readonly frames: FrameAllocator;
  readonly objects = new ObjectRegistry();
  /** the kernel-wide quota: the ancestor of every PD's quota */
  readonly kernelQuota: KernelQuota;
  /** asked before every kernel memory allocation (fault injection; default: allow all) */
  readonly allocationPolicy: KernelAllocationPolicy;
  readonly cosCount: number;
  readonly keyIdMax: number;
  readonly stcFrequencyHz: number;
  readonly interruptPins: number;
  readonly interruptMsis: number;
  readonly bootCpu: number;
  readonly rootQuotaBytes: number | undefined;

  readonly novaPd: ProtectionDomain;
  readonly novaObjectSpace: ObjectSpace;
  readonly novaHostSpace: NovaHostSpace;
  readonly novaPioSpace: PioSpace | undefined;
  readonly novaMsrSpace: MsrSpace | undefined;
  /** memory-buffer console signal (NOVA object selector SELNUM-1) */
  readonly consoleSemaphore: Semaphore;
  /** interrupt SMs, index = GSI / INTID, at NOVA selector 2^16 + index */
  readonly interruptSemaphores: readonly Semaphore[];
  /** idle ECs and SCs, one per CPU, at NOVA selector = CPU (the runtime schedules them when nothing else runs) */
  readonly idleEcs: readonly ExecutionContext[];
  readonly idleScs: readonly SchedulingContext[];

  /**
   * page tables whose emptied tables an IOMMU may still walk (an invalidation timed out): their
   * waitlisted tables are not freed until a later invalidation of the space completes
   */
  readonly quarantinedTables = new WeakSet<TranslationTable>();

  /** set by createRootPd */
  rootPd: ProtectionDomain | undefined = undefined;

  private readonly formats = new Map<TableSpaceKind, PageTableFormat>();
  private readonly createTable: TranslationTableFactory;

  constructor(options: KernelStateOptions) {
    this.platform = options.platform;
    this.hooks = options.hooks;
    this.runtime = options.runtime;
    this.memory = options.memory;
    this.frames = options.frames;
    this.allocationPolicy = options.allocationPolicy ?? UNRESTRICTED_ALLOCATIONS;
    this.kernelQuota = new KernelQuota(options.kernelMemoryBytes, undefined, this.allocationPolicy);
    this.cosCount = options.cosCount ?? 0;
    this.keyIdMax = options.keyIdMax ?? 0;
    this.stcFrequencyHz = options.stcFrequencyHz ?? 1_000_000_000;
    this.rootQuotaBytes = options.rootQuotaBytes;
    this.createTable = options.createTranslationTable ?? ((format, allocator, memory) => new RadixPageTable(format, allocator, memory));
    const x86 = this.platform.arch === "x86_64";
    const ioapicPins = this.platform.interruptControllers
      .filter((c) => c.kind === "ioapic")
      .reduce((sum, c) => sum + (typeof c.details["pins"] === "number" ? c.details["pins"] : DEFAULT_IOAPIC_PINS), 0);
    this.interruptPins = options.interruptPins ?? (x86 ? Math.min(ioapicPins, X86_GSI_COUNT) : 0);
    this.interruptMsis = options.interruptMsis ?? (x86 ? X86_GSI_COUNT - this.interruptPins : 0);
    this.bootCpu = options.bootCpu ?? this.platform.cpus.find((cpu) => cpu.enabled)?.index ?? 0;

    // The NOVA PD and its spaces (§1.5) are charged to the kernel-wide quota itself.
    this.novaPd = new ProtectionDomain(this.objects.allocateId(), this.kernelQuota, this.kernelQuota, 0, "nova");
    this.novaPd.publish(); // the kernel's own reference: the NOVA PD never dies
    this.objects.add(this.novaPd);
    this.novaObjectSpace = this.bootObject(new ObjectSpace(this.objects.allocateId(), this.novaPd, this.kernelQuota, 0, this.objects));
    this.novaPd.objectSpace = this.novaObjectSpace;
    const protectedRanges = protectedMemory(this.platform, options.kernelImage, options.protectedRanges ?? []);
    this.novaHostSpace = this.bootObject(
      new NovaHostSpace(this.objects.allocateId(), this.novaPd, this.kernelQuota, 0, this.platform.cpu.physicalAddressBits, protectedRanges),
    );
    this.novaPd.hostSpace = this.novaHostSpace;
    if (x86) {
      const pio = this.bootObject(new PioSpace(this.objects.allocateId(), this.novaPd, this.kernelQuota, 0));
      for (let port = 0; port < PIO_PORTS; port++) pio.setPermissions(port, PIO_PERMISSIONS_DEFINED);
      for (const port of deniedPorts(this.platform, options.insecure ?? false)) pio.setPermissions(port, 0);
      const msr = this.bootObject(new MsrSpace(this.objects.allocateId(), this.novaPd, this.kernelQuota, 0));
      for (const [number, permissions] of NOVA_MSR_ALLOW_LIST) msr.setPermissions(number, permissions);
      this.novaPioSpace = pio;
      this.novaMsrSpace = msr;
      this.novaPd.pioSpace = pio;
    }

    // The kernel itself holds the NOVA spaces (they are never destroyed); capabilities to them
    // below are ordinary references on top of that.
    for (const space of [this.novaObjectSpace, this.novaHostSpace, this.novaPioSpace, this.novaMsrSpace]) space?.publish();

    const table = this.novaObjectSpace;
    this.consoleSemaphore = new Semaphore(this.objects.allocateId(), 0n, undefined, this.kernelQuota, 0);
    this.objects.add(this.consoleSemaphore);
    this.installBoot(table, NovaObjectSelector.CONSOLE_SM, this.consoleSemaphore, SmPermission.CTRL_UP | SmPermission.CTRL_DN);
    this.storeBoot(table, NovaObjectSelector.NOVA_OBJ, this.novaObjectSpace, SpacePermission.TAKE);
    this.storeBoot(table, NovaObjectSelector.NOVA_HST, this.novaHostSpace, SpacePermission.TAKE);
    if (this.novaPioSpace !== undefined) this.storeBoot(table, NovaObjectSelector.NOVA_PIO, this.novaPioSpace, SpacePermission.TAKE);
    if (this.novaMsrSpace !== undefined) this.storeBoot(table, NovaObjectSelector.NOVA_MSR, this.novaMsrSpace, SpacePermission.TAKE);

    const interrupts: Semaphore[] = [];
    for (let gsi = 0; gsi < this.interruptPins + this.interruptMsis; gsi++) {
      const sm = new Semaphore(this.objects.allocateId(), 0n, gsi, this.kernelQuota, 0);
      this.objects.add(sm);
      this.installBoot(table, NovaObjectSelector.INTERRUPT_SM_BASE + gsi, sm, SmPermission.ASSIGN | SmPermission.CTRL_DN);
      interrupts.push(sm);
    }
    this.interruptSemaphores = interrupts;

    const idleEcs: ExecutionContext[] = [];
    const idleScs: SchedulingContext[] = [];
    for (const cpu of this.platform.cpus) {
      const ec = new ExecutionContext(
        this.objects.allocateId(),
        {
          pd: this.novaPd,
          kind: "global",
          cpu: cpu.index,
          fpu: false,
          eventBase: 0n,
          hostAddress: 0n,
          stackPointer: 0n,
          objectSpace: this.novaObjectSpace,
          hostSpace: this.novaHostSpace,
          pioSpace: this.novaPioSpace,
        },
        this.kernelQuota,
        0,
      );
      this.bootObject(ec);
      ec.publish(); // held by the kernel (the CPU's idle loop), never by a capability
      const sc = new SchedulingContext(this.objects.allocateId(), { ec, priority: 0, budgetNs: IDLE_BUDGET_NS, cos: 0 }, this.kernelQuota, 0);
      this.bootObject(sc);
      this.installBoot(table, NovaObjectSelector.IDLE_SC_BASE + cpu.index, sc, ScPermission.CTRL);
      ec.boundScs += 1;
      idleEcs.push(ec);
      idleScs.push(sc);
    }
    this.idleEcs = idleEcs;
    this.idleScs = idleScs;
  }

  // ---------------------------------------------------------------- formats

  /** The `memory` phase registers the page-table format of HST, and optionally GST and DMA. */
  registerFormat(kind: TableSpaceKind, format: PageTableFormat): void {
    if (this.formats.has(kind)) {
      throw new NovakitError(
        "NK-KRN-105",
        `a page-table format for ${kind} spaces is already registered (${this.formats.get(kind)?.name}); cannot add ${format.name}`,
        { field: `formats.${kind}` },
        "only one architecture (or IOMMU) plugin may provide the format of a space kind",
      );
    }
    this.formats.set(kind, format);
  }

  formatFor(kind: TableSpaceKind): PageTableFormat | undefined {
    return this.formats.get(kind);
  }

  /** Host selectors (user half of the HST input range, §1.2): 2^35 on x86 4-level. */
  hostSelectorCount(): bigint {
    const bits = this.formats.get("HST")?.inputBits ?? this.platform.cpu.virtualAddressBits;
    return 1n << BigInt(bits - 12 - 1);
  }

  get cpuCount(): number {
    return this.platform.cpus.length;
  }

  /** A TableAllocator that charges `quota` and draws frames from the frame allocator; `site` names it for fault injection. */
  tableAllocator(quota: KernelQuota, site: string = pageTableSite("unnamed")): QuotaTableAllocator {
    return new QuotaTableAllocator(quota, this.frames, this.memory, site);
  }

  // ---------------------------------------------------------------- object creation

  /** A new PD charged to `parent`'s quota; its own quota is a child of the parent's. */
  createProtectionDomain(parent: ProtectionDomain, name: string, quotaLimit?: number): Creation<ProtectionDomain> {
    if (parent.dying) return failed(Status.ABORTED);
    if (!parent.ownQuota.tryCharge(ObjectCost.PD, AllocationSite.CREATE_PD)) return failed(Status.MEM_OBJ);
    const pd = new ProtectionDomain(this.objects.allocateId(), new KernelQuota(quotaLimit, parent.ownQuota), parent.ownQuota, ObjectCost.PD, name);
    this.objects.add(pd);
    return created(pd);
  }

  /**
   * A new space of `kind` for `pd` (create_pd OP 1..6 checks after the capability): ABORTED for
   * a second OBJ/HST space or a dying PD, BAD_FTR when the kind is unsupported (no format
   * registered, or PIO/MSR off x86), MEM_OBJ when the quota or frames run out.
   */
  createSpace(kind: SpaceKind, pd: ProtectionDomain): Creation<Space> {
    if (pd.dying) return failed(Status.ABORTED);
    if ((kind === "OBJ" && pd.objectSpace !== undefined) || (kind === "HST" && pd.hostSpace !== undefined)) return failed(Status.ABORTED);
    const quota = pd.ownQuota;
    const id = (): number => this.objects.allocateId();
    let space: Space;
    switch (kind) {
      case "OBJ":
        if (!quota.tryCharge(ObjectCost.SPACE, AllocationSite.SPACE_OBJ)) return failed(Status.MEM_OBJ);
        space = new ObjectSpace(id(), pd, quota, ObjectCost.SPACE, this.objects);
        break;
      case "PIO":
      case "MSR": {
        if (this.platform.arch !== "x86_64") return failed(Status.BAD_FTR);
        const bytes = ObjectCost.SPACE + (kind === "PIO" ? ObjectCost.PIO_BITMAP : ObjectCost.MSR_BITMAP);
        if (!quota.tryCharge(bytes, kind === "PIO" ? AllocationSite.SPACE_PIO : AllocationSite.SPACE_MSR)) return failed(Status.MEM_OBJ);
        space = kind === "PIO" ? new PioSpace(id(), pd, quota, bytes) : new MsrSpace(id(), pd, quota, bytes);
        break;
      }
      case "HST":
      case "GST":
      case "DMA": {
        const format = this.formats.get(kind);
        if (format === undefined) return failed(Status.BAD_FTR);
        const allocator = this.tableAllocator(quota, pageTableSite(kind));
        const rootTables = Math.ceil(format.rootEntries / 512);
        if (quota.available() < ObjectCost.SPACE + ObjectCost.TABLE * rootTables || !allocator.canAllocate(rootTables)) {
          return failed(Status.MEM_OBJ);
        }
        const spaceSite = kind === "HST" ? AllocationSite.SPACE_HST : kind === "GST" ? AllocationSite.SPACE_GST : AllocationSite.SPACE_DMA;
        if (!quota.tryCharge(ObjectCost.SPACE, spaceSite)) return failed(Status.MEM_OBJ);
        let table: TranslationTable;
        try {
          table = this.createTable(format, allocator, this.memory);
        } catch (error) {
          // the engine throws NK-MEM-007 when its root table cannot be allocated: for create_pd
          // that is MEM_OBJ, and the space's charge goes back (nothing else was taken)
          if (error instanceof NovakitError && error.code === "NK-MEM-007") {
            quota.refund(ObjectCost.SPACE);
            return failed(Status.MEM_OBJ);
          }
          throw error;
        }
        space =
          kind === "HST"
            ? new HostSpace(id(), pd, quota, ObjectCost.SPACE, table)
            : kind === "GST"
              ? new GuestSpace(id(), pd, quota, ObjectCost.SPACE, table)
              : new DmaSpace(id(), pd, quota, ObjectCost.SPACE, table);
        break;
      }
    }
    if (!this.adopt(space)) return failed(Status.ABORTED);
    if (space instanceof ObjectSpace) pd.objectSpace = space;
    else if (space instanceof HostSpace) pd.hostSpace = space;
    else if (space instanceof PioSpace && pd.pioSpace === undefined) pd.pioSpace = space;
    return created(space);
  }

  /**
   * A new EC in `pd`, bound to its OBJ, HST (and on x86 first PIO) spaces: ABORTED when one is
   * missing. A local or global EC gets a UTCB frame mapped K|U|R|W at its hva (§1.6, §1.8: a K
   * page, so it cannot be delegated); the EC's `utcb` words are a view of that frame.
   */
  createExecutionContext(pd: ProtectionDomain, init: NewExecutionContext): Creation<ExecutionContext> {
    const vcpu = init.kind === "vcpu-real" || init.kind === "vcpu-offs";
    const needsPio = !vcpu && this.platform.arch === "x86_64";
    const hostSpace = pd.hostSpace;
    if (pd.dying || pd.objectSpace === undefined || hostSpace === undefined || (needsPio && pd.pioSpace === undefined)) {
      return failed(Status.ABORTED);
    }
    const bytes = ObjectCost.EC + (vcpu ? 0 : ObjectCost.UTCB) + (init.fpu ? ObjectCost.FPU : 0);
    if (!pd.ownQuota.tryCharge(bytes, AllocationSite.CREATE_EC)) return failed(Status.MEM_OBJ);
    let utcbFrame: bigint | undefined;
    if (!vcpu && hostSpace instanceof MemorySpace) {
      utcbFrame = this.allocationPolicy.allow(AllocationSite.UTCB_FRAME) ? this.frames.allocate() : undefined;
      if (utcbFrame === undefined) {
        pd.ownQuota.refund(bytes);
        return failed(Status.MEM_OBJ);
      }
      this.memory.zeroFrame(utcbFrame);
      this.allocationPolicy.framesTaken(AllocationSite.UTCB_FRAME, utcbFrame, 1, pd.ownQuota);
      if (this.mapKernelPage(hostSpace, init.hostAddress, utcbFrame, MemoryCapabilityPermission.R | MemoryCapabilityPermission.W) !== Status.SUCCESS) {
        this.freeKernelFrame(utcbFrame);
        pd.ownQuota.refund(bytes);
        return failed(Status.MEM_OBJ);
      }
    }
    const words = utcbFrame === undefined ? undefined : this.memory.frameWords(utcbFrame);
    const ec = new ExecutionContext(
      this.objects.allocateId(),
      {
        ...init,
        pd,
        objectSpace: pd.objectSpace,
        hostSpace,
        pioSpace: vcpu ? undefined : pd.pioSpace,
        ...(utcbFrame !== undefined && words !== undefined ? { utcbFrame, utcbWords: new BigUint64Array(words.buffer, words.byteOffset, words.length) } : {}),
      },
      pd.ownQuota,
      bytes,
    );
    if (!this.adopt(ec)) {
      this.releaseUtcb(ec);
      return failed(Status.ABORTED);
    }
    return created(ec);
  }

  /**
   * (Re)bind a vCPU to a guest, PIO or MSR space (ipc_reply with MTD.SPACES, §1.2): the EC takes
   * a reference on the new space and drops the old one. false when the space is dying.
   */
  bindVcpuSpace(ec: ExecutionContext, space: GuestSpace | PioSpace | MsrSpace): boolean {
    if (!space.tryInc()) return false;
    let old: KernelObject | undefined;
    if (space instanceof GuestSpace) {
      old = ec.guestSpace;
      ec.guestSpace = space;
    } else if (space instanceof PioSpace) {
      old = ec.pioSpace;
      ec.pioSpace = space;
    } else {
      old = ec.msrSpace;
      ec.msrSpace = space;
    }
    if (old !== undefined) this.release(old);
    return true;
  }

  createSchedulingContext(pd: ProtectionDomain, ec: ExecutionContext, priority: number, budgetNs: number, cos: number): Creation<SchedulingContext> {
    if (pd.dying) return failed(Status.ABORTED);
    if (!pd.ownQuota.tryCharge(ObjectCost.SC, AllocationSite.CREATE_SC)) return failed(Status.MEM_OBJ);
    const sc = new SchedulingContext(this.objects.allocateId(), { ec, priority, budgetNs, cos }, pd.ownQuota, ObjectCost.SC);
    if (!this.adopt(sc)) return failed(Status.ABORTED);
    return created(sc);
  }

  createPortal(pd: ProtectionDomain, ec: ExecutionContext, ip: bigint): Creation<Portal> {
    if (pd.dying) return failed(Status.ABORTED);
    if (!pd.ownQuota.tryCharge(ObjectCost.PT, AllocationSite.CREATE_PT)) return failed(Status.MEM_OBJ);
    const pt = new Portal(this.objects.allocateId(), ec, ip, pd.ownQuota, ObjectCost.PT);
    if (!this.adopt(pt)) return failed(Status.ABORTED);
    return created(pt);
  }

  createSemaphore(pd: ProtectionDomain, count: bigint): Creation<Semaphore> {
    if (pd.dying) return failed(Status.ABORTED);
    if (!pd.ownQuota.tryCharge(ObjectCost.SM, AllocationSite.CREATE_SM)) return failed(Status.MEM_OBJ);
    const sm = new Semaphore(this.objects.allocateId(), count, undefined, pd.ownQuota, ObjectCost.SM);
    this.objects.add(sm);
    return created(sm);
  }

  // ---------------------------------------------------------------- capabilities

  /** The capability at `selector` of `space` (null = undefined). */
  lookup(space: ObjectSpace, selector: bigint): Capability | undefined {
    if (selector < 0n || selector >= space.selectorCount) return undefined;
    return space.lookup(Number(selector));
  }

  /**
   * Publish a freshly created object through its first capability (§1.1 insert, 0 -> 1):
   * BAD_CAP when the slot is taken, MEM_CAP when the slot's table cannot be allocated. On
   * failure the object is discarded (never published, so no one saw it).
   */
  insertNew(space: ObjectSpace, selector: bigint, object: KernelObject, permissions: number): Status {
    const capability = makeCapability(object, permissions);
    let status: Status = Status.SUCCESS;
    if (selector < 0n || selector >= space.selectorCount || capability === undefined) status = Status.BAD_CAP;
    else if (space.occupied(Number(selector))) status = Status.BAD_CAP;
    else if (!space.ensureTable(Number(selector))) status = Status.MEM_CAP;
    if (status !== Status.SUCCESS || capability === undefined) {
      this.discard(object);
      return status;
    }
    object.publish();
    space.exchange(Number(selector), capability);
    return Status.SUCCESS;
  }

  /**
   * Store a capability to an existing object (delegation, boot setup) and release what the slot
   * held (§1.8): the copy takes its reference with tryInc, a dying object becomes null. MEM_CAP
   * when the slot's table cannot be allocated (nothing changed then).
   */
  store(space: ObjectSpace, selector: number, capability: Capability | undefined): Status {
    let value = capability;
    if (value !== undefined && !value.object.tryInc()) value = undefined;
    if (value !== undefined && !space.ensureTable(selector)) {
      this.release(value.object);
      return Status.MEM_CAP;
    }
    const old = space.exchange(selector, value);
    if (old !== undefined) this.release(old.object);
    return Status.SUCCESS;
  }

  /** Drop one reference; the last one destroys the object and releases what it held. */
  release(object: KernelObject): void {
    if (object.dec()) this.destroy(object);
  }

  /** Fire `objectCreated` for a new object (after it was published). */
  announce(object: KernelObject, owner: ProtectionDomain): void {
    this.hooks.objectCreated.call({
      type: object.type,
      subtype: object.subtypeName,
      id: object.id,
      ownerPd: owner.id,
      ...(object instanceof ExecutionContext || object instanceof SchedulingContext ? { cpu: object.cpu } : {}),
    });
  }

  /** Map a kernel-owned page (UTCB, HIP) into a host space: K pages cannot be delegated (§1.8). */
  mapKernelPage(space: MemorySpace, address: bigint, frame: bigint, permissions: number): Status {
    const attributes: MemoryAttributes = { cache: "WB", keyId: 0, user: true, kernel: true, global: false, shadowStack: false };
    const result = space.table.map(address, frame, 0, permissions & (MemoryCapabilityPermission.R | MemoryCapabilityPermission.W), attributes);
    if (!result.ok) return result.status === "MEM_CAP" ? Status.MEM_CAP : Status.BAD_PAR;
    this.hooks.mapped.call({ kind: space.kind, spaceId: space.id, ownerPd: space.pd.id, page: address >> 12n, order: 0, frame: frame >> 12n, permissions });
    return Status.SUCCESS;
  }

  // ---------------------------------------------------------------- internals

  /** Register an object and take the references it holds; false (nothing kept) when one is dying. */
  private adopt(object: KernelObject): boolean {
    const taken: KernelObject[] = [];
    for (const held of object.heldReferences()) {
      if (!held.tryInc()) {
        for (const t of taken) this.release(t);
        object.quota.refund(object.chargedBytes);
        return false;
      }
      taken.push(held);
    }
    this.objects.add(object);
    return true;
  }

  /** An object that was never published goes away without a trace (creation failed late). */
  private discard(object: KernelObject): void {
    this.teardown(object);
  }

  private destroy(object: KernelObject): void {
    this.teardown(object);
    this.runtime.objectDestroyed(object.id);
  }

  private teardown(object: KernelObject): void {
    if (object instanceof ObjectSpace) {
      for (const [selector] of object.entries()) this.store(object, selector, undefined);
      object.releaseTables();
      if (object.pd.objectSpace === object) object.pd.objectSpace = undefined;
    } else if (object instanceof MemorySpace) {
      this.teardownTable(object);
      if (object.pd.hostSpace === object) object.pd.hostSpace = undefined;
    } else if (object instanceof PioSpace) {
      if (object.pd.pioSpace === object) object.pd.pioSpace = undefined;
    } else if (object instanceof ExecutionContext) {
      this.releaseUtcb(object);
    }
    this.objects.remove(object.id);
    object.quota.refund(object.chargedBytes);
    for (const held of object.heldReferences()) this.release(held);
  }

  /** Unmap an EC's UTCB page (the `unmapped` hook is the invalidation) and free its frame. */
  private releaseUtcb(ec: ExecutionContext): void {
    if (ec.utcbFrame === undefined) return;
    const space = ec.hostSpace;
    if (space instanceof MemorySpace && space.table.lookup(ec.hostAddress)?.outputAddress === ec.utcbFrame) {
      space.table.unmap(ec.hostAddress, 0);
      this.hooks.unmapped.call({ kind: space.kind, spaceId: space.id, ownerPd: space.pd.id, page: ec.hostAddress >> 12n, order: 0, permissions: 0 });
      space.table.releaseWaitlisted();
    }
    this.freeKernelFrame(ec.utcbFrame);
  }

  /** Return a frame the kernel took (UTCB) to the allocator, telling the allocation policy's ledger. */
  private freeKernelFrame(frame: bigint): void {
    this.frames.free(frame);
    this.allocationPolicy.framesReturned(frame, 1);
  }

  /** Unmap everything (firing `unmapped` = the invalidation), then free the tables and the root. */
  private teardownTable(space: MemorySpace): void {
    const table = space.table;
    const order = table.format.inputBits - 12;
    const present = table.leaves(0n, order);
    // unmap even without a present leaf: intermediate tables outlive the leaves an unmap removed
    // (the engine does not merge them away), and each one is a frame charged to the quota
    table.unmap(0n, order);
    for (const leaf of present) {
      this.hooks.unmapped.call({ kind: space.kind, spaceId: space.id, ownerPd: space.pd.id, page: leaf.inputAddress >> 12n, order: leaf.order, permissions: 0 });
    }
    table.releaseWaitlisted();
    const allocator = this.tableAllocator(space.quota, pageTableSite(space.kind));
    const rootTables = Math.ceil(table.format.rootEntries / 512);
    for (let i = 0; i < rootTables; i++) allocator.freeTable(table.rootAddress + BigInt(i * 4096));
  }

  /** boot-time objects of the NOVA PD: registered with their held references, never fail */
  private bootObject<T extends KernelObject>(object: T): T {
    if (!this.adopt(object)) {
      throw new NovakitError("NK-KRN-106", `boot object ${object.id} (${object.subtypeName}) could not take its references`, { field: "boot" });
    }
    return object;
  }

  private installBoot(space: ObjectSpace, selector: number, object: KernelObject, permissions: number): void {
    if (this.insertNew(space, BigInt(selector), object, permissions) !== Status.SUCCESS) {
      throw new NovakitError("NK-KRN-106", `could not install boot capability at NOVA selector ${selector}`, { field: "boot" });
    }
  }

  private storeBoot(space: ObjectSpace, selector: number, object: KernelObject, permissions: number): void {
    if (this.store(space, selector, makeCapability(object, permissions)) !== Status.SUCCESS) {
      throw new NovakitError("NK-KRN-106", `could not store boot capability at NOVA selector ${selector}`, { field: "boot" });
    }
  }
}
