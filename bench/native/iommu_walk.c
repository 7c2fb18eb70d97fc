/*
 * Native baseline of Novakit's iommu.walk benchmark (bench/iommu-walk.ts): the same device table
 * and 4-level AMD I/O page table layout, built with the same entries as createAmdDptFormat
 * (reference/amd-iommu.md §4.2; nova.md §3.2: tables PR|A|IR|IW|NextLevel, leaves PR|A|D|IR|IW),
 * and the same full walk as translateDma (amd-iommu.md §3.4, §4.3, §4.4: V/TV/reserved/Mode
 * checks, range check, PR, IR/IW ANDed, NextLevel 0/7/skipping), no IOTLB. Every result is checked.
 * Prints one JSON line. Build: gcc -std=c11 -O2.
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAGES (1u << 16)
#define TRANSLATIONS (1u << 22)
#define WARMUP (1u << 16)
#define BDF 0x0100u
#define IOVA_BASE UINT64_C(0x40000000)
#define PA_FIRST_FRAME UINT64_C(0x100000)

#define PR (UINT64_C(1) << 0)
#define A (UINT64_C(1) << 5)
#define D (UINT64_C(1) << 6)
#define IR (UINT64_C(1) << 61)
#define IW (UINT64_C(1) << 62)
#define ADDRESS_MASK UINT64_C(0x000FFFFFFFFFF000)
#define DTE_V UINT64_C(1)
#define DTE_TV UINT64_C(2)
#define DTE_RESERVED ((UINT64_C(0x1F) << 2) | (UINT64_C(1) << 63))

/* physical memory: the device table (2 MiB at 0x200000) and a pool of table frames at 0x1000000 */
#define DT_BASE UINT64_C(0x200000)
#define POOL_BASE UINT64_C(0x1000000)
#define POOL_FRAMES 4096u

static uint64_t *device_table;
static uint64_t *pool;
static uint64_t pool_next;

static uint64_t *words_at(uint64_t physical) {
  if (physical >= DT_BASE && physical < DT_BASE + 0x200000) return device_table + (physical - DT_BASE) / 8;
  if (physical >= POOL_BASE && physical < POOL_BASE + (uint64_t)POOL_FRAMES * 4096) return pool + (physical - POOL_BASE) / 8;
  fprintf(stderr, "iommu_walk: read of unbacked physical address 0x%" PRIx64 "\n", physical);
  exit(1);
}

static uint64_t read64(uint64_t physical) { return __atomic_load_n(words_at(physical), __ATOMIC_ACQUIRE); }

static uint64_t allocate_table(void) {
  if (pool_next == POOL_FRAMES) {
    fprintf(stderr, "iommu_walk: out of table frames\n");
    exit(1);
  }
  return POOL_BASE + pool_next++ * 4096;
}

/* map one 4 KiB page, installing tables top-down (engine level l holds NextLevel = l) */
static void map_page(uint64_t root, uint64_t iova, uint64_t pa) {
  uint64_t table = root;
  for (int level = 4; level > 1; level--) {
    uint64_t *slot = words_at(table + ((iova >> (3 + 9 * level)) & 511) * 8);
    if ((*slot & PR) == 0) *slot = allocate_table() | PR | A | IR | IW | ((uint64_t)(level - 1) << 9);
    table = *slot & ADDRESS_MASK;
  }
  *words_at(table + ((iova >> 12) & 511) * 8) = pa | PR | A | D | IR | IW;
}

