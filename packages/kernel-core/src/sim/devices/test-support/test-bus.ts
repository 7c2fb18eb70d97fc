import type { DmaRequest, DmaResult } from "../../../hooks/hook-types.js";
import { PhysicalMemory } from "../../../memory/physical-memory.js";
import type { DmaBus } from "../dma-engine.js";

/** TEST-ONLY: a DMA bus over fresh memory whose RAM is [0, 1 GiB), recording every hook call. */
export function testBus(translate: (request: DmaRequest) => DmaResult | undefined = () => undefined): DmaBus & { readonly requests: DmaRequest[] } {
  const requests: DmaRequest[] = [];
  const memory = new PhysicalMemory();
  return {
    requests,
    memory,
    translate: (request) => {
      requests.push({ ...request, ...(request.data ? { data: request.data.slice() } : {}) });
      return translate(request);
    },
    decodes: (physical, length) => physical >= 0n && physical + BigInt(length) <= 1n << 30n,
  };
}

/** an IOMMU that maps IOVA [0x8000_0000, +size) to physical [base, +size) and aborts the rest */
export function windowIommu(base: bigint, size: bigint): (request: DmaRequest) => DmaResult {
  return (request) => {
    const offset = request.address - 0x8000_0000n;
    if (offset < 0n || offset + BigInt(request.length) > size) return { ok: false, reason: "IO_PAGE_FAULT" };
    return { ok: true, physicalAddress: base + offset };
  };
}
