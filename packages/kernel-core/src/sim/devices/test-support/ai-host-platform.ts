import type { DomainConfig } from "../../../config/config-types.js";
import type { TestPlatformOptions } from "../../../testkit/test-platform.js";

/** TEST-ONLY: two accelerators, two NICs and an NVMe controller behind one AMD IOMMU. */
export const aiHostTestPlatform: TestPlatformOptions = {
  cpus: 2,
  ramMiB: 256,
  pci: [
    { segment: 0, bus: 0, device: 5, function: 0, name: "accel-a", classCode: 0x120000, dmaCapable: true },
    { segment: 0, bus: 0, device: 6, function: 0, name: "nic-a", classCode: 0x020000, dmaCapable: true },
    { segment: 0, bus: 0, device: 7, function: 0, name: "accel-b", classCode: 0x120000, dmaCapable: true },
    { segment: 0, bus: 0, device: 8, function: 0, name: "nic-b", classCode: 0x020000, dmaCapable: true },
    { segment: 0, bus: 0, device: 9, function: 0, name: "nvme", classCode: 0x010802, dmaCapable: true },
    { segment: 0, bus: 0, device: 0x1f, function: 3, name: "smbus", classCode: 0x0c0500, dmaCapable: false },
  ],
  iommus: [{ kind: "amd-vi", baseAddress: 0xfeb80000n, segment: 0, source: "test" }],
};

export const tenantA: DomainConfig = {
  name: "tenant-a",
  kind: "native",
  memoryMiB: 8,
  vcpus: 1,
  cpus: [0],
  priority: 10,
  budgetMs: 1,
  devices: ["00:05.0", "00:06.0", "00:09.0"],
  workload: "ai-tenant",
};

export const tenantB: DomainConfig = {
  name: "tenant-b",
  kind: "native",
  memoryMiB: 4,
  vcpus: 1,
  cpus: [1],
  priority: 10,
  budgetMs: 1,
  devices: ["00:07.0", "00:08.0"],
  workload: "compromised-driver",
};
