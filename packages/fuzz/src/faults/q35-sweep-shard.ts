import { expect } from "vitest";
import { Q35_TWO_DOMAINS } from "./fault-configurations.js";
import { countAllocations, injectAt, isClean, type InjectionResult } from "./exhaustion-sweep.js";

/** the q35 sweep runs as this many test files, so vitest spreads its boots over its workers */
export const Q35_SWEEP_SHARDS = 3;

/**
 * Test support: inject every allocation k of the q35 two-domain boot with k % SHARDS === shard,
 * and expect each to end clean (a MEM_OBJ/MEM_CAP status or a NovakitError, no leak).
 */
export async function sweepQ35Shard(shard: number): Promise<readonly InjectionResult[]> {
  const prepared = await Q35_TWO_DOMAINS.prepare();
  const { sites } = await countAllocations(prepared);
  expect(sites.length).toBeGreaterThan(40);
  const results: InjectionResult[] = [];
  for (let k = 1; k <= sites.length; k++) {
    if (k % Q35_SWEEP_SHARDS !== shard) continue;
    const result = await injectAt(prepared, k);
    expect(result.site).toBe(sites[k - 1]);
    expect({ k, site: result.site, clean: isClean(result), outcome: result.outcome.kind, leaks: result.leaks }).toEqual({
      k,
      site: sites[k - 1],
      clean: true,
      outcome: expect.stringMatching(/^(status|error|surfaced)$/),
      leaks: [],
    });
    results.push(result);
  }
  return results;
}
