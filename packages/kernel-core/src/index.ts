import "reflect-metadata";

// The public API of @novakit/kernel-core. Plugins import only from here.

// ---- ABI: status codes, hypercall numbers, permissions, descriptors, selectors ----
export * from "./abi/status.js";
export * from "./abi/hypercall-numbers.js";
export * from "./abi/permissions.js";
export * from "./abi/descriptors.js";
export * from "./abi/well-known-selectors.js";

// ---- errors ----
export * from "./errors/novakit-error.js";

// ---- binary input ----
export * from "./bytes/little-endian-reader.js";
export * from "./bytes/concat-bytes.js";
// ACPI table framing (SDT header, checksum, bounds-checked reads): shared by the x86 arch plugin and the AMD IOMMU plugin's IVRS parser
export { AcpiDiagnostic, acpiError, type AcpiDiagnosticCode } from "./acpi/acpi-diagnostics.js";
export { TableReader as AcpiTableReader, byteSum as acpiByteSum, hex as acpiHex } from "./acpi/table-reader.js";
export { parseSdtHeader, SDT_HEADER_LENGTH, type SdtHeader, type SdtParseOptions } from "./acpi/sdt-header.js";

// ---- platform and configuration ----
export * from "./platform/platform.js";
export * from "./config/config-types.js";

// ---- hooks: the whole plugin surface ----
export * from "./hooks/hook-types.js";
export * from "./hooks/kernel-hooks.js";
export * from "./hooks/kernel-services.js";
export * from "./hooks/scheduler-policy.js";
export * from "./hooks/tap-interceptor.js";

// ---- plugins ----
export * from "./plugin/plugin-definition.js";
export * from "./plugin/resolve-plugins.js";
export * from "./di/tokens.js";
export * from "./plugin/plugin-host.js";

// ---- memory: physical memory, frame allocator, page-table engine and formats ----
export * from "./memory/page-table-format.js";
export * from "./memory/translation-table.js";
export * from "./memory/index.js";

// ---- simulator, userland API, workloads ----
export * from "./sim/workload.js";
export * from "./sim/seeded-random.js";
export * from "./sim/event-queue.js";
export { Simulator, HYPERCALL_COST_NS, IPI_LATENCY_NS, NovaEvent, type EventSelectorCounts, type SimulatorOptions, type SimulatorStats } from "./sim/simulator.js";
export { PortalPermission, IPC_CALL_FLAG_TIMEOUT, wordsTransferred } from "./sim/ipc-engine.js";
export { SemaphorePermission, SemaphoreFlag } from "./sim/semaphore-engine.js";
export { CreatePdOp, encodeScd } from "./sim/userland-api.js";
export * from "./sim/workload-registry.js";
export * from "./sim/workloads/builtin-workloads.js";
export { busyLoopWorkload } from "./sim/workloads/busy-loop.js";
export { periodicWorkload } from "./sim/workloads/periodic.js";
export { ipcServerWorkload, ipcClientWorkload } from "./sim/workloads/ipc-echo.js";

// ---- devices: PCI device models with DMA engines, driver-facing API, domain memory ledger ----
export * from "./sim/devices/device-api.js";
export { PciClass, deviceKindOf, sbdfOf, formatPciAddress } from "./sim/devices/pci-device-kind.js";
export { DmaEngine, PCIE_BOUNDARY, MAX_DMA_TRANSFER_BYTES, type DmaBus, type DmaObserver } from "./sim/devices/dma-engine.js";
export { DeviceTiming, CPU_COPY_NS_PER_BYTE, dmaCostNs } from "./sim/devices/device-timing.js";
export { MMIO_WRITE_NS } from "./sim/devices/domain-devices.js";
export type { DeviceEnvironment, KernelMemoryRange } from "./sim/devices/device-environment.js";
export { DomainMemory, type DomainMemoryBlock, type DomainMemoryDigest } from "./sim/devices/domain-memory.js";
export { AcceleratorDevice } from "./sim/devices/accelerator.js";
export * from "./sim/devices/accelerator-job.js";
export { NicDevice } from "./sim/devices/nic.js";
export * from "./sim/devices/nic-descriptors.js";
export { PacketGenerator, EXPERIMENTAL_ETHERTYPE, MIN_FRAME_BYTES, MAX_FRAME_BYTES } from "./sim/devices/packet-generator.js";
export { NvmeController, NVME_DEFAULT_CAPACITY_BLOCKS } from "./sim/devices/nvme.js";
export * from "./sim/devices/nvme-commands.js";
export { NvmeDisk, NVME_BLOCK_SIZE } from "./sim/devices/nvme-disk.js";
export { aiTenantWorkload, aiTenantOptionsSchema, type AiTenantOptions } from "./sim/workloads/ai-tenant.js";
export { compromisedDriverWorkload, compromisedDriverOptionsSchema, type CompromisedDriverOptions } from "./sim/workloads/compromised-driver.js";

// ---- kernel: createKernel, boot, console, HIP, inspection ----
export * from "./boot/kernel-api.js";
export { buildHip, decodeHip, hipChecksum, HIP_SIGNATURE, HIP_ABSENT, HipFeatureX86, HipFeatureAarch64, EVENT_SELECTORS } from "./boot/hip.js";
export type { HipContents, MaximumCapabilityOrders, PhysicalRange } from "./boot/hip.js";
export * from "./boot/kernel-console.js";
export * from "./boot/nova-cmdline.js";
export { createKernel } from "./boot/create-kernel.js";
export { NovakitKernel } from "./boot/novakit-kernel.js";
export { runBoot, NOVA_MODEL_VERSION, DEFAULT_DURATION_MS } from "./boot/boot-sequence.js";
export { DomainSelector } from "./boot/root-task.js";
export * from "./boot/memory-space-view.js";

// ---- kernel memory allocation seam: fault injection and frame accounting ----
export * from "./kernel-state/kernel-allocation-policy.js";
export * from "./kernel-state/allocation-fault-plan.js";
export { KernelQuota } from "./kernel-state/kernel-quota.js";
export { ObjectCost } from "./kernel-state/object-costs.js";

// ---- test kit: a minimal kernel around a plugin under test ----
export * from "./testkit/test-platform.js";
export * from "./testkit/test-scheduler.js";
export * from "./testkit/test-arch-plugin.js";
export * from "./testkit/boot-test-kernel.js";
export * from "./testkit/root-helper.js";

// ---- kernel invariants: the checker the stateful fuzzer runs after every step ----
export * from "./invariants/index.js";
