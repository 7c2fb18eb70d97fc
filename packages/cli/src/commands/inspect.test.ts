import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject, runIn, smallConfig } from "../test-support/cli-harness.js";

/**
 * Walks a dump the way the MMU would, given only the dump: tables appear root first, then
 * depth-first in entry order, so each present non-leaf entry's table is the next one not yet
 * placed. x86_64 entry bits (reference/paging.md §2.4): P 0, R/W 1, U/S 2, PS 7, NX 63.
 */
function walk(dump: Uint8Array, levels: number, va: bigint): { entry: bigint; level: number } | undefined {
  const view = new DataView(dump.buffer, dump.byteOffset, dump.byteLength);
  const tableOffsetOf = new Map<bigint, number>();
  let next = 1;
  const place = (tableIndex: number, level: number): void => {
    for (let slot = 0; slot < 512; slot++) {
      const entry = view.getBigUint64(tableIndex * 4096 + slot * 8, true);
      const isTable = (entry & 1n) === 1n && level > 0 && (entry & 0x80n) === 0n;
      if (!isTable) continue;
      const address = entry & 0x000f_ffff_ffff_f000n;
      const index = next++;
      tableOffsetOf.set(address, index);
      place(index, level - 1);
    }
  };
  place(0, levels - 1);
  let table = 0;
  for (let level = levels - 1; level >= 0; level--) {
    const slot = Number((va >> BigInt(12 + 9 * level)) & 0x1ffn);
    const entry = view.getBigUint64(table * 4096 + slot * 8, true);
    if ((entry & 1n) === 0n) return undefined;
    if (level === 0 || (entry & 0x80n) !== 0n) return { entry, level };
    // a non-leaf entry of NOVA's host table: P | R/W | U/S (| A)
    expect(entry & 0x7n).toBe(0x7n);
    table = tableOffsetOf.get(entry & 0x000f_ffff_ffff_f000n)!;
  }
  return undefined;
}

describe("novakit inspect", () => {
  it("summarises a domain's host space and dumps it as the bytes the MMU walks", async () => {
    const dir = await makeProject({ "novakit.config.json": JSON.stringify(smallConfig()) });
    const run = await runIn(dir, ["inspect", "--space", "client:HST", "--dump", "client-hst.bin", "--json"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ kind: "HST", format: "x86_64-hpt-5level", levels: 5 });
    // 4 MiB of domain memory delegated in 2 MiB blocks at 1 GiB: two large leaves
    expect((summary["leavesByOrder"] as Record<string, number>)["9"]).toBe(2);
    const dump = new Uint8Array(await readFile(join(dir, "client-hst.bin")));
    expect(dump.byteLength).toBe(summary["tableBytes"]);
    expect(dump.byteLength % 4096).toBe(0);
    const leaf = walk(dump, 5, 0x4000_0000n + 0x12_3456n);
    expect(leaf?.level).toBe(1);
    // a 2 MiB leaf: P, R/W, U/S, PS
    expect(leaf!.entry & 0x87n).toBe(0x87n);
    expect(walk(dump, 5, 0x4000_0000n + 0x40_0000n)).toBeUndefined(); // past the 4 MiB
  });

  it("gives the same bytes for the same configuration and seed", async () => {
    const dir = await makeProject({ "novakit.config.json": JSON.stringify(smallConfig()) });
    await runIn(dir, ["inspect", "--space", "server:HST", "--dump", "a.bin"]);
    await runIn(dir, ["inspect", "--space", "server:HST", "--dump", "b.bin"]);
    expect(await readFile(join(dir, "a.bin"))).toEqual(await readFile(join(dir, "b.bin")));
  });

  it("prints a readable summary and inspects the root PD", async () => {
    const dir = await makeProject({ "novakit.config.json": JSON.stringify(smallConfig()) });
    const run = await runIn(dir, ["inspect", "--space", "root:HST"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^HST space \d+ of PD \d+: x86_64-hpt-5level, 5 levels/);
    expect(run.stdout).toContain("table memory:");
  });

  it("rejects a malformed or unknown space with exit 2 and a clear line", async () => {
    const dir = await makeProject({ "novakit.config.json": JSON.stringify(smallConfig()) });
    const malformed = await runIn(dir, ["inspect", "--space", "client"]);
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toContain("--space expects PD:KIND[:N]");
    expect(malformed.stderr).toContain("[NK-CLI-006]");
    const unknown = await runIn(dir, ["inspect", "--space", "nobody:HST"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('no domain "nobody"');
    const noGuest = await runIn(dir, ["inspect", "--space", "client:GST"]);
    expect(noGuest.status).toBe(2);
    expect(noGuest.stderr).toContain("has 0 GST space(s)");
    const missing = await runIn(dir, ["inspect"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("--space PD:KIND is required");
  });
});
