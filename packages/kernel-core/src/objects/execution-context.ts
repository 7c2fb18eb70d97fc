import { EC_PERMISSIONS_DEFINED } from "../abi/permissions.js";
import { UTCB_MESSAGE_WORDS } from "../abi/descriptors.js";
import type { KernelQuota } from "../kernel-state/kernel-quota.js";
import type { GuestSpace } from "./guest-space.js";
import type { HostSpace } from "./host-space.js";
import { KernelObject } from "./kernel-object.js";
import type { MsrSpace } from "./msr-space.js";
import type { NovaHostSpace } from "./nova-host-space.js";
import { EcSubtype } from "./object-type.js";
import type { ObjectSpace } from "./object-space.js";
import type { PioSpace } from "./pio-space.js";
import type { ProtectionDomain } from "./protection-domain.js";

export type EcKind = "local" | "global" | "vcpu-real" | "vcpu-offs";

const SUBTYPE: Readonly<Record<EcKind, number>> = {
  local: EcSubtype.EC_LOCAL,
  global: EcSubtype.EC_GLOBAL,
  "vcpu-real": EcSubtype.EC_VCPU_REAL,
  "vcpu-offs": EcSubtype.EC_VCPU_OFFS,
};
const SUBTYPE_NAMES = ["EC_LOCAL", "EC_GLOBAL", "EC_VCPU_REAL", "EC_VCPU_OFFS"] as const;

export interface ExecutionContextInit {
  readonly pd: ProtectionDomain;
  readonly kind: EcKind;
  readonly cpu: number;
  /** F flag: may use the FPU */
  readonly fpu: boolean;
  /** SELEVT: events go to portal eventBase + number (§2.6) */
  readonly eventBase: bigint;
  /** hvp: UTCB address (host ECs) or vAPIC page (Intel vCPUs) */
  readonly hostAddress: bigint;
  /** initial stack pointer (p3 of create_ec) */
  readonly stackPointer: bigint;
  readonly objectSpace: ObjectSpace;
  readonly hostSpace: HostSpace | NovaHostSpace;
  /** host ECs bind the PD's first PIO space (x86); vCPUs and Arm ECs have none at creation */
  readonly pioSpace: PioSpace | undefined;
  /** the UTCB's physical frame (local/global ECs whose host space is a page table) */
  readonly utcbFrame?: bigint;
  /** the UTCB's words, a view of that frame, so what the EC reads at hva is what IPC copied */
  readonly utcbWords?: BigUint64Array;
}

/**
 * An execution context (reference/nova.md §1.6): a thread (local/global) or a vCPU, bound to
 * one CPU for life. It holds references to the spaces it is bound to (§1.1); host ECs bind OBJ,
 * HST and the first PIO space at creation and never change; vCPUs are rebound to GST/PIO/MSR
 * spaces by ipc_reply with MTD.SPACES (the runtime does that through KernelState).
 */
export class ExecutionContext extends KernelObject {
  readonly pd: ProtectionDomain;
  readonly kind: EcKind;
  readonly cpu: number;
  readonly fpu: boolean;
  readonly eventBase: bigint;
  readonly hostAddress: bigint;
  readonly stackPointer: bigint;
  readonly objectSpace: ObjectSpace;
  readonly hostSpace: HostSpace | NovaHostSpace;
  pioSpace: PioSpace | undefined;
  guestSpace: GuestSpace | undefined = undefined;
  msrSpace: MsrSpace | undefined = undefined;
  /** the UTCB's 512 message words (local and global ECs only, §1.6) */
  readonly utcb: BigUint64Array | undefined;
  /** physical frame backing the UTCB, mapped K|U|R|W at hostAddress; undefined without one */
  readonly utcbFrame: bigint | undefined;
  /** number of SCs bound so far (the first one raises STARTUP, §1.6) */
  boundScs = 0;

  constructor(id: number, init: ExecutionContextInit, quota: KernelQuota, chargedBytes: number) {
    super(id, "EC", SUBTYPE[init.kind], quota, chargedBytes);
    this.pd = init.pd;
    this.kind = init.kind;
    this.cpu = init.cpu;
    this.fpu = init.fpu;
    this.eventBase = init.eventBase;
    this.hostAddress = init.hostAddress;
    this.stackPointer = init.stackPointer;
    this.objectSpace = init.objectSpace;
    this.hostSpace = init.hostSpace;
    this.pioSpace = init.pioSpace;
    this.utcbFrame = init.utcbFrame;
    this.utcb = this.isVcpu ? undefined : (init.utcbWords ?? new BigUint64Array(UTCB_MESSAGE_WORDS));
  }

  get isVcpu(): boolean {
    return this.kind === "vcpu-real" || this.kind === "vcpu-offs";
  }

  get isLocal(): boolean {
    return this.kind === "local";
  }

  get definedPermissions(): number {
    return EC_PERMISSIONS_DEFINED;
  }

  get subtypeName(): string {
    return SUBTYPE_NAMES[this.subtype] ?? `EC_${this.subtype}`;
  }

  heldReferences(): readonly KernelObject[] {
    const held: KernelObject[] = [this.objectSpace, this.hostSpace];
    if (this.pioSpace !== undefined) held.push(this.pioSpace);
    if (this.guestSpace !== undefined) held.push(this.guestSpace);
    if (this.msrSpace !== undefined) held.push(this.msrSpace);
    return held;
  }
}
