import { z } from "zod";
import { NovakitError } from "../../errors/novakit-error.js";
import type { AcceleratorHandle, DeviceHandle, NicHandle, NvmeHandle } from "../devices/device-api.js";
import { CPU_COPY_NS_PER_BYTE } from "../devices/device-timing.js";
import { NvmeOpcode } from "../devices/nvme-commands.js";
import type { UserlandApi, WorkloadDefinition, WorkloadInstance } from "../workload.js";
import { AcceleratorDriver } from "./drivers/accelerator-driver.js";
import { BufferArena } from "./drivers/buffer-arena.js";
import { NicDriver } from "./drivers/nic-driver.js";
import { NvmeDriver } from "./drivers/nvme-driver.js";
import { parseWorkloadOptions } from "./parse-workload-options.js";

export const aiTenantOptionsSchema = z
  .object({
    /** input bytes of each SHA-256 accelerator job */
    jobBytes: z.number().int().min(1).max(1 << 20).default(16384),
    /** n of the n x n u8 matrix-product jobs (every other job) */
    matrixDimension: z.number().int().min(1).max(128).default(16),
    /** frames let in from the wire per round */
    packetsPerRound: z.number().int().min(0).max(1024).default(8),
    /** descriptors per NIC ring and entries per NVMe queue */
    ringEntries: z.number().int().min(4).max(1024).default(32),
    /** blocks written and read back per round on an NVMe controller */
    nvmeBlocks: z.number().int().min(1).max(256).default(16),
    /** CPU work between rounds, µs (the model's inference work between batches) */
    thinkUs: z.number().min(0).max(1_000_000).default(200),
    /** stop after this many rounds (default: until the simulation ends) */
    rounds: z.number().int().min(0).optional(),
  })
  .strict();
export type AiTenantOptions = z.output<typeof aiTenantOptionsSchema>;

/**
 * A tenant's AI service driving its own devices on its own memory: each round an accelerator
 * job (SHA-256 and matrix products in turn) whose output the CPU checks, frames from the NIC
 * echoed back, and an NVMe write + read-back compared byte for byte. Everything sits in the
 * domain's memory and is addressed by the IOVAs its DMA space maps, so with an IOMMU every
 * transfer translates and none aborts; `abortedTransfers` must stay 0. EC 0 drives the devices
 * (they are the domain's, not per EC); other ECs only compute.
 *
 * Results: rounds, jobsCompleted, jobErrors, acceleratorBytes, packetsReceived,
 * packetsTransmitted, bytesReceived, bytesTransmitted, packetErrors, packetsMissed,
 * nvmeCommands, nvmeErrors, nvmeBytes, abortedTransfers, untranslatedTransfers, devices.
 */
