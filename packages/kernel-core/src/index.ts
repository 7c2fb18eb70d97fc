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

// ---- test kit: a minimal kernel around a plugin under test ----
export * from "./testkit/test-platform.js";
export * from "./testkit/test-scheduler.js";
export * from "./testkit/test-arch-plugin.js";
export * from "./testkit/boot-test-kernel.js";
export * from "./testkit/root-helper.js";
