import type { Platform } from "../platform/platform.js";

/**
 * Ports NOVA withholds from its PIO space (reference/nova.md §1.5): PM1a_CNT, PM1b_CNT, PM2_CNT
 * and SMI_CMD from the FADT (ACPI 6.5 Table 5.9: SMI_CMD at byte 48, PM1a_CNT_BLK 64,
 * PM1b_CNT_BLK 68, PM2_CNT_BLK 72, PM1_CNT_LEN 89, PM2_CNT_LEN 90). SMI_CMD stays accessible
 * with `insecure`. Without an FADT nothing is withheld.
 */
export function deniedPorts(platform: Platform, insecure: boolean): number[] {
  const fadt = platform.firmware.tables.find((table) => table.signature === "FACP");
  if (fadt === undefined || fadt.bytes.length < 91) return [];
  const view = new DataView(fadt.bytes.buffer, fadt.bytes.byteOffset, fadt.bytes.byteLength);
  const ports: number[] = [];
  const block = (offset: number, length: number): void => {
    const base = view.getUint32(offset, true);
    if (base === 0 || base > 0xffff) return;
    for (let i = 0; i < length && base + i <= 0xffff; i++) ports.push(base + i);
  };
  const pm1Length = view.getUint8(89);
  block(64, pm1Length);
  block(68, pm1Length);
  block(72, view.getUint8(90));
  if (!insecure) block(48, 1);
  return ports;
}
