import { DEFAULT_ATTRIBUTES, FrameAllocator, MemoryPermission, NovakitError, PhysicalMemory, RadixPageTable } from "@novakit/kernel-core";
import { AmdIommu, DeviceTable, createAmdDptFormat, novaAssignedTranslation } from "@novakit/iommu-amd";
import { result, type BenchResult } from "./bench-result.js";

/**
 * iommu.translate.iotlb: the iommu.walk workload (bench/iommu-walk.ts, the definition)
 * through the hardware model's `AmdIommu.translate` with its IOTLB and device-table cache, as a
 * device's DMA reaches it from the plugin's `dma` tap. The unit is programmed through MMIO
 * (DEV_TBL_BASE = table | 1FFh, Control = IommuEn) and its IOTLB holds all M pages, so after the
 * warm-up every request is answered from the IOTLB: the figure is the cached path.
 *
 * Layout: device table entry of BDF 0x0100 V=1 TV=1 Mode 4 IR=IW=1 DomainID 1; M = 2^16 pages,
 * IOVA 0x40000000 + (i << 12) -> PA (0x100000 + i) << 12; T = 2^22 requests from the LCG
 * x(k+1) = x(k) * 6364136223846793005 + 1442695040888963407 mod 2^64, page = (x(k+1) >> 33) &
 * (M - 1), IOVA = 0x40000000 + (page << 12) + (k & 0xFF8), a write when k is odd; every result
 * is checked.
 */
export const IOMMU_TRANSLATE_IOTLB_BENCH = "iommu.translate.iotlb";

const PAGES = 1 << 16;
const TRANSLATIONS = 1 << 22;
const BDF = 0x0100;
const DEVICE_TABLE_BASE = 0x20_0000n;
const TABLE_RAM = { base: 0x100_0000n, size: 0x100_0000n };
const MMIO_BASE = 0xfeb0_0000n;
const IOVA_BASE = 0x4000_0000n;
const PA_FIRST_FRAME = 0x10_0000n;
const PA_MINUS_IOVA = (PA_FIRST_FRAME << 12n) - IOVA_BASE;
const LCG_MULTIPLIER = 6364136223846793005n;
const LCG_INCREMENT = 1442695040888963407n;
/** MMIO offsets (reference/amd-iommu.md §2.2) and Control.IommuEn (§2.4) */
const DEV_TBL_BASE = 0x0000;
const CONTROL = 0x0018;
const IOMMU_EN = 1n;

function verificationFailed(message: string): NovakitError {
  return new NovakitError("NK-BEN-001", `${IOMMU_TRANSLATE_IOTLB_BENCH}: ${message}`, { field: IOMMU_TRANSLATE_IOTLB_BENCH }, "the IOMMU produced a wrong translation; the figure is void");
}

function buildUnit(): AmdIommu {
  const memory = new PhysicalMemory();
  const table = new RadixPageTable(createAmdDptFormat({ levels: 4 }), new FrameAllocator([TABLE_RAM]), memory);
  for (let i = 0; i < PAGES; i++) {
    const outcome = table.map(IOVA_BASE + (BigInt(i) << 12n), (PA_FIRST_FRAME + BigInt(i)) << 12n, 0, MemoryPermission.R | MemoryPermission.W, DEFAULT_ATTRIBUTES);
    if (!outcome.ok) throw verificationFailed(`map of page ${i}: ${outcome.status}`);
  }
  const [q0, q1] = novaAssignedTranslation({ pageTableRoot: table.rootAddress, mode: 4, domainId: 1 });
  new DeviceTable(memory, DEVICE_TABLE_BASE).writeWords(BDF, [q0, q1, 0n, 0n]);
  const unit = new AmdIommu({ memory, mmioBase: MMIO_BASE, segment: 0, deviceId: 2, efr: 0n, efr2: 0n, iotlbCapacity: PAGES });
  unit.mmioWrite64(DEV_TBL_BASE, DEVICE_TABLE_BASE | 0x1ffn);
  unit.mmioWrite64(CONTROL, IOMMU_EN);
  return unit;
}

function requestPages(count: number): Uint16Array {
  const pages = new Uint16Array(count);
  let x = 1n;
  for (let k = 0; k < count; k++) {
    x = BigInt.asUintN(64, x * LCG_MULTIPLIER + LCG_INCREMENT);
    pages[k] = Number((x >> 33n) & BigInt(PAGES - 1));
  }
  return pages;
}

/** count requests; returns how many gave a wrong result */
function translateAll(unit: AmdIommu, pages: Uint16Array, count: number): number {
  let wrong = 0;
  for (let k = 0; k < count; k++) {
    const iova = IOVA_BASE + BigInt((pages[k] as number) * 4096 + (k & 0xff8));
    const outcome = unit.translate({ bdf: BDF, iova, write: (k & 1) === 1 });
    if (!outcome.ok || outcome.physicalAddress !== iova + PA_MINUS_IOVA) wrong += 1;
  }
  return wrong;
}

export async function iommuTranslateIotlbBench(): Promise<BenchResult> {
  const unit = buildUnit();
  const pages = requestPages(TRANSLATIONS);
  // warm-up: every page once, so the timed run measures the IOTLB
  const warm = new Uint16Array(PAGES).map((_, index) => index);
  if (translateAll(unit, warm, PAGES) !== 0) throw verificationFailed("warm-up translations wrong");
  const before = unit.stats();
  const start = process.hrtime.bigint();
  const wrong = translateAll(unit, pages, TRANSLATIONS);
  const elapsed = process.hrtime.bigint() - start;
  if (wrong > 0) throw verificationFailed(`${wrong} of ${TRANSLATIONS} translations wrong`);
  const after = unit.stats();
  const hits = after.iotlbHits - before.iotlbHits;
  return result(IOMMU_TRANSLATE_IOTLB_BENCH, TRANSLATIONS, elapsed, `Mode 4, AmdIommu.translate with IOTLB (capacity 2^16), ${hits} of ${TRANSLATIONS} IOTLB hits`);
}
