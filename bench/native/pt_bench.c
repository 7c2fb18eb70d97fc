/*
 * Native baseline for Novakit's page-table benchmarks (bench/page-tables.ts): the same workloads
 * over the same x86_64 5-level host-table entry format (reference/paging.md §2.4), with the same
 * lock-free scheme as the TypeScript engine (reference/nova.md §3.4): a missing table is installed
 * with a compare-and-swap (the loser gives its table back at once), a leaf is written with an
 * atomic exchange. Prints one JSON line per workload. Build: gcc -std=c11 -O2 -pthread.
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N (1u << 20)
#define BASE UINT64_C(0x0001234000000000)
#define HASH UINT64_C(0x9E3779B1)
#define LEVELS 5
#define ENTRIES 512
#define PAGE_SIZE 4096u

/* paging.md §2.4: P, R/W, U/S, A, D, PS, XD */
#define PTE_P (UINT64_C(1) << 0)
#define PTE_RW (UINT64_C(1) << 1)
#define PTE_US (UINT64_C(1) << 2)
#define PTE_A (UINT64_C(1) << 5)
#define PTE_D (UINT64_C(1) << 6)
#define PTE_PS (UINT64_C(1) << 7)
#define PTE_NX (UINT64_C(1) << 63)
/* NOVA's host table: every non-leaf entry is P|RW|US|A */
#define TABLE_BITS (PTE_P | PTE_RW | PTE_US | PTE_A)
/* what Novakit's host format encodes for R|W, user, write-back: P|RW|US|A|D|NX */
#define LEAF_BITS (PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D | PTE_NX)
#define ADDRESS_MASK UINT64_C(0x0000FFFFFFFFF000) /* 48 physical address bits */

/* "physical memory" for tables: frame k of the pool sits at physical address POOL_BASE + k * 4 KiB */
#define POOL_BASE UINT64_C(0x100000)

typedef struct {
  uint64_t *words; /* the pool, 512 words per frame */
  uint64_t frames;
} pool_t;

/* a thread's own slice of the pool, handed out lowest first, with a free list for lost races */
typedef struct {
  pool_t *pool;
  uint64_t next;
  uint64_t end;
  uint64_t free_list[16];
  int free_count;
  uint64_t allocated;
} allocator_t;

static uint64_t *table_of(const pool_t *pool, uint64_t physical) {
  return pool->words + ((physical - POOL_BASE) / PAGE_SIZE) * ENTRIES;
}

static uint64_t allocate_table(allocator_t *allocator) {
  uint64_t physical;
  if (allocator->free_count > 0) {
    physical = allocator->free_list[--allocator->free_count];
  } else {
    if (allocator->next == allocator->end) {
      fprintf(stderr, "pt_bench: out of table frames\n");
      exit(1);
    }
    physical = POOL_BASE + allocator->next++ * PAGE_SIZE;
  }
  memset(table_of(allocator->pool, physical), 0, PAGE_SIZE);
  allocator->allocated++;
  return physical;
}

static void free_table(allocator_t *allocator, uint64_t physical) {
  allocator->allocated--;
  if (allocator->free_count < 16) allocator->free_list[allocator->free_count++] = physical;
}

static unsigned slot_of(uint64_t va, int level) { return (unsigned)((va >> (12 + 9 * level)) & (ENTRIES - 1)); }

