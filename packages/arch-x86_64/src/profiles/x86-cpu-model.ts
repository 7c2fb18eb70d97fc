import type { CpuModel } from "@novakit/kernel-core";

/**
 * Intel RDT / AMD PQoS capabilities (CPUID leaf 0x10 on Intel, 0x8000_0020 on AMD) that
 * ctrl_hw OP 4-7 (nova.md §2.4) depend on. Absent = the CPU has none of them.
 */
export interface QosCapabilities {
  readonly l3Cat: boolean;
  readonly l2Cat: boolean;
  readonly l3Cdp: boolean;
  readonly l2Cdp: boolean;
  readonly mba: boolean;
  /** number of classes of service (COS) */
  readonly classesOfService: number;
  /** capacity bit-mask lengths */
  readonly l3CbmBits: number;
  readonly l2CbmBits: number;
  /** maximum MBA throttling value */
  readonly mbaMaxDelay: number;
}

/** The kernel-core CpuModel plus x86 facts the contract does not carry. */
export interface X86CpuModel extends CpuModel {
  readonly qos?: QosCapabilities;
}