export const aiTenantWorkload: WorkloadDefinition = {
  name: "ai-tenant",
  description: "accelerator jobs, NIC echo and NVMe I/O on the domain's own memory; reports jobs, packets, bytes, aborted transfers",
  optionsSchema: aiTenantOptionsSchema,
  async run(api, instance) {
    const options = parseWorkloadOptions(aiTenantOptionsSchema, instance, "ai-tenant");
    if (instance.ecIndex !== 0) {
      for (;;) await api.compute(Math.max(1000, options.thinkUs * 1000));
    }
    const devices = api.devices();
    instance.report("devices", devices.length);
    const memory = api.domainMemory();
    if (!memory) throw new NovakitError("NK-DEV-052", `domain "${instance.domain}" has no memory for its buffers`, { field: "memoryMiB" });
    const arena = new BufferArena(memory);
    const accelerator = devices.find((device): device is AcceleratorHandle => device.kind === "accelerator");
    const nic = devices.find((device): device is NicHandle => device.kind === "nic");
    const nvme = devices.find((device): device is NvmeHandle => device.kind === "nvme");
    const n = options.matrixDimension;
    const acceleratorDriver = accelerator
      ? new AcceleratorDriver(api, accelerator, memory, arena, Math.max(options.jobBytes, 2 * n * n), Math.max(32, 4 * n * n))
      : undefined;
    const nicDriver = nic ? new NicDriver(api, nic, memory, arena, options.ringEntries) : undefined;
    const nvmeDriver = nvme ? new NvmeDriver(api, nvme, memory, arena, options.ringEntries) : undefined;
    const nvmeOut = nvme ? arena.take(options.nvmeBlocks * nvme.blockSize) : 0n;
    const nvmeIn = nvme ? arena.take(options.nvmeBlocks * nvme.blockSize) : 0n;
    let seen = sums(devices);
    for (let round = 0; options.rounds === undefined || round < options.rounds; round++) {
      if (acceleratorDriver) {
        const outcome =
          round % 2 === 0 ? await acceleratorDriver.sha256(randomBytes(api, options.jobBytes)) : await acceleratorDriver.matrixProduct(randomBytes(api, 2 * n * n), n);
        instance.report(outcome.ok ? "jobsCompleted" : "jobErrors", 1);
        instance.report("acceleratorBytes", outcome.inputBytes + outcome.outputBytes);
      }
      if (nicDriver && options.packetsPerRound > 0) {
        const outcome = await nicDriver.pump(options.packetsPerRound);
        instance.report("packetsReceived", outcome.received);
        instance.report("packetsTransmitted", outcome.transmitted);
        instance.report("bytesReceived", outcome.bytesReceived);
        instance.report("bytesTransmitted", outcome.bytesTransmitted);
        instance.report("packetErrors", outcome.errors);
        instance.report("packetsMissed", outcome.missed);
      }
      if (nvmeDriver && nvme) await nvmeRound(api, instance, nvmeDriver, nvme, options, round, nvmeOut, nvmeIn);
      const now = sums(devices);
      instance.report("abortedTransfers", now.aborted - seen.aborted);
      instance.report("untranslatedTransfers", now.untranslated - seen.untranslated);
      instance.report("rounds", 1);
      seen = now;
      await api.compute(Math.max(1, options.thinkUs * 1000));
    }
  },
};

async function nvmeRound(
  api: UserlandApi,
  instance: WorkloadInstance,
  driver: NvmeDriver,
  nvme: NvmeHandle,
  options: AiTenantOptions,
  round: number,
  out: bigint,
  into: bigint,
): Promise<void> {
  const memory = api.domainMemory()!;
  const bytes = options.nvmeBlocks * nvme.blockSize;
  const lba = BigInt((round * options.nvmeBlocks) % Math.max(1, nvme.capacityBlocks - options.nvmeBlocks));
  const data = randomBytes(api, bytes);
  memory.write(out, data);
  memory.write(into, new Uint8Array(bytes));
  const written = await driver.io(NvmeOpcode.WRITE, lba, options.nvmeBlocks, out);
  const read = await driver.io(NvmeOpcode.READ, lba, options.nvmeBlocks, into);
  await api.compute(2 * bytes * CPU_COPY_NS_PER_BYTE);
  const intact = Buffer.from(memory.read(into, bytes)).equals(Buffer.from(data));
  const ok = written.status === 0 && read.status === 0 && intact;
  instance.report("nvmeCommands", 2);
  instance.report("nvmeErrors", ok ? 0 : 1);
  instance.report("nvmeBytes", 2 * bytes);
}

/** bytes from the kernel PRNG (deterministic per seed) */
function randomBytes(api: UserlandApi, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i += 4) {
    const word = api.randomU32();
    for (let b = 0; b < 4 && i + b < length; b++) bytes[i + b] = (word >>> (8 * b)) & 0xff;
  }
  return bytes;
}

function sums(devices: readonly DeviceHandle[]): { aborted: number; untranslated: number } {
  let aborted = 0;
  let untranslated = 0;
  for (const device of devices) {
    const counters = device.counters();
    aborted += counters.aborted;
    untranslated += counters.untranslated;
  }
  return { aborted, untranslated };
}