/* walk with allocation down to the level-0 table; tables installed by CAS (nova.md §3.4) */
static uint64_t *walk_allocating(const pool_t *pool, allocator_t *allocator, uint64_t root, uint64_t va) {
  uint64_t *table = table_of(pool, root);
  for (int level = LEVELS - 1; level > 0; level--) {
    uint64_t *slot = &table[slot_of(va, level)];
    uint64_t entry = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (!(entry & PTE_P)) {
      uint64_t fresh = allocate_table(allocator);
      uint64_t desired = fresh | TABLE_BITS;
      if (__atomic_compare_exchange_n(slot, &entry, desired, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        entry = desired;
      } else {
        free_table(allocator, fresh); /* nobody saw it: give it back, follow the winner */
      }
    }
    table = table_of(pool, entry & ADDRESS_MASK);
  }
  return table;
}

static int map4k(const pool_t *pool, allocator_t *allocator, uint64_t root, uint64_t va, uint64_t pa) {
  uint64_t *table = walk_allocating(pool, allocator, root, va);
  uint64_t old = __atomic_exchange_n(&table[slot_of(va, 0)], pa | LEAF_BITS, __ATOMIC_ACQ_REL);
  return old != 0; /* a replaced entry would need a flush */
}

/* the hardware walk: not present -> no translation, PS at levels 1-2 -> large leaf */
static int lookup(const pool_t *pool, uint64_t root, uint64_t va, uint64_t *pa) {
  const uint64_t *table = table_of(pool, root);
  for (int level = LEVELS - 1; level >= 0; level--) {
    uint64_t entry = __atomic_load_n(&table[slot_of(va, level)], __ATOMIC_ACQUIRE);
    if (!(entry & PTE_P)) return 0;
    if (level == 0 || (entry & PTE_PS)) {
      uint64_t size_mask = (UINT64_C(1) << (12 + 9 * level)) - 1;
      *pa = (entry & ADDRESS_MASK & ~size_mask) | (va & size_mask);
      return 1;
    }
    table = table_of(pool, entry & ADDRESS_MASK);
  }
  return 0;
}

static int unmap4k(const pool_t *pool, uint64_t root, uint64_t va) {
  uint64_t *table = table_of(pool, root);
  for (int level = LEVELS - 1; level > 0; level--) {
    uint64_t entry = __atomic_load_n(&table[slot_of(va, level)], __ATOMIC_ACQUIRE);
    if (!(entry & PTE_P)) return 0;
    table = table_of(pool, entry & ADDRESS_MASK);
  }
  return __atomic_exchange_n(&table[slot_of(va, 0)], 0, __ATOMIC_ACQ_REL) != 0;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t va_of(uint64_t base, uint64_t i, uint64_t count) { return base + (((i * HASH) % count) << 12); }

static void report(const char *name, uint64_t ops, double seconds) {
  printf("{\"name\":\"%s\",\"ops\":%" PRIu64 ",\"seconds\":%.6f,\"opsPerSec\":%.6g}\n", name, ops, seconds, (double)ops / seconds);
}

typedef struct {
  const pool_t *pool;
  allocator_t allocator;
  uint64_t root;
  uint64_t bases[2];
  int regions;
  volatile int *go;
} job_t;

static void *map_regions(void *argument) {
  job_t *job = argument;
  while (!__atomic_load_n(job->go, __ATOMIC_ACQUIRE)) {
  }
  for (int r = 0; r < job->regions; r++) {
    uint64_t base = job->bases[r];
    for (uint64_t j = 0; j < N / 2; j++) {
      map4k(job->pool, &job->allocator, job->root, va_of(base, j, N / 2), (base - BASE) + (j << 12));
    }
  }
  return NULL;
}

/* both 2 GiB regions mapped by `threads` threads (1: one thread does both), then verified */
static void concurrent(const char *name, pool_t *pool, int threads) {
  uint64_t per_thread = pool->frames / 2;
  allocator_t root_allocator = {pool, 0, 1, {0}, 0, 0};
  uint64_t root = allocate_table(&root_allocator);
  volatile int go = 0;
  job_t jobs[2];
  pthread_t ids[2];
  for (int t = 0; t < threads; t++) {
    jobs[t] = (job_t){pool, {pool, 1 + t * per_thread, t == 0 ? per_thread : pool->frames, {0}, 0, 0}, root, {0, 0}, 0, &go};
  }
  uint64_t region[2] = {BASE, BASE + (UINT64_C(1) << 31)};
  if (threads == 1) {
    jobs[0].bases[0] = region[0];
    jobs[0].bases[1] = region[1];
    jobs[0].regions = 2;
  } else {
    for (int t = 0; t < 2; t++) {
      jobs[t].bases[0] = region[t];
      jobs[t].regions = 1;
    }
  }
  for (int t = 0; t < threads; t++) pthread_create(&ids[t], NULL, map_regions, &jobs[t]);
  double start = now();
  __atomic_store_n(&go, 1, __ATOMIC_RELEASE);
  for (int t = 0; t < threads; t++) pthread_join(ids[t], NULL);
  double seconds = now() - start;
  uint64_t failures = 0;
  for (int r = 0; r < 2; r++) {
    for (uint64_t j = 0; j < N / 2; j++) {
      uint64_t pa = 0;
      if (!lookup(pool, root, va_of(region[r], j, N / 2), &pa) || pa != (region[r] - BASE) + (j << 12)) failures++;
    }
  }
  if (failures) {
    fprintf(stderr, "pt_bench: %s: %" PRIu64 " pages wrong\n", name, failures);
    exit(1);
  }
  report(name, N, seconds);
}

int main(void) {
  pool_t pool;
  pool.frames = 8192; /* 32 MiB; the sequential workloads need ~2 100 tables */
  pool.words = aligned_alloc(PAGE_SIZE, pool.frames * PAGE_SIZE);
  if (!pool.words) return 1;
  allocator_t allocator = {&pool, 0, pool.frames, {0}, 0, 0};
  uint64_t root = allocate_table(&allocator);

  double start = now();
  for (uint64_t i = 0; i < N; i++) map4k(&pool, &allocator, root, va_of(BASE, i, N), i << 12);
  report("pt.map4k", N, now() - start);
  double bytes_per_page = (double)allocator.allocated * PAGE_SIZE / N;

  uint64_t failures = 0;
  start = now();
  for (uint64_t i = 0; i < N; i++) {
    uint64_t offset = i % 4096, pa = 0;
    if (!lookup(&pool, root, va_of(BASE, i, N) + offset, &pa) || pa != (i << 12) + offset) failures++;
  }
  report("pt.lookup4k", N, now() - start);
  if (failures) {
    fprintf(stderr, "pt_bench: lookup: %" PRIu64 " wrong translations\n", failures);
    return 1;
  }

  uint64_t removed = 0;
  start = now();
  for (uint64_t i = 0; i < N; i++) removed += (uint64_t)unmap4k(&pool, root, va_of(BASE, i, N));
  report("pt.unmap4k", N, now() - start);
  if (removed != N) {
    fprintf(stderr, "pt_bench: unmap removed %" PRIu64 " of %u pages\n", removed, N);
    return 1;
  }
  printf("{\"name\":\"pt.bytesPerPage\",\"bytesPerPage\":%.4f}\n", bytes_per_page);

  concurrent("pt.concurrent.1", &pool, 1);
  concurrent("pt.concurrent.2", &pool, 2);
  free(pool.words);
  return 0;
}
