import type { FaultEvent } from "@novakit/kernel-core";
import { IoFaultFlag } from "../translation/io-fault.js";
import type { DomainOwner } from "./domain-ids.js";
import { eventFlagNames, isDeviceEvent, type IommuEvent } from "./iommu-event.js";

/** "0000:00:05.0" */
export function formatSbdf(segment: number, bdf: number): string {
  const hex = (value: number, width: number) => value.toString(16).padStart(width, "0");
  return `${hex(segment, 4)}:${hex((bdf >> 8) & 0xff, 2)}:${hex((bdf >> 3) & 0x1f, 2)}.${bdf & 7}`;
}

/** "PD 7": the protection domain that owns the DMA space of a domain id, as far as the driver knows it */
export function formatOwner(owner: DomainOwner | undefined): string | undefined {
  return owner === undefined ? undefined : `PD ${owner.ownerPd}`;
}

export interface EventContext {
  readonly unitName: string;
  readonly segment: number;
  readonly owner: DomainOwner | undefined;
}

/**
 * One boot-log line per event: unit, event name, device, domain id and owning PD, address,
 * access, flags, then NOVA's raw operands (nova.md §4.7 logs operand 1 = bits 59:0 and
 * operand 2 of every event).
 */
export function formatEventLine(event: IommuEvent, context: EventContext): string {
  const raw = `op1=0x${event.operand1.toString(16)} op2=0x${event.operand2.toString(16)}`;
  if (!isDeviceEvent(event)) return `SMMU: ${context.unitName} ${event.name} address 0x${event.address.toString(16)} ${raw}`;
  const owner = formatOwner(context.owner);
  return (
    `SMMU: ${context.unitName} ${event.name} dev ${formatSbdf(context.segment, event.deviceId)} domain ${event.domainId}` +
    `${owner !== undefined ? ` (${owner})` : ""} address 0x${event.address.toString(16)} ${accessOf(event)} flags ${eventFlagNames(event.flags)} ${raw}`
  );
}

function accessOf(event: IommuEvent): "read" | "write" {
  return (event.flags & IoFaultFlag.RW) !== 0 ? "write" : "read";
}

/** The event as the `fault` hook publishes it (kind "dma"). */
export function faultEventOf(event: IommuEvent, context: EventContext, timeNs: number, line: string): FaultEvent {
  if (!isDeviceEvent(event)) return { kind: "dma", timeNs, address: event.address, detail: line };
  const domain = formatOwner(context.owner);
  return {
    kind: "dma",
    timeNs,
    device: formatSbdf(context.segment, event.deviceId),
    ...(domain !== undefined ? { domain } : {}),
    address: event.address,
    access: accessOf(event),
    detail: line,
  };
}
