/**
 * CONTRACT: what a workload (a driver) sees of the PCI functions assigned to its domain, of its
 * own memory, and what the simulator tells an attacker about the machine's physical memory.
 * UserlandApi (sim/workload.ts) hands these out; the models behind them live in this folder.
 *
 * Addresses a driver programs into a device are I/O virtual addresses (IOVA). The root task maps
 * a domain's memory into its DMA space at the same addresses its host/guest space uses
 * (boot/root-task.ts#assignDevices), so a buffer at domain address X is programmed as IOVA X.
 */

/** The device model chosen from the PCI class code (devices/pci-device-kind.ts). */
export type DeviceKind = "accelerator" | "nic" | "nvme" | "generic";

/** Counters of one function's bus-master engine, in PCIe transactions and bytes. */
export interface DmaEngineCounters {
  /** transactions issued (each at most 4 KiB and inside one 4 KiB page) */
  readonly attempted: number;
  /** transactions that reached memory */
  readonly completed: number;
  /** transactions aborted (the IOMMU said no, or no memory decodes the address) */
  readonly aborted: number;
  /** transactions no IOMMU answered for: physical address = bus address (no isolation) */
  readonly untranslated: number;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  /** bytes of aborted transactions (reads that returned all-ones, writes that were dropped) */
  readonly bytesAborted: number;
}

/**
 * Whose memory a completed transaction touched, as the simulator knows it (a real driver does
 * not): the issuing domain's own memory, another domain's, kernel memory, or nobody's.
 */
export type MemoryOwner =
  | { readonly kind: "own" }
  | { readonly kind: "domain"; readonly name: string }
  | { readonly kind: "kernel"; readonly label: string }
  | { readonly kind: "unowned" };

/** One completed transaction: the bus address the device used and the physical bytes it reached. */
export interface DmaLanding {
  readonly address: bigint;
  readonly physicalAddress: bigint;
  readonly length: number;
  readonly write: boolean;
  readonly owner: MemoryOwner;
}

/** The outcome of one driver-level DMA (a raw `dma` call or one step of a device's data path). */
export interface DmaTransferResult {
  readonly transactions: number;
  readonly completed: number;
  readonly aborted: number;
  readonly untranslated: number;
  /** the bytes read (all-ones where a transaction aborted); undefined for a write */
  readonly data?: Uint8Array;
  readonly landed: readonly DmaLanding[];
  /** simulated ns the transfer took (charged to the driver's SC) */
  readonly costNs: number;
}

interface DeviceHandleBase {
  /** "SSSS:BB:DD.F" */
  readonly address: string;
  /** segment << 16 | bus << 8 | device << 3 | function: what the `dma` hook sees */
  readonly sbdf: number;
  readonly name: string;
  readonly classCode: number | undefined;
  /** false for a function without a DMA engine (its `dma` throws NK-DEV-004) */
  readonly busMaster: boolean;
  /**
   * Program the function's DMA engine with any bus address, as a driver can (this is what the
   * IOMMU must stop). A write sends `data` (zeros when omitted); `length` must match it.
   */
  dma(address: bigint, length: number, write: boolean, data?: Uint8Array): Promise<DmaTransferResult>;
  counters(): DmaEngineCounters;
}

// ---- accelerator (class 12h) ----

/** Status values of the accelerator's completion record (devices/accelerator.ts). */
export type AcceleratorStatus = "done" | "descriptor-dma-error" | "input-dma-error" | "output-dma-error" | "bad-opcode" | "bad-length" | "output-too-small";

export interface AcceleratorCompletion {
  readonly status: AcceleratorStatus;
  /** the job's sequence number (counts submissions) */
  readonly sequence: number;
  readonly outputBytes: number;
  readonly costNs: number;
}

export interface AcceleratorHandle extends DeviceHandleBase {
  readonly kind: "accelerator";
  /** ring the doorbell with the IOVA of a 64-byte job descriptor (devices/accelerator-job.ts) */
  submit(descriptorAddress: bigint): Promise<AcceleratorCompletion>;
}

// ---- NIC (class 02h) ----

export interface NicRing {
  /** IOVA of the descriptor ring (16-byte descriptors) */
  readonly base: bigint;
  /** number of descriptors (RDLEN/TDLEN in descriptors) */
  readonly entries: number;
  /** receive buffer size in bytes (RCTL.BSIZE); ignored for TX */
  readonly bufferSize?: number;
}

