import type { IommuEvent } from "../event-log/event-types.js";
import type { DmaFault } from "../translation/io-fault.js";

/** ILLEGAL_DEV_TABLE_ENTRY defines only GN, I, RW, RZ, TR (§6.3) */
const ILLEGAL_DTE_FLAGS = 0x1a9;

/**
 * The event a unit logs for an aborted DMA request (reference/amd-iommu.md §6.3): IO_PAGE_FAULT
 * with DeviceID, DomainID, the flags of the failed access and the DMA address; or
 * ILLEGAL_DEV_TABLE_ENTRY with DeviceID, flags and the address (bits 1:0 reserved).
 */
export function eventForDmaFault(fault: DmaFault): IommuEvent {
  if (fault.code === "ILLEGAL_DEV_TABLE_ENTRY") {
    return { kind: "ILLEGAL_DEV_TABLE_ENTRY", deviceId: fault.deviceId, pasid: 0, flags: fault.flagsWord & ILLEGAL_DTE_FLAGS, address: fault.address & ~3n };
  }
  return { kind: "IO_PAGE_FAULT", deviceId: fault.deviceId, domainId: fault.domainId, flags: fault.flagsWord, address: fault.address };
}
