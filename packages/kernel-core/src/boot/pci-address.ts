import { NovakitError } from "../errors/novakit-error.js";

export interface PciAddress {
  readonly segment: number;
  readonly bus: number;
  readonly device: number;
  readonly function: number;
}

const PATTERN = /^(?:([0-9a-fA-F]{4}):)?([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\.([0-7])$/;

/** "SSSS:BB:DD.F" or "BB:DD.F" (segment 0), as DomainConfig.devices writes them. */
export function parsePciAddress(text: string, field: string): PciAddress {
  const match = PATTERN.exec(text);
  const device = match ? parseInt(match[3]!, 16) : -1;
  if (!match || device > 0x1f) {
    throw new NovakitError("NK-KRN-227", `"${text}" is not a PCI function address`, { field }, 'write "SSSS:BB:DD.F" or "BB:DD.F" in hex, device 00..1f');
  }
  return { segment: match[1] ? parseInt(match[1], 16) : 0, bus: parseInt(match[2]!, 16), device, function: parseInt(match[4]!, 10) };
}

/** x86 DAD of assign_dev (reference/nova.md §2.4): S = bits 31:16, B = 15:8, D = 7:3, F = 2:0. */
export function x86DeviceAssignmentDescriptor(address: PciAddress): bigint {
  return (BigInt(address.segment) << 16n) | (BigInt(address.bus) << 8n) | (BigInt(address.device) << 3n) | BigInt(address.function);
}