/* translateDma: 0 on success with *pa set, a non-zero reason code on a fault */
static int translate(uint64_t iova, int write, uint64_t *pa) {
  uint64_t q0 = read64(DT_BASE + (uint64_t)BDF * 32);
  if ((q0 & DTE_V) == 0) { *pa = iova; return 0; }
  int mode = (int)((q0 >> 9) & 7);
  if (q0 & DTE_RESERVED) return 1;
  if ((q0 & DTE_TV) == 0) return 2;
  if (mode == 7) return 3;
  int permitted = (q0 & (write ? IW : IR)) != 0;
  if (mode > 0 && mode < 6 && (iova >> (12 + 9 * mode)) != 0) return 4;
  if (mode == 0) { *pa = iova; return permitted ? 0 : 9; }
  uint64_t permission_bit = write ? IW : IR;
  uint64_t table = q0 & ADDRESS_MASK;
  int level = mode;
  for (;;) {
    int shift = 3 + 9 * level;
    uint64_t entry = read64(table + ((iova >> shift) & 511) * 8);
    if ((entry & PR) == 0) return 5;
    if ((entry & permission_bit) == 0) permitted = 0;
    int next = (int)((entry >> 9) & 7);
    if (next == 0 || next == 7) {
      uint64_t page_mask, base;
      if (next == 0) {
        if (level == 6) return 6;
        page_mask = (UINT64_C(1) << shift) - 1;
        base = entry & ADDRESS_MASK & ~page_mask;
      } else {
        uint64_t field = entry & ADDRESS_MASK;
        int z = 12;
        while (z < 52 && ((field >> z) & 1)) z++;
        uint64_t size = UINT64_C(1) << (z + 1);
        if (size <= (UINT64_C(1) << shift) || (shift + 9 < 64 && size >= (UINT64_C(1) << (shift + 9)))) return 8;
        page_mask = size - 1;
        base = field & ~page_mask;
      }
      if (!permitted) return 9;
      *pa = base | (iova & page_mask);
      return 0;
    }
    if (next >= level) return 6;
    if (next < level - 1) {
      uint64_t skipped = (iova >> (12 + 9 * next)) & ((UINT64_C(1) << (9 * (level - 1 - next))) - 1);
      if (skipped) return 7;
    }
    table = entry & ADDRESS_MASK;
    level = next;
  }
}

static uint64_t walk(const uint16_t *pages, uint32_t count) {
  uint64_t wrong = 0;
  for (uint32_t k = 0; k < count; k++) {
    uint64_t iova = IOVA_BASE + ((uint64_t)pages[k] << 12) + (k & 0xFF8);
    uint64_t pa = 0;
    if (translate(iova, (int)(k & 1), &pa) != 0 || pa != iova - IOVA_BASE + (PA_FIRST_FRAME << 12)) wrong++;
  }
  return wrong;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void) {
  device_table = calloc(0x200000 / 8, sizeof(uint64_t));
  pool = calloc((size_t)POOL_FRAMES * 512, sizeof(uint64_t));
  uint16_t *pages = malloc(TRANSLATIONS * sizeof(uint16_t));
  if (!device_table || !pool || !pages) {
    fprintf(stderr, "iommu_walk: out of memory\n");
    return 1;
  }
  uint64_t root = allocate_table();
  for (uint32_t i = 0; i < PAGES; i++) map_page(root, IOVA_BASE + ((uint64_t)i << 12), (PA_FIRST_FRAME + i) << 12);
  /* NOVA's assigned DTE (nova.md §4.3): V TV Mode 4 root IR IW, DomainID 1 */
  device_table[BDF * 4] = root | (UINT64_C(4) << 9) | IR | IW | DTE_TV | DTE_V;
  device_table[BDF * 4 + 1] = 1;

  uint64_t x = 1;
  for (uint32_t k = 0; k < TRANSLATIONS; k++) {
    x = x * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
    pages[k] = (uint16_t)((x >> 33) & (PAGES - 1));
  }
  if (walk(pages, WARMUP) != 0) {
    fprintf(stderr, "iommu_walk: warm-up translations wrong\n");
    return 1;
  }
  double start = now();
  uint64_t wrong = walk(pages, TRANSLATIONS);
  double seconds = now() - start;
  if (wrong != 0) {
    fprintf(stderr, "iommu_walk: %" PRIu64 " of %u translations wrong\n", wrong, TRANSLATIONS);
    return 1;
  }
  printf("{\"name\":\"iommu.walk\",\"ops\":%u,\"seconds\":%.6f,\"opsPerSec\":%.6g}\n", TRANSLATIONS, seconds, (double)TRANSLATIONS / seconds);
  free(pages);
  free(pool);
  free(device_table);
  return 0;
}