export interface NicRegisters {
  readonly rxHead: number;
  readonly rxTail: number;
  readonly txHead: number;
  readonly txTail: number;
}

export interface NicReceiveResult {
  readonly packets: number;
  readonly bytes: number;
  /** packets that arrived with no free descriptor (missed) */
  readonly missed: number;
  /** packets lost to an aborted DMA */
  readonly dmaErrors: number;
  readonly costNs: number;
}

export interface NicTransmitResult {
  readonly packets: number;
  readonly bytes: number;
  readonly dmaErrors: number;
  readonly costNs: number;
}

export interface NicHandle extends DeviceHandleBase {
  readonly kind: "nic";
  /** locally administered MAC derived from the function's address */
  readonly mac: string;
  configureReceive(ring: NicRing): void;
  configureTransmit(ring: NicRing): void;
  /** RDT write: descriptors before `tail` hold buffers the device may fill */
  setReceiveTail(tail: number): void;
  /** TDT write: descriptors before `tail` hold packets to send */
  setTransmitTail(tail: number): void;
  /** let up to `maxPackets` packets arrive from the (seeded) wire into posted buffers */
  receive(maxPackets: number): Promise<NicReceiveResult>;
  /** send every descriptor between TDH and TDT */
  transmit(): Promise<NicTransmitResult>;
  registers(): NicRegisters;
}

// ---- NVMe (class 01h 08h 02h) ----

export interface NvmeQueueConfig {
  /** IOVA of the submission queue (64-byte entries) */
  readonly submissionQueue: bigint;
  /** IOVA of the completion queue (16-byte entries) */
  readonly completionQueue: bigint;
  /** entries of each queue (2..65536) */
  readonly entries: number;
}

export interface NvmeDoorbellResult {
  /** commands fetched and completed */
  readonly completed: number;
  /** completions posted with a non-zero status */
  readonly errors: number;
  /** the device stopped because a DMA of the queues themselves aborted */
  readonly stalled: boolean;
  readonly costNs: number;
}

export interface NvmeHandle extends DeviceHandleBase {
  readonly kind: "nvme";
  readonly blockSize: number;
  readonly capacityBlocks: number;
  /** what Create I/O SQ/CQ would set up: the I/O queue pair 1 */
  configureQueues(queues: NvmeQueueConfig): void;
  /** SQ1 tail doorbell: the controller fetches and executes entries up to `tail` */
  ringSubmissionDoorbell(tail: number): Promise<NvmeDoorbellResult>;
  /** CQ1 head doorbell: the driver consumed completions up to `head` */
  ringCompletionDoorbell(head: number): void;
}

export interface GenericDeviceHandle extends DeviceHandleBase {
  readonly kind: "generic";
}

export type DeviceHandle = AcceleratorHandle | NicHandle | NvmeHandle | GenericDeviceHandle;

/** What a driver knows of its own memory: where it lies in its own (host-virtual / guest-physical) space. */
export interface DomainMemoryView {
  /** first address; also the IOVA its devices use for it */
  readonly base: bigint;
  readonly size: bigint;
  /** a CPU load from the domain's own memory */
  read(address: bigint, length: number): Uint8Array;
  /** a CPU store into the domain's own memory */
  write(address: bigint, bytes: Uint8Array): void;
}

export interface PhysicalMemoryRange {
  readonly base: bigint;
  readonly size: bigint;
}

/**
 * A documented simulator helper: the physical memory map an attacker is assumed to know (the
 * DMA attack model: a compromised driver knows where the other tenants' frames and the
 * kernel's tables lie). Never used by the kernel itself.
 */
export interface PhysicalMemoryMap {
  readonly domains: readonly {
    readonly name: string;
    /** the domain's memory in its own space (guest-physical / host-virtual) */
    readonly base: bigint;
    readonly size: bigint;
    /** where it lies in host-physical memory, in delegation order */
    readonly hostRanges: readonly PhysicalMemoryRange[];
  }[];
  /** kernel memory: the NOVA image and the root table of every live page table */
  readonly kernel: readonly (PhysicalMemoryRange & { readonly label: string })[];
}
