import { NovakitError, type PhysicalMemory } from "@novakit/kernel-core";
import { NOVA_DENY_DTE, decodeDte, encodeDte, type DeviceTableEntry, type DteWords } from "./device-table-entry.js";

/** 65536 DeviceIDs (BDFs) per PCI segment, 32 bytes each: NOVA's 2 MiB table (nova.md §4.3). */
export const DEVICE_TABLE_ENTRIES = 0x1_0000;
export const DTE_BYTES = 32;

/**
 * One PCI segment's device table in physical memory, indexed by DeviceID: entry address =
 * base + DeviceID * 32 (amd-iommu.md §3). Reads and writes go through `PhysicalMemory`, so the
 * DMA walk and anyone else see exactly these bytes.
 */
export class DeviceTable {
  constructor(
    private readonly memory: PhysicalMemory,
    /** physical base, 4 KiB aligned (amd-iommu.md §2.3) */
    readonly base: bigint,
  ) {
    if (base < 0n || (base & 0xfffn) !== 0n || base + BigInt(DEVICE_TABLE_ENTRIES * DTE_BYTES) > 1n << 52n) {
      throw new NovakitError("NK-IOMMU-106", `device table base 0x${base.toString(16)} is not a 4 KiB aligned address with 2 MiB above it`, { field: "base" });
    }
  }

  /** physical address of the entry of `bdf` */
  entryAddress(bdf: number): bigint {
    if (!Number.isInteger(bdf) || bdf < 0 || bdf >= DEVICE_TABLE_ENTRIES) {
      throw new NovakitError("NK-IOMMU-107", `DeviceID ${bdf} is not a 16-bit bus:device.function`, { field: "bdf" });
    }
    return this.base + BigInt(bdf * DTE_BYTES);
  }

  readWords(bdf: number): DteWords {
    const at = this.entryAddress(bdf);
    return [this.memory.read64(at), this.memory.read64(at + 8n), this.memory.read64(at + 16n), this.memory.read64(at + 24n)];
  }

  writeWords(bdf: number, words: DteWords): void {
    const at = this.entryAddress(bdf);
    // the interrupt half first, the translation half last: q0 holds V/TV, so a walker never
    // pairs a new V with a half-written rest of the lower half (NOVA swaps each half atomically)
    this.memory.write64(at + 24n, words[3]);
    this.memory.write64(at + 16n, words[2]);
    this.memory.write64(at + 8n, words[1]);
    this.memory.write64(at, words[0]);
  }

  read(bdf: number): DeviceTableEntry {
    return decodeDte(this.readWords(bdf));
  }

  write(bdf: number, entry: DeviceTableEntry): void {
    this.writeWords(bdf, encodeDte(entry));
  }

  /** NOVA's initial state (nova.md §4.3): every entry deny (V=1 TV=0, IV=1 IntCtl=0). */
  denyAll(): void {
    for (let bdf = 0; bdf < DEVICE_TABLE_ENTRIES; bdf++) this.writeWords(bdf, NOVA_DENY_DTE);
  }
}
