import { DEFAULT_ATTRIBUTES, FrameAllocator, MemoryPermission, NovakitError, PhysicalMemory, RadixPageTable } from "@novakit/kernel-core";
import { DeviceTable, NEEDS_FULL_WALK, createAmdDptFormat, novaAssignedTranslation, translateDma, translateDmaFast } from "@novakit/iommu-amd";
import { result, type BenchResult } from "./bench-result.js";
import { runNativeBaseline } from "./native-baseline.js";

/**
 * iommu.walk (bench/README.md): full AMD IOMMU DMA walks (device table entry, then a 4-level
 * I/O page table; no IOTLB) through the walker the plugin uses: `translateDmaFast` on numbers,
 * with `translateDma` deciding whatever it hands back (faults, odd entries), next to bench/native/iommu_walk.c, which
 * builds the same layout and does the same walk and checks.
 *
 * Layout: device table at DEVICE_TABLE_BASE, entry of BDF 0x0100 V=1 TV=1 Mode 4 IR=IW=1
 * (NOVA's assigned form, nova.md §4.3), DomainID 1; I/O tables built by RadixPageTable with
 * createAmdDptFormat({ levels: 4 }) from frames at TABLE_RAM; M = 2^16 pages,
 * IOVA 0x40000000 + (i << 12) -> PA (0x100000 + i) << 12, read/write.
 * Requests: T = 2^22; x0 = 1, x(k+1) = x(k) * 6364136223846793005 + 1442695040888963407 mod 2^64,
 * page = (x(k+1) >> 33) & (M - 1), IOVA = 0x40000000 + (page << 12) + (k & 0xFF8), a write when
 * k is odd; each result is checked against the expected physical address.
 */
export const IOMMU_WALK_BENCH = "iommu.walk";

const PAGES = 1 << 16;
const TRANSLATIONS = 1 << 22;
const WARMUP_TRANSLATIONS = 1 << 16;
const BDF = 0x0100;
const DEVICE_TABLE_BASE = 0x20_0000n;
const TABLE_RAM = { base: 0x100_0000n, size: 0x100_0000n };
const IOVA_BASE = 0x4000_0000n;
const PA_FIRST_FRAME = 0x10_0000n;
/** PA - IOVA for every mapped byte: (0x100000 << 12) - 0x40000000 */
const PA_MINUS_IOVA = (PA_FIRST_FRAME << 12n) - IOVA_BASE;
const LCG_MULTIPLIER = 6364136223846793005n;
const LCG_INCREMENT = 1442695040888963407n;

function verificationFailed(message: string): NovakitError {
  return new NovakitError("NK-BEN-001", `${IOMMU_WALK_BENCH}: ${message}`, { field: IOMMU_WALK_BENCH }, "the DMA walk produced a wrong translation; the figure is void");
}

/** the device table and the I/O page table, in a fresh physical memory */
function buildTables(): PhysicalMemory {
  const memory = new PhysicalMemory();
  const table = new RadixPageTable(createAmdDptFormat({ levels: 4 }), new FrameAllocator([TABLE_RAM]), memory);
  const permissions = MemoryPermission.R | MemoryPermission.W;
  for (let i = 0; i < PAGES; i++) {
    const outcome = table.map(IOVA_BASE + (BigInt(i) << 12n), (PA_FIRST_FRAME + BigInt(i)) << 12n, 0, permissions, DEFAULT_ATTRIBUTES);
    if (!outcome.ok) throw verificationFailed(`map of page ${i}: ${outcome.status}`);
  }
  const [q0, q1] = novaAssignedTranslation({ pageTableRoot: table.rootAddress, mode: 4, domainId: 1 });
  new DeviceTable(memory, DEVICE_TABLE_BASE).writeWords(BDF, [q0, q1, 0n, 0n]);
  return memory;
}

/** the page numbers of the request sequence (the LCG runs before the clock starts) */
function requestPages(count: number): Uint16Array {
  const pages = new Uint16Array(count);
  let x = 1n;
  for (let k = 0; k < count; k++) {
    x = BigInt.asUintN(64, x * LCG_MULTIPLIER + LCG_INCREMENT);
    pages[k] = Number((x >> 33n) & BigInt(PAGES - 1));
  }
  return pages;
}

/** T walks; returns how many gave a wrong result */
function walk(memory: PhysicalMemory, pages: Uint16Array, count: number): number {
  const deviceTableBase = Number(DEVICE_TABLE_BASE);
  const iovaBase = Number(IOVA_BASE);
  const paMinusIova = Number(PA_MINUS_IOVA);
  let wrong = 0;
  for (let k = 0; k < count; k++) {
    const iova = iovaBase + (pages[k] as number) * 4096 + (k & 0xff8);
    const write = (k & 1) === 1;
    let physical = translateDmaFast(memory, deviceTableBase, BDF, iova, write, 4);
    if (physical === NEEDS_FULL_WALK) {
      const outcome = translateDma({ memory, deviceTableBase: DEVICE_TABLE_BASE, bdf: BDF, iova: BigInt(iova), write });
      physical = outcome.ok ? Number(outcome.physicalAddress) : -1;
    }
    if (physical !== iova + paMinusIova) wrong += 1;
  }
  return wrong;
}

export async function iommuWalkBench(): Promise<BenchResult> {
  const memory = buildTables();
  const pages = requestPages(TRANSLATIONS);
  if (walk(memory, pages, WARMUP_TRANSLATIONS) !== 0) throw verificationFailed("warm-up translations wrong");
  const start = process.hrtime.bigint();
  const wrong = walk(memory, pages, TRANSLATIONS);
  const figure = result(IOMMU_WALK_BENCH, TRANSLATIONS, process.hrtime.bigint() - start, "Mode 4, full walk, no IOTLB");
  if (wrong > 0) throw verificationFailed(`${wrong} of ${TRANSLATIONS} translations wrong`);
  const native = runNativeBaseline("iommu_walk");
  if (!native.available) {
    process.stderr.write(`bench: ${native.note}\n`);
    return { ...figure, native: null, ratio: null, note: `${figure.note ?? ""}; ${native.note}` };
  }
  const nativeOps = native.figures.opsPerSec.get(IOMMU_WALK_BENCH);
  if (nativeOps === undefined) return { ...figure, native: null, ratio: null };
  return { ...figure, native: { opsPerSec: nativeOps }, ratio: Number((figure.opsPerSec / nativeOps).toPrecision(4)) };
}
