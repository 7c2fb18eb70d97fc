import { encodeIdentifier } from "../../abi/descriptors.js";
import { Hypercall, type HypercallName } from "../../abi/hypercall-numbers.js";
import { buildHip, hipContentsFor } from "../../boot/hip.js";
import { createRootPd, type RootPd } from "../../boot/root-pd.js";
import { createKernelHooks } from "../../hooks/kernel-hooks.js";
import { executeHypercall } from "../../hypercalls/execute-hypercall.js";
import type { HypercallCaller, HypercallResult } from "../../hypercalls/hypercall-types.js";
import { FrameAllocator } from "../../memory/frame-allocator.js";
import { PhysicalMemory } from "../../memory/physical-memory.js";
import { testingPageTableFormat } from "../../memory/testing-format.js";
import type { Arch, FirmwareTable, Platform } from "../../platform/platform.js";
import type { KernelRuntime } from "../kernel-runtime.js";
import { KernelState } from "../kernel-state.js";
import type { KernelStateOptions } from "../kernel-state-options.js";

/** A KernelRuntime that records its callbacks, for tests of the object layer alone. */
export class RecordingRuntime implements KernelRuntime {
  readonly events: string[] = [];
  ecCreated(ecId: number): void {
    this.events.push(`ecCreated ${ecId}`);
  }
  scCreated(scId: number): void {
    this.events.push(`scCreated ${scId}`);
  }
  recall(ecId: number, strong: boolean): void {
    this.events.push(`recall ${ecId} ${strong ? "strong" : "weak"}`);
  }
  objectDestroyed(objectId: number): void {
    this.events.push(`destroyed ${objectId}`);
  }
  nowNs(): number {
    return 0;
  }
}

export const RAM_BASE = 0x100000n;
export const KERNEL_IMAGE = { base: 0x200000n, size: 0x200000n };
export const IOMMU_BASE = 0xfeb80000n;

/** A FADT with PM1a_CNT 0x604 (len 2), PM2_CNT 0x650 (len 1), SMI_CMD 0xB2. */
function syntheticFadt(): FirmwareTable {
  const bytes = new Uint8Array(116);
  const view = new DataView(bytes.buffer);
  bytes.set([0x46, 0x41, 0x43, 0x50]); // "FACP"
  view.setUint32(4, bytes.length, true);
  view.setUint32(48, 0xb2, true);
  view.setUint32(64, 0x604, true);
  view.setUint32(72, 0x650, true);
  view.setUint8(89, 2);
  view.setUint8(90, 1);
  return { signature: "FACP", address: 0xe0000n, length: bytes.length, revision: 6, oemId: "NOVAKT", oemTableId: "TEST", bytes };
}

/** A small synthetic machine: 2 CPUs, 64 MiB RAM, LAPIC, one 24-pin IOAPIC, one AMD-Vi unit, a FADT. */
export function syntheticPlatform(arch: Arch = "x86_64", ramBytes = 64n << 20n): Platform {
  return {
    name: "synthetic",
    arch,
    cpu: {
      vendor: arch === "x86_64" ? "amd" : "arm",
      name: "synthetic",
      family: 0x19,
      model: 1,
      stepping: 0,
      features: arch === "x86_64" ? ["SVM", "NX", "PDPE1GB"] : ["EL2"],
      physicalAddressBits: 48,
      virtualAddressBits: 48,
    },
    cpus: [
      { index: 0, hardwareId: 0, enabled: true, source: "test" },
      { index: 1, hardwareId: 1, enabled: true, source: "test" },
    ],
    memory: [
      { base: RAM_BASE, size: ramBytes, kind: "ram" },
      { base: KERNEL_IMAGE.base, size: KERNEL_IMAGE.size, kind: "kernel" },
    ],
    pci: [],
    pciSegments: [],
    iommus: arch === "x86_64" ? [{ kind: "amd-vi", baseAddress: IOMMU_BASE, segment: 0, source: "test" }] : [],
    interruptControllers:
      arch === "x86_64"
        ? [
            { kind: "lapic", id: 0, baseAddress: 0xfee00000n, details: {} },
            { kind: "ioapic", id: 0, baseAddress: 0xfec00000n, details: { pins: 24 } },
          ]
        : [{ kind: "gicv3", id: 0, baseAddress: 0x8000000n, details: {} }],
    firmware: { kind: arch === "x86_64" ? "acpi" : "fdt", rootPointer: 0xf0000n, tables: arch === "x86_64" ? [syntheticFadt()] : [], decoded: {}, properties: {} },
  };
}

export interface TestKernelOptions extends Partial<Omit<KernelStateOptions, "platform" | "hooks" | "runtime" | "memory" | "frames">> {
  readonly arch?: Arch;
  /** space kinds that get the testing format (default HST, GST, DMA) */
  readonly formats?: readonly ("HST" | "GST" | "DMA")[];
  readonly ramBytes?: bigint;
}

export interface TestKernel {
  readonly state: KernelState;
  readonly runtime: RecordingRuntime;
  readonly root: RootPd;
  readonly caller: HypercallCaller;
  /** issue a hypercall as the root EC */
  call(name: HypercallName, flags: number, selector: bigint | number, ...args: bigint[]): HypercallResult;
  /** issue a hypercall as another EC */
  callAs(caller: HypercallCaller, name: HypercallName, flags: number, selector: bigint | number, ...args: bigint[]): HypercallResult;
}

export function createTestKernel(options: TestKernelOptions = {}): TestKernel {
  const platform = syntheticPlatform(options.arch, options.ramBytes);
  const runtime = new RecordingRuntime();
  const memory = new PhysicalMemory();
  const frames = new FrameAllocator(platform.memory.filter((r) => r.kind === "ram"));
  frames.reserve(KERNEL_IMAGE.base, KERNEL_IMAGE.size);
  const state = new KernelState({ platform, hooks: createKernelHooks(), runtime, memory, frames, ...options });
  for (const kind of options.formats ?? ["HST", "GST", "DMA"]) state.registerFormat(kind, testingPageTableFormat);
  const hip = buildHip(
    hipContentsFor(state, { novaImage: { start: KERNEL_IMAGE.base, end: KERNEL_IMAGE.base + KERNEL_IMAGE.size }, mbuf: { start: 0n, end: 0n }, rootImage: { start: 0n, end: 0n } }),
  );
  const root = createRootPd(state, { hip });
  const caller: HypercallCaller = { pd: root.pd, ec: root.ec, cpu: 0 };
  const callAs = (who: HypercallCaller, name: HypercallName, flags: number, selector: bigint | number, ...args: bigint[]): HypercallResult => {
    const identifier = Number(encodeIdentifier({ number: Hypercall[name], flags, selector: 0n }));
    return executeHypercall(state, who, identifier, BigInt(selector), args);
  };
  return { state, runtime, root, caller, callAs, call: (name, flags, selector, ...args) => callAs(caller, name, flags, selector, ...args) };
}
