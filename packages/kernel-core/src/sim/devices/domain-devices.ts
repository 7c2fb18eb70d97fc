import { NovakitError } from "../../errors/novakit-error.js";
import type { PciFunction } from "../../platform/platform.js";
import type { UserlandApi } from "../workload.js";
import { AcceleratorDevice } from "./accelerator.js";
import type { DeviceHandle, DmaTransferResult, MemoryOwner } from "./device-api.js";
import { DmaEngine, type DmaBus } from "./dma-engine.js";
import type { DomainMemory } from "./domain-memory.js";
import type { MachineDevices } from "./machine-devices.js";
import { NicDevice } from "./nic.js";
import { NvmeController } from "./nvme.js";
import { deviceKindOf, formatPciAddress, sbdfOf } from "./pci-device-kind.js";

/** A doorbell or register write reaching the device (an uncached MMIO store). */
export const MMIO_WRITE_NS = 100;

type DeviceModel = AcceleratorDevice | NicDevice | NvmeController | { readonly kind: "generic"; readonly engine: DmaEngine };

interface AssignedDevice {
  readonly fn: PciFunction;
  readonly address: string;
  readonly sbdf: number;
  /** undefined: the function is no bus master */
  readonly model: DeviceModel | undefined;
}

/**
 * The devices of one domain and its memory ledger. Workloads reach them only through the
 * handles `handlesFor` makes for one EC's API: the domain's own devices and nothing else.
 * Device work happens at once and its simulated cost is then charged to the calling EC (a
 * polling driver waits for its device), so device traffic advances the clock.
 */
export class DomainDevices {
  private readonly devices: readonly AssignedDevice[];

  constructor(
    readonly name: string,
    readonly memory: DomainMemory,
    functions: readonly PciFunction[],
    machine: MachineDevices,
    bus: DmaBus,
  ) {
    this.devices = functions.map((fn) => {
      const sbdf = sbdfOf(fn);
      const observer = {
        completed: (physical: bigint, length: number, write: boolean, data: Uint8Array | undefined): MemoryOwner => {
          const owner = machine.classify(physical, length, name);
          if (write && data && owner.kind === "own") memory.recordOwnWrite(physical, data);
          return owner;
        },
      };
      const random = machine.environment.randomU32;
      let model: DeviceModel | undefined;
      if (fn.dmaCapable) {
        const engine = new DmaEngine(sbdf, bus, observer);
        const kind = deviceKindOf(fn);
        model =
          kind === "accelerator"
            ? new AcceleratorDevice(engine)
            : kind === "nic"
              ? new NicDevice(engine, random())
              : kind === "nvme"
                ? new NvmeController(engine, random())
                : { kind: "generic", engine };
      }
      return { fn, address: formatPciAddress(fn), sbdf, model };
    });
  }

  /** the addresses of the domain's devices, in configuration order */
  addresses(): string[] {
    return this.devices.map((device) => device.address);
  }

  /** DMA counters summed over the domain's devices */
  totals(): { attempted: number; completed: number; aborted: number; untranslated: number } {
    const sum = { attempted: 0, completed: 0, aborted: 0, untranslated: 0 };
    for (const device of this.devices) {
      const counters = device.model?.engine.counters();
      if (!counters) continue;
      sum.attempted += counters.attempted;
      sum.completed += counters.completed;
      sum.aborted += counters.aborted;
      sum.untranslated += counters.untranslated;
    }
    return sum;
  }

  /** Handles of the domain's devices bound to one EC: device time is charged to its SC. */
  handlesFor(api: Pick<UserlandApi, "compute">): DeviceHandle[] {
    return this.devices.map((device) => this.handle(device, api));
  }

  private handle(device: AssignedDevice, api: Pick<UserlandApi, "compute">): DeviceHandle {
    const model = device.model;
    const wait = async <T extends { readonly costNs: number }>(result: T): Promise<T> => {
      await api.compute(MMIO_WRITE_NS + result.costNs);
      return result;
    };
    const engine = (): DmaEngine => {
      if (!model) {
        throw new NovakitError("NK-DEV-004", `device ${device.address} (${device.fn.name}) is not a bus master: it has no DMA engine`, { field: "devices" });
      }
      return model.engine;
    };
    const base = {
      address: device.address,
      sbdf: device.sbdf,
      name: device.fn.name,
      classCode: device.fn.classCode,
      busMaster: model !== undefined,
      dma: async (address: bigint, length: number, write: boolean, data?: Uint8Array): Promise<DmaTransferResult> => {
        if (write && data !== undefined && data.length !== length) {
          throw new NovakitError("NK-DEV-003", `DMA write of ${length} bytes was given ${data.length} bytes of data`, { field: "data" });
        }
        const result = write ? engine().write(address, data ?? new Uint8Array(length)) : engine().read(address, length);
        return wait(result);
      },
      counters: () =>
        model ? model.engine.counters() : { attempted: 0, completed: 0, aborted: 0, untranslated: 0, bytesRead: 0, bytesWritten: 0, bytesAborted: 0 },
    };
    if (model?.kind === "accelerator") {
      return { ...base, kind: "accelerator", submit: async (descriptor) => wait(model.submit(descriptor)) };
    }
    if (model?.kind === "nic") {
      return {
        ...base,
        kind: "nic",
        mac: model.macText,
        configureReceive: (ring) => model.configureReceive(ring),
        configureTransmit: (ring) => model.configureTransmit(ring),
        setReceiveTail: (tail) => model.setReceiveTail(tail),
        setTransmitTail: (tail) => model.setTransmitTail(tail),
        receive: async (maxPackets) => wait(model.receive(maxPackets)),
        transmit: async () => wait(model.transmit()),
        registers: () => model.registers(),
      };
    }
    if (model?.kind === "nvme") {
      return {
        ...base,
        kind: "nvme",
        blockSize: model.blockSize,
        capacityBlocks: model.capacityBlocks,
        configureQueues: (queues) => model.configureQueues(queues),
        ringSubmissionDoorbell: async (tail) => wait(model.ringSubmissionDoorbell(tail)),
        ringCompletionDoorbell: (head) => model.ringCompletionDoorbell(head),
      };
    }
    return { ...base, kind: "generic" };
  }
}
